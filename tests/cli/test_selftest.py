"""`caseworker --selftest` from source (the frozen build's run is in tests/installer): exit 0
after every check, nothing written to the user's data folder; and a machine without a
Chinese font is told, in words, which check failed and why, with exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseworker import selftest
from caseworker.printing import fonts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_selftest_passes_from_source_and_leaves_the_home_folder_alone(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    env |= {"HOME": str(home), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "caseworker", "--selftest"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=280,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("self-test passed")
    for check in ("every module of the app imports", "缴费凭证 80 mm receipt", "Qt offscreen"):
        assert f"ok    {check}" in result.stdout
    assert "fonts cover the demo names" in result.stdout
    assert not [p for p in home.rglob("*") if "aseworker" in p.name]


def test_without_a_chinese_font_the_selftest_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qapp
):
    # A machine with no CJK font at all: none of the places the app looks for one has it.
    monkeypatch.setattr(fonts, "default_sources", lambda: [])
    assert selftest.run_selftest() == 1
    out = capsys.readouterr()
    assert "self-test FAILED" in out.err
    assert "FAIL  参保登记表 enrolment form" in out.err
    assert "No usable Chinese TrueType font" in out.err
    assert "ok    Qt offscreen" in out.out  # the rest still ran and said so

"""The `home` fixture: a centre set up through the real `caseworker setup` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import run


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "centre"
    result = run(
        [
            "setup",
            "--centre-code",
            "320281103",
            "--centre-name",
            "青阳镇社会保障服务中心",
            "--admin",
            "admin",
        ],
        home,
    )
    assert result.returncode == 0, result.stderr
    assert "恢复密钥" in result.stdout
    return home

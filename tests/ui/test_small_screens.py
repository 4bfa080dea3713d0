"""Small screens and scaling: every page and every dialog opened on a 1366×768 screen at
100, 125 and 150 %, and none larger than the screen's available room or outside it.

QT_SCALE_FACTOR is read when QApplication is made, so each factor runs in a child process of
its own (``tests/ui/fit_check.py``, on the offscreen platform with a 1366×768 screen); a
dialog not in ``fit_check.DIALOGS`` fails here, so a new one is measured from the start."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

import caseworker.ui
from tests.ui.fit_check import DIALOGS, SCREEN

ROOT = Path(__file__).resolve().parents[2]


def dialog_classes() -> set[str]:
    """Every QDialog subclass defined in caseworker/ui, as "module:Class"."""
    for module in pkgutil.walk_packages(caseworker.ui.__path__, "caseworker.ui."):
        importlib.import_module(module.name)
    found: set[str] = set()
    todo = list(QDialog.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("caseworker.ui"):
            found.add(f"{cls.__module__}:{cls.__name__}")
    return found


def test_every_dialog_of_the_client_is_in_the_list_measured():
    defined = dialog_classes()
    assert len(defined) > 20
    assert sorted(defined - set(DIALOGS)) == []  # a new dialog: add it to fit_check.DIALOGS
    assert sorted(set(DIALOGS) - defined) == []  # a dialog gone: take it off the list


@pytest.mark.parametrize("scale", ["1", "1.25", "1.5"])
def test_every_page_and_dialog_fits_a_1366_by_768_screen(scale, tmp_path):
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": SCREEN.width(),
                        "height": SCREEN.height(),
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": scale,
        "CASEWORKER_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # preferences
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.fit_check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    expected = round(SCREEN.width() / float(scale)), round(SCREEN.height() / float(scale))
    assert abs(measured["room"][0] - expected[0]) <= 1  # the factor took: the room shrank
    assert abs(measured["room"][1] - expected[1]) <= 1
    assert sorted(measured["opened"]) == sorted(k for k, make in DIALOGS.items() if make)
    assert measured["problems"] == []

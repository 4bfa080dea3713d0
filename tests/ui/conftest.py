"""UI fixtures: operator preferences (QSettings) in a temporary folder, never the real user's,
the interface language back to Chinese after each test, and a background runner that is
shut down when the test ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.ui.i18n import install_language
from caseworker.ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def _isolated_preferences(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "qsettings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder
    install_language(qapp, "zh")


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()

"""Small helpers for driving real widgets in tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit ``text`` as an input method would (keyClicks cannot type Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def demo_session(root: Path, persons: int = 200) -> OpenSession:
    """A small, deterministic demo centre, logged in as its clerk."""
    paths = DataPaths(root)
    build_demo_centre(paths, persons=persons, seed=1, today=date.today())
    return login(paths, "clerk", DEMO_PASSWORD)

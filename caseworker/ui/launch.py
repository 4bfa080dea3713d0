"""The launch, from the login dialog to a usable main window (``caseworker.app`` and
``bench/launch_probe.py`` both go through here, so the benchmark times what the clerk gets).

``preload``: the login needs SQLAlchemy and the models (their mappers configured), the main
window its own module and the page's it opens on (``main_window.landing_module``; the other
pages' modules load when those pages are first shown). Started once the login dialog is
painted (``show_then_preload``), they load while the password is typed and the key is derived
(argon2 releases the interpreter). Importing on another thread
is safe: Python's import locks serialise it with the UI thread, and nothing here creates a
widget.

``open_main_window``: the window built and shown first; the first readings after, and the
modules the desk needs soon (``SOON``) loaded on a thread.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession
    from caseworker.ui.main_window import MainWindow
    from caseworker.ui.tasks import TaskRunner

MAIN_WINDOW = "caseworker.ui.main_window"
# What the first minute at the desk needs soon after the window is up: the first readings'
# services, the front desk with its search, and its person view, form and payment dialog (each
# built on first use). Loaded on a thread once the window is shown, so the first use only builds.
SOON = (
    "caseworker.services.home",
    "caseworker.services.coverage",
    "caseworker.ui.views.front_desk",  # the search, one key (Ctrl+F) from the home page
    "caseworker.ui.views.person_view",
    "caseworker.ui.views.enrolment_form",
    "caseworker.ui.dialogs.payment_dialog",
)


def show_then_preload(first: QWidget) -> threading.Thread:
    """Show and paint the first window (the login dialog or the set-up wizard), then start
    the preload: started before, its imports would hold the interpreter while the dialog is
    built, and the clerk would wait longer to type."""
    first.show()
    first.repaint()
    QApplication.processEvents()
    return preload()


def preload(module: str = MAIN_WINDOW) -> threading.Thread:
    """Start importing ``module`` in a daemon thread; returns the thread (tests join it)."""
    thread = threading.Thread(target=_load, args=(module,), name="cw-preload", daemon=True)
    thread.start()
    return thread


def _load(module: str) -> None:
    # The models first, with their mappers configured (otherwise the login's first query
    # does it, on the thread waiting for the login): the login needs them before the window.
    from caseworker.store import models

    models.configure()
    loaded = importlib.import_module(module)
    landing = getattr(loaded, "landing_module", None)
    if landing is not None:
        importlib.import_module(landing())  # the page the window opens on


def load_soon(modules: tuple[str, ...] = SOON) -> threading.Thread:
    """Import ``modules`` in a daemon thread (after the window is shown)."""

    def load() -> None:
        for module in modules:
            importlib.import_module(module)

    thread = threading.Thread(target=load, name="cw-soon", daemon=True)
    thread.start()
    return thread


def open_main_window(session: OpenSession, runner: TaskRunner) -> MainWindow:
    """The launch: the window built and shown first, the pages' first readings after (they
    start once the event loop runs, with the window on screen and the search box usable)."""
    from caseworker.ui.main_window import MainWindow

    runner.hold()
    try:
        window = MainWindow(session, runner)
        window.show()
    finally:
        QTimer.singleShot(0, runner.release)
    QTimer.singleShot(0, load_soon)
    return window

"""Composition root of the desktop app: display check, Qt application, style, language,
set-up wizard or login, main window, and an orderly shutdown of the background runner."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from caseworker.logs import install_exception_hooks, install_logging
from caseworker.paths import DataPaths, resolve_data_dir
from caseworker.ui.display import display_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from caseworker.ui.tasks import TaskRunner


def run_gui(data_dir: str | None = None) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    paths = resolve_data_dir(data_dir)
    install_logging(paths.logs, "app")
    install_exception_hooks()  # an exception in a Qt slot or a thread: logged, redacted
    # Qt is imported only here: the command line never needs it.
    from PySide6.QtWidgets import QApplication

    from caseworker.ui.i18n import install_language, saved_language
    from caseworker.ui.style import apply_style
    from caseworker.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Caseworker")
    app.setOrganizationName("Caseworker")
    apply_style(app)
    install_language(app, saved_language())
    runner = TaskRunner()
    try:
        return _run(app, paths, runner)
    finally:
        runner.shutdown()


def _run(app: QApplication, paths: DataPaths, runner: TaskRunner) -> int:
    """First run: the set-up wizard (which logs the new administrator in); else the login."""
    from PySide6.QtWidgets import QDialog

    from caseworker.ui.launch import open_main_window, show_then_preload
    from caseworker.ui.login import LoginDialog

    # The first window shown, then the main window's modules load while the operator logs in.
    if not paths.exists():
        from caseworker.ui.wizard import SetupWizard

        wizard = SetupWizard(paths, runner)
        show_then_preload(wizard)
        accepted = wizard.exec() == QDialog.DialogCode.Accepted
        session = wizard.session
        if not accepted or session is None:
            if session is not None:
                session.close()
            return 0
    else:
        dialog = LoginDialog(paths, runner)
        show_then_preload(dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            return 0
        session = dialog.session
    window = open_main_window(session, runner)
    try:
        return app.exec()
    finally:
        runner.shutdown()  # let running jobs finish before the database closes under them
        window.session.close()  # another operator may have logged in at the lock screen

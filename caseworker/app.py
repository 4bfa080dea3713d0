"""Composition root of the desktop app: display check, login, main window."""

from __future__ import annotations

import sys

from caseworker.paths import resolve_data_dir
from caseworker.ui.display import display_problem


def run_gui(data_dir: str | None = None) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from caseworker.ui.login import LoginDialog
    from caseworker.ui.main_window import MainWindow
    from caseworker.ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Caseworker")
    app.setOrganizationName("Caseworker")
    apply_style(app)
    paths = resolve_data_dir(data_dir)
    dialog = LoginDialog(paths)
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.session is None:
        return 0
    window = MainWindow(dialog.session)
    window.show()
    status = app.exec()
    dialog.session.close()
    return status

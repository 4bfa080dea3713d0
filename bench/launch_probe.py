"""Child process for the launch benchmark: log in, build the main window, paint it.

Prints the seconds from ``--started`` (the parent's clock just before it spawned this
process, so interpreter start and imports count) to the first painted, usable window, then
the CPU seconds this process used until then (every thread), then 1 if the window is usable.
"""

from __future__ import annotations

import argparse
import resource
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--started", type=float, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from caseworker.ui.launch import open_main_window, preload

    preload()  # as the app does while its login dialog is up (caseworker.app)
    from caseworker.paths import DataPaths

    try:
        from caseworker.services.login import login  # as the login dialog does (ui/login_panel)
    except ImportError:  # a checkout from before services.login (``bench.launch --before``)
        from caseworker.services.centre import login
    from caseworker.ui.style import apply_style
    from caseworker.ui.tasks import TaskRunner

    app = QApplication([])
    apply_style(app)
    runner = TaskRunner()
    session = login(DataPaths(__import__("pathlib").Path(args.data_dir)), args.user, args.password)
    window = open_main_window(session, runner)  # as the app opens it (caseworker.app)
    window.repaint()
    app.processEvents()
    # The page it opens on, ready (今日 now, the front desk's search before it).
    usable = window.isVisible() and window.stack.currentWidget().isEnabled()
    elapsed = time.time() - args.started
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{elapsed:.4f} {used.ru_utime + used.ru_stime:.4f} {int(usable)}", flush=True)
    window.close()
    runner.shutdown()
    session.close()


if __name__ == "__main__":
    main()

"""Child process for ``bench.launch --phases``: the launch as the clerk lives it.

1. process start → the login dialog painted with the password field enabled (the clerk can
   type): ``dialog``;
2. the clerk types the password: the probe waits for the preload thread (the modules the
   main window needs, loading while the password is typed) and reports how long it took
   from the dialog (``typing``: a password typed faster than this would wait for it);
3. Enter → the main window painted and the page it opens on (今日) usable: ``after_enter`` (the key
   derivation, the login transaction, the window and its first screen).

Prints ``dialog typing after_enter cpu usable`` (seconds; CPU of every thread until the
window is usable; 1 if usable).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--started", type=float, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from caseworker.paths import DataPaths
    from caseworker.ui.launch import open_main_window, show_then_preload
    from caseworker.ui.login import LoginDialog
    from caseworker.ui.style import apply_style
    from caseworker.ui.tasks import TaskRunner

    app = QApplication([])
    apply_style(app)
    runner = TaskRunner()
    dialog = LoginDialog(DataPaths(Path(args.data_dir)), runner)
    loading = show_then_preload(dialog)  # as caseworker.app shows it
    assert dialog.isVisible() and dialog.password.isEnabled()
    shown = time.time()
    loading.join()  # the clerk typing
    typed = time.time()
    dialog.username.setText(args.user)
    dialog.password.setText(args.password)
    entered = time.time()
    dialog.try_login()
    while dialog.session is None:  # the login runs on the runner, as at the desk
        app.processEvents()
        time.sleep(0.001)
    window = open_main_window(dialog.session, runner)
    window.repaint()
    app.processEvents()
    usable = window.isVisible() and window.stack.currentWidget().isEnabled()  # 今日
    done = time.time()
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"{shown - args.started:.4f} {typed - shown:.4f} {done - entered:.4f} "
        f"{used.ru_utime + used.ru_stime:.4f} {int(usable)}",
        flush=True,
    )
    window.close()
    runner.shutdown()
    dialog.session.close()


if __name__ == "__main__":
    main()

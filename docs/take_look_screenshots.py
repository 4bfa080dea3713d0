"""Screenshots of the visual system at a township laptop's 1366×768: the person page before and
after the stylesheet and icons, and the same page at the clerk's larger text (Chinese).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/take_look_screenshots.py
    # the "before" picture: the same script with the previous commit's code first on the path
    PYTHONPATH=../before xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python docs/take_look_screenshots.py before

A demo centre is built in a temporary folder; the clerk logs in, searches and opens a person.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.ui.main_window import MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner

OUT = Path(__file__).resolve().parent / "screenshots"


def wait(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, ms: int = 8000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, name: str) -> None:
    wait(300)
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"{name}.png")


def person_page(
    app: QApplication, paths: DataPaths, runner: TaskRunner, name: str, *, payment: str = ""
) -> None:
    """The clerk's window filling the laptop's screen, a search for 王 and its first person;
    with ``payment``, that person's payment dialog too (saved under that name)."""
    window = MainWindow(login(paths, "clerk", DEMO_PASSWORD), runner)
    screen = app.primaryScreen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    wait(800)
    desk = window.front_desk
    desk.search.search_box.setText("王")
    wait_for(desk.search.searched)
    desk.open_person(desk.search.model.row(0).id)
    wait_for(desk.person.loaded)
    save(window, name)
    if payment:
        desk.record_payment(desk.search.model.row(0).id)
        dialog = desk.payment_dialog
        wait(1500)
        dialog.method.setFocus()  # the focus ring, on a combo box
        save(dialog, payment)
        dialog.reject()
    session = window.session
    window.close()
    session.close()


def main() -> None:
    before = sys.argv[1:] == ["before"]
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        paths = DataPaths(Path(folder) / "demo")
        build_demo_centre(paths, persons=600, today=date(2026, 11, 27))
        if before:
            person_page(app, paths, runner, "look-before-person-zh")
        else:
            from caseworker.ui.preferences import TEXT_SIZE

            person_page(app, paths, runner, "look-after-person-zh")
            session = login(paths, "clerk", DEMO_PASSWORD)
            TEXT_SIZE.of(session.actor.operator_id).put("large")
            session.close()
            person_page(
                app, paths, runner, "large-text-person-zh", payment="large-text-payment-dialog-zh"
            )
    runner.shutdown()


if __name__ == "__main__":
    main()

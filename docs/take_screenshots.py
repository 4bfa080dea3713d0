"""Screenshots of the real windows for docs/screenshots/, in Chinese and in English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_screenshots.py

A demo centre is built in a temporary folder; every screen is driven through its widgets the way
a clerk would, waiting for the background work each one starts.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.ui.i18n import install_language
from caseworker.ui.login import LoginDialog
from caseworker.ui.main_window import PAGES, MainWindow
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


def type_chinese(widget: QWidget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@contextmanager
def scratch_app() -> Iterator[tuple[QApplication, TaskRunner, Path]]:
    """The application, a runner and a scratch folder that also holds the operator
    preferences (window size, language), never the user's; all gone afterwards."""
    OUT.mkdir(exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    try:
        with tempfile.TemporaryDirectory() as folder:
            QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
            yield app, runner, Path(folder)
    finally:
        runner.shutdown()
    print(f"screenshots written to {OUT}")


def main_window(paths: DataPaths, runner: TaskRunner, user: str, page: str) -> MainWindow:
    """A demo operator's main window at 1400×860, showing ``page``."""
    window = MainWindow(login(paths, user, DEMO_PASSWORD), runner)
    window.resize(1400, 860)
    window.show()
    wait(800)
    window.show_page(PAGES.index(page))
    return window


def save(widget: QWidget, name: str, lang: str) -> None:
    wait(300)
    widget.grab().save(str(OUT / f"{name}-{lang}.png"))


def fill_form(form, name: str, phone: str) -> None:
    person = form.person
    person.id_number.setText(make_id_number("320281", date(1972, 8, 14), 36))
    type_chinese(person.name, name)
    person.phone.setText(phone)
    person.hukou_nature.setCurrentIndex(max(person.hukou_nature.findData("family_farm"), 0))
    person.cascade.set_code("320281103201")
    person.hukou_address.end(False)
    type_chinese(person.hukou_address, "5组23号")
    type_chinese(person.residence_address, "青阳镇文化路8号")
    person.category.setCurrentIndex(max(person.category.findData("farmer"), 0))
    person.groups["dibao"].setChecked(True)
    person.bank_account.setText("6222 0202 0011 2345 679")
    rows = form.schemes.rows
    rows["resident_pension"].check.setChecked(True)
    tier = rows["resident_pension"].tier
    tier.setCurrentIndex(max(tier.findData(50000), 0))
    rows["resident_medical"].check.setChecked(True)
    for box in form.documents.boxes.values():
        box.setChecked(True)
    wait(600)


def shoot(app: QApplication, paths: DataPaths, runner: TaskRunner, lang: str) -> None:
    install_language(app, lang)
    dialog = LoginDialog(paths, runner)
    dialog.username.setText("clerk")
    dialog.password.setText("not the password")
    dialog.show()
    dialog.try_login()
    wait(1500)
    save(dialog, "login", lang)
    dialog.close()

    window = main_window(paths, runner, "clerk", "front_desk")
    session = window.session
    desk = window.front_desk
    desk.search.search_box.setText("王")
    wait_for(desk.search.searched)
    save(window, "search", lang)

    desk.open_person(desk.search.model.row(0).id)
    wait_for(desk.person.loaded)
    save(window, "person", lang)

    window.new_enrolment()
    wait(600)
    fill_form(desk.form, "陈秀英", "139 1234 5678")
    save(window, "enrolment-form", lang)
    desk.form.new()  # start again without the leave-the-form question
    desk.new_enrolment()
    wait(600)
    fill_form(desk.form, "陈", "2345")
    desk.form.save()
    wait(1500)
    save(window, "enrolment-error", lang)
    desk.form.new()  # leave nothing half-typed behind (drafts are discarded with the folder)

    window.show_page(PAGES.index("employers"))
    wait_for(window.employers.listed)
    window.employers.table.selectRow(0)
    wait(800)
    save(window, "employers", lang)

    window.show_page(PAGES.index("sync"))
    wait(800)
    save(window, "sync", lang)
    window.close()
    session.close()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as folder:
        # Operator preferences (window size, language) go to the scratch folder, not the user's.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        paths = DataPaths(Path(folder) / "demo")
        build_demo_centre(paths, persons=600, today=date(2026, 11, 27))
        for lang in ("zh", "en"):
            shoot(app, paths, runner, lang)
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

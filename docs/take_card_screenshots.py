"""Screenshots of the desk's ID card reader (issue 12) for docs/screenshots/, in Chinese and
English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_card_screenshots.py

A real centre and the real serial reader against the simulated reader on a pseudo-terminal
pair (a synthetic card): the enrolment form filled from the card placed on the search
(card-form-*.png), the same card expired (card-expired-*.png), and the reader's settings
after "test the reader" (card-reader-settings-*.png).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the docs' helpers

from PySide6.QtWidgets import QApplication

from caseworker.devices.reader import SERIAL
from caseworker.devices.simulator import SimulatedReader, demo_card
from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.preferences import CARD_READER_KIND, CARD_READER_PORT
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, scratch_app, wait, wait_for

CLERK = ("clerk", "clerk pass 22")


def wait_until(condition: Callable[[], bool], seconds: float = 10, what=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"the screenshot's state never came {what()}")
        wait(100)


def a_centre(folder: Path) -> DataPaths:
    paths = DataPaths(folder)
    admin = setup_centre(
        paths,
        centre_code="320281103",
        centre_name="江阴市青阳镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    add_operator(admin, username=CLERK[0], password=CLERK[1], role=Role.CLERK, display_name="张敏")
    admin.close()
    return paths


def shoot(app: QApplication, runner: TaskRunner, paths: DataPaths, lang: str) -> None:
    install_language(app, lang)
    with SimulatedReader() as reader:
        CARD_READER_KIND.put(SERIAL)
        CARD_READER_PORT.put(reader.port)
        clerk = login(paths, *CLERK)
        window = MainWindow(clerk, runner)
        window.resize(1400, 900)
        window.show()
        wait(500)
        if window.drafts_dialog is not None:
            window.drafts_dialog.reject()  # the other language's demo form, not work to keep
        window.show_page(PAGES.index("front_desk"))
        desk = window.front_desk
        card = demo_card()
        reader.place(card)
        wait_until(
            lambda: desk.form is not None and desk.form.person.name.text() == card.name,
            what=lambda: (
                desk.stack.currentWidget(),
                desk.notice.text(),
                window.card_watcher.config,
            ),
        )
        save(window, "card-form", lang)

        reader.remove()
        wait(1200)  # the reader is seen empty, so the same number is announced again
        reader.place(replace(card, valid_to=date(2024, 6, 1)))
        wait_until(lambda: desk.form.banner.kind == "warning")
        save(window, "card-expired", lang)

        window.show_page(PAGES.index("settings"))
        box = window.settings_page.card_reader
        box.test_button.click()
        wait_for(window.card_watcher.tested)
        wait(300)
        save(window, "card-reader-settings", lang)
        window._may_close = True  # the filled form is a demo, not work to keep
        window.close()
        clerk.close()


def main() -> None:
    with scratch_app() as (app, runner, folder):
        paths = a_centre(folder / "centre")
        for lang in sys.argv[1:] or ("zh", "en"):
            shoot(app, runner, paths, lang)


if __name__ == "__main__":
    main()

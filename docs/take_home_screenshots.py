"""Screenshots at 1366×768 (a township laptop) for docs/screenshots/: 今日 (the home page), the
enrolment form and the payment dialog, in Chinese and in English.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/take_home_screenshots.py

Everything is real: a demo centre of 300 people, then a day at the desk written through the
services (``tests/home_data.py``: the clerk's enrolments and receipts, one voided, the
supervisor's, yesterday's takings not closed) and a record the supervisor sent back. The
window takes the screen less a 40-pixel taskbar, as a maximised window on Windows does.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers
# The X server's 1366×768 screen: the tests' helpers would otherwise pick the offscreen
# platform (tests/conftest.py), whose screen is 800×800.
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services import review
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.drafts import DraftStore
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from docs.take_screenshots import fill_form, save, scratch_app, wait, wait_for
from tests.home_data import seed_day

TASKBAR = 40


def laptop_size(app: QApplication) -> QSize:
    return app.primaryScreen().availableGeometry().size() - QSize(0, TASKBAR)


def shoot(app: QApplication, paths: DataPaths, runner, lang: str, person_id) -> None:
    install_language(app, lang)
    window = MainWindow(login(paths, "supervisor", DEMO_PASSWORD), runner)
    window.resize(laptop_size(app))
    window.move(0, 0)
    window.show()
    wait_for(window.status_refreshed)
    wait(800)
    save(window, "home-1366", lang)

    window.new_enrolment()
    wait(600)
    fill_form(window.front_desk.form, "陈秀英", "139 1234 5678")
    save(window, "enrolment-form-1366", lang)
    window.front_desk.form.new()  # leave without the keep-a-draft question
    drafts = DraftStore(paths, window.session.database_key)
    for draft in drafts.pending():  # the typing's own draft: not to be offered next time
        drafts.delete(draft.draft_id)

    window.show_page(PAGES.index("home"))
    dialog = PaymentDialog(window.session, runner, person_id, window)
    dialog.show()
    wait(1500)
    dialog.rows[0].check.setChecked(True)
    wait(300)
    save(dialog, "payment-dialog-1366", lang)
    dialog.close()
    session = window.session
    window.close()
    session.close()


def main() -> None:
    with scratch_app() as (app, runner, folder):
        paths = DataPaths(folder / "centre")
        today = date.today()
        build_demo_centre(paths, persons=300, today=today)
        clerk = login(paths, "clerk", DEMO_PASSWORD)
        supervisor = login(paths, "supervisor", DEMO_PASSWORD)
        try:
            seed_day(clerk, supervisor, today)
            item = next(
                i
                for i in review.review_items(supervisor.database, supervisor.actor, today)
                if i.entity_type == "payment" and i.person_id is not None
            )
            review.send_back(supervisor.database, supervisor.actor, item.seq, "收费方式请核对")
            # Someone enrolled today with nothing paid yet: the payment dialog's person.
            from caseworker.services.enrolment import EnrolmentChoice, enrol
            from tests.services.test_enrolment import farmer

            person_id = enrol(
                clerk.database,
                clerk.actor,
                farmer(id_number=make_id_number("320583", date(1973, 5, 5), 2), name="程咬金"),
                [
                    EnrolmentChoice("resident_pension", tier_fen=30_000),
                    EnrolmentChoice("resident_medical"),
                ],
                today=today,
            ).person_id
        finally:
            clerk.close()
            supervisor.close()
        for lang in ("zh", "en"):
            shoot(app, paths, runner, lang, person_id)


if __name__ == "__main__":
    main()

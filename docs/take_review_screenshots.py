"""Screenshots of the daily close and the end-of-day review (issue 9), Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_review_screenshots.py

Everything is real: an encrypted centre in a scratch folder, a clerk's day of enrolments and
payments, a supervisor who approves some of it and sends one back; the close dialog with a
difference and its note; the clerk's front page with what was sent back; and the daily
report (收缴日报表) with the close, rendered from its PDF with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.day_close import close_day
from caseworker.services.documents import daily_report_pdf
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.review import approve, review_items, send_back
from caseworker.services.validation import PersonInput
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, type_chinese, wait, wait_for

OUT = Path(__file__).resolve().parent / "screenshots"
PEOPLE = (("王秀英", "wechat"), ("李建国", "cash"), ("张桂兰", "cash"), ("欧阳娜娜", "cash"))


def centre_day(folder: Path):
    """A clerk's day at a centre with review on; the supervisor's and the clerk's sessions."""
    paths = DataPaths(folder / "centre")
    admin = setup_centre(
        paths,
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    add_operator(
        admin, username="clerk", display_name="李敏", password="clerk pass 22", role=Role.CLERK
    )
    add_operator(
        admin,
        username="boss",
        display_name="张主任",
        password="super pass 333",
        role=Role.SUPERVISOR,
    )
    admin.close()
    clerk = login(paths, "clerk", "clerk pass 22")
    boss = login(paths, "boss", "super pass 333")
    for n, (name, method) in enumerate(PEOPLE):
        person_id = enrol(
            clerk.database,
            clerk.actor,
            PersonInput(
                id_number=make_id_number("320583", date(1962 + 3 * n, 2 + n, 9 + n), 121 + 2 * n),
                name=name,
                hukou_village_code="320583101201",
                hukou_nature="family_farm",
                employment_category="farmer",
            ),
            [
                EnrolmentChoice("resident_pension", tier_fen=50_000),
                EnrolmentChoice("resident_medical"),
            ],
        ).person_id
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=person_id,
            scheme="resident_pension",
            method=method,
        )
    items = review_items(boss.database, boss.actor, date.today())
    approve(boss.database, boss.actor, [i.seq for i in items[:4]])
    send_back(boss.database, boss.actor, items[4].seq, "户籍地址与户口簿不符，请核对后更正")
    return clerk, boss


def shoot(app: QApplication, runner: TaskRunner, clerk, boss, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(boss, runner)
    window.resize(1400, 820)
    window.show()
    wait(600)
    window.show_page(PAGES.index("review"))
    page = window.review_page
    wait_for(page.loaded)
    page.table.selectRow(5)
    page.comment.setText("")
    save(window, "review", lang)

    page.tabs.setCurrentIndex(1)
    page.close_table.selectRow(0)
    save(window, "review-close", lang)
    page.close_button.click()
    wait(800)
    dialog = page.close_dialog
    dialog.counted.setText("1,490.00")
    type_chinese(
        dialog.note, "少收10元，经办员李敏当场补交" if lang == "zh" else "10 yuan short; paid in"
    )
    save(dialog, "daily-close", lang)
    dialog.reject()
    window.close()

    window = MainWindow(clerk, runner)
    window.resize(1400, 820)
    window.show()
    wait_for(window.front_desk.returned.loaded)
    wait(400)
    save(window, "review-returned", lang)
    window.close()


def render_daily_report(boss, folder: Path) -> None:
    close_day(
        boss.database,
        boss.actor,
        operator_id=login_id(boss, "clerk"),
        day=date.today(),
        counted_cash_fen=149_000,
        note="少收10元，经办员李敏当场补交",
    )
    pdf = folder / "daily.pdf"
    pdf.write_bytes(daily_report_pdf(boss.database, date.today()).pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-singlefile",
            str(pdf),
            str(OUT / "print-daily-report-close"),
        ],
        check=True,
    )


def login_id(session, username: str):
    from sqlalchemy import select

    from caseworker.store.models import Operator

    with session.database.reading() as db:
        return db.scalar(select(Operator.id).where(Operator.username == username))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        clerk, boss = centre_day(folder)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, clerk, boss, lang)
            render_daily_report(boss, folder)
        finally:
            clerk.close()
            boss.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

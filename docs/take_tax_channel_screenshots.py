"""Screenshots of the payment-channel screens (issue 9) for docs/screenshots/, in Chinese and
English, and the rendered remittance list.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_tax_channel_screenshots.py

A centre is set up in a scratch folder: a clerk takes cash at the desk for three people (one
receipt voided by the supervisor) and records one payment made through the tax app. The
tax-payment dialog is shown with a refusal beside its field, the supervisor matches a tax list
(GB18030 CSV) with lines unmatched on both sides and a row Excel spoilt, and the day's
remittance list is rendered with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.remittance import remittance_pdf
from caseworker.services.tax_list import match_tax_list
from caseworker.services.tax_payments import record_tax_payment
from caseworker.ui.dialogs.tax_list_dialog import TaxListMatchDialog
from caseworker.ui.dialogs.tax_payment_dialog import TaxPaymentDialog
from caseworker.ui.i18n import install_language
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import OUT, save, type_chinese, wait
from tests.services.test_enrolment import farmer

DAY = date.today()
PEOPLE = [
    (make_id_number("320583", date(1968, 3, 8), 31), "单雄信", 50_000),
    (make_id_number("320583", date(1975, 5, 5), 22), "欧阳娜娜", 30_000),
    (make_id_number("320583", date(1982, 9, 1), 43), "买买提·艾力", 100_000),
]
STRANGER = make_id_number("320583", date(1990, 9, 9), 61)


def build(folder: Path):
    paths = DataPaths(folder / "centre")
    admin = setup_centre(
        paths,
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    add_operator(
        admin, username="clerk", password="clerk pass 22", role=Role.CLERK, display_name="李晓梅"
    )
    add_operator(
        admin, username="supervisor", password="super pass 333", role=Role.SUPERVISOR,
        display_name="王建国",
    )  # fmt: skip
    admin.close()
    clerk = login(paths, "clerk", "clerk pass 22")
    supervisor = login(paths, "supervisor", "super pass 333")
    ids = []
    for number, name, tier in PEOPLE:
        person = enrol(
            clerk.database,
            clerk.actor,
            farmer(id_number=number, name=name),
            [
                EnrolmentChoice("resident_pension", tier_fen=tier),
                EnrolmentChoice("resident_medical"),
            ],
            today=DAY,
        ).person_id
        ids.append(person)
    receipts = [
        record_payment(
            clerk.database, clerk.actor, person_id=p, scheme="resident_pension", today=DAY
        ).receipt_number
        for p in ids
    ]
    record_payment(
        clerk.database, clerk.actor, person_id=ids[0], scheme="resident_medical", today=DAY
    )
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=receipts[2],
        reason="档次选错，重新收取",
    )
    record_tax_payment(
        clerk.database,
        clerk.actor,
        person_id=ids[1],
        scheme="resident_medical",
        period_start=date(DAY.year, 1, 1),
        method="tax_app",
        voucher_number="332026112600000017",
        paid_on=DAY,
        today=DAY,
    )
    return clerk, supervisor, ids


def tax_list(folder: Path) -> Path:
    year = DAY.year
    path = folder / "税务缴费清单.csv"
    lines = [
        "城乡居民社会保险费缴费明细",
        "证件号码,缴费人姓名,征收品目,费款所属期,缴费金额（元）,电子税票号码,入库日期",
        f"{PEOPLE[0][0]},单雄信,城乡居民基本养老保险费,{year},500.00,332026112700000101,{DAY}",
        f"{PEOPLE[1][0]},欧阳娜娜,城乡居民基本养老保险费,{year},300.00,332026112700000102,{DAY}",
        f"{PEOPLE[1][0]},欧阳娜娜,城乡居民基本医疗保险费,{year},400.00,332026112600000017,{DAY}",
        f"{STRANGER},钱多多,城乡居民基本养老保险费,{year},200.00,332026112700000103,{DAY}",
        f"3.20583E+17,孙悟空,城乡居民基本养老保险费,{year},500.00,332026112700000104,{DAY}",
    ]
    path.write_bytes("\n".join(lines).encode("gb18030"))
    return path


def shoot(app: QApplication, runner: TaskRunner, clerk, supervisor, ids, listed, lang: str) -> None:
    install_language(app, lang)
    dialog = TaxPaymentDialog(clerk, runner, ids[2], today=lambda: DAY)
    dialog.show()
    wait(900)
    dialog.scheme.setCurrentIndex(1)
    dialog.channel.setCurrentIndex(dialog.channel.findData("wechat"))
    type_chinese(dialog.voucher, "3320261127000002号")
    dialog.paid_on.setDate(QDate(DAY.year, DAY.month, DAY.day))
    dialog.amount.setText("380")
    dialog.confirm()
    wait(900)
    save(dialog, "tax-payment", lang)
    dialog.close()

    result = match_tax_list(supervisor.database, supervisor.actor, listed)
    matched = TaxListMatchDialog(result)
    matched.show()
    wait(600)
    save(matched, "tax-list-match", lang)
    matched.close()


def render_remittance(supervisor, folder: Path) -> None:
    pdf = folder / "remittance.pdf"
    pdf.write_bytes(remittance_pdf(supervisor.database, supervisor.actor, DAY).pdf)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(OUT / "print-remittance")],
        check=True,
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        clerk, supervisor, ids = build(folder)
        listed = tax_list(folder)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, clerk, supervisor, ids, listed, lang)
            render_remittance(supervisor, folder)
        finally:
            clerk.close()
            supervisor.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

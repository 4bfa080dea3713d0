"""Screenshots of the payment dialog (issue 9) and the visit receipt, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_payment_screenshots.py

Everything is real: a scratch centre in the demo province, a household of two (the payer
with the residents' pension and medical insurance, his wife with medical insurance), the
pension already paid for the year being collected (so it shows as paid, with its receipt,
and only the arrears the province allows are offered), on 1 December 2026 (medical insurance
collects 2027). The receipt is the one a whole visit gets, rendered with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services import documents
from caseworker.services.centre import setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import VisitLine, record_payment, record_visit_payment
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.i18n import install_language
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, wait
from tests.services.test_contribution_periods import _household
from tests.services.test_enrolment import farmer

OUT = Path(__file__).resolve().parent / "screenshots"
DAY = date(2026, 12, 1)


def household(folder: Path):
    session = setup_centre(
        DataPaths(folder / "centre"),
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
        admin_display_name="王经办",
    ).session
    home = _household(session)
    both = [
        EnrolmentChoice("resident_pension", tier_fen=50_000),
        EnrolmentChoice("resident_medical"),
    ]
    head = enrol(
        session.database,
        session.actor,
        farmer(household_id=home, relationship_to_head="02"),
        both,
        today=DAY,
    ).person_id
    wife = enrol(
        session.database,
        session.actor,
        farmer(
            id_number="320583198202020245",
            name="秦琼",
            household_id=home,
            relationship_to_head="10",
            employment_category="flexible",
        ),
        [
            EnrolmentChoice("resident_medical"),
            EnrolmentChoice("employee_pension_flexible", base_fen=450_000),
        ],
        today=DAY,
    ).person_id
    return session, head, wife


def dialog_shots(app: QApplication, runner: TaskRunner, session, head) -> None:
    for lang in ("zh", "en"):
        install_language(app, lang)
        dialog = PaymentDialog(session, runner, head, today=lambda: DAY)
        dialog.resize(960, 500)
        dialog.show()
        wait(1200)
        dialog.rows[2].check.setChecked(True)  # the wife's medical insurance too
        dialog.rows[0].period.setCurrentIndex(1)  # last year's pension, paid late
        dialog.rows[0].check.setChecked(True)
        save(dialog, "payment-dialog", lang)
        dialog.close()


def receipt_shot(session, head, wife) -> None:
    (receipt,) = record_visit_payment(
        session.database,
        session.actor,
        [
            VisitLine(head, "resident_pension", date(2025, 1, 1)),
            VisitLine(head, "resident_medical"),
            VisitLine(wife, "resident_medical"),
            VisitLine(wife, "employee_pension_flexible", months=3),
        ],
        today=DAY,
    )
    with tempfile.TemporaryDirectory() as scratch:
        pdf = Path(scratch) / "receipt.pdf"
        pdf.write_bytes(documents.receipt_pdf(session.database, receipt.receipt_number).pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-singlefile",
                str(pdf),
                str(OUT / "print-receipt-visit"),
            ],
            check=True,
        )


def sample_receipts() -> None:
    """The README's A5 copy (副本) and 80 mm void, from the printing tests' samples."""
    import dataclasses

    from caseworker.printing.fonts import load_chain
    from caseworker.printing.receipt import build_receipt
    from tests.printing import samples

    chain = load_chain()
    shots = {
        "print-receipt-a5": (dataclasses.replace(samples.visit_receipt(), reprint=True), "a5"),
        "print-receipt-roll80": (samples.receipt(void=samples.VOID), "roll80"),
    }
    with tempfile.TemporaryDirectory() as scratch:
        for name, (data, paper) in shots.items():
            pdf = Path(scratch) / f"{name}.pdf"
            pdf.write_bytes(build_receipt(data, chain, paper=paper).pdf)
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(OUT / name)],
                check=True,
            )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        session, head, wife = household(Path(scratch))
        try:
            # This year's pension was paid at an earlier visit: the dialog shows it as paid.
            record_payment(
                session.database,
                session.actor,
                person_id=head,
                scheme="resident_pension",
                today=DAY,
            )
            dialog_shots(app, runner, session, head)
            receipt_shot(session, head, wife)
            sample_receipts()
        finally:
            session.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

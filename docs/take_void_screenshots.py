"""Screenshots of voiding a receipt (issue 9) for docs/screenshots/, in Chinese and English.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/take_void_screenshots.py

A real centre with a clerk and a supervisor: the clerk's session opens the void dialog of a
receipt and the supervisor's credentials are typed into it (void-dialog-zh/-en.png); the
receipt is then voided and its void slip rendered with pdftoppm (print-void-slip.png).
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
from caseworker.services.actor import Permission, Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.reauth import authorise
from caseworker.services.void_slips import void_slip_pdf
from caseworker.ui.dialogs.void_dialog import VoidDialog
from caseworker.ui.i18n import install_language
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import OUT, save, type_chinese, wait
from tests.services.test_enrolment import farmer

CLERK, SUPERVISOR = ("clerk", "clerk pass 22"), ("lead", "lead pass 333")
REASON = {"zh": "档次录错，应为300元档", "en": "wrong tier, should be 300 yuan"}


def a_receipt(folder: Path):
    """The clerk's session and a receipt of theirs, with 单雄信's pension paid."""
    admin = setup_centre(
        DataPaths(folder),
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    add_operator(admin, username=CLERK[0], password=CLERK[1], role=Role.CLERK, display_name="张敏")
    add_operator(
        admin,
        username=SUPERVISOR[0],
        password=SUPERVISOR[1],
        role=Role.SUPERVISOR,
        display_name="李审核",
    )
    admin.close()
    clerk = login(DataPaths(folder), *CLERK)
    person = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=date.today(),
    ).person_id
    number = record_payment(
        clerk.database, clerk.actor, person_id=person, scheme="resident_pension"
    ).receipt_number
    return clerk, number


def shoot(app: QApplication, runner: TaskRunner, clerk, number: str, lang: str) -> None:
    install_language(app, lang)
    dialog = VoidDialog(clerk, runner, number)
    dialog.show()
    wait(800)
    dialog.resize(640, dialog.sizeHint().height())
    type_chinese(dialog.reason, REASON[lang])
    dialog.username.setText(SUPERVISOR[0])
    dialog.password.setText(SUPERVISOR[1])
    dialog.confirm_button.setFocus()
    save(dialog, "void-dialog", lang)
    dialog.close()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        clerk, number = a_receipt(Path(scratch) / "centre")
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, clerk, number, lang)
            supervisor = authorise(clerk, *SUPERVISOR, Permission.VOID_PAYMENT)
            void_payment(clerk.database, supervisor, receipt_number=number, reason=REASON["zh"])
            pdf = Path(scratch) / "slip.pdf"
            pdf.write_bytes(void_slip_pdf(clerk.database, number, paper="a5").pdf)
            stem = Path(scratch) / "slip"
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", pdf, stem], check=True)
            (OUT / "print-void-slip.png").write_bytes(stem.with_suffix(".png").read_bytes())
        finally:
            clerk.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

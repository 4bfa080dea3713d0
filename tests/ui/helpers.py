"""Small helpers for driving real widgets in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.centre_settings import RECEIPT_PAPER, change_setting
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.validation import PersonInput
from tests.prepared import prepared_folder


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit ``text`` as an input method would (keyClicks cannot type Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def demo_session(root: Path, persons: int = 200) -> OpenSession:
    """A small, deterministic demo centre, logged in as its clerk (a copy of one built once
    per test process: see tests/prepared.py)."""
    paths = DataPaths(root)
    prepared_folder(root, ("demo", persons, date.today()), _demo(persons))
    return login(paths, "clerk", DEMO_PASSWORD)


def _demo(persons: int) -> Callable[[DataPaths], object]:
    return lambda paths: build_demo_centre(paths, persons=persons, seed=1, today=date.today())


# A person the audit demo registers, then corrects: full numbers the audit screen must mask.
AUDIT_ID_NUMBER = make_id_number("320281", date(1972, 8, 14), 36)
AUDIT_PHONES = ("13812345678", "13987654321")
AUDIT_BANK_CARD = "6222021234567890123"


def audit_demo_centre(root: Path, persons: int = 40) -> DataPaths:
    """A demo centre whose audit trail has a bit of everything: enrolments and payments by
    the clerk, a person corrected (phone and bank card), a receipt voided by the supervisor,
    a centre setting changed by the administrator."""
    paths = DataPaths(root)
    prepared_folder(root, ("audit demo", persons, date.today()), _audit_demo(persons))
    return paths


def _audit_demo(persons: int) -> Callable[[DataPaths], object]:
    return lambda paths: _build_audit_demo(paths, persons)


def _build_audit_demo(paths: DataPaths, persons: int) -> None:
    build_demo_centre(paths, persons=persons, seed=1, today=date.today())
    clerk = login(paths, "clerk", DEMO_PASSWORD)
    try:
        person = PersonInput(
            id_number=AUDIT_ID_NUMBER,
            name="欧阳娜娜",
            phone=AUDIT_PHONES[0],
            hukou_nature="family_farm",
            hukou_village_code="320281103201",
            employment_category="farmer",
        )
        choices = [EnrolmentChoice("resident_pension", tier_fen=50_000)]
        enrolled = enrol(clerk.database, clerk.actor, person, choices)
        receipt = record_payment(
            clerk.database, clerk.actor, person_id=enrolled.person_id, scheme="resident_pension"
        )
        corrected = replace(person, phone=AUDIT_PHONES[1], bank_account=AUDIT_BANK_CARD)
        enrol(clerk.database, clerk.actor, corrected, [])
    finally:
        clerk.close()
    supervisor = login(paths, "supervisor", DEMO_PASSWORD)
    try:
        void_payment(
            supervisor.database,
            supervisor.actor,
            receipt_number=receipt.receipt_number,
            reason="金额录错，重新收取",
        )
    finally:
        supervisor.close()
    admin = login(paths, "admin", DEMO_PASSWORD)
    try:
        change_setting(admin.database, admin.actor, RECEIPT_PAPER, "roll80")
    finally:
        admin.close()

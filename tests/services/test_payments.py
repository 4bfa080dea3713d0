"""Payments: amounts from the scheme rules, gapless receipt numbers, voids by supervisors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment, record_reprints, void_payment
from caseworker.services.registry import person_detail
from caseworker.store.models import AuditEntry, Payment, ReceiptCounter
from tests.conftest import CENTRE_CODE, CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer


@pytest.fixture
def clerk(centre: OpenSession) -> OpenSession:
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def enrolled(clerk: OpenSession):
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    )
    return result.person_id


def test_receipt_numbers_are_gapless_per_device_and_year(clerk: OpenSession, enrolled):
    first = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_pension", today=TODAY
    )
    second = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_medical", today=TODAY
    )
    assert first.receipt_number == f"{CENTRE_CODE}-01-2026-000001"
    assert second.receipt_number == f"{CENTRE_CODE}-01-2026-000002"
    # A failed payment (not enrolled) must not consume a number.
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=enrolled,
            scheme="employee_pension_flexible",
            today=TODAY,
        )
    assert caught.value.code == "not_enrolled"
    third = record_payment(
        clerk.database,
        clerk.actor,
        person_id=enrolled,
        scheme="resident_pension",
        today=TODAY.replace(year=2027, month=1),
    )
    assert third.receipt_number == f"{CENTRE_CODE}-01-2027-000001"
    # Nor does a refused second payment for a period already paid.
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database, clerk.actor, person_id=enrolled, scheme="resident_medical", today=TODAY
        )
    assert caught.value.code == "already_paid"
    other = enrol(
        clerk.database,
        clerk.actor,
        farmer(id_number="320583198202020245", name="秦琼"),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    fourth = record_payment(
        clerk.database, clerk.actor, person_id=other, scheme="resident_medical", today=TODAY
    )
    assert fourth.receipt_number == f"{CENTRE_CODE}-01-2026-000003"
    with clerk.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == 4
        counters = {c.year: c.last_sequence for c in db.scalars(select(ReceiptCounter))}
        assert counters == {2026: 3, 2027: 1}


def test_resident_pension_payment_carries_tier_subsidy_and_period(clerk: OpenSession, enrolled):
    receipt = record_payment(
        clerk.database,
        clerk.actor,
        person_id=enrolled,
        scheme="resident_pension",
        method="wechat",
        today=TODAY,
    )
    assert receipt.amount_fen == 50_000
    assert receipt.personal_fen == 50_000
    assert receipt.subsidy_fen > 0
    assert (str(receipt.period_start), str(receipt.period_end)) == ("2026-01-01", "2026-12-31")
    detail = person_detail(clerk.database, str(enrolled))
    (payment,) = detail.payments
    assert payment.receipt_number == receipt.receipt_number
    assert payment.method == "wechat"
    assert payment.operator_name == "clerk"


def test_reprints_are_audited_and_an_unknown_receipt_writes_nothing(clerk: OpenSession, enrolled):
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_pension", today=TODAY
    )
    with pytest.raises(NotFound):
        record_reprints(clerk.database, clerk.actor, [receipt.receipt_number, "no-such"])
    record_reprints(clerk.database, clerk.actor, [receipt.receipt_number])
    with clerk.database.reading() as db:
        actions = db.scalars(select(AuditEntry).where(AuditEntry.action == "payment.reprint")).all()
        assert verify_audit_chain(db).ok
    assert [(a.operator_name, a.detail["receipt_number"]) for a in actions] == [
        ("clerk", receipt.receipt_number)
    ]


def test_unknown_method_is_refused(clerk: OpenSession, enrolled):
    with pytest.raises(ValidationFailed) as caught:
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=enrolled,
            scheme="resident_pension",
            method="gold bars",
            today=TODAY,
        )
    assert caught.value.errors[0].field == "method"


def test_only_supervisors_void_and_a_reason_is_required(centre: OpenSession, clerk, enrolled):
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_pension", today=TODAY
    )
    with pytest.raises(PermissionDenied):
        void_payment(
            clerk.database, clerk.actor, receipt_number=receipt.receipt_number, reason="录错档次"
        )
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        with pytest.raises(ValidationFailed):
            void_payment(
                supervisor.database,
                supervisor.actor,
                receipt_number=receipt.receipt_number,
                reason=" ",
            )
        void_payment(
            supervisor.database,
            supervisor.actor,
            receipt_number=receipt.receipt_number,
            reason="录错档次",
        )
        with pytest.raises(ServiceError) as caught:
            void_payment(
                supervisor.database,
                supervisor.actor,
                receipt_number=receipt.receipt_number,
                reason="again",
            )
        assert caught.value.code == "already_void"
        (payment,) = person_detail(supervisor.database, str(enrolled)).payments
        assert payment.voided and payment.void_reason == "录错档次"
        with supervisor.database.reading() as db:
            assert verify_audit_chain(db).ok
    finally:
        supervisor.close()

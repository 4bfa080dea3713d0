"""Tax-channel payments: voucher instead of receipt, amounts from the rules, duplicates refused,
voids by supervisors through the same path as receipts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment
from caseworker.services.registry import person_detail
from caseworker.services.tax_payments import record_tax_payment, void_tax_payment
from caseworker.store.models import AuditEntry, OutboxEntry, Payment, ReceiptCounter
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

YEAR = date(2026, 1, 1)


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def enrolled(clerk: OpenSession):
    choices = [
        EnrolmentChoice("resident_pension", tier_fen=50_000),
        EnrolmentChoice("resident_medical"),
    ]
    return enrol(clerk.database, clerk.actor, farmer(), choices, today=TODAY).person_id


@pytest.fixture
def supervisor(centre: OpenSession):
    session = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    yield session
    session.close()


def pay_by_tax(session: OpenSession, person_id, **changes):
    fields = dict(
        person_id=person_id,
        scheme="resident_pension",
        period_start=YEAR,
        method="wechat",
        voucher_number="332026110000123456",
        paid_on=date(2026, 11, 20),
        today=TODAY,
    )
    fields.update(changes)
    return record_tax_payment(session.database, session.actor, **fields)


def counts(session: OpenSession) -> tuple[int, int, int]:
    with session.database.reading() as db:
        return (
            db.scalar(select(func.count()).select_from(Payment)),
            db.scalar(select(func.count()).select_from(OutboxEntry)),
            db.scalar(select(func.count()).select_from(AuditEntry)),
        )


def test_a_tax_payment_has_a_voucher_no_receipt_and_the_rules_amount(clerk, enrolled):
    paid = pay_by_tax(clerk, enrolled, voucher_number=" ３３２０２６１１００００１２３４５６ ")
    assert paid.voucher_number == "332026110000123456"  # full-width digits and spaces tidied
    assert (paid.amount_fen, paid.personal_fen) == (50_000, 50_000)
    assert (paid.period_start, paid.period_end) == (YEAR, date(2026, 12, 31))
    with clerk.database.reading() as db:
        row = db.get(Payment, paid.payment_id)
        assert row.channel == "tax" and row.method == "wechat"
        assert row.receipt_number is None and row.device_id is None
        assert row.receipt_year is None and row.receipt_sequence is None
        assert row.business_date == date(2026, 11, 20)
        outbox = db.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == paid.payment_id))
        assert outbox.operation == "create"
        assert outbox.payload["channel"] == "tax"
        assert outbox.payload["voucher_number"] == "332026110000123456"
        assert outbox.payload["receipt_number"] is None
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "payment.record_tax"))
        assert entry.operator_name == "clerk"
        assert verify_audit_chain(db).ok
        # No receipt number was taken: the desk's sequence has no gap.
        assert db.scalar(select(func.count()).select_from(ReceiptCounter)) == 0
    detail = person_detail(clerk.database, str(enrolled))
    (payment,) = detail.payments
    assert payment.channel == "tax" and payment.voucher_number == "332026110000123456"


def test_the_voucher_amount_must_be_what_the_rules_charge(clerk, enrolled):
    before = counts(clerk)
    with pytest.raises(ValidationFailed) as caught:
        pay_by_tax(clerk, enrolled, amount_fen=40_000)
    (problem,) = caught.value.errors
    assert problem.field == "amount"
    assert "400.00" in problem.message and "500.00" in problem.message
    assert "differs" in problem.message_en
    assert counts(clerk) == before
    assert pay_by_tax(clerk, enrolled, amount_fen=50_000).amount_fen == 50_000


def test_every_field_problem_is_named_at_once(clerk, enrolled):
    before = counts(clerk)
    with pytest.raises(ValidationFailed) as caught:
        pay_by_tax(
            clerk,
            enrolled,
            method="cash",
            voucher_number="凭证12",
            paid_on=date(2026, 12, 25),
            period_start=date(2026, 3, 1),
        )
    fields = {e.field: e for e in caught.value.errors}
    assert set(fields) == {"channel", "voucher_number", "paid_on", "period"}
    assert "凭" in fields["voucher_number"].message  # the bad characters are named
    assert fields["paid_on"].code == "future"
    assert "2026-01-01" in fields["period"].message
    assert counts(clerk) == before


@pytest.mark.parametrize(
    ("typed", "code"), [("", "empty"), ("12345", "bad_length"), ("A" * 41, "bad_length")]
)
def test_voucher_numbers_of_the_wrong_shape_are_refused(clerk, enrolled, typed, code):
    with pytest.raises(ValidationFailed) as caught:
        pay_by_tax(clerk, enrolled, voucher_number=typed)
    assert [(e.field, e.code) for e in caught.value.errors] == [("voucher_number", code)]


def test_the_same_voucher_twice_is_refused_naming_the_earlier_record(clerk, enrolled):
    pay_by_tax(clerk, enrolled)
    before = counts(clerk)
    with pytest.raises(ServiceError) as caught:
        pay_by_tax(clerk, enrolled, scheme="resident_medical")
    assert caught.value.code == "voucher_used"
    assert "2026-11-20" in caught.value.message and "单雄信" in caught.value.message
    assert counts(clerk) == before


def test_a_period_paid_at_the_desk_is_not_paid_again_by_tax(clerk, enrolled):
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_pension", today=TODAY
    )
    before = counts(clerk)
    with pytest.raises(ServiceError) as caught:
        pay_by_tax(clerk, enrolled)
    assert caught.value.code == "already_paid"
    assert receipt.receipt_number in caught.value.message
    assert counts(clerk) == before


def test_a_period_paid_by_tax_is_not_paid_again_by_another_voucher(clerk, enrolled):
    pay_by_tax(clerk, enrolled)
    with pytest.raises(ServiceError) as caught:
        pay_by_tax(clerk, enrolled, voucher_number="332026110000999999")
    assert caught.value.code == "already_paid"
    assert "332026110000123456" in caught.value.message
    # The next year is another period.
    assert pay_by_tax(
        clerk, enrolled, voucher_number="332026110000999999", period_start=date(2027, 1, 1)
    ).period_end == date(2027, 12, 31)


def test_not_enrolled_and_unknown_person_are_refused(clerk, enrolled):
    with pytest.raises(ServiceError) as caught:
        pay_by_tax(clerk, enrolled, scheme="employee_pension_flexible")
    assert caught.value.code == "not_enrolled"
    with pytest.raises(NotFound):
        pay_by_tax(clerk, enrolled.__class__(int=1))


def test_a_wrong_tax_record_is_voided_by_a_supervisor_and_the_voucher_freed(
    clerk, supervisor, enrolled
):
    paid = pay_by_tax(clerk, enrolled)
    with pytest.raises(PermissionDenied):
        void_tax_payment(
            clerk.database, clerk.actor, voucher_number=paid.voucher_number, reason="录错人"
        )
    with pytest.raises(ValidationFailed) as caught:
        void_tax_payment(
            supervisor.database, supervisor.actor, voucher_number=paid.voucher_number, reason=" "
        )
    assert caught.value.errors[0].field == "void_reason"
    with clerk.database.reading() as db:
        assert db.get(Payment, paid.payment_id).voided_at is None
    void_tax_payment(
        supervisor.database,
        supervisor.actor,
        voucher_number="332026110000123456",
        reason="录错险种",
    )
    with supervisor.database.reading() as db:
        row = db.get(Payment, paid.payment_id)
        assert row.void_reason == "录错险种"
        outbox = db.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == paid.payment_id)
        ).all()
        assert [o.operation for o in outbox] == ["create", "void"]
        assert verify_audit_chain(db).ok
    with pytest.raises(ServiceError) as caught:
        void_tax_payment(
            supervisor.database, supervisor.actor, payment_id=paid.payment_id, reason="再作废一次"
        )
    assert caught.value.code == "already_void"
    # The voucher and the period are free again: recorded correctly now.
    again = pay_by_tax(clerk, enrolled)
    assert again.payment_id != paid.payment_id
    void_tax_payment(
        supervisor.database,
        supervisor.actor,
        voucher_number=paid.voucher_number,
        reason="凭证号再次录错",
    )
    with supervisor.database.reading() as db:
        assert db.get(Payment, again.payment_id).voided_at is not None


def test_voiding_a_desk_receipt_or_nothing_by_voucher_is_refused(clerk, supervisor, enrolled):
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=enrolled, scheme="resident_pension", today=TODAY
    )
    with pytest.raises(NotFound):
        void_tax_payment(
            supervisor.database,
            supervisor.actor,
            payment_id=receipt.payment_id,
            reason="试试看能否作废",
        )
    with pytest.raises(NotFound):
        void_tax_payment(
            supervisor.database,
            supervisor.actor,
            voucher_number="999999999",
            reason="试试看能否作废",
        )
    with pytest.raises(ServiceError) as caught:
        void_tax_payment(supervisor.database, supervisor.actor, reason="没说哪笔")
    assert caught.value.code == "which_payment"

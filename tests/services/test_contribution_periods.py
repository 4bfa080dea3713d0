"""One contribution per person × scheme × period, and one visit, one receipt.

A second payment for a paid period is refused naming the earlier receipt; a voided payment
frees its period; only open periods can be paid (next year's medical insurance in December,
arrears where local rules allow); a visit's lines for several schemes and household members
share one receipt number, in one transaction that writes nothing when any line is refused.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession, login
from caseworker.services.centre_settings import RECEIPT_GROUPING, change_setting
from caseworker.services.contribution_periods import refuse_if_paid, visit_periods
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.journal import record_change
from caseworker.services.payments import (
    VisitLine,
    record_payment,
    record_visit_payment,
    void_payment,
)
from caseworker.store.models import Household, OutboxEntry, Payment, ReceiptCounter, new_id
from caseworker.store.wire import WIRE
from tests.conftest import CENTRE_CODE, CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

DECEMBER = date(2026, 12, 1)


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def _household(session: OpenSession) -> uuid.UUID:
    """A household row as the household survey writes it (with its outbox entry)."""
    with session.database.writing() as db:
        household = Household(id=new_id(), village_code="320583101201", address_detail="3组12号")
        db.add(household)
        record_change(
            db,
            session.actor,
            action="household.create",
            entity_type="household",
            entity_id=household.id,
            operation="upsert",
            payload=WIRE["household"].snapshot(household),
        )
        return household.id


@pytest.fixture
def family(clerk: OpenSession) -> dict[str, uuid.UUID]:
    """A farmer (pension 500 + medical), his wife (medical) in one household, and a
    neighbour of another household."""
    home = _household(clerk)
    pension_and_medical = [
        EnrolmentChoice("resident_pension", tier_fen=50_000),
        EnrolmentChoice("resident_medical"),
    ]
    people = {
        "head": farmer(household_id=home, relationship_to_head="02"),
        "wife": farmer(
            id_number="320583198202020245",
            name="秦琼",
            household_id=home,
            relationship_to_head="10",
        ),
        "neighbour": farmer(id_number="320583195503030419", name="程咬金"),
    }
    return {
        key: enrol(
            clerk.database,
            clerk.actor,
            person,
            pension_and_medical if key != "wife" else [EnrolmentChoice("resident_medical")],
            today=TODAY,
        ).person_id
        for key, person in people.items()
    }


def _counts(session: OpenSession) -> tuple[int, int, list[tuple[int, int]]]:
    with session.database.reading() as db:
        payments = db.scalar(select(func.count()).select_from(Payment))
        outbox = db.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.entity_type == "payment")
        )
        counters = [(c.year, c.last_sequence) for c in db.scalars(select(ReceiptCounter))]
    return payments, outbox, counters


def test_a_second_payment_for_a_paid_period_names_the_earlier_receipt(clerk, family):
    first = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_pension",
        today=TODAY,
    )
    before = _counts(clerk)
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=family["head"],
            scheme="resident_pension",
            today=date(2026, 11, 30),
        )
    error = caught.value
    assert error.code == "already_paid"
    for text in (error.message, error.message_en):
        assert first.receipt_number in text
        assert "2026-11-27" in text
        assert "clerk" in text  # the operator's display name
    assert "2026年度" in error.message and "year 2026" in error.message_en
    assert _counts(clerk) == before  # nothing written, no number taken


def test_a_void_frees_the_period(centre, clerk, family):
    first = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_pension",
        today=TODAY,
    )
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        void_payment(
            supervisor.database,
            supervisor.actor,
            receipt_number=first.receipt_number,
            reason="档次录错",
        )
    finally:
        supervisor.close()
    again = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_pension",
        today=TODAY,
    )
    assert again.receipt_number != first.receipt_number
    with clerk.database.reading() as db:
        refuse_if_paid(db, family["head"], "resident_pension", date(2025, 1, 1), date(2025, 12, 31))
        with pytest.raises(ServiceError):
            refuse_if_paid(
                db, family["head"], "resident_pension", date(2026, 6, 1), date(2026, 6, 30)
            )


def test_medical_paid_in_december_is_for_next_year(clerk, family):
    receipt = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_medical",
        today=DECEMBER,
    )
    assert (receipt.period_start, receipt.period_end) == (date(2027, 1, 1), date(2027, 12, 31))
    assert receipt.receipt_number.startswith(f"{CENTRE_CODE}-01-2026-")  # numbered by the day


def test_a_period_outside_the_window_or_the_arrears_is_refused(clerk, family):
    before = _counts(clerk)
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=family["head"],
            scheme="resident_medical",
            today=date(2026, 6, 1),
        )
    assert caught.value.code == "period_not_open"
    assert "今天可缴：无" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database,
            clerk.actor,
            person_id=family["head"],
            scheme="resident_pension",
            today=TODAY,
            period_start=date(2023, 1, 1),  # three years back: the demo province allows two
        )
    assert caught.value.code == "period_not_open"
    assert "2024年度、2025年度、2026年度" in caught.value.message
    assert _counts(clerk) == before


def test_pension_arrears_are_paid_at_that_years_tier_without_subsidy(clerk, family):
    receipt = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_pension",
        today=TODAY,
        period_start=date(2025, 1, 1),
    )
    (line,) = receipt.lines
    assert line.arrears and (line.period_start, line.period_end) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert (line.amount_fen, line.subsidy_fen) == (50_000, 0)


def test_one_visit_is_one_receipt_with_a_line_per_person_and_scheme(clerk, family):
    lines = [
        VisitLine(family["head"], "resident_pension"),
        VisitLine(family["head"], "resident_medical"),
        VisitLine(family["wife"], "resident_medical"),
    ]
    (receipt,) = record_visit_payment(
        clerk.database, clerk.actor, lines, method="cash", today=DECEMBER
    )
    assert receipt.receipt_number == f"{CENTRE_CODE}-01-2026-000001"
    assert [(line.receipt_line, line.scheme) for line in receipt.lines] == [
        (1, "resident_pension"),
        (2, "resident_medical"),
        (3, "resident_medical"),
    ]
    assert receipt.personal_fen == 50_000 + 40_000 + 40_000
    with clerk.database.reading() as db:
        rows = db.scalars(select(Payment).order_by(Payment.receipt_line)).all()
        assert {r.receipt_number for r in rows} == {receipt.receipt_number}
        assert [r.person_id for r in rows] == [family["head"], family["head"], family["wife"]]
        assert [(r.period_start.year) for r in rows] == [2026, 2027, 2027]
    assert _counts(clerk)[2] == [(2026, 1)]


def test_a_refused_line_refuses_the_whole_visit(clerk, family):
    record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["wife"],
        scheme="resident_medical",
        today=DECEMBER,
    )
    before = _counts(clerk)
    visits = [
        # The wife's 2027 medical is paid already.
        [
            VisitLine(family["head"], "resident_pension"),
            VisitLine(family["wife"], "resident_medical"),
        ],
        # The same line twice (a replayed click).
        [
            VisitLine(family["head"], "resident_pension"),
            VisitLine(family["head"], "resident_pension"),
        ],
        # A neighbour is not of the payer's household.
        [
            VisitLine(family["head"], "resident_pension"),
            VisitLine(family["neighbour"], "resident_pension"),
        ],
    ]
    codes = []
    for lines in visits:
        with pytest.raises(ServiceError) as caught:
            record_visit_payment(clerk.database, clerk.actor, lines, today=DECEMBER)
        codes.append(caught.value.code)
        assert caught.value.message and caught.value.message_en
    assert codes == ["already_paid", "already_paid", "not_household"]
    assert _counts(clerk) == before


def test_grouping_by_scheme_gives_a_receipt_per_scheme_in_one_transaction(centre, clerk, family):
    change_setting(centre.database, centre.actor, RECEIPT_GROUPING, "scheme")
    lines = [
        VisitLine(family["head"], "resident_pension"),
        VisitLine(family["head"], "resident_medical"),
        VisitLine(family["wife"], "resident_medical"),
    ]
    pension, medical = record_visit_payment(clerk.database, clerk.actor, lines, today=DECEMBER)
    assert [line.scheme for line in pension.lines] == ["resident_pension"]
    assert [(line.receipt_line, line.person_id) for line in medical.lines] == [
        (1, family["head"]),
        (2, family["wife"]),
    ]
    assert (pension.receipt_number, medical.receipt_number) == (
        f"{CENTRE_CODE}-01-2026-000001",
        f"{CENTRE_CODE}-01-2026-000002",
    )


def test_the_dialog_read_offers_open_periods_and_shows_paid_ones(clerk, family):
    paid = record_payment(
        clerk.database,
        clerk.actor,
        person_id=family["head"],
        scheme="resident_pension",
        today=DECEMBER,
    )
    visit = visit_periods(clerk.database, clerk.actor, family["head"], day=DECEMBER)
    assert visit.payer_name == "单雄信"
    found = visit.schemes
    assert [(s.person_name, s.scheme) for s in found] == [
        ("单雄信", "resident_pension"),
        ("单雄信", "resident_medical"),
        ("秦琼", "resident_medical"),
    ]
    pension, medical, wife = found
    assert [(o.period.label, o.open.arrears) for o in pension.open] == [
        ("2024年度", True),
        ("2025年度", True),
    ]
    assert [p.receipt_number for p in pension.paid] == [paid.receipt_number]
    assert [(o.period.label, o.due.personal_fen) for o in medical.open] == [("2027年度", 40_000)]
    assert wife.paid == ()
    # A person without a household is offered only their own schemes.
    alone = visit_periods(clerk.database, clerk.actor, family["neighbour"], day=DECEMBER)
    assert {s.person_name for s in alone.schemes} == {"程咬金"}


def test_months_on_a_yearly_scheme_is_a_field_error_and_writes_nothing(clerk, family):
    before = _counts(clerk)
    with pytest.raises(ValidationFailed) as caught:
        record_visit_payment(
            clerk.database,
            clerk.actor,
            [VisitLine(family["head"], "resident_pension", months=3)],
            today=DECEMBER,
        )
    assert caught.value.errors[0].field == "months"
    assert _counts(clerk) == before

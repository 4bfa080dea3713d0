"""Daily close (日结): totals against the cash counted, a note for a difference, a closed day
refuses payments, reopening is its own audited action, and clerks can do none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.day_close import close_day, closes_on, day_overview, reopen_day
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment, void_payment
from caseworker.store.models import AuditEntry, DayClose, Payment
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer


def enrolled_person(clerk: OpenSession, n: int):
    from datetime import date

    number = make_id_number("320583", date(1970 + n, 3, 4), 201 + 2 * n)
    return enrol(
        clerk.database,
        clerk.actor,
        farmer(id_number=number),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id


@pytest.fixture
def day_taken(clerk: OpenSession, supervisor: OpenSession):
    """The clerk's day: three receipts, one of them paid by card, one voided."""
    people = [enrolled_person(clerk, n) for n in range(3)]
    cash = record_payment(
        clerk.database, clerk.actor, person_id=people[0], scheme="resident_pension", today=TODAY
    )
    card = record_payment(
        clerk.database,
        clerk.actor,
        person_id=people[1],
        scheme="resident_medical",
        method="wechat",
        today=TODAY,
    )
    voided = record_payment(
        clerk.database, clerk.actor, person_id=people[2], scheme="resident_pension", today=TODAY
    )
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=voided.receipt_number,
        reason="重复收费，已退回",
    )
    return cash, card, voided


def close(supervisor: OpenSession, clerk: OpenSession, counted_fen: int, note: str = ""):
    """The supervisor closes the clerk's TODAY, having counted ``counted_fen``."""
    return close_day(
        supervisor.database,
        supervisor.actor,
        operator_id=clerk.actor.operator_id,
        day=TODAY,
        counted_cash_fen=counted_fen,
        note=note,
    )


def counts(session: OpenSession) -> tuple[int, int]:
    with session.database.reading() as db:
        return (
            int(db.scalar(select(func.count()).select_from(DayClose))),
            int(db.scalar(select(func.count()).select_from(AuditEntry))),
        )


def test_the_close_shows_expected_totals_and_records_the_count(clerk, supervisor, day_taken):
    cash, card, voided = day_taken
    (row,) = day_overview(supervisor.database, supervisor.actor, TODAY)
    totals = row.totals
    assert row.close is None and totals.operator_id == clerk.actor.operator_id
    assert (totals.receipts, totals.receipt_lines, totals.voids) == (3, 3, 1)
    assert totals.expected_cash_fen == cash.personal_fen  # the void and the WeChat one are not
    assert totals.collected_fen == cash.personal_fen + card.personal_fen
    assert totals.voided_fen == voided.personal_fen

    record = close(supervisor, clerk, cash.personal_fen)
    assert record.difference_fen == 0 and record.note is None
    assert record.closed_by == supervisor.actor.display_name
    (row,) = day_overview(supervisor.database, supervisor.actor, TODAY)
    assert row.close == record
    with supervisor.database.reading() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "day.close")).one()
        assert entry.detail["counted_cash_fen"] == cash.personal_fen
        assert entry.detail["expected_cash_fen"] == cash.personal_fen
        assert entry.operator_id == supervisor.actor.operator_id
        closes = closes_on(db, TODAY)
        assert verify_audit_chain(db).ok
    assert [c.id for c in closes] == [record.id]


def test_a_difference_needs_a_note_and_is_kept_with_it(clerk, supervisor, day_taken):
    cash = day_taken[0]
    before = counts(supervisor)
    with pytest.raises(ValidationFailed) as caught:
        close(supervisor, clerk, cash.personal_fen - 1_000, " ")
    error = caught.value.by_field()["note"]
    assert error.code == "required" and "-10.00" in error.message
    assert "note" in error.message_en
    assert counts(supervisor) == before  # nothing written
    record = close(supervisor, clerk, cash.personal_fen - 1_000, "少收10元，经办员已补交")
    assert record.difference_fen == -1_000 and record.note == "少收10元，经办员已补交"


def test_negative_counted_cash_is_refused(clerk, supervisor, day_taken):
    with pytest.raises(ValidationFailed) as caught:
        close(supervisor, clerk, -1)
    assert "counted_cash" in caught.value.by_field()


def test_a_closed_day_refuses_new_payments_naming_the_day_and_who_closed_it(
    clerk, supervisor, day_taken
):
    cash = day_taken[0]
    close(supervisor, clerk, cash.personal_fen)
    person = enrolled_person(clerk, 7)
    with clerk.database.reading() as db:
        payments = db.scalar(select(func.count()).select_from(Payment))
    with pytest.raises(ServiceError) as caught:
        record_payment(
            clerk.database, clerk.actor, person_id=person, scheme="resident_medical", today=TODAY
        )
    assert caught.value.code == "day_closed"
    assert TODAY.isoformat() in caught.value.message
    assert supervisor.actor.display_name in caught.value.message
    assert "reopen" in caught.value.message_en
    with clerk.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == payments
    # Another day, or another operator on the same day, is not closed.
    record_payment(
        clerk.database,
        clerk.actor,
        person_id=person,
        scheme="resident_medical",
        today=TODAY + timedelta(days=1),
    )
    record_payment(
        supervisor.database,
        supervisor.actor,
        person_id=person,
        scheme="resident_pension",
        today=TODAY,
    )


def test_a_day_is_closed_once_and_reopened_only_with_a_reason(clerk, supervisor, day_taken):
    cash = day_taken[0]
    args = dict(operator_id=clerk.actor.operator_id, day=TODAY, counted_cash_fen=cash.personal_fen)
    first = close_day(supervisor.database, supervisor.actor, **args)
    with pytest.raises(ServiceError) as caught:
        close_day(supervisor.database, supervisor.actor, **args)
    assert caught.value.code == "already_closed"
    before = counts(supervisor)
    with pytest.raises(ValidationFailed):
        reopen_day(
            supervisor.database,
            supervisor.actor,
            operator_id=clerk.actor.operator_id,
            day=TODAY,
            reason="",
        )
    assert counts(supervisor) == before
    reopened = reopen_day(
        supervisor.database,
        supervisor.actor,
        operator_id=clerk.actor.operator_id,
        day=TODAY,
        reason="漏录一笔现金",
    )
    assert reopened.id == first.id and not reopened.open
    assert reopened.reopen_reason == "漏录一笔现金"
    # The day takes payments again, and is closed anew (a new row; the old one is kept).
    record_payment(
        clerk.database,
        clerk.actor,
        person_id=enrolled_person(clerk, 8),
        scheme="resident_medical",
        today=TODAY,
    )
    second = close_day(supervisor.database, supervisor.actor, **args | {"note": "补录后复点"})
    assert second.id != first.id
    with supervisor.database.reading() as db:
        assert [c.open for c in closes_on(db, TODAY)] == [False, True]
        actions = db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("day.%"))
            .order_by(AuditEntry.seq)
        ).all()
    assert actions == ["day.close", "day.reopen", "day.close"]
    with pytest.raises(ServiceError) as caught:
        reopen_day(
            supervisor.database,
            supervisor.actor,
            operator_id=clerk.actor.operator_id,
            day=TODAY - timedelta(days=3),
            reason="没有日结",
        )
    assert caught.value.code == "day_close"


def test_a_clerk_cannot_close_reopen_or_list_and_nothing_changes(clerk, supervisor, day_taken):
    before = counts(clerk)
    with pytest.raises(PermissionDenied):
        close(clerk, clerk, 0, "自己日结")  # a clerk closing their own day
    with pytest.raises(PermissionDenied):
        day_overview(clerk.database, clerk.actor, TODAY)
    assert counts(clerk) == before
    close(supervisor, clerk, day_taken[0].personal_fen)
    before = counts(clerk)
    with pytest.raises(PermissionDenied):
        reopen_day(
            clerk.database,
            clerk.actor,
            operator_id=clerk.actor.operator_id,
            day=TODAY,
            reason="我想再收一笔",
        )
    assert counts(clerk) == before


def test_the_daily_report_shows_each_close_read_back_from_the_pdf(clerk, supervisor, day_taken):
    import io

    from pypdf import PdfReader

    from caseworker.services.documents import daily_report_pdf

    cash = day_taken[0]

    def report_text() -> str:
        pdf = daily_report_pdf(supervisor.database, TODAY).pdf
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "当日尚未日结" in report_text()
    close(supervisor, clerk, cash.personal_fen + 550, "多收5.50元待退")
    text = report_text().replace(" ", "")
    assert "二、日结" in text and "已日结" in text
    expected = f"{cash.personal_fen // 100:,}.{cash.personal_fen % 100:02d}"
    assert expected in text  # expected cash
    assert "5.50" in text and "多收5.50元待退" in text
    assert supervisor.actor.display_name in text
    reopen_day(
        supervisor.database,
        supervisor.actor,
        operator_id=clerk.actor.operator_id,
        day=TODAY,
        reason="补录现金",
    )
    assert "已撤销" in report_text().replace(" ", "")


def test_a_close_edited_behind_the_services_back_is_shown_as_not_matching_its_audit_entry(
    clerk, supervisor, day_taken
):
    """Someone with the database key lowers the counted cash in the row: the report says so."""
    from caseworker.services.documents import daily_report_pdf

    record = close(supervisor, clerk, day_taken[0].personal_fen)
    with supervisor.database.reading() as db:
        assert [c.matches_audit for c in closes_on(db, TODAY)] == [True]
    with supervisor.database.writing() as db:
        row = db.get_one(DayClose, record.id)
        row.counted_cash_fen -= 10_000
        row.difference_fen -= 10_000
    with supervisor.database.reading() as db:
        assert [c.matches_audit for c in closes_on(db, TODAY)] == [False]
    import io

    from pypdf import PdfReader

    pdf = daily_report_pdf(supervisor.database, TODAY).pdf
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "与审计记录不符" in text.replace(" ", "")

"""Coverage status: derived from enrolments and payments, told by surveys, counted by the
store's triggers. A real encrypted centre; nothing of ours is mocked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import (
    EnrolmentFact,
    PaymentFact,
    coverage_id,
    derive,
    line_codes,
)
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import (
    StatusAnswer,
    person_statuses,
    record_answers,
    refresh,
)
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import ValidationFailed
from caseworker.services.payments import record_payment, void_payment
from caseworker.store.models import CoverageMonth, CoverageStatus, CoverageTally, OutboxEntry
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

CHILD = "320583201805050018"  # born 2018: under 16


def _tally_matches_rows(session) -> None:
    direct = session.execute(
        text(
            "SELECT line, status, coalesce(reason, ''), coalesce(scheme, ''),"
            " coalesce(village_code, ''), coalesce(sex, ''), coalesce(birth_year, 0),"
            " coalesce(category, ''), present, count(*) FROM coverage_status"
            " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
        )
    ).all()
    tally = session.execute(
        text(
            "SELECT line, status, reason, scheme, village_code, sex, birth_year, category,"
            " present, n FROM coverage_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
        )
    ).all()
    assert [tuple(r) for r in direct] == [tuple(r) for r in tally]


def test_the_migration_writes_every_line_of_the_code_table() -> None:
    import importlib.util

    import caseworker.store.migrations as migrations

    path = Path(migrations.__file__).parent / "versions" / "0011_coverage.py"
    spec = importlib.util.spec_from_file_location("revision_0011", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert line_codes() == module.LINES


def test_derive_payment_then_enrolment_then_age() -> None:
    paid = PaymentFact("resident_medical", date(2026, 1, 1), date(2026, 12, 31), date(2025, 11, 3))
    enrolled = EnrolmentFact("resident_medical", "active", date(2020, 5, 1))
    found = derive(
        "medical",
        birth_date=date(1980, 1, 1),
        enrolments=[enrolled],
        payments=[paid],
        day=TODAY,
        pension_min_age=16,
    )
    assert (found.status, found.source, found.valid_until) == (
        "insured_here",
        "payment",
        date(2026, 12, 31),
    )
    # Medical cover is the year paid: enrolled without this year's payment is lapsed.
    lapsed = derive(
        "medical",
        birth_date=date(1980, 1, 1),
        enrolments=[enrolled],
        payments=[],
        day=TODAY,
        pension_min_age=16,
    )
    assert (lapsed.status, lapsed.reason) == ("not_insured", "lapsed")
    # A voided payment is no cover.
    void = PaymentFact(
        paid.scheme, paid.period_start, paid.period_end, paid.business_date, voided=True
    )
    assert (
        derive(
            "medical",
            birth_date=date(1980, 1, 1),
            enrolments=[],
            payments=[void],
            day=TODAY,
            pension_min_age=16,
        )
        is None
    )
    # Pension: an active enrolment is cover.
    pension = derive(
        "pension",
        birth_date=date(1980, 1, 1),
        enrolments=[EnrolmentFact("resident_pension", "active", date(2019, 3, 1))],
        payments=[],
        day=TODAY,
        pension_min_age=16,
    )
    assert (pension.status, pension.source) == ("insured_here", "enrolment")
    child = derive(
        "pension",
        birth_date=date(2018, 5, 5),
        enrolments=[],
        payments=[],
        day=TODAY,
        pension_min_age=16,
    )
    assert (child.status, child.reason, child.valid_until) == (
        "not_applicable",
        "under_16",
        date(2034, 5, 4),
    )
    adult = derive(
        "pension",
        birth_date=date(1980, 1, 1),
        enrolments=[],
        payments=[],
        day=TODAY,
        pension_min_age=16,
    )
    assert adult is None


def test_every_person_has_a_row_per_line_and_the_tallies_follow(centre: OpenSession) -> None:
    result = enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=30000)],
        today=TODAY,
    )
    statuses = person_statuses(centre.database, centre.actor, result.person_id)
    assert set(statuses) == set(line_codes())
    assert statuses["pension"].status == "insured_here"
    assert statuses["pension"].source == "enrolment"
    assert statuses["medical"].status == "unknown"
    with centre.database.reading() as session:
        _tally_matches_rows(session)
        sent = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_type == "coverage")
        ).all()
        # The pension status goes upstream under its (person, line) id; unknown lines do not.
        assert [e.entity_id for e in sent] == [coverage_id(result.person_id, "pension")]
        assert sent[0].payload["status"] == "insured_here"


def test_a_payment_then_its_void_move_the_status(centre: OpenSession) -> None:
    person = enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=30000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    statuses = person_statuses(centre.database, centre.actor, person)
    assert statuses["medical"].reason == "lapsed"
    assert statuses["pension"].source == "enrolment"
    receipt = record_payment(
        centre.database,
        centre.actor,
        person_id=person,
        scheme="resident_pension",
        today=TODAY,
    )
    after = person_statuses(centre.database, centre.actor, person)["pension"]
    assert (after.status, after.source) == ("insured_here", "payment")
    void_payment(
        centre.database,
        centre.actor,
        receipt_number=receipt.receipt_number,
        reason="档次录错，重新收取",
    )
    again = person_statuses(centre.database, centre.actor, person)["pension"]
    assert (again.status, again.source) == ("insured_here", "enrolment")
    with centre.database.reading() as session:
        _tally_matches_rows(session)


def test_a_survey_answer_never_silently_overrides_the_records(centre: OpenSession) -> None:
    person = enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=30000)],
        today=TODAY,
    ).person_id
    with centre.database.reading() as session:
        before = session.scalar(select(func.count()).select_from(OutboxEntry))
    with pytest.raises(ValidationFailed) as refused:
        record_answers(
            centre.database,
            centre.actor,
            [
                StatusAnswer(person, "pension", "insured_elsewhere", insured_where="苏州市"),
                StatusAnswer(person, "medical", "not_insured"),  # no reason
            ],
            day=TODAY,
        )
    fields = refused.value.by_field()
    assert set(fields) == {"pension.note", "medical.reason"}
    with pytest.raises(ValidationFailed) as unknown:
        record_answers(
            centre.database,
            centre.actor,
            [StatusAnswer(person, "injury", "not_applicable", reason="no_such_reason")],
            day=TODAY,
        )
    assert "代码表" in unknown.value.by_field()["injury.reason"].message
    assert "备注" in fields["pension.note"].message
    with centre.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == before
    # With a note, the answer stands; the same answer as the records keeps the records.
    record_answers(
        centre.database,
        centre.actor,
        [
            StatusAnswer(
                person,
                "pension",
                "insured_elsewhere",
                insured_where="苏州市",
                note="已在苏州参加职工养老，本地登记待注销",
            ),
            StatusAnswer(person, "medical", "not_insured", reason="cannot_afford"),
        ],
        day=date(2026, 11, 28),
    )
    statuses = person_statuses(centre.database, centre.actor, person)
    assert (statuses["pension"].status, statuses["pension"].source) == (
        "insured_elsewhere",
        "survey",
    )
    assert statuses["medical"].reason == "cannot_afford"
    with centre.database.reading() as session:
        _tally_matches_rows(session)


def test_refresh_looks_at_unseen_and_expired_rows(centre: OpenSession) -> None:
    child = enrol(centre.database, centre.actor, farmer(id_number=CHILD), [], today=TODAY)
    statuses = person_statuses(centre.database, centre.actor, child.person_id)
    assert statuses["pension"].reason == "under_16"
    with centre.database.writing() as session:
        # As an upgrade leaves them: unseen, and the derived status forgotten.
        session.execute(
            text(
                "UPDATE coverage_status SET status = 'unknown', source = NULL, reason = NULL,"
                " valid_until = '0001-01-01'"
            )
        )
    assert refresh(centre.database, centre.actor, TODAY) == 1
    assert person_statuses(centre.database, centre.actor, child.person_id)["pension"].reason == (
        "under_16"
    )
    # On the 16th birthday the pension line applies: the status runs out and goes.
    assert refresh(centre.database, centre.actor, date(2034, 5, 5)) == 1
    assert person_statuses(centre.database, centre.actor, child.person_id)["pension"].status == (
        "unknown"
    )
    with centre.database.reading() as session:
        _tally_matches_rows(session)


def test_moving_away_leaves_the_count_and_the_month_says_so(centre: OpenSession) -> None:
    person = enrol(centre.database, centre.actor, farmer(), [], today=TODAY).person_id
    with centre.database.writing() as session:
        session.execute(
            text("UPDATE person SET moved_away_on = '2026-11-27' WHERE id = :id"),
            {"id": person.hex},
        )
    with centre.database.reading() as session:
        rows = session.scalars(select(CoverageStatus)).all()
        assert rows and not any(row.present for row in rows)
        _tally_matches_rows(session)
        months = {(m.line, m.status): m.n for m in session.scalars(select(CoverageMonth))}
        assert set(months.values()) == {0}
        assert session.scalar(select(func.sum(CoverageTally.n))) == len(rows)


def test_code_tables_have_the_reasons_answers_use() -> None:
    assert "lapsed" in load_code_table("not_insured_reason")
    assert "under_16" in load_code_table("not_applicable_reason")

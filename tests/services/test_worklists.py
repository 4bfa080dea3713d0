"""Worklists on a hand-built township: who is on each list, who must not be, the filters,
counts equal to the rows, and clear refusals. A real encrypted centre, built once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from caseworker.domain.scheme_parameters import load_parameter_book
from caseworker.domain.worklist_rules import (
    birth_years_of_band,
    births_reaching,
    contribution_years,
    retirement_day,
)
from caseworker.services.errors import ValidationFailed
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import KINDS, count, counts, members, villages
from tests.services.worklist_data import DAY, VILLAGE_B
from tests.services.worklist_town import Town, town_fixture

town = town_fixture()


@dataclass(frozen=True)
class Listed:
    people: set[str]
    rows: list


def listed(town: Town, spec: WorklistSpec, day: date = DAY) -> Listed:
    rows = members(town.centre.database, town.centre.actor, spec, day, limit=None)
    return Listed({town.names[r.person_id] for r in rows}, rows)


def test_kinds_are_declared_once_with_words():
    codes = [k.code for k in KINDS]
    assert codes == [
        "not_covered",
        "renewals_due",
        "turning_16",
        "pension_age_soon",
        "government_paid_unrecorded",
        "injury_uncovered",
    ]
    assert all(k.title_zh and k.title_en and k.counts_zh and k.counts_en for k in KINDS)


def test_renewals_due_in_the_collection_window(town: Town):
    found = listed(town, WorklistSpec("renewals_due"))
    assert found.people == {"medical_2026_only", "pension_2025_only"}
    reasons = {town.names[r.person_id]: r.reason_zh for r in found.rows}
    assert reasons["medical_2026_only"] == "城乡居民基本医疗保险：2026年已缴，2027年未缴"
    assert reasons["pension_2025_only"] == "城乡居民基本养老保险：2025年已缴，2026年未缴"
    # Paid both years, or last year's payment voided: not due.
    assert not found.people & {"medical_both_years", "pension_2025_voided"}
    # In February the medical window (September–December) is closed: pension only.
    february = listed(town, WorklistSpec("renewals_due"), date(2027, 2, 1))
    assert {r.scheme for r in february.rows} <= {"resident_pension"}


def test_turning_16_this_calendar_year(town: Town):
    found = listed(town, WorklistSpec("turning_16"))
    assert found.people == {"turns_16"}  # not 17, not 15, not the student, not the deceased
    assert found.rows[0].reason_zh == "2026年10月5日已满16周岁，可参加城乡居民养老保险"
    assert (
        found.rows[0].masked_id_number.startswith("3205") and "*" in found.rows[0].masked_id_number
    )
    assert found.rows[0].phone.startswith("1391234")


def test_pension_age_within_twelve_months_with_contribution_years(town: Town):
    found = listed(town, WorklistSpec("pension_age_soon"))
    assert found.people == {"sixty_soon", "flexible_man"}
    reasons = {town.names[r.person_id]: r.reason_zh for r in found.rows}
    assert reasons["sixty_soon"] == "2027年3月满60周岁；已缴费4年，距15年差11年"
    # Born 1967-01: the 2025 schedule adds 7 months for men → 2027-08.
    assert reasons["flexible_man"].startswith("2027年8月达到法定退休年龄（60周岁7个月）")
    assert "约1年" in reasons["flexible_man"]  # no payment here: years since enrolment


def test_government_paid_but_not_recorded(town: Town):
    found = listed(town, WorklistSpec("government_paid_unrecorded"))
    assert {(town.names[r.person_id], r.scheme) for r in found.rows} == {
        ("dibao_unpaid", "resident_medical"),
        ("dibao_unpaid", "resident_pension"),
    }
    medical = next(r for r in found.rows if r.scheme == "resident_medical")
    assert "2027年度由政府代缴，尚无缴费记录" in medical.reason_zh
    assert "最低生活保障" in medical.reason_zh


def test_injury_uncovered_where_the_pilot_runs(town: Town):
    found = listed(town, WorklistSpec("injury_uncovered"))
    assert found.people == {"platform", "flexible_man"}  # not the covered one, not moved away


def test_not_covered_per_person_and_line_with_every_filter(town: Town):
    everyone = listed(town, WorklistSpec("not_covered"))
    assert not everyone.people & {"moved_away", "deceased"}
    pairs = {(town.names[r.person_id], r.line) for r in everyone.rows}
    assert ("unwilling", "pension") in pairs
    assert ("turns_15", "pension") not in pairs  # under 16: not applicable
    assert ("medical_both_years", "medical") not in pairs  # paid this year
    assert ("platform_covered", "injury") not in pairs
    base = WorklistSpec("not_covered")
    cases = {
        "village": base.narrowed(village_code=VILLAGE_B),
        "line": base.narrowed(line="pension"),
        "reason": base.narrowed(reason="unwilling"),
        "status": base.narrowed(status="not_insured", line="medical"),
        "category": base.narrowed(category="platform_worker"),
        "sex": base.narrowed(sex="2"),
        "age_band": base.narrowed(age_band="0-15"),
    }
    expected = {
        "village": {"pension_2025_only", "unwilling"},
        "line": {
            "medical_2026_only",
            "medical_both_years",
            "sixty_past",
            "sixty_later",
            "dibao_paid",
            "disability_unpaid",
            "platform",
            "platform_covered",
            "unwilling",
        },
        "reason": {"unwilling"},
        "status": {"medical_2026_only", "dibao_unpaid", "dibao_paid", "disability_unpaid"},
        "category": {"platform", "platform_covered"},
        "sex": {"turns_16"},
        # The age reached this calendar year: born 2011 is 15; born 2010 is 16 (16-29).
        "age_band": {"turns_15"},
    }
    for name, spec in cases.items():
        found = listed(town, spec)
        assert found.people == expected[name], name
        assert count(town.centre.database, town.centre.actor, spec, DAY) == len(found.rows), name
    youth = listed(town, base.narrowed(age_band="16-29"))
    assert {"turns_16", "turns_17", "student_16"} <= youth.people


def test_counts_equal_the_rows_and_pages_cover_the_list(town: Town):
    found = counts(town.centre.database, town.centre.actor, DAY)
    assert list(found) == [k.code for k in KINDS]
    for kind in KINDS:
        rows = members(
            town.centre.database, town.centre.actor, WorklistSpec(kind.code), DAY, limit=None
        )
        assert found[kind.code] == len(rows), kind.code
    everyone = members(
        town.centre.database, town.centre.actor, WorklistSpec("not_covered"), DAY, limit=None
    )
    paged = []
    for offset in range(0, len(everyone), 7):
        paged += members(
            town.centre.database,
            town.centre.actor,
            WorklistSpec("not_covered"),
            DAY,
            offset=offset,
            limit=7,
        )
    assert [(r.person_id, r.line) for r in paged] == [(r.person_id, r.line) for r in everyone]
    # In village order.
    assert [r.village_code for r in everyone] == sorted(r.village_code for r in everyone)


def test_the_villages_for_the_filter(town: Town):
    codes = [code for code, _name in villages(town.centre.database, town.centre.actor)]
    assert codes == ["320583101201", VILLAGE_B]


def test_refusals_say_which_filter_and_how_to_fix(town: Town):
    database, actor = town.centre.database, town.centre.actor
    with pytest.raises(ValidationFailed) as unknown:
        members(database, actor, WorklistSpec("nobody"), DAY)
    assert unknown.value.errors[0].field == "kind"
    assert "not_covered" in unknown.value.message
    with pytest.raises(ValidationFailed) as village:
        members(database, actor, WorklistSpec("not_covered", village_code="3205831012"), DAY)
    assert village.value.errors[0].field == "village"
    assert "12位" in village.value.message and "12-digit" in village.value.message_en
    with pytest.raises(ValidationFailed) as line:
        count(database, actor, WorklistSpec("not_covered", line="dental"), DAY)
    assert line.value.errors[0].field == "line" and "pension" in line.value.message


def test_date_rules():
    params = load_parameter_book().for_date(DAY, "320000")
    # Men born 1967-01-01 … retire at 60y7m; the range of births retiring in the next year.
    first, last = births_reaching(retirement_day(params.retirement.male), DAY, date(2027, 11, 27))
    assert retirement_day(params.retirement.male)(first) >= DAY
    assert retirement_day(params.retirement.male)(last) < date(2027, 11, 27)
    before = date.fromordinal(first.toordinal() - 1)
    assert retirement_day(params.retirement.male)(before) < DAY
    assert birth_years_of_band("60-69", DAY) == (1957, 1966)
    assert contribution_years([2023, 2024, 2024], 13, None, DAY) == (3, False)
    assert contribution_years([], 0, date(2020, 1, 1), DAY) == (6, True)


def test_the_renewals_counter_follows_payments_voids_and_moves(centre, supervisor):
    """The front page's renewals count comes from a counter the store's triggers keep; it
    always equals the list itself (asked with a filter, so it is counted from the rows)."""
    from caseworker.services.enrolment import EnrolmentChoice, enrol
    from caseworker.services.payments import record_payment, void_payment
    from caseworker.store.models import Person
    from tests.services.test_enrolment import farmer

    database, actor = centre.database, centre.actor
    person = enrol(
        database, actor, farmer(), [EnrolmentChoice("resident_medical")], today=date(2025, 10, 1)
    ).person_id
    listed_spec = WorklistSpec("renewals_due", village_code="320583101201")

    def both() -> tuple[int, int]:
        return counts(database, actor, DAY)["renewals_due"], count(
            database, actor, listed_spec, DAY
        )

    assert both() == (0, 0)
    pay = dict(person_id=person, scheme="resident_medical")
    record_payment(database, actor, **pay, today=date(2025, 11, 3), period_start=date(2026, 1, 1))
    assert both() == (1, 1)
    paid = record_payment(database, actor, **pay, today=DAY, period_start=date(2027, 1, 1))
    assert both() == (0, 0)
    void_payment(
        supervisor.database, supervisor.actor, receipt_number=paid.receipt_number, reason="收错年度"
    )
    assert both() == (1, 1)
    with database.writing() as session:
        session.get(Person, person).moved_away_on = date(2026, 11, 1)
    assert both() == (0, 0)
    with database.writing() as session:
        session.get(Person, person).moved_away_on = None
    assert both() == (1, 1)


def test_the_small_tally_matches_the_status_rows(town: Town):
    from sqlalchemy import text

    with town.centre.database.reading() as session:
        direct = session.execute(
            text(
                "SELECT line, status, coalesce(category, ''), coalesce(birth_year, 0), present,"
                " count(*) FROM coverage_status GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
            )
        ).all()
        tally = session.execute(
            text(
                "SELECT line, status, category, birth_year, present, n FROM worklist_tally"
                " WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5"
            )
        ).all()
    assert [tuple(r) for r in direct] == [tuple(r) for r in tally]


def test_remembered_counts_follow_every_write(centre):
    """Pension age and government-paid are counted by queries and remembered until the store
    changes: a payment through the services (an audit entry) makes them counted again."""
    from caseworker.services.enrolment import EnrolmentChoice, enrol
    from caseworker.services.payments import record_payment
    from tests.services.test_enrolment import farmer

    database, actor = centre.database, centre.actor
    person = enrol(
        database,
        actor,
        farmer(special_groups=["dibao"]),
        [EnrolmentChoice("resident_medical")],
        today=DAY,
    ).person_id
    assert counts(database, actor, DAY)["government_paid_unrecorded"] == 1
    assert counts(database, actor, DAY)["government_paid_unrecorded"] == 1  # remembered
    record_payment(
        database,
        actor,
        person_id=person,
        scheme="resident_medical",
        today=DAY,
        period_start=date(2027, 1, 1),
    )
    assert counts(database, actor, DAY)["government_paid_unrecorded"] == 0

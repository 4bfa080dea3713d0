"""Periods, collection windows and arrears (补缴), from the shipped parameters and from
parameters a county could deliver."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from caseworker.domain.contributions import period_contribution
from caseworker.domain.errors import InvalidValue
from caseworker.domain.periods import OpenPeriod, Period, open_periods, year_period
from caseworker.domain.scheme_parameters import ParameterBook, load_parameter_book
from caseworker.domain.schemes import PersonFacts
from caseworker.resources import load_json

NATIONAL, JIANGSU = "000000", "320000"
FARMER = PersonFacts(date(1980, 1, 1), "1", "farmer", frozenset(), JIANGSU)


def periods(scheme: str, day: date, province: str = NATIONAL, paid=()) -> list[tuple[str, bool]]:
    params = load_parameter_book().for_date(day, province)
    return [(o.period.label, o.arrears) for o in open_periods(scheme, day, params, paid)]


def test_medical_in_december_collects_next_year_not_this_one():
    assert periods("resident_medical", date(2026, 12, 1)) == [("2027年度", False)]
    assert periods("resident_medical", date(2026, 9, 1)) == [("2027年度", False)]
    assert periods("resident_medical", date(2026, 12, 31)) == [("2027年度", False)]


def test_medical_outside_its_window_has_nothing_open():
    assert periods("resident_medical", date(2026, 8, 31)) == []
    assert periods("resident_medical", date(2027, 1, 1)) == []


def test_pension_collects_the_current_year_and_arrears_only_where_local_rules_allow():
    assert periods("resident_pension", date(2026, 12, 1)) == [("2026年度", False)]
    # The demo province's example rule: two past years may still be paid.
    assert periods("resident_pension", date(2026, 12, 1), JIANGSU) == [
        ("2024年度", True),
        ("2025年度", True),
        ("2026年度", False),
    ]


def test_paid_periods_are_left_out():
    paid = [(date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31))]
    assert periods("resident_pension", date(2026, 6, 1), JIANGSU, paid) == [("2024年度", True)]


def test_monthly_schemes_collect_the_current_month_and_a_payment_ahead_covers_it():
    assert periods("employee_pension_flexible", date(2026, 11, 27)) == [("2026年11月", False)]
    paid = [(date(2026, 10, 1), date(2027, 1, 31))]  # four months paid in October
    assert periods("employee_pension_flexible", date(2026, 11, 27), paid=paid) == []


def test_arrears_are_paid_at_that_years_figures_without_subsidy_plus_the_surcharge():
    book = load_parameter_book()
    day = date(2026, 12, 1)
    arrears = OpenPeriod(year_period(2024), True, surcharge_bp=500, subsidy=False)
    due = period_contribution(
        "resident_pension",
        FARMER,
        day,
        book.for_date(date(2024, 1, 1), JIANGSU),
        arrears,
        tier_fen=50_000,
    )
    assert (due.period_start, due.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (due.arrears, due.surcharge_fen, due.amount_fen, due.personal_fen) == (
        True,
        2_500,
        52_500,
        52_500,
    )
    assert due.subsidy_fen == 0
    # Medical for 2027 collected in 2026 is 2027's amount (carried over from 2026 here).
    medical = period_contribution(
        "resident_medical",
        FARMER,
        day,
        book.for_date(date(2027, 1, 1), JIANGSU),
        OpenPeriod(year_period(2027), False),
    )
    assert (medical.period_start, medical.amount_fen) == (date(2027, 1, 1), 40_000)


def test_a_province_can_move_the_window_and_allow_medical_arrears():
    data = copy.deepcopy(load_json("schemes", "parameters.json"))
    jiangsu = next(s for s in data["parameter_sets"] if s["region"] == JIANGSU)
    jiangsu["collection"]["resident_medical"] = {
        "period": "year",
        "opens": {"year": -1, "month": 10, "day": 1},
        "closes": {"year": 0, "month": 2, "day": 28},
        "arrears_periods": 1,
        "arrears_surcharge_bp": 0,
        "arrears_subsidy": True,
    }
    book = ParameterBook.from_dict(data)
    day = date(2027, 2, 10)
    found = open_periods("resident_medical", day, book.for_date(day, JIANGSU))
    assert [(o.period, o.arrears, o.subsidy) for o in found] == [
        (year_period(2026), True, True),
        (year_period(2027), False, True),
    ]
    # Other provinces keep the national window.
    assert open_periods("resident_medical", day, book.for_date(day, NATIONAL)) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c["resident_medical"].update(period="week"), "period"),
        (lambda c: c["resident_medical"].update(opens={"year": -2, "month": 9, "day": 1}), "year"),
        (
            lambda c: c["resident_medical"].update(closes={"year": -1, "month": 2, "day": 30}),
            "不存在",
        ),
        (lambda c: c["resident_medical"].update(closes={"year": -1, "month": 1, "day": 1}), "早于"),
        (lambda c: c["employee_pension"].update(opens={"year": 0, "month": 1, "day": 1}), "征缴期"),
        (lambda c: c["resident_pension"].update(arrears_periods=-1), "arrears_periods"),
        (lambda c: c["resident_pension"].update(arrears_subsidy="yes"), "arrears_subsidy"),
        (lambda c: c.pop("work_injury"), "work_injury"),
    ],
)
def test_bad_collection_rules_are_refused_at_load(change, words):
    data = copy.deepcopy(load_json("schemes", "parameters.json"))
    change(data["parameter_sets"][0]["collection"])
    with pytest.raises(InvalidValue) as caught:
        ParameterBook.from_dict(data)
    assert caught.value.code == "bad_parameters"
    assert words in caught.value.message


def test_period_labels():
    assert year_period(2027).label == "2027年度"
    assert year_period(2027).label_en == "year 2027"
    assert Period(date(2026, 11, 1), date(2027, 1, 31)).label == "2026年11月至2027年1月"
    assert Period(date(2026, 11, 1), date(2026, 11, 30)).label_en == "2026-11"

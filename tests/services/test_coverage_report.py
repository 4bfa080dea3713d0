"""The coverage picture against hand counts of a known data set (tests/coverage_data.py):
every number of every figure of the pension line, and the medical line's lapsed reason."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from caseworker.domain.coverage_figures import Counts, last_months, running_counts
from caseworker.services.centre import OpenSession
from caseworker.services.coverage_report import coverage_report, coverage_reports
from caseworker.services.errors import ValidationFailed
from tests.coverage_data import V1, V2, V3, CountedCentre, build_counted_centre


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> CountedCentre:
    return build_counted_centre(tmp_path_factory.mktemp("counted") / "centre")


@pytest.fixture(scope="module")
def session(counted) -> Iterator[OpenSession]:
    opened = counted.login()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def pension(counted, session):
    return coverage_report(session.database, session.actor, counted.day, "pension")


def values(figure) -> dict:
    return {(b.key, b.series): b.value for b in figure.bars}


def test_the_totals_count_present_people_only(pension) -> None:
    # 12 people, K moved away: 11 present; G (under 16) and H (student) not concerned.
    assert pension.total == Counts(
        insured_here=2, insured_elsewhere=2, not_insured=3, not_applicable=2, unknown=2
    )
    assert (pension.total.present, pension.total.base, pension.total.covered) == (11, 9, 4)
    assert pension.total.percent == 44.4  # 4 / 9
    assert pension.line_label.zh == "养老保险"
    for figure in pension.figures:  # every figure states its date, what it counts, totals
        assert figure.as_of == pension.as_of
        assert figure.counts_what.zh and figure.counts_what.en
        assert figure.total == pension.total


def test_coverage_rate_by_village(pension) -> None:
    figure = pension.figure("by_village")
    by_key = {b.key: b for b in figure.bars}
    # V1: A, B here, C elsewhere, D not insured, I unknown (K moved away): 3 / 5.
    assert by_key[V1].counts == Counts(2, 1, 1, 0, 1)
    assert by_key[V1].value == 60.0
    assert by_key[V1].label.zh == "街西村村委会"
    # V2: L elsewhere; E, F not insured; G, H not concerned; J unknown: 1 / 4.
    assert by_key[V2].counts == Counts(0, 1, 2, 2, 1)
    assert by_key[V2].value == 25.0
    # A village of the township nobody lives in yet is shown, with no rate.
    assert by_key[V3].value is None and by_key[V3].counts.present == 0
    assert len(figure.bars) == 7  # the township's seven villages
    assert dict(by_key[V1].filters) == {"village_code": V1}


def test_coverage_by_scheme_adds_up_to_the_rate(pension) -> None:
    figure = pension.figure("by_scheme")
    got = {b.key: b.value for b in figure.bars}
    assert got == {
        "insured_here:resident_pension": 22.2,  # A, B of 9
        "insured_here:employee_pension": 0.0,
        "insured_here:employee_pension_flexible": 0.0,
        "insured_elsewhere:employee_pension": 11.1,  # C
        "insured_elsewhere:": 11.1,  # L, scheme not told
    }
    assert figure.bar("insured_elsewhere:").label.zh == "异地：险种未说明"
    assert figure.bar("insured_here:resident_pension").label.zh == "本地：城乡居民养老保险"
    assert not any(b.clickable for b in figure.bars)  # covered people: no not-covered list


def test_not_covered_by_reason_with_unknown_as_not_verified(pension) -> None:
    figure = pension.figure("not_covered_by_reason")
    assert [(b.key, b.label.zh, b.value) for b in figure.bars] == [
        ("cannot_afford", "缴费困难", 2),  # E, F
        ("unwilling", "不愿参保", 1),  # D
        ("unknown", "未核实", 2),  # I, J
    ]
    assert dict(figure.bars[0].filters) == {"status": "not_insured", "reason": "cannot_afford"}
    assert dict(figure.bars[-1].filters) == {"status": "unknown"}
    assert figure.unit == "people"


def test_coverage_rate_by_employment_category(pension) -> None:
    figure = pension.figure("by_category")
    assert [(b.key, b.value) for b in figure.bars] == [
        ("farmer", 75.0),  # A, B here, L elsewhere, F not insured
        ("migrant_worker", 50.0),  # C elsewhere, J unknown
        ("flexible", 0.0),  # E
        ("platform_worker", 0.0),  # D
        ("self_employed", 0.0),  # I
        ("student", None),  # G, H: nobody concerned
    ]
    assert dict(figure.bar("platform_worker").filters) == {"category": "platform_worker"}


def test_coverage_rate_by_age_band_and_sex(pension) -> None:
    figure = pension.figure("by_age_sex")
    assert [s.key for s in figure.series] == ["1", "2"]
    assert values(figure) == {
        ("0-15", "1"): None,  # G: not concerned
        ("0-15", "2"): None,
        ("16-29", "1"): None,
        ("16-29", "2"): None,  # H: not concerned
        ("30-44", "1"): 100.0,  # C elsewhere
        ("30-44", "2"): 50.0,  # B here, D not insured
        ("45-59", "1"): 33.3,  # A here, E not insured, I unknown
        ("45-59", "2"): 0.0,  # J unknown
        ("60-69", "1"): None,
        ("60-69", "2"): 50.0,  # F not insured, L elsewhere
        ("70+", "1"): None,
        ("70+", "2"): None,
    }
    assert dict(figure.bar("45-59", "1").filters) == {"age_band": "45-59", "sex": "1"}
    assert "年末" in figure.note.zh and "birth year" in figure.note.en


def test_the_trend_is_the_running_sum_at_each_month_end(pension, counted) -> None:
    figure = pension.figure("trend")
    months = last_months(counted.day)
    assert [b.key for b in figure.bars] == months
    got = [b.value for b in figure.bars]
    # C told two months back, L one month back (their "unknown" begins only this month, so
    # it never counts below zero), everyone else this month.
    assert got[-3:] == [100.0, 100.0, 44.4]
    assert got[:-3] == [None] * 9
    assert figure.bars[-1].counts == pension.total


def test_running_counts_never_go_below_zero() -> None:
    rows = [("2026-01", "unknown", 3), ("2026-02", "unknown", -1), ("2026-02", "not_insured", 1)]
    rows += [("2025-12", "insured_here", 1), ("2025-12", "unknown", -1)]
    got = running_counts(rows, ["2025-12", "2026-01", "2026-02"])
    assert got == [Counts(insured_here=1), Counts(1, 0, 0, 0, 2), Counts(1, 0, 1, 0, 1)]


def test_the_medical_line_says_lapsed(session, counted) -> None:
    medical = coverage_report(session.database, session.actor, counted.day, "medical")
    reasons = {b.key: b.value for b in medical.figure("not_covered_by_reason").bars}
    assert reasons == {"lapsed": 1, "unknown": 10}  # A enrolled without this year's payment
    assert medical.total.base == 11


def test_json_and_an_unknown_line(session, counted) -> None:
    reports = coverage_reports(session.database, session.actor, counted.day)
    assert [r.line for r in reports] == ["pension", "medical", "injury"]
    data = json.loads(json.dumps(reports[0].as_dict(), ensure_ascii=False))
    assert data["total"]["rate"] == 0.4444
    village = data["figures"][0]
    assert village["as_of"] == counted.day.isoformat()
    assert village["bars"][0]["worklist"] == {"kind": "not_covered", "village_code": "320281103001"}
    with pytest.raises(ValidationFailed) as refused:
        coverage_report(session.database, session.actor, counted.day, "unemployment")
    assert "pension" in refused.value.errors[0].message


def test_the_facets_are_exact_roll_ups_of_the_tally(session) -> None:
    from sqlalchemy import text

    keys = {
        "village": "village_code",
        "scheme": "scheme",
        "reason": "reason",
        "category": "category",
        "age_sex": "birth_year || ':' || sex",
    }
    with session.database.reading() as db:
        for facet, key in keys.items():
            from_tally = db.execute(
                text(
                    f"SELECT line, {key}, status, sum(n) FROM coverage_tally WHERE present"
                    " GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3"
                )
            ).all()
            kept = db.execute(
                text(
                    "SELECT line, key, status, n FROM coverage_facet WHERE facet = :facet"
                    " AND n <> 0 ORDER BY 1, 2, 3"
                ),
                {"facet": facet},
            ).all()
            assert [tuple(r) for r in kept] == [tuple(r) for r in from_tally], facet


def test_a_report_is_quick(session, counted) -> None:
    started = time.perf_counter()
    coverage_reports(session.database, session.actor, counted.day)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("line", ["pension", "medical", "injury"])
def test_every_clickable_bar_lists_the_people_it_counts_as_not_covered(
    counted, session, line
) -> None:
    """A click on a bar opens the not-covered worklist narrowed by the bar's filters: the
    list must hold exactly the not insured and unknown people the bar counts."""
    from caseworker.services.worklist_spec import WorklistSpec
    from caseworker.services.worklists import members

    report = coverage_report(session.database, session.actor, counted.day, line)
    checked = nonempty = 0
    for figure in report.figures:
        for bar in figure.bars:
            if not bar.clickable or bar.counts is None:
                continue
            filters = dict(bar.filters)
            spec = WorklistSpec("not_covered", line=line, **filters)
            people = members(session.database, session.actor, spec, counted.day, limit=None)
            status = filters.get("status")
            expected = (
                bar.counts.get(status)
                if status
                else bar.counts.get("not_insured") + bar.counts.get("unknown")
            )
            assert len(people) == expected, (figure.key, bar.key, filters)
            checked += 1
            nonempty += bool(expected)
    assert checked >= 10 and nonempty >= 5

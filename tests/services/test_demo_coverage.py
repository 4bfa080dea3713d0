"""The demo centre's coverage picture looks like a township's: medical insurance paid for the
current year, visits' answers for what records leave open, some people still 未核实."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.coverage_report import coverage_reports
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.models import CoverageStatus, CoverageSurveyEntry, Payment

DAY = date(2026, 11, 27)


def test_the_demo_picture_is_neither_empty_nor_all_unknown(tmp_path) -> None:
    paths = DataPaths(tmp_path / "demo")
    build_demo_centre(paths, persons=120, today=DAY)
    session = login(paths, "clerk", DEMO_PASSWORD)
    try:
        pension, medical, injury = coverage_reports(session.database, session.actor, DAY)
        with session.database.reading() as db:
            this_year = db.scalar(
                select(func.count())
                .select_from(Payment)
                .where(
                    Payment.scheme == "resident_medical",
                    Payment.channel == "tax",
                    Payment.period_start == date(DAY.year, 1, 1),
                    Payment.business_date < date(DAY.year, 1, 1),  # paid last autumn
                )
            )
            next_year = db.scalar(
                select(func.count())
                .select_from(Payment)
                .where(
                    Payment.scheme == "resident_medical",
                    Payment.period_start == date(DAY.year + 1, 1, 1),
                )
            )
            answered = db.scalar(select(func.count()).select_from(CoverageSurveyEntry))
            surveyed = db.scalar(
                select(func.count())
                .select_from(CoverageStatus)
                .where(CoverageStatus.source == "survey")
            )
    finally:
        session.close()
    assert this_year > 0 and next_year > 0  # the current year and the one being collected
    assert answered == surveyed > 0  # every answer kept as evidence
    for report in (pension, medical, injury):
        total = report.total
        assert total.present == 120
        assert 0 < total.unknown < total.present * 0.4  # visits have been, not everywhere
        assert total.covered > 0 and total.not_insured > 0
    assert medical.total.rate > 0.6  # paid for the year, not all lapsed
    assert pension.total.insured_elsewhere > 0 or medical.total.insured_elsewhere > 0
    assert injury.total.not_applicable > 0
    reasons = {b.key for b in pension.figure("not_covered_by_reason").bars}
    assert "unknown" in reasons and len(reasons) >= 3
    trend = [b.value for b in medical.figure("trend").bars]
    assert trend[-1] is not None and sum(v is not None for v in trend) >= 2

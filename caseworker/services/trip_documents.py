"""A trip's papers: pre-filled survey sheets for its households, the visit list, the summary."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from caseworker.domain.codes import load_code_table
from caseworker.domain.money import format_yuan
from caseworker.printing.layout import PrintResult
from caseworker.printing.trip import (
    TripSummaryData,
    VisitListData,
    VisitListRow,
    build_trip_summary,
    build_visit_list,
)
from caseworker.services.actor import Actor, Permission
from caseworker.services.documents import font_chain, survey_pdf
from caseworker.services.documents_records import _centre, _now
from caseworker.services.trip_summary import trip_summary
from caseworker.services.trips import TripHouseholdRow, progress
from caseworker.store.database import Database


def _row(r: TripHouseholdRow) -> VisitListRow:
    return VisitListRow(
        r.village_name, r.address, r.head_name, r.members, r.not_covered, r.outcome is not None
    )


def trip_survey_pdf(
    database: Database, actor: Actor, trip_id: uuid.UUID, *, now: datetime | None = None
) -> PrintResult:
    """全民参保登记入户调查表 for each household of the trip, in visiting order."""
    found = progress(database, actor, trip_id)
    return survey_pdf(database, household_ids=[r.household_id for r in found.rows], now=now)


def visit_list_pdf(
    database: Database, actor: Actor, trip_id: uuid.UUID, *, now: datetime | None = None
) -> PrintResult:
    found = progress(database, actor, trip_id)
    with database.reading() as session:
        centre = _centre(session)
    data = VisitListData(
        centre,
        found.trip.name,
        found.trip.created_on,
        _now(now),
        tuple(_row(r) for r in found.rows),
    )
    return build_visit_list(data, font_chain(database))


def trip_summary_pdf(
    database: Database,
    actor: Actor,
    trip_id: uuid.UUID,
    *,
    day: date,
    now: datetime | None = None,
) -> PrintResult:
    actor.require(Permission.VIEW)
    summary = trip_summary(database, actor, trip_id, day=day)
    with database.reading() as session:
        centre = _centre(session)
    lines = {e.code: e.name_zh for e in load_code_table("coverage_line")}
    statuses = {e.code: e.name_zh for e in load_code_table("coverage_status")}
    figures = (
        ("计划走访户数", str(summary.households_total)),
        ("已走访户数", str(summary.visited)),
        ("无人在家", str(summary.nobody_home)),
        ("拒绝", str(summary.refused)),
        ("在册人数", str(summary.people_total)),
        ("已记录人数", str(summary.people_recorded)),
        ("新增人员（出生、迁入）", str(summary.added)),
        ("迁出", str(summary.moved_away)),
        ("死亡", str(summary.deceased)),
        ("尚未覆盖人数", str(summary.not_covered)),
        ("当场参保", str(summary.enrolments)),
        ("当场缴费（笔）", str(summary.payments)),
        ("收取金额（元）", format_yuan(summary.collected_fen)),
    )
    rows = tuple(
        (lines.get(line, line), statuses.get(status, status), count)
        for (line, status), count in sorted(
            summary.statuses.items(), key=lambda item: (list(lines).index(item[0][0]), item[0][1])
        )
    )
    data = TripSummaryData(
        centre,
        summary.trip.name,
        summary.trip.created_on,
        summary.trip.closed_on,
        _now(now),
        figures,
        rows,
        tuple(_row(r) for r in summary.not_visited),
    )
    return build_trip_summary(data, font_chain(database))

"""Field-visit papers (A4): the visit list taken along (households in order, a box to tick)
and the trip summary brought back. Plain records in, PDF out; no store, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from caseworker.printing.data import CentreInfo
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    MM,
    Grid,
    PrintResult,
    format_time,
    label,
    signature_boxes,
    value,
)
from caseworker.printing.tables import Column, PagedTable, page_footer, plan_pages, start_a4_report
from caseworker.printing.text import Box

VISIT_LIST_TITLE = "全民参保登记入户走访清单"
VISIT_LIST_CODE = "表号：CW-DC-02"
SUMMARY_TITLE = "全民参保登记走访小结"
SUMMARY_CODE = "表号：CW-DC-03"
VISIT_COLUMNS = (
    Column("序号", 0.45, "center"),
    Column("村（居）委会", 1.5),
    Column("家庭住址", 1.6),
    Column("户主", 0.9),
    Column("在册人数", 0.6, "center"),
    Column("未覆盖人数", 0.7, "center"),
    Column("已走访", 0.55, "center"),
    Column("备注", 1.2),
)
ROW_H = 20.0
LISTED = 10  # households not visited named on the summary (the visit list has all)


@dataclass(frozen=True)
class VisitListRow:
    village: str
    address: str
    head: str
    members: int
    not_covered: int
    visited: bool


@dataclass(frozen=True)
class VisitListData:
    centre: CentreInfo
    trip_name: str
    planned_on: date
    printed_at: datetime
    rows: tuple[VisitListRow, ...]


@dataclass(frozen=True)
class TripSummaryData:
    centre: CentreInfo
    trip_name: str
    planned_on: date
    closed_on: date | None
    printed_at: datetime
    figures: tuple[tuple[str, str], ...]  # (what, how many), in reading order
    statuses: tuple[tuple[str, str, int], ...]  # (line, status, people)
    not_visited: tuple[VisitListRow, ...]


def build_visit_list(data: VisitListData, chain: FontChain) -> PrintResult:
    report = start_a4_report(
        chain,
        VISIT_LIST_TITLE,
        data.trip_name,
        VISIT_LIST_CODE,
        data.centre.name,
        f"行程：{data.trip_name}",
    )
    doc, margin, width = report.doc, report.margin, report.width
    grid = Grid(doc.pen, margin, report.top, width)
    grid.row(
        22,
        [
            label("计划日期", 0.8),
            value(data.planned_on.isoformat(), 1.2),
            label("户数", 0.6),
            value(str(len(data.rows)), 0.6),
            label("人数", 0.6),
            value(str(sum(r.members for r in data.rows)), 0.6),
            label("未覆盖", 0.7),
            value(str(sum(r.not_covered for r in data.rows)), 0.6),
        ],
    )
    grid.frame()
    rows = [
        [
            str(n),
            r.village,
            r.address,
            r.head,
            str(r.members),
            str(r.not_covered),
            "√" if r.visited else "□",
            "",
        ]
        for n, r in enumerate(data.rows, start=1)
    ]
    table_top = grid.top - 8
    tail = 6 + 70
    plan = plan_pages(
        len(rows), table_top - report.bottom, report.page_top - report.bottom, ROW_H, tail
    )
    footer = f"{data.centre.name}　打印：{format_time(data.printed_at)}"
    page_footer(doc, len(plan), footer, margin, 10 * MM)

    def next_page() -> None:
        doc.pen.text(
            margin, report.page_top + 12, f"{VISIT_LIST_TITLE}（续）　{data.trip_name}", 8.5
        )
        page_footer(doc, len(plan), footer, margin, 10 * MM)

    table = PagedTable(doc, VISIT_COLUMNS, margin, width, ROW_H, size=9)
    y = table.draw(rows, plan, top=table_top, page_top=report.page_top, start_page=next_page)
    signature_boxes(
        doc.pen, Box(margin, y - 6 - 70, width, 70), ["走访人签字", "复核人签字", "日期"]
    )
    return doc.finish()


def build_trip_summary(data: TripSummaryData, chain: FontChain) -> PrintResult:
    report = start_a4_report(
        chain,
        SUMMARY_TITLE,
        data.trip_name,
        SUMMARY_CODE,
        data.centre.name,
        f"行程：{data.trip_name}",
    )
    doc, margin, width = report.doc, report.margin, report.width
    grid = Grid(doc.pen, margin, report.top, width)
    closed = data.closed_on.isoformat() if data.closed_on else "（未结束）"
    grid.row(
        22,
        [
            label("计划日期", 0.8),
            value(data.planned_on.isoformat(), 1.2),
            label("结束日期", 0.8),
            value(closed, 1.2),
        ],
    )
    for start in range(0, len(data.figures), 2):
        cells = []
        for what, count in data.figures[start : start + 2]:
            cells += [label(what, 0.8), value(count, 1.2)]
        if len(cells) < 4:
            cells += [label("", 0.8), value("", 1.2)]
        grid.row(20, cells)
    grid.frame()
    y = grid.top - 10
    doc.pen.text(margin, y - 4, "走访记录人员的参保状态（人）", 9.5)
    table = Grid(doc.pen, margin, y - 10, width, size=9)
    table.row(16, [label("保障项目", 1.5), label("参保状态", 1.5), label("人数", 1.0)])
    for line, status, count in data.statuses:
        table.row(
            16, [value(line, 1.5), value(status, 1.5), value(str(count), 1.0, align="center")]
        )
    table.frame()
    y = table.top - 10
    sign_h = 60.0
    if data.not_visited:
        # As many as fit above the signatures on this one page; the visit list has them all.
        room = int((y - report.bottom - sign_h - 10 - 14) // 16) - 2
        listed = max(0, min(LISTED, room, len(data.not_visited)))
        doc.pen.text(margin, y - 4, f"尚未走访的家庭户（{len(data.not_visited)}户）", 9.5)
        rows = Grid(doc.pen, margin, y - 10, width, size=9)
        rows.row(16, [label("村（居）委会", 1.5), label("家庭住址", 1.6), label("户主", 0.9)])
        for r in data.not_visited[:listed]:
            rows.row(16, [value(r.village, 1.5), value(r.address, 1.6), value(r.head, 0.9)])
        if len(data.not_visited) > listed:
            rows.row(16, [value(f"另有 {len(data.not_visited) - listed} 户，见走访清单。", 4.0)])
        rows.frame()
        y = rows.top - 10
    signature_boxes(
        doc.pen, Box(margin, y - sign_h, width, sign_h), ["走访人签字", "审核人签字", "日期"]
    )
    page_footer(
        doc, 1, f"{data.centre.name}　打印：{format_time(data.printed_at)}", margin, 10 * MM
    )
    return doc.finish()

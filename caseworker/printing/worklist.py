"""工作清单 (A4): a worklist to take along — who, where, why, a phone, and room for a note.

Printed standard forms are in Chinese. The head says the list's date and, in one sentence,
what it counts, with the filters applied; ID numbers are masked (the paper leaves the
centre); every page says 第 x 页 共 y 页.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from caseworker.printing.data import CentreInfo
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import GREY, MM, PrintResult, format_time
from caseworker.printing.tables import Column, PagedTable, page_footer, plan_pages, start_a4_report
from caseworker.printing.text import Box

FORM_CODE = "表号：CW-GZ-01"
COLUMNS = (
    Column("序号", 0.45, "center"),
    Column("姓名", 0.95),
    Column("身份证号", 1.6),
    Column("村（居）", 1.3),
    Column("列入原因", 3.5),
    Column("联系电话", 1.15),
    Column("处理情况", 1.3),
)
ROW_H = 20.0
NOTE_H = 30.0  # what the list counts, under the header


@dataclass(frozen=True)
class WorklistLine:
    name: str
    masked_id_number: str
    village: str
    reason: str
    phone: str


@dataclass(frozen=True)
class WorklistPrintData:
    centre: CentreInfo
    title: str  # e.g. 待续缴人员
    counts: str  # what the list counts, one sentence
    filters: str  # the filters in words, "" for none
    day: date
    printed_at: datetime
    lines: tuple[WorklistLine, ...]


def build_worklist(data: WorklistPrintData, chain: FontChain) -> PrintResult:
    title = f"工作清单：{data.title}"
    report = start_a4_report(
        chain,
        title,
        data.day.isoformat(),
        FORM_CODE,
        data.centre.name,
        f"清单日期：{data.day.isoformat()}　共 {len(data.lines)} 条",
    )
    doc, margin, width = report.doc, report.margin, report.width
    pen = doc.pen
    note = f"统计口径：{data.counts}"
    if data.filters:
        note += f"　筛选：{data.filters}"
    pen.fit(Box(margin, report.top - NOTE_H, width, NOTE_H), note, size=8.5, min_size=6, padding=1)
    top = report.top - NOTE_H - 4
    rows = [
        [str(n), line.name, line.masked_id_number, line.village, line.reason, line.phone, ""]
        for n, line in enumerate(data.lines, start=1)
    ]
    plan = plan_pages(len(rows), top - report.bottom, report.page_top - report.bottom, ROW_H, 0)
    footer = f"{data.centre.name}　打印：{format_time(data.printed_at)}　身份证号已隐去中间位"
    page_footer(doc, len(plan), footer, margin, 10 * MM)

    def next_page() -> None:
        pen.text(margin, doc.height - 10 * MM, f"{title}（续）　{data.day.isoformat()}", 8.5)
        page_footer(doc, len(plan), footer, margin, 10 * MM)

    if not rows:
        pen.text(margin, top - 16, "清单中没有人员。", 10, color=GREY)
        return doc.finish()
    PagedTable(doc, COLUMNS, margin, width, ROW_H, size=8).draw(
        rows, plan, top=top, page_top=report.page_top, start_page=next_page
    )
    return doc.finish()

"""The employer's papers (A4): 参保单位登记表, the month's 增减员表 for the employer to sign, and
the employee roster with bases (花名册). Plain values in, a PDF out; printed forms are Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from caseworker.printing.data import CentreInfo
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    MM,
    Cell,
    Grid,
    PrintResult,
    format_time,
    label,
    signature_boxes,
    value,
)
from caseworker.printing.tables import (
    Column,
    PagedTable,
    page_footer,
    plan_pages,
    start_a4_report,
    table_end,
)
from caseworker.printing.text import Box

ROW_H = 17.0
GAP = 26.0
SIGN_H = 70.0


@dataclass(frozen=True)
class EmployerPaperHead:
    """Who the paper is about, every code already in words."""

    centre: CentreInfo
    credit_code: str
    name: str
    employer_type: str
    industry: str
    address: str
    contact: str
    printed_at: datetime


@dataclass(frozen=True)
class EmployerRegistration:
    head: EmployerPaperHead
    schemes: tuple[tuple[str, bool], ...]  # every employees' scheme, ticked if taken part in
    insured_from: date | None
    risk_class: str
    injury_rate: str  # e.g. "0.48%（二类基准0.40%的120%）"
    employees: int


@dataclass(frozen=True)
class PaperTable:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    total: str = ""  # a line under the table


@dataclass(frozen=True)
class EmployerList:
    head: EmployerPaperHead
    title: str
    form_code: str
    subject: str  # the month or day the list is of
    tables: tuple[PaperTable, ...]
    signatures: tuple[str, ...]
    note: str = ""


def build_employer_registration(data: EmployerRegistration, chain: FontChain) -> PrintResult:
    head = data.head
    report = start_a4_report(
        chain,
        "社会保险参保单位登记表",
        head.name,
        "表号：CW-DW-01",
        head.centre.name,
        f"打印：{format_time(head.printed_at)}",
    )
    doc, margin, width = report.doc, report.margin, report.width
    grid = Grid(doc.pen, margin, report.top, width)
    h = 26
    grid.row(17, [Cell("一、单位基本信息", label=True, align="left", size=10)])
    grid.row(h, [label("单位名称"), value(head.name, 3.6)])
    grid.row(
        h,
        [
            label("统一社会信用代码"),
            value(head.credit_code, 1.6),
            label("单位类型"),
            value(head.employer_type),
        ],
    )
    grid.row(
        h,
        [
            label("所属行业"),
            value(head.industry or "—", 1.6),
            label("参保职工"),
            value(f"{data.employees} 人"),
        ],
    )
    grid.row(h, [label("单位地址"), value(head.address or "—", 3.6)])
    grid.row(h, [label("联系人及电话"), value(head.contact or "—", 3.6)])
    grid.row(17, [Cell("二、参保信息", label=True, align="left", size=10)])
    grid.row(h + 6, [label("参保险种"), Cell("", 3.6, options=data.schemes)])
    grid.row(
        h,
        [
            label("参保日期"),
            value(data.insured_from.isoformat() if data.insured_from else "—", 1.6),
            label("工伤风险类别"),
            value(data.risk_class or "—"),
        ],
    )
    grid.row(h, [label("工伤保险费率"), value(data.injury_rate or "不参加工伤保险", 3.6)])
    grid.frame()
    y = grid.top - 14
    doc.pen.text(
        margin,
        y,
        "单位承诺：以上信息真实、准确，已依法为全部职工办理参保登记并按月足额申报缴费基数。",
        9,
    )
    signature_boxes(
        doc.pen,
        Box(margin, y - 12 - SIGN_H, width, SIGN_H),
        ["单位（盖章）", "法定代表人或经办人签字", "经办机构经办人", "复核人"],
    )
    page_footer(doc, 1, head.centre.name, margin, 10 * MM)
    return doc.finish()


def build_employer_list(data: EmployerList, chain: FontChain) -> PrintResult:
    """A list of tables over as many pages as they take, then the signature boxes."""
    head = data.head
    report = start_a4_report(
        chain,
        data.title,
        f"{head.name} {data.subject}",
        data.form_code,
        head.centre.name,
        data.subject,
    )
    doc, margin, width = report.doc, report.margin, report.width
    bottom, page_top = report.bottom, report.page_top
    pen = doc.pen
    pen.text(
        margin, report.top - 12, f"单位：{head.name}　统一社会信用代码：{head.credit_code}", 9.5
    )
    top = report.top - 18
    if data.note:
        pen.text(margin, top - 10, data.note, 8.5)
        top -= 14
    plans: list[list[int]] = []
    y = top
    for index, table in enumerate(data.tables):
        after = 20.0 if table.total else 0.0
        tail = after + (SIGN_H + 8 if index == len(data.tables) - 1 else 0)
        rows = max(len(table.rows), 1)
        plan = plan_pages(rows, y - GAP - bottom, page_top - bottom, ROW_H, tail)
        plans.append(plan)
        y = table_end(plan, y - GAP, page_top, ROW_H) - after
    total = sum(len(plan) for plan in plans) - len(plans) + 1
    footer = f"{head.centre.name}　打印：{format_time(head.printed_at)}"
    page_footer(doc, total, footer, margin, 10 * MM)

    def next_page() -> None:
        pen.text(
            margin, doc.height - 10 * MM, f"{data.title}（续）　{head.name}　{data.subject}", 8.5
        )
        page_footer(doc, total, footer, margin, 10 * MM)

    y = top
    for table, plan in zip(data.tables, plans, strict=True):
        pen.text(margin, y - 16, table.title, 10, bold=True)
        rows: Sequence[Sequence[str]] = table.rows or (
            ("（无）", *("" for _ in table.columns[1:])),
        )
        y = PagedTable(doc, table.columns, margin, width, ROW_H, size=8).draw(
            rows, plan, top=y - GAP, page_top=page_top, start_page=next_page
        )
        if table.total:
            pen.text(margin, y - 14, table.total, 9.5, bold=True)
            y -= 20
    signature_boxes(pen, Box(margin, y - 8 - SIGN_H, width, SIGN_H), list(data.signatures))
    return doc.finish()

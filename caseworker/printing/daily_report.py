"""收缴日报表 (A4): a day's receipts by operator and scheme, totals by payment method, the
voided receipts with their reasons (never counted in the totals), each operator's daily close
(日结: expected and counted cash, difference, note, who closed it and when), and every receipt
listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from caseworker.domain.money import format_yuan
from caseworker.printing.data import DailyClose, DailyReceipt, DailyReportData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    MM,
    PrintResult,
    format_time,
    signature_boxes,
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

TITLE = "社会保险费收缴日报表"
FORM_CODE = "表号：CW-RB-01"
SUMMARY = (
    Column("收款人", 1.3),
    Column("险种/方式", 2.4),
    Column("笔数", 0.6, "right"),
    Column("应缴金额", 1.2, "right"),
    Column("个人实收", 1.2, "right"),
    Column("政府代缴", 1.2, "right"),
    Column("政府补贴", 1.2, "right"),
)
CLOSE = (
    Column("收款人", 1.0),
    Column("收据/作废", 0.9, "center"),
    Column("应收现金", 1.0, "right"),
    Column("实点现金", 1.0, "right"),
    Column("差额", 0.9, "right"),
    Column("说明", 2.1),
    Column("日结人/时间", 1.6),
    Column("状态", 1.5),
)
DETAIL = (
    Column("收据号", 2.0),
    Column("时间", 0.6, "center"),
    Column("缴费人", 1.2),
    Column("险种", 1.7),
    Column("收款人", 0.9),
    Column("方式", 0.7, "center"),
    Column("个人实收", 1.0, "right"),
    Column("状态", 2.0),
)
ROW_H = 17.0
SIGN_H = 70.0


def _sums(receipts: Iterable[DailyReceipt]) -> list[str]:
    items = list(receipts)
    return [
        str(len(items)),
        format_yuan(sum(r.amount_fen for r in items)),
        format_yuan(sum(r.personal_fen for r in items)),
        format_yuan(sum(r.paid_by_government_fen for r in items)),
        format_yuan(sum(r.subsidy_fen for r in items)),
    ]


def summary_rows(receipts: Iterable[DailyReceipt]) -> list[list[str]]:
    """By operator and scheme with subtotals, the day's total, by payment method, and voids.
    Voided receipts are shown on their own line and never counted in a total."""
    receipts = list(receipts)
    live = [r for r in receipts if not r.voided]
    by_operator: dict[str, dict[str, list[DailyReceipt]]] = defaultdict(lambda: defaultdict(list))
    by_method: dict[str, list[DailyReceipt]] = defaultdict(list)
    for r in live:
        by_operator[r.operator][r.scheme].append(r)
        by_method[r.method].append(r)
    rows: list[list[str]] = []
    for operator in sorted(by_operator):
        schemes = by_operator[operator]
        for scheme in sorted(schemes):
            rows.append([operator, scheme, *_sums(schemes[scheme])])
        rows.append([operator, "小计", *_sums(r for s in schemes.values() for r in s)])
    rows.append(["合计", "（不含作废）", *_sums(live)])
    for method in sorted(by_method):
        rows.append(["按缴费方式", method, *_sums(by_method[method])])
    voids = [r for r in receipts if r.voided]
    rows.append(["作废收据", "不计入合计", *_sums(voids)])
    return rows


def detail_rows(receipts: Iterable[DailyReceipt]) -> list[list[str]]:
    return [
        [
            r.receipt_number,
            r.paid_at.strftime("%H:%M"),
            r.name,
            r.scheme,
            r.operator,
            r.method,
            format_yuan(r.personal_fen),
            f"作废：{r.void_reason}（{r.voided_by}）" if r.voided else "有效",
        ]
        for r in sorted(receipts, key=lambda r: r.receipt_number)
    ]


def _close_state(close: DailyClose) -> str:
    if not close.matches_audit:
        return "与审计记录不符！"
    return f"已撤销：{close.reopened}" if close.reopened else "已日结"


def close_rows(closes: Iterable[DailyClose]) -> list[list[str]]:
    """One line per close; a day nobody closed says so, rather than show an empty table."""
    rows = [
        [
            c.operator,
            f"{c.receipts}/{c.voids}",
            format_yuan(c.expected_cash_fen),
            format_yuan(c.counted_cash_fen),
            format_yuan(c.difference_fen),
            c.note or "—",
            f"{c.closed_by} {c.closed_at.strftime('%H:%M')}",
            _close_state(c),
        ]
        for c in closes
    ]
    return rows or [["—", "", "", "", "", "当日尚未日结", "", "未日结"]]


def build_daily_report(data: DailyReportData, chain: FontChain) -> PrintResult:
    report = start_a4_report(
        chain,
        TITLE,
        data.day.isoformat(),
        FORM_CODE,
        data.centre.name,
        f"业务日期：{data.day.isoformat()}",
    )
    doc, margin, width = report.doc, report.margin, report.width
    bottom, page_top, top = report.bottom, report.page_top, report.top
    summary = summary_rows(data.receipts)
    closes = close_rows(data.closes)
    detail = detail_rows(data.receipts)
    gap = 26.0  # a section title between the tables
    first = plan_pages(len(summary), top - gap - bottom, page_top - bottom, ROW_H, 0)
    after = table_end(first, top - gap, page_top, ROW_H) - gap
    middle = plan_pages(len(closes), after - bottom, page_top - bottom, ROW_H, 0)
    after = table_end(middle, after, page_top, ROW_H) - gap
    second = plan_pages(len(detail), after - bottom, page_top - bottom, ROW_H, SIGN_H + 8)
    total = len(first) + len(middle) + len(second) - 2
    footer = f"{data.centre.name}　打印：{format_time(data.printed_at)}"
    page_footer(doc, total, footer, margin, 10 * MM)

    def next_page() -> None:
        doc.pen.text(margin, doc.height - 10 * MM, f"{TITLE}（续）　{data.day.isoformat()}", 8.5)
        page_footer(doc, total, footer, margin, 10 * MM)

    pen = doc.pen
    pen.text(margin, top - 16, "一、收款汇总（金额单位：元）", 10, bold=True)
    y = PagedTable(doc, SUMMARY, margin, width, ROW_H).draw(
        summary, first, top=top - gap, page_top=page_top, start_page=next_page
    )
    pen.text(margin, y - 16, "二、日结（现金，金额单位：元）", 10, bold=True)
    y = PagedTable(doc, CLOSE, margin, width, ROW_H, size=8).draw(
        closes, middle, top=y - gap, page_top=page_top, start_page=next_page
    )
    pen.text(margin, y - 16, f"三、收据明细（共 {len(detail)} 张，含作废）", 10, bold=True)
    y = PagedTable(doc, DETAIL, margin, width, ROW_H, size=8).draw(
        detail, second, top=y - gap, page_top=page_top, start_page=next_page
    )
    signature_boxes(
        pen, Box(margin, y - 8 - SIGN_H, width, SIGN_H), ["收款人签字", "复核人签字", "负责人签字"]
    )
    return doc.finish()

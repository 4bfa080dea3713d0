"""现金解缴清单 (A4): the cash a day's desk receipts took, to remit to the tax authority.

By operator and payment method, the total to remit in figures and capitals, every receipt
listed, and the voided receipts on their own (never counted in what is remitted).
"""

from __future__ import annotations

from collections import defaultdict

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.printing.data import DailyReceipt, RemittanceData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import MM, PrintResult, format_time
from caseworker.printing.layout import signature_boxes as draw_signatures
from caseworker.printing.tables import (
    Column,
    PagedTable,
    page_footer,
    plan_pages,
    start_a4_report,
    table_end,
)
from caseworker.printing.text import Box

TITLE = "社会保险费现金解缴清单"
FORM_CODE = "表号：CW-JJ-01"
SUMMARY = (
    Column("项目", 2.2),
    Column("明细", 2.2),
    Column("笔数", 0.8, "right"),
    Column("金额（元）", 1.4, "right"),
)
DETAIL = (
    Column("收据号", 2.2),
    Column("时间", 0.6, "center"),
    Column("缴费人", 1.0),
    Column("身份证号", 1.6),
    Column("险种", 1.6),
    Column("方式", 0.8, "center"),
    Column("收款人", 0.8),
    Column("金额", 0.9, "right"),
)
VOIDS = (
    Column("收据号", 2.2),
    Column("缴费人", 1.0),
    Column("险种", 1.6),
    Column("收款人", 0.8),
    Column("金额", 0.9, "right"),
    Column("作废原因（作废人）", 3.0),
)
ROW_H = 17.0
GAP = 26.0  # a section title above each table
TOTAL_H = 30.0
SIGN_H = 70.0


def _count_and_sum(receipts: list[DailyReceipt]) -> list[str]:
    return [str(len(receipts)), format_yuan(sum(r.personal_fen for r in receipts))]


def summary_rows(data: RemittanceData) -> list[list[str]]:
    """By operator, by payment method, the total to remit, and the voids (not counted)."""
    live = list(data.live)
    by_operator: dict[str, list[DailyReceipt]] = defaultdict(list)
    by_method: dict[str, list[DailyReceipt]] = defaultdict(list)
    for r in live:
        by_operator[r.operator].append(r)
        by_method[r.method].append(r)
    rows = [["收款人", name, *_count_and_sum(by_operator[name])] for name in sorted(by_operator)]
    rows += [
        ["缴费方式", method, *_count_and_sum(by_method[method])] for method in sorted(by_method)
    ]
    rows.append(["应解缴合计", "不含作废", *_count_and_sum(live)])
    rows.append(["作废收据", "不计入解缴", *_count_and_sum(list(data.voided))])
    return rows


def detail_rows(receipts: tuple[DailyReceipt, ...]) -> list[list[str]]:
    return [
        [
            r.receipt_number,
            r.paid_at.strftime("%H:%M"),
            r.name,
            r.masked_id_number,
            r.scheme,
            r.method,
            r.operator,
            format_yuan(r.personal_fen),
        ]
        for r in receipts
    ]


def void_rows(receipts: tuple[DailyReceipt, ...]) -> list[list[str]]:
    return [
        [
            r.receipt_number,
            r.name,
            r.scheme,
            r.operator,
            format_yuan(r.personal_fen),
            f"{r.void_reason}（{r.voided_by}）",
        ]
        for r in receipts
    ]


def build_remittance(data: RemittanceData, chain: FontChain) -> PrintResult:
    who = data.operator or "全部收款人"
    report = start_a4_report(
        chain,
        TITLE,
        f"{data.day.isoformat()} {who}",
        FORM_CODE,
        data.centre.name,
        f"业务日期：{data.day.isoformat()}　收款人：{who}",
    )
    doc, margin, width = report.doc, report.margin, report.width
    bottom, page_top, top = report.bottom, report.page_top, report.top
    voids = void_rows(data.voided)
    tables = [
        ("一、解缴汇总（金额单位：元）", SUMMARY, summary_rows(data), TOTAL_H),
        (f"二、收据明细（有效 {len(data.live)} 张）", DETAIL, detail_rows(data.live), 0.0),
    ]
    if voids:
        tables.append((f"三、作废收据（{len(voids)} 张，不计入解缴金额）", VOIDS, voids, 0.0))
    # Page count first, so every page can say 第 x 页 共 y 页.
    plans: list[list[int]] = []
    y = top
    for index, (_title, _columns, rows, after) in enumerate(tables):
        tail = after + (SIGN_H + 8 if index == len(tables) - 1 else 0)
        plan = plan_pages(len(rows), y - GAP - bottom, page_top - bottom, ROW_H, tail)
        plans.append(plan)
        y = table_end(plan, y - GAP, page_top, ROW_H) - after
    total = sum(len(plan) for plan in plans) - len(plans) + 1
    footer = f"{data.centre.name}　打印：{format_time(data.printed_at)}"
    page_footer(doc, total, footer, margin, 10 * MM)

    def next_page() -> None:
        doc.pen.text(margin, doc.height - 10 * MM, f"{TITLE}（续）　{data.day.isoformat()}", 8.5)
        page_footer(doc, total, footer, margin, 10 * MM)

    pen = doc.pen
    y = top
    for (title, columns, rows, after), plan in zip(tables, plans, strict=True):
        pen.text(margin, y - 16, title, 10, bold=True)
        y = PagedTable(doc, columns, margin, width, ROW_H, size=8).draw(
            rows, plan, top=y - GAP, page_top=page_top, start_page=next_page
        )
        if after:
            pen.text(
                margin,
                y - 18,
                f"应解缴金额（大写）：{to_chinese_capitals(data.total_fen)}　"
                f"（小写）¥{format_yuan(data.total_fen)}",
                10.5,
                bold=True,
            )
            y -= after
    draw_signatures(
        pen,
        Box(margin, y - 8 - SIGN_H, width, SIGN_H),
        ["收款人签字", "复核人签字", "解缴经办（税务）"],
    )
    return doc.finish()

"""业务数据移交清单 (A4): the records of one upload batch, for the paper archive handed to the
county with the batch, signed by whoever hands it over and whoever receives it."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.pagesizes import A4

from caseworker.printing.data import TransmittalData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    MM,
    Grid,
    PdfDocument,
    PrintResult,
    format_time,
    header,
    label,
    signature_boxes,
    value,
)
from caseworker.printing.tables import Column, PagedTable, page_footer, plan_pages
from caseworker.printing.text import Box

TITLE = "社会保险业务数据移交清单"
FORM_CODE = "表号：CW-YJ-01"
COLUMNS = (
    Column("序号", 0.45, "center"),
    Column("类别", 0.55, "center"),
    Column("姓名/名称", 1.3),
    Column("证件号码/收据号", 2.0),
    Column("操作", 0.5, "center"),
    Column("记录编号", 2.9),
    Column("记录时间", 1.25, "center"),
    Column("状态", 0.65, "center"),
)
ROW_H = 18.0
TAIL = 30 + 6 + 78  # the summary row, a gap and the signature boxes


def build_transmittal(data: TransmittalData, chain: FontChain) -> PrintResult:
    doc = PdfDocument(chain, A4, f"{TITLE} {data.batch_id}")
    margin = 15 * MM
    width = doc.width - 2 * margin
    bottom = 18 * MM
    rows = [
        [
            str(n),
            row.kind,
            row.subject,
            row.reference,
            row.operation,
            str(row.record_id),
            format_time(row.recorded_at) if row.recorded_at else "",
            row.state,
        ]
        for n, row in enumerate(data.rows, start=1)
    ]
    doc.new_page()
    top = _page_head(doc, data, margin)
    grid = Grid(doc.pen, margin, top, width)
    grid.row(
        22,
        [
            label("批次号", 0.8),
            value(data.batch_id, 2.6, size=8.5),
            label("生成时间", 0.8),
            value(format_time(data.created_at) if data.created_at else "", 1.4),
            label("记录数", 0.7),
            value(str(len(data.rows)), 0.7),
        ],
    )
    grid.row(20, [label("SHA-256", 0.8), value(data.sha256 or "（未封包）", 6.2, size=7.5)])
    grid.frame()
    table_top = grid.top - 8
    page_top = doc.height - 15 * MM
    plan = plan_pages(len(rows), table_top - bottom, page_top - bottom, ROW_H, TAIL)
    total = len(plan)
    footer = f"{data.centre.name}　打印：{format_time(data.printed_at)}"
    page_footer(doc, total, footer, margin, 10 * MM)

    def next_page() -> None:
        doc.pen.text(margin, doc.height - 10 * MM, f"{TITLE}（续）　批次 {data.batch_id}", 8.5)
        page_footer(doc, total, footer, margin, 10 * MM)

    table = PagedTable(doc, COLUMNS, margin, width, ROW_H)
    y = table.draw(rows, plan, top=table_top, page_top=page_top, start_page=next_page)

    counts = Counter((row.kind, row.operation) for row in data.rows)
    summary = "；".join(f"{kind}{op} {n} 条" for (kind, op), n in sorted(counts.items()))
    tail = Grid(doc.pen, margin, y - 6, width)
    tail.row(30, [label("合计", 0.8), value(f"共 {len(data.rows)} 条：{summary}", 6.2)])
    tail.frame()
    signature_boxes(
        doc.pen,
        Box(margin, tail.top - 6 - 78, width, 78),
        ["移交人（服务中心）签字", "接收人（县级经办机构）签字", "接收单位（盖章）"],
    )
    return doc.finish()


def _page_head(doc: PdfDocument, data: TransmittalData, margin: float) -> float:
    return header(
        doc,
        TITLE,
        form_code=FORM_CODE,
        centre=data.centre.name,
        top=doc.height - 13 * MM,
        margin=margin,
        right_note=f"打印时间：{format_time(data.printed_at)}",
    )

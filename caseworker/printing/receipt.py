"""缴费凭证 (receipt): A5 landscape for the desk printer, or an 80 mm roll for field visits.

A reprint says 副本 on its face; a voided receipt prints with 已作废 and the reason (and 副本
too, since only copies are printed after the original), so a paper copy can never pass for
a live receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from reportlab.lib.pagesizes import A5, landscape

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.printing.data import ReceiptData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    GREY,
    MM,
    STAMP_RED,
    Cell,
    Grid,
    PdfDocument,
    PrintResult,
    check_value,
    draw_qr,
    format_time,
    header,
    label,
    stamp,
    value,
)
from caseworker.printing.text import Box

Paper = Literal["a5", "roll80"]
PAPERS: tuple[Paper, ...] = ("a5", "roll80")
TITLE = "社会保险费缴费凭证"
FORM_CODE = "表号：CW-SJ-01"
QR_PREFIX = "CW1:RCPT"


def qr_payload(data: ReceiptData) -> tuple[str, str]:
    check = check_value(
        QR_PREFIX, data.receipt_number, data.record_id, data.personal_fen, data.amount_fen
    )
    return f"{QR_PREFIX}:{data.receipt_number}:{data.record_id}:{check}", check


def _choice(data: ReceiptData) -> str:
    if data.tier_fen is not None:
        return f"{format_yuan(data.tier_fen)} 元/年（档次）"
    if data.base_fen is not None:
        return f"{format_yuan(data.base_fen)} 元/月（基数）"
    return "—"


def _period(data: ReceiptData) -> str:
    return f"{data.period_start.isoformat()} 至 {data.period_end.isoformat()}"


def _breakdown(data: ReceiptData) -> str:
    return (
        f"应缴 ¥{format_yuan(data.amount_fen)}，其中个人缴纳 ¥{format_yuan(data.personal_fen)}、"
        f"政府代缴 ¥{format_yuan(data.paid_by_government_fen)}；"
        f"另政府补贴 ¥{format_yuan(data.subsidy_fen)} 记入个人账户"
    )


def _heading(data: ReceiptData) -> str:
    if data.void:
        return TITLE + ("（副本·已作废）" if data.reprint else "（已作废）")
    return TITLE + ("（副本）" if data.reprint else "")


def _status(data: ReceiptData) -> str:
    copy = (
        f"副本：补打于 {format_time(data.printed_at)}，原件已于缴费时开具" if data.reprint else ""
    )
    if data.void:
        void = (
            f"已作废：{data.void.reason}（{data.void.voided_by}，"
            f"{format_time(data.void.voided_at)}），本收据不再有效"
        )
        return f"{void}；{copy}" if copy else void
    return copy


def build_receipt(data: ReceiptData, chain: FontChain, *, paper: Paper = "a5") -> PrintResult:
    return build_receipts([data], chain, paper=paper, title=_title(data))


def build_receipts(
    receipts: Sequence[ReceiptData],
    chain: FontChain,
    *,
    paper: Paper = "a5",
    title: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> PrintResult:
    """Receipts a page each in one PDF; ``progress(done, total)`` may raise to cancel."""
    if paper not in PAPERS:
        raise ValueError(f"unknown receipt paper {paper!r}; use one of {', '.join(PAPERS)}")
    first = landscape(A5) if paper == "a5" else _roll_size(receipts[0]) if receipts else A5
    doc = PdfDocument(chain, first, title or f"缴费凭证 {len(receipts)} 张")
    for done, data in enumerate(receipts, start=1):
        if paper == "roll80":
            doc.size = _roll_size(data)
            doc.canvas.setPageSize(doc.size)
        doc.new_page()
        (_a5 if paper == "a5" else _roll)(doc, data)
        if progress:
            progress(done, len(receipts))
    return doc.finish()


def _title(data: ReceiptData) -> str:
    return f"缴费凭证 {data.receipt_number}"


def _roll_size(data: ReceiptData) -> tuple[float, float]:
    return (80 * MM, _roll_height(data))


def _a5(doc: PdfDocument, data: ReceiptData) -> None:
    pen, c = doc.pen, doc.canvas
    margin = 12 * MM
    width = doc.width - 2 * margin
    top = header(
        doc,
        _heading(data),
        form_code=FORM_CODE,
        centre=data.centre.name,
        top=doc.height - 10 * MM,
        margin=margin,
        title_size=17,
        right_note=f"No. {data.receipt_number}",
    )
    qr_w = 92.0
    grid = Grid(pen, margin, top, width - qr_w, size=10)
    h = 30
    grid.row(
        h,
        [
            label("缴费人"),
            value(data.name, 2.2, size=11.5),
            label("证件号码"),
            value(data.masked_id_number, 2.2),
        ],
    )
    grid.row(
        h,
        [
            label("险种"),
            value(data.scheme, 2.2),
            label("缴费期间"),
            value(_period(data), 2.2, size=9),
        ],
    )
    grid.row(
        h,
        [label("档次/基数"), value(_choice(data), 2.2), label("缴费方式"), value(data.method, 2.2)],
    )
    grid.row(
        h,
        [
            label("实收金额"),
            value(f"¥{format_yuan(data.personal_fen)}", 2.2, size=12),
            label("政府补贴"),
            value(f"¥{format_yuan(data.subsidy_fen)}", 2.2),
        ],
    )
    qr_box = Box(margin + width - qr_w, grid.top, qr_w, top - grid.top)
    payload, check = qr_payload(data)
    c.setLineWidth(0.6)
    c.rect(qr_box.x, qr_box.y, qr_box.w, qr_box.h, stroke=1, fill=0)
    side = min(qr_box.w - 16, qr_box.h - 26)
    draw_qr(c, payload, qr_box.x + (qr_box.w - side) / 2, qr_box.top - side - 6, side)
    pen.fit(Box(qr_box.x, qr_box.y + 2, qr_box.w, 16), f"校验码 {check}", size=8, align="center")

    grid = Grid(pen, margin, grid.top, width, size=10)
    grid.row(
        h + 3,
        [
            label("金额（大写）"),
            value(f"人民币{to_chinese_capitals(data.personal_fen)}", 5.4, size=13),
        ],
    )
    grid.row(h, [label("金额构成"), value(_breakdown(data), 5.4, size=9)])
    grid.row(
        h,
        [
            label("收款人"),
            value(data.operator, 1.6),
            label("收款时间"),
            value(format_time(data.paid_at), 2.8),
        ],
    )
    status = _status(data)
    if status:
        grid.row(h, [Cell(status, label=True, align="left", size=10)])
    grid.frame()
    foot = grid.top - 14
    pen.text(
        margin,
        foot,
        "本凭证为参保人缴费凭据，请妥善保管；可扫描二维码或持收据号到服务中心核验。",
        8,
        color=GREY,
    )
    pen.text(
        doc.width - margin,
        foot,
        f"打印：{format_time(data.printed_at)}",
        8,
        align="right",
        color=GREY,
    )
    _stamps(doc, data, Box(margin, grid.top, width - qr_w, top - grid.top))


def _stamps(doc: PdfDocument, data: ReceiptData, box: Box) -> None:
    if data.void:
        stamp(doc.pen, box, "已作废")
    elif data.reprint:
        stamp(doc.pen, box, "副本", color=GREY, angle=20)


# -- 80 mm roll: one column, height follows the content ---------------------------------

_ROLL_LINES = 11  # label/value lines below the header


def _roll_height(data: ReceiptData) -> float:
    """Header 70 pt, the label lines, the amount, the QR code and the footer; the status
    line only when there is one."""
    return 70 + _ROLL_LINES * 17 + 62 + 64 + 45 + _status_height(data)


def _status_height(data: ReceiptData) -> float:
    if data.void and data.reprint:
        return 52  # the void and the copy notes both
    return 34 if (data.void or data.reprint) else 0


def _roll(doc: PdfDocument, data: ReceiptData) -> None:
    pen, c = doc.pen, doc.canvas
    margin = 4 * MM
    width = doc.width - 2 * margin
    y = doc.height - 4 * MM
    pen.fit(
        Box(margin, y - 14, width, 14),
        data.centre.name,
        size=9,
        align="center",
        padding=0,
        wrap=False,
    )
    y -= 16
    pen.fit(
        Box(margin, y - 20, width, 20),
        _heading(data),
        size=13,
        align="center",
        bold=True,
        padding=0,
        wrap=False,
    )
    y -= 22
    pen.fit(
        Box(margin, y - 12, width, 12),
        f"No. {data.receipt_number}",
        size=8.5,
        align="center",
        padding=0,
        wrap=False,
        color=STAMP_RED,
    )
    y -= 16
    c.setDash(2, 2)
    c.line(margin, y, margin + width, y)
    rows = [
        ("缴费人", data.name),
        ("证件号码", data.masked_id_number),
        ("险种", data.scheme),
        ("缴费期间", _period(data)),
        ("档次/基数", _choice(data)),
        ("缴费方式", data.method),
        ("政府补贴", f"¥{format_yuan(data.subsidy_fen)}"),
        ("应缴金额", f"¥{format_yuan(data.amount_fen)}"),
        ("政府代缴", f"¥{format_yuan(data.paid_by_government_fen)}"),
        ("收款人", data.operator),
        ("收款时间", format_time(data.paid_at)),
    ]
    assert len(rows) == _ROLL_LINES
    label_w = 15 * MM
    y -= 2
    for name, text in rows:
        pen.fit(Box(margin, y - 17, label_w, 17), name, size=8.5, padding=0, wrap=False, color=GREY)
        pen.fit(
            Box(margin + label_w, y - 17, width - label_w, 17), text, size=9, padding=1, min_size=6
        )
        y -= 17
    c.line(margin, y - 2, margin + width, y - 2)
    c.setDash()
    y -= 4
    pen.fit(
        Box(margin, y - 24, width, 24),
        f"实收 ¥{format_yuan(data.personal_fen)}",
        size=15,
        align="center",
        bold=True,
        padding=0,
        wrap=False,
    )
    y -= 24
    pen.fit(
        Box(margin, y - 30, width, 30),
        f"人民币{to_chinese_capitals(data.personal_fen)}",
        size=11,
        align="center",
        padding=1,
    )
    y -= 32
    status = _status(data)
    if status:
        height = _status_height(data)
        pen.fit(
            Box(margin, y - height, width, height),
            status,
            size=8.5,
            align="center",
            color=STAMP_RED if data.void else GREY,
        )
        y -= height
    payload, check = qr_payload(data)
    side = 50 * MM / 2.2
    draw_qr(c, payload, (doc.width - side) / 2, y - side - 2, side)
    y -= side + 6
    pen.fit(
        Box(margin, y - 12, width, 12),
        f"扫码核验　校验码 {check}",
        size=8,
        align="center",
        padding=0,
    )
    y -= 13
    pen.fit(
        Box(margin, y - 12, width, 12),
        f"打印：{format_time(data.printed_at)}",
        size=7.5,
        align="center",
        padding=0,
        color=GREY,
    )
    _stamps(doc, data, Box(margin, doc.height * 0.45, width, doc.height * 0.4))

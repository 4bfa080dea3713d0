"""缴费凭证 (receipt): A5 landscape for the desk printer, or an 80 mm roll for field visits.

A reprint says 副本 on its face; a voided receipt prints with 已作废 and the reason (and 副本
too, since only copies are printed after the original), so a paper copy can never pass for
a live receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Literal

from reportlab.lib.pagesizes import A5, landscape

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.domain.periods import Period
from caseworker.printing.data import ReceiptData, ReceiptLineData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    GREY,
    MM,
    STAMP_RED,
    Cell,
    Grid,
    Layer,
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


def _choice(line: ReceiptLineData) -> str:
    if line.tier_fen is not None:
        return f"{format_yuan(line.tier_fen)} 元/年（档次）"
    if line.base_fen is not None:
        return f"{format_yuan(line.base_fen)} 元/月（基数）"
    return "—"


def _period(line: ReceiptLineData) -> str:
    label = Period(line.period_start, line.period_end).label
    return f"{label}（补缴）" if line.arrears else label


def _breakdown(data: ReceiptData) -> str:
    return (
        f"应缴 ¥{format_yuan(data.amount_fen)}，其中个人缴纳 ¥{format_yuan(data.personal_fen)}、"
        f"政府代缴 ¥{format_yuan(data.paid_by_government_fen)}；"
        f"另政府补贴 ¥{format_yuan(data.subsidy_fen)} 记入个人账户"
    )


def _total(data: ReceiptData) -> str:
    return f"¥{format_yuan(data.personal_fen)}"


def _capitals(data: ReceiptData) -> str:
    return f"人民币{to_chinese_capitals(data.personal_fen)}"


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
        if paper == "a5":
            _a5(doc, data)
        else:
            doc.new_page()
            _roll(doc, data)
        if progress:
            progress(done, len(receipts))
    return doc.finish()


def _title(data: ReceiptData) -> str:
    return f"缴费凭证 {data.receipt_number}"


def _roll_size(data: ReceiptData) -> tuple[float, float]:
    return (80 * MM, _roll_height(data))


# -- A5 landscape: a table with a line per person and scheme; a long visit continues on
# further pages, the totals, capitals and QR code on the last.

_A5_HEIGHT = landscape(A5)[1]
_A5_HEADER = 10 * MM + 17 * 1.5 + 4 + 8.5 * 1.6 + 3  # what ``header`` takes at the top
_A5_BOTTOM = 10 * MM + 14  # the margin and the footer line
_A5_LINE_MAX, _A5_LINE_MIN = 30.0, 13.0
_A5_COLUMNS = (
    ("序号", 0.45),
    ("参保人", 1.1),
    ("险种", 2.3),
    ("缴费期间", 1.55),
    ("档次/基数", 1.45),
    ("政府补贴", 0.9),
    ("实收金额", 1.0),
)


def _a5_row(lines: int) -> float:
    """The fixed rows' height: roomy for a receipt of a few lines, tighter for a visit."""
    return 30.0 if lines <= 3 else 24.0


def _a5_line_room(data: ReceiptData, row: float) -> float:
    """Points left for the table's lines: the page less the header, the payer row, the
    table head, the total, capitals, breakdown, operator and status rows, the footer."""
    fixed = 18 + 4 + row * (5 + (1 if _status(data) else 0))
    return _A5_HEIGHT - _A5_HEADER - _A5_BOTTOM - fixed


def _a5_pages(data: ReceiptData) -> list[tuple[int, tuple[ReceiptLineData, ...]]]:
    """(first line number, lines) per page: a long visit continues on further pages."""
    room = _a5_line_room(data, _a5_row(len(data.lines)))
    per_page = max(1, int(room // _A5_LINE_MIN))
    lines = data.lines
    return [(n + 1, lines[n : n + per_page]) for n in range(0, max(len(lines), 1), per_page)]


def _a5(doc: PdfDocument, data: ReceiptData) -> None:
    """Each page as its blank form (drawn once for all the receipts that share it) and the
    receipt's entries over it."""
    pages = _a5_pages(data)
    for number, (first, lines) in enumerate(pages, start=1):
        doc.new_page()
        note = f"No. {data.receipt_number}"
        if len(pages) > 1:
            note += f"　第{number}/{len(pages)}页"
        last = number == len(pages)
        page = partial(_a5_page, doc, data, first, lines, last=last, note=note)
        doc.form(_a5_form_key(data, first, len(lines), last), partial(page, layer="form"))
        page(layer="entries")


def _a5_form_key(data: ReceiptData, first: int, count: int, last: bool) -> tuple[object, ...]:
    """Everything the blank form of an A5 page reads: the title (copy, void), the centre,
    the receipt's number of lines (row heights, 合计（N项）), whether it has a status row,
    which lines the page holds and whether it is the last."""
    centre = data.centre.name
    return ("a5", _heading(data), centre, len(data.lines), bool(_status(data)), first, count, last)


def _a5_page(
    doc: PdfDocument,
    data: ReceiptData,
    first: int,
    lines: tuple[ReceiptLineData, ...],
    *,
    last: bool,
    note: str,
    layer: Layer,
) -> None:
    pen, c = doc.pen, doc.canvas
    form, entries = layer != "entries", layer != "form"
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
        right_note=note,
        layer=layer,
    )
    h = _a5_row(len(data.lines))
    grid = Grid(pen, margin, top, width, size=10, layer=layer)
    grid.row(
        h,
        [
            label("缴费人"),
            value(data.name, 2.2, size=11.5),
            label("证件号码"),
            value(data.masked_id_number, 2.2),
            label("缴费方式"),
            value(data.method, 1.2),
        ],
    )
    grid.row(18, [Cell(name, weight, label=True, size=9) for name, weight in _A5_COLUMNS])
    room = _a5_line_room(data, h)
    line_h = max(_A5_LINE_MIN, min(_A5_LINE_MAX, room / max(len(lines), 1)))
    size = 9.5 if line_h >= 18 else 8.5
    weights = [weight for _, weight in _A5_COLUMNS]
    for number, line in enumerate(lines, start=first):
        texts = [
            str(number),
            line.name,
            line.scheme,
            _period(line),
            _choice(line),
            f"¥{format_yuan(line.subsidy_fen)}",
            f"¥{format_yuan(line.personal_fen)}",
        ]
        aligns = ["center", None, None, None, None, "right", "right"]
        grid.row(
            line_h,
            [
                Cell(text, weight, align=align, size=size)  # type: ignore[arg-type]
                for text, weight, align in zip(texts, weights, aligns, strict=True)
            ],
        )
    if not last:
        grid.row(h, [Cell("（续下页）", label=True, size=10)])
        grid.frame()
        if entries:
            _stamps(doc, data, Box(margin, grid.top, width, top - grid.top))
        return
    grid.row(
        h,
        [
            label(f"合计（{len(data.lines)}项）", sum(weights[:5])),
            value(f"¥{format_yuan(data.subsidy_fen)}", weights[5], align="right", size=9.5),
            value(_total(data), weights[6], align="right", size=12),
        ],
    )
    qr_w = 92.0
    totals = Grid(pen, margin, grid.top, width - qr_w, size=10, layer=layer)
    totals.row(h + 4, [label("金额（大写）"), value(_capitals(data), 4.4, size=13)])
    totals.row(h, [label("金额构成"), value(_breakdown(data), 4.4, size=9)])
    totals.row(
        h,
        [
            label("收款人"),
            value(data.operator, 1.3),
            label("收款时间"),
            value(format_time(data.paid_at), 2.1),
        ],
    )
    status = _status(data)
    if status:  # shaded like a label, but the receipt's own words
        totals.row(h, [Cell(status, label=True, align="left", size=10, fixed=False)])
    qr_box = Box(margin + width - qr_w, totals.top, qr_w, grid.top - totals.top)
    if form:
        c.setLineWidth(0.6)
        c.rect(qr_box.x, qr_box.y, qr_box.w, qr_box.h, stroke=1, fill=0)
    if entries:
        payload, check = qr_payload(data)
        side = min(qr_box.w - 16, qr_box.h - 22)
        draw_qr(c, payload, qr_box.x + (qr_box.w - side) / 2, qr_box.top - side - 4, side)
        box = Box(qr_box.x, qr_box.y + 2, qr_box.w, 14)
        pen.fit(box, f"校验码 {check}", size=8, align="center")
    grid.top = totals.top
    grid.frame()
    foot = grid.top - 14
    if form:
        pen.text(
            margin,
            foot,
            "本凭证为参保人缴费凭据，请妥善保管；可扫描二维码或持收据号到服务中心核验。",
            8,
            color=GREY,
        )
    if entries:
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
    """副本 or 已作废 across the entries, a form of its own: the same on every copy."""
    if data.void:
        word, color, angle = "已作废", STAMP_RED, 25.0
    elif data.reprint:
        word, color, angle = "副本", GREY, 20.0
    else:
        return
    draw = partial(stamp, doc.pen, box, word, color=color, angle=angle)
    doc.form(("stamp", word, color, angle, box), draw)


# -- 80 mm roll: one column, height follows the content ---------------------------------

_ROLL_ROW = 17
_ROLL_FIXED = (
    "缴费人",
    "证件号码",
    "缴费方式",
    "政府补贴",
    "应缴金额",
    "政府代缴",
    "收款人",
    "收款时间",
)
_ROLL_PER_LINE = 4  # scheme, person, period, amount (with the tier or base)


def _roll_rows(data: ReceiptData) -> int:
    return len(_ROLL_FIXED) + _ROLL_PER_LINE * len(data.lines)


def _roll_height(data: ReceiptData) -> float:
    """Header 70 pt, the label lines, the amount, the QR code and the footer; the status
    line only when there is one."""
    rows = _roll_rows(data) * _ROLL_ROW + 4 * max(len(data.lines) - 1, 0)
    return 70 + rows + 62 + 64 + 45 + _status_height(data)


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
    label_w = 15 * MM
    y -= 2

    def row(name: str, text: str, *, bold: bool = False) -> None:
        nonlocal y
        pen.fit(
            Box(margin, y - _ROLL_ROW, label_w, _ROLL_ROW),
            name,
            size=8.5,
            padding=0,
            wrap=False,
            color=GREY,
        )
        pen.fit(
            Box(margin + label_w, y - _ROLL_ROW, width - label_w, _ROLL_ROW),
            text,
            size=9,
            padding=1,
            min_size=6,
            bold=bold,
        )
        y -= _ROLL_ROW

    row("缴费人", data.name)
    row("证件号码", data.masked_id_number)
    for number, line in enumerate(data.lines, start=1):
        if number > 1:
            c.line(margin + label_w, y - 2, margin + width, y - 2)
            y -= 4
        row(f"{number}. 险种", line.scheme, bold=True)
        row("参保人", f"{line.name}　{line.masked_id_number}")
        row("缴费期间", _period(line))
        choice = _choice(line)
        amount = f"¥{format_yuan(line.personal_fen)}"
        row("金额", amount if choice == "—" else f"{amount}（{choice}）")
    row("缴费方式", data.method)
    row("政府补贴", f"¥{format_yuan(data.subsidy_fen)}")
    row("应缴金额", f"¥{format_yuan(data.amount_fen)}")
    row("政府代缴", f"¥{format_yuan(data.paid_by_government_fen)}")
    row("收款人", data.operator)
    row("收款时间", format_time(data.paid_at))
    c.line(margin, y - 2, margin + width, y - 2)
    c.setDash()
    y -= 4
    total = f"实收 {_total(data)}"
    if len(data.lines) > 1:
        total = f"合计{len(data.lines)}项　{total}"
    pen.fit(
        Box(margin, y - 24, width, 24),
        total,
        size=15,
        align="center",
        bold=True,
        padding=0,
        wrap=False,
    )
    y -= 24
    pen.fit(
        Box(margin, y - 30, width, 30),
        _capitals(data),
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

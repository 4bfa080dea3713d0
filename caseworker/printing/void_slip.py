"""作废凭证 (void slip): printed when a supervisor voids a receipt, on the same paper as the
receipts (A5 landscape or the 80 mm roll).

It names the voided receipt and every line with its amount, the reason, who voided it and
when, and who collected the money, so the voided paper and its slip can be filed together
and the day's close can account for the money.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A5, landscape

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.printing.data import VoidSlipData, VoidSlipLine
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    GREY,
    MM,
    STAMP_RED,
    Grid,
    PdfDocument,
    PrintResult,
    format_time,
    header,
    label,
    signature_boxes,
    stamp,
    value,
)
from caseworker.printing.receipt import PAPERS, Paper
from caseworker.printing.text import Box

TITLE = "缴费收据作废凭证"
FORM_CODE = "表号：CW-SJ-02"
NOTE = "上列收据已作废，收据号不再使用；原收据须收回附于本凭证后存档。"


def build_void_slip(data: VoidSlipData, chain: FontChain, *, paper: Paper = "a5") -> PrintResult:
    if data.voided_at is None:
        raise ValueError(f"receipt {data.receipt_number} is not void")
    if paper not in PAPERS:
        raise ValueError(f"unknown receipt paper {paper!r}; use one of {', '.join(PAPERS)}")
    size = landscape(A5) if paper == "a5" else (80 * MM, _roll_height(data))
    doc = PdfDocument(chain, size, f"作废凭证 {data.receipt_number}")
    doc.new_page()
    (_a5 if paper == "a5" else _roll)(doc, data)
    return doc.finish()


def _period(line: VoidSlipLine) -> str:
    return f"{line.period_start.isoformat()} 至 {line.period_end.isoformat()}"


def _voided_at(data: VoidSlipData) -> str:
    return format_time(data.voided_at) if data.voided_at else ""


def _total(data: VoidSlipData) -> str:
    return f"¥{format_yuan(data.personal_fen)}（人民币{to_chinese_capitals(data.personal_fen)}）"


def _a5(doc: PdfDocument, data: VoidSlipData) -> None:
    pen = doc.pen
    margin = 12 * MM
    width = doc.width - 2 * margin
    top = header(
        doc,
        TITLE,
        form_code=FORM_CODE,
        centre=data.centre.name,
        top=doc.height - 10 * MM,
        margin=margin,
        title_size=17,
        right_note=f"原收据 No. {data.receipt_number}",
    )
    # Lines share what the page leaves once the fixed rows and signatures are placed.
    h = 24.0
    line_h = max(14.0, min(h, (top - 5 * h - 62 - 24 - 12 * MM) / (len(data.lines) + 1)))
    grid = Grid(pen, margin, top, width, size=10)
    grid.row(
        h,
        [
            label("原收据号"),
            value(data.receipt_number, 2.4, size=10.5),
            label("作废时间"),
            value(_voided_at(data), 2.0),
        ],
    )
    columns = (("缴费人", 1.3), ("证件号码", 1.7), ("险种", 2.2), ("缴费期间", 2.0))
    grid.row(line_h, [*(label(t, w) for t, w in columns), label("个人实收", 1.2)])
    for line in data.lines:
        grid.row(
            line_h,
            [
                value(line.name, 1.3),
                value(line.masked_id_number, 1.7, size=9),
                value(line.scheme, 2.2, size=9),
                value(_period(line), 2.0, size=8.5),
                value(f"¥{format_yuan(line.personal_fen)}", 1.2, align="right"),
            ],
        )
    grid.row(h, [label("作废金额合计"), value(_total(data), 4.6, size=11)])
    grid.row(
        h,
        [
            label("原收款人"),
            value(data.collector, 1.4),
            label("原收款时间"),
            value(format_time(data.paid_at), 1.4),
            label("缴费方式"),
            value(data.method, 0.8),
        ],
    )
    grid.row(h + 4, [label("作废原因"), value(data.reason, 4.6, size=10.5)])
    grid.row(h, [label("作废审核人"), value(data.voided_by, 4.6, size=10.5)])
    grid.frame()
    pen.text(margin, grid.top - 12, NOTE, 8.5)
    signs = Box(margin, grid.top - 16 - 62, width, 62)
    signature_boxes(pen, signs, ("审核人签字", "原收款人签字", "缴费人签字（退款确认）"))
    pen.text(
        doc.width - margin,
        signs.y - 11,
        f"打印：{format_time(data.printed_at)}",
        8,
        align="right",
        color=GREY,
    )
    # Over the reason and the names below the lines, so no amount is hidden under it.
    stamp(pen, Box(margin + width * 0.52, grid.top, width * 0.44, 4 * h + 4), "作废")


# -- 80 mm roll ----------------------------------------------------------------------------

_ROLL_LINE = 17.0


def _roll_rows(data: VoidSlipData) -> list[tuple[str, str]]:
    return [
        ("作废时间", _voided_at(data)),
        ("作废审核人", data.voided_by),
        ("原收款人", data.collector),
        ("原收款时间", format_time(data.paid_at)),
        ("缴费方式", data.method),
    ]


def _roll_height(data: VoidSlipData) -> float:
    """Header 70 pt, each line (three rows), the total, the reason, the facts, the note."""
    return 70 + len(data.lines) * 3 * 13 + 12 + 58 + 44 + 5 * _ROLL_LINE + 40 + 26


def _roll(doc: PdfDocument, data: VoidSlipData) -> None:
    pen, c = doc.pen, doc.canvas
    margin = 4 * MM
    width = doc.width - 2 * margin
    y = doc.height - 4 * MM

    def centred(text: str, height: float, size: float, **kwargs: object) -> None:
        nonlocal y
        pen.fit(
            Box(margin, y - height, width, height),
            text,
            size=size,
            align="center",
            padding=0,
            **kwargs,  # type: ignore[arg-type]
        )
        y -= height + 2

    centred(data.centre.name, 14, 9, wrap=False)
    centred(TITLE, 20, 13, bold=True, wrap=False)
    centred(f"原收据 No. {data.receipt_number}", 12, 8.5, wrap=False, color=STAMP_RED)
    y -= 2
    c.setDash(2, 2)
    c.line(margin, y, margin + width, y)
    y -= 4
    for line in data.lines:
        pen.fit(Box(margin, y - 13, width, 13), f"{line.name}　{line.masked_id_number}", size=8.5)
        pen.fit(Box(margin, y - 26, width, 13), line.scheme, size=8.5)
        pen.fit(Box(margin, y - 39, width * 0.68, 13), _period(line), size=7.5, color=GREY)
        pen.fit(
            Box(margin + width * 0.68, y - 39, width * 0.32, 13),
            f"¥{format_yuan(line.personal_fen)}",
            size=8.5,
            align="right",
        )
        y -= 39
    c.line(margin, y - 4, margin + width, y - 4)
    c.setDash()
    y -= 8
    centred(f"作废合计 ¥{format_yuan(data.personal_fen)}", 22, 14, bold=True, wrap=False)
    centred(f"人民币{to_chinese_capitals(data.personal_fen)}", 30, 10)
    pen.fit(Box(margin, y - 42, width, 42), f"作废原因：{data.reason}", size=9, color=STAMP_RED)
    y -= 44
    label_w = 18 * MM
    for name, text in _roll_rows(data):
        pen.fit(Box(margin, y - _ROLL_LINE, label_w, _ROLL_LINE), name, size=8, color=GREY)
        pen.fit(Box(margin + label_w, y - _ROLL_LINE, width - label_w, _ROLL_LINE), text, size=9)
        y -= _ROLL_LINE
    pen.fit(Box(margin, y - 38, width, 38), NOTE, size=7.5)
    y -= 40
    centred(f"打印：{format_time(data.printed_at)}", 12, 7.5, color=GREY, wrap=False)
    stamp(pen, Box(margin, doc.height * 0.3, width, doc.height * 0.4), "作废")

"""全民参保登记入户调查表 (A4 landscape): one sheet per household for a field visit, pre-filled
with the members the registry knows, or blank for a village."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape

from caseworker.printing.data import SurveyHousehold, SurveyMember, SurveySheetData
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    GREY,
    MM,
    Cell,
    Grid,
    PdfDocument,
    PrintResult,
    format_time,
    header,
    label,
    signature_boxes,
    value,
)
from caseworker.printing.text import Box

TITLE = "全民参保登记入户调查表"
FORM_CODE = "表号：CW-DC-01"
ROWS = 10  # member lines per sheet: the known members, then blank lines for new ones
STATUSES = (("insured_here", "本地"), ("insured_elsewhere", "异地"), ("not_insured", "未参保"))
COLUMNS = (
    ("序号", 0.45),
    ("姓名", 1.7),
    ("与户主关系", 0.8),
    ("性别", 0.45),
    ("公民身份号码", 2.0),
    ("联系电话", 1.2),
    ("就业状况", 1.5),
    ("养老保险", 1.75),
    ("医疗保险", 1.75),
    ("未参保原因", 0.75),
    ("备注", 1.0),
)


def build_survey(data: SurveySheetData, chain: FontChain) -> PrintResult:
    doc = PdfDocument(chain, landscape(A4), f"{TITLE} {data.village_name}".strip())
    households = data.households or (SurveyHousehold("", "", ()),)
    reason_numbers = {code: _number(n) for n, (code, _) in enumerate(data.reasons, start=1)}
    for household in households:
        doc.new_page()
        _sheet(doc, data, household, reason_numbers)
    return doc.finish()


def _number(n: int) -> str:
    """Circled numbers (①..⑳) keep a legend entry's number and words on one line."""
    return chr(0x245F + n) if 1 <= n <= 20 else f"{n}."


def _village(data: SurveySheetData, household: SurveyHousehold) -> str:
    code = household.village_code or data.village_code
    name = household.village_name or data.village_name
    return f"{name}（{code}）" if code else ""


def _status(code: str | None) -> list[tuple[str, bool]]:
    return [(text, code == status) for status, text in STATUSES]


def _member_cells(number: int, member: SurveyMember, reasons: dict[str, str]) -> list[Cell]:
    filled = bool(member.name)
    texts = [
        str(number),
        member.name,
        member.relationship,
        member.sex,
        member.id_number,
        member.phone,
        member.employment,
    ]
    cells = [
        Cell(t, w, size=9, align="center" if i in (0, 2, 3) else "left")
        for i, (t, (_, w)) in enumerate(zip(texts, COLUMNS, strict=False))
    ]
    cells.append(Cell("", COLUMNS[7][1], options=_status(member.pension if filled else None)))
    cells.append(Cell("", COLUMNS[8][1], options=_status(member.medical if filled else None)))
    cells.append(Cell(reasons.get(member.reason, member.reason), COLUMNS[9][1], align="center"))
    cells.append(Cell("", COLUMNS[10][1]))
    return cells


def _sheet(
    doc: PdfDocument,
    data: SurveySheetData,
    household: SurveyHousehold,
    reasons: dict[str, str],
) -> None:
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
        right_note="调查日期：　　　　年　　月　　日",
    )
    grid = Grid(pen, margin, top, width, size=9.5)
    grid.row(
        24,
        [
            label("村（居）委会", 1.1),
            value(_village(data, household), 3.4),
            label("户主姓名", 0.9),
            value(household.head, 1.5, size=10.5),
            label("在册人数", 0.9),
            value(str(len(household.members)) if household.members else "", 0.6),
        ],
    )
    grid.row(26, [label("家庭住址", 1.1), value(household.address, 7.3)])
    grid.row(20, [Cell(text, w, label=True, size=8.5) for text, w in COLUMNS])
    members = list(household.members)
    lines = max(ROWS, len(members) + 2)
    row_h = 28 if lines <= ROWS else max(16, 28 * ROWS / lines)
    for number in range(1, lines + 1):
        member = members[number - 1] if number <= len(members) else SurveyMember()
        grid.row(row_h, _member_cells(number, member, reasons))
    legend = "　".join(f"{_number(n)}{text}" for n, (_, text) in enumerate(data.reasons, start=1))
    grid.row(
        30,
        [
            label("未参保原因代码", 1.1),
            value(legend + "（填写代码；异地参保请在备注中写明参保地）", 7.3, size=8.5),
        ],
    )
    grid.frame()
    sign_top = grid.top - 6
    signature_boxes(
        pen,
        Box(margin, sign_top - 70, width, 70),
        ["调查人签字", "被调查人签字（或按手印）", "村（居）委会核实（盖章）"],
    )
    pen.text(
        margin,
        sign_top - 70 - 12,
        f"依据人社部发〔2014〕40号开展全民参保登记。打印：{format_time(data.printed_at)}",
        7.5,
        color=GREY,
    )
    pen.text(
        doc.width - margin,
        sign_top - 70 - 12,
        f"第 {doc.pages} 页",
        7.5,
        align="right",
        color=GREY,
    )

"""参保登记表 (A4): what the participant checks and signs after the clerk saves the record."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4

from caseworker.domain.money import format_yuan
from caseworker.printing.data import EnrolmentFormData, SchemeLine
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import (
    GREY,
    MM,
    Cell,
    Grid,
    PdfDocument,
    PrintResult,
    check_value,
    draw_qr,
    format_time,
    header,
    label,
    signature_boxes,
    value,
)
from caseworker.printing.text import Box

FORM_CODE = "表号：CW-DJ-01"
TITLE = "社会保险参保登记表（个人）"
DECLARATION = (
    "本人承诺：以上所填信息及所提供的证件材料真实、准确、完整，如有虚假，愿承担相应法律责任。"
    "本人已知晓所选险种的缴费标准、缴费方式及待遇政策，同意社会保险经办机构依法核实、使用上述信息。"
)
QR_PREFIX = "CW1:ENROL"


def qr_payload(data: EnrolmentFormData) -> tuple[str, str]:
    """The QR text and its check value: the record's UUID, version and ID number bound."""
    check = check_value(QR_PREFIX, data.record_id, data.version, data.id_number)
    return f"{QR_PREFIX}:{data.record_id}:{data.version}:{check}", check


def _money(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(fen)


def _choice(line: SchemeLine) -> str:
    if line.tier_fen is not None:
        return f"档次 {format_yuan(line.tier_fen)} 元/年"
    if line.base_fen is not None:
        return f"基数 {format_yuan(line.base_fen)} 元/月"
    return "—"


def _section(grid: Grid, title: str) -> None:
    grid.row(17, [Cell(title, label=True, align="left", size=10)])


def build_enrolment_form(data: EnrolmentFormData, chain: FontChain) -> PrintResult:
    doc = PdfDocument(chain, A4, f"参保登记表 {data.name}")
    doc.new_page()
    pen, c = doc.pen, doc.canvas
    margin = 15 * MM
    width = doc.width - 2 * margin
    top = header(
        doc,
        TITLE,
        form_code=FORM_CODE,
        centre=data.centre.name,
        top=doc.height - 13 * MM,
        margin=margin,
        right_note=f"登记日期：{data.enrolled_on or data.printed_at.date()}",
    )

    qr_w = 88.0
    grid = Grid(pen, margin, top, width - qr_w)
    _section(grid, "一、个人基本信息")
    h = 27
    grid.row(
        h,
        [
            label("姓名"),
            value(data.name, 2.2, size=11),
            label("性别", 0.8),
            value(data.sex, 0.8),
            label("民族", 0.8),
            value(data.ethnicity, 1.1),
        ],
    )
    grid.row(
        h,
        [
            label("证件类型"),
            value(data.id_kind, 1.6),
            label("证件号码", 1.1),
            value(data.id_number, 2.8, size=11),
        ],
    )
    grid.row(
        h,
        [
            label("出生日期"),
            value(data.birth_date.isoformat(), 1.3),
            label("户口性质", 1),
            value(data.hukou_nature, 1.2),
            label("联系电话", 1),
            value(data.phone, 1.6),
        ],
    )
    grid.row(
        h,
        [
            label("与户主关系"),
            value(data.relationship, 1.1),
            label("特殊群体", 1),
            value("、".join(data.special_groups) or "无", 3.4),
        ],
    )
    # The QR code sits beside the first rows, where a photo would go on older forms.
    qr_box = Box(margin + width - qr_w, grid.top, qr_w, top - grid.top)
    c.setLineWidth(0.6)
    c.rect(qr_box.x, qr_box.y, qr_box.w, qr_box.h, stroke=1, fill=0)
    payload, check = qr_payload(data)
    side = min(qr_box.w, qr_box.h) - 24
    draw_qr(c, payload, qr_box.x + (qr_box.w - side) / 2, qr_box.top - side - 6, side)
    pen.fit(Box(qr_box.x, qr_box.y, qr_box.w, 16), f"校验码 {check}", size=8, align="center")

    grid = Grid(pen, margin, grid.top, width)
    grid.row(
        h, [label("户籍所在地"), value(f"{data.hukou_region}　{data.hukou_village}".strip(), 6.2)]
    )
    grid.row(32, [label("户籍地址"), value(data.hukou_address, 6.2)])
    grid.row(32, [label("居住地址"), value(data.residence_address, 6.2)])
    grid.row(
        32,
        [
            label("就业类别"),
            value(data.employment, 1.6),
            label("工作单位", 1),
            value(data.employer or "无", 3.6),
        ],
    )
    grid.row(
        h,
        [
            label("待遇领取账号"),
            value(data.bank_account or "未提供", 2.2),
            label("登记编号", 1),
            value(str(data.record_id), 3.0, size=8),
        ],
    )

    _section(grid, "二、参保险种及缴费标准（金额单位：元）")
    heads = ["险种", "档次/基数", "周期", "应缴", "个人缴纳", "政府代缴", "政府补贴", "参保日期"]
    weights = [2.6, 1.7, 0.6, 0.9, 0.9, 0.9, 0.9, 1.1]
    grid.row(18, [Cell(t, w, label=True, size=8.5) for t, w in zip(heads, weights, strict=True)])
    # Up to five schemes at full height; all eight a person could hold still fit the page.
    line_h = 24 if len(data.schemes) <= 5 else 17
    for line in data.schemes or ():
        status = "" if line.status == "active" else f"（{line.status}）"
        cells = [
            f"{line.scheme}{status}",
            _choice(line),
            line.period,
            _money(line.amount_fen),
            _money(line.personal_fen),
            _money(line.paid_by_government_fen),
            _money(line.subsidy_fen),
            line.start_date.isoformat(),
        ]
        grid.row(
            line_h,
            [
                Cell(t, w, size=8.5, align="left" if i < 2 else "center")
                for i, (t, w) in enumerate(zip(cells, weights, strict=True))
            ],
        )
    if not data.schemes:
        grid.row(21, [value("（本次未登记险种）", align="center")])

    _section(grid, "三、已核验的证件材料")
    grid.row(34, [Cell("", options=data.documents, size=9)])

    _section(grid, "四、本人声明")
    grid.row(52, [value(DECLARATION, size=9.5)])
    grid.frame()

    sign_top = grid.top - 6
    signature_boxes(
        pen,
        Box(margin, sign_top - 110, width, 110),
        ["参保人签字（或按手印）", "经办人签字", "服务中心（盖章）"],
    )
    foot = sign_top - 110 - 14
    pen.text(
        margin,
        foot,
        f"经办人：{data.operator}　　打印时间：{format_time(data.printed_at)}　　"
        f"记录版本：{data.version}",
        8,
        color=GREY,
    )
    pen.text(doc.width - margin, foot, "本表一式两份，参保人与经办机构各执一份。", 8, align="right")
    return doc.finish()

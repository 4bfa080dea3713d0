"""Plain document data for builder tests: realistic, with the long and rare cases forms meet."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from caseworker.printing.data import (
    CentreInfo,
    DailyReceipt,
    DailyReportData,
    EnrolmentFormData,
    ReceiptData,
    ReceiptLineData,
    SchemeLine,
    SurveyHousehold,
    SurveyMember,
    SurveySheetData,
    TransmittalData,
    TransmittalRow,
    VoidInfo,
)

CENTRE = CentreInfo("320281103", "江阴市青阳镇社会保障服务中心")
PRINTED = datetime(2026, 11, 27, 10, 15)
RECORD = uuid.UUID("01932c3e-7a10-7cc1-9a2b-3c4d5e6f7a8b")
LONG_ADDRESS = (
    "江苏省无锡市江阴市青阳镇悟空村委会第十二村民小组东头三十八号"
    "（原青阳镇悟空村新农村集中居住区二期七幢二单元五零二室）"
)
LONG_EMPLOYER = "江阴市青阳镇某某互联网科技创业孵化有限公司第二分公司（91320281MA1XXXXXX2）"
DOCUMENTS = (
    ("居民身份证", True),
    ("户口簿", True),
    ("居住证", False),
    ("特殊群体证明", True),
    ("银行卡或存折", True),
    ("劳动合同", False),
    ("营业执照", False),
    ("学生证", False),
    ("照片", False),
)


def enrolment_form(name: str = "买买提·艾力", **changes: object) -> EnrolmentFormData:
    values: dict[str, object] = dict(
        record_id=RECORD,
        centre=CENTRE,
        printed_at=PRINTED,
        operator="clerk（经办员）",
        name=name,
        id_number="320281197001011234",
        id_kind="居民身份证（大陆）",
        sex="男",
        birth_date=date(1970, 1, 1),
        ethnicity="维吾尔族",
        phone="13912345678",
        hukou_nature="农业户口",
        hukou_region="江苏省无锡市江阴市",
        hukou_village="青阳镇悟空村委会",
        hukou_address=LONG_ADDRESS,
        residence_address="江苏省无锡市江阴市青阳镇人民路88号",
        employment="灵活就业人员",
        employer=LONG_EMPLOYER,
        special_groups=("最低生活保障对象", "重度残疾人"),
        bank_account="6222021001123456789",
        relationship="户主",
        household_address=LONG_ADDRESS,
        version=3,
        schemes=(
            SchemeLine(
                "城乡居民基本养老保险",
                "active",
                date(2026, 11, 27),
                tier_fen=50_000,
                amount_fen=50_000,
                personal_fen=0,
                subsidy_fen=6_000,
                paid_by_government_fen=50_000,
                period="按年",
            ),
            SchemeLine(
                "城乡居民基本医疗保险",
                "active",
                date(2026, 11, 27),
                amount_fen=40_000,
                personal_fen=40_000,
                subsidy_fen=70_000,
                paid_by_government_fen=0,
                period="按年",
            ),
            SchemeLine(
                "职工基本养老保险（灵活就业）",
                "active",
                date(2026, 11, 27),
                base_fen=450_000,
                amount_fen=90_000,
                personal_fen=90_000,
                subsidy_fen=0,
                paid_by_government_fen=0,
                period="按月",
            ),
        ),
        documents=DOCUMENTS,
        enrolled_on=date(2026, 11, 27),
    )
    values.update(changes)
    return EnrolmentFormData(**values)  # type: ignore[arg-type]


def receipt_line(name: str = "张伟", **changes: object) -> ReceiptLineData:
    values: dict[str, object] = dict(
        name=name,
        masked_id_number="3202**********1234",
        scheme="城乡居民基本养老保险",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        tier_fen=40_000,
        base_fen=None,
        amount_fen=40_000,
        personal_fen=40_000,
        subsidy_fen=4_500,
        paid_by_government_fen=0,
    )
    values.update(changes)
    return ReceiptLineData(**values)  # type: ignore[arg-type]


def receipt(name: str = "张伟", **changes: object) -> ReceiptData:
    values: dict[str, object] = dict(
        record_id=RECORD,
        receipt_number="320281103-01-2026-000042",
        centre=CENTRE,
        name=name,
        masked_id_number="3202**********1234",
        lines=(receipt_line(name),),
        method="现金",
        operator="经办员",
        paid_at=datetime(2026, 11, 27, 9, 41, 5),
        printed_at=PRINTED,
    )
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def visit_receipt() -> ReceiptData:
    """One visit: the payer's pension tier and medical insurance, his wife's medical
    insurance, and last year's pension paid late (补缴)."""
    return receipt(
        name="欧阳振华",
        receipt_number="320281103-01-2026-000043",
        lines=(
            receipt_line(
                "欧阳振华",
                tier_fen=50_000,
                amount_fen=50_000,
                personal_fen=50_000,
                subsidy_fen=6_000,
            ),
            receipt_line(
                "欧阳振华",
                scheme="城乡居民基本医疗保险",
                period_start=date(2027, 1, 1),
                period_end=date(2027, 12, 31),
                tier_fen=None,
                amount_fen=40_000,
                personal_fen=40_000,
                subsidy_fen=70_000,
            ),
            receipt_line(
                "李秀英",
                masked_id_number="3202**********2046",
                scheme="城乡居民基本医疗保险",
                period_start=date(2027, 1, 1),
                period_end=date(2027, 12, 31),
                tier_fen=None,
                amount_fen=40_000,
                personal_fen=28_000,
                paid_by_government_fen=12_000,
                subsidy_fen=70_000,
            ),
            receipt_line(
                "欧阳振华",
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
                tier_fen=50_000,
                amount_fen=50_000,
                personal_fen=50_000,
                subsidy_fen=0,
                arrears=True,
            ),
        ),
    )


VOID = VoidInfo("金额录入错误，已重新开具", datetime(2026, 11, 27, 11, 2), "审核员")


def survey(blank: bool = False) -> SurveySheetData:
    members = (
        SurveyMember(
            "王建国",
            "户主",
            "男",
            "320281196503124513",
            "13812345678",
            "务农人员",
            "insured_here",
            "insured_here",
        ),
        SurveyMember(
            "李秀英",
            "妻",
            "女",
            "320281196708224528",
            "",
            "务农人员",
            "insured_here",
            "insured_elsewhere",
        ),
        SurveyMember(
            "王小明",
            "子",
            "男",
            "320281199201154517",
            "15900001111",
            "新就业形态人员（平台从业者）",
            "not_insured",
            "insured_here",
            "working_away",
        ),
        SurveyMember(
            "阿依古丽·买买提江·艾合买提", "儿媳", "女", "653101199405052027", "", "灵活就业人员"
        ),
        SurveyMember(
            "王一诺", "孙女", "女", "320281202003034520", "", "学龄前儿童", None, "insured_here"
        ),
    )
    households = () if blank else (SurveyHousehold(LONG_ADDRESS, "王建国", members),)
    return SurveySheetData(
        CENTRE,
        "320281103201",
        "江苏省无锡市江阴市青阳镇悟空村委会",
        PRINTED,
        households,
        reasons=(
            ("unaware", "不了解参保政策"),
            ("unwilling", "不愿参保"),
            ("cannot_afford", "缴费困难"),
            ("working_away", "外出务工（经商）未参保"),
            ("too_old", "超过参保年龄"),
            ("other", "其他"),
        ),
    )


def transmittal(rows: int = 30) -> TransmittalData:
    kinds = (("人员", "新增"), ("参保", "新增"), ("缴费", "新增"), ("缴费", "作废"))
    out = []
    for n in range(rows):
        kind, op = kinds[n % 4]
        out.append(
            TransmittalRow(
                kind,
                ["张伟", "买买提·艾力", "欧阳娜娜", "王秀兰"][n % 4],
                "3202**********123X" if kind != "缴费" else f"320281103-01-2026-{n:06d}",
                op,
                uuid.UUID(int=RECORD.int + n),
                datetime(2026, 11, 27, 9, n % 60),
                "待上传",
            )
        )
    return TransmittalData(
        CENTRE,
        "01932c3e-0000-7000-8000-000000000001",
        PRINTED,
        tuple(out),
        created_at=datetime(2026, 11, 27, 17, 30),
        sha256="9f2c" * 16,
    )


def daily_report() -> DailyReportData:
    receipts = []
    people = ["张伟", "买买提·艾力", "王秀兰", "欧阳娜娜", "李强"]
    for n in range(14):
        scheme = ["城乡居民基本养老保险", "城乡居民基本医疗保险"][n % 2]
        amount = [40_000, 40_000, 100_000, 40_000][n % 4]
        receipts.append(
            DailyReceipt(
                f"320281103-01-2026-{40 + n:06d}",
                datetime(2026, 11, 27, 8 + n // 3, (n * 7) % 60),
                people[n % 5],
                scheme,
                ["经办员", "审核员"][n % 3 == 0],
                ["现金", "微信", "银行卡"][n % 3],
                amount,
                amount if n % 5 else 0,
                0 if n % 5 else amount,
                4_500,
                void_reason="金额录入错误，已重新开具" if n == 6 else None,
                voided_by="审核员" if n == 6 else "",
            )
        )
    return DailyReportData(CENTRE, date(2026, 11, 27), PRINTED, tuple(receipts))

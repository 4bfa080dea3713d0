"""The tax authority's list matched against ours: CSV in UTF-8 and GB18030, XLSX, header
variants, unmatched lines on both sides, bad rows and bad files named, supervisors only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.tax_list import match_tax_list
from caseworker.services.tax_payments import record_tax_payment
from caseworker.store.models import AuditEntry, OutboxEntry, Payment
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

SHAN = "320583198001010016"  # farmer(): 单雄信
WANG = make_id_number("320583", date(1975, 5, 5), 21)
ZHAO = make_id_number("320583", date(1966, 6, 6), 41)
STRANGER = make_id_number("320583", date(1990, 9, 9), 61)
HEADINGS = ["身份证号", "姓名", "险种", "所属期", "金额", "凭证号", "缴费日期"]


@dataclass
class Centre:
    supervisor: OpenSession
    clerk: OpenSession
    medical_fen: int
    receipts: dict[str, str]


@pytest.fixture
def ours(centre: OpenSession):
    """单雄信: pension at the desk, medical by tax voucher; 王: pension at the desk, not listed
    by the tax authority; 赵: a receipt voided (never counted)."""
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    both = [
        EnrolmentChoice("resident_pension", tier_fen=50_000),
        EnrolmentChoice("resident_medical"),
    ]
    shan = enrol(clerk.database, clerk.actor, farmer(), both, today=TODAY).person_id
    wang, zhao = (
        enrol(
            clerk.database,
            clerk.actor,
            farmer(id_number=number, name=name),
            [EnrolmentChoice("resident_pension", tier_fen=30_000)],
            today=TODAY,
        ).person_id
        for number, name in ((WANG, "王秀英"), (ZHAO, "赵大海"))
    )

    def pay(who) -> str:
        return record_payment(
            clerk.database, clerk.actor, person_id=who, scheme="resident_pension", today=TODAY
        ).receipt_number

    receipts = {"shan": pay(shan), "wang": pay(wang), "zhao": pay(zhao)}
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=receipts["zhao"],
        reason="重复收费，已退回",
    )
    medical = record_tax_payment(
        clerk.database,
        clerk.actor,
        person_id=shan,
        scheme="resident_medical",
        period_start=date(2026, 1, 1),
        method="wechat",
        voucher_number="332026112000000001",
        paid_on=date(2026, 11, 20),
        today=TODAY,
    )
    yield Centre(supervisor, clerk, medical.personal_fen, receipts)
    clerk.close()
    supervisor.close()


def rows(c: Centre) -> list[list[object]]:
    medical = f"{c.medical_fen / 100:.2f}"
    return [
        [SHAN, "单雄信", "城乡居民基本养老保险费", "2026", "500.00", "", "2026-11-27"],
        [SHAN, "单雄信", "城乡居民基本医疗保险费", "2026-01-01至2026-12-31", medical,
         "332026112000000001", "2026-11-20"],
        [STRANGER, "钱多多", "居民养老", "2026", "200", "332026112500000077", "2026-11-25"],
        [WANG, "王秀英", "城乡居民基本养老保险", "202601-202612", "200.00", "", "2026-11-26"],
    ]  # fmt: skip


BAD_ROWS = [
    ["3.20583E+17", "孙悟空", "城乡居民基本养老保险", "2026", "500", "", "2026-11-21"],
    [SHAN, "单雄信", "养犬管理费", "2026", "500", "", "2026-11-21"],
    [SHAN, "单雄信", "城乡居民基本养老保险", "明年", "五百", "", "2026-11-21"],
]


def write_csv(path: Path, table: list[list[object]], encoding: str, title: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow(["城乡居民社会保险费缴费明细（导出）"])
    writer.writerows(table)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def assert_matched_both_sides(result, c: Centre) -> None:
    assert [(line.row, local.reference) for line, local in result.matched] == [
        (result.matched[0][0].row, c.receipts["shan"]),
        (result.matched[1][0].row, "332026112000000001"),
    ]
    only_list = {u.line.id_number: u for u in result.only_in_list}
    assert set(only_list) == {STRANGER, WANG}
    assert "没有此身份证号" in only_list[STRANGER].note
    assert "300.00" in only_list[WANG].note and "200.00" in only_list[WANG].note
    # 王's receipt is here and not in the list; 赵's voided receipt is nowhere.
    assert [p.reference for p in result.only_here] == [c.receipts["wang"]]
    assert (result.date_from, result.date_to) == (date(2026, 11, 20), date(2026, 11, 27))


def payments_and_outbox(session: OpenSession) -> tuple[list, int]:
    with session.database.reading() as db:
        payments = [
            (p.id, p.voided_at, p.void_reason)
            for p in db.scalars(select(Payment).order_by(Payment.id))
        ]
        return payments, db.scalar(select(func.count()).select_from(OutboxEntry))


def test_a_utf8_csv_is_matched_with_lines_unmatched_on_both_sides(ours: Centre, tmp_path: Path):
    before = payments_and_outbox(ours.supervisor)
    path = write_csv(tmp_path / "清单.csv", [HEADINGS, *rows(ours)], "utf-8-sig")
    result = match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert result.kind == "csv (UTF-8)" and result.bad_rows == ()
    assert_matched_both_sides(result, ours)
    assert [line.row for line, _ in result.matched] == [2, 3]
    # Matching changes no payment and sends nothing upstream; one audit entry says who did it.
    assert payments_and_outbox(ours.supervisor) == before
    with ours.supervisor.database.reading() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "tax_list.match"))
    assert entry.operator_name == "supervisor"
    assert entry.detail["file"] == "清单.csv" and len(entry.detail["sha256"]) == 64
    assert (entry.detail["matched"], entry.detail["only_in_list"], entry.detail["only_here"]) == (
        2,
        2,
        1,
    )
    assert SHAN not in str(entry.detail)


def test_a_gb18030_csv_with_a_title_row_and_other_headings(ours: Centre, tmp_path: Path):
    headings = [
        "证件号码",
        "缴费人姓名",
        "征收品目",
        "费款所属期",
        "缴费金额（元）",
        "电子税票号码",
        "入库日期",
    ]
    path = write_csv(tmp_path / "list.csv", [headings, *rows(ours)], "gb18030", title=True)
    path.read_bytes().decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    result = match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert result.kind == "csv (GB18030)"
    assert_matched_both_sides(result, ours)
    assert [line.row for line, _ in result.matched] == [3, 4]  # row 1 is the title


def test_an_xlsx_with_start_and_end_columns_and_dates_as_dates(ours: Centre, tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["税务部门缴费清单"])
    sheet.append(["证件号码", "姓名", "征收项目", "所属期起", "所属期止", "实缴金额", "入库日期"])
    for number, name, scheme, period, amount, _voucher, paid in rows(ours):
        start, end = ("2026-01-01", "2026-12-31")
        del period
        sheet.append(
            [
                number,
                name,
                scheme,
                datetime.fromisoformat(start),
                datetime.fromisoformat(end),
                float(amount),
                datetime.fromisoformat(paid),
            ]
        )
    sheet.append([int("320583198001010000"), "孙悟空", "居民养老", "2026-01", "2026-12", 500, None])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    result = match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert result.kind == "xlsx"
    assert_matched_both_sides(result, ours)
    (bad,) = result.bad_rows
    assert bad.row == 7
    assert "存成了数字" in bad.problems[0] and "320583198001010000" in bad.problems[0]
    assert "不要手工补全" in bad.problems[0] and "lost" in bad.problems_en[0]


def test_bad_rows_are_named_by_row_with_every_problem(ours: Centre, tmp_path: Path):
    path = write_csv(tmp_path / "l.csv", [HEADINGS, *rows(ours), *BAD_ROWS], "utf-8")
    result = match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert len(result.matched) == 2
    by_row = {bad.row: bad for bad in result.bad_rows}
    assert sorted(by_row) == [6, 7, 8]
    assert "科学计数法" in by_row[6].problems[0] and "3.20583E+17" in by_row[6].problems[0]
    assert by_row[7].problems == ("无法识别险种“养犬管理费”。",)
    assert len(by_row[8].problems) == 2
    assert "所属期“明年”" in by_row[8].problems[0] and by_row[8].problems[1].startswith("金额：")
    with ours.supervisor.database.reading() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "tax_list.match"))
    assert entry.detail["bad_rows"] == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe\x00\x81\xff" * 20, "既不是UTF-8也不是GB18030"),
        ("姓名,电话\n张三,13800000000\n".encode(), "找不到表头"),
        ("身份证号,姓名,险种,金额\n".encode(), "缺少以下列：所属期"),
        ("身份证号,险种,所属期,金额\n\n,,,\n".encode(), "只有表头"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版Excel"),
        (b"PK\x03\x04 not really a workbook", "无法打开Excel文件"),
    ],
)
def test_unusable_files_are_refused_with_what_is_wrong_and_nothing_audited(
    ours: Centre, tmp_path: Path, content: bytes, words: str
):
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ServiceError) as caught:
        match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert caught.value.code == "bad_tax_list"
    assert words in caught.value.message, caught.value.message
    assert caught.value.message_en != caught.value.message
    with ours.supervisor.database.reading() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "tax_list.match")) is None


def test_a_missing_file_or_a_folder_is_refused(ours: Centre, tmp_path: Path):
    for path, words in ((tmp_path / "none.csv", "找不到文件"), (tmp_path, "是文件夹")):
        with pytest.raises(ServiceError) as caught:
            match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
        assert words in caught.value.message


def test_a_clerk_may_not_import_the_tax_list(ours: Centre, tmp_path: Path):
    path = write_csv(tmp_path / "l.csv", [HEADINGS, *rows(ours)], "utf-8")
    with ours.clerk.database.reading() as db:
        audit_rows = db.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(PermissionDenied):
        match_tax_list(ours.clerk.database, ours.clerk.actor, path)
    with ours.clerk.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_without_dates_paid_the_periods_give_the_range(ours: Centre, tmp_path: Path):
    table = [HEADINGS[:5]] + [row[:5] for row in rows(ours)]
    path = write_csv(tmp_path / "l.csv", table, "utf-8")
    result = match_tax_list(ours.supervisor.database, ours.supervisor.actor, path)
    assert (result.date_from, result.date_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert len(result.matched) == 2
    assert [p.reference for p in result.only_here] == [ours.receipts["wang"]]

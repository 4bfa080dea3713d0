"""`caseworker payment match-tax-list` and `caseworker print remittance` as an operator runs
them: real processes over a real centre, files read back."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import AuditEntry
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

SHAN = "320583198001010016"
STRANGER = make_id_number("320583", date(1990, 9, 9), 61)


def tax_list(tmp_path: Path) -> Path:
    path = tmp_path / "税务清单.csv"
    path.write_text(
        "身份证号,姓名,险种,所属期,金额,缴费日期\n"
        f"{SHAN},单雄信,城乡居民基本养老保险,2026,500.00,2026-11-27\n"
        f"{STRANGER},钱多多,居民养老,2026,200,2026-11-26\n"
        f"{STRANGER[:-1]}{'0' if STRANGER[-1] != '0' else '1'},钱多多,居民养老,2026,200,2026-11-26\n",
        encoding="gb18030",
    )
    return path


def test_a_supervisor_matches_the_tax_list_in_words_and_in_json(paid: Path, tmp_path: Path):
    path = tax_list(tmp_path)
    words = run(
        ["payment", "match-tax-list", str(path), "--user", "supervisor"],
        paid,
        password=SUPERVISOR_PASSWORD,
    )
    assert words.returncode == 0, words.stderr
    assert "相符 1 笔，仅税务清单有 1 笔，仅本地有 0 笔，无法读取 1 行" in words.stdout
    assert "第4行" in words.stdout and "校验" in words.stdout
    assert SHAN not in words.stdout  # masked in the words
    as_json = run(
        ["payment", "match-tax-list", str(path), "--json", "--user", "supervisor"],
        paid,
        password=SUPERVISOR_PASSWORD,
    )
    result = json.loads(as_json.stdout)
    assert result["kind"] == "csv (GB18030)"
    assert [pair[0]["row"] for pair in result["matched"]] == [2]
    assert result["only_in_list"][0]["note"] == "本地登记库中没有此身份证号。"
    assert result["bad_rows"][0]["row"] == 4


def test_a_clerk_is_refused_and_nothing_is_audited(paid: Path, tmp_path: Path):
    result = run(
        ["payment", "match-tax-list", str(tax_list(tmp_path)), "--user", "clerk"],
        paid,
        password=CLERK_PASSWORD,
    )
    assert_clean_failure(result, "无权执行此操作")
    session = login_as(paid, "admin")
    with session.database.reading() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "tax_list.match")) is None
    session.close()


def login_as(root: Path, user: str) -> OpenSession:
    from caseworker.paths import DataPaths
    from tests.conftest import ADMIN_PASSWORD

    return login(DataPaths(root), user, ADMIN_PASSWORD)


def test_a_bad_file_is_one_clear_line(paid: Path, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("姓名,电话\n张三,1\n", encoding="utf-8")
    result = run(
        ["payment", "match-tax-list", str(path), "--user", "supervisor"],
        paid,
        password=SUPERVISOR_PASSWORD,
    )
    assert_clean_failure(result, "找不到表头")


def test_print_remittance_for_oneself_and_refused_for_another(paid: Path, tmp_path: Path):
    out = tmp_path / "解缴.pdf"
    result = run(
        ["print", "remittance", "--date", "2026-11-27", "-o", str(out), "--user", "clerk"],
        paid,
        password=CLERK_PASSWORD,
    )
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(out.read_bytes())).pages)
    assert "伍佰元整" in "".join(text.split())
    refused = run(
        [
            "print",
            "remittance",
            "--date",
            "2026-11-27",
            "--operator",
            "admin",
            "-o",
            str(tmp_path / "other.pdf"),
            "--user",
            "clerk",
        ],
        paid,
        password=CLERK_PASSWORD,
    )
    assert_clean_failure(refused, "只能查看本人的解缴清单")
    assert not (tmp_path / "other.pdf").exists()
    bad_day = run(
        ["print", "remittance", "--date", "27/11", "-o", str(out), "--user", "clerk"],
        paid,
        password=CLERK_PASSWORD,
    )
    assert_clean_failure(bad_day, "YYYY-MM-DD")
    everyone = run(
        [
            "print",
            "remittance",
            "--date",
            "2026-11-27",
            "--operator",
            "clerk",
            "-o",
            str(tmp_path / "clerk.pdf"),
            "--user",
            "supervisor",
        ],
        paid,
        password=SUPERVISOR_PASSWORD,
    )
    assert everyone.returncode == 0, everyone.stderr


def test_a_wrong_tax_record_is_voided_by_its_voucher_from_the_cli(centre: OpenSession):
    from caseworker.services.tax_payments import record_tax_payment
    from caseworker.store.models import Payment

    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    person = enrol(
        clerk.database, clerk.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    ).person_id
    record_tax_payment(
        clerk.database,
        clerk.actor,
        person_id=person,
        scheme="resident_medical",
        period_start=date(TODAY.year + 1, 1, 1),
        method="wechat",
        voucher_number="332026112700000009",
        paid_on=TODAY,
        today=TODAY,
    )
    clerk.close()
    root = centre.database.paths.root
    refused = run(
        ["payment", "void", "--voucher", "332026112700000009", "--reason", "险种录错了",
         "--user", "clerk"],
        root,
        password=CLERK_PASSWORD,
    )  # fmt: skip
    assert_clean_failure(refused, "无权执行此操作")
    neither = run(["payment", "void", "--reason", "险种录错了", "--user", "supervisor"], root)
    assert neither.returncode == 2 and "--voucher" in neither.stderr
    done = run(
        ["payment", "void", "--voucher", "332026112700000009", "--reason", "险种录错了",
         "--user", "supervisor"],
        root,
        password=SUPERVISOR_PASSWORD,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "已作废税务凭证 332026112700000009" in done.stdout
    with centre.database.reading() as db:
        (row,) = db.scalars(select(Payment).where(Payment.channel == "tax")).all()
        assert row.voided_at is not None and row.void_reason == "险种录错了"

"""A worklist printed (read back with pdftotext, rendered with pdftoppm), exported (read back
with openpyxl and csv) and driven from the real `caseworker worklist` command."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseworker.services.centre import login
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.worklist_output import export_worklist, worklist_pdf
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import counts, kind_of
from caseworker.store.models import AuditEntry
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from tests.printing.conftest import compact, need, pdftotext
from tests.services.worklist_data import DAY, VILLAGE_B
from tests.services.worklist_town import Town, town_fixture

town = town_fixture()
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_the_printed_list_says_what_it_counts_with_masked_numbers(town: Town, tmp_path: Path):
    result = worklist_pdf(
        town.centre.database, town.centre.actor, WorklistSpec("renewals_due"), DAY, now=NOW
    )
    assert result.missing == () and result.pages == 1
    text = compact(pdftotext(result.pdf, tmp_path))
    assert "工作清单：待续缴人员" in text
    assert "清单日期：2026-11-27" in text and "共2条" in text
    assert "统计口径：按人员和险种计" in text
    assert "城乡居民基本医疗保险：2026年已缴，2027年未缴" in text
    assert "甲续医" in text and "丙续养" in text
    assert "第1页共1页" in text
    with town.centre.database.reading() as session:
        from caseworker.store.models import Person

        number = session.get(Person, town.people["medical_2026_only"]).id_number
    assert number not in text and number[:4] + "**********" + number[-4:] in text
    source = tmp_path / "list.pdf"
    source.write_bytes(result.pdf)
    subprocess.run(
        [need("pdftoppm"), "-r", "40", "-png", str(source), str(tmp_path / "p")], check=True
    )
    assert (tmp_path / "p-1.png").stat().st_size > 5_000


def test_a_long_list_runs_over_numbered_pages_with_the_filter_said(town: Town, tmp_path: Path):
    spec = WorklistSpec("not_covered")
    result = worklist_pdf(town.centre.database, town.centre.actor, spec, DAY, now=NOW)
    text = compact(pdftotext(result.pdf, tmp_path))
    assert result.pages == 2 and "第2页共2页" in text and "（续）" in text
    narrowed = worklist_pdf(
        town.centre.database, town.centre.actor, spec.narrowed(village_code=VILLAGE_B), DAY, now=NOW
    )
    assert f"筛选：村（居）：{VILLAGE_B}" in compact(pdftotext(narrowed.pdf, tmp_path))


def _body(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The header block (to the heading row) and the rows below it."""
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    heading = next(n for n, row in enumerate(rows) if row and row[0] in ("序号", "No."))
    return rows[: heading + 1], rows[heading + 1 :]


def test_export_to_excel_and_csv_reads_back(town: Town, tmp_path: Path):
    database, actor = town.centre.database, town.centre.actor
    spec = WorklistSpec("government_paid_unrecorded")
    written = export_worklist(database, actor, spec, DAY, tmp_path / "list.xlsx", now=NOW)
    assert written.rows == counts(database, actor, DAY)["government_paid_unrecorded"] == 2
    assert written.masked
    block, body = _body(tmp_path / "list.xlsx")
    words = " ".join(str(v) for row in block for v in row if v is not None)
    kind = kind_of(spec.kind)
    assert block[0][0] == f"{kind.title_zh}  {kind.title_en}"
    assert actor.centre_code in words and actor.display_name in words
    assert NOW.astimezone().strftime("%Y-%m-%d %H:%M") in words
    assert "行数 / Rows 2" in words and "身份证号已隐去中间位" in words
    assert block[-1][:3] == ("序号", "姓名", "身份证号（隐去中间位）")
    assert [r[0] for r in body] == [1, 2]
    assert {r[1] for r in body} == {"寅低保"}
    assert all("*" in r[2] for r in body)
    csv_export = export_worklist(database, actor, spec, DAY, tmp_path / "list.csv", lang="en")
    assert csv_export.rows == 2
    raw = (tmp_path / "list.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0][0] == "No." and table[1][1] == "寅低保"  # a CSV has no block above
    assert "paid by government" in table[1][5]
    with database.reading() as session:
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "export.worklist")
                .order_by(AuditEntry.seq)
            )
        )
    assert [(e.detail["file"], e.detail["format"], e.detail["rows"]) for e in entries] == [
        ("list.xlsx", "xlsx", 2),
        ("list.csv", "csv", 2),
    ]
    assert (
        entries[0].detail["sha256"]
        == hashlib.sha256((tmp_path / "list.xlsx").read_bytes()).hexdigest()
    )
    assert all(e.detail["masked"] and e.detail["kind"] == spec.kind for e in entries)


def test_full_id_numbers_need_the_permission_and_a_yes(town: Town, tmp_path: Path):
    database, actor = town.centre.database, town.centre.actor
    spec = WorklistSpec("renewals_due")
    target = tmp_path / "full.xlsx"
    with pytest.raises(ServiceError) as unconfirmed:
        export_worklist(database, actor, spec, DAY, target, full_id_numbers=True)
    assert unconfirmed.value.code == "consent_needed" and not target.exists()
    written = export_worklist(
        database, actor, spec, DAY, target, full_id_numbers=True, personal_data_confirmed=True
    )
    assert not written.masked
    block, body = _body(target)
    assert block[-1][2] == "身份证号"
    with database.reading() as session:
        from caseworker.store.models import Person

        numbers = set(session.scalars(select(Person.id_number)))
    assert body and all(r[2] in numbers and len(r[2]) == 18 for r in body)
    sheet = load_workbook(target).active
    assert sheet.cell(len(block) + 1, 3).number_format == "@"
    clerk = login(town.paths, "clerk", CLERK_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            export_worklist(
                clerk.database,
                clerk.actor,
                spec,
                DAY,
                tmp_path / "clerk.xlsx",
                full_id_numbers=True,
                personal_data_confirmed=True,
            )
        masked = export_worklist(clerk.database, clerk.actor, spec, DAY, tmp_path / "c.xlsx")
        assert masked.masked and masked.rows == written.rows  # a clerk's list, masked
    finally:
        clerk.close()
    assert not (tmp_path / "clerk.xlsx").exists()


def test_export_refusals_are_clear_and_leave_nothing(town: Town, tmp_path: Path):
    database, actor = town.centre.database, town.centre.actor
    spec = WorklistSpec("renewals_due")
    with pytest.raises(ServiceError) as wrong_type:
        export_worklist(database, actor, spec, DAY, tmp_path / "list.docx")
    assert ".xlsx" in wrong_type.value.message
    with pytest.raises(ServiceError) as no_folder:
        export_worklist(database, actor, spec, DAY, tmp_path / "nowhere" / "list.xlsx")
    assert no_folder.value.code == "no_folder"
    # A name that is taken by a folder cannot be written (as any user, root included).
    taken = tmp_path / "taken.csv"
    taken.mkdir()
    with pytest.raises(ServiceError) as unwritable:
        export_worklist(database, actor, spec, DAY, taken)
    assert unwritable.value.code == "cannot_write"
    assert "无法写入" in unwritable.value.message and "write to" in unwritable.value.message_en
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.csv"]  # no part file left
    with pytest.raises(ValidationFailed):
        export_worklist(database, actor, WorklistSpec("nobody"), DAY, tmp_path / "x.csv")


def _cli(town: Town, *args: str) -> subprocess.CompletedProcess:
    return run(
        ["worklist", *args, "--user", "admin", "--date", DAY.isoformat()],
        town.paths.root,
        password=ADMIN_PASSWORD,
    )


def test_the_command_line_counts_shows_exports_and_prints(town: Town, tmp_path: Path):
    counted = _cli(town, "counts", "--json")
    assert counted.returncode == 0, counted.stderr
    figures = json.loads(counted.stdout)["counts"]
    assert figures == counts(town.centre.database, town.centre.actor, DAY)
    shown = _cli(town, "show", "not_covered", "--village", VILLAGE_B, "--line", "pension")
    assert shown.returncode == 0, shown.stderr
    assert "未愿意" in shown.stdout and "不愿参保" in shown.stdout and "共 1 条" in shown.stdout
    as_json = json.loads(_cli(town, "show", "turning_16", "--json").stdout)
    assert as_json["total"] == 1 and as_json["rows"][0]["name"] == "戊十六"
    exported = _cli(town, "export", "renewals_due", "-o", str(tmp_path / "due.xlsx"))
    assert exported.returncode == 0, exported.stderr
    assert len(_body(tmp_path / "due.xlsx")[1]) == 2
    printed = _cli(town, "print", "pension_age_soon", "-o", str(tmp_path / "age.pdf"))
    assert printed.returncode == 0, printed.stderr
    assert "壬六十" in pdftotext((tmp_path / "age.pdf").read_bytes(), tmp_path)


def test_the_command_line_refuses_clearly(town: Town, tmp_path: Path):
    assert_clean_failure(_cli(town, "show", "nobody"), "没有名为“nobody”的工作清单")
    assert_clean_failure(_cli(town, "show", "not_covered", "--village", "12ab"), "12位")
    assert_clean_failure(
        _cli(town, "export", "not_covered", "-o", str(tmp_path / "none" / "x.xlsx")), "不存在"
    )

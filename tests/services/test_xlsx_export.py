"""Exports to Excel over a real SQLCipher centre, read back with openpyxl: the header block,
the registry's rows (ID numbers as 18-character text), coverage statuses, refusals without
permission or consent that leave nothing behind, a failure mid-write that leaves no file, and
the one audit entry each export writes."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import StatusAnswer, record_answers
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.xlsx_export import export_coverage, export_registry
from caseworker.store.models import AuditEntry, Person
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

NOW = datetime(2026, 11, 27, 9, 30).astimezone()
PEOPLE = 5


def people(centre: OpenSession, n: int = PEOPLE) -> list[str]:
    """``n`` enrolled farmers; the ID numbers, one of them ending in X (checked as text)."""
    numbers = []
    for i in range(n):
        number = make_id_number("320583", date(1970 + i, 3, 1 + i), 11 + 2 * i)
        person = enrol(
            centre.database,
            centre.actor,
            farmer(id_number=number, name="测试" + "甲乙丙丁戊己庚辛"[i], phone=f"1391234{i:04d}"),
            [EnrolmentChoice("resident_medical")],
            today=TODAY,
        )
        numbers.append(number)
        if i == 0:
            record_answers(
                centre.database,
                centre.actor,
                [StatusAnswer(person.person_id, "injury", "not_insured", reason="unaware")],
                day=TODAY,
            )
    return numbers


def audits(session: OpenSession, action: str) -> list[AuditEntry]:
    with session.database.reading() as db:
        return list(
            db.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
            )
        )


def audit_count(session: OpenSession) -> int:
    with session.database.reading() as db:
        return db.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The folder exports go to (the centre's data folder is elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def read_back(path: Path) -> tuple[list[tuple[Any, ...]], int, Any]:
    """All rows, the heading row's number (1-based) and the sheet."""
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    heading = next(n for n, row in enumerate(rows, start=1) if row and row[0] == "身份证号")
    return rows, heading, sheet


def test_the_registry_reads_back_with_its_header_block(centre: OpenSession, out: Path):
    numbers = people(centre)
    target = out / "registry.xlsx"
    result = export_registry(
        centre.database, centre.actor, target, personal_data_confirmed=True, now=NOW, page=2
    )
    assert result.rows == PEOPLE and not result.masked and result.path == target
    assert result.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    rows, heading, sheet = read_back(target)
    block = "\n".join(" ".join(str(v) for v in row if v is not None) for row in rows[:heading])
    assert rows[0][0].startswith("人员登记库") and "Registry of people" in rows[0][0]
    assert centre.actor.centre_code in block and centre.actor.centre_name in block
    assert "2026-11-27 09:30" in block and centre.actor.display_name in block
    assert f"行数 / Rows {PEOPLE}" in block
    assert "本文件含个人信息" in block and "personal data" in block
    assert f"{PEOPLE} 人的完整身份证号" in block
    assert "无，全部" in block  # no filters, said so
    assert sheet.freeze_panes == f"A{heading + 1}"
    assert sheet.cell(heading, 1).font.b  # the headings are bold
    body = rows[heading:]
    assert sorted(r[0] for r in body) == sorted(numbers)  # every person, paged by two
    for number in range(heading + 1, heading + 1 + len(body)):
        cell = sheet.cell(number, 1)
        assert isinstance(cell.value, str) and len(cell.value) == 18
        assert cell.number_format == "@"
    with centre.database.reading() as db:
        first = db.scalars(select(Person).where(Person.id_number == numbers[0])).one()
    row = next(r for r in body if r[0] == numbers[0])
    headings = rows[heading - 1]
    by = dict(zip(headings, row, strict=True))
    assert by["姓名"] == first.name == "测试甲"
    assert by["出生日期"] == first.birth_date.isoformat()
    assert by["性别"] == "男" and by["民族"] == "汉族"
    assert by["联系电话"] == first.phone
    assert by["户籍村（居）代码"] == "320583101201"
    assert by["就业类别"] and by["就业类别"] != "farmer"  # named, not coded
    assert "城乡居民基本医疗保险" in by["参保险种"]
    assert by["人员状态"] == "在册" and by["管理中心"] == "本中心"
    (entry,) = audits(centre, "export.registry")
    assert entry.entity_type == "export"
    assert entry.detail["rows"] == PEOPLE and entry.detail["file"] == "registry.xlsx"
    assert entry.detail["sha256"] == result.sha256 and entry.detail["masked"] is False
    assert str(out) not in str(entry.detail)  # the name, never the folder


def test_coverage_statuses_per_person_and_line(centre: OpenSession, out: Path):
    numbers = people(centre, 2)
    everything = export_coverage(
        centre.database, centre.actor, out / "all.xlsx", personal_data_confirmed=True, page=4
    )
    rows, heading, _sheet = read_back(out / "all.xlsx")
    body = rows[heading:]
    assert everything.rows == len(body) == 2 * 3  # two people, three lines
    by = [dict(zip(rows[heading - 1], row, strict=True)) for row in body]
    injury = next(r for r in by if r["身份证号"] == numbers[0] and r["保障项目"].startswith("工伤"))
    assert injury["参保状态"] == "未参保" and injury["原因"]
    assert injury["状态日期"] == TODAY.isoformat() and injury["来源"]
    pension = export_coverage(
        centre.database,
        centre.actor,
        out / "pension.xlsx",
        personal_data_confirmed=True,
        line="pension",
    )
    rows, heading, _sheet = read_back(out / "pension.xlsx")
    assert pension.rows == 2 and {r[3] for r in rows[heading:]} == {"养老保险"}
    assert any("保障项目：养老保险" in str(v) for row in rows[:heading] for v in row)
    entries = audits(centre, "export.coverage")
    assert [e.detail["line"] for e in entries] == [None, "pension"]
    with pytest.raises(ServiceError) as bad:
        export_coverage(
            centre.database,
            centre.actor,
            out / "x.xlsx",
            personal_data_confirmed=True,
            line="pensions",
        )
    assert "pension" in bad.value.message


def test_a_clerk_is_refused_and_nothing_is_written(
    centre: OpenSession, clerk: OpenSession, out: Path
):
    people(centre, 1)
    before = audit_count(centre)
    for export in (export_registry, export_coverage):
        with pytest.raises(PermissionDenied) as refused:
            export(clerk.database, clerk.actor, out / "x.xlsx", personal_data_confirmed=True)
        assert "export_personal_data" in refused.value.message_en
    assert list(out.iterdir()) == [] and audit_count(centre) == before


def test_without_consent_nothing_is_left_behind(centre: OpenSession, out: Path):
    people(centre, 2)
    before = audit_count(centre)
    for export in (export_registry, export_coverage):
        with pytest.raises(ServiceError) as refused:
            export(centre.database, centre.actor, out / "x.xlsx", personal_data_confirmed=False)
        assert refused.value.code == "consent_needed"
        assert "--yes" in refused.value.message and "2 人" in refused.value.message
        assert "confirm" in refused.value.message_en.lower()
    assert list(out.iterdir()) == [] and audit_count(centre) == before


class Stopped(Exception):
    pass


def test_a_failure_mid_write_leaves_no_file_and_no_audit(centre: OpenSession, out: Path):
    people(centre, 3)
    target = out / "registry.xlsx"
    target.write_bytes(b"an earlier export, kept")
    before = audit_count(centre)

    def stop(done: int, total: int) -> None:
        raise Stopped  # the operator's cancel, or any failure while writing

    with pytest.raises(Stopped):
        export_registry(
            centre.database, centre.actor, target, personal_data_confirmed=True, progress=stop
        )
    assert [p.name for p in out.iterdir()] == ["registry.xlsx"]  # no part file
    assert target.read_bytes() == b"an earlier export, kept"
    assert audit_count(centre) == before


def test_bad_targets_are_refused_in_words(centre: OpenSession, out: Path):
    for target, code in (
        (out / "x.csv", "bad_format"),
        (out / "no" / "x.xlsx", "no_folder"),
    ):
        with pytest.raises(ServiceError) as refused:
            export_registry(centre.database, centre.actor, target, personal_data_confirmed=True)
        assert refused.value.code == code
    assert list(out.iterdir()) == []


def test_a_file_that_cannot_be_recorded_is_removed(
    centre: OpenSession, out: Path, monkeypatch: pytest.MonkeyPatch
):
    people(centre, 1)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise Stopped  # e.g. the disk filled between the file and the audit entry

    monkeypatch.setattr("caseworker.services.xlsx_export.audit", refused)
    with pytest.raises(Stopped):
        export_registry(centre.database, centre.actor, out / "r.xlsx", personal_data_confirmed=True)
    assert list(out.iterdir()) == []  # no export of personal data goes unrecorded

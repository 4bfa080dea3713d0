"""`caseworker import special-groups` as a supervisor runs it: a real process over a real
centre; the dry run writes nothing, the import marks, the report is read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import Person, SpecialGroupMembership
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer
from tests.services.test_special_groups import STRANGER

SHAN = "320583198001010016"


@pytest.fixture
def home(centre: OpenSession) -> Path:
    enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
    )
    return centre.database.paths.root


def dibao_list(tmp_path: Path) -> Path:
    path = tmp_path / "低保名单.csv"
    path.write_text(
        "姓名,身份证号码,认定日期\n"
        f"单雄信,{SHAN},2026-01-01\n"
        f"钱多多,{STRANGER},2026-01-01\n"
        "坏号,12345,2026-01-01\n",
        encoding="gb18030",
    )
    return path


def marked(home: Path) -> tuple[list[str], int]:
    session = login(DataPaths(home), "supervisor", SUPERVISOR_PASSWORD)
    try:
        with session.database.reading() as db:
            groups = db.scalar(select(Person.special_groups).where(Person.id_number == SHAN))
            n = db.scalar(select(func.count()).select_from(SpecialGroupMembership))
        return groups, n
    finally:
        session.close()


@pytest.mark.slow
def test_dry_run_then_import_with_a_report(home: Path, tmp_path: Path):
    path, report = dibao_list(tmp_path), tmp_path / "未匹配.xlsx"
    base = ["import", "special-groups", str(path), "--group", "dibao", "--office", "XX县民政局"]
    dry = run([*base, "--dry-run", "--user", "supervisor"], home, password=SUPERVISOR_PASSWORD)
    assert dry.returncode == 0, dry.stderr
    assert "匹配 1（将标记 1 人），未登记 1，有问题 1" in dry.stdout
    assert "第4行" in dry.stdout and "nothing was written" in dry.stdout
    assert SHAN not in dry.stdout and STRANGER not in dry.stdout  # masked on screen
    assert marked(home) == ([], 0)
    done = run(
        [*base, "--report", str(report), "--user", "supervisor"],
        home,
        password=SUPERVISOR_PASSWORD,
    )
    assert done.returncode == 0, done.stderr
    assert "写入 1 条认定记录，修改 1 人" in done.stdout
    assert marked(home) == (["dibao"], 1)
    rows = list(load_workbook(report).active.iter_rows(values_only=True))[3:]
    assert [(r[0], r[1]) for r in rows] == [("未登记", 3), ("无法读取", 4)]
    again = run([*base, "--json", "--user", "supervisor"], home, password=SUPERVISOR_PASSWORD)
    result = json.loads(again.stdout)
    assert (result["memberships_written"], result["people_changed"]) == (0, 0)
    assert result["matched"][0]["already_recorded"] is True


def test_a_clerk_is_refused_and_a_list_without_its_group_is_said(home: Path, tmp_path: Path):
    path = dibao_list(tmp_path)
    refused = run(
        ["import", "special-groups", str(path), "--user", "clerk"], home, password=CLERK_PASSWORD
    )
    assert_clean_failure(refused, "无权执行此操作")
    no_group = run(
        ["import", "special-groups", str(path), "--user", "supervisor"],
        home,
        password=SUPERVISOR_PASSWORD,
    )
    assert_clean_failure(no_group, "请选择这份名单的群体")
    assert marked(home) == ([], 0)

"""`caseworker import roster` as a supervisor runs it: a real process over a real centre of
青阳镇; the template, a refused file with its report, valid rows only, a mapped heading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.registry import find_by_id_number
from caseworker.services.roster_file import inspect_roster
from tests.cli.test_cli import assert_clean_failure, run
from tests.prepared import prepared_centre
from tests.services.test_roster_import import ADMIN, CHILD, HEAD, HEADINGS, _roster, _rows, _set_up


@pytest.fixture
def home(data_paths: DataPaths) -> Path:
    prepared_centre(data_paths, "roster_import.centre", _set_up).session.close()
    return data_paths.root


def _known(home: Path, number: str) -> bool:
    session = login(DataPaths(home), "admin", ADMIN)
    try:
        return find_by_id_number(session.database, number) is not None
    finally:
        session.close()


@pytest.mark.slow
def test_a_rejected_row_stops_the_file_then_valid_rows_only_imports_the_rest(
    home: Path, tmp_path: Path
) -> None:
    rows = _rows()
    rows[2][2] = CHILD[:-1] + ("0" if CHILD[-1] != "0" else "1")
    path, report = _roster(tmp_path / "花名册.xlsx", rows), tmp_path / "报告.xlsx"
    refused = run(
        ["import", "roster", "--user", "admin", str(path), "--report", str(report)],
        home,
        password=ADMIN,
    )
    assert refused.returncode == 1, refused.stderr
    assert "未通过 1" in refused.stdout and "整个文件都没有导入" in refused.stdout
    assert "第5行" in refused.stdout and f"报告 / report: {report}" in refused.stdout
    assert load_workbook(report, read_only=True).sheetnames[0] == "导入说明"
    assert not _known(home, HEAD)
    done = run(
        ["import", "roster", "--user", "admin", str(path), "--valid-only", "--json"],
        home,
        password=ADMIN,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["created"], result["rejected"], result["written"]) == (3, 1, True)
    assert result["problems"][0]["row"] == 5 and result["problems"][0]["column"] == "id_number"
    assert _known(home, HEAD) and not _known(home, CHILD)


def test_the_template_and_a_heading_mapped_on_the_command_line(home: Path, tmp_path: Path) -> None:
    template = tmp_path / "模板.xlsx"
    made = run(["import", "roster", "--template", str(template)], home, password=None)
    assert made.returncode == 0, made.stderr
    assert not inspect_roster(template).missing
    headings = [("公民号" if h == "身份证号" else h) for h in HEADINGS]
    path = _roster(tmp_path / "m.xlsx", _rows(), headings)
    unmapped = run(
        ["import", "roster", "--user", "admin", str(path), "--dry-run"], home, password=ADMIN
    )
    assert_clean_failure(unmapped, "身份证号")
    mapped = run(
        [
            "import",
            "roster",
            "--user",
            "admin",
            str(path),
            "--dry-run",
            "--column",
            "公民号=id_number",
        ],
        home,
        password=ADMIN,
    )
    assert mapped.returncode == 0, mapped.stderr
    assert "可新增 4" in mapped.stdout and "试导入" in mapped.stdout
    assert not _known(home, HEAD)
    wrong = run(
        ["import", "roster", str(path), "--column", "公民号=idnumber"], home, password=ADMIN
    )
    assert_clean_failure(wrong, "字段应为")

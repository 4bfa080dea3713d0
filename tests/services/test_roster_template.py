"""The blank roster: the reader finds every column, and a filled copy reads without problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from caseworker.domain.ids import make_id_number
from caseworker.services.roster_file import COLUMN_ZH, inspect_roster, iter_roster
from caseworker.services.roster_template import TEMPLATE_FIELDS, write_template

HEAD = make_id_number("110105", date(1970, 3, 5), 11)
WIFE = make_id_number("110105", date(1972, 8, 9), 22)


def test_the_template_names_every_field(tmp_path: Path) -> None:
    path = tmp_path / "花名册模板.xlsx"
    write_template(path)
    layout = inspect_roster(path)
    assert layout.sheet == "花名册" and layout.header_row == 1
    assert list(layout.mapping.values()) == list(TEMPLATE_FIELDS)
    assert layout.unknown == () and layout.missing == () and layout.samples == ()
    book = load_workbook(path)
    assert book.sheetnames == ["花名册", "填写说明", "代码表"]
    assert book["代码表"].sheet_state == "hidden"
    assert "身份证号必须是18位" in "".join(
        str(r[0]) for r in book["填写说明"].iter_rows(values_only=True)
    )
    sheet = book["花名册"]
    assert sheet["C2"].number_format == "@" and sheet["H500"].number_format == "@"
    lists = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert set(lists) == {"D2:D2001", "E2:E2001", "F2:F2001", "K2:K2001"}
    codes = book["代码表"]
    listed = {
        codes.cell(1, c).value: [codes.cell(r, c).value for r in range(2, codes.max_row + 1)]
        for c in range(1, codes.max_column + 1)
    }
    assert listed["性别"][:2] == ["男", "女"] and "汉族" in listed["民族"]
    assert "户主" in listed["与户主关系"]


def test_a_filled_template_reads_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    write_template(path)
    book = load_workbook(path)
    sheet = book["花名册"]
    people = [
        [
            "H001",
            "张三",
            HEAD,
            "户主",
            "男",
            "汉族",
            "1970-03-05",
            "13800000000",
            "东村",
            "东村1号",
            "务农人员",
        ],
        [
            "H001",
            "李四",
            WIFE,
            "妻",
            "女",
            "回族",
            date(1972, 8, 9),
            "13900000000",
            "东村",
            "东村1号",
            "外出务工人员",
        ],
    ]
    for row, values in enumerate(people, 2):
        for column, value in enumerate(values, 1):
            sheet.cell(row, column, value)
    book.save(path)
    layout = inspect_roster(path)
    rows = list(iter_roster(path, layout))
    assert [(r.row, r.problems) for r in rows] == [(2, ()), (3, ())]
    assert rows[0].fields["id_number"] == HEAD and rows[0].fields["phone"] == "13800000000"
    assert rows[1].fields["relationship_to_head"] == "12"
    assert {r.household_key for r in rows} == {"H001"} and rows[0].village == "东村"
    assert COLUMN_ZH["village"] == "村（居）委会"

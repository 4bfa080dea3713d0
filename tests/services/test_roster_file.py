"""The roster reader against the traps of real village spreadsheets, one test each."""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from caseworker.domain.ids import make_id_number
from caseworker.services import spreadsheet
from caseworker.services.errors import ServiceError
from caseworker.services.roster_file import bad_file, read_roster

HEAD = make_id_number("110105", date(1970, 3, 5), 11)  # a man
WIFE = make_id_number("110105", date(1972, 8, 9), 22)  # a woman
SON = make_id_number("110105", date(2000, 1, 2), 31)
HEADINGS = ["户号", "姓名", "身份证号", "与户主关系", "性别", "民族", "户籍地址"]


def _people() -> list[list[object]]:
    return [
        ["H001", "张三", HEAD, "户主", "男", "汉族", "东村1号"],
        ["H001", "李四", WIFE, "妻", "女", "汉族", "东村1号"],
        ["H001", "张小三", SON, "子", "男", "汉族", "东村1号"],
    ]


def _xlsx(path: Path, rows: list[list[object]], *, first_sheet: list[list[object]] | None = None):
    book = Workbook()
    sheet = book.active
    if first_sheet is not None:
        sheet.title = "说明"
        for row in first_sheet:
            sheet.append(row)
        sheet = book.create_sheet("花名册")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return book


def _read(tmp_path: Path, rows: list[list[object]], **kwargs: object):
    path = tmp_path / "roster.xlsx"
    _xlsx(path, rows, **kwargs)  # type: ignore[arg-type]
    return read_roster(path)


def _problems(roster, index: int = 0) -> str:
    return " ".join(p.zh for p in roster.rows[index].problems)


def test_a_clean_roster_gives_fields_household_and_relationship(tmp_path: Path) -> None:
    roster = _read(tmp_path, [HEADINGS, *_people()])
    assert [r.problems for r in roster.rows] == [(), (), ()]
    head = roster.rows[0]
    assert head.row == 2
    assert head.fields == {
        "id_number": HEAD,
        "name": "张三",
        "relationship_to_head": "02",
        "ethnicity": "01",
        "hukou_address": "东村1号",
    }
    assert {r.household_key for r in roster.rows} == {"H001"}
    assert [r.relationship_code for r in roster.rows] == ["02", "12", "20"]
    assert roster.kind == "xlsx" and roster.unknown_headings == ()
    assert roster.mapping["身份证号"] == "id_number"


def test_id_number_stored_as_a_number_is_said_plainly(tmp_path: Path) -> None:
    roster = _read(tmp_path, [HEADINGS, ["H001", "张三", 110105197003051234, "户主"]])
    text = _problems(roster)
    assert "存成了数字" in text and "末几位已经丢失" in text
    assert "id_number" not in roster.rows[0].fields  # never guessed back


def test_id_number_in_scientific_notation_text(tmp_path: Path) -> None:
    roster = _read(tmp_path, [HEADINGS, ["H001", "张三", "1.10105E+17", "户主"]])
    assert "科学计数法" in _problems(roster)


def test_leading_apostrophe_is_dropped(tmp_path: Path) -> None:
    roster = _read(tmp_path, [HEADINGS, ["H001", "张三", "'" + HEAD, "户主"]])
    assert roster.rows[0].problems == () and roster.rows[0].fields["id_number"] == HEAD


def test_full_width_digits_are_read(tmp_path: Path) -> None:
    wide = HEAD.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    roster = _read(tmp_path, [HEADINGS, ["Ｈ００１", "张三", wide, "户主"]])
    assert roster.rows[0].fields["id_number"] == HEAD
    assert roster.rows[0].household_key == "H001"


def test_trailing_and_non_breaking_spaces(tmp_path: Path) -> None:
    roster = _read(
        tmp_path, [[h + "\u00a0" for h in HEADINGS], ["H001 ", "张三\u00a0", HEAD + "  ", "户主 "]]
    )
    row = roster.rows[0]
    assert row.problems == () and row.fields["name"] == "张三" and row.fields["id_number"] == HEAD


def test_merged_header_cells_apply_to_every_column(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["联系方式", None, "身份证号", "姓名", "与户主关系"])
    sheet.append(["联系电话", "户籍地址", None, None, None])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:C2")
    sheet.merge_cells("D1:D2")
    sheet.merge_cells("E1:E2")
    sheet.append(["13800000000", "东村1号", WIFE, "李四", "妻"])
    book.save(path)
    raw = spreadsheet.open_spreadsheet(path, bad_file)
    assert (0, 0, 0, 1) in raw.sheets[0].merges
    roster = read_roster(path)
    # 身份证号/姓名/与户主关系 are merged down over both heading rows; 联系方式 spans two
    # columns whose sub-headings are on row 2. The data starts on row 3.
    assert roster.headings == ("联系电话", "户籍地址", "身份证号", "姓名", "与户主关系")
    assert roster.rows[0].fields["phone"] == "13800000000"
    assert roster.mapping["身份证号"] == "id_number"
    assert [(r.row, r.fields["id_number"], r.fields["name"]) for r in roster.rows] == [
        (3, WIFE, "李四")
    ]


def test_a_heading_merged_across_columns_applies_to_each(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "联系电话", None])
    sheet.merge_cells("C1:D1")
    sheet.append(["张三", HEAD, "13800000000", "13900000000"])
    book.save(path)
    roster = read_roster(path)
    assert roster.headings == ("姓名", "身份证号", "联系电话", "联系电话")
    assert roster.rows[0].fields["phone"] == "13800000000"


def test_header_not_on_row_one_and_empty_rows(tmp_path: Path) -> None:
    rows = [
        ["东村村民委员会户籍花名册"],
        [],
        HEADINGS,
        [],
        _people()[0],
        [None, "  "],
        _people()[1],
    ]
    roster = _read(tmp_path, rows)
    assert [r.row for r in roster.rows] == [5, 7]
    assert all(r.problems == () for r in roster.rows)


def test_dates_as_serial_numbers_and_text(tmp_path: Path) -> None:
    born = date(1970, 3, 5)
    serial = (born - date(1899, 12, 30)).days
    rows = [
        ["姓名", "身份证号", "出生日期"],
        ["甲", HEAD, serial],
        ["乙", WIFE, "1972/8/9"],
        ["丙", SON, "2000年1月2日"],
        ["丁", make_id_number("110105", date(1980, 5, 6), 41), "19800506"],
        ["戊", make_id_number("110105", date(1981, 5, 6), 51), "1981-05-07"],
        ["己", make_id_number("110105", date(1982, 5, 6), 61), "去年"],
    ]
    roster = _read(tmp_path, rows)
    assert [r.problems for r in roster.rows[:4]] == [(), (), (), ()]
    assert "不符" in _problems(roster, 4)
    assert "无法识别" in _problems(roster, 5) and "出生日期" in _problems(roster, 5)


def test_excel_serial_numbers_before_march_1900() -> None:
    assert spreadsheet.parse_date(1) == date(1900, 1, 1)
    assert spreadsheet.parse_date(61) == date(1900, 3, 1)


def test_an_unrelated_first_sheet_is_passed_over_and_named(tmp_path: Path) -> None:
    # The first sheet even names two headings (姓名, 民族) but no ID number column.
    explained = [["填表说明"], ["姓名", "民族"], ["张三", "汉族"]]
    roster = _read(tmp_path, [HEADINGS, *_people()], first_sheet=explained)
    assert roster.sheet == "花名册" and len(roster.rows) == 3


def test_a_formula_cell_gives_its_saved_value(tmp_path: Path) -> None:
    # openpyxl writes a formula without the value Excel saves beside it; put one in, as Excel does.
    plain = tmp_path / "plain.xlsx"
    _xlsx(plain, [["姓名", "身份证号", "户号"], ["张三", HEAD, "=100+1"]])
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(</f>)<v\s*/?>(</v>)?", b"</f><v>101</v>", data)
                assert b"<v>101</v>" in data
            target.writestr(item, data)
    roster = read_roster(path)
    assert roster.rows[0].household_key == "101"  # the value, never "=100+1"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xlsx"),
        ("roster.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "WPS"),
        ("roster.ods", b"whatever", "另存为"),
    ],
)
def test_xls_et_and_others_are_refused_in_words(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ServiceError) as raised:
        read_roster(path)
    assert words in raised.value.message and ".xlsx" in raised.value.message


@pytest.mark.parametrize(
    ("encoding", "kind"), [("utf-8-sig", "UTF-8"), ("utf-8", "UTF-8"), ("gb18030", "GB18030")]
)
def test_csv_in_utf8_and_gb18030(tmp_path: Path, encoding: str, kind: str) -> None:
    path = tmp_path / "花名册.csv"
    lines = [",".join(HEADINGS)] + [",".join(str(c) for c in row) for row in _people()]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    roster = read_roster(path)
    assert kind in roster.kind
    assert [r.fields["name"] for r in roster.rows] == ["张三", "李四", "张小三"]


def test_the_same_person_twice_names_the_first_row(tmp_path: Path) -> None:
    people = _people()
    roster = _read(tmp_path, [HEADINGS, *people, people[1]])
    assert roster.rows[1].problems == ()
    assert "与第3行重复" in _problems(roster, 3)
    assert roster.rows[3].problems[0].column == "id_number"


def test_an_unknown_heading_is_reported(tmp_path: Path) -> None:
    roster = _read(tmp_path, [[*HEADINGS, "备注", "文化程度"], _people()[0] + ["", "初中"]])
    assert roster.unknown_headings == ("备注", "文化程度")
    assert "备注" not in roster.mapping and roster.mapping["姓名"] == "name"


def test_household_key_without_a_household_number(tmp_path: Path) -> None:
    rows = [
        ["姓名", "身份证号", "关系", "户主", "地址"],
        ["张三", HEAD, "户主", "张三", "东村1号"],
        ["李四", WIFE, "妻", "张三", "东村1号"],
    ]
    roster = _read(tmp_path, rows)
    assert {r.household_key for r in roster.rows} == {"张三|东村1号"}


def test_problems_name_the_column(tmp_path: Path) -> None:
    roster = _read(tmp_path, [HEADINGS, ["H001", "", HEAD, "邻居", "女", "火星族"]])
    columns = {p.column for p in roster.rows[0].problems}
    assert columns == {"name", "relationship", "sex", "ethnicity"}
    assert all(
        p.zh.split("：")[0] in ("姓名", "与户主关系", "性别", "民族")
        for p in roster.rows[0].problems
    )


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_date_parser_reads_every_form(day: date) -> None:
    forms = [
        day,
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        (day - date(1899, 12, 30)).days,
        (day - date(1899, 12, 30)).days + 0.75,  # a date and time
    ]
    assert all(spreadsheet.parse_date(form) == day for form in forms)


@given(st.text(alphabet="0123456789-/年月日x ", max_size=12))
def test_date_parser_gives_a_date_or_says_why(text: str) -> None:
    try:
        result = spreadsheet.parse_date(text)
    except spreadsheet.CellProblem as problem:
        assert "无法识别" in problem.zh
    else:
        assert result is None or isinstance(result, date)
        assert result is None or timedelta(0) <= result - date(1, 1, 1)

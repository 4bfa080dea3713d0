"""The roster reader against the traps of real village spreadsheets, one test each."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from caseworker.domain.ids import make_id_number
from caseworker.services import spreadsheet
from caseworker.services.errors import ServiceError
from caseworker.services.roster_file import (
    FIELD_LABELS,
    RosterLayout,
    RosterRow,
    bad_file,
    inspect_roster,
    iter_roster,
)
from caseworker.services.roster_file import (
    HEADINGS as FIELDS,
)

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


@dataclass
class Roster:
    layout: RosterLayout
    rows: list[RosterRow]

    @property
    def by_heading(self) -> dict[str, str]:
        return {self.layout.headings[c]: f for c, f in self.layout.mapping.items()}


def read_roster(path: Path, mapping: dict[int, str] | None = None) -> Roster:
    layout = inspect_roster(path)
    return Roster(layout, list(iter_roster(path, layout, mapping)))


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
    layout = roster.layout
    assert layout.kind == "xlsx" and layout.unknown == () and layout.missing == ()
    assert layout.mapping == {
        0: "household_number",
        1: "name",
        2: "id_number",
        3: "relationship",
        4: "sex",
        5: "ethnicity",
        6: "hukou_address",
    }
    assert layout.header_row == 1 and layout.first_data_row == 2 and layout.sheet == "Sheet"
    assert layout.samples[1] == ("H001", "李四", WIFE, "妻", "女", "汉族", "东村1号")
    assert len(layout.samples) == 3 and layout.estimated_rows == 3


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
    assert roster.layout.headings == ("联系电话", "户籍地址", "身份证号", "姓名", "与户主关系")
    assert roster.rows[0].fields["phone"] == "13800000000"
    assert roster.by_heading["身份证号"] == "id_number"
    assert (roster.layout.header_row, roster.layout.first_data_row) == (1, 3)
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
    assert roster.layout.headings == ("姓名", "身份证号", "联系电话", "联系电话")
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
    assert roster.layout.header_row == 3
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
    assert roster.layout.sheet == "花名册" and len(roster.rows) == 3


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
    assert kind in roster.layout.kind
    assert [r.fields["name"] for r in roster.rows] == ["张三", "李四", "张小三"]


def test_the_same_person_twice_is_left_to_the_import(tmp_path: Path) -> None:
    # Keeping every ID number seen would grow with the file; the import checks in the database.
    people = _people()
    roster = _read(tmp_path, [HEADINGS, *people, people[1]])
    assert [r.problems for r in roster.rows] == [(), (), (), ()]


def test_an_unknown_heading_is_reported(tmp_path: Path) -> None:
    roster = _read(tmp_path, [[*HEADINGS, "备注", "文化程度"], _people()[0] + ["", "初中"]])
    assert roster.layout.unknown == (7, 8)
    assert [roster.layout.headings[c] for c in roster.layout.unknown] == ["备注", "文化程度"]
    assert "备注" not in roster.by_heading and roster.by_heading["姓名"] == "name"


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


# -- layout and mapping --------------------------------------------------------------------


def test_headings_we_do_not_know_give_a_layout_for_the_clerk_to_map(tmp_path: Path) -> None:
    rows = [["东村花名册"], ["户编号", "人员姓名", "证件", "备注"], ["H1", "张三", HEAD, ""]]
    path = tmp_path / "roster.xlsx"
    _xlsx(path, rows)
    layout = inspect_roster(path)
    assert layout.header_row == 2 and layout.mapping == {}
    assert layout.unknown == (0, 1, 2, 3) and layout.missing == ("id_number", "name")
    assert layout.samples == (("H1", "张三", HEAD, ""),)
    with pytest.raises(ServiceError) as raised:
        list(iter_roster(path, layout))  # nothing mapped yet: it says what to choose
    assert "身份证号" in raised.value.message and "姓名" in raised.value.message
    mapped = list(iter_roster(path, layout, {0: "household_number", 1: "name", 2: "id_number"}))
    assert [(r.row, r.fields, r.household_key, r.problems) for r in mapped] == [
        (3, {"id_number": HEAD, "name": "张三"}, "H1", ())
    ]


def test_a_confirmed_mapping_overrides_and_ignores_columns(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _xlsx(path, [HEADINGS, _people()[0]])
    layout = inspect_roster(path)
    # The clerk drops 民族 and 户号: those columns are not read.
    rows = list(iter_roster(path, layout, {1: "name", 2: "id_number", 3: "relationship"}))
    assert rows[0].fields == {"id_number": HEAD, "name": "张三", "relationship_to_head": "02"}
    with pytest.raises(ServiceError) as raised:
        list(iter_roster(path, layout, {1: "name", 2: "id_number", 6: "name"}))
    assert "两列" in raised.value.message


def test_a_sheet_without_anything_like_headings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _xlsx(path, [["东村花名册"], ["张三", HEAD, 13800000000], ["李四", WIFE, "1972-08-09"]])
    with pytest.raises(ServiceError) as raised:
        inspect_roster(path)
    assert raised.value.code == "bad_roster" and "找不到表头" in raised.value.message


def test_a_file_changed_after_inspection_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _xlsx(path, [HEADINGS, _people()[0]])
    layout = inspect_roster(path)
    _xlsx(path, [HEADINGS, _people()[1]])
    with pytest.raises(ServiceError) as raised:
        list(iter_roster(path, layout))
    assert "修改" in raised.value.message


def test_gb18030_after_a_long_ascii_start_is_found(tmp_path: Path) -> None:
    # The encoding is decided over the whole file, not its first kilobytes.
    path = tmp_path / "roster.csv"
    lines = ["name,id_number,phone"] + [f"a{i},x,1" for i in range(20_000)] + ["张三,y,1"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    layout = inspect_roster(path)
    assert layout.kind == "csv (GB18030)"
    assert 15_000 < (layout.estimated_rows or 0) < 25_000
    rows = list(iter_roster(path, layout, {0: "name", 1: "id_number"}))
    assert rows[-1].fields["name"] == "张三" and rows[-1].row == 20_002


def test_field_labels_are_the_one_list_of_fields() -> None:
    assert [label.code for label in FIELD_LABELS] == list(FIELDS)
    assert {label.code for label in FIELD_LABELS if label.required} == {"id_number", "name"}
    assert all(label.zh == FIELDS[label.code][0] and label.en for label in FIELD_LABELS)


def test_a_wrong_saved_dimension_does_not_cut_rows(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _xlsx(plain, [HEADINGS, *_people()])
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    assert len(read_roster(path).rows) == 3


def _big_roster(path: Path, count: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADINGS)
    for i in range(count):
        number = make_id_number("110105", date(1950, 1, 1) + timedelta(days=i % 20_000), i % 999)
        sheet.append(
            [
                f"H{i // 3}",
                f"张{i}",
                number,
                "户主" if i % 3 == 0 else "子",
                None,
                "汉族",
                f"东村{i // 3}号",
            ]
        )
    book.save(path)


def _peak(path: Path) -> tuple[int, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        layout = inspect_roster(path)
        opened = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        count = sum(1 for _ in iter_roster(path, layout))
        return opened, tracemalloc.get_traced_memory()[1], count  # type: ignore[return-value]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_stays_flat_while_iterating(tmp_path: Path) -> None:
    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    # Twenty times the rows; tracemalloc slows every allocation, so the sizes stay small.
    _big_roster(small, 2_000)
    _big_roster(large, 40_000)
    small_open, small_peak, small_count = _peak(small)  # type: ignore[misc]
    large_open, large_peak, large_count = _peak(large)  # type: ignore[misc]
    per_row = (large_peak - small_peak) / (large_count - small_count)
    print(f"open {small_open}/{large_open} iterate {small_peak}/{large_peak}: {per_row:.0f} B/row")
    assert (small_count, large_count) == (2_000, 40_000)
    # What grows is the garbage not yet collected (about 1 MB, wherever the collector runs)
    # and a few bytes a row; a row kept for every row read is a kilobyte or more.
    assert per_row < 200


def _as_excel_saves(plain: Path, path: Path, replace: dict[str, str] | None = None) -> None:
    """``plain`` rewritten with its text in a shared-string table, as Excel and WPS save it
    (openpyxl writes inline strings); ``replace`` swaps a string for raw <si> content."""
    strings: list[str] = []

    def shared(match: re.Match[bytes]) -> bytes:
        value = match.group(2).decode()
        strings.append((replace or {}).get(value, f"<t>{value}</t>"))
        return match.group(1) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>',
                    shared,
                    data,
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Type="http://schemas.'
                    b"openxmlformats.org/officeDocument/2006/relationships/"
                    b'sharedStrings" Target="sharedStrings.xml" Id="rId99"/>'
                    b"</Relationships>",
                )
            target.writestr(item, data)
        table = "".join(f"<si>{s}</si>" for s in strings)
        target.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>',
        )


def test_a_workbook_with_shared_strings_reads_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _xlsx(plain, [["东村花名册"], HEADINGS, *_people()])
    path = tmp_path / "roster.xlsx"
    _as_excel_saves(plain, path)
    with zipfile.ZipFile(path) as archive:
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet1.xml")
    assert read_roster(path).rows == read_roster(plain).rows


def test_rich_text_and_phonetic_guides_in_shared_strings(tmp_path: Path) -> None:
    # Excel keeps a name typed with an IME with its phonetic guide (<rPh>) and styled runs (<r>)
    # in the shared strings; the value is the characters only.
    plain = tmp_path / "plain.xlsx"
    _xlsx(plain, [HEADINGS, ["H001", "PLACEHOLDER", HEAD, "户主"]])
    path = tmp_path / "roster.xlsx"
    runs = '<r><rPr><b/></rPr><t>张</t></r><r><t>三</t></r><rPh sb="0" eb="2"><t>zhang</t></rPh>'
    _as_excel_saves(plain, path, {"PLACEHOLDER": runs})
    roster = read_roster(path)
    assert roster.rows[0].fields["name"] == "张三" and roster.rows[0].problems == ()


def test_rows_are_estimated_without_a_saved_dimension(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _big_roster(path, 300)  # openpyxl's write-only workbook saves no <dimension>
    with zipfile.ZipFile(path) as archive:
        assert b"<dimension" not in archive.read("xl/worksheets/sheet1.xml")
    assert inspect_roster(path).estimated_rows == 300

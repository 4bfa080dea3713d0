"""Reading a household roster as village committees keep it (.xlsx or .csv).

Two steps, both streaming (a roster of 500,000 rows is read with flat memory): ``inspect_roster``
finds the heading row (several spellings per field, on whichever sheet names them) and gives a
``RosterLayout`` — which column is which field, what is missing, a few sample rows — for the
clerk to confirm or correct; ``iter_roster`` then yields every data row as plain values ready for
``services.validation.PersonInput`` with the problems found in it, each naming the column and
saying what is wrong. Nothing is written anywhere, and nothing is kept across rows but the
household head (for the household key): checks across rows, such as one person listed twice,
are the import's.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_id_number
from caseworker.services import spreadsheet
from caseworker.services.errors import ServiceError

# Field → the headings that name it (compared by ``spreadsheet.heading_key``).
HEADINGS: dict[str, tuple[str, ...]] = {
    "household_number": ("户号",),
    "name": ("姓名", "名字"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "relationship": ("与户主关系", "关系"),
    "sex": ("性别",),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期",),
    "phone": ("联系电话", "手机号"),
    "village": ("村（居）委会", "村", "村居"),
    "hukou_address": ("户籍地址", "地址"),
    "employment_category": ("就业类别",),
    "head_name": ("户主姓名", "户主"),
}
BY_HEADING = {spreadsheet.heading_key(h): f for f, names in HEADINGS.items() for h in names}
REQUIRED = ("id_number", "name")


@dataclass(frozen=True)
class FieldLabel:
    code: str  # a key of HEADINGS
    zh: str  # the heading a template writes, and the column's name in problems
    en: str
    required: bool


# The fields a roster column can be, in the template's order: the one list the mapping dialog
# offers, the template writes and problems name columns by.
_EN = {
    "household_number": "household number",
    "name": "name",
    "id_number": "ID number",
    "relationship": "relationship to head",
    "sex": "sex",
    "ethnicity": "ethnic group",
    "birth_date": "date of birth",
    "phone": "phone",
    "village": "village",
    "hukou_address": "hukou address",
    "employment_category": "employment category",
    "head_name": "head's name",
}
FIELD_LABELS: tuple[FieldLabel, ...] = tuple(
    FieldLabel(code, names[0], _EN[code], code in REQUIRED) for code, names in HEADINGS.items()
)
COLUMN_ZH = {label.code: label.zh for label in FIELD_LABELS}
COLUMN_EN = {label.code: label.en for label in FIELD_LABELS}
HEAD_CODES = ("01", "02")  # 本人, 户主: the row of the household head


@dataclass(frozen=True)
class Problem:
    column: str  # the field (a key of HEADINGS)
    zh: str
    en: str


@dataclass(frozen=True)
class RosterRow:
    row: int  # as the spreadsheet shows it
    fields: dict[str, str]  # PersonInput keywords → value (codes where the table has them)
    household_key: str  # 户号, else "head's name|address"
    relationship_code: str | None
    village: str  # as written; the village code is looked up by the import
    problems: tuple[Problem, ...] = field(default=())


@dataclass(frozen=True)
class RosterLayout:
    """What ``inspect_roster`` found: where the headings are and which column is which field."""

    name: str
    sha256: str
    kind: str  # "xlsx", "csv (UTF-8)" or "csv (GB18030)"
    sheet: str  # the sheet's title
    header_row: int  # 1-based, as the sheet shows it
    headings: tuple[str, ...]  # as written per column (merged cells filled)
    mapping: dict[int, str]  # 0-based column → field (a key of HEADINGS)
    unknown: tuple[int, ...]  # columns with a heading that names no field
    missing: tuple[str, ...]  # required fields no column maps to: the clerk must map them
    samples: tuple[tuple[str, ...], ...]  # the first data rows as display text, per column
    estimated_rows: int | None  # rows in the sheet, for a progress bar (an estimate)
    first_data_row: int  # 1-based: below the heading block (a heading merged down spans rows)


def bad_file(zh: str, en: str) -> ServiceError:
    return ServiceError("bad_roster", zh, en)


def _code(table: str, value: str) -> str | None:
    entries = load_code_table(table)
    if value in entries:
        return value
    entry = entries.find_by_name(value)
    return entry.code if entry else None


def _problem(column: str, zh: str, en: str) -> Problem:
    return Problem(column, f"{COLUMN_ZH[column]}：{zh}", f"{COLUMN_EN[column]}: {en}")


def _read_row(number: int, row: list[Any], columns: dict[str, int]) -> RosterRow:
    def raw(name: str) -> Any:
        return spreadsheet.cell(row, columns[name]) if name in columns else None

    def value(name: str) -> str:
        return spreadsheet.text(raw(name))

    problems: list[Problem] = []
    fields: dict[str, str] = {}
    identity = None
    try:
        number_text = spreadsheet.id_number_text(raw("id_number"))
        if not number_text:
            problems.append(_problem("id_number", "为空。", "empty."))
        else:
            identity = parse_id_number(number_text)
            fields["id_number"] = identity.number
    except spreadsheet.CellProblem as problem:
        problems.append(Problem("id_number", problem.zh, problem.en))
    except InvalidValue as error:
        problems.append(
            _problem("id_number", error.message, getattr(error, "message_en", error.message))
        )
        fields["id_number"] = spreadsheet.text(raw("id_number"))
    name = value("name")
    if name:
        fields["name"] = name
    else:
        problems.append(_problem("name", "为空。", "empty."))
    relationship_code = None
    relationship = value("relationship")
    if relationship:
        relationship_code = _code("relationship", relationship)
        if relationship_code is None:
            problems.append(
                _problem(
                    "relationship",
                    f"“{relationship}”不是与户主关系的名称（如 户主、配偶、子、女）。",
                    f"{relationship!r} is not a relationship to the head (户主, 配偶, 子, 女 …).",
                )
            )
        else:
            fields["relationship_to_head"] = relationship_code
    for name_, table in (
        ("ethnicity", "ethnic_group"),
        ("employment_category", "employment_category"),
    ):
        written = value(name_)
        if not written:
            continue
        code = _code(table, written)
        if code is None:
            title = load_code_table(table).title_zh
            problems.append(
                _problem(
                    name_, f"“{written}”不是{title}的名称。", f"{written!r} is not one we know."
                )
            )
        else:
            fields[name_] = code
    for name_ in ("phone", "hukou_address"):
        if value(name_):
            fields[name_] = value(name_)
    sex = value("sex")
    if sex and identity is not None:
        sex_code = _code("sex", sex)
        if sex_code is None:
            problems.append(
                _problem("sex", f"“{sex}”应为 男 或 女。", f"{sex!r} should be 男 or 女.")
            )
        elif sex_code != identity.sex.value:
            problems.append(
                _problem(
                    "sex",
                    f"写的是“{sex}”，与身份证号不符。",
                    f"{sex!r} does not agree with the ID number.",
                )
            )
    if "birth_date" in columns:
        try:
            born = spreadsheet.parse_date(raw("birth_date"))
        except spreadsheet.CellProblem as problem:
            problems.append(_problem("birth_date", problem.zh, problem.en))
        else:
            if born is not None and identity is not None and born != identity.birth_date:
                problems.append(
                    _problem(
                        "birth_date",
                        f"{born.isoformat()} 与身份证号中的出生日期 "
                        f"{identity.birth_date.isoformat()} 不符。",
                        f"{born.isoformat()} does not agree with the ID number "
                        f"({identity.birth_date.isoformat()}).",
                    )
                )
    return RosterRow(
        row=number,
        fields=fields,
        household_key=value("household_number"),
        relationship_code=relationship_code,
        village=value("village"),
        problems=tuple(problems),
    )


ROSTER_MAX_BYTES: int | None = None  # streamed: a large roster costs time, not memory
SAMPLE_ROWS = 5


def _open(path: Path) -> spreadsheet.SpreadsheetStream:
    return spreadsheet.open_stream(path, bad_file, max_bytes=ROSTER_MAX_BYTES)


def inspect_roster(path: Path) -> RosterLayout:
    """The roster's layout; raises ``bad_roster`` for a file that cannot be read or has no row
    that could be headings. Headings that name neither 身份证号 nor 姓名 still give a layout (its
    ``missing`` says so) when a row looks like headings, for the clerk to map by hand."""
    with _open(path) as stream:
        sheets = stream.sheets
        header = spreadsheet.find_header(sheets, BY_HEADING, min_fields=2, required=REQUIRED)
        if header is None:
            header = spreadsheet.find_header(sheets, BY_HEADING, min_fields=2)
        if header is None:
            found = spreadsheet.heading_like_row(sheets)
            if found is not None:
                header = spreadsheet.header_at(*found, BY_HEADING)
        if header is None:
            raise bad_file(
                "找不到表头：没有一张工作表在前10行中写有“身份证号”和“姓名”等列名。"
                "请确认选的是村（居）委会的户籍花名册。",
                "No heading row: no sheet names the columns 身份证号 and 姓名 in its first 10 "
                "rows. Check this is a village committee's household roster.",
            )
        mapping = {column: field_ for field_, column in header.columns.items()}
        width = len(header.headings)
        samples: list[tuple[str, ...]] = []
        with contextlib.closing(stream.rows(header.sheet.title)) as rows:
            for cells in itertools.islice(rows, header.data_start, None):
                if spreadsheet.blank(cells):
                    continue
                samples.append(
                    tuple(spreadsheet.text(spreadsheet.cell(cells, c)) for c in range(width))
                )
                if len(samples) == SAMPLE_ROWS:
                    break
        return RosterLayout(
            name=stream.name,
            sha256=stream.sha256,
            kind=stream.kind,
            sheet=header.sheet.title,
            header_row=header.index + 1,
            headings=header.headings,
            mapping=dict(sorted(mapping.items())),
            unknown=tuple(
                column
                for column, heading in enumerate(header.headings)
                if heading and spreadsheet.heading_key(heading) not in BY_HEADING
            ),
            missing=tuple(name for name in REQUIRED if name not in header.columns),
            samples=tuple(samples),
            estimated_rows=(
                max(0, header.sheet.estimated_rows - header.data_start)
                if header.sheet.estimated_rows is not None
                else None
            ),
            first_data_row=header.data_start + 1,
        )


def _columns(mapping: dict[int, str]) -> dict[str, int]:
    """Field → column from a column → field mapping; each field once, the required present."""
    columns: dict[str, int] = {}
    for column, name in sorted(mapping.items()):
        if name not in HEADINGS:
            raise ValueError(f"no roster field {name!r}")
        if name in columns:
            raise bad_file(
                f"“{COLUMN_ZH[name]}”对应了两列（第{columns[name] + 1}列和第{column + 1}列），"
                "请只选一列。",
                f"{COLUMN_EN[name]} is mapped to two columns ({columns[name] + 1} and "
                f"{column + 1}); choose one.",
            )
        columns[name] = column
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise bad_file(
            "请指定哪一列是" + "、".join(COLUMN_ZH[name] for name in missing) + "。",
            "Choose the column for: " + ", ".join(COLUMN_EN[name] for name in missing) + ".",
        )
    return columns


def iter_roster(
    path: Path, layout: RosterLayout, mapping: dict[int, str] | None = None
) -> Iterator[RosterRow]:
    """Every data row of the roster below the headings, with its problems, one at a time.

    ``mapping`` (column → field) is the one the clerk confirmed; columns not in it are ignored.
    Without it the layout's own is used. Raises ``bad_roster`` when the file has changed since
    it was inspected or id_number/name have no column.
    """
    columns = _columns(layout.mapping if mapping is None else mapping)
    with _open(path) as stream:
        if stream.sha256 != layout.sha256:
            raise bad_file(
                f"文件“{stream.name}”在检查之后被修改过，请重新选择文件。",
                f"{stream.name!r} has changed since it was checked; choose the file again.",
            )
        head_name = head_address = ""
        rows = stream.rows(layout.sheet)
        with contextlib.closing(rows):
            start = layout.first_data_row - 1
            for number, cells in enumerate(itertools.islice(rows, start, None), start + 1):
                if spreadsheet.blank(cells):
                    continue
                read = _read_row(number, cells, columns)
                key = read.household_key
                if not key:
                    # No 户号: the household is its head's name and address, the head being
                    # the row marked 户主/本人 (carried to the rows below) or the 户主 column.
                    if read.relationship_code in HEAD_CODES:
                        head_name = read.fields.get("name", "")
                        head_address = read.fields.get("hukou_address", "")
                    named = (
                        spreadsheet.text(spreadsheet.cell(cells, columns["head_name"]))
                        if "head_name" in columns
                        else ""
                    )
                    address = read.fields.get("hukou_address", "")
                    key = f"{named or head_name}|{address or head_address}"
                yield RosterRow(
                    read.row, read.fields, key, read.relationship_code, read.village, read.problems
                )

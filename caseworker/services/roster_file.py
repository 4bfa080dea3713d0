"""Reading a household roster as village committees keep it (.xlsx or .csv).

Columns are found by their heading (several spellings each), on whichever sheet names them;
each row comes back as plain values ready for ``services.validation.PersonInput`` with the
problems found in it, each naming the column and saying what is wrong. Nothing is written
anywhere: the import (a later step) decides what to do with the rows.
"""

from __future__ import annotations

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
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "name": ("姓名", "名字"),
    "relationship": ("与户主关系", "关系"),
    "head_name": ("户主姓名", "户主"),
    "household_number": ("户号",),
    "sex": ("性别",),
    "ethnicity": ("民族",),
    "phone": ("联系电话", "手机号"),
    "hukou_address": ("户籍地址", "地址"),
    "village": ("村（居）委会", "村", "村居"),
    "employment_category": ("就业类别",),
    "birth_date": ("出生日期",),
}
BY_HEADING = {spreadsheet.heading_key(h): f for f, names in HEADINGS.items() for h in names}
# The column names used in problems, as a clerk reads them.
COLUMN_ZH = {field: names[0] for field, names in HEADINGS.items()}
COLUMN_EN = {
    "id_number": "ID number",
    "name": "name",
    "relationship": "relationship to head",
    "head_name": "head's name",
    "household_number": "household number",
    "sex": "sex",
    "ethnicity": "ethnic group",
    "phone": "phone",
    "hukou_address": "hukou address",
    "village": "village",
    "employment_category": "employment category",
    "birth_date": "date of birth",
}
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
class RosterFile:
    name: str
    sha256: str
    kind: str
    sheet: str  # the sheet whose headings matched
    headings: tuple[str, ...]  # as written, per column
    mapping: dict[str, str]  # heading as written → field
    unknown_headings: tuple[str, ...]
    rows: tuple[RosterRow, ...]


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


def read_roster(path: Path) -> RosterFile:
    """Every row of the roster with its problems; raises ``bad_roster`` for an unreadable file."""
    raw = spreadsheet.open_spreadsheet(path, bad_file)
    header = spreadsheet.find_header(
        raw.sheets, BY_HEADING, min_fields=2, required=("id_number", "name")
    )
    if header is None:
        raise bad_file(
            "找不到表头：没有一张工作表在前10行中写有“身份证号”和“姓名”等列名。"
            "请确认选的是村（居）委会的户籍花名册。",
            "No heading row: no sheet names the columns 身份证号 and 姓名 in its first 10 rows. "
            "Check this is a village committee's household roster.",
        )
    columns = header.columns
    rows: list[RosterRow] = []
    first_seen: dict[str, int] = {}
    head_name = head_address = ""
    for index in range(header.data_start, len(header.sheet.rows)):
        cells = header.sheet.rows[index]
        if spreadsheet.blank(cells):
            continue
        read = _read_row(index + 1, cells, columns)
        problems = list(read.problems)
        number = read.fields.get("id_number")
        if number and not any(p.column == "id_number" for p in problems):
            if number in first_seen:
                problems.append(
                    _problem(
                        "id_number",
                        f"与第{first_seen[number]}行重复，同一人在文件中出现两次。",
                        f"the same as row {first_seen[number]}; one person is listed twice.",
                    )
                )
            else:
                first_seen[number] = read.row
        key = read.household_key
        if not key:
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
        rows.append(
            RosterRow(
                read.row, read.fields, key, read.relationship_code, read.village, tuple(problems)
            )
        )
    mapping = {
        heading: BY_HEADING[spreadsheet.heading_key(heading)]
        for heading in header.headings
        if heading and spreadsheet.heading_key(heading) in BY_HEADING
    }
    return RosterFile(
        raw.name,
        raw.sha256,
        raw.kind,
        header.sheet.title,
        header.headings,
        mapping,
        header.unknown,
        tuple(rows),
    )

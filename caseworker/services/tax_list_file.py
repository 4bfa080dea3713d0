"""Reading the tax authority's list of payments: CSV (UTF-8 or GB18030) or XLSX.

Exports differ by province and system version, so columns are found by their heading (a few
spellings each), a title row above the headings is skipped, and every row that cannot be read
is named by its row number with what is wrong. An ID number Excel stored as a number has lost
its last digits: that is said plainly, and the number is never guessed back.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_id_number
from caseworker.domain.money import parse_yuan
from caseworker.services import spreadsheet
from caseworker.services.errors import ServiceError

MAX_BYTES = spreadsheet.MAX_BYTES
HEADER_SEARCH_ROWS = spreadsheet.HEADER_SEARCH_ROWS

# Normalised heading → field. Headings are compared without spaces, brackets' content
# about units ("（元）") and full-width forms.
HEADINGS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "公民身份号码", "缴费人证件号码"),
    "name": ("姓名", "缴费人姓名", "缴费人名称", "纳税人名称", "参保人姓名"),
    "scheme": ("险种", "险种名称", "征收品目", "征收项目", "费种"),
    "period": ("所属期", "费款所属期", "缴费所属期", "所属期间", "缴费期间"),
    "period_start": ("所属期起", "费款所属期起", "所属期起始", "费款所属期起始"),
    "period_end": ("所属期止", "费款所属期止", "所属期终止", "费款所属期止期"),
    "amount": ("金额", "缴费金额", "实缴金额", "实缴金额合计", "缴纳金额", "实缴费额"),
    "voucher_number": (
        "凭证号",
        "凭证号码",
        "缴费凭证号",
        "完税凭证号",
        "电子税票号码",
        "税票号码",
        "票证号码",
    ),
    "paid_on": ("缴费日期", "缴款日期", "入库日期", "开票日期", "缴费时间", "缴款时间"),
}
_BY_HEADING = {heading: field for field, names in HEADINGS.items() for heading in names}
# 2026, 202601, 20260101, or 2026-1, 2026年1月, 2026.01.31 (whole digit runs only, so
# "202601-202612" is two months, never 2026-01-20).
_DATE_TOKEN = re.compile(
    r"(?<!\d)(?:(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2}))?|(\d{4})(\d{2})?(\d{2})?)(?!\d)"
)


@dataclass(frozen=True)
class TaxLine:
    """One payment the tax authority lists; ``row`` is the row number as a spreadsheet shows it."""

    row: int
    id_number: str
    name: str
    scheme: str
    period_start: date
    period_end: date
    amount_fen: int
    voucher_number: str | None = None
    paid_on: date | None = None


@dataclass(frozen=True)
class BadRow:
    row: int
    problems: tuple[str, ...]  # Chinese, one per field
    problems_en: tuple[str, ...]


@dataclass(frozen=True)
class TaxListFile:
    name: str
    sha256: str
    kind: str  # "csv (UTF-8)", "csv (GB18030)" or "xlsx"
    lines: tuple[TaxLine, ...]
    bad_rows: tuple[BadRow, ...]


def bad_file(zh: str, en: str) -> ServiceError:
    return ServiceError("bad_tax_list", zh, en)


class _RowProblem(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


# -- headings ------------------------------------------------------------------------------


_heading = spreadsheet.heading_key


def _columns(sheets: tuple[spreadsheet.Sheet, ...]) -> spreadsheet.Header:
    """The heading row and the column of each field found in it."""
    header = spreadsheet.find_header(sheets[:1], _BY_HEADING, search_rows=HEADER_SEARCH_ROWS)
    if header is not None:
        return header
    raise bad_file(
        "找不到表头：前10行中没有“身份证号/证件号码”“险种/征收品目”“所属期”“金额”等列名。"
        "请确认选的是税务部门的缴费清单。",
        "No heading row: none of the first 10 rows names the columns (身份证号/证件号码, "
        "险种/征收品目, 所属期, 金额 ...). Check this is the tax authority's list of payments.",
    )


def _missing_columns(columns: dict[str, int]) -> None:
    needed = {
        "id_number": ("身份证号（或证件号码）", "ID number (身份证号/证件号码)"),
        "scheme": ("险种（或征收品目）", "scheme (险种/征收品目)"),
        "amount": ("金额（或缴费金额）", "amount (金额/缴费金额)"),
    }
    missing = [names for field, names in needed.items() if field not in columns]
    if "period" not in columns and not {"period_start", "period_end"} <= set(columns):
        missing.append(
            ("所属期（或所属期起、止两列）", "period (所属期, or 所属期起 and 所属期止)")
        )
    if missing:
        raise bad_file(
            "清单缺少以下列：" + "、".join(zh for zh, _ in missing) + "。",
            "The list has no column for: " + ", ".join(en for _, en in missing) + ".",
        )


# -- cells ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _id_number(value: Any) -> str:
    try:
        number = spreadsheet.id_number_text(value)
    except spreadsheet.CellProblem as problem:
        raise _RowProblem(problem.zh, problem.en) from None
    try:
        return parse_id_number(number).number
    except InvalidValue as error:
        raise _RowProblem(
            f"身份证号：{error.message}",
            f"ID number: {getattr(error, 'message_en', error.message)}",
        ) from None


def _scheme_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in load_code_table("scheme"):
        for name in (entry.code, entry.name_zh, entry.extra.get("short_zh"), *entry.aliases_zh):
            if name:
                names[_heading(name)] = entry.code
    return names


# Words the tax systems use for the schemes (征收项目/品目), checked in this order.
_SCHEME_WORDS = (
    (("灵活就业", "养老"), "employee_pension_flexible"),
    (("城乡居民", "养老"), "resident_pension"),
    (("居民", "养老"), "resident_pension"),
    (("城乡居民", "医疗"), "resident_medical"),
    (("居民", "医"), "resident_medical"),
    (("职工", "养老"), "employee_pension"),
    (("企业", "养老"), "employee_pension"),
    (("职工", "医疗"), "employee_medical"),
    (("失业",), "unemployment"),
    (("职业伤害",), "occupational_injury"),
    (("工伤",), "work_injury"),
)


def _scheme(value: Any, names: dict[str, str]) -> str:
    text = _heading(value)
    if not text:
        raise _RowProblem("险种为空。", "The scheme is empty.")
    if text in names:
        return names[text]
    for words, code in _SCHEME_WORDS:
        if all(word in text for word in words):
            return code
    raise _RowProblem(f"无法识别险种“{text}”。", f"The scheme {text!r} is not one we know.")


def _token_dates(year: str, month: str | None, day: str | None) -> tuple[date, date]:
    y = int(year)
    if month is None:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(month)
    if day is None:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    return date(y, m, int(day)), date(y, m, int(day))


def _dates(value: Any) -> list[tuple[date, date]]:
    if isinstance(value, datetime):
        return [(value.date(), value.date())]
    if isinstance(value, date):
        return [(value, value)]
    text = _text(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    try:
        found = []
        for match in _DATE_TOKEN.finditer(text):
            groups = match.groups()
            found.append(_token_dates(*(groups[:3] if groups[0] else groups[3:])))
        return found
    except ValueError:
        return []


def _period(row: Sequence[Any], columns: dict[str, int]) -> tuple[date, date]:
    if "period" in columns:
        raw = _cell(row, columns["period"])
        found = _dates(raw)
        if len(found) == 1 and found[0][0] != found[0][1]:
            return found[0]
        if len(found) == 2 and found[0][0] <= found[1][1]:
            return found[0][0], found[1][1]
        shown = _text(raw) or "（空）"
    else:
        start, end = (
            _dates(_cell(row, columns["period_start"])),
            _dates(_cell(row, columns["period_end"])),
        )
        if len(start) == 1 and len(end) == 1 and start[0][0] <= end[0][1]:
            return start[0][0], end[0][1]
        shown = f"{_text(_cell(row, columns['period_start']))}～{_text(_cell(row, columns['period_end']))}"
    raise _RowProblem(
        f"所属期“{shown}”无法识别，应写成如 2026、2026-01 或 2026-01-01至2026-12-31。",
        f"The period {shown!r} cannot be read; write it like 2026, 2026-01 or "
        "2026-01-01至2026-12-31.",
    )


def _amount(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = format(Decimal(str(value)), "f")
    try:
        return parse_yuan(_text(value))
    except InvalidValue as error:
        raise _RowProblem(
            f"金额：{error.message}", f"Amount: {getattr(error, 'message_en', error.message)}"
        ) from None


def _paid_on(value: Any) -> date | None:
    if value is None or _text(value) == "":
        return None
    found = _dates(value)
    if len(found) == 1 and found[0][0] == found[0][1]:
        return found[0][0]
    raise _RowProblem(
        f"缴费日期“{_text(value)}”无法识别，应写成如 2026-11-20。",
        f"The date paid {_text(value)!r} cannot be read; write it like 2026-11-20.",
    )


def _cell(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _line(
    number: int, row: Sequence[Any], columns: dict[str, int], names: dict[str, str]
) -> TaxLine | BadRow:
    problems: list[_RowProblem] = []
    values: dict[str, Any] = {}
    readers = {
        "id_number": lambda: _id_number(_cell(row, columns["id_number"])),
        "scheme": lambda: _scheme(_cell(row, columns["scheme"]), names),
        "period": lambda: _period(row, columns),
        "amount": lambda: _amount(_cell(row, columns["amount"])),
        "paid_on": lambda: (
            _paid_on(_cell(row, columns["paid_on"])) if "paid_on" in columns else None
        ),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except _RowProblem as problem:
            problems.append(problem)
    if problems:
        return BadRow(number, tuple(p.zh for p in problems), tuple(p.en for p in problems))
    voucher = _text(_cell(row, columns["voucher_number"])) if "voucher_number" in columns else ""
    return TaxLine(
        row=number,
        id_number=values["id_number"],
        name=_text(_cell(row, columns["name"])) if "name" in columns else "",
        scheme=values["scheme"],
        period_start=values["period"][0],
        period_end=values["period"][1],
        amount_fen=values["amount"],
        voucher_number=voucher.upper() or None,
        paid_on=values["paid_on"],
    )


def _blank(row: Iterable[Any]) -> bool:
    return all(_text(cell) == "" for cell in row)


def read_tax_list(path: Path) -> TaxListFile:
    """Every line of the list, or the rows that could not be read; raises ``bad_tax_list``."""
    raw = spreadsheet.open_spreadsheet(path, bad_file, max_bytes=MAX_BYTES, csv_for_any_suffix=True)
    found = _columns(raw.sheets)
    columns = found.columns
    rows = found.sheet.rows
    _missing_columns(columns)
    names = _scheme_names()
    lines: list[TaxLine] = []
    bad: list[BadRow] = []
    for index in range(found.data_start, len(rows)):
        row = rows[index]
        if _blank(row):
            continue
        read = _line(index + 1, row, columns, names)
        (bad if isinstance(read, BadRow) else lines).append(read)  # type: ignore[arg-type]
    if not lines and not bad:
        raise bad_file("清单中只有表头，没有缴费记录。", "The list has headings but no payments.")
    return TaxListFile(raw.name, raw.sha256, raw.kind, tuple(lines), tuple(bad))

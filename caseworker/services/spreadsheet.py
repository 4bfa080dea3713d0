"""One reader for the spreadsheets clerks are given: rosters, the tax list, civil affairs' lists.

A file is opened by its content and its extension: an .xlsx (read-only, formulas give their
saved values), a .csv in UTF-8 (with or without BOM) or GB18030. An old .xls, a WPS .et or
anything else is refused in words that say how to save it as .xlsx. The header row is found
within the first rows by the headings it names (a merged heading cell applies to every column
it spans), and cells are normalised the way real files need: a leading apostrophe, trailing and
non-breaking spaces, full-width digits and letters. Dates are read from Excel serial numbers and
from text in several formats. An ID number stored as a number has lost its last digits: that is
said plainly, and the number is never guessed back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from caseworker.services.errors import ServiceError

MAX_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

ErrorFactory = Callable[[str, str], ServiceError]

_UNIT = re.compile(r"[（(](元|人民币元|yuan)[)）]$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_TEXT_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$"
)
_EXCEL_EPOCH = date(1899, 12, 30)


class CellProblem(Exception):
    """What is wrong with one cell, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: list[list[Any]]
    merges: tuple[
        tuple[int, int, int, int], ...
    ] = ()  # (first row, first col, last row, last col), 0-based


@dataclass(frozen=True)
class RawFile:
    name: str
    sha256: str
    kind: str  # "csv (UTF-8)", "csv (GB18030)" or "xlsx"
    sheets: tuple[Sheet, ...]


@dataclass(frozen=True)
class Header:
    """The heading row of a sheet and where each known field is."""

    sheet: Sheet
    index: int  # 0-based row index of the headings
    columns: dict[str, int]  # field → 0-based column
    headings: tuple[str, ...]  # the headings as written (merged cells filled), per column
    unknown: tuple[str, ...]  # non-empty headings that name no known field
    data_start: int = 0  # 0-based index of the first row after the headings


# -- opening ------------------------------------------------------------------------------


def open_spreadsheet(
    path: Path, bad: ErrorFactory, *, max_bytes: int = MAX_BYTES, csv_for_any_suffix: bool = False
) -> RawFile:
    """The sheets of ``path``; raises ``bad(zh, en)`` when the file cannot be read.

    ``csv_for_any_suffix`` reads a file that is neither a workbook nor an old Excel file as CSV
    whatever its name (the tax list has always done so); otherwise only ``.csv`` is read as text.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise bad(
                f"文件过大（{size // 1_048_576} MB），清单最多 {max_bytes // 1_048_576} MB。",
                f"The file is too large ({size // 1_048_576} MB; at most "
                f"{max_bytes // 1_048_576} MB).",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise bad(f"找不到文件 {path}。", f"No file {path}.") from None
    except IsADirectoryError:
        raise bad(f"{path} 是文件夹，不是清单文件。", f"{path} is a folder.") from None
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return RawFile(path.name, digest, "xlsx", _xlsx_sheets(path, bad))
    if suffix == ".et":
        raise bad(
            "这是WPS表格文件（.et），无法直接读取；请在WPS中“另存为”Excel工作簿（.xlsx）后再导入。",
            "This is a WPS spreadsheet (.et), which cannot be read; in WPS use Save As → Excel "
            "workbook (.xlsx) and import that.",
        )
    if suffix in (".xls", ".xlsx") or data[:8] == OLE_MAGIC:
        raise bad(
            "这是旧版Excel（.xls）或损坏的Excel文件；请另存为 .xlsx 或 CSV 后再导入。",
            "This is an old Excel (.xls) or damaged workbook; save it as .xlsx or CSV first.",
        )
    if suffix != ".csv" and not csv_for_any_suffix:
        raise bad(
            f"无法读取“{path.name}”：只能导入 .xlsx 或 .csv 文件；请在Excel或WPS中另存为"
            "Excel工作簿（.xlsx）。",
            f"{path.name!r} cannot be read: only .xlsx or .csv files can be imported; save it "
            "as an Excel workbook (.xlsx) in Excel or WPS.",
        )
    kind, rows = _csv_rows(data, bad)
    return RawFile(path.name, digest, kind, (Sheet(path.stem, rows),))


def _csv_rows(data: bytes, bad: ErrorFactory) -> tuple[str, list[list[Any]]]:
    for encoding, label in (("utf-8-sig", "csv (UTF-8)"), ("gb18030", "csv (GB18030)")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        return label, list(csv.reader(io.StringIO(text, newline=""), dialect))
    raise bad(
        "文件既不是UTF-8也不是GB18030编码的文本，无法读取；请从税务系统重新导出为CSV或Excel。",
        "The file is neither UTF-8 nor GB18030 text; export it again as CSV or Excel.",
    )


def _xlsx_sheets(path: Path, bad: ErrorFactory) -> tuple[Sheet, ...]:
    from openpyxl import load_workbook  # only an .xlsx needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zip, XML or workbook errors all mean "not a usable workbook"
        raise bad(
            f"无法打开Excel文件（{type(error).__name__}）；请确认是 .xlsx 格式且未损坏。",
            f"The Excel file cannot be opened ({type(error).__name__}); check it is an "
            "undamaged .xlsx.",
        ) from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            sheets.append(Sheet(sheet.title, rows, _merges(workbook, sheet)))
        return tuple(sheets)
    finally:
        workbook.close()


def _column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _merges(workbook: Any, sheet: Any) -> tuple[tuple[int, int, int, int], ...]:
    """Merged ranges, read from the sheet's XML (a read-only sheet does not give them)."""
    try:
        source = workbook._archive.open(sheet._worksheet_path)
    except (AttributeError, KeyError):
        return ()
    found = []
    tail = b""
    with source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            for match in _MERGE.finditer(text):
                c1, r1, c2, r2 = match.groups()
                found.append((int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2)))
            tail = text[-200:]
    return tuple(sorted(set(found)))


# -- headings -----------------------------------------------------------------------------


def heading_key(value: Any) -> str:
    """A heading as compared: NFKC, no spaces, brackets unified, a unit such as （元） dropped."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = _SPACES.sub("", text)
    return _UNIT.sub("", text.replace("(", "（").replace(")", "）"))


def _filled_row(sheet: Sheet, index: int) -> list[Any]:
    row = list(sheet.rows[index])
    for r1, c1, r2, c2 in sheet.merges:
        if r1 <= index <= r2:
            value = _cell(sheet.rows[r1], c1) if r1 < len(sheet.rows) else None
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for column in range(c1, c2 + 1):
                row[column] = value
    return row


def find_header(
    sheets: Sequence[Sheet],
    by_heading: Mapping[str, str],
    *,
    min_fields: int = 3,
    required: tuple[str, ...] = (),
    search_rows: int = HEADER_SEARCH_ROWS,
) -> Header | None:
    """The first sheet and row (within ``search_rows``) naming at least ``min_fields`` fields,
    ``required`` among them."""
    for sheet in sheets:
        for index in range(min(search_rows, len(sheet.rows))):
            row = _filled_row(sheet, index)
            found: dict[str, int] = {}
            for column, cell in enumerate(row):
                field = by_heading.get(heading_key(cell))
                if field and field not in found:
                    found[field] = column
            if len(found) >= min_fields and all(name in found for name in required):
                # A heading merged down over several rows (a group heading above sub-headings):
                # the headings are those rows together, the lowest written heading winning.
                last = max(
                    (r2 for r1, _, r2, _ in sheet.merges if r1 == index and r2 > index),
                    default=index,
                )
                for below in range(index + 1, min(last, len(sheet.rows) - 1) + 1):
                    for column, value in enumerate(_filled_row(sheet, below)):
                        if text(value) and column < len(row):
                            row[column] = value
                        elif text(value):
                            row.extend([None] * (column - len(row)) + [value])
                    found = {}
                    for column, value in enumerate(row):
                        field = by_heading.get(heading_key(value))
                        if field and field not in found:
                            found[field] = column
                headings = tuple(text(cell) for cell in row)
                unknown = tuple(h for h in headings if h and by_heading.get(heading_key(h)) is None)
                return Header(
                    sheet, index, found, headings, tuple(dict.fromkeys(unknown)), last + 1
                )
    return None


# -- cells --------------------------------------------------------------------------------


def _cell(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


cell = _cell


def text(value: Any) -> str:
    """A cell as text: NFKC (full-width digits and letters), spaces trimmed, no leading '."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = unicodedata.normalize("NFKC", str(value)).replace("\u200b", "").strip()
    if result.startswith("'"):
        result = result[1:].strip()
    return result


def blank(row: Sequence[Any]) -> bool:
    return all(text(value) == "" for value in row)


def id_number_text(value: Any) -> str:
    """The ID number in a cell as text; a number (or 1.10105E+17) raises ``CellProblem``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # As Excel shows it: 15 significant digits, the rest zeros.
        shown = str(int(Decimal(f"{value:.15g}"))) if isinstance(value, float) else str(value)
        raise CellProblem(
            f"身份证号存成了数字（{shown}），Excel只保留15位有效数字，末几位已经丢失，"
            "无法核对；请把该列设为文本后重新导出，不要手工补全。",
            f"The ID number was stored as a number ({shown}); Excel keeps 15 significant "
            "digits, so its last digits are lost and it cannot be matched. Export the list "
            "again with the column as text; do not fill the digits in by hand.",
        )
    result = text(value)
    if _SCIENTIFIC.fullmatch(result):
        raise CellProblem(
            f"身份证号显示为科学计数法（{result}），表格软件把它当成了数字，末几位已经丢失；"
            "请以文本格式重新导出，不要手工补全。",
            f"The ID number reads as a number in scientific notation ({result}); a spreadsheet "
            "treated it as a number and its last digits are lost. Export it again as text; do "
            "not fill the digits in by hand.",
        )
    return result


def parse_date(value: Any) -> date | None:
    """A date from a cell: a date, an Excel serial number, or text such as 2026-11-27,
    2026/11/27, 2026年11月27日 or 20261127. Empty gives None; anything else raises."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # a serial number (a time of day, as a fraction, dropped)
            # Excel counts a 29 February 1900 that never was: serials below 61 start a day later.
            start = _EXCEL_EPOCH if value >= 61 else _EXCEL_EPOCH + timedelta(days=1)
            return start + timedelta(days=int(value))
        if 10_000_000 <= value <= 99_999_999 and float(value).is_integer():
            value = str(int(value))  # 20261127 typed as a number
        else:
            raise _bad_date(text(value))
    shown = text(value)
    if not shown:
        return None
    match = _TEXT_DATE.fullmatch(shown)
    if match:
        groups = match.groups()
        y, m, d = (int(g) for g in (groups[:3] if groups[0] else groups[3:]))
        try:
            return date(y, m, d)
        except ValueError:
            pass
    raise _bad_date(shown)


def _bad_date(shown: str) -> CellProblem:
    return CellProblem(
        f"日期“{shown}”无法识别，应写成如 2026-11-27、2026/11/27、2026年11月27日 或 20261127。",
        f"The date {shown!r} cannot be read; write it like 2026-11-27, 2026/11/27, "
        "2026年11月27日 or 20261127.",
    )

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

import codecs
import contextlib
import csv
import hashlib
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from caseworker.services.errors import ServiceError

MAX_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
HEAD_ROWS = HEADER_SEARCH_ROWS + 10  # room for a heading block merged down below row 10
_PREFIX_CHARS = 1 << 16
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
_LETTERS = re.compile(r"[A-Z]+")
# A cell a heading is not: a number, a date or an ID number written as text.
_NUMBER_LIKE = re.compile(r"[\d\s.,:/\-+年月日Xx]+")


class CellProblem(Exception):
    """What is wrong with one cell, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: list[list[Any]]  # from a stream: only the first rows (the header search's)
    merges: tuple[
        tuple[int, int, int, int], ...
    ] = ()  # (first row, first col, last row, last col), 0-based; those starting in the head
    estimated_rows: int | None = None  # from the sheet's dimension or the file's size


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


class SpreadsheetStream:
    """An open spreadsheet: the first rows of each sheet at hand, every row read lazily.

    Memory does not grow with the file: ``rows`` reads the sheet again from its start each
    time it is called, one row at a time (openpyxl read-only for an .xlsx, ``csv.reader`` over
    a text stream for a .csv).
    """

    def __init__(
        self,
        path: Path,
        name: str,
        sha256: str,
        kind: str,
        workbook: Any = None,
        encoding: str | None = None,
        dialect: Any = None,
    ) -> None:
        self.path, self.name, self.sha256, self.kind = path, name, sha256, kind
        self._workbook, self._encoding, self._dialect = workbook, encoding, dialect
        self.sheets: tuple[Sheet, ...] = ()

    def rows(self, title: str) -> Iterator[list[Any]]:
        """Every row of sheet ``title`` from the first, blank rows included (row i is the
        sheet's row i + 1)."""
        if self._workbook is None:
            with self.path.open(encoding=self._encoding, newline="") as stream:
                yield from csv.reader(stream, self._dialect)
            return
        yield from _sheet_rows(self._workbook, title)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.archive.close()
            self._workbook = None

    def __enter__(self) -> SpreadsheetStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_stream(
    path: Path,
    bad: ErrorFactory,
    *,
    max_bytes: int | None = MAX_BYTES,
    csv_for_any_suffix: bool = False,
    head_rows: int = HEAD_ROWS,
) -> SpreadsheetStream:
    """``path`` opened for streaming; raises ``bad(zh, en)`` when the file cannot be read.

    ``max_bytes`` None means no limit (a roster is streamed, so its size costs only time).
    ``csv_for_any_suffix`` reads a file that is neither a workbook nor an old Excel file as CSV
    whatever its name (the tax list has always done so); otherwise only ``.csv`` is read as text.
    Use it as a context manager: an .xlsx stays open until ``close``.
    """
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise bad(
                f"文件过大（{size // 1_048_576} MB），清单最多 {max_bytes // 1_048_576} MB。",
                f"The file is too large ({size // 1_048_576} MB; at most "
                f"{max_bytes // 1_048_576} MB).",
            )
        with path.open("rb") as source:
            magic = source.read(8)
    except FileNotFoundError:
        raise bad(f"找不到文件 {path}。", f"No file {path}.") from None
    except IsADirectoryError:
        raise bad(f"{path} 是文件夹，不是清单文件。", f"{path} is a folder.") from None
    suffix = path.suffix.lower()
    if magic[:4] == b"PK\x03\x04":
        digest, _ = _scan(path, text=False)
        stream = SpreadsheetStream(path, path.name, digest, "xlsx", workbook=_workbook(path, bad))
        try:
            stream.sheets = _xlsx_heads(stream, head_rows)
        except BaseException:
            stream.close()
            raise
        return stream
    if suffix == ".et":
        raise bad(
            "这是WPS表格文件（.et），无法直接读取；请在WPS中“另存为”Excel工作簿（.xlsx）后再导入。",
            "This is a WPS spreadsheet (.et), which cannot be read; in WPS use Save As → Excel "
            "workbook (.xlsx) and import that.",
        )
    if suffix in (".xls", ".xlsx") or magic == OLE_MAGIC:
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
    digest, encoding = _scan(path, text=True)
    if encoding is None:
        raise bad(
            "文件既不是UTF-8也不是GB18030编码的文本，无法读取；请重新导出为CSV或Excel。",
            "The file is neither UTF-8 nor GB18030 text; export it again as CSV or Excel.",
        )
    with path.open(encoding=encoding, newline="") as source:
        prefix = source.read(_PREFIX_CHARS)
    try:
        dialect: Any = csv.Sniffer().sniff(prefix[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    label = "csv (UTF-8)" if encoding == "utf-8-sig" else "csv (GB18030)"
    stream = SpreadsheetStream(path, path.name, digest, label, encoding=encoding, dialect=dialect)
    lines = prefix.count("\n") + (0 if prefix.endswith("\n") or not prefix else 1)
    if len(prefix) < _PREFIX_CHARS:
        estimated = lines
    else:  # lines in the first characters, scaled to the file's size
        estimated = round(lines * size / max(1, len(prefix.encode(encoding))))
    with contextlib.closing(stream.rows(path.stem)) as rows:
        head = list(itertools.islice(rows, head_rows))
    stream.sheets = (Sheet(path.stem, head, (), estimated),)
    return stream


def open_spreadsheet(
    path: Path, bad: ErrorFactory, *, max_bytes: int = MAX_BYTES, csv_for_any_suffix: bool = False
) -> RawFile:
    """Every row of every sheet of ``path`` in memory (a list of a few thousand lines, such as
    the tax list); raises ``bad(zh, en)`` when the file cannot be read."""
    with open_stream(
        path, bad, max_bytes=max_bytes, csv_for_any_suffix=csv_for_any_suffix
    ) as stream:
        sheets = tuple(
            Sheet(sheet.title, list(stream.rows(sheet.title)), sheet.merges, sheet.estimated_rows)
            for sheet in stream.sheets
        )
        return RawFile(stream.name, stream.sha256, stream.kind, sheets)


def _scan(path: Path, *, text: bool) -> tuple[str, str | None]:
    """The file's SHA-256 and, for text, the first of UTF-8 and GB18030 it decodes as whole
    (read once in chunks: a valid UTF-8 start may hide GB18030 further on)."""
    digest = hashlib.sha256()
    decoders = (
        {name: codecs.getincrementaldecoder(name)() for name in ("utf-8-sig", "gb18030")}
        if text
        else {}
    )
    with path.open("rb") as source:
        while chunk := source.read(1 << 18):
            digest.update(chunk)
            for name, decoder in list(decoders.items()):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    del decoders[name]
    for name, decoder in list(decoders.items()):
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            del decoders[name]
    return digest.hexdigest(), next(iter(decoders), None)


@dataclass
class _Book:
    """An .xlsx as we read it: the zip, its worksheets (title → XML member), shared strings,
    the styles that are dates, the date epoch."""

    archive: Any
    sheets: dict[str, str]
    strings: _Strings
    dates: Any
    epoch: Any


def _workbook(path: Path, bad: ErrorFactory) -> _Book:
    """The workbook's structure, read with openpyxl, no cells yet."""
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            # openpyxl keeps every shared string as a str (≈ 80 bytes each, three or so per
            # row of a roster); ours are packed into one buffer.
            found = self.package.find(_SHARED_STRINGS)
            self.packed = _read_strings(self.archive, found.PartName[1:]) if found else _Strings()

        def read_worksheets(self) -> None:
            # openpyxl's read-only sheet looks for the dimension on opening and, when a file
            # has none, parses the whole sheet into memory to find it: only the names here.
            self.sheet_members = {
                sheet.name: rel.target
                for sheet, rel in self.parser.find_sheets()
                if rel.target in self.valid_files and "chartsheet" not in rel.Type
            }

    try:
        reader = Reader(path, read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
        return _Book(
            reader.archive,
            reader.sheet_members,
            reader.packed,
            workbook._date_formats,
            workbook.epoch,
        )
    except Exception as error:  # zip, XML or workbook errors all mean "not a usable workbook"
        raise bad(
            f"无法打开Excel文件（{type(error).__name__}）；请确认是 .xlsx 格式且未损坏。",
            f"The Excel file cannot be opened ({type(error).__name__}); check it is an "
            "undamaged .xlsx.",
        ) from None


def _dimension_rows(book: _Book, member: str) -> int | None:
    """The last row the sheet's <dimension> names (it comes before <sheetData>, if at all),
    else an estimate from the XML's size."""
    with book.archive.open(member) as source:
        for _event, element in ElementTree.iterparse(source, events=("start",)):
            if element.tag == _NS + "dimension":
                last = (element.get("ref") or "").split(":")[-1]
                digits = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                return int(digits) if digits.isdigit() and int(digits) > 1 else None
            if element.tag == _NS + "sheetData":
                break
    # No dimension (openpyxl's write-only files): rows in the first part of the XML, scaled
    # to the whole member's size.
    size = book.archive.getinfo(member).file_size
    with book.archive.open(member) as source:
        start = source.read(1 << 18)
    rows = start.count(b"<row ") + start.count(b"<row>")
    if rows < 2:
        return None
    return rows if len(start) >= size else round(rows * size / len(start))


class _Strings:
    """Shared strings packed as UTF-8 in one buffer with their offsets: about a quarter of the
    memory of a list of str. (They are indexed from anywhere in the sheet, so they must be
    at hand; this is the one part of reading an .xlsx that grows with the file.)"""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("Q")

    def append(self, value: str) -> None:
        self._data += value.encode("utf-8")
        self._ends.append(len(self._data))

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._data[start : self._ends[index]].decode("utf-8")

    def __len__(self) -> int:
        return len(self._ends)


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _string(element: Any) -> str:
    """The text of an <si> or <is>: its <t>, or the <t> of each rich-text run; the phonetic
    guide (<rPh>, pinyin or kana above the characters) is not part of the value."""
    parts = []
    for child in element:
        if child.tag == _NS + "t":
            parts.append(child.text or "")
        elif child.tag == _NS + "r":
            run = child.find(_NS + "t")
            parts.append(run.text or "" if run is not None else "")
    return "".join(parts)


def _read_strings(archive: Any, member: str) -> _Strings:
    strings = _Strings()
    with archive.open(member) as source:
        parent = None
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _NS + "sst":
                    parent = element
                continue
            if element.tag == _NS + "si":
                strings.append(_string(element))
                if parent is not None:
                    parent.clear()  # done with it: a cleared element left in the tree still costs
    return strings


def _sheet_rows(book: _Book, title: str) -> Iterator[list[Any]]:
    """The rows of a sheet's XML one at a time, each element dropped once read (openpyxl's
    read-only reader clears rows but leaves them in the tree: ~90 bytes a row).

    As openpyxl with ``data_only``: a formula gives its saved value, a number in a date style
    a datetime, a shared string its text. Missing rows come back empty; the saved dimension is
    not trusted (some writers leave "A1").
    """
    from openpyxl.utils.datetime import from_excel

    strings, dates, epoch = book.strings, book.dates, book.epoch
    sheet_data, row_tag, cell_tag = _NS + "sheetData", _NS + "row", _NS + "c"
    value_tag, inline_tag = _NS + "v", _NS + "is"
    columns: dict[str, int] = {}  # "AB" → 27: a sheet has few column letters
    expected = 1
    with book.archive.open(book.sheets[title]) as source:
        data = None
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == sheet_data:
                    data = element
                continue
            if element.tag != row_tag:
                continue
            number = int(element.get("r") or expected)
            while expected < number:
                expected += 1
                yield []
            expected = number + 1
            row: list[Any] = []
            for cell in element:
                if cell.tag != cell_tag:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = _column_index(
                            _LETTERS.match(ref).group().encode()
                        )
                else:
                    column = len(row)
                if column > len(row):
                    row.extend([None] * (column - len(row)))
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    found = cell.find(inline_tag)
                    value: Any = _string(found) if found is not None else None
                else:
                    found = cell.find(value_tag)
                    raw = found.text if found is not None else None
                    if raw is None:
                        value = None
                    elif kind == "s":
                        value = strings[int(raw)]
                    elif kind in ("str", "e"):
                        value = raw
                    elif kind == "b":
                        value = raw.strip() in ("1", "true")
                    elif kind == "d":
                        value = datetime.fromisoformat(raw)
                    else:
                        value = float(raw) if any(c in raw for c in ".eE") else int(raw)
                        style = cell.get("s")
                        if style is not None and int(style) in dates:
                            value = from_excel(value, epoch)
                row.append(value)
            if data is not None:
                data.clear()
            else:
                element.clear()
            yield row


def _xlsx_heads(stream: SpreadsheetStream, head_rows: int) -> tuple[Sheet, ...]:
    book = stream._workbook
    sheets = []
    for title, member in book.sheets.items():
        with contextlib.closing(stream.rows(title)) as rows:
            head = list(itertools.islice(rows, head_rows))
        merges = tuple(m for m in _merges(book, member) if m[0] < head_rows)
        sheets.append(Sheet(title, head, merges, _dimension_rows(book, member)))
    return tuple(sheets)


def _column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _merges(book: _Book, member: str) -> tuple[tuple[int, int, int, int], ...]:
    """Merged ranges, read from the sheet's XML.

    <mergeCells> comes after <sheetData> in the schema, so the whole member is scanned, in
    chunks: memory stays flat however large the sheet.
    """
    source = book.archive.open(member)
    found = []
    tail = b""
    with source:
        while chunk := source.read(1 << 18):
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
            found = _fields(_filled_row(sheet, index), by_heading)
            if len(found) >= min_fields and all(name in found for name in required):
                return header_at(sheet, index, by_heading)
    return None


def heading_like_row(
    sheets: Sequence[Sheet], *, search_rows: int = HEADER_SEARCH_ROWS
) -> tuple[Sheet, int] | None:
    """The first sheet, and its row index, with a row that could be headings though it names no
    field we know: the first row with at least two text cells, none of them a number or reading
    like one (a data row has ID numbers, dates or amounts), above any such data row; a title
    row (one cell) above it is passed over. None when no sheet has such a row."""
    for sheet in sheets:
        for index in range(min(search_rows, len(sheet.rows))):
            row = _filled_row(sheet, index)
            if blank(row):
                continue
            cells = [value for value in row if text(value)]
            numeric = any(
                not isinstance(value, str) or _NUMBER_LIKE.fullmatch(text(value)) for value in cells
            )
            if numeric:
                break  # data before any headings: this sheet has none
            if len(cells) >= 2:
                return sheet, index
            # one text cell: a title above the headings
    return None


def _fields(row: Sequence[Any], by_heading: Mapping[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        field = by_heading.get(heading_key(value))
        if field and field not in found:
            found[field] = column
    return found


def header_at(sheet: Sheet, index: int, by_heading: Mapping[str, str]) -> Header:
    """The headings on row ``index`` of ``sheet`` and the fields they name."""
    row = _filled_row(sheet, index)
    # A heading merged down over several rows (a group heading above sub-headings): the
    # headings are those rows together, the lowest written heading winning.
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
    found = _fields(row, by_heading)
    headings = tuple(text(cell) for cell in row)
    unknown = tuple(h for h in headings if h and by_heading.get(heading_key(h)) is None)
    return Header(sheet, index, found, headings, tuple(dict.fromkeys(unknown)), last + 1)


# -- cells --------------------------------------------------------------------------------


def _cell(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


cell = _cell


def text(value: Any) -> str:
    """A cell as text: NFKC (full-width digits and letters), spaces trimmed, no leading '."""
    if value is None:
        return ""
    if type(value) is str and value.isascii():
        # Most cells: NFKC leaves ASCII as it is and there is no zero-width space to drop.
        result = value.strip()
        return result[1:].strip() if result.startswith("'") else result
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

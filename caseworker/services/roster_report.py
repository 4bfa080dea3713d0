"""The report of a roster import: the clerk's own workbook given back with the outcome of each row.

The report is the input file, streamed row by row into a new .xlsx (a .csv gives an .xlsx too):
a first sheet "导入说明" says what was done (file, SHA-256, when, by whom, rows per outcome,
whether anything was written and why), then the roster sheet as it was with two columns added
at the right — "导入结果" (新增/更新/无变化/未导入/跳过) and "问题说明" (every problem of the
row in Chinese) — and each cell a problem names in a rejected row filled light red, so the
clerk corrects the file where it is wrong and imports it again. Other sheets follow, values only.
Nothing is held across rows: a 500,000-row roster is written with flat memory (openpyxl
write-only), to a temporary file beside the target renamed into place when complete.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from caseworker.services import spreadsheet
from caseworker.services.file_output import written_atomically
from caseworker.services.roster_file import Problem, RosterLayout, bad_file

# Outcome → the words the report writes.
STATUS_ZH: dict[str, str] = {
    "created": "新增",
    "updated": "更新",
    "unchanged": "无变化",
    "rejected": "未导入",
    "skipped": "跳过",
    # A dry run, or a file rolled back for its rejected rows: what importing would have done.
    "would_create": "可新增（未写入）",
    "would_update": "可更新（未写入）",
}
SUMMARY_SHEET = "导入说明"
PROBLEM_WIDTH = 60  # characters (a Chinese character counts two)
LINE_HEIGHT = 15  # points: one line of the default 11-point font
RESULT_HEADING = "导入结果"
PROBLEM_HEADING = "问题说明"
_RED = "FFC7CE"  # Excel's own "light red fill" for bad cells
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class RowOutcome:
    """What the import did with one data row (``row`` as the sheet shows it)."""

    row: int
    status: str  # a key of STATUS_ZH
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUS_ZH:
            raise ValueError(f"unknown row status {self.status!r}")


@dataclass(frozen=True)
class ReportSummary:
    at: datetime  # when the import ran
    by: str  # the operator, as the clerk knows them
    written: bool  # whether anything reached the registry
    reason: str = ""  # why (or why not), in Chinese, e.g. how to go on


def _width(value: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)


def _title(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME_BAD.sub("_", title)[:31] or "Sheet"
    base, number = name, 2
    while name in taken:
        suffix = f"({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def write_report(
    source: Path,
    target: Path,
    layout: RosterLayout,
    outcomes: Iterable[RowOutcome],
    summary: ReportSummary,
    *,
    mapping: dict[int, str] | None = None,
) -> None:
    """Write the report of importing ``source`` to ``target`` (an .xlsx).

    ``outcomes`` come in row order, one per data row the import read (blank rows have none);
    ``mapping`` is the column → field mapping the import used (the layout's own by default), so
    a problem's field finds its cell. Raises ``bad_roster`` if ``source`` has changed since
    ``layout`` was taken.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    with spreadsheet.open_stream(source, bad_file, max_bytes=None) as stream:
        if stream.sha256 != layout.sha256:
            raise bad_file(
                f"文件“{stream.name}”在导入之后被修改过，无法生成导入报告。",
                f"{stream.name!r} has changed since it was imported; no report can be written.",
            )
        taken = {SUMMARY_SHEET}
        overview = book.create_sheet(SUMMARY_SHEET)
        overview.column_dimensions["A"].width = 16
        overview.column_dimensions["B"].width = 80
        roster = book.create_sheet(_title(layout.sheet, taken))
        counts = _write_roster(
            roster, stream.rows(layout.sheet), layout, iter(outcomes), mapping or layout.mapping
        )
        for sheet in stream.sheets:
            if sheet.title == layout.sheet:
                continue
            other = book.create_sheet(_title(sheet.title, taken))
            for row in stream.rows(sheet.title):
                other.append(row)
        _write_summary(overview, layout, summary, counts)
        _save(book, target)


def _write_roster(
    sheet: Any,
    rows: Iterator[list[Any]],
    layout: RosterLayout,
    outcomes: Iterator[RowOutcome],
    mapping: dict[int, str],
) -> dict[str, int]:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    red = PatternFill("solid", fgColor=_RED)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    column_of = {name: column for column, name in mapping.items()}
    extra = len(layout.headings)  # the two new columns go right of the headings
    # Widths from the headings and the sample rows (set before the first row is written).
    for column, heading in enumerate(layout.headings):
        seen = [heading, *(s[column] for s in layout.samples if column < len(s))]
        width = min(40, max(8, *(_width(v) + 2 for v in seen)))
        sheet.column_dimensions[get_column_letter(column + 1)].width = width
    sheet.column_dimensions[get_column_letter(extra + 1)].width = 10
    sheet.column_dimensions[get_column_letter(extra + 2)].width = PROBLEM_WIDTH
    sheet.freeze_panes = f"A{layout.first_data_row}"

    counts = dict.fromkeys(STATUS_ZH, 0)
    pending = next(outcomes, None)
    for number, values in enumerate(rows, 1):
        cells: list[Any] = list(values[:extra]) + [None] * max(0, extra - len(values))
        tail = list(values[extra:])
        if number < layout.first_data_row:
            if number == layout.header_row:
                added = [RESULT_HEADING, PROBLEM_HEADING]
                cells = [_cell(sheet, v, font=bold) for v in cells]
                cells += [_cell(sheet, v, font=bold) for v in added]
                sheet.append(cells + tail)
            else:
                sheet.append(values)
            continue
        while pending is not None and pending.row < number:
            pending = next(outcomes, None)  # an outcome for a row not in the file: none to mark
        if pending is None or pending.row != number:
            sheet.append(values)  # a blank row, or one the import did not report on
            continue
        outcome, pending = pending, next(outcomes, None)
        counts[outcome.status] += 1
        rejected = outcome.status == "rejected"
        marked = {column_of[p.column] for p in outcome.problems if p.column in column_of}
        # Plain values where nothing is marked: a styled cell costs several times as much.
        row = [
            _cell(sheet, value, fill=red) if rejected and column in marked else value
            for column, value in enumerate(cells)
        ]
        row.append(
            _cell(sheet, STATUS_ZH[outcome.status], fill=red)
            if rejected
            else STATUS_ZH[outcome.status]
        )
        problems = "\n".join(p.zh for p in outcome.problems)
        row.append(_cell(sheet, problems, align=wrap) if problems else None)
        # A spreadsheet does not grow a row for wrapped text it did not lay out itself.
        lines = sum(-(-_width(p.zh) // (PROBLEM_WIDTH - 2)) for p in outcome.problems)
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines
        sheet.append(row + tail)
    return counts


def _cell(sheet: Any, value: Any, *, fill: Any = None, font: Any = None, align: Any = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    return cell


def _write_summary(
    sheet: Any, layout: RosterLayout, summary: ReportSummary, counts: dict[str, int]
) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(label: str, value: Any = None, *, strong: bool = False) -> None:
        first = _cell(sheet, label, font=bold)
        second = _cell(sheet, value, font=bold if strong else None, align=wrap)
        sheet.append([first, second])

    sheet.append([_cell(sheet, "花名册导入报告", font=Font(bold=True, size=14))])
    sheet.append([])
    line("文件", layout.name)
    line("SHA-256", layout.sha256)
    line("工作表", f"{layout.sheet}（表头在第{layout.header_row}行）")
    line("导入时间", summary.at.strftime("%Y-%m-%d %H:%M"))
    line("操作员", summary.by)
    line("结果", "已写入登记库" if summary.written else "未写入任何记录", strong=True)
    if summary.reason:
        line("说明", summary.reason)
    sheet.append([])
    line("导入结果", "行数", strong=True)
    for status, words in STATUS_ZH.items():
        if counts[status] or not status.startswith("would_"):
            sheet.append([_cell(sheet, words), counts[status]])
    sheet.append([_cell(sheet, "合计", font=bold), _cell(sheet, sum(counts.values()), font=bold)])
    sheet.append([])
    line(
        "如何阅读",
        f"“{layout.sheet}”表最右边两列是每一行的导入结果和问题说明；标成浅红色的单元格有问题，"
        "请在原文件中改正后重新导入。“未导入”的行没有写入登记库。",
    )


def _save(book: Any, target: Path) -> None:
    """Save beside the target and rename: a half-written report never has the target's name."""
    with written_atomically(target) as temporary:
        book.save(temporary)

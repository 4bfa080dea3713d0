"""A worklist on paper (A4 PDF) and in a file (XLSX for Excel, CSV in UTF-8 with a BOM so
Excel reads the Chinese), from the same rows the screen shows. ID numbers stay masked.

A file is written beside its target and renamed into place: a failed export never leaves a
half-written file or replaces a good one.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from caseworker.domain.codes import label_or_code
from caseworker.domain.coverage import lines
from caseworker.printing.data import CentreInfo
from caseworker.printing.layout import PrintResult
from caseworker.printing.worklist import WorklistLine, WorklistPrintData, build_worklist
from caseworker.services.actor import Actor
from caseworker.services.documents_settings import font_chain
from caseworker.services.errors import ServiceError
from caseworker.services.worklist_rows import WorklistRow, village_name
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import check_spec, count, kind_of, members
from caseworker.store.database import Database
from caseworker.store.models import Centre

PRINT_LIMIT = 5_000  # rows on paper; more is a village's worth to narrow down first
EXPORT_LIMIT = 1_048_575  # an Excel sheet's rows, less the head
FORMATS = (".xlsx", ".csv")


def spec_words(spec: WorklistSpec, lang: str = "zh") -> str:
    """The filters of a spec in words, e.g. "村（居）：青联村村委会；保障项目：养老保险"."""
    zh = lang == "zh"
    parts: list[tuple[str, str]] = []
    if spec.village_code:
        parts.append(("村（居）" if zh else "Village", village_name(spec.village_code)))
    if spec.line:
        line = next((item for item in lines() if item.code == spec.line), None)
        name = (line.name_zh if zh else line.name_en) if line else spec.line
        parts.append(("保障项目" if zh else "Line", name))
    if spec.status:
        parts.append(
            ("参保状态" if zh else "Status", label_or_code("coverage_status", spec.status, lang))
        )
    if spec.reason:
        table = "not_applicable_reason" if spec.status == "not_applicable" else "not_insured_reason"
        parts.append(("原因" if zh else "Reason", label_or_code(table, spec.reason, lang)))
    if spec.category:
        parts.append(
            (
                "就业类别" if zh else "Category",
                label_or_code("employment_category", spec.category, lang),
            )
        )
    if spec.sex:
        parts.append(("性别" if zh else "Sex", label_or_code("sex", spec.sex, lang)))
    if spec.age_band:
        parts.append(("年龄段" if zh else "Age band", spec.age_band))
    separator = "；" if zh else "; "
    colon = "：" if zh else ": "
    return separator.join(f"{name}{colon}{value}" for name, value in parts)


def _rows_within(
    database: Database, actor: Actor, spec: WorklistSpec, day: date, limit: int, what: str
) -> list[WorklistRow]:
    spec = check_spec(spec)
    total = count(database, actor, spec, day)
    if total > limit:
        kind = kind_of(spec.kind)
        raise ServiceError(
            "too_many_rows",
            f"“{kind.title_zh}”共 {total} 条，超过{what}上限 {limit} 条；"
            "请先按村（居）、保障项目或原因筛选后再试。",
            f"{kind.title_en} holds {total} rows, more than the {limit} that can be "
            f"{'printed' if what == '打印' else 'exported'}; narrow it by village, line or "
            "reason first.",
        )
    return members(database, actor, spec, day, limit=None)


def worklist_pdf(
    database: Database,
    actor: Actor,
    spec: WorklistSpec,
    day: date,
    *,
    now: datetime | None = None,
) -> PrintResult:
    rows = _rows_within(database, actor, spec, day, PRINT_LIMIT, "打印")
    kind = kind_of(spec.kind)
    with database.reading() as session:
        centre = session.scalars(select(Centre)).first()
        info = CentreInfo(centre.code, centre.name) if centre else CentreInfo("", "")
    data = WorklistPrintData(
        info,
        kind.title_zh,
        kind.counts_zh,
        spec_words(spec),
        day,
        now or datetime.now(UTC).astimezone(),
        tuple(
            WorklistLine(r.name, r.masked_id_number, r.village_name, r.reason_zh, r.phone or "")
            for r in rows
        ),
    )
    return build_worklist(data, font_chain(database))


HEADS = {
    "zh": (
        "序号",
        "姓名",
        "身份证号（隐去中间位）",
        "村（居）代码",
        "村（居）",
        "列入原因",
        "联系电话",
        "人员编号",
    ),
    "en": (
        "No.",
        "Name",
        "ID number (masked)",
        "Village code",
        "Village",
        "Reason",
        "Phone",
        "Person id",
    ),
}


def _table(rows: Sequence[WorklistRow], lang: str) -> list[list[str]]:
    return [
        [
            str(n),
            r.name,
            r.masked_id_number,
            r.village_code or "",
            r.village_name,
            r.reason_zh if lang == "zh" else r.reason_en,
            r.phone or "",
            str(r.person_id),
        ]
        for n, r in enumerate(rows, start=1)
    ]


def export_worklist(
    database: Database,
    actor: Actor,
    spec: WorklistSpec,
    day: date,
    target: Path,
    *,
    lang: str = "zh",
) -> int:
    """Write the list to ``target`` (.xlsx or .csv); the number of rows written."""
    target = Path(target).expanduser()
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ServiceError(
            "bad_format",
            f"不能导出为“{target.name}”：文件名应以 .xlsx（Excel）或 .csv 结尾。",
            f"Cannot export to {target.name!r}: the name must end in .xlsx (Excel) or .csv.",
        )
    if not target.parent.is_dir():
        raise ServiceError(
            "no_folder",
            f"文件夹 {target.parent} 不存在，请选择一个已有的文件夹。",
            f"The folder {target.parent} does not exist; choose one that does.",
        )
    rows = _rows_within(database, actor, spec, day, EXPORT_LIMIT, "导出")
    kind = kind_of(spec.kind)
    table = _table(rows, lang)
    heads = HEADS["zh" if lang == "zh" else "en"]
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=suffix + ".part")
        os.close(handle)
        if suffix == ".csv":
            _write_csv(Path(temporary), heads, table)
        else:
            title = kind.title_zh if lang == "zh" else kind.title_en
            _write_xlsx(Path(temporary), title, day, heads, table)
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise ServiceError(
            "cannot_write",
            f"无法写入 {target}：{error.strerror or error}。请换一个可写的文件夹或文件名"
            "（文件是否已在 Excel 中打开？）。",
            f"Could not write {target}: {error.strerror or error}. Choose a folder and name "
            "you may write to (is the file open in Excel?).",
        ) from None
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
    return len(rows)


def _write_csv(path: Path, heads: Sequence[str], table: list[list[str]]) -> None:
    # utf-8-sig: the BOM tells Excel the file is UTF-8, so the Chinese shows as Chinese.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(heads)
        writer.writerows(table)


def _write_xlsx(
    path: Path, title: str, day: date, heads: Sequence[str], table: list[list[str]]
) -> None:
    from openpyxl import Workbook  # only when exporting: it is a large import

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])  # Excel's limit on sheet names
    for column, width in zip("ABCDEFGH", (6, 10, 22, 15, 18, 60, 15, 38), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append(list(heads))
    for row in table:
        sheet.append([int(row[0]), *row[1:]])
    book.properties.title = f"{title} {day.isoformat()}"
    book.properties.creator = "Caseworker"
    book.save(path)

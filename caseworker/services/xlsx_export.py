"""Exports to Excel: the one place an export workbook is written, and the exports of the whole
registry and of every coverage status.

Every workbook opens with a header block that says what it holds (title in Chinese, English
beside), the centre, when and by whom it was made, the filters in words, the number of rows
and, when it holds personal data, how to keep it; then the heading row (bold, frozen below
it) and the rows. ID numbers and phones are text cells, so Excel never shows 1.10105E+17.

A workbook is streamed (openpyxl's write-only mode, rows read page by page inside one read
transaction): a 500,000-person registry is never held in memory. It is written beside its
target and renamed into place, so a failed or cancelled export leaves no half-written file
and never replaces a good one. Each export, once the file is in place, writes one audit entry
(what, filters, rows, file name, its SHA-256, masked or not) in its own write transaction;
should that fail, the file is removed again: no export of personal data goes unrecorded.

Unmasked personal data (full ID numbers) is written only by an operator who may export it
(``Permission.EXPORT_PERSONAL_DATA``) and only with ``personal_data_confirmed``: the UI's
confirmation dialog or the command line's ``--yes``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from caseworker.domain.codes import CodeTable, load_code_table
from caseworker.domain.coverage import lines
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import HEAD
from caseworker.domain.regions import load_region_directory
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import ServiceError
from caseworker.services.file_output import written_atomically
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import Centre, CoverageStatus, Enrolment, Person

PAGE = 2_000  # rows read per query: a page in memory, never the registry
EXCEL_ROWS = 1_048_576  # an Excel sheet's rows, header block and headings included
Progress = Callable[[int, int], None]  # (rows written, rows in all); may raise to stop


@dataclass(frozen=True)
class Column:
    heading: str  # Chinese: the file is for the centre and the county
    width: float
    text: bool = False  # a number that is not a quantity (ID, phone, code): kept as text


@dataclass(frozen=True)
class Header:
    """What the block above the headings says."""

    title_zh: str
    title_en: str
    centre_name: str
    centre_code: str
    made_at: datetime  # local time
    made_by: str  # the operator's display name
    filters_zh: str
    filters_en: str
    rows: int
    personal_zh: str  # what personal data it holds; "" for none
    personal_en: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    sha256: str
    masked: bool


# -- the one writer ---------------------------------------------------------------------------


def check_target(target: Path, formats: Sequence[str] = (".xlsx",)) -> Path:
    """The target as a path, refused in words when its name or folder will not do."""
    target = Path(target).expanduser()
    if target.suffix.lower() not in formats:
        csv = ".csv" in formats
        raise ServiceError(
            "bad_format",
            f"不能导出为“{target.name}”：文件名应以 {' 或 '.join(formats)} 结尾"
            f"（.xlsx 为 Excel 工作簿{'，.csv 为逗号分隔的文本' if csv else ''}）。",
            f"Cannot export to {target.name!r}: the name must end in {' or '.join(formats)} "
            f"(.xlsx: an Excel workbook{'; .csv: comma-separated text' if csv else ''}).",
        )
    if not target.parent.is_dir():
        raise ServiceError(
            "no_folder",
            f"文件夹 {target.parent} 不存在，请选择一个已有的文件夹。",
            f"The folder {target.parent} does not exist; choose one that does.",
        )
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def header_lines(header: Header) -> list[tuple[str, str]]:
    """The header block as (label, value) lines, below the title."""
    made_at = header.made_at.strftime("%Y-%m-%d %H:%M")
    found = [
        ("服务中心 / Centre", f"{header.centre_name}（{header.centre_code}）"),
        ("导出时间 / Made at", f"{made_at}（本地时间 / local time）"),
        ("导出人 / Made by", header.made_by),
        (
            "筛选条件 / Filters",
            f"{header.filters_zh} / {header.filters_en}"
            if header.filters_zh
            else "无，全部 / none: all of them",
        ),
        ("行数 / Rows", f"{header.rows}"),
    ]
    if header.personal_zh:
        found.append(
            (
                "个人信息 / Personal data",
                f"本文件含个人信息（{header.personal_zh}）：仅用于工作，妥善保管，不得转发或"
                "上传到网盘、聊天工具，用完即删；本次导出已记入审计日志。"
                f" / This file holds personal data ({header.personal_en}): for work only; keep "
                "it safe, do not forward it or upload it to cloud drives or chats, delete it "
                "when done. This export is recorded in the audit trail.",
            )
        )
    return found


def write_workbook(
    path: Path,
    header: Header,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Progress | None = None,
) -> int:
    """Stream the header block, the headings and ``rows`` into a new workbook at ``path``;
    the number of rows written."""
    from openpyxl import Workbook  # only when exporting: it is a large import
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=header.title_zh[:31])  # Excel's limit on sheet names
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    block = header_lines(header)
    heading_row = len(block) + 3  # title, the lines, a blank line, then the headings
    sheet.freeze_panes = f"A{heading_row + 1}"
    scratch = _sheet_beside(sheet, path)
    try:
        written = _append_all(sheet, header, block, columns, rows, progress)
        book.properties.title = header.title_zh
        book.properties.creator = "Caseworker"
        book.save(path)
    finally:
        _discard(sheet, scratch)
    return written


def _sheet_beside(sheet: Any, path: Path) -> Path:
    """openpyxl streams a sheet's XML through a scratch file in the shared temp folder, where
    a crash would leave the personal data in plain text; it is put beside the export instead
    (the folder the operator chose for it), and removed whatever happens."""
    from openpyxl.worksheet import _writer

    scratch = path.with_name(path.name + ".sheet")
    scratch.touch()
    _writer.ALL_TEMP_FILES.append(str(scratch))  # what openpyxl's own clean-up expects
    sheet._writer = _writer.WorksheetWriter(sheet, out=str(scratch))
    sheet._writer.write_top()  # after the widths and the frozen pane: they go at the top
    return scratch


def _discard(sheet: Any, scratch: Path) -> None:
    from openpyxl.worksheet import _writer

    if not sheet.closed:  # stopped half-way: end the stream so nothing writes to it later
        with suppress(Exception):
            sheet.close()
    scratch.unlink(missing_ok=True)
    if str(scratch) in _writer.ALL_TEMP_FILES:
        _writer.ALL_TEMP_FILES.remove(str(scratch))


def _append_all(
    sheet: Any,
    header: Header,
    block: list[tuple[str, str]],
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    progress: Progress | None,
) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def cell(value: Any, **style: Any) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(made, name, setting)
        return made

    bold = Font(bold=True)
    sheet.append([cell(f"{header.title_zh}  {header.title_en}", font=Font(bold=True, size=14))])
    for label, value in block:
        sheet.append([cell(label, font=bold), value])
    sheet.append([])
    sheet.append([cell(column.heading, font=bold) for column in columns])
    texts = [number for number, column in enumerate(columns) if column.text]
    written = 0
    for row in rows:
        # An empty value is no cell at all: a third fewer cells to write in a typical registry.
        values: list[Any] = [None if value == "" else value for value in row]
        for number in texts:
            if values[number] is not None:
                values[number] = cell(str(values[number]), number_format="@")
        sheet.append(values)
        written += 1
        if progress is not None and written % 500 == 0:
            progress(written, header.rows)
    if progress is not None:
        progress(written, header.rows)
    return written


def write_export(
    target: Path,
    header: Header,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    masked: bool,
    progress: Progress | None = None,
) -> ExportResult:
    """Write one export workbook into place; the caller records it (``record_export``) once
    its read transaction has ended."""
    if header.rows + len(header_lines(header)) + 3 > EXCEL_ROWS:
        raise ServiceError(
            "too_many_rows",
            f"共 {header.rows} 行，超过 Excel 一张工作表的上限；请先筛选后再导出。",
            f"{header.rows} rows are more than an Excel sheet holds; narrow the export first.",
        )
    with written_atomically(target) as temporary:
        written = write_workbook(temporary, header, columns, rows, progress=progress)
        digest = sha256_of(temporary)
    return ExportResult(target, written, digest, masked)


def record_export(
    database: Database,
    actor: Actor,
    result: ExportResult,
    *,
    action: str,
    header: Header,
    detail: dict[str, Any],
) -> None:
    """One audit entry for a file in place; the file is removed when it cannot be recorded."""
    try:
        with database.writing() as session:
            audit(
                session,
                actor,
                action=action,
                entity_type="export",
                entity_id=None,
                detail={
                    "title": header.title_zh,
                    "filters": header.filters_zh,
                    "rows": result.rows,
                    "file": result.path.name,  # never the folder: it may name a person
                    "sha256": result.sha256,
                    "masked": result.masked,
                    **detail,
                },
            )
    except BaseException:
        result.path.unlink(missing_ok=True)
        raise


# -- what every export checks first ----------------------------------------------------------


def require_consent(confirmed: bool, what_zh: str, what_en: str) -> None:
    """Unmasked personal data goes to a file only after an explicit yes."""
    if not confirmed:
        raise ServiceError(
            "consent_needed",
            f"导出的文件将含个人信息（{what_zh}）。请先确认后再导出"
            "（界面中的确认对话框，或命令行加 --yes）。",
            f"The file would hold personal data ({what_en}). Confirm first (the dialog on "
            "screen, or --yes on the command line).",
        )


def centre_of(session: Session, actor: Actor) -> tuple[str, str]:
    centre = session.scalars(select(Centre)).first()
    return (centre.name, centre.code) if centre else (actor.centre_name, actor.centre_code)


def local_now(now: datetime | None) -> datetime:
    return (now or datetime.now()).astimezone()


def personal_words(rows: int, *, full_ids: bool = True) -> tuple[str, str]:
    """E.g. ("12345 人的完整身份证号、姓名、电话", "full ID numbers, names, phones of 12,345 people")."""
    if full_ids:
        return (
            f"{rows} 人的完整身份证号、姓名、电话、住址",
            f"full ID numbers, names, phones and addresses of {rows:,} people",
        )
    return (
        f"{rows} 人的姓名、电话，身份证号已隐去中间位",
        f"names and phones of {rows:,} people, ID numbers masked",
    )


class _Names:
    """Code tables loaded once per export: a label per cell would read a JSON file each."""

    def __init__(self) -> None:
        self._tables: dict[str, CodeTable] = {}
        self._regions = load_region_directory()

    def label(self, table: str, code: str | None) -> str:
        if not code:
            return ""
        if table not in self._tables:
            self._tables[table] = load_code_table(table)
        try:
            return self._tables[table].get(code).name_zh
        except InvalidValue:  # a code the shipped table lacks: shown as it is
            return code

    def village(self, code: str | None) -> str:
        if not code:
            return ""
        region = self._regions.find(code)
        return region.name if region else code


# -- the registry ------------------------------------------------------------------------------

REGISTRY_COLUMNS = (
    Column("身份证号", 21, text=True),
    Column("姓名", 10),
    Column("性别", 6),
    Column("出生日期", 12),
    Column("民族", 8),
    Column("联系电话", 14, text=True),
    Column("户籍村（居）代码", 15, text=True),
    Column("户籍村（居）", 18),
    Column("户籍地址", 30),
    Column("居住地址", 30),
    Column("户主姓名", 10),
    Column("与户主关系", 10),
    Column("就业类别", 16),
    Column("特殊群体", 20),
    Column("参保险种", 36),
    Column("人员状态", 16),
    Column("管理中心", 14, text=True),
)


def _person_state(person: Person) -> str:
    if person.deceased_on:
        return f"已死亡 {person.deceased_on.isoformat()}"
    if person.moved_away_on:
        return f"已迁出 {person.moved_away_on.isoformat()}"
    return "在册"


def _registry_rows(session: Session, page: int) -> Iterator[list[Any]]:
    names = _Names()
    after: uuid.UUID | None = None
    while True:
        query = select(Person).order_by(Person.id).limit(page)
        if after is not None:
            query = query.where(Person.id > after)
        people = list(session.scalars(query))
        if not people:
            return
        ids = [p.id for p in people]
        households = {p.household_id for p in people if p.household_id}
        heads: dict[uuid.UUID, str] = {}
        if households:
            heads = {
                household: name
                for household, name in session.execute(
                    select(Person.household_id, Person.name).where(
                        Person.household_id.in_(households), Person.relationship_to_head == HEAD
                    )
                )
            }
        schemes: dict[uuid.UUID, list[str]] = {}
        for person_id, scheme in session.execute(
            select(Enrolment.person_id, Enrolment.scheme)
            .where(Enrolment.person_id.in_(ids), Enrolment.status == "active")
            .order_by(Enrolment.person_id, Enrolment.scheme)
        ):
            schemes.setdefault(person_id, []).append(names.label("scheme", scheme))
        for p in people:
            yield [
                p.id_number,
                p.name,
                names.label("sex", p.sex),
                p.birth_date.isoformat(),
                names.label("ethnic_group", p.ethnicity),
                p.phone or "",
                p.hukou_village_code or "",
                names.village(p.hukou_village_code),
                p.hukou_address or "",
                p.residence_address or "",
                heads.get(p.household_id, "") if p.household_id else "",
                names.label("relationship", p.relationship_to_head),
                names.label("employment_category", p.employment_category),
                "、".join(names.label("special_group", g) for g in p.special_groups or ()),
                "、".join(schemes.get(p.id, ())),
                _person_state(p),
                p.owner_centre_code or "本中心",
            ]
        after = people[-1].id
        session.expunge_all()  # the page read is let go: memory stays one page


def export_registry(
    database: Database,
    actor: Actor,
    target: Path,
    *,
    personal_data_confirmed: bool,
    progress: Progress | None = None,
    now: datetime | None = None,
    page: int = PAGE,
) -> ExportResult:
    """Every person this centre's store holds, with full ID numbers, to ``target`` (.xlsx)."""
    actor.require(Permission.EXPORT_PERSONAL_DATA)
    with database.reading() as session:
        total = session.scalar(select(func.count()).select_from(Person)) or 0
        zh, en = personal_words(total)
        require_consent(personal_data_confirmed, zh, en)
        target = check_target(target)
        centre_name, centre_code = centre_of(session, actor)
        header = Header(
            "人员登记库",
            "Registry of people",
            centre_name,
            centre_code,
            local_now(now),
            actor.display_name,
            "",
            "",
            total,
            zh,
            en,
        )
        result = write_export(
            target,
            header,
            REGISTRY_COLUMNS,
            _registry_rows(session, page),
            masked=False,
            progress=progress,
        )
    record_export(database, actor, result, action="export.registry", header=header, detail={})
    return result


# -- coverage statuses -------------------------------------------------------------------------

COVERAGE_COLUMNS = (
    Column("身份证号", 21, text=True),
    Column("姓名", 10),
    Column("户籍村（居）", 18),
    Column("保障项目", 14),
    Column("参保状态", 12),
    Column("险种", 30),
    Column("原因", 24),
    Column("参保地", 20),
    Column("状态日期", 12),
    Column("有效期至", 12),
    Column("来源", 14),
)


def _line_names() -> dict[str, tuple[str, str]]:
    return {line.code: (line.name_zh, line.name_en) for line in lines()}


def check_line(line: str | None) -> str | None:
    if line is None:
        return None
    known = _line_names()
    if line not in known:
        raise ServiceError(
            "bad_line",
            f"保障项目“{line}”不存在，应为 {'、'.join(known)} 之一。",
            f"There is no line {line!r}; use one of {', '.join(known)}.",
        )
    return line


def _coverage_rows(session: Session, line: str | None, page: int) -> Iterator[list[Any]]:
    names = _Names()
    line_names = _line_names()
    after: tuple[uuid.UUID, str] | None = None
    while True:
        query = (
            select(CoverageStatus, Person.id_number, Person.name, Person.hukou_village_code)
            .join(Person, Person.id == CoverageStatus.person_id)
            .order_by(CoverageStatus.person_id, CoverageStatus.line)
            .limit(page)
        )
        if line is not None:
            query = query.where(CoverageStatus.line == line)
        if after is not None:
            query = query.where(
                tuple_(CoverageStatus.person_id, CoverageStatus.line) > tuple_(*after)
            )
        found = list(session.execute(query))
        if not found:
            return
        for status, id_number, name, village in found:
            reason_table = (
                "not_applicable_reason"
                if status.status == "not_applicable"
                else "not_insured_reason"
            )
            yield [
                id_number,
                name,
                names.village(village),
                line_names.get(status.line, (status.line, ""))[0],
                names.label("coverage_status", status.status),
                names.label("scheme", status.scheme),
                names.label(reason_table, status.reason),
                status.insured_where or "",
                status.as_of.isoformat() if status.as_of else "",
                status.valid_until.isoformat() if status.valid_until else "",
                names.label("coverage_source", status.source),
            ]
        last = found[-1][0]
        after = (last.person_id, last.line)
        session.expunge_all()


def export_coverage(
    database: Database,
    actor: Actor,
    target: Path,
    *,
    personal_data_confirmed: bool,
    line: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    page: int = PAGE,
) -> ExportResult:
    """Each person's status per insurance line (or in one ``line``), to ``target`` (.xlsx)."""
    actor.require(Permission.EXPORT_PERSONAL_DATA)
    line = check_line(line)
    with database.reading() as session:
        counted = select(func.count()).select_from(CoverageStatus)
        people = select(func.count(func.distinct(CoverageStatus.person_id)))
        if line is not None:
            counted = counted.where(CoverageStatus.line == line)
            people = people.where(CoverageStatus.line == line)
        total = session.scalar(counted) or 0
        zh, en = personal_words(session.scalar(people) or 0)
        zh, en = zh.replace("、住址", "及参保状态"), en.replace(" and addresses", ", statuses")
        require_consent(personal_data_confirmed, zh, en)
        target = check_target(target)
        centre_name, centre_code = centre_of(session, actor)
        filters_zh = filters_en = ""
        if line is not None:
            name_zh, name_en = _line_names()[line]
            filters_zh, filters_en = f"保障项目：{name_zh}", f"Line: {name_en}"
        header = Header(
            "参保状态",
            "Coverage status by person and line",
            centre_name,
            centre_code,
            local_now(now),
            actor.display_name,
            filters_zh,
            filters_en,
            total,
            zh,
            en,
        )
        result = write_export(
            target,
            header,
            COVERAGE_COLUMNS,
            _coverage_rows(session, line, page),
            masked=False,
            progress=progress,
        )
    record_export(
        database, actor, result, action="export.coverage", header=header, detail={"line": line}
    )
    return result


def people_in_export(
    database: Database, actor: Actor, what: str, *, line: str | None = None
) -> int:
    """How many people an export of the ``registry`` or of ``coverage`` would name: what the
    confirmation asks about before any file is written."""
    actor.require(Permission.EXPORT_PERSONAL_DATA)
    line = check_line(line)
    with database.reading() as session:
        if what == "registry":
            return session.scalar(select(func.count()).select_from(Person)) or 0
        people = select(func.count(func.distinct(CoverageStatus.person_id)))
        if line is not None:
            people = people.where(CoverageStatus.line == line)
        return session.scalar(people) or 0

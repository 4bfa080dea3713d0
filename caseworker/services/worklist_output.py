"""A worklist on paper (A4 PDF) and in a file (XLSX for Excel, CSV in UTF-8 with a BOM so
Excel reads the Chinese), from the same rows the screen shows. ID numbers stay masked unless
an operator who may export personal data asks for them in full and confirms it.

The workbook is written by ``xlsx_export`` (header block, text cells for numbers, beside its
target and renamed into place) and each export is recorded in the audit trail there.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from caseworker.domain.codes import label_or_code
from caseworker.domain.coverage import lines
from caseworker.printing.data import CentreInfo
from caseworker.printing.layout import PrintResult
from caseworker.printing.worklist import WorklistLine, WorklistPrintData, build_worklist
from caseworker.services.actor import Actor, Permission
from caseworker.services.documents_settings import font_chain
from caseworker.services.errors import ServiceError
from caseworker.services.file_output import written_atomically
from caseworker.services.worklist_rows import WorklistRow, village_name
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import check_spec, count, kind_of, members, person_ids
from caseworker.services.xlsx_export import (
    Column,
    ExportResult,
    Header,
    centre_of,
    check_target,
    local_now,
    personal_words,
    record_export,
    require_consent,
    sha256_of,
    write_export,
)
from caseworker.store.database import Database
from caseworker.store.models import Centre, Person

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


def _table(
    rows: Sequence[WorklistRow], lang: str, numbers: dict[uuid.UUID, str] | None = None
) -> list[list[str]]:
    return [
        [
            str(n),
            r.name,
            numbers.get(r.person_id, r.masked_id_number) if numbers else r.masked_id_number,
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
    full_id_numbers: bool = False,
    personal_data_confirmed: bool = False,
    now: datetime | None = None,
) -> ExportResult:
    """Write the list to ``target`` (.xlsx or .csv) and record it in the audit trail.

    ID numbers are masked unless ``full_id_numbers``: that needs
    ``Permission.EXPORT_PERSONAL_DATA`` and ``personal_data_confirmed``."""
    if full_id_numbers:
        actor.require(Permission.EXPORT_PERSONAL_DATA)
        total = count(database, actor, check_spec(spec), day)
        require_consent(personal_data_confirmed, *personal_words(total))
    target = check_target(target, FORMATS)
    rows = _rows_within(database, actor, spec, day, EXPORT_LIMIT, "导出")
    kind = kind_of(spec.kind)
    numbers = _id_numbers(database, person_ids(rows)) if full_id_numbers else None
    table = _table(rows, lang, numbers)
    english = lang == "en"
    heads = list(HEADS["en" if english else "zh"])
    if numbers is not None:
        heads[2] = "ID number" if english else "身份证号"
    with database.reading() as session:
        centre_name, centre_code = centre_of(session, actor)
    people = len(person_ids(rows))
    personal_zh, personal_en = personal_words(people, full_ids=numbers is not None)
    header = Header(
        kind.title_zh,
        kind.title_en,
        centre_name,
        centre_code,
        local_now(now),
        actor.display_name,
        spec_words(spec),
        spec_words(spec, "en"),
        len(rows),
        personal_zh,
        personal_en,
    )
    if target.suffix.lower() == ".csv":
        # A CSV is for other programs: headings and rows only, no block above them.
        with written_atomically(target) as temporary:
            _write_csv(temporary, heads, table)
            digest = sha256_of(temporary)
        result = ExportResult(target, len(rows), digest, numbers is None)
    else:
        columns = [
            Column(head, width, text=number in (2, 3, 6))
            for number, (head, width) in enumerate(
                zip(heads, (6, 10, 22, 15, 18, 60, 15, 38), strict=True)
            )
        ]
        result = write_export(
            target,
            header,
            columns,
            ([int(row[0]), *row[1:]] for row in table),
            masked=numbers is None,
        )
    record_export(
        database,
        actor,
        result,
        action="export.worklist",
        header=header,
        detail={"kind": spec.kind, "date": day, "format": target.suffix.lower()[1:]},
    )
    return result


def _id_numbers(database: Database, people: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    with database.reading() as session:
        for start in range(0, len(people), 500):  # under SQLite's limit on parameters
            chunk = people[start : start + 500]
            found.update(
                (person_id, number)
                for person_id, number in session.execute(
                    select(Person.id, Person.id_number).where(Person.id.in_(chunk))
                )
            )
    return found


def _write_csv(path: Path, heads: Sequence[str], table: list[list[str]]) -> None:
    # utf-8-sig: the BOM tells Excel the file is UTF-8, so the Chinese shows as Chinese.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(heads)
        writer.writerows(table)

"""Civil affairs' lists of people in special groups (低保, 特困, 残疾 …): read, matched by ID
number, marked, and what could not be matched reported.

A list is read with the shared spreadsheet reader; its columns are found by their headings.
Each row names a person by ID number and, in a category column or by the clerk's choice, a
group of ``special_group``. Matching sorts the rows into:

- matched: a person registered here, managed by this centre, with the same name;
- name differs: the ID number is registered under another name. Held back, never matched
  silently: a mistyped ID number on the list would otherwise mark someone else;
- other centre: the person is managed by another centre (refused, named);
- expired: the membership ended before today. Recorded (it shows on the person) but the
  group is not added;
- unmatched: the ID number is not in the registry (for the clerk to follow up: enrol them);
- problems: the row cannot be read (ID number, category, dates, office), each said in words.

Importing writes, in one transaction, one ``SpecialGroupMembership`` per person, group and
list, and adds the group to each matched person's ``special_groups`` through the normal person
change (version + 1, outbox and audit), so it goes upstream and the government-paid worklist
(and its counter, the triggers of migration 0014) picks the person up. A later list without
the person removes nothing: civil affairs' lists are not complete registers. Importing the same
list again writes nothing at all.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number, parse_id_number
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services import spreadsheet
from caseworker.services.actor import Actor, Permission
from caseworker.services.enrolment import record_person_change
from caseworker.services.errors import ServiceError
from caseworker.services.journal import audit
from caseworker.services.store_guard import refuse_if_behind
from caseworker.services.sync_guard import enforce_sync_guardrails
from caseworker.store.database import Database
from caseworker.store.models import Person, SpecialGroupMembership, new_id
from caseworker.store.wire import snapshot

HEADINGS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "证件号"),
    "name": ("姓名", "救助对象姓名", "对象姓名"),
    "group": ("类别", "救助类别", "人员类别", "保障类别", "对象类别", "救助对象类别"),
    "valid_from": ("认定日期", "起始日期", "享受起始时间", "开始日期", "认定时间"),
    "valid_until": ("有效期至", "终止日期", "截止日期", "有效期止", "享受终止时间"),
    "office": ("认定机关", "发证机关", "审批机关", "认定单位"),
    "certificate": ("证号", "证件编号", "证书编号", "救助证号"),
}
_BY_HEADING = {
    spreadsheet.heading_key(heading): field
    for field, names in HEADINGS.items()
    for heading in names
}
_CHUNK = 500  # ID numbers per IN (…) query

# Words civil affairs' systems write for the groups, checked in this order when the category
# is none of the code table's names. A plain 残疾人 names no grade: it is asked about.
_GROUP_WORDS = (
    (("重度残疾",), "severe_disability"),
    (("一级残疾",), "severe_disability"),
    (("二级残疾",), "severe_disability"),
    (("三级残疾",), "disability"),
    (("四级残疾",), "disability"),
    (("低保",), "dibao"),
    (("最低生活保障",), "dibao"),
    (("特困",), "tekun"),
    (("五保",), "tekun"),
    (("监测",), "poverty_monitor"),
    (("低收入",), "low_income"),
    (("孤儿",), "orphan"),
    (("无人抚养",), "orphan"),
    (("优抚",), "veteran"),
)


def bad_file(zh: str, en: str) -> ServiceError:
    return ServiceError("bad_special_group_list", zh, en)


@dataclass(frozen=True)
class ListedRow:
    """One row of the list as read; ``row`` is the row number as a spreadsheet shows it."""

    row: int
    id_number: str
    name: str
    group: str
    valid_from: date | None
    valid_until: date | None
    office: str
    certificate_number: str | None


@dataclass(frozen=True)
class ProblemRow:
    """A row that cannot be used, with what is wrong and what to do (Chinese and English)."""

    row: int
    id_number: str  # as written (may be wrong)
    name: str
    problem: str
    problem_en: str


@dataclass(frozen=True)
class MatchedRow:
    listed: ListedRow
    person_id: uuid.UUID
    registry_name: str
    already_in_group: bool  # the person's special groups had the group before this list
    already_recorded: bool  # this list's membership was imported before


@dataclass(frozen=True)
class OtherCentreRow:
    listed: ListedRow
    registry_name: str
    owner_centre_code: str


@dataclass(frozen=True)
class SpecialGroupResult:
    file_name: str
    sha256: str
    kind: str
    group: str | None  # the clerk's group, for a list without a category column
    office: str | None
    has_group_column: bool
    rows: int  # rows read (blank rows not counted)
    matched: tuple[MatchedRow, ...]
    name_differs: tuple[MatchedRow, ...]
    expired: tuple[MatchedRow, ...]
    other_centre: tuple[OtherCentreRow, ...]
    unmatched: tuple[ListedRow, ...]
    problems: tuple[ProblemRow, ...]
    dry_run: bool = True
    memberships_written: int = 0
    people_changed: int = 0

    @property
    def to_add(self) -> int:
        """People whose special groups this list adds a group to (each person once)."""
        return len({m.person_id for m in self.matched if not m.already_in_group})


# -- reading ------------------------------------------------------------------------------


class _RowProblem(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _group_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in load_code_table("special_group"):
        for name in (entry.code, entry.name_zh, entry.name_en, *entry.aliases_zh):
            names[spreadsheet.heading_key(name).lower()] = entry.code
    return names


def group_choices() -> list[tuple[str, str, str]]:
    """(code, Chinese name, English name) of every special group, in the table's order."""
    return [(e.code, e.name_zh, e.name_en) for e in load_code_table("special_group")]


def _group(value: Any, names: dict[str, str], chosen: str | None) -> str:
    text = spreadsheet.heading_key(spreadsheet.text(value)).lower()
    if not text:
        if chosen:
            return chosen
        raise _RowProblem(
            "类别为空：请在类别列写明（如 低保对象、特困人员），或导入时选择群体。",
            "The category is empty: write it in the category column (e.g. 低保对象, 特困人员) "
            "or choose the group when importing.",
        )
    if text in names:
        return names[text]
    for words, code in _GROUP_WORDS:
        if all(word in text for word in words):
            return code
    if "残疾" in text:
        raise _RowProblem(
            f"类别“{text}”没有写明残疾等级：一、二级为重度残疾人，三、四级为其他残疾人；"
            "请在类别中写明等级（如 重度残疾人）。",
            f"The category {text!r} does not give the disability grade: grades 1 and 2 are "
            "severe (重度残疾人), 3 and 4 other (其他残疾人); write the grade in the category.",
        )
    raise _RowProblem(
        f"无法识别类别“{text}”；应为 低保对象、特困人员、重度残疾人 等。",
        f"The category {text!r} is not one we know; it should be 低保对象, 特困人员, "
        "重度残疾人 or similar.",
    )


def _date(value: Any, label: str, label_en: str) -> date | None:
    try:
        return spreadsheet.parse_date(value)
    except spreadsheet.CellProblem as problem:
        raise _RowProblem(f"{label}：{problem.zh}", f"{label_en}: {problem.en}") from None


def _id_number(value: Any) -> str:
    try:
        number = spreadsheet.id_number_text(value)
    except spreadsheet.CellProblem as problem:
        raise _RowProblem(problem.zh, problem.en) from None
    if not number:
        raise _RowProblem("身份证号为空。", "The ID number is empty.")
    try:
        return parse_id_number(number).number
    except InvalidValue as error:
        raise _RowProblem(
            f"身份证号：{error.message}",
            f"ID number: {getattr(error, 'message_en', error.message)}",
        ) from None


def _read_row(
    number: int,
    row: Sequence[Any],
    columns: dict[str, int],
    names: dict[str, str],
    group: str | None,
    office: str | None,
) -> ListedRow | ProblemRow:
    def cell(field: str) -> Any:
        return spreadsheet.cell(row, columns[field]) if field in columns else None

    problems: list[_RowProblem] = []
    values: dict[str, Any] = {}
    readers = {
        "id_number": lambda: _id_number(cell("id_number")),
        "group": lambda: _group(cell("group"), names, group) if "group" in columns else group,
        "valid_from": lambda: _date(cell("valid_from"), "认定日期", "Start date"),
        "valid_until": lambda: _date(cell("valid_until"), "有效期至", "Valid until"),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except _RowProblem as problem:
            problems.append(problem)
    start, end = values.get("valid_from"), values.get("valid_until")
    if start and end and start > end:
        problems.append(
            _RowProblem(
                f"认定日期 {start} 晚于有效期至 {end}；请核对日期。",
                f"The start date {start} is after the end date {end}; check the dates.",
            )
        )
    issued_by = spreadsheet.text(cell("office")) or (office or "").strip()
    if not issued_by:
        problems.append(
            _RowProblem(
                "认定机关为空：请在清单中写明，或导入时填写认定机关。",
                "No issuing office: write it on the list or give it when importing.",
            )
        )
    name = spreadsheet.text(cell("name"))
    if problems:
        return ProblemRow(
            number,
            spreadsheet.text(cell("id_number")),
            name,
            "；".join(p.zh for p in problems),
            "; ".join(p.en for p in problems),
        )
    return ListedRow(
        row=number,
        id_number=values["id_number"],
        name=name,
        group=values["group"],
        valid_from=start,
        valid_until=end,
        office=issued_by[:100],
        certificate_number=spreadsheet.text(cell("certificate"))[:60] or None,
    )


@dataclass(frozen=True)
class _ReadList:
    name: str
    sha256: str
    kind: str
    has_group_column: bool
    rows: tuple[ListedRow, ...]
    problems: tuple[ProblemRow, ...]


def read_special_group_list(
    path: Path, *, group: str | None = None, office: str | None = None
) -> _ReadList:
    """Every row of the list, or what is wrong with it; raises ``bad_special_group_list``."""
    if group is not None and group not in {code for code, _, _ in group_choices()}:
        raise bad_file(
            f"没有“{group}”这个特殊群体；可选：" + "、".join(c for c, _, _ in group_choices()),
            f"There is no special group {group!r}; choose one of: "
            + ", ".join(c for c, _, _ in group_choices()),
        )
    raw = spreadsheet.open_spreadsheet(Path(path), bad_file)
    header = spreadsheet.find_header(raw.sheets, _BY_HEADING, min_fields=2, required=("id_number",))
    if header is None:
        raise bad_file(
            "找不到表头：前10行中没有“身份证号”“姓名”“类别”等列名。请确认选的是民政部门的"
            "低保、特困、残疾人等名单。",
            "No heading row: none of the first 10 rows names the columns (身份证号, 姓名, "
            "类别 ...). Check this is civil affairs' list of dibao, tekun or disabled people.",
        )
    columns = header.columns
    if "group" not in columns and group is None:
        raise bad_file(
            "清单没有“类别/救助类别”列：请选择这份名单的群体（如 低保对象）后再导入。",
            "The list has no category column (类别/救助类别): choose the group of the list "
            "(e.g. dibao) and import again.",
        )
    names = _group_names()
    listed: list[ListedRow] = []
    problems: list[ProblemRow] = []
    first: dict[tuple[str, str], int] = {}
    rows = header.sheet.rows
    for index in range(header.data_start, len(rows)):
        if spreadsheet.blank(rows[index]):
            continue
        read = _read_row(index + 1, rows[index], columns, names, group, office)
        if isinstance(read, ProblemRow):
            problems.append(read)
            continue
        key = (read.id_number, read.group)
        if key in first:
            problems.append(
                ProblemRow(
                    read.row,
                    read.id_number,
                    read.name,
                    f"与第 {first[key]} 行重复（同一人同一群体），已按第 {first[key]} 行处理。",
                    f"The same person and group as row {first[key]}; row {first[key]} is used.",
                )
            )
            continue
        first[key] = read.row
        listed.append(read)
    if not listed and not problems:
        raise bad_file("清单中只有表头，没有人员。", "The list has headings but no people.")
    return _ReadList(
        raw.name, raw.sha256, raw.kind, "group" in columns, tuple(listed), tuple(problems)
    )


# -- matching -----------------------------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    def key(name: str) -> str:
        text = unicodedata.normalize("NFKC", name)
        return re.sub(r"[\s·•．.]", "", text)

    return key(a) == key(b)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _match(
    session: Session, read: _ReadList, *, today: date, group: str | None, office: str | None
) -> tuple[SpecialGroupResult, dict[uuid.UUID, Person]]:
    numbers = sorted({row.id_number for row in read.rows})
    people: dict[str, Person] = {}
    for chunk in _chunks(numbers):
        for person in session.scalars(select(Person).where(Person.id_number.in_(chunk))):
            people[person.id_number] = person
    recorded = {
        (person_id, code)
        for person_id, code in session.execute(
            select(SpecialGroupMembership.person_id, SpecialGroupMembership.group_code).where(
                SpecialGroupMembership.source_sha256 == read.sha256
            )
        )
    }
    matched: list[MatchedRow] = []
    differs: list[MatchedRow] = []
    expired: list[MatchedRow] = []
    other: list[OtherCentreRow] = []
    unmatched: list[ListedRow] = []
    for row in read.rows:
        person = people.get(row.id_number)
        if person is None:
            unmatched.append(row)
            continue
        if person.owner_centre_code is not None:
            other.append(OtherCentreRow(row, person.name, person.owner_centre_code))
            continue
        found = MatchedRow(
            row,
            person.id,
            person.name,
            row.group in (person.special_groups or []),
            (person.id, row.group) in recorded,
        )
        if row.name and not _same_name(row.name, person.name):
            differs.append(found)
        elif row.valid_until is not None and row.valid_until < today:
            expired.append(found)
        else:
            matched.append(found)
    result = SpecialGroupResult(
        file_name=read.name,
        sha256=read.sha256,
        kind=read.kind,
        group=group,
        office=office,
        has_group_column=read.has_group_column,
        rows=len(read.rows) + len(read.problems),
        matched=tuple(matched),
        name_differs=tuple(differs),
        expired=tuple(expired),
        other_centre=tuple(other),
        unmatched=tuple(unmatched),
        problems=read.problems,
    )
    return result, {p.id: p for p in people.values()}


def preview_special_group_list(
    database: Database,
    actor: Actor,
    path: Path,
    *,
    group: str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> SpecialGroupResult:
    """What importing the list would do; writes nothing (the dry run)."""
    actor.require(Permission.IMPORT_ROSTER)
    day = today or date.today()
    read = read_special_group_list(Path(path), group=group, office=office)
    with database.reading() as session:
        result, _people = _match(session, read, today=day, group=group, office=office)
    return result


def import_special_group_list(
    database: Database,
    actor: Actor,
    path: Path,
    *,
    group: str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> SpecialGroupResult:
    """Mark the matched people, in one transaction; the same list again writes nothing."""
    actor.require(Permission.IMPORT_ROSTER)
    refuse_if_behind(database, actor)
    day = today or date.today()
    read = read_special_group_list(Path(path), group=group, office=office)
    with database.writing() as session:
        enforce_sync_guardrails(session)
        result, people = _match(session, read, today=day, group=group, office=office)
        written = 0
        adds: dict[uuid.UUID, list[str]] = {}
        for found in (*result.matched, *result.expired):
            if not found.already_recorded:
                row = found.listed
                session.add(
                    SpecialGroupMembership(
                        id=new_id(),
                        person_id=found.person_id,
                        group_code=row.group,
                        valid_from=row.valid_from,
                        valid_until=row.valid_until,
                        office=row.office,
                        certificate_number=row.certificate_number,
                        source_file=read.name[:255],
                        source_sha256=read.sha256,
                        source_row=row.row,
                        operator_id=actor.operator_id,
                    )
                )
                written += 1
        # An expired membership is kept as history only: it adds no group.
        for found in result.matched:
            if not found.already_in_group:
                adds.setdefault(found.person_id, []).append(found.listed.group)
        for person_id, groups in adds.items():
            person = people[person_id]
            before = snapshot(person, PERSON_FIELDS)
            held = list(person.special_groups or [])
            # A new list object: the JSON column sees the change (and 0014's triggers fire).
            person.special_groups = held + [g for g in groups if g not in held]
            record_person_change(
                session,
                actor,
                person,
                before,
                action="person.update",
                detail={"special_group_list": read.name},
            )
        if written or adds:
            # Who imported which list and what came of it; no ID numbers in the trail.
            audit(
                session,
                actor,
                action="special_group_list.import",
                entity_type="special_group_list",
                entity_id=None,
                detail={
                    "file": read.name,
                    "sha256": read.sha256,
                    "kind": read.kind,
                    "group": group,
                    "office": office,
                    "rows": result.rows,
                    "matched": len(result.matched),
                    "name_differs": len(result.name_differs),
                    "expired": len(result.expired),
                    "other_centre": len(result.other_centre),
                    "unmatched": len(result.unmatched),
                    "problems": len(result.problems),
                    "memberships_written": written,
                    "people_changed": len(adds),
                },
            )
    return replace(result, dry_run=False, memberships_written=written, people_changed=len(adds))


# -- the person's memberships -------------------------------------------------------------


@dataclass(frozen=True)
class MembershipView:
    group: str
    valid_from: date | None
    valid_until: date | None
    office: str
    certificate_number: str | None
    source_file: str
    expired: bool


def memberships_of(
    database: Database, person_id: uuid.UUID, *, today: date | None = None
) -> list[MembershipView]:
    """A person's special-group memberships from civil affairs' lists, latest list first."""
    day = today or date.today()
    with database.reading() as session:
        rows = session.scalars(
            select(SpecialGroupMembership)
            .where(SpecialGroupMembership.person_id == person_id)
            .order_by(SpecialGroupMembership.imported_at.desc(), SpecialGroupMembership.group_code)
        ).all()
        return [
            MembershipView(
                r.group_code,
                r.valid_from,
                r.valid_until,
                r.office,
                r.certificate_number,
                r.source_file,
                r.valid_until is not None and r.valid_until < day,
            )
            for r in rows
        ]


# -- the unmatched report -----------------------------------------------------------------


def _group_name(code: str) -> str:
    table = load_code_table("special_group")
    return table.get(code).name_zh if code in table else code


@dataclass(frozen=True)
class Unmarked:
    """A row of the list that marked nobody: what it is, what is wrong and what to do. The ID
    number is in full (the report is for following up with civil affairs); screens mask it."""

    kind: str  # unmatched, problem, name_differs, other_centre, expired
    row: int
    id_number: str
    name: str  # as on the list
    group: str | None
    problem: str
    problem_en: str
    todo: str
    todo_en: str


KIND_WORDS = {
    "unmatched": ("未登记", "Not registered"),
    "problem": ("无法读取", "Cannot be read"),
    "name_differs": ("姓名不符", "Name differs"),
    "other_centre": ("其他中心管理", "Another centre's"),
    "expired": ("已过有效期", "Expired"),
}


def unmarked(result: SpecialGroupResult) -> list[Unmarked]:
    """Every row not marked, in the list's order: the unmatched, the rows with problems, names
    that differ, other centres' people and expired memberships."""
    out: list[Unmarked] = []
    for row in result.unmatched:
        out.append(
            Unmarked(
                "unmatched",
                row.row,
                row.id_number,
                row.name,
                row.group,
                "本中心登记库中没有此身份证号。",
                "No person with this ID number is registered here.",
                "核实是否属本乡镇；是则为其登记参保后重新导入本名单。",
                "Check whether they live in this township; if so, register them and import "
                "the list again.",
            )
        )
    for problem in result.problems:
        out.append(
            Unmarked(
                "problem",
                problem.row,
                problem.id_number,
                problem.name,
                None,
                problem.problem,
                problem.problem_en,
                "请民政部门更正该行，或在表格中改正后重新导入。",
                "Ask civil affairs to correct the row, or correct it in the file and import again.",
            )
        )
    for found in result.name_differs:
        out.append(
            Unmarked(
                "name_differs",
                found.listed.row,
                found.listed.id_number,
                found.listed.name,
                found.listed.group,
                f"登记库中此身份证号的姓名为“{found.registry_name}”。",
                f"The registry has this ID number under the name {found.registry_name}.",
                "与民政部门核对身份证号和姓名；确为同一人时，更正姓名后重新导入。",
                "Check the ID number and name with civil affairs; if it is the same person, "
                "correct the name and import again.",
            )
        )
    for other in result.other_centre:
        out.append(
            Unmarked(
                "other_centre",
                other.listed.row,
                other.listed.id_number,
                other.listed.name,
                other.listed.group,
                f"此人由 {other.owner_centre_code} 中心管理（登记姓名“{other.registry_name}”）。",
                f"Managed by centre {other.owner_centre_code} (registered as "
                f"{other.registry_name}).",
                "请把此行转给管理该人员的中心，或先办理转入。",
                "Pass the row to the centre that manages the person, or transfer them here first.",
            )
        )
    for found in result.expired:
        until = found.listed.valid_until
        out.append(
            Unmarked(
                "expired",
                found.listed.row,
                found.listed.id_number,
                found.listed.name,
                found.listed.group,
                f"有效期至 {until}，已过期：已记录，但未标记为该群体。",
                f"Valid until {until}, which has passed: recorded, but the group is not added.",
                "如仍属该群体，请民政部门提供续期后的名单。",
                "If they are still in the group, ask civil affairs for the renewed list.",
            )
        )
    return sorted(out, key=lambda r: r.row)


def report_rows(result: SpecialGroupResult) -> list[tuple[str, int, str, str, str, str, str]]:
    """(what, row, ID number, name on the list, group, what is wrong, what to do), in Chinese."""
    return [
        (
            KIND_WORDS[r.kind][0],
            r.row,
            r.id_number,
            r.name,
            _group_name(r.group) if r.group else "",
            r.problem,
            r.todo,
        )
        for r in unmarked(result)
    ]


def write_unmatched(path: Path, result: SpecialGroupResult) -> Path:
    """An .xlsx of every row not marked, each with what is wrong and what to do."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "未匹配"
    sheet.append([f"民政特殊群体名单核对：{result.file_name}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [
            f"共 {result.rows} 行：匹配 {len(result.matched)}，未登记 {len(result.unmatched)}，"
            f"无法读取 {len(result.problems)}，姓名不符 {len(result.name_differs)}，"
            f"其他中心 {len(result.other_centre)}，已过期 {len(result.expired)}。"
            f" SHA-256 {result.sha256}"
        ]
    )
    headings = ["情况", "行号", "身份证号", "姓名", "群体", "问题", "处理办法"]
    sheet.append(headings)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for values in report_rows(result):
        sheet.append(list(values))
        sheet.cell(sheet.max_row, 3).number_format = "@"  # the ID number stays text
    for column, width in zip("ABCDEFG", (12, 6, 20, 10, 16, 50, 50), strict=True):
        sheet.column_dimensions[column].width = width
    path = Path(path)
    workbook.save(path)
    return path


def masked(row: ListedRow | ProblemRow) -> str:
    """The ID number as shown on screen (masked; a number that cannot be read as written)."""
    try:
        return mask_id_number(row.id_number)
    except Exception:  # a bad ID number is shown as written: it is what the clerk must fix
        return row.id_number

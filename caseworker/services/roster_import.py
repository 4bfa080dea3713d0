"""A village committee's household roster into the registry, in one transaction.

Every row is read (streamed: a 500,000-row file is never held in memory), checked with the
rules of the front desk (``validate_person``), matched by ID number and then written through
the bulk path (``services.bulk_write``): new people and their households are created, people
already in the registry are updated with what the roster says, and a row that changes
nothing writes nothing, so importing the same file twice changes nothing the second time.

Nothing is half-imported. Rejected rows, a failure or a cancel roll back the whole file,
unless the clerk chose to import the valid rows only; a dry run always rolls back. What each
row came to is kept in the import's scratch table until the report is written from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseworker.domain.coverage import coverage_id, derive, line_codes
from caseworker.domain.errors import InvalidValue
from caseworker.domain.regions import find_village, load_region_directory, village_names
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.bulk_write import BulkWriter, rows_by
from caseworker.services.enrolment import changes_between, person_values
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.form_support import province_of_centre
from caseworker.services.households import township_of
from caseworker.services.journal import audit
from caseworker.services.parameters import parameters_for
from caseworker.services.roster_file import (
    COLUMN_EN,
    COLUMN_ZH,
    Problem,
    RosterLayout,
    RosterRow,
    inspect_roster,
    iter_roster,
)
from caseworker.services.roster_report import ReportSummary, RowOutcome, write_report
from caseworker.services.store_guard import refuse_if_behind
from caseworker.services.sync_guard import enforce_sync_guardrails
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import Household, ImportHousehold, ImportRow, Person, new_id
from caseworker.store.wire import WIRE, snapshot_values

CHUNK = 2_000  # rows looked up together and sent together: each send's counters cost a few
# statements whatever its size (``store.counters``), so fewer and larger sends cost less
LOOKUP = 500  # ID numbers per IN (…) list
SHOWN_PROBLEMS = 200  # problems carried in the result for the screen; the report has all
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
# Where a checked field of the person comes from in the roster, for naming the column.
_FIELD_COLUMN = {
    "id_number": "id_number",
    "name": "name",
    "phone": "phone",
    "ethnicity": "ethnicity",
    "employment_category": "employment_category",
    "relationship_to_head": "relationship",
    "hukou_village_code": "village",
    "hukou_address": "hukou_address",
}


@dataclass(frozen=True)
class ImportOptions:
    village_code: str | None = None  # the village of a sheet that has no village column
    mapping: Mapping[int, str] | None = None  # column → field, as the clerk confirmed it
    dry_run: bool = False
    valid_only: bool = False  # import the valid rows and leave the rejected ones out
    report_path: Path | None = None


@dataclass(frozen=True)
class RowProblem:
    row: int
    problem: Problem


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    sha256: str
    sheet: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    households_created: int
    written: bool  # False: a dry run, or rows were rejected and nothing was imported
    problems: tuple[RowProblem, ...] = field(default=())  # the first ones, for the screen
    report_path: Path | None = None

    @property
    def why_not_written_zh(self) -> str | None:
        if self.written:
            return None
        if self.rejected:
            return (
                f"有{self.rejected}行未通过检查，整个文件都没有导入。请改正后重新导入，"
                "或选择“只导入正确的行”。"
            )
        return "这是试导入：检查了每一行，没有写入任何数据。"

    @property
    def why_not_written_en(self) -> str | None:
        if self.written:
            return None
        if self.rejected:
            rows = "1 row" if self.rejected == 1 else f"{self.rejected} rows"
            return (
                f"{rows} failed the checks, so nothing of the file was imported. Correct "
                "what the report marks and import again, or import the valid rows only."
            )
        return "A dry run: every row was checked and nothing was written."


class ImportCancelled(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "cancelled",
            "已取消导入：整个文件都没有导入，登记库没有改变。",
            "The import was cancelled: nothing of the file was imported.",
        )


class _RollBack(Exception):
    """Leaves the import's transaction without committing (dry run, rejected rows)."""


Progress = Callable[[int, int | None], None]


def import_roster(
    database: Database,
    actor: Actor,
    path: Path,
    options: ImportOptions = ImportOptions(),
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import ``path``; see the module's description. Raises ``bad_roster`` for a file that
    cannot be read or whose columns are not mapped, and ``ImportCancelled``."""
    actor.require(Permission.IMPORT_ROSTER)
    refuse_if_behind(database, actor)
    day = today or date.today()
    layout = inspect_roster(path)
    mapping = dict(options.mapping) if options.mapping is not None else None
    run = _Run(actor, layout, options, day)
    try:
        with database.writing() as session:
            enforce_sync_guardrails(session)
            run.start(session)
            rows = iter_roster(path, layout, mapping)
            for chunk in _chunks(rows, CHUNK):
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                run.chunk(chunk)
                if progress is not None:
                    progress(run.rows, layout.estimated_rows)
            if cancelled is not None and cancelled():
                raise ImportCancelled  # during the last chunk: still before anything is kept
            run.writer.flush()
            keep = not options.dry_run and (run.counts[REJECTED] == 0 or options.valid_only)
            result = run.result(written=keep)
            if options.report_path is not None:
                summary = ReportSummary(
                    at=datetime.now(),
                    by=actor.display_name,
                    written=keep,
                    reason=result.why_not_written_zh or _written_zh(result),
                )
                outcomes = run.outcomes(written=keep)
                write_report(path, options.report_path, layout, outcomes, summary, mapping=mapping)
            if not keep:
                raise _RollBack
            run.finish()
            return result
    except _RollBack:
        return result


def _written_zh(result: ImportResult) -> str:
    if result.rejected:
        return f"已导入正确的行；有{result.rejected}行未通过检查，没有导入，请改正后再导入这些行。"
    return "已全部导入。"


def _chunks(rows: Iterable[RosterRow], size: int) -> Iterator[list[RosterRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Run:
    """One import in progress: counts, look-ups and the writer, inside one transaction."""

    def __init__(self, actor: Actor, layout: RosterLayout, options: ImportOptions, day: date):
        self.actor, self.layout, self.options, self.day = actor, layout, options, day
        self.counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0}
        self.rows = self.households = 0
        self.shown: list[RowProblem] = []
        self.min_age = parameters_for(day, province_of_centre(actor)).resident_pension.min_age

    def start(self, session: Session) -> None:
        self.session = session
        # Left over only by a crash mid-import (the tables are emptied before each commit).
        session.execute(delete(ImportRow))
        session.execute(delete(ImportHousehold))
        township = township_of(session, self.actor)
        villages = load_region_directory().children(township)
        self.village_codes = {v.code for v in villages}
        self.villages = village_names(villages)
        self.township = township
        default = self.options.village_code
        if default is not None and default not in self.village_codes:
            raise ServiceError(
                "bad_village",
                f"村（居）委会代码 {default} 不是本乡镇（{township}）的村（居）委会。",
                f"Village {default} is not a village of this township ({township}).",
            )
        self.writer = BulkWriter(session, self.actor)

    # -- one chunk of rows -----------------------------------------------------------------

    def chunk(self, rows: list[RosterRow]) -> None:
        numbers = [r.fields["id_number"] for r in rows if _number_ok(r)]
        earlier = rows_by(self.session, ImportRow.id_number, numbers, ImportRow.row)
        people = {
            row.id_number: row
            for start in range(0, len(numbers), LOOKUP)
            for row in self.session.execute(
                select(Person.__table__).where(
                    Person.id_number.in_(numbers[start : start + LOOKUP])
                )
            ).mappings()
        }
        keys = {self._household_key(r) for r in rows} - {None}
        households = {
            key: row.household_id
            for key, row in rows_by(
                self.session, ImportHousehold.key, keys, ImportHousehold.household_id
            ).items()
        }
        in_chunk: dict[str, int] = {}
        for row in rows:
            self.rows += 1
            problems = list(row.problems)
            number = row.fields.get("id_number") if _number_ok(row) else None
            if number is not None:
                first = earlier[number].row if number in earlier else in_chunk.get(number)
                if first is not None:
                    problems.append(_twice(first))
                    number = None  # the first row stands; this one is reported
                else:
                    in_chunk[number] = row.row
            status = REJECTED
            if not problems:
                status, more = self._write(row, people.get(row.fields["id_number"]), households)
                problems.extend(more)
            self.counts[status] += 1
            for problem in problems:
                if len(self.shown) < SHOWN_PROBLEMS:
                    self.shown.append(RowProblem(row.row, problem))
            self.writer.insert(
                ImportRow,
                {
                    "row": row.row,
                    "id_number": number,
                    "status": status,
                    "problems": [[p.column, p.zh, p.en] for p in problems] or None,
                },
            )
        self.writer.flush()  # the next chunk looks up what this one wrote

    def _village(self, row: RosterRow) -> str | Problem | None:
        written = row.village.strip()
        if not written:
            return self.options.village_code
        if written.isdigit() and written in self.village_codes:
            return written
        code = find_village(self.villages, written)
        if code is None:
            return _problem(
                "village",
                f"“{written}”不是本乡镇的村（居）委会。",
                f"{written!r} is not a village of this township.",
            )
        return code

    def _household_key(self, row: RosterRow) -> str | None:
        village = self._village(row)
        if not isinstance(village, str) or row.household_key.strip("|") == "":
            return None
        return f"{village}|{row.household_key}"

    def _write(
        self,
        row: RosterRow,
        existing: Mapping[str, Any] | None,
        households: dict[str, uuid.UUID],
    ) -> tuple[str, list[Problem]]:
        village = self._village(row)
        if isinstance(village, Problem):
            return REJECTED, [village]
        if existing is not None and existing["owner_centre_code"] is not None:
            owner = existing["owner_centre_code"]
            return REJECTED, [
                _problem(
                    "id_number",
                    f"此人由{owner}中心管理，本中心不能通过名册修改；请向该中心申请转入。",
                    f"this person is managed by centre {owner}; ask that centre for a transfer.",
                )
            ]
        if village is None and existing is None:
            return REJECTED, [
                _problem(
                    "village",
                    "为空：表中没有村（居）委会列时，请在导入时选择村（居）委会。",
                    "empty: the sheet has no village column; choose the village for the import.",
                )
            ]
        given = row.fields
        before = dict(existing) if existing is not None else {}
        entered = PersonInput(
            id_number=given["id_number"],
            name=given.get("name") or before.get("name", ""),
            ethnicity=given.get("ethnicity", before.get("ethnicity")),
            phone=given.get("phone", before.get("phone")),
            hukou_nature=before.get("hukou_nature"),
            hukou_village_code=village or before.get("hukou_village_code"),
            hukou_address=given.get("hukou_address", before.get("hukou_address")),
            residence_address=before.get("residence_address"),
            employment_category=given.get("employment_category", before.get("employment_category")),
            employer_id=before.get("employer_id"),
            special_groups=list(before.get("special_groups") or []),
            bank_account=before.get("bank_account"),
            household_id=before.get("household_id"),
            relationship_to_head=given.get(
                "relationship_to_head", before.get("relationship_to_head")
            ),
        )
        try:
            valid = validate_person(entered, today=self.day)
        except ValidationFailed as failed:
            return REJECTED, [_from_invalid(error) for error in failed.errors]
        key = self._household_key(row)
        household_id = valid.household_id
        if key is not None:
            # A person already in a household stays there (moving is a visit's business);
            # the roster's other members join the household they are in.
            if valid.household_id is not None:
                if key not in households:
                    households[key] = valid.household_id
                    self.writer.insert(
                        ImportHousehold, {"key": key, "household_id": valid.household_id}
                    )
            else:
                if key not in households:
                    households[key] = self._new_household(key, village or "", given)
                household_id = households[key]
        return self._person(valid, before, household_id), []

    def _new_household(self, key: str, village: str, given: Mapping[str, str]) -> uuid.UUID:
        household_id = new_id()
        values = {
            "id": household_id,
            "village_code": village,
            "address_detail": given.get("hukou_address"),
            "created_by": self.actor.operator_id,
            "updated_by": self.actor.operator_id,
            "version": 1,
        }
        self.writer.insert(Household, values)
        self.writer.change(
            action="household.create",
            entity_type="household",
            entity_id=household_id,
            operation="upsert",
            payload=WIRE["household"].snapshot_values(values),
            detail={"source": "roster", "file": self.layout.name},
        )
        self.writer.insert(ImportHousehold, {"key": key, "household_id": household_id})
        self.households += 1
        return household_id

    def _person(self, valid: Any, before: dict[str, Any], household_id: uuid.UUID | None) -> str:
        values = person_values(valid)
        values["household_id"] = household_id  # the roster's household, or theirs already
        if before:
            old = snapshot_values(before, PERSON_FIELDS)
            merged = before | values
            new = snapshot_values(merged, PERSON_FIELDS)
            changes = changes_between(old, new)
            if not changes:
                return UNCHANGED
            merged["version"] = before["version"] + 1
            merged["updated_by"] = self.actor.operator_id
            self.writer.add_person(
                {k: merged[k] for k in (*values, "id", "version", "updated_by")}, is_new=False
            )
            self.writer.change(
                action="person.update",
                entity_type="person",
                entity_id=merged["id"],
                operation="upsert",
                payload=snapshot_values(merged, PERSON_FIELDS),
                detail={"changes": changes, "source": "roster"},
            )
            return UPDATED
        person_id = new_id()
        row = (
            {key: None for key in PERSON_FIELDS if key not in values}
            | values
            | {
                "id": person_id,
                "version": 1,
                "created_by": self.actor.operator_id,
                "updated_by": self.actor.operator_id,
            }
        )
        self.writer.add_person(row, is_new=True)
        self.writer.change(
            action="person.create",
            entity_type="person",
            entity_id=person_id,
            operation="upsert",
            payload=snapshot_values(row, PERSON_FIELDS),
            detail={"name": row["name"], "source": "roster"},
        )
        self._derive(person_id, row["birth_date"])
        return CREATED

    def _derive(self, person_id: uuid.UUID, birth_date: date) -> None:
        """What the records say of a new person (none yet: only the under-16 rule can)."""
        for line in line_codes():
            derived = derive(
                line,
                birth_date=birth_date,
                enrolments=(),
                payments=(),
                day=self.day,
                pension_min_age=self.min_age,
            )
            if derived is None:
                continue
            values = {
                "status": derived.status,
                "scheme": derived.scheme,
                "reason": derived.reason,
                "source": derived.source,
                "as_of": self.day,
                "valid_until": derived.valid_until,
                "version": 1,
                "operator_id": self.actor.operator_id,
            }
            self.writer.update_coverage(person_id, line, values)
            row = {
                "id": coverage_id(person_id, line),
                "person_id": person_id,
                "line": line,
                "insured_where": None,
                "note": None,
                **values,
            }
            self.writer.change(
                action="coverage.derive",
                entity_type="coverage",
                entity_id=row["id"],
                operation="upsert",
                payload=WIRE["coverage"].snapshot_values(row),
                detail={"line": line, "status": row["status"], "source": row["source"]},
            )

    # -- the end -------------------------------------------------------------------------

    def result(self, *, written: bool) -> ImportResult:
        return ImportResult(
            file_name=self.layout.name,
            sha256=self.layout.sha256,
            sheet=self.layout.sheet,
            rows=self.rows,
            created=self.counts[CREATED],
            updated=self.counts[UPDATED],
            unchanged=self.counts[UNCHANGED],
            rejected=self.counts[REJECTED],
            households_created=self.households,
            written=written,
            problems=tuple(self.shown),
            report_path=self.options.report_path,
        )

    def outcomes(self, *, written: bool) -> Iterator[RowOutcome]:
        """Each row's outcome in row order, read from the scratch table as the report goes."""
        unwritten = {} if written else {CREATED: "would_create", UPDATED: "would_update"}
        last = 0
        while True:
            page = self.session.execute(
                select(ImportRow.row, ImportRow.status, ImportRow.problems)
                .where(ImportRow.row > last)
                .order_by(ImportRow.row)
                .limit(2_000)
            ).all()
            if not page:
                return
            for number, status, problems in page:
                shown = unwritten.get(status, status)
                yield RowOutcome(number, shown, tuple(Problem(*p) for p in problems or ()))
            last = page[-1].row

    def finish(self) -> None:
        """Empty the scratch tables and record the import itself in the audit trail."""
        self.writer.close()
        self.session.execute(delete(ImportRow))
        self.session.execute(delete(ImportHousehold))
        audit(
            self.session,
            self.actor,
            action="import.roster",
            entity_type="import",
            entity_id=None,
            detail={
                "file": self.layout.name,
                "sha256": self.layout.sha256,
                "sheet": self.layout.sheet,
                "rows": self.rows,
                **self.counts,
                "households_created": self.households,
                "valid_only": self.options.valid_only,
            },
        )


def _number_ok(row: RosterRow) -> bool:
    return "id_number" in row.fields and not any(p.column == "id_number" for p in row.problems)


def _problem(column: str, zh: str, en: str) -> Problem:
    return Problem(column, f"{COLUMN_ZH[column]}：{zh}", f"{COLUMN_EN[column]}: {en}")


def _twice(first: int) -> Problem:
    return _problem(
        "id_number",
        f"与第{first}行重复，同一人在文件中出现两次。",
        f"the same as row {first}; one person is listed twice.",
    )


def _from_invalid(error: InvalidValue) -> Problem:
    column = _FIELD_COLUMN.get(error.field, "id_number")
    return _problem(column, error.message, getattr(error, "message_en", error.message))

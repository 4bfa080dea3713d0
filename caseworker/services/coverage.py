"""Each person's coverage per insurance line: derived from records, told by surveys.

Two ways in, one row per person and line (``CoverageStatus``):

- ``follow_records`` (called by enrolment, payments, tax payments and voids in their own
  transaction, and by ``refresh``) writes what this centre's enrolments and payments say:
  paid this period → insured here; enrolled → insured here (or 'lapsed' where cover is the
  period paid); under 16 → the pension line does not apply.
- ``record_answers`` writes what a household visit or an imported list says. A status the
  records decide is never replaced by an answer that differs unless the answer carries a note
  saying why; an answer newer than the records it contradicts then stands until a newer
  record arrives.

Every written status goes upstream (entity ``coverage``) and comes back to the other centres
of the township in the registry feed. People another centre manages are read-only here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import (
    RECORD_SOURCES,
    Derived,
    EnrolmentFact,
    PaymentFact,
    derive,
    line_codes,
    lines,
    reason_table,
)
from caseworker.domain.errors import InvalidValue
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import NotFound, PermissionDenied, ValidationFailed
from caseworker.services.form_support import province_of_centre
from caseworker.services.journal import record_change
from caseworker.services.parameters import parameters_for
from caseworker.store.database import Database
from caseworker.store.models import (
    CoverageStatus,
    CoverageSurveyEntry,
    Enrolment,
    Payment,
    Person,
    new_id,
)
from caseworker.store.wire import WIRE

# Rows a trigger or the upgrade created and nobody has looked at yet carry this date in
# ``valid_until``, so one indexed query finds them together with statuses that ran out.
UNSEEN = date(1, 1, 1)
ANSWER_SOURCES = ("survey", "import")
ANSWER_STATUSES = ("insured_here", "insured_elsewhere", "not_insured", "not_applicable")


@dataclass(frozen=True)
class StatusAnswer:
    """One person's coverage in one line, as told (survey sheet, visit, imported list)."""

    person_id: uuid.UUID
    line: str
    status: str
    reason: str | None = None
    insured_where: str | None = None
    scheme: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CoverageView:
    """A status row as screens and reports show it."""

    person_id: uuid.UUID
    line: str
    status: str
    scheme: str | None
    reason: str | None
    insured_where: str | None
    as_of: date | None
    source: str | None
    note: str | None

    @property
    def from_records(self) -> bool:
        return self.source in RECORD_SOURCES


def view_of(row: CoverageStatus) -> CoverageView:
    return CoverageView(
        row.person_id,
        row.line,
        row.status,
        row.scheme,
        row.reason,
        row.insured_where,
        row.as_of,
        row.source,
        row.note,
    )


def statuses_of(session: Session, person_id: uuid.UUID) -> dict[str, CoverageView]:
    rows = session.scalars(select(CoverageStatus).where(CoverageStatus.person_id == person_id))
    return {row.line: view_of(row) for row in rows}


def person_statuses(
    database: Database, actor: Actor, person_id: uuid.UUID
) -> dict[str, CoverageView]:
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return statuses_of(session, person_id)


# -- what the records say -------------------------------------------------------------------


def _facts(session: Session, person: Person) -> tuple[list[EnrolmentFact], list[PaymentFact]]:
    # Queried, not ``person.enrolments``: that collection may have been loaded earlier in the
    # transaction, before an enrolment of an existing person was added (enrol on the spot).
    rows = session.scalars(select(Enrolment).where(Enrolment.person_id == person.id))
    enrolments = [EnrolmentFact(e.scheme, e.status, e.start_date) for e in rows]
    payments = [
        PaymentFact(
            p.scheme, p.period_start, p.period_end, p.business_date, p.voided_at is not None
        )
        for p in session.scalars(select(Payment).where(Payment.person_id == person.id))
    ]
    return enrolments, payments


def stamp_written(row: Any, actor: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
    """A status row (or its in-memory copy on the bulk path) about to be sent: its version,
    time and operator; the change's payload and audit detail."""
    row.version += 1
    row.updated_at = datetime.now(UTC)
    row.operator_id = actor.operator_id
    detail = {"line": row.line, "status": row.status, "source": row.source}
    return WIRE["coverage"].snapshot(row), detail


def _write(session: Session, actor: Actor, row: CoverageStatus, *, action: str, day: date) -> None:
    payload, detail = stamp_written(row, actor)
    record_change(
        session,
        actor,
        action=action,
        entity_type="coverage",
        entity_id=row.id,
        operation="upsert",
        payload=payload,
        detail=detail,
    )


def _same(row: Any, derived: Derived) -> bool:
    return (row.status, row.scheme, row.reason, row.source) == (
        derived.status,
        derived.scheme,
        derived.reason,
        derived.source,
    )


def follow_records(session: Session, actor: Actor, person_id: uuid.UUID, day: date) -> list[str]:
    """Bring the person's statuses in line with this centre's records; the lines changed.

    Runs inside the caller's transaction. A person another centre manages keeps the statuses
    the registry feed brought.
    """
    session.flush()  # a person created in this transaction has its rows only once flushed
    person = session.get(Person, person_id)
    if person is None or person.owner_centre_code is not None:
        return []
    enrolments, payments = _facts(session, person)
    min_age = parameters_for(day, province_of_centre(actor)).resident_pension.min_age
    changed = []
    for line in line_codes():
        row = session.get(CoverageStatus, (person.id, line))
        if row is None:
            continue
        derived = derive(
            line,
            birth_date=person.birth_date,
            enrolments=enrolments,
            payments=payments,
            day=day,
            pension_min_age=min_age,
        )
        if follow_line(row, derived, day):
            _write(session, actor, row, action="coverage.derive", day=day)
            changed.append(line)
    return changed


def follow_line(row: Any, derived: Derived | None, day: date) -> bool:
    """Bring one status row (or its in-memory copy) in line with what the records say;
    whether it changed and must be written (``coverage.derive``)."""
    row.valid_until = derived.valid_until if derived else None
    if derived is None:
        if row.source in RECORD_SOURCES:  # the record that decided is gone (a void)
            row.status, row.scheme, row.reason, row.source = "unknown", None, None, None
            row.as_of, row.note, row.insured_where = day, None, None
            return True
        return False
    if _same(row, derived):
        return False
    told_later = row.source in ANSWER_SOURCES and row.as_of and row.as_of > derived.as_of
    if told_later and row.note:
        return False  # an explained answer newer than the records stands
    row.status, row.scheme, row.reason = derived.status, derived.scheme, derived.reason
    row.source, row.as_of, row.note, row.insured_where = derived.source, day, None, None
    return True


def refresh(database: Database, actor: Actor, day: date) -> int:
    """Look again at statuses that ran out (a paid year ended, a 16th birthday) and at rows
    nobody has looked at yet (people pulled, imported or in the store before coverage
    existed). One transaction; returns how many statuses changed."""
    actor.require(Permission.VIEW)
    with database.writing() as session:
        due = session.execute(
            select(CoverageStatus.person_id, Person.owner_centre_code)
            .join(Person, Person.id == CoverageStatus.person_id)
            .where(CoverageStatus.valid_until < day)
            .distinct()
        ).all()
        changed = 0
        for person_id, owner in due:
            if owner is None:
                changed += len(follow_records(session, actor, person_id, day))
            else:
                for row in session.scalars(
                    select(CoverageStatus).where(CoverageStatus.person_id == person_id)
                ):
                    row.valid_until = None
        return changed


def needs_refresh(database: Database, day: date) -> bool:
    with database.reading() as session:
        return (
            session.scalar(
                select(CoverageStatus.person_id).where(CoverageStatus.valid_until < day).limit(1)
            )
            is not None
        )


# -- what people say ------------------------------------------------------------------------


def _error(field: str, code: str, zh: str, en: str) -> InvalidValue:
    error = InvalidValue(field, code, zh)
    error.message_en = en  # type: ignore[attr-defined]
    return error


def _label(table: str, code: str | None) -> str:
    if code is None:
        return ""
    codes = load_code_table(table)
    return codes.get(code).name_zh if code in codes else code


def check_answer(answer: StatusAnswer, current: Any) -> list[InvalidValue]:
    """Every problem with one answer, each naming its field (``line.field``)."""
    problems: list[InvalidValue] = []
    prefix = f"{answer.line}."
    if answer.line not in line_codes():
        return [_error(prefix + "line", "unknown_line", "未知的保障项目。", "Unknown line.")]
    line = next(item for item in lines() if item.code == answer.line)
    if answer.status not in ANSWER_STATUSES:
        problems.append(
            _error(
                prefix + "status",
                "status_required",
                f"{line.name_zh}：请选择参保状态（本地参保、异地参保、未参保或不适用）。",
                f"{line.name_en}: choose a status (insured here or elsewhere, not insured, "
                "not applicable).",
            )
        )
        return problems
    table = reason_table(answer.status)
    if table is not None:
        if not answer.reason:
            problems.append(
                _error(
                    prefix + "reason",
                    "reason_required",
                    f"{line.name_zh}：{_label('coverage_status', answer.status)}时请选择原因。",
                    f"{line.name_en}: choose a reason for this status.",
                )
            )
        elif answer.reason not in load_code_table(table):
            problems.append(
                _error(
                    prefix + "reason",
                    "unknown_reason",
                    f"{line.name_zh}：原因“{answer.reason}”不在代码表中，请从列表中选择。",
                    f"{line.name_en}: reason {answer.reason!r} is not in the code table.",
                )
            )
    if answer.status == "insured_elsewhere" and not (answer.insured_where or "").strip():
        problems.append(
            _error(
                prefix + "insured_where",
                "where_required",
                f"{line.name_zh}：异地参保时请填写参保地（如“江苏省苏州市”）。",
                f"{line.name_en}: insured elsewhere: say where (e.g. the city).",
            )
        )
    if answer.scheme is not None and answer.scheme not in line.schemes:
        problems.append(
            _error(
                prefix + "scheme",
                "scheme_not_in_line",
                f"{line.name_zh}：险种“{_label('scheme', answer.scheme)}”不属于该项目。",
                f"{line.name_en}: scheme {answer.scheme} is not of this line.",
            )
        )
    if len(answer.insured_where or "") > 100 or len(answer.note or "") > 500:
        problems.append(
            _error(
                prefix + "note",
                "too_long",
                f"{line.name_zh}：参保地最多100字，备注最多500字。",
                f"{line.name_en}: place at most 100 characters, note at most 500.",
            )
        )
    differs = current is not None and current.status != answer.status
    if differs and current.source in RECORD_SOURCES and not (answer.note or "").strip():
        problems.append(
            _error(
                prefix + "note",
                "note_required",
                f"{line.name_zh}：本中心的{_label('coverage_source', current.source)}显示为"
                f"“{_label('coverage_status', current.status)}”，调查结果不同；"
                "请在备注中说明原因，或按记录填写。",
                f"{line.name_en}: this centre's records say "
                f"{current.status.replace('_', ' ')}; the answer differs: add a note "
                "saying why, or answer as the records say.",
            )
        )
    return problems


def _owned_person(session: Session, person_id: uuid.UUID) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person", "找不到该人员。", "No such person.")
    refuse_unless_answerable(person)
    return person


def refuse_unless_answerable(person: Any) -> None:
    """Answers are recorded for this centre's living people only (a row or its values)."""
    if person.owner_centre_code is not None:
        raise PermissionDenied(
            "not_owner",
            f"{person.name}由{person.owner_centre_code}管理，本中心不能记录其参保状态；"
            "如其已迁入本地，请先申请转入。",
            f"{person.name} is managed by centre {person.owner_centre_code}; request a "
            "transfer before recording their coverage.",
        )
    if person.deceased_on is not None:
        raise ValidationFailed(
            [
                _error(
                    "person",
                    "deceased",
                    f"{person.name}已登记死亡（{person.deceased_on}），不再记录参保状态。",
                    f"{person.name} is recorded as deceased on {person.deceased_on}.",
                )
            ]
        )


def record_answers_in(
    session: Session,
    actor: Actor,
    answers: Sequence[StatusAnswer],
    *,
    day: date,
    source: str = "survey",
) -> list[CoverageView]:
    """The write half of ``record_answers``, inside the caller's transaction (a household
    visit saves its members and their answers together)."""
    actor.require(Permission.RECORD_COVERAGE)
    if source not in ANSWER_SOURCES:
        raise ValueError(f"an answer comes from a survey or an import, not {source!r}")
    session.flush()
    problems: list[InvalidValue] = []
    rows: list[tuple[StatusAnswer, CoverageStatus]] = []
    for answer in answers:
        _owned_person(session, answer.person_id)
        row = session.get(CoverageStatus, (answer.person_id, answer.line))
        found = check_answer(answer, row)
        problems.extend(found)
        if not found and row is not None:
            rows.append((answer, row))
    if problems:
        raise ValidationFailed(problems)
    written = []
    for answer, row in rows:
        entry = CoverageSurveyEntry(**survey_entry_values(answer, actor, day))
        session.add(entry)
        session.flush()
        record_change(
            session,
            actor,
            action="survey_entry.create",
            entity_type="survey_entry",
            entity_id=entry.id,
            operation="upsert",
            payload=WIRE["survey_entry"].snapshot(entry),
        )
        if apply_answer(row, answer, source, day):
            _write(session, actor, row, action="coverage.record", day=day)
        written.append(view_of(row))
    return written


def survey_entry_values(answer: StatusAnswer, actor: Actor, day: date) -> dict[str, Any]:
    """The survey entry an answer leaves as evidence (its columns)."""
    line = next(item for item in lines() if item.code == answer.line)
    return {
        "id": new_id(),
        "person_id": answer.person_id,
        "scheme": answer.scheme or line.schemes[0],
        "status": answer.status,
        "not_insured_reason": answer.reason if reason_table(answer.status) else None,
        "insured_where": answer.insured_where,
        "surveyed_on": day,
        "note": answer.note,
        "created_by": actor.operator_id,
    }


def apply_answer(row: Any, answer: StatusAnswer, source: str, day: date) -> bool:
    """Put a checked answer on its status row (or the row's in-memory copy); False when it
    agrees with the records, which then stay as they are (nothing to write)."""
    if row.source in RECORD_SOURCES and row.status == answer.status:
        return False
    # Only not insured / not applicable take a reason: one left from another choice goes.
    reason = answer.reason if reason_table(answer.status) else None
    row.status, row.reason = answer.status, reason
    row.scheme = answer.scheme
    row.insured_where = (answer.insured_where or "").strip() or None
    row.note = (answer.note or "").strip() or None
    row.source, row.as_of, row.valid_until = source, day, None
    return True


def record_answers(
    database: Database,
    actor: Actor,
    answers: Iterable[StatusAnswer],
    *,
    day: date,
    source: str = "survey",
) -> list[CoverageView]:
    """Record what people said of their coverage: all answers or, on any problem, none."""
    with database.writing() as session:
        return record_answers_in(session, actor, list(answers), day=day, source=source)

"""The audit trail for supervisors: entries newest first, a page at a time, filtered by day,
operator, action and person, each in words and with no personal number in full.

A store holds hundreds of thousands of entries, so nothing here loads them all: a page is
``seq < before`` (keyset, on the primary key) with a limit, and each filter uses an index
(``at``, ``operator_name``, ``action``, ``entity_id``). Only the page's own entities and
outbox payloads are read to say what each entry did.

Reading the audit trail is not itself audited: it changes nothing, every page or filter would
add an entry to the very chain being read (and move the head being verified), and what it
shows is less than the person view shows a clerk (ID numbers, phones and bank cards masked).
Who may read it is the permission ``VIEW_AUDIT`` (supervisors and administrators).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from caseworker.domain.ids import mask_id_number
from caseworker.services.actor import Actor, Permission, Role
from caseworker.services.audit_words import (
    ACTION_LABELS,
    ENTITY_LABELS,
    Words,
    detail_text,
    value_text,
    words,
)
from caseworker.services.centre_settings_edit import setting_label, stored_text
from caseworker.store.database import Database
from caseworker.store.models import (
    AuditEntry,
    Employer,
    Enrolment,
    Operator,
    OutboxEntry,
    Payment,
    Person,
)
from caseworker.store.search_index import search_person_ids

PAGE_SIZE = 100
# A person filter matches at most this many people (a bare surname matches thousands):
# the page says so, and a fuller name or an ID number narrows it.
PERSON_MATCH_LIMIT = 200
# Entries with no operator: sync bookkeeping and the system's own.
_NO_OPERATOR: dict[str, Words] = {"sync": ("同步（本机）", "Sync (this device)")}


@dataclass(frozen=True)
class AuditFilter:
    day_from: date | None = None  # operator's local days, inclusive
    day_to: date | None = None
    operator: str | None = None  # the username the entry records
    action: str | None = None
    person: str | None = None  # ID number (or its tail) or name, as in the search box


NO_FILTER = AuditFilter()


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    operator: str  # username
    operator_name: Words  # display name (or what the entry is by, when no operator)
    role: Role | None
    action: str
    action_label: Words
    entity: Words  # e.g. 人员 王秀英（3201**********123X）
    what: Words  # before → after, or the record written, masked


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next_before: int | None  # pass as ``before`` for the next page; None at the end
    total: int | None  # how many entries match (counted for the first page only)
    people_capped: bool = False  # the person filter matched more than PERSON_MATCH_LIMIT


@dataclass(frozen=True)
class FilterChoices:
    operators: list[tuple[str, Words]]  # (username, display words), as entries record them
    actions: list[tuple[str, Words]]  # codes present in the trail, with their words


def _utc_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _entity_ids_of_people(session: Session, text: str) -> tuple[list[uuid.UUID], bool]:
    people = search_person_ids(session, text, limit=PERSON_MATCH_LIMIT + 1)
    capped = len(people) > PERSON_MATCH_LIMIT
    people = people[:PERSON_MATCH_LIMIT]
    if not people:
        return [], capped
    enrolments = session.scalars(select(Enrolment.id).where(Enrolment.person_id.in_(people)))
    payments = session.scalars(select(Payment.id).where(Payment.person_id.in_(people)))
    return [*people, *enrolments, *payments], capped


def _filtered(
    session: Session, statement: Select[Any], wanted: AuditFilter
) -> tuple[Select[Any], bool]:
    capped = False
    if wanted.day_from is not None:
        statement = statement.where(AuditEntry.at >= _utc_start(wanted.day_from))
    if wanted.day_to is not None:
        statement = statement.where(AuditEntry.at < _utc_start(wanted.day_to + timedelta(days=1)))
    if wanted.operator:
        statement = statement.where(AuditEntry.operator_name == wanted.operator)
    if wanted.action:
        statement = statement.where(AuditEntry.action == wanted.action)
    if wanted.person and wanted.person.strip():
        ids, capped = _entity_ids_of_people(session, wanted.person)
        statement = statement.where(AuditEntry.entity_id.in_(ids) if ids else false())
    return statement, capped


def audit_page(
    database: Database,
    actor: Actor,
    wanted: AuditFilter = NO_FILTER,
    *,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """One page of entries, newest first; ``before`` is the previous page's ``next_before``."""
    actor.require(Permission.VIEW_AUDIT)
    with database.reading() as session:
        statement, capped = _filtered(session, select(AuditEntry), wanted)
        if before is not None:
            statement = statement.where(AuditEntry.seq < before)
        entries = session.scalars(statement.order_by(AuditEntry.seq.desc()).limit(limit)).all()
        total = None
        if before is None:
            counted, _ = _filtered(session, select(func.count()).select_from(AuditEntry), wanted)
            total = int(session.scalar(counted) or 0)
        rows = _described(session, list(entries))
    next_before = entries[-1].seq if len(entries) == limit else None
    return AuditPage(rows, next_before, total, capped)


def filter_choices(database: Database, actor: Actor) -> FilterChoices:
    """The operators and actions present in the trail (each an index scan, not a table scan)."""
    actor.require(Permission.VIEW_AUDIT)
    with database.reading() as session:
        names = session.scalars(select(AuditEntry.operator_name).distinct()).all()
        actions = session.scalars(select(AuditEntry.action).distinct()).all()
        operators = _operators(session)
    by_username = {o.username.lower(): o for o in operators.values()}
    listed = []
    for name in sorted(names, key=str.lower):
        operator = by_username.get(name.lower())
        shown = (operator.display_name,) * 2 if operator else _NO_OPERATOR.get(name, (name, name))
        listed.append((name, shown))
    return FilterChoices(
        listed, sorted(((a, words(ACTION_LABELS, a)) for a in actions), key=lambda x: x[1][0])
    )


def _operators(session: Session) -> dict[uuid.UUID, Operator]:
    return {o.id: o for o in session.scalars(select(Operator))}


def _described(session: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    operators = _operators(session)
    labels = _entity_labels(session, entries, operators)
    outbox_ids = [_uuid(e.detail.get("outbox_id")) for e in entries if e.detail.get("outbox_id")]
    payloads = dict(
        session.execute(
            select(OutboxEntry.id, OutboxEntry.payload).where(
                OutboxEntry.id.in_([i for i in outbox_ids if i])
            )
        ).all()
    )
    rows = []
    for entry in entries:
        operator = operators.get(entry.operator_id) if entry.operator_id else None
        name = (
            (operator.display_name,) * 2
            if operator
            else _NO_OPERATOR.get(entry.operator_name, (entry.operator_name,) * 2)
        )
        payload = payloads.get(_uuid(entry.detail.get("outbox_id")))
        rows.append(
            AuditRow(
                seq=entry.seq,
                at=entry.at,
                operator=entry.operator_name,
                operator_name=name,  # type: ignore[arg-type]
                role=Role(operator.role) if operator else None,
                action=entry.action,
                action_label=words(ACTION_LABELS, entry.action),
                entity=labels.get(entry.seq) or words(ENTITY_LABELS, entry.entity_type),
                what=_what(entry, payload),
            )
        )
    return rows


def _what(entry: AuditEntry, payload: dict[str, Any] | None) -> Words:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    if entry.action == "setting.change":
        key = str(detail.get("key"))
        return (
            f"{stored_text(key, detail.get('before'))} → {stored_text(key, detail.get('after'))}",
            f"{stored_text(key, detail.get('before'), True)} → "
            f"{stored_text(key, detail.get('after'), True)}",
        )
    return (
        detail_text(entry.action, entry.entity_type, detail, payload),
        detail_text(entry.action, entry.entity_type, detail, payload, english=True),
    )


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _entity_labels(
    session: Session, entries: list[AuditEntry], operators: dict[uuid.UUID, Operator]
) -> dict[int, Words]:
    """For each entry of the page, the entity it is about in words (one query per kind)."""
    ids = {e.entity_id for e in entries if e.entity_id is not None}
    people: dict[uuid.UUID, tuple[str, str]] = {}
    owners: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}  # enrolment/payment → person, what
    for row in session.execute(
        select(Enrolment.id, Enrolment.person_id, Enrolment.scheme).where(Enrolment.id.in_(ids))
    ):
        owners[row.id] = (row.person_id, row.scheme)
    for row in session.execute(
        select(Payment.id, Payment.person_id, Payment.receipt_number, Payment.voucher_number).where(
            Payment.id.in_(ids)
        )
    ):
        owners[row.id] = (row.person_id, row.receipt_number or row.voucher_number or "")
    wanted_people = ids | {person for person, _ in owners.values()}
    for row in session.execute(
        select(Person.id, Person.name, Person.id_number).where(Person.id.in_(wanted_people))
    ):
        people[row.id] = (row.name, mask_id_number(row.id_number))
    employers = dict(
        session.execute(select(Employer.id, Employer.name).where(Employer.id.in_(ids))).all()
    )
    labels: dict[int, Words] = {}
    for entry in entries:
        kind = words(ENTITY_LABELS, entry.entity_type)
        if entry.entity_type == "setting":
            key = str(entry.detail.get("key"))
            labels[entry.seq] = (
                f"{kind[0]} {setting_label(key)}",
                f"{kind[1]}: {setting_label(key, True)}",
            )
            continue
        if entry.entity_id is None:
            continue
        if entry.entity_id in people:
            name, masked = people[entry.entity_id]
            labels[entry.seq] = (f"{kind[0]} {name}（{masked}）", f"{kind[1]} {name} ({masked})")
        elif entry.entity_id in owners:
            person, what = owners[entry.entity_id]
            name = people.get(person, ("", ""))[0]
            if entry.entity_type == "enrolment":
                zh, en = value_text("scheme", what), value_text("scheme", what, True)
            else:
                zh = en = what
            labels[entry.seq] = (f"{kind[0]} {name} {zh}", f"{kind[1]} {name} {en}")
        elif entry.entity_type == "operator" and entry.entity_id in operators:
            shown = operators[entry.entity_id].display_name
            labels[entry.seq] = (f"{kind[0]} {shown}", f"{kind[1]} {shown}")
        elif entry.entity_id in employers:
            labels[entry.seq] = (
                f"{kind[0]} {employers[entry.entity_id]}",
                f"{kind[1]} {employers[entry.entity_id]}",
            )
    return labels

"""Sync status for the status bar and CLI, and the queue of rejected and conflicting records.

Resolutions, each one transaction with an audit row:
- ``resubmit``: send the entity's current state again (after the clerk fixed it); for a
  conflict this is a supervisor's "keep ours", written over the county's version;
- ``accept_server``: a supervisor takes the county's copy (for a duplicate ID number this
  merges the local person into the county's record, re-pointing its enrolments and payments);
- ``dismiss``: a supervisor closes an entry that needs nothing more (with a note).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from caseworker.domain.codes import label_or_code
from caseworker.domain.coverage import coverage_id, line_codes
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.actor import Actor, Role
from caseworker.services.errors import NotFound, PermissionDenied, ServiceError
from caseworker.services.journal import audit, record_change
from caseworker.services.sync_guard import guardrail_status
from caseworker.store.database import Database
from caseworker.store.models import (
    CoverageStatus,
    CoverageSurveyEntry,
    Enrolment,
    OutboxEntry,
    Payment,
    Person,
    SyncBatch,
    SyncLink,
    SyncResolution,
)
from caseworker.store.search_index import index_person
from caseworker.store.wire import WIRE, apply_fields

# From the one wire table: each entity's model, and the fields a county copy may set.
MODELS: dict[str, Any] = {kind: wire.model for kind, wire in WIRE.items()}
FIELDS: dict[str, tuple[str, ...]] = {
    kind: wire.fields for kind, wire in WIRE.items() if wire.applies
}


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    sending: int
    accepted: int
    rejected: int
    conflict: int
    open_issues: int
    batches_waiting: int
    registered: bool
    server_url: str | None
    last_success: datetime | None
    last_error: str | None
    clock_skew_seconds: int | None
    guardrail: str
    guardrail_message: str
    guardrail_message_en: str = ""


@dataclass(frozen=True)
class QueueItem:
    seq: int
    outbox_id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    state: str
    code: str | None
    message: str | None
    server_version: int | None
    server_copy: dict[str, Any] | None
    created_at: datetime
    summary: str
    # Another centre's record: who owns it (``not_owner``), and for a duplicate ID number
    # the masked identity the county gave (``registered_elsewhere``): centre_code,
    # centre_name, id_number_masked, name_masked, schemes, person_id.
    owner: dict[str, Any] | None = None
    elsewhere: dict[str, Any] | None = None
    # What the record names in code, for screens to put in their own language: the scheme
    # (enrolment, survey entry), or the line and status of a coverage record.
    codes: dict[str, str] | None = None

    @property
    def can_request_transfer(self) -> bool:
        return self.code == "registered_elsewhere" and self.elsewhere is not None


@dataclass(frozen=True)
class BatchRow:
    id: uuid.UUID
    sealed_at: datetime
    records: int
    state: str
    attempts: int
    last_error: str | None
    answered_at: datetime | None


def unresolved() -> Any:
    return ~exists().where(SyncResolution.outbox_seq == OutboxEntry.seq)


def sync_status(database: Database) -> SyncStatus:
    with database.reading() as session:
        counts = {
            s: n
            for s, n in session.execute(
                select(OutboxEntry.sync_state, func.count()).group_by(OutboxEntry.sync_state)
            )
        }
        issues = session.scalar(
            select(func.count()).where(
                OutboxEntry.sync_state.in_(("rejected", "conflict")), unresolved()
            )
        )
        waiting = session.scalar(
            select(func.count()).select_from(SyncBatch).where(SyncBatch.state == "sealed")
        )
        link = session.get(SyncLink, 1)
        waiting_records = counts.get("pending", 0) + counts.get("sending", 0)
        guard = guardrail_status(session, pending=waiting_records)
    return SyncStatus(
        pending=counts.get("pending", 0),
        sending=counts.get("sending", 0),
        accepted=counts.get("accepted", 0),
        rejected=counts.get("rejected", 0),
        conflict=counts.get("conflict", 0),
        open_issues=issues or 0,
        batches_waiting=waiting or 0,
        registered=bool(link and link.registered_at),
        server_url=link.server_url if link else None,
        last_success=link.last_success_at if link else None,
        last_error=link.last_error if link else None,
        clock_skew_seconds=link.clock_skew_seconds if link else None,
        guardrail=guard.level,
        guardrail_message=guard.message,
        guardrail_message_en=guard.message_en,
    )


def recent_batches(database: Database, limit: int = 100) -> list[BatchRow]:
    with database.reading() as session:
        rows = session.scalars(select(SyncBatch).order_by(SyncBatch.sealed_at.desc()).limit(limit))
        return [
            BatchRow(
                b.id, b.sealed_at, b.record_count, b.state, b.attempts, b.last_error, b.answered_at
            )
            for b in rows
        ]


def _details(entry: OutboxEntry) -> tuple[str | None, int | None, dict[str, Any] | None]:
    if (
        entry.sync_state in ("conflict", "rejected")
        and entry.result_message
        and entry.result_message.startswith("{")
    ):
        data = json.loads(entry.result_message)
        return data.get("message"), data.get("server_version"), data.get("server_copy")
    return entry.result_message, None, None


def _ownership(entry: OutboxEntry) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Who owns the record, and the masked duplicate, as the county answered them."""
    text = entry.result_message
    if entry.sync_state not in ("conflict", "rejected") or not text or not text.startswith("{"):
        return None, None
    data = json.loads(text)
    return data.get("owner"), data.get("elsewhere")


def _summary(entry: OutboxEntry) -> str:
    p = entry.payload
    if entry.entity_type == "coverage":
        # Which line and what it says (the person is named on the Sync page's detail).
        line = label_or_code("coverage_line", str(p.get("line")))
        return f"{line}：{label_or_code('coverage_status', str(p.get('status')))}"
    if entry.entity_type == "payment" and p.get("receipt_number"):
        # A receipt may carry several lines: the line says which of them was refused.
        line = p.get("receipt_line") or 1
        return f"{p['receipt_number']} · {line}" if line != 1 else str(p["receipt_number"])
    for key in ("name", "receipt_number", "scheme", "credit_code", "address_detail"):
        if p.get(key):
            return str(p[key])
    return str(entry.entity_id)


def _codes(entry: OutboxEntry) -> dict[str, str] | None:
    p = entry.payload
    names = ("line", "status") if entry.entity_type == "coverage" else ("scheme",)
    if entry.entity_type not in ("coverage", "enrolment", "survey_entry"):
        return None
    return {name: str(p[name]) for name in names if p.get(name)} or None


def queue(database: Database) -> list[QueueItem]:
    """Rejected and conflicting entries nobody has resolved yet, oldest first."""
    with database.reading() as session:
        entries = session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.sync_state.in_(("rejected", "conflict")), unresolved())
            .order_by(OutboxEntry.seq)
        ).all()
        items = []
        for e in entries:
            message, version, copy = _details(e)
            owner, elsewhere = _ownership(e)
            items.append(
                QueueItem(
                    e.seq,
                    e.id,
                    e.entity_type,
                    e.entity_id,
                    e.sync_state,
                    e.result_code,
                    message,
                    version,
                    copy,
                    e.created_at,
                    _summary(e),
                    owner,
                    elsewhere,
                    _codes(e),
                )
            )
        return items


def _open_entry(session: Session, seq: int) -> OutboxEntry:
    entry = session.get(OutboxEntry, seq)
    if entry is None or entry.sync_state not in ("rejected", "conflict"):
        raise NotFound(
            "sync_issue", f"没有待处理的第{seq}号同步问题。", f"No open sync issue {seq}."
        )
    if session.get(SyncResolution, seq) is not None:
        raise ServiceError(
            "already_resolved",
            f"第{seq}号同步问题已处理。",
            f"Sync issue {seq} is already resolved.",
        )
    return entry


def _require_supervisor(actor: Actor, entry: OutboxEntry) -> None:
    if entry.sync_state == "conflict" and actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(
            "forbidden", "冲突记录须由审核员处理。", "Conflicts are resolved by a supervisor."
        )


def _resolve(
    session: Session,
    actor: Actor,
    entry: OutboxEntry,
    action: str,
    new_id: uuid.UUID | None,
    note: str | None,
) -> None:
    session.add(
        SyncResolution(
            outbox_seq=entry.seq,
            action=action,
            resolved_by=actor.operator_id,
            new_outbox_id=new_id,
            note=note,
        )
    )
    audit(
        session,
        actor,
        action=f"sync.{action}",
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        detail={"outbox_seq": entry.seq, "code": entry.result_code, "note": note},
    )


def _current_payload(row: Any, entity_type: str) -> dict[str, Any]:
    return WIRE[entity_type].snapshot(row)


def _local_row(session: Session, entry: OutboxEntry) -> Any:
    """The row an outbox entry changed. A coverage status is keyed by (person, line) here
    and by ``coverage_id(person, line)`` on the wire: its entry's payload names the key."""
    if entry.entity_type == "coverage":
        try:
            person_id = uuid.UUID(str(entry.payload.get("person_id")))
        except ValueError:
            return None
        row = session.get(CoverageStatus, (person_id, entry.payload.get("line")))
        return row if row is not None and row.id == entry.entity_id else None
    return session.get(MODELS[entry.entity_type], entry.entity_id)


def resubmit(database: Database, actor: Actor, seq: int) -> uuid.UUID:
    """Queue the entity's current state again; returns the new outbox entry's id."""
    with database.writing() as session:
        entry = _open_entry(session, seq)
        _require_supervisor(actor, entry)
        newer = session.scalar(
            select(OutboxEntry.id).where(
                OutboxEntry.entity_id == entry.entity_id,
                OutboxEntry.seq > entry.seq,
                OutboxEntry.sync_state.in_(("pending", "sending", "accepted")),
            )
        )
        if newer is not None:  # the clerk's correction is already on its way
            _resolve(session, actor, entry, "resubmitted", newer, "superseded by a later change")
            return newer
        row = _local_row(session, entry)
        if row is None:
            raise NotFound("entity", "本机已没有这条记录。", "The record no longer exists here.")
        _, server_version, _ = _details(entry)
        if server_version is not None and hasattr(row, "version") and row.version <= server_version:
            row.version = server_version + 1  # "keep ours": write over the county's version
        operation = entry.operation if entry.entity_type == "payment" else "upsert"
        outbox = record_change(
            session,
            actor,
            action=f"{entry.entity_type}.resubmit",
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            operation=operation,
            payload=_current_payload(row, entry.entity_type),
        )
        _resolve(session, actor, entry, "resubmitted", outbox.id, None)
        return outbox.id


def dismiss(database: Database, actor: Actor, seq: int, note: str) -> None:
    if len(note.strip()) < 2:
        raise ServiceError(
            "note_required", "请写明不再处理的原因。", "Say why the issue needs no action."
        )
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(
            "forbidden", "只有审核员可以关闭同步问题。", "Only a supervisor may dismiss."
        )
    with database.writing() as session:
        _resolve(session, actor, _open_entry(session, seq), "dismissed", None, note.strip())


# What a status row holds of its own (the rest is the key, or copied from the person).
_COVERAGE_OWN = (
    "status",
    "scheme",
    "reason",
    "insured_where",
    "as_of",
    "valid_until",
    "source",
    "operator_id",
    "note",
    "version",
    "updated_at",
)


def _merge_person(session: Session, local: Person, server_id: uuid.UUID) -> Person:
    """The county knows this person under another id: move our rows onto that id."""
    if session.get(Person, server_id) is not None:
        raise ServiceError(
            "merge_blocked",
            "县级记录已在本机存在，请联系技术支持。",
            "The county's person already exists here.",
        )
    old_id = local.id
    twin = Person(id=server_id)
    for name in PERSON_FIELDS:
        setattr(twin, name, getattr(local, name))
    twin.version, twin.created_by = local.version, local.created_by
    local.id_number = f"~{str(old_id)[:16]}"  # free the unique ID number for the twin
    session.flush()
    session.add(twin)
    index_person(session, twin, is_new=True)
    session.flush()
    for model in (Enrolment, Payment, CoverageSurveyEntry):
        session.execute(update(model).where(model.person_id == old_id).values(person_id=server_id))
    # The twin got fresh rows (status unknown) from the triggers; it takes ours over.
    for line in line_codes():
        ours = session.get(CoverageStatus, (old_id, line))
        theirs = session.get(CoverageStatus, (server_id, line))
        if ours is not None and theirs is not None:
            for name in _COVERAGE_OWN:
                setattr(theirs, name, getattr(ours, name))
    # The collections still hold the moved rows; reload them (now empty) before deleting.
    session.expire(local, ["enrolments", "payments"])
    session.delete(local)
    session.flush()
    return twin


def accept_server(database: Database, actor: Actor, seq: int) -> None:
    """Take the county's copy over ours (supervisors)."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(
            "forbidden", "采用县级记录须由审核员操作。", "A supervisor accepts the county's copy."
        )
    with database.writing() as session:
        entry = _open_entry(session, seq)
        _, version, copy = _details(entry)
        if copy is None or version is None:
            raise ServiceError(
                "no_server_copy",
                "这条记录没有县级副本可采用。",
                "There is no county copy to accept.",
            )
        row = _local_row(session, entry)
        server_id = uuid.UUID(str(copy["id"]))
        if row is not None and entry.entity_type == "person" and server_id != row.id:
            old_id = row.id
            row = _merge_person(session, row, server_id)
            requeue_merged_coverage(
                session, actor, old_id, row.id, "merged onto the county's person"
            )
        if row is not None and entry.entity_type in FIELDS:
            with session.no_autoflush:
                apply_fields(session, row, copy, FIELDS[entry.entity_type])
            row.version = version
            if entry.entity_type == "person":
                index_person(session, row)
        _resolve(session, actor, entry, "accepted_server", None, None)


def resolve_entries_of(
    session: Session, actor: Actor, entity_id: uuid.UUID, action: str, note: str
) -> int:
    """Close every open issue of one entity (e.g. a person merged after a transfer)."""
    entries = session.scalars(
        select(OutboxEntry).where(
            OutboxEntry.entity_id == entity_id,
            OutboxEntry.sync_state.in_(("rejected", "conflict")),
            unresolved(),
        )
    ).all()
    for entry in entries:
        _resolve(session, actor, entry, action, None, note)
    return len(entries)


def requeue_person_records(
    session: Session, actor: Actor, person_id: uuid.UUID, note: str, *, with_person: bool = False
) -> int:
    """Send again the person's enrolments, payments, survey entries and coverage statuses the
    county refused
    (e.g. ``not_owner`` before a transfer, or ``unknown_person`` before a merge), and with
    ``with_person`` the person's own refused change (its current state)."""
    requeued = 0
    kinds = ("person", "enrolment", "payment", "survey_entry", "coverage")
    for kind in kinds if with_person else kinds[1:]:
        model = MODELS[kind]
        if kind == "person":
            ids = [person_id]
        elif kind == "coverage":
            ids = [coverage_id(person_id, line) for line in line_codes()]
        else:
            ids = list(session.scalars(select(model.id).where(model.person_id == person_id)))
        if not ids:
            continue
        entries = session.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.entity_id.in_(ids),
                OutboxEntry.sync_state.in_(("rejected", "conflict")),
                unresolved(),
            )
            .order_by(OutboxEntry.seq)
        ).all()
        latest: dict[uuid.UUID, OutboxEntry] = {}
        for entry in entries:
            latest[entry.entity_id] = entry
        for entity_id, entry in latest.items():
            row = _local_row(session, entry)
            if row is None:
                continue
            outbox = record_change(
                session,
                actor,
                action=f"{kind}.resubmit",
                entity_type=kind,
                entity_id=entity_id,
                operation=entry.operation if kind == "payment" else "upsert",
                payload=_current_payload(row, kind),
                detail={"note": note},
            )
            requeued += 1
            for old in entries:
                if old.entity_id == entity_id:
                    _resolve(session, actor, old, "resubmitted", outbox.id, note)
    return requeued


def requeue_merged_coverage(
    session: Session, actor: Actor, old_id: uuid.UUID, person_id: uuid.UUID, note: str
) -> int:
    """After a merge the person's statuses go up under the county's id
    (``coverage_id(person, line)`` changes with the person): the refused entries under the
    old id are closed, and each status this centre has written is sent again."""
    requeued = 0
    for line in line_codes():
        old_entries = session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity_id == coverage_id(old_id, line),
                OutboxEntry.sync_state.in_(("rejected", "conflict")),
                unresolved(),
            )
        ).all()
        row = session.get(CoverageStatus, (person_id, line))
        if not old_entries or row is None or row.version == 0:
            for old in old_entries:
                _resolve(session, actor, old, "dismissed", None, note)
            continue
        outbox = record_change(
            session,
            actor,
            action="coverage.resubmit",
            entity_type="coverage",
            entity_id=row.id,
            operation="upsert",
            payload=_current_payload(row, "coverage"),
            detail={"note": note},
        )
        requeued += 1
        for old in old_entries:
            _resolve(session, actor, old, "resubmitted", outbox.id, note)
    return requeued

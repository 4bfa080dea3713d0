"""The outbox and the hash-chained audit trail, written inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.wire import to_jsonable
from caseworker.services.actor import Actor
from caseworker.store.models import AuditEntry, Device, OutboxEntry, new_id

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        to_jsonable(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def audit_hash(entry: AuditEntry) -> str:
    content = {
        "id": entry.id,
        "at": entry.at,
        "operator_id": entry.operator_id,
        "operator_name": entry.operator_name,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def next_hlc(session: Session, device_id: uuid.UUID) -> int:
    """Hybrid logical clock: milliseconds << 16 plus a counter, never going backwards."""
    # Kept on the session: the identity map holds clean rows only weakly, so a plain get
    # would reload the device for every change of a large import.
    device = session.info.get("device")
    if device is None or device.id != device_id:
        device = session.info["device"] = session.get_one(Device, device_id)
    physical = int(time.time() * 1000) << 16
    value = max(physical, device.last_hlc + 1)
    device.last_hlc = value
    return value


def audit(
    session: Session,
    actor: Actor | None,
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    detail: dict[str, Any],
    operator_name: str | None = None,
) -> AuditEntry:
    # Writers are serialised (BEGIN IMMEDIATE), so the chain head read once per transaction
    # stays the head until this transaction ends.
    previous = session.info.get("audit_head")
    if previous is None:
        previous = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    entry = AuditEntry(
        id=new_id(),
        at=datetime.now(UTC),
        operator_id=actor.operator_id if actor else None,
        operator_name=actor.username if actor else (operator_name or "system"),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        detail=to_jsonable(detail),
        prev_hash=previous or GENESIS_HASH,
    )
    entry.hash = audit_hash(entry)
    session.add(entry)
    session.info["audit_head"] = entry.hash
    return entry


def record_change(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID,
    operation: str,
    payload: dict[str, Any],
    detail: dict[str, Any] | None = None,
) -> OutboxEntry:
    """The outbox row (what goes upstream) and the audit row (who did what) of one change.

    The audit row does not copy the payload: it names the outbox row and carries the
    payload's SHA-256, so the chain still proves what was written at half the size.
    """
    payload = to_jsonable(payload)
    outbox = OutboxEntry(
        id=new_id(),
        entity_type=entity_type,
        entity_id=entity_id,
        operation=operation,
        payload=payload,
        hlc=next_hlc(session, actor.device_id),
        operator_id=actor.operator_id,
    )
    session.add(outbox)
    audit(
        session,
        actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        detail={
            "outbox_id": outbox.id,
            "payload_sha256": hashlib.sha256(canonical_json(payload)).hexdigest(),
            **(detail or {}),
        },
    )
    return outbox


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None


def verify_audit_chain(session: Session) -> ChainReport:
    previous = GENESIS_HASH
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if entry.prev_hash != previous:
            return ChainReport(count, False, entry.seq, "链接断开：上一条记录被删除或替换")
        if audit_hash(entry) != entry.hash:
            return ChainReport(count, False, entry.seq, "内容被修改：哈希值不符")
        previous = entry.hash
    return ChainReport(count, True)

"""Sealing outbox entries into signed batches, and applying the county's answers.

Sealing stores the exact bytes, their SHA-256 and the Ed25519 signature *before* anything
is sent, and moves the entries to ``sending`` in the same transaction: after a crash the
same bytes go again, and the server's idempotency by batch id does the rest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import String, func, select, type_coerce, update
from sqlalchemy.orm import Session

from caseworker.domain.audit_chain import awaits_checkpoint
from caseworker.services.journal import AUDIT_COLUMNS
from caseworker.services.review import review_required, upload_candidates
from caseworker.store.database import Database
from caseworker.store.models import (
    AuditEntry,
    Centre,
    Device,
    Operator,
    OperatorKey,
    OutboxEntry,
    SyncBatch,
    SyncLink,
    new_id,
)
from caseworker.sync.protocol import (
    MAX_BATCH_AUDIT_ENTRIES,
    MAX_BATCH_BYTES,
    MAX_BATCH_RECORDS,
    PROTOCOL_VERSION,
    AuditWireEntry,
    BatchAnswer,
    ChainHead,
    OperatorKeyWire,
    RecordResult,
)

FINAL_STATES = ("accepted", "rejected", "conflict")
ACCEPTED = ("created", "updated", "already_applied")
# Room for the envelope around the records (ids, times, centre code).
ENVELOPE_BYTES = 400
# Batches sealed per transaction: each commit waits for the disk, and a save at the front
# desk waits for the transaction, so a few at a time, for a fraction of a second at most.
SEAL_GROUP = 10
SEAL_GROUP_SECONDS = 0.25


class SyncError(Exception):
    """Sync could not go on; ``message`` is for the operator, ``code`` for programs."""

    def __init__(self, code: str, message: str, message_en: str = "") -> None:
        super().__init__(message_en or message)
        self.code = code
        self.message = message
        self.message_en = message_en or message


@dataclass(frozen=True)
class Signer:
    device_id: uuid.UUID
    centre_code: str
    key: Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)


def load_signer(session: Session) -> Signer:
    device = session.scalars(select(Device).order_by(Device.created_at)).first()
    if device is None:
        raise SyncError("no_device", "本机没有设备密钥。", "This installation has no device key.")
    centre = session.get_one(Centre, device.centre_id)
    return Signer(device.id, centre.code, Ed25519PrivateKey.from_private_bytes(device.signing_key))


# The columns a sealed record carries, as the store holds them (``store.rows``: UUIDs as 32
# hex digits, times as naive UTC text, the payload as its JSON text): the record's JSON is
# put together from them, without making 500 UUIDs, payload dicts and models to write them
# out again (most of sealing's time).
RECORD_COLUMNS = (
    OutboxEntry.seq,
    type_coerce(OutboxEntry.id, String).label("id_text"),
    OutboxEntry.entity_type,
    type_coerce(OutboxEntry.entity_id, String).label("entity_id_text"),
    OutboxEntry.operation,
    OutboxEntry.hlc,
    type_coerce(OutboxEntry.operator_id, String).label("operator_id_text"),
    type_coerce(OutboxEntry.created_at, String).label("created_at_text"),
    type_coerce(OutboxEntry.payload, String).label("payload_text"),
)
# What the review's choice reads besides (it looks into payloads).
REVIEW_COLUMNS = (OutboxEntry.entity_id, OutboxEntry.payload)
# Entries are updated by key in groups of this many (well under SQLite's bound-variable limit).
CHUNK = 500


def _chunks(keys: list[int]) -> list[list[int]]:
    return [keys[start : start + CHUNK] for start in range(0, len(keys), CHUNK)]


def _set_state(session: Session, seqs: list[int], **values: object) -> None:
    """One UPDATE for many entries (objects already in the session are kept in step)."""
    for chunk in _chunks(seqs):
        session.execute(update(OutboxEntry).where(OutboxEntry.seq.in_(chunk)).values(**values))


def _dashed(hex_digits: str) -> str:
    h = hex_digits
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _record_json(entry: Any) -> str:
    """The ``Record`` of one outbox row (``RECORD_COLUMNS``), as JSON."""
    at = entry.created_at_text
    return (
        f'{{"id":"{_dashed(entry.id_text)}","seq":{int(entry.seq)},'
        f'"entity_type":{json.dumps(entry.entity_type)},'
        f'"entity_id":"{_dashed(entry.entity_id_text)}",'
        f'"operation":{json.dumps(entry.operation)},"hlc":{int(entry.hlc)},'
        f'"operator_id":"{_dashed(entry.operator_id_text)}",'
        f'"created_at":"{at[:10]}T{at[11:]}Z","payload":{entry.payload_text}}}'
    )


def _body(
    batch_id: uuid.UUID,
    signer: Signer,
    sealed_at: datetime,
    records: list[str],
    audit: str | None = None,
) -> bytes:
    # Built by hand around the records' own JSON so each record is serialised once.
    head = json.dumps(
        {
            "protocol": PROTOCOL_VERSION,
            "batch_id": str(batch_id),
            "device_id": str(signer.device_id),
            "centre_code": signer.centre_code,
            "sealed_at": sealed_at.isoformat(),
        },
        separators=(",", ":"),
    )
    tail = f',"audit":{audit}' if audit else ""
    return (head[:-1] + ',"records":[' + ",".join(records) + "]" + tail + "}").encode()


@dataclass(frozen=True)
class AuditPart:
    """The audit entries a batch carries, as JSON, and the range they cover."""

    json: str
    first_seq: int
    last_seq: int


def last_sent_audit_seq(session: Session) -> int:
    """The last audit seq a batch carried that the county has taken or may still take.

    A refused batch's entries were not stored upstream, so they go again in the next batch.
    """
    return int(
        session.scalar(
            select(func.coalesce(func.max(SyncBatch.audit_last_seq), 0)).where(
                SyncBatch.state.in_(("sealed", "answered"))
            )
        )
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def audit_part(session: Session, budget: int, start: int | None = None) -> AuditPart | None:
    """Entries after ``start`` (default: the last sent one) within ``budget`` bytes, their
    head, and the keys introduced in that range (a key is sent with the entry that precedes
    its first seq)."""
    if start is None:
        start = last_sent_audit_seq(session)
    rows = session.execute(
        select(*AUDIT_COLUMNS)
        .where(AuditEntry.seq > start)
        .order_by(AuditEntry.seq)
        .limit(MAX_BATCH_AUDIT_ENTRIES)
    ).all()
    if not rows:
        return None
    entries: list[str] = []
    size = 200  # the segment's own envelope
    last, closed = rows[0], 0  # entries up to the last one a signature closes
    for row in rows:
        text = AuditWireEntry(
            seq=row.seq,
            id=row.id,
            at=row.at,
            operator_id=row.operator_id,
            operator_name=row.operator_name,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            detail=row.detail,
            prev_hash=row.prev_hash,
            hash=row.hash,
            signature=_b64(row.signature) if row.signature is not None else None,
            signer=row.signer,
        ).model_dump_json()
        if closed and size + len(text.encode()) + 1 > budget:
            break
        entries.append(text)
        size += len(text.encode()) + 1
        if not awaits_checkpoint(row.signature, row.signer):
            closed, last = len(entries), row
    # A segment never ends inside a signed run: the county checks a run by its checkpoint.
    # (A run with no checkpoint at all is not the store's doing: it goes, and is refused.)
    if closed:
        entries = entries[:closed]
    else:
        last = rows[len(entries) - 1]
    keys = session.execute(
        select(OperatorKey.operator_id, Operator.username, OperatorKey.public_key)
        .add_columns(OperatorKey.valid_from_seq)
        .join(Operator, Operator.id == OperatorKey.operator_id)
        .where(OperatorKey.valid_from_seq > start, OperatorKey.valid_from_seq <= last.seq + 1)
        .order_by(OperatorKey.valid_from_seq)
    ).all()
    key_json = [
        OperatorKeyWire(
            operator_id=k.operator_id,
            username=k.username,
            public_key=_b64(k.public_key),
            valid_from_seq=k.valid_from_seq,
        ).model_dump_json()
        for k in keys
    ]
    head = ChainHead(seq=last.seq, hash=last.hash).model_dump_json()
    text = (
        '{"entries":['
        + ",".join(entries)
        + '],"head":'
        + head
        + ',"operator_keys":['
        + ",".join(key_json)
        + "]}"
    )
    return AuditPart(text, rows[0].seq, last.seq)


def seal_one(
    session: Session,
    signer: Signer,
    *,
    max_records: int = MAX_BATCH_RECORDS,
    audit_from: int | None = None,
) -> SyncBatch | None:
    """Seal the oldest pending entries that may go (approved, while review is required: see
    ``services.review.upload_candidates``; ≤ max_records, ≤ 1 MB) and the audit entries since
    the last batch (or after ``audit_from``) into one batch; or None when there is neither.

    With records waiting, the audit entries take at most half the bytes; with none, an
    audit-only batch keeps the county's copy of the chain head moving.
    """
    # Approved entries only, while the centre requires review (and none before what it needs).
    columns = RECORD_COLUMNS + (REVIEW_COLUMNS if review_required(session) else ())
    entries = upload_candidates(session, columns, max_records)
    audit_budget = MAX_BATCH_BYTES // 2 if entries else MAX_BATCH_BYTES - 2 * ENVELOPE_BYTES
    audit = audit_part(session, audit_budget, audit_from)
    if not entries and audit is None:
        return None
    records: list[str] = []
    size = ENVELOPE_BYTES + (len(audit.json.encode()) + 10 if audit else 0)
    for entry in entries:
        text = _record_json(entry)
        if (records or audit) and size + len(text.encode()) + 1 > MAX_BATCH_BYTES:
            break
        records.append(text)
        size += len(text.encode()) + 1
    if size > MAX_BATCH_BYTES:
        raise SyncError(
            "record_too_large",
            f"第{entries[0].seq}号待上传记录超过1MB，无法上传。",
            f"Outbox entry {entries[0].seq} is larger than a batch may be.",
        )
    sealed = entries[: len(records)]
    batch_id = new_id()
    sealed_at = datetime.now(UTC)
    body = _body(batch_id, signer, sealed_at, records, audit.json if audit else None)
    batch = SyncBatch(
        id=batch_id,
        sealed_at=sealed_at,
        record_count=len(sealed),
        # An audit-only batch has no outbox range.
        first_seq=sealed[0].seq if sealed else 0,
        last_seq=sealed[-1].seq if sealed else 0,
        audit_first_seq=audit.first_seq if audit else None,
        audit_last_seq=audit.last_seq if audit else None,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        signature=signer.sign(body),
        state="sealed",
        attempts=0,
    )
    session.add(batch)
    session.flush()  # the next seal in this transaction starts after this batch's audit
    _set_state(session, [entry.seq for entry in sealed], sync_state="sending", batch_id=batch_id)
    return batch


def seal_pending(
    database: Database, *, max_records: int = MAX_BATCH_RECORDS, audit_from: int | None = None
) -> int:
    """Seal everything pending, a few batches per short transaction; returns batches sealed.

    ``audit_from``: send the audit entries after this seq (the head the county holds, after
    it re-anchored this device's chain), not after the last sent."""
    count = 0
    while True:
        with database.writing() as session:
            signer = load_signer(session)
            started = time.monotonic()
            for _ in range(SEAL_GROUP):
                batch = seal_one(session, signer, max_records=max_records, audit_from=audit_from)
                if batch is None:
                    return count
                count += 1
                if audit_from is not None and batch.audit_last_seq is not None:
                    audit_from = batch.audit_last_seq  # the next batch follows this one
                if time.monotonic() - started > SEAL_GROUP_SECONDS:
                    break


def unanswered(database: Database) -> list[uuid.UUID]:
    with database.reading() as session:
        return list(
            session.scalars(
                select(SyncBatch.id)
                .where(SyncBatch.state == "sealed")
                .order_by(SyncBatch.sealed_at, SyncBatch.first_seq)
            )
        )


def apply_answer(
    session: Session, batch: SyncBatch, answer: BatchAnswer, answer_bytes: bytes, via: str
) -> dict[str, int]:
    """Each record to its final state, in the caller's transaction; returns counts by state."""
    if answer.batch_id != batch.id or answer.sha256 != batch.sha256:
        raise SyncError(
            "answer_mismatch",
            "县级答复与本机批次不符（批次号或哈希值不同），未采用。",
            "The answer does not belong to this batch (id or hash differ); not applied.",
        )
    if batch.state == "answered":
        return {}
    if answer.audit_head is not None:
        confirm_county_head(session, answer.audit_head)
    counts: dict[str, int] = {}
    by_id = {r.record_id: r for r in answer.results}
    entries = session.execute(
        select(OutboxEntry.seq, OutboxEntry.id).where(OutboxEntry.batch_id == batch.id)
    ).all()
    # Entries with the same outcome (most of them: accepted, created) share one UPDATE.
    groups: dict[tuple[str, str | None, str | None], list[int]] = {}
    for entry in entries:
        result = by_id.get(entry.id)
        if result is None:
            state, code, message = "rejected", "missing_result", "县级答复中缺少这条记录的结果。"
        elif result.status in ACCEPTED:
            state, code, message = "accepted", result.status, None
        else:
            state, code = result.status, result.code
            message = result.message
            if result.server_copy is not None or result.owner or result.elsewhere:
                # What the county said travels with the entry for whoever resolves it: its
                # copy (our own centre's record), or who owns it (another centre's).
                message = json.dumps(
                    {
                        "message": result.message,
                        "server_version": result.server_version,
                        "server_copy": result.server_copy,
                    }
                    | _ownership(result),
                    ensure_ascii=False,
                )
        groups.setdefault((state, code, message), []).append(entry.seq)
        counts[state] = counts.get(state, 0) + 1
    for (state, code, message), seqs in groups.items():
        _set_state(session, seqs, sync_state=state, result_code=code, result_message=message)
    batch.state = "answered"
    batch.answer = answer_bytes
    batch.answered_at = datetime.now(UTC)
    batch.answered_via = via
    batch.last_error = None
    return counts


def _ownership(result: RecordResult) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if result.owner is not None:
        found["owner"] = result.owner.model_dump()
    if result.elsewhere is not None:
        found["elsewhere"] = result.elsewhere.model_dump(mode="json")
    return found


def confirm_county_head(session: Session, head: ChainHead) -> None:
    """Keep the head the county says it holds: ``audit verify`` compares with it offline."""
    link = session.get(SyncLink, 1) or SyncLink(id=1)
    session.add(link)
    if link.county_audit_seq is None or head.seq >= link.county_audit_seq:
        link.county_audit_seq, link.county_audit_hash = head.seq, head.hash
        link.county_audit_at = datetime.now(UTC)


def refuse_batch(
    session: Session, batch: SyncBatch, code: str, message: str, *, requeue: bool = False
) -> None:
    """The server refused the whole batch for good: its records go to the queue as rejected,
    or with ``requeue`` (the refusal was not the records' fault: the device's audit chain)
    back to pending, to be sealed again once the chain is put right."""
    batch.state = "refused"
    batch.last_error = f"{code}: {message}"
    values: dict[str, object] = {"result_code": code, "result_message": message}
    if requeue:
        values |= {"sync_state": "pending", "batch_id": None}
    else:
        values["sync_state"] = "rejected"
    session.execute(update(OutboxEntry).where(OutboxEntry.batch_id == batch.id).values(**values))


def audit_refused_last(session: Session, codes: set[str]) -> bool:
    """Whether the latest batch was refused for this device's audit chain."""
    latest = session.execute(
        select(SyncBatch.state, SyncBatch.last_error).order_by(SyncBatch.sealed_at.desc()).limit(1)
    ).first()
    return bool(
        latest and latest.state == "refused" and (latest.last_error or "").split(":", 1)[0] in codes
    )


def resend_point(session: Session, county: ChainHead) -> int | None:
    """After an audit refusal, the county's head as the point to send from, if this chain
    holds that very entry (the county re-anchored it at a shared entry); else None."""
    set_county_head(session, county)
    if county.seq == 0:
        return 0
    local = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == county.seq))
    return county.seq if local == county.hash else None


def set_county_head(session: Session, head: ChainHead) -> None:
    """The head the county says it holds now, even below the one kept (it re-anchored)."""
    link = session.get(SyncLink, 1) or SyncLink(id=1)
    session.add(link)
    link.county_audit_seq, link.county_audit_hash = head.seq, head.hash
    link.county_audit_at = datetime.now(UTC)

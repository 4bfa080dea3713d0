"""Receive a signed batch: verify it, apply and answer each record, keep the answer.

The same function serves ``PUT /v1/batches/{id}`` and ``caseworker-upstream import FILE``.
Idempotent by batch id: the same bytes again get the stored answer byte for byte; other
bytes under a known id are refused (409).

First everything the batch writes is locked, in one order (``caseworker.upstream.locks``:
concurrent uploads queue, never deadlock). Then the batch is applied in one go: its rows
read in a few queries, each record answered from memory, its writes sent set-based at the
end (per table one COPY of the new rows and one UPDATE of the changed ones; see
``caseworker.upstream.apply_stores``), under one savepoint. Records that will collide
(another person holds the ID number, and what names that person; see
``caseworker.upstream.collisions``) are cut out and applied alone, each in its own
savepoint (or none, when its write is certain to fail), so the failing record is answered
alone and the others go through; a part where a constraint fires unforeseen (an
enrolment's person missing) is rolled back and applied again in halves, down to single
records. Either way every record gets its own answer, and the same one as record by record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from caseworker.sync.protocol import (
    MAX_BATCH_BYTES,
    BatchAnswer,
    BatchUpload,
    Record,
    RecordResult,
)
from caseworker.upstream.apply import (
    Origin,
    Outcome,
    Rejected,
    apply_record,
    explain_integrity,
)
from caseworker.upstream.apply_stores import (
    AloneStore,
    BatchStore,
    Store,
    WriteWouldFail,
    among,
    insert_rows,
    raw_errors,
)
from caseworker.upstream.collisions import likely_to_collide
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.locks import lock_for_records
from caseworker.upstream.metrics import batch_applied
from caseworker.upstream.models import AppliedRecord, Batch, Centre, Device, FeedCounter
from caseworker.upstream.models import RegistryChange as RegistryChangeRow

APPLIED = AppliedRecord.__table__
BATCH = Batch.__table__
REGISTRY = RegistryChangeRow.__table__
COUNTER = FeedCounter.__table__
ACCEPTED = ("created", "updated", "already_applied")
# A part this small that still collides is applied record by record.
ALONE_BELOW = 8


class Refused(Exception):
    """The whole request is refused: HTTP status, stable code, words for people."""

    def __init__(self, status: int, code: str, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message = message
        self.message_en = message_en


def parse_device_id(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Refused(
            400, "bad_device_header", "缺少或无效的设备标识。", "Missing or malformed device id."
        ) from None


def decode_signature(value: str | None) -> bytes:
    try:
        signature = base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise Refused(
            400,
            "bad_signature_header",
            "缺少或无效的签名。",
            "Missing or malformed Ed25519 signature (64 bytes, base64).",
        )
    return signature


def verify(public_key: bytes, signature: bytes, data: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        raise Refused(
            403,
            "bad_signature",
            "签名与本设备的公钥不符：批次被篡改或不是本设备签发的。",
            "The signature does not match this device's key: the batch was altered or "
            "signed by another device.",
        ) from None


def load_device(conn: Connection, device_id: uuid.UUID) -> Any:
    device = conn.execute(select(Device.__table__).where(Device.id == device_id)).first()
    if device is None:
        raise Refused(
            403,
            "unknown_device",
            "该设备未在县级登记，请先用登记令牌注册。",
            "This device is not registered; register it with an enrolment token first.",
        )
    if device.revoked_at is not None:
        from caseworker.upstream.devices import revoked_refusal  # devices imports this module

        raise revoked_refusal(device.revoked_at)
    return device


def _stored_answer(
    conn: Connection, batch_id: uuid.UUID, sha256: str, device_id: uuid.UUID
) -> bytes | None:
    row = conn.execute(
        select(BATCH.c.sha256, BATCH.c.device_id, BATCH.c.answer).where(BATCH.c.id == batch_id)
    ).first()
    if row is None:
        return None
    if row.sha256 != sha256 or row.device_id != device_id or row.answer is None:
        raise Refused(
            409,
            "batch_id_reused",
            "该批次号已收到内容不同的批次，拒绝接收。",
            "A different batch was already received under this batch id.",
        )
    return bytes(row.answer)


def _parse(body: bytes, batch_id: uuid.UUID, device: Any) -> BatchUpload:
    try:
        upload = BatchUpload.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            raise Refused(
                422,
                "invalid_batch",
                "批次内容不是有效的 JSON，无法读取。",
                f"The batch is not valid JSON: {first['msg']}.",
            ) from None
        where = ".".join(str(part) for part in first["loc"]) or "/"
        raise Refused(
            422,
            "invalid_batch",
            f"批次格式错误：{where}：{first['msg']}",
            f"The batch is malformed at {where}: {first['msg']}",
        ) from None
    if upload.batch_id != batch_id:
        raise Refused(
            400,
            "batch_id_mismatch",
            "地址中的批次号与批次内容不一致。",
            "The batch id in the URL differs from the one in the batch.",
        )
    if upload.device_id != device.id:
        raise Refused(
            403,
            "device_mismatch",
            "批次属于另一台设备，不能由本设备提交。",
            "The batch names another device than the one that sent it.",
        )
    if upload.centre_code != device.centre_code:
        raise Refused(
            403,
            "centre_mismatch",
            "批次的服务中心与设备登记的服务中心不一致。",
            "The batch names another centre than the device is registered to.",
        )
    if len({r.id for r in upload.records}) != len(upload.records):
        raise Refused(
            422, "duplicate_record", "批次中有重复的记录。", "The batch repeats a record id."
        )
    return upload


def append_feed(conn: Connection, name: str, count: int) -> int:
    """Reserve ``count`` cursor values; the row lock is held to commit, so cursors commit in order."""
    conn.execute(
        update(COUNTER).where(COUNTER.c.name == name).values(value=COUNTER.c.value + count)
    )
    return int(conn.scalar(select(COUNTER.c.value).where(COUNTER.c.name == name))) - count


class _StartOver(Exception):
    """The batch cannot be applied in one go; roll back and apply it record by record."""


def _outcome(store: Store, record: Record, origin: Origin) -> Outcome:
    try:
        return apply_record(store, record, origin)
    except Rejected as rejected:
        return Outcome("rejected", rejected.code, rejected.message)


def _apply_together(conn: Connection, records: list[Record], origin: Origin) -> list[Outcome]:
    """The fast path: the part's rows read in a few queries, its writes sent set-based (a
    few statements per table), one savepoint for all. Raises ``_StartOver`` (everything
    undone) if a constraint fires."""
    store = BatchStore(conn, records)
    integrity = (IntegrityError, conn.dialect.dbapi.IntegrityError)  # type: ignore[union-attr]
    outcomes: list[Outcome] = []
    savepoint = conn.begin_nested()
    try:
        with raw_errors(conn):
            for record in records:
                writes = store.writes
                outcome = _outcome(store, record, origin)
                if outcome.status == "rejected" and store.writes != writes:
                    raise _StartOver  # (no applier rejects after writing; if one ever did)
                outcomes.append(outcome)
            store.flush()
    except (_StartOver, *integrity) as error:
        savepoint.rollback()
        raise _StartOver from error
    finally:
        store.close()
    savepoint.commit()
    return outcomes


def _apply_alone(conn: Connection, record: Record, origin: Origin) -> Outcome:
    """The record-by-record path: its own savepoint (from its first write), its own queries."""
    store = AloneStore(conn)
    try:
        outcome = apply_record(store, record, origin)
        store.commit()
    except (IntegrityError, WriteWouldFail):
        store.rollback()
        try:
            outcome = explain_integrity(conn, record, origin)
        except Rejected as rejected:
            outcome = Outcome("rejected", rejected.code, rejected.message)
    except Rejected as rejected:
        store.rollback()
        outcome = Outcome("rejected", rejected.code, rejected.message)
    return outcome


def _apply_in_parts(conn: Connection, records: list[Record], origin: Origin) -> list[Outcome]:
    """All together when nothing collides; otherwise each half the same way, down to a few
    records applied alone. The parts go in record order and each ends as if applied
    record by record, so the answers are the same."""
    try:
        return _apply_together(conn, records, origin) if records else []
    except _StartOver:
        if len(records) <= ALONE_BELOW:
            return [_apply_alone(conn, record, origin) for record in records]
        middle = len(records) // 2
        return _apply_in_parts(conn, records[:middle], origin) + _apply_in_parts(
            conn, records[middle:], origin
        )


def _apply_cut(conn: Connection, records: list[Record], origin: Origin) -> list[Outcome]:
    """The records that will collide applied alone, the runs between them together."""
    colliding = likely_to_collide(conn, records)
    outcomes: list[Outcome] = []
    run: list[Record] = []
    for record in records:
        if record.id in colliding:
            outcomes += _apply_in_parts(conn, run, origin)
            outcomes.append(_apply_alone(conn, record, origin))
            run = []
        else:
            run.append(record)
    return outcomes + _apply_in_parts(conn, run, origin)


def _apply_all(
    conn: Connection, upload: BatchUpload, origin: Origin
) -> tuple[list[RecordResult], list]:
    ids = [r.id for r in upload.records]
    done = set()
    for start in range(0, len(ids), 500):
        done.update(
            conn.scalars(
                select(APPLIED.c.record_id).where(
                    among(conn, APPLIED.c.record_id, ids[start : start + 500])
                )
            )
        )
    todo = [r for r in upload.records if r.id not in done]
    # Everything the batch writes locked first, in one order: uploads queue, never deadlock.
    lock_for_records(conn, todo)
    # All at once when nothing collides. Records that will (an ID number held by another
    # person, and what names that person) are applied alone, each in its own savepoint, so
    # the failing one is answered alone; a part that collides unforeseen is undone and
    # applied again in halves, down to single records.
    outcomes = _apply_cut(conn, todo, origin)
    by_record = dict(zip([r.id for r in todo], outcomes, strict=True))
    results: list[RecordResult] = []
    registry: list = []
    applied: list[dict[str, Any]] = []
    for record in upload.records:
        outcome = by_record.get(record.id) or Outcome("already_applied")
        if record.id in by_record and outcome.status in ACCEPTED:
            applied.append(
                {
                    "record_id": record.id,
                    "batch_id": upload.batch_id,
                    "entity_type": record.entity_type,
                    "entity_id": record.entity_id,
                    "status": outcome.status,
                }
            )
        registry.extend(outcome.registry)
        results.append(
            # Built from our own values: no need to validate each again (500 a batch).
            RecordResult.model_construct(
                record_id=record.id,
                entity_type=record.entity_type,
                entity_id=record.entity_id,
                status=outcome.status,  # type: ignore[arg-type]
                code=outcome.code,
                message=outcome.message,
                server_version=outcome.server_version,
                server_copy=outcome.server_copy,
                owner=outcome.owner,
                elsewhere=outcome.elsewhere,
            )
        )
    # One round trip for the whole batch; the key still makes each record once.
    insert_rows(conn, APPLIED, applied)
    return results, registry


def receive_batch(
    db: UpstreamDb,
    batch_id: uuid.UUID,
    body: bytes,
    device_header: str | None,
    signature_header: str | None,
    *,
    via: str = "http",
) -> bytes:
    """Verify and apply one batch; returns the answer's exact bytes (stored for repeats)."""
    if len(body) > MAX_BATCH_BYTES:
        raise Refused(
            413,
            "batch_too_large",
            f"批次超过 {MAX_BATCH_BYTES} 字节。",
            f"The batch is larger than {MAX_BATCH_BYTES} bytes.",
        )
    device_id = parse_device_id(device_header)
    signature = decode_signature(signature_header)
    sha256 = hashlib.sha256(body).hexdigest()
    with db.reading() as session:
        conn = session.connection()
        device = load_device(conn, device_id)
        verify(device.public_key, signature, body)
        stored = _stored_answer(conn, batch_id, sha256, device_id)
    if stored is not None:
        return stored
    upload = _parse(body, batch_id, device)
    try:
        with db.writing() as session:
            conn = session.connection()
            # Revoked while this request was on its way: refused, nothing written.
            from caseworker.upstream.devices import hold_device

            hold_device(conn, device_id)
            township = conn.scalar(
                select(Centre.township_code).where(Centre.code == device.centre_code)
            )
            origin = Origin(device.centre_code, township)
            now = datetime.now(UTC)
            # The batch row first: a concurrent upload of the same id waits here, then fails.
            conn.execute(
                insert(BATCH).values(
                    id=batch_id,
                    device_id=device_id,
                    centre_code=device.centre_code,
                    sha256=sha256,
                    byte_count=len(body),
                    record_count=len(upload.records),
                    received_at=now,
                    via=via,
                    counts={},
                )
            )
            # The device's audit chain first: a batch that does not continue it is refused
            # whole, records included (audit_chain imports Refused from here, hence late).
            from caseworker.upstream.audit_chain import accept_segment

            audit_head = accept_segment(conn, device, upload.audit)
            results, registry = _apply_all(conn, upload, origin)
            if registry:
                first = append_feed(conn, "registry", len(registry))
                insert_rows(
                    conn,
                    REGISTRY,
                    [
                        {
                            "seq": first + n + 1,
                            "entity_type": kind,
                            "entity_id": entity_id,
                            "version": version,
                            "township_code": township_code,
                            "centre_code": device.centre_code,
                            "payload": payload,
                        }
                        for n, (kind, entity_id, version, township_code, payload) in enumerate(
                            registry
                        )
                    ],
                )
            answer = (
                BatchAnswer(
                    batch_id=batch_id,
                    device_id=device_id,
                    sha256=sha256,
                    received_at=now,
                    results=results,
                    audit_head=audit_head,
                )
                .model_dump_json(exclude_none=True)
                .encode()
            )
            counts: dict[str, int] = {}
            for result in results:
                counts[result.status] = counts.get(result.status, 0) + 1
            conn.execute(
                update(BATCH).where(BATCH.c.id == batch_id).values(answer=answer, counts=counts)
            )
            conn.execute(
                update(Device.__table__).where(Device.id == device_id).values(last_seen_at=now)
            )
    except IntegrityError:
        # Another request stored this batch id first (a client retry racing its original).
        with db.reading() as session:
            stored = _stored_answer(session.connection(), batch_id, sha256, device_id)
        if stored is None:
            raise
        return stored
    batch_applied(via, counts)  # committed: counted once (a replay returned above)
    return answer

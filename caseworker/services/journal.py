"""The outbox and the hash-chained audit trail, written inside the caller's transaction."""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.audit_chain import (
    DEVICE_SIGNER,
    GENESIS_HASH,
    SignedRuns,
    canonical_json,
    hash_of,
    key_at,
    new_entry,
    plain_canonical_json,
    signature_valid,
    signer_of,
    to_jsonable,
)
from caseworker.services.actor import Actor
from caseworker.store.models import AuditEntry, Device, Operator, OperatorKey, OutboxEntry, new_id

if TYPE_CHECKING:
    from caseworker.store.keys import KeyFile

__all__ = ["GENESIS_HASH", "canonical_json", "to_jsonable"]  # re-exported for older callers


def audit_hash(entry: AuditEntry) -> str:
    return hash_of(entry)


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
    if actor is not None and actor.by_sync:
        detail = {**detail, "on_behalf_of": actor.username}
        operator_name, actor = "sync", None
    key, signer = _signing_key(session, actor)
    entry = AuditEntry(
        **new_entry(
            key,
            signer,
            id=new_id(),
            prev_hash=previous or GENESIS_HASH,
            operator_id=actor.operator_id if actor else None,
            operator_name=actor.username if actor else (operator_name or "system"),
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            detail=detail,
        )
    )
    session.add(entry)
    session.info["audit_head"] = entry.hash
    return entry


def _signing_key(session: Session, actor: Actor | None) -> tuple[Ed25519PrivateKey, str]:
    """The acting operator's key; entries without an operator are signed by the device key.

    The device key lives in the database, so a device signature proves less: someone with the
    database key can make one. Only bookkeeping (sync pulls) is signed that way.
    """
    if actor is not None:
        if actor.signing_key is None:
            raise ValueError(f"operator {actor.username} has no signing key unwrapped")
        return actor.signing_key, str(actor.operator_id)
    key = session.info.get("device_signing_key")
    if key is None:
        device = session.scalars(select(Device).order_by(Device.created_at)).first()
        if device is None:
            raise ValueError("no device key to sign with")
        key = session.info["device_signing_key"] = Ed25519PrivateKey.from_private_bytes(
            device.signing_key
        )
    return key, DEVICE_SIGNER


def next_audit_seq(session: Session) -> int:
    """The seq the next audit entry gets (seqs are contiguous: writers are serialised)."""
    session.flush()
    return int(session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))) + 1


def record_operator_key(
    session: Session, operator_id: uuid.UUID, public_key: bytes, valid_from_seq: int
) -> None:
    """Append to the key history; old keys stay to verify the entries they signed."""
    session.add(
        OperatorKey(operator_id=operator_id, public_key=public_key, valid_from_seq=valid_from_seq)
    )


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
        detail=change_detail(outbox.id, payload, detail),
    )
    return outbox


def change_detail(
    outbox_id: uuid.UUID, payload: dict[str, Any], detail: dict[str, Any] | None
) -> dict[str, Any]:
    """What the audit entry of a change holds: the outbox row it names and the payload's hash.
    ``payload`` is plain JSON already (``to_jsonable``), as the outbox row stores it."""
    return {
        "outbox_id": outbox_id,
        "payload_sha256": hashlib.sha256(plain_canonical_json(payload)).hexdigest(),
        **(detail or {}),
    }


@dataclass(frozen=True)
class ChainReport:
    """What ``audit verify`` found; the first bad entry is named with when, who and what."""

    entries: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None
    problem_en: str | None = None
    first_bad_at: datetime | None = None
    first_bad_operator: str | None = None
    first_bad_action: str | None = None
    unsigned: int = 0  # entries written before signing keys existed (not forgeries)
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


AUDIT_COLUMNS = (  # an entry as verified and as sent upstream
    AuditEntry.seq,
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.operator_id,
    AuditEntry.operator_name,
    AuditEntry.action,
    AuditEntry.entity_type,
    AuditEntry.entity_id,
    AuditEntry.detail,
    AuditEntry.prev_hash,
    AuditEntry.hash,
    AuditEntry.signature,
    AuditEntry.signer,
)


def operator_keys(session: Session) -> dict[uuid.UUID, list[tuple[int, bytes]]]:
    """Each operator's key history, oldest first: (valid_from_seq, public key)."""
    history: dict[uuid.UUID, list[tuple[int, bytes]]] = {}
    rows = session.execute(
        select(
            OperatorKey.operator_id, OperatorKey.valid_from_seq, OperatorKey.public_key
        ).order_by(OperatorKey.operator_id, OperatorKey.valid_from_seq)
    )
    for operator_id, valid_from, public_key in rows:
        history.setdefault(operator_id, []).append((valid_from, bytes(public_key)))
    return history


def _bad(count: int, row: Any, unsigned: int, problem: str, problem_en: str) -> ChainReport:
    return ChainReport(
        count,
        False,
        row.seq,
        problem,
        problem_en,
        row.at,
        row.operator_name,
        row.action,
        unsigned,
    )


@dataclass(frozen=True)
class _Mismatch:
    operator_id: uuid.UUID
    username: str
    public_key: bytes  # the one in the key slot: the operator's real key
    valid_from_seq: int


def _key_file_mismatch(
    session: Session, key_file: KeyFile, history: dict[uuid.UUID, list[tuple[int, bytes]]]
) -> _Mismatch | None:
    """An operator whose current key in the database is not the one in their key slot."""
    for username in key_file.operators():
        in_file = key_file.public_key(username)
        if in_file is None:
            continue  # a version-1 slot: this operator has not logged in since the upgrade
        operator = session.scalar(
            select(Operator).where(func.lower(Operator.username) == username.lower())
        )
        if operator is None:
            continue
        keys = history.get(operator.id, [])
        if not keys or keys[-1] != (in_file[1], in_file[0]):
            return _Mismatch(operator.id, operator.username, in_file[0], in_file[1])
    return None


def verify_audit_chain(session: Session, key_file: KeyFile | None = None) -> ChainReport:
    """Hash chain, contiguous seqs, each signature against its signer's key at that seq (a
    bulk write's run of entries by its signed checkpoint: ``SignedRuns``), and (given the key
    file) each operator's current key in the database against their key slot.

    Entries without a signature are accepted only before the first signed one and, given the
    key file, below the lowest seq any slot signs from: stripping signatures is not a way out.
    """
    history = operator_keys(session)
    device = session.scalars(select(Device).order_by(Device.created_at)).first()
    device_key = bytes(device.public_key) if device is not None else b""
    floor = key_file.signing_key_floor() if key_file is not None else None
    mismatch = _key_file_mismatch(session, key_file, history) if key_file is not None else None
    previous, previous_seq, count, unsigned, signed_seen = GENESIS_HASH, 0, 0, 0, False
    runs, last = SignedRuns(), None
    for row in session.execute(select(*AUDIT_COLUMNS).order_by(AuditEntry.seq)):
        count += 1
        if row.seq != previous_seq + 1:
            return _bad(
                count,
                row,
                unsigned,
                f"序号不连续：第{previous_seq + 1}至{row.seq - 1}条记录不见了",
                f"Entries {previous_seq + 1}-{row.seq - 1} are missing",
            )
        if row.prev_hash != previous:
            return _bad(
                count,
                row,
                unsigned,
                "链接断开：上一条记录被删除或替换",
                "Broken link: the entry before was deleted or replaced",
            )
        if hash_of(row) != row.hash:
            return _bad(
                count, row, unsigned, "内容被修改：哈希值不符", "Content altered: hash differs"
            )
        in_run, problem = runs.see(
            row.operator_id, row.action, row.detail, row.signature, row.signer
        )
        if problem is None and not in_run:
            problem = _signature_problem(row, history, device_key, signed_seen, floor)
        if problem is not None:
            return _bad(count, row, unsigned, *problem)
        if row.signature is None and not in_run:
            unsigned += 1
        else:
            signed_seen = True
        if (
            mismatch is not None
            and not in_run  # a run is signed by its checkpoint, checked in its turn
            and row.operator_id == mismatch.operator_id
            and row.seq >= mismatch.valid_from_seq
            and not signature_valid(mismatch.public_key, row.signature, row.hash)
        ):
            return _bad(
                count,
                row,
                unsigned,
                f"签名无效：此记录不是操作员“{mismatch.username}”签署的——它与该操作员密钥文件中的"
                "公钥不符，数据库中的公钥被改写过（可能有人用数据库密钥伪造了记录）",
                f"Invalid signature: operator {mismatch.username} did not sign this entry; it "
                "fails against the public key in their key slot, and the key in the database "
                "was rewritten",
            )
        previous, previous_seq, last = row.hash, row.seq, row
    problem = runs.end()
    if problem is not None:
        return _bad(count, last, unsigned, *problem)
    if mismatch is not None:
        return ChainReport(
            count,
            False,
            None,
            f"操作员“{mismatch.username}”在数据库中的公钥与其密钥文件中的不符：数据库中的公钥被改写过",
            f"Operator {mismatch.username}'s public key in the database differs from their "
            "key slot",
            unsigned=unsigned,
            head_seq=previous_seq,
            head_hash=previous,
        )
    return ChainReport(count, True, unsigned=unsigned, head_seq=previous_seq, head_hash=previous)


def _signature_problem(
    row: Any,
    history: dict[uuid.UUID, list[tuple[int, bytes]]],
    device_key: bytes,
    signed_seen: bool,
    floor: int | None,
) -> tuple[str, str] | None:
    if row.signature is None:
        if signed_seen or (floor is not None and row.seq >= floor):
            return (
                "签名缺失：此记录写于启用签名之后却没有签名（可能有人用数据库密钥改写了记录）",
                "Signature missing on an entry written after signing began",
            )
        return None
    expected = signer_of(row.operator_id)
    if row.signer != expected:
        return (
            "签名者不符：记录的签名者不是记录中的操作员",
            "The entry names another signer than its operator",
        )
    if expected == DEVICE_SIGNER:
        public_key = device_key
    else:
        public_key = key_at(history.get(row.operator_id, []), row.seq)
        if public_key is None:
            return (
                "没有该操作员在此序号有效的公钥，无法证明记录是其签署的",
                "No public key of this operator is valid at this entry",
            )
    if not signature_valid(public_key, bytes(row.signature), row.hash):
        return (
            "签名无效：此记录不是该操作员签署的（可能有人用数据库密钥改写了记录）",
            "Invalid signature: this operator did not sign this entry (the database may have "
            "been rewritten with the database key)",
        )
    return None


def audit_hashes(session: Session, from_seq: int, to_seq: int) -> dict[int, str]:
    """Local hashes by seq, to compare with what the county holds."""
    rows = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).where(
            AuditEntry.seq >= from_seq, AuditEntry.seq <= to_seq
        )
    )
    return {seq: hash_ for seq, hash_ in rows}


def audit_entry_at(session: Session, seq: int) -> AuditEntry | None:
    return session.scalar(select(AuditEntry).where(AuditEntry.seq == seq))

"""Each device's audit chain as the county holds it: continuity, hashes, signatures, keys.

A batch may carry the device's audit entries since its last batch. They are taken only if
they continue the last head the county accepted for that device (the same seq + 1 and the
same previous hash; entries the county already has must match it), each hash recomputes
from the entry's content, and each signature is valid under the signer's pinned key (the
device's registered key for bookkeeping entries; a bulk write's run of entries by the signed
checkpoint that closes it, in the same segment: ``audit_chain.SignedRuns``). Otherwise the whole batch is refused and
nothing of it is kept: a device whose chain was rewritten or cut cannot go on quietly.

Operators' keys are pinned per device at first sight. A later key for a known operator is a
rotation (a password reset at the centre): taken only from a seq after the county's head,
together with the ``operator.key_rotated`` entry naming it, signed by another operator whose
key is already pinned. After a recovery with the printed recovery key nobody's key is
unlocked, so that entry is signed by the device: it is taken only if a county officer has
confirmed that very key out of band (``device accept-key``, a ``key_acceptance`` row for the
device, the operator's username and the key's fingerprint, not yet used), and that
acceptance is used up in the same transaction. A database-key holder at the centre can sign
as the device, but cannot make the county's officer confirm a key they did not read out.
Anything else is refused with ``operator_key_changed``.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from caseworker.domain.audit_chain import (
    DEVICE_SIGNER,
    GENESIS_HASH,
    SignedRuns,
    hash_of,
    key_at,
    key_fingerprint,
    signature_valid,
    signer_of,
)
from caseworker.sync.protocol import AuditSegment, AuditWireEntry, ChainHead, OperatorKeyWire
from caseworker.upstream.intake import Refused
from caseworker.upstream.models import (
    DeviceAuditEntry,
    DeviceAuditHead,
    KeyAcceptance,
    OperatorKey,
)

HEAD = DeviceAuditHead.__table__
ENTRY = DeviceAuditEntry.__table__
KEY = OperatorKey.__table__
ACCEPTANCE = KeyAcceptance.__table__
ROTATION_ACTION = "operator.key_rotated"

Keys = dict[uuid.UUID, list[tuple[int, bytes]]]


def _broken(seq: int, message: str, message_en: str) -> Refused:
    return Refused(
        409,
        "audit_chain_broken",
        f"审计记录第{seq}条{message}，整个批次未被接收。",
        f"Audit entry {seq}: {message_en}; the batch was not taken.",
    )


def _parted(device_id: uuid.UUID, seq: int, shared: int, message: str, message_en: str) -> Refused:
    """The device's chain and the county's part after entry ``shared``: say who can fix it."""
    return Refused(
        409,
        "audit_chain_broken",
        f"审计记录第{seq}条{message}，整个批次未被接收。本机与县级的审计记录从第{shared + 1}条起"
        f"不一致（至多前{shared}条相同；caseworker audit verify 联网核验可指出第一条不同的）。"
        "若本机曾丢失已上传的记录（管理员已执行 caseworker db accept-loss），请联系县级："
        f"县级核实其保存的记录后运行 caseworker-upstream device accept-loss {device_id} "
        f"--from-seq {shared}，之后本机再同步即可。否则审计记录被人改写过，请勿继续使用本机并上报。",
        f"Audit entry {seq}: {message_en}; the batch was not taken. This device's chain and "
        f"the county's part from entry {shared + 1} on (at most {shared} entries shared; "
        "`caseworker audit verify` online names the first that differs). If this computer "
        "lost commits it had uploaded (an administrator ran `caseworker db accept-loss`), ask "
        "the county to confirm what it holds and re-anchor: `caseworker-upstream device "
        f"accept-loss {device_id} --from-seq {shared}`; then sync again. Otherwise the audit "
        "trail was rewritten: stop using this computer and report it.",
    )


def _bad_signature(seq: int, message: str, message_en: str) -> Refused:
    return Refused(
        409,
        "audit_signature_invalid",
        f"审计记录第{seq}条{message}，整个批次未被接收。",
        f"Audit entry {seq}: {message_en}; the batch was not taken.",
    )


def _key_changed(username: str, message: str, message_en: str) -> Refused:
    return Refused(
        409,
        "operator_key_changed",
        f"操作员“{username}”的公钥与县级已登记的不同：{message}整个批次未被接收。",
        f"Operator {username}'s public key differs from the one the county pinned: "
        f"{message_en} The batch was not taken.",
    )


def _decode(text: str | None, size: int) -> bytes | None:
    if text is None:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""
    return raw if len(raw) == size else b""


def current_head(conn: Connection, device_id: uuid.UUID, *, lock: bool = False) -> Any:
    query = select(HEAD).where(HEAD.c.device_id == device_id)
    return conn.execute(query.with_for_update() if lock else query).first()


def head_of(row: Any) -> ChainHead:
    return ChainHead(seq=row.seq, hash=row.hash) if row else ChainHead(seq=0, hash=GENESIS_HASH)


def _pinned(conn: Connection, device_id: uuid.UUID) -> Keys:
    keys: Keys = {}
    rows = conn.execute(
        select(KEY.c.operator_id, KEY.c.valid_from_seq, KEY.c.public_key)
        .where(KEY.c.device_id == device_id)
        .order_by(KEY.c.operator_id, KEY.c.valid_from_seq)
    )
    for operator_id, valid_from, public_key in rows:
        keys.setdefault(operator_id, []).append((valid_from, bytes(public_key)))
    return keys


def _take_keys(
    keys: Keys, offered: list[OperatorKeyWire], head_seq: int
) -> tuple[list[OperatorKeyWire], list[OperatorKeyWire]]:
    """New keys to pin, and which of them are rotations that need an entry to prove them."""
    new: list[OperatorKeyWire] = []
    rotations: list[OperatorKeyWire] = []
    for wire in offered:
        public_key = _decode(wire.public_key, 32)
        if not public_key:
            raise _key_changed(wire.username, "公钥格式错误。", "the key is malformed.")
        history = keys.get(wire.operator_id, [])
        same_seq = [key for valid_from, key in history if valid_from == wire.valid_from_seq]
        if same_seq:
            if same_seq[0] != public_key:
                raise _key_changed(
                    wire.username,
                    f"从第{wire.valid_from_seq}条起的公钥已登记为另一把。",
                    f"another key is pinned from entry {wire.valid_from_seq}.",
                )
            continue  # sent again (a batch refused earlier): already pinned
        if history:
            if wire.valid_from_seq <= head_seq:
                raise _key_changed(
                    wire.username,
                    f"新公钥不能用于县级已接收的记录（第{wire.valid_from_seq}条）。",
                    f"a new key cannot apply to entries already taken ({wire.valid_from_seq}).",
                )
            rotations.append(wire)
        history.append((wire.valid_from_seq, public_key))
        history.sort()
        keys[wire.operator_id] = history
        new.append(wire)
    return new, rotations


def _rotation_entries(wire: OperatorKeyWire, entries: list[AuditWireEntry]) -> list[str | None]:
    """Signers of the rotation entries that name this key and come before it."""
    return [
        entry.signer
        for entry in entries
        if entry.action == ROTATION_ACTION
        and entry.entity_id == wire.operator_id
        and entry.detail.get("public_key") == wire.public_key
        and entry.seq < wire.valid_from_seq
    ]


def _use_acceptance(conn: Connection, device_id: uuid.UUID, wire: OperatorKeyWire) -> bool:
    """Use up the county officer's unused acceptance of exactly this key, if there is one."""
    public_key = _decode(wire.public_key, 32)
    assert public_key  # _take_keys refused a malformed key
    acceptance = conn.execute(
        select(ACCEPTANCE.c.id)
        .where(
            ACCEPTANCE.c.device_id == device_id,
            ACCEPTANCE.c.username == wire.username,
            ACCEPTANCE.c.fingerprint == key_fingerprint(public_key),
            ACCEPTANCE.c.used_at.is_(None),
        )
        .order_by(ACCEPTANCE.c.id)
        .limit(1)
        .with_for_update()
    ).first()
    if acceptance is None:
        return False
    conn.execute(
        update(ACCEPTANCE).where(ACCEPTANCE.c.id == acceptance.id).values(used_at=datetime.now(UTC))
    )
    return True


def _check_rotation(
    conn: Connection, device_id: uuid.UUID, wire: OperatorKeyWire, entries: list[AuditWireEntry]
) -> None:
    signers = _rotation_entries(wire, entries)
    if any(signer not in (None, DEVICE_SIGNER, str(wire.operator_id)) for signer in signers):
        return  # its signature is checked with the other operator's pinned key
    if DEVICE_SIGNER in signers and _use_acceptance(conn, device_id, wire):
        return  # signed by the device (checked below), the key confirmed by the county
    raise _key_changed(
        wire.username,
        "没有另一位已登记的操作员签署的密钥更换记录，县级也未确认这把新公钥。"
        "若管理员刚用恢复密钥登录，请把恢复后显示的密钥指纹、设备编号和用户名用电话或书面"
        f"告知县级，县级核对后运行 caseworker-upstream device accept-key 设备编号 "
        f"--operator {wire.username} --fingerprint 指纹 --by 姓名，之后再同步。",
        "no key rotation entry signed by another pinned operator comes with it, and the "
        "county has not confirmed this new key. If an administrator just recovered access "
        "with the recovery key, give the county the key fingerprint shown after the "
        "recovery, the device id and the username by phone or on paper; once the county has "
        "checked it and run `caseworker-upstream device accept-key DEVICE_ID --operator "
        f"{wire.username} --fingerprint FINGERPRINT --by NAME`, sync again.",
    )


def _check_hash(entry: AuditWireEntry) -> None:
    if hash_of(entry) != entry.hash:
        raise _broken(entry.seq, "的哈希值与内容不符", "its hash does not match its content")


def _check_entry(
    entry: AuditWireEntry, keys: Keys, device_key: bytes, unsigned_allowed: bool
) -> bool:
    """Hash and signature of one entry; returns whether it is signed."""
    _check_hash(entry)
    if entry.signature is None:
        if not unsigned_allowed:
            raise _bad_signature(
                entry.seq,
                "没有签名（已启用签名的设备的每条记录都须签名）",
                "it is not signed, though this device signs its entries",
            )
        return False
    expected = signer_of(entry.operator_id)
    if entry.signer != expected:
        raise _bad_signature(
            entry.seq, "的签名者不是记录中的操作员", "its signer is not its operator"
        )
    if expected == DEVICE_SIGNER:
        public_key: bytes | None = device_key
    else:
        assert entry.operator_id is not None
        public_key = key_at(keys.get(entry.operator_id, []), entry.seq)
    if public_key is None:
        raise _bad_signature(
            entry.seq,
            "的操作员公钥在县级未登记",
            "the county holds no key of its operator for this entry",
        )
    signature = _decode(entry.signature, 64)
    if not signature or not signature_valid(public_key, signature, entry.hash):
        raise _bad_signature(
            entry.seq,
            "的签名无效：不是该操作员签署的",
            "its signature is not valid for its operator",
        )
    return True


def _skip_known(
    conn: Connection, device_id: uuid.UUID, entries: list[AuditWireEntry], head: ChainHead
) -> list[AuditWireEntry]:
    """Entries the county already holds (sent again) must be the very same ones."""
    known = [e for e in entries if e.seq <= head.seq]
    if known:
        stored = dict(
            conn.execute(
                select(ENTRY.c.seq, ENTRY.c.hash).where(
                    ENTRY.c.device_id == device_id,
                    ENTRY.c.seq >= known[0].seq,
                    ENTRY.c.seq <= known[-1].seq,
                )
            ).all()
        )
        for entry in known:
            if stored.get(entry.seq) != entry.hash:
                raise _parted(
                    device_id,
                    entry.seq,
                    entry.seq - 1,
                    "与县级已接收的同一条不一致",
                    "it differs from the entry the county already holds",
                )
    return [e for e in entries if e.seq > head.seq]


def accept_segment(conn: Connection, device: Any, segment: AuditSegment | None) -> ChainHead | None:
    """Check and store a batch's audit entries in the caller's transaction; returns the head
    the county now holds (None if it holds nothing for this device). Raises ``Refused``."""
    row = current_head(conn, device.id, lock=segment is not None)
    head = head_of(row)
    if segment is None:
        return head if row else None
    last = segment.entries[-1]
    if segment.head != ChainHead(seq=last.seq, hash=last.hash):
        raise _broken(
            segment.head.seq, "：批次声明的链头与最后一条记录不符", "the head is not the last entry"
        )
    entries = _skip_known(conn, device.id, segment.entries, head)
    keys = _pinned(conn, device.id)
    new_keys, rotations = _take_keys(keys, segment.operator_keys, head.seq)
    for wire in rotations:
        _check_rotation(
            conn, device.id, wire, entries
        )  # the entry's signature is checked with the others below
    previous, previous_hash = head.seq, head.hash
    signed_from = row.signed_from_seq if row else None
    runs = SignedRuns()  # the county's head is always where a signature closed the chain
    for entry in entries:
        if entry.seq == previous + 1 and entry.prev_hash != previous_hash:
            # The entry follows the head by number, not by hash: the two chains part at or
            # before the county's head.
            raise _parted(
                device.id,
                entry.seq,
                max(previous - 1, 0),
                f"不接续县级已确认的链头（第{previous}条）",
                f"it does not continue the head the county holds ({previous})",
            )
        if entry.seq != previous + 1:
            raise _broken(
                entry.seq,
                f"不接续县级已确认的链头（第{previous}条）：记录被删除、改写或顺序不对",
                f"it does not continue the head the county holds ({previous}): entries were "
                "removed, rewritten or reordered",
            )
        in_run, problem = runs.see(
            entry.operator_id, entry.action, entry.detail, entry.signature, entry.signer
        )
        if problem is not None:
            raise _bad_signature(entry.seq, f"：{problem[0]}", problem[1])
        if in_run:
            _check_hash(entry)  # its signature is its checkpoint's, checked in its turn
            signed_from = signed_from or entry.seq
        elif _check_entry(entry, keys, bytes(device.public_key), signed_from is None):
            signed_from = signed_from or entry.seq
        previous, previous_hash = entry.seq, entry.hash
    problem = runs.end()
    if problem is not None:  # a segment ends where a signature closes it (sync.batches)
        raise _bad_signature(previous, f"：{problem[0]}", problem[1])
    if not entries:
        return head
    now = datetime.now(UTC)
    conn.execute(
        insert(ENTRY),
        [
            {
                "device_id": device.id,
                "seq": e.seq,
                "hash": e.hash,
                "prev_hash": e.prev_hash,
                "operator_id": e.operator_id,
                "action": e.action,
                "at": e.at,
                "signature": _decode(e.signature, 64),
            }
            for e in entries
        ],
    )
    if new_keys:
        conn.execute(
            insert(KEY),
            [
                {
                    "device_id": device.id,
                    "operator_id": k.operator_id,
                    "valid_from_seq": k.valid_from_seq,
                    "username": k.username,
                    "public_key": _decode(k.public_key, 32),
                    "first_seen": now,
                }
                for k in new_keys
            ],
        )
    values = {"seq": previous, "hash": previous_hash, "signed_from_seq": signed_from}
    if row is None:
        conn.execute(insert(HEAD).values(device_id=device.id, updated_at=now, **values))
    else:
        conn.execute(
            update(HEAD).where(HEAD.c.device_id == device.id).values(updated_at=now, **values)
        )
    return ChainHead(seq=previous, hash=previous_hash)


def hashes(
    conn: Connection, device_id: uuid.UUID, from_seq: int, to_seq: int | None, limit: int
) -> tuple[list[ChainHead], bool]:
    query = select(ENTRY.c.seq, ENTRY.c.hash).where(
        ENTRY.c.device_id == device_id, ENTRY.c.seq >= from_seq
    )
    if to_seq is not None:
        query = query.where(ENTRY.c.seq <= to_seq)
    rows = conn.execute(query.order_by(ENTRY.c.seq).limit(limit + 1)).all()
    items = [ChainHead(seq=seq, hash=hash_) for seq, hash_ in rows[:limit]]
    return items, len(rows) > limit

"""Re-anchoring a device's audit chain after the device lost commits it had uploaded.

A computer whose file lost its last commits (a damaged WAL, an old copy restored) goes on
from its shorter trail once its administrator accepts the loss; its next entries then no
longer continue the head the county holds, and the county refuses every batch. Only the
county's staff can let it go on, after confirming what the county holds: ``device
accept-loss DEVICE --from-seq N`` makes entry N (one the county holds) the head again, so
the device's next entry must follow N. Entries above N are moved, not deleted, to
``device_audit_superseded``; operators' keys pinned for them only are dropped (named in
the decision); the decision itself is a ``county_audit`` row.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from caseworker.domain.audit_chain import GENESIS_HASH
from caseworker.sync.protocol import DEVICE_REVOKED
from caseworker.upstream.audit_chain import ENTRY, HEAD, KEY, current_head
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.decisions import ACTOR_MAX, record_decision
from caseworker.upstream.intake import Refused
from caseworker.upstream.models import Device, DeviceAuditSuperseded

SUPERSEDED = DeviceAuditSuperseded.__table__
ACTION = "device.audit_reanchored"


@dataclass(frozen=True)
class Reanchored:
    device_id: uuid.UUID
    centre_code: str
    device_number: int
    from_seq: int
    expected_prev_hash: str
    previous_head: int
    superseded: int
    county_audit_seq: int


def parse_device_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise Refused(
            400,
            "bad_device_id",
            f"设备编号格式不对：{text}（用 device list 查看各设备的编号）",
            f"Not a device id: {text} (see `device list`).",
        ) from None


def required_text(value: str, option: str, what: str, what_en: str, *, limit: int = 200) -> str:
    text = value.strip()
    if not text or len(text) > limit:
        raise Refused(
            400,
            f"{option}_required",
            f"请用 --{option} 写明{what}（{limit}字以内）。",
            f"Give {what_en} with --{option} (up to {limit} characters).",
        )
    return text


def decider(by: str) -> str:
    """``--by``, who decides, as the county audit keeps it (a longer name failed on
    PostgreSQL, whose column is ``ACTOR_MAX`` characters)."""
    return required_text(by, "by", "处理人姓名", "who decides", limit=ACTOR_MAX)


def registered_device(
    conn: Connection, device_id: uuid.UUID, *, lock: bool = False, revoked_ok: bool = False
) -> Any:
    """The device's row for a decision by county staff; a revoked device takes none (its
    key is no longer trusted) unless ``revoked_ok``."""
    query = select(Device.__table__).where(Device.id == device_id)
    device = conn.execute(query.with_for_update() if lock else query).first()
    if device is None:
        raise Refused(
            404,
            "unknown_device",
            f"县级没有登记编号为 {device_id} 的设备（用 device list 查看）。",
            f"No device {device_id} is registered here (see `device list`).",
        )
    if device.revoked_at is not None and not revoked_ok:
        raise Refused(
            409,
            DEVICE_REVOKED,
            f"设备 {device_id} 已于 {device.revoked_at:%Y-%m-%d %H:%M} UTC 由 {device.revoked_by} "
            "停用，不能再为它作出决定：请中心用新令牌登记新设备。",
            f"Device {device_id} was revoked on {device.revoked_at:%Y-%m-%d %H:%M} UTC by "
            f"{device.revoked_by}; no decision can be made for it: the centre enrols a new "
            "device with a new token.",
        )
    return device


def accept_device_loss(
    db: UpstreamDb, device_id: uuid.UUID, from_seq: int, by: str, note: str
) -> Reanchored:
    """Make the device's entry ``from_seq`` its chain head again, in one transaction."""
    who = decider(by)
    why = required_text(
        note, "note", "原因（例如中心报告的损失）", "why (the loss the centre reported)"
    )
    with db.writing() as session:
        conn = session.connection()
        device = registered_device(conn, device_id)
        head = current_head(conn, device_id, lock=True)
        held = head.seq if head else 0
        if from_seq < 0 or from_seq >= held:
            raise Refused(
                400,
                "bad_from_seq",
                f"--from-seq 须小于县级为该设备保存的链头（第{held}条）且不小于0，"
                f"收到 {from_seq}：只能退回到县级已保存的记录。",
                f"--from-seq must be below the head the county holds for this device "
                f"({held}) and not negative; got {from_seq}.",
            )
        if from_seq == 0:
            anchor_hash = GENESIS_HASH
        else:
            anchor = conn.execute(
                select(ENTRY.c.hash, ENTRY.c.signature).where(
                    ENTRY.c.device_id == device_id, ENTRY.c.seq == from_seq
                )
            ).first()
            anchor_hash = anchor.hash if anchor else None
            signed_from = head.signed_from_seq
            if anchor and anchor.signature is None and signed_from and from_seq >= signed_from:
                # Inside a bulk write's signed run: the device's next segment would start
                # mid-run, and its checkpoint could not count the run (audit_chain.SignedRuns).
                raise Refused(
                    409,
                    "inside_signed_run",
                    f"县级保存的第{from_seq}条审计记录处于一段批量签名记录的中间，不能作为链头："
                    "请改用其后最近的签名检查点（audit.checkpoint）或单独签名的记录。",
                    f"Audit entry {from_seq} lies inside a signed run of a bulk write and "
                    "cannot be the head: name the checkpoint (audit.checkpoint) that closes "
                    "the run, or an entry signed on its own.",
                )
            if anchor_hash is None:
                raise Refused(
                    409,
                    "unknown_entry",
                    f"县级没有该设备的第{from_seq}条审计记录，不能以它为链头。",
                    f"The county holds no audit entry {from_seq} of this device.",
                )
        dropped_keys = conn.execute(
            select(KEY.c.operator_id, KEY.c.username, KEY.c.valid_from_seq, KEY.c.public_key)
            .where(KEY.c.device_id == device_id, KEY.c.valid_from_seq > from_seq)
            .order_by(KEY.c.valid_from_seq)
        ).all()
        above = ENTRY.c.device_id == device_id, ENTRY.c.seq > from_seq
        moved = conn.execute(
            select(
                ENTRY.c.seq,
                ENTRY.c.hash,
                ENTRY.c.prev_hash,
                ENTRY.c.operator_id,
                ENTRY.c.action,
                ENTRY.c.at,
                ENTRY.c.signature,
            )
            .where(*above)
            .order_by(ENTRY.c.seq)
        ).all()
        now = datetime.now(UTC)
        decision = record_decision(
            conn,
            at=now,
            actor=who,
            action=ACTION,
            subject_id=device_id,
            detail={
                "centre_code": device.centre_code,
                "device_number": device.device_number,
                "from_seq": from_seq,
                "expected_prev_hash": anchor_hash,
                "previous_head": {"seq": held, "hash": head.hash},
                "superseded": [moved[0].seq, moved[-1].seq] if moved else None,
                "keys_dropped": [
                    {
                        "operator_id": str(k.operator_id),
                        "username": k.username,
                        "valid_from_seq": k.valid_from_seq,
                        "public_key": base64.b64encode(k.public_key).decode(),
                    }
                    for k in dropped_keys
                ],
                "note": why,
            },
        )
        if moved:
            conn.execute(
                insert(SUPERSEDED),
                [
                    row._asdict()
                    | {"device_id": device_id, "county_audit_seq": decision, "superseded_at": now}
                    for row in moved
                ],
            )
        conn.execute(delete(ENTRY).where(*above))
        conn.execute(
            delete(KEY).where(KEY.c.device_id == device_id, KEY.c.valid_from_seq > from_seq)
        )
        signed_from = head.signed_from_seq
        conn.execute(
            update(HEAD)
            .where(HEAD.c.device_id == device_id)
            .values(
                seq=from_seq,
                hash=anchor_hash,
                # Signing that began only in the superseded part begins again with the resend.
                signed_from_seq=signed_from if signed_from and signed_from <= from_seq else None,
                updated_at=now,
            )
        )
    return Reanchored(
        device_id,
        device.centre_code,
        device.device_number,
        from_seq,
        anchor_hash,
        held,
        len(moved),
        decision,
    )

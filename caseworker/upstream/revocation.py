"""Revoking a device: a stolen or retired computer's key stops being valid at the county.

``device revoke DEVICE --by NAME --note WHY`` sets the device's ``revoked_at``,
``revoked_by`` and ``revoke_note`` in one transaction with its ``county_audit`` row. It is
permanent: there is no un-revoke, and a new token does not revive the id; the centre enrols
a new device (``devices.register_device`` refuses the revoked id). From the commit on, every
request the device signs (uploads, signed reads, transfer requests) is refused with
``device_revoked`` and changes nothing (``intake.load_device``); an upload already inside
its transaction holds the device's row, so the revocation waits for it to commit
(``devices.hold_device``). Batches accepted before stay accepted; the device can no longer
read their answers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.engine import Connection

from caseworker.upstream.chain_reset import decider, registered_device, required_text
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.decisions import record_decision
from caseworker.upstream.intake import Refused
from caseworker.upstream.models import Device

ACTION = "device.revoked"
DEVICES = Device.__table__


@dataclass(frozen=True)
class Revoked:
    device_id: uuid.UUID
    centre_code: str
    device_number: int
    name: str
    revoked_at: datetime
    revoked_by: str
    note: str
    county_audit_seq: int


def revoke_device(db: UpstreamDb, device_id: uuid.UUID, by: str, note: str) -> Revoked:
    """Revoke the device for good, with its county audit row, in one transaction."""
    who = decider(by)
    why = required_text(
        note, "note", "停用原因（例如电脑被盗、报废）", "why (e.g. the computer was stolen)"
    )
    with db.writing() as session:
        return revoke_in(session.connection(), device_id, who, why)


def revoke_in(conn: Connection, device_id: uuid.UUID, who: str, why: str) -> Revoked:
    """The revocation inside the caller's transaction (checked ``who`` and ``why``)."""
    device = registered_device(conn, device_id, lock=True, revoked_ok=True)
    if device.revoked_at is not None:
        raise Refused(
            409,
            "already_revoked",
            f"设备 {device_id} 已于 {device.revoked_at:%Y-%m-%d %H:%M} UTC 由 "
            f"{device.revoked_by} 停用（原因：{device.revoke_note}）。停用是永久的，无需重复。",
            f"Device {device_id} was already revoked on {device.revoked_at:%Y-%m-%d %H:%M} UTC "
            f"by {device.revoked_by} ({device.revoke_note}). Revocation is permanent; nothing "
            "to do.",
        )
    now = datetime.now(UTC)
    conn.execute(
        update(DEVICES)
        .where(DEVICES.c.id == device_id)
        .values(revoked_at=now, revoked_by=who, revoke_note=why)
    )
    decision = record_decision(
        conn,
        at=now,
        actor=who,
        action=ACTION,
        subject_id=device_id,
        detail={
            "centre_code": device.centre_code,
            "device_number": device.device_number,
            "name": device.name,
            "note": why,
        },
    )
    return Revoked(
        device_id,
        device.centre_code,
        device.device_number,
        device.name,
        now,
        who,
        why,
        decision,
    )

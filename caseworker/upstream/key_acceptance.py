"""A county officer confirming an operator's new key after a recovery at the centre.

Recovering access with the printed recovery key gives the administrator a new signing key,
but no operator's key is unlocked to sign its rotation: the device signs it, and the county
takes a device-signed rotation only for a key its officer confirmed out of band. The
administrator reads the fingerprint shown after the recovery (with the device id and the
username) to the county by phone or on paper; ``device accept-key`` records that word. It
lets one rotation to exactly that key be taken (see ``audit_chain``), then it is used up;
the decision is also a ``county_audit`` row.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert

from caseworker.upstream.audit_chain import ACCEPTANCE
from caseworker.upstream.chain_reset import decider, registered_device, required_text
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.decisions import record_decision
from caseworker.upstream.intake import Refused

ACTION = "device.key_accepted"
_FINGERPRINT = re.compile(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}")


@dataclass(frozen=True)
class KeyAccepted:
    device_id: uuid.UUID
    centre_code: str
    device_number: int
    username: str
    fingerprint: str
    county_audit_seq: int


def parse_fingerprint(text: str) -> str:
    """``1A2B-3C4D-5E6F-7A8B`` or ``1a2b3c4d5e6f7a8b`` (spaces allowed) as stored."""
    digits = re.sub(r"[\s-]", "", text.strip().lower())
    fingerprint = "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise Refused(
            400,
            "bad_fingerprint",
            f"密钥指纹格式不对：{text}。应为16位十六进制数字（0-9、a-f），分四组，"
            "例如 1a2b-3c4d-5e6f-7a8b：照中心恢复后显示的逐字填写。",
            f"Not a key fingerprint: {text}. It is 16 hex digits (0-9, a-f) in four groups, "
            "e.g. 1a2b-3c4d-5e6f-7a8b: copy it exactly as the centre read it out.",
        )
    return fingerprint


def accept_key(
    db: UpstreamDb, device_id: uuid.UUID, username: str, fingerprint: str, by: str
) -> KeyAccepted:
    """Record that the county confirmed ``username``'s new key on the device, in one
    transaction with its county audit row."""
    who = decider(by)
    operator = required_text(username, "operator", "操作员用户名", "the operator's username")
    confirmed = parse_fingerprint(fingerprint)
    with db.writing() as session:
        conn = session.connection()
        device = registered_device(conn, device_id)
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
                "username": operator,
                "fingerprint": confirmed,
            },
        )
        conn.execute(
            insert(ACCEPTANCE).values(
                device_id=device_id,
                username=operator,
                fingerprint=confirmed,
                accepted_by=who,
                accepted_at=now,
            )
        )
    return KeyAccepted(
        device_id, device.centre_code, device.device_number, operator, confirmed, decision
    )

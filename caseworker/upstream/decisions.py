"""The county audit's rows: one way to record a decision (who, what, about which device or
request, with what detail), inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from caseworker.upstream.models import CountyAudit

AUDIT = CountyAudit.__table__
# Who decides (``--by``) is kept in ``county_audit.actor``: no longer than that column.
ACTOR_MAX: int = AUDIT.c.actor.type.length


def record_decision(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject_id: uuid.UUID,
    detail: dict[str, Any],
) -> int:
    """Write the decision's row and return its seq (the decision's number)."""
    return conn.execute(
        insert(AUDIT)
        .values(at=at, actor=actor, action=action, subject_id=subject_id, detail=detail)
        .returning(AUDIT.c.seq)
    ).scalar_one()

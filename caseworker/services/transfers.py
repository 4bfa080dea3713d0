"""Asking the county for a person another centre registered (who moved here): the local
side. The request is remembered and audited here, in one transaction; sending it and
hearing the county's decision is ``caseworker.sync.transfers`` (services never touch the
network). After approval the next sync merges our own record of the person onto the
county's and sends its enrolments and payments again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number, parse_id_number
from caseworker.services.actor import Actor, Permission
from caseworker.services.centre import actor_of
from caseworker.services.errors import NotFound, ServiceError
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import (
    Centre,
    Device,
    Operator,
    OutboxEntry,
    SyncResolution,
    TransferRequestRow,
)

REASON_MAX = 200
OPEN_STATES = ("unsent", "requested")


@dataclass(frozen=True)
class TransferRequestInfo:
    id: uuid.UUID
    id_number_masked: str
    reason: str
    state: str
    requested_at: datetime
    from_centre: str | None
    from_centre_name: str | None
    decided_at: datetime | None
    note: str | None
    last_error: str | None
    adopted: bool


def info_of(row: TransferRequestRow) -> TransferRequestInfo:
    return TransferRequestInfo(
        id=row.id,
        id_number_masked=mask_id_number(row.id_number),
        reason=row.reason,
        state=row.state,
        requested_at=row.requested_at,
        from_centre=row.from_centre,
        from_centre_name=row.from_centre_name,
        decided_at=row.decided_at,
        note=row.note,
        last_error=row.last_error,
        adopted=row.adopted_at is not None,
    )


def _id_number_of(session: Session, seq_or_id_number: int | str) -> tuple[str, int | None]:
    """An ID number typed by the clerk, or the person of a ``registered_elsewhere`` issue."""
    text = str(seq_or_id_number).strip()
    if text.isdigit() and len(text) <= 9:
        entry = session.get(OutboxEntry, int(text))
        if (
            entry is None
            or entry.result_code != "registered_elsewhere"
            or session.get(SyncResolution, entry.seq) is not None
        ):
            raise NotFound(
                "no_registered_elsewhere",
                f"第{text}号同步问题不是“已在其他中心登记”，不能据此申请转入。",
                f"Sync issue {text} is not an open 'registered elsewhere' conflict.",
            )
        return str(entry.payload.get("id_number", "")), entry.seq
    try:
        return parse_id_number(text).number, None
    except InvalidValue as error:
        raise ServiceError(
            "invalid_id_number", error.message, getattr(error, "message_en", error.message)
        ) from None


def new_transfer_request(
    database: Database, actor: Actor, seq_or_id_number: int | str, reason: str
) -> TransferRequestInfo:
    """Remember (and audit) a transfer request; an open one for the same person is reused."""
    actor.require(Permission.ENROL)
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise ServiceError(
            "invalid_reason",
            f"请写明转入原因（{REASON_MAX}字以内），例如“已迁入本镇居住”。",
            f"Say why the person moves here (up to {REASON_MAX} characters).",
        )
    with database.writing() as session:
        id_number, seq = _id_number_of(session, seq_or_id_number)
        row = session.scalar(
            select(TransferRequestRow).where(
                TransferRequestRow.id_number == id_number,
                TransferRequestRow.state.in_(OPEN_STATES),
            )
        )
        if row is not None:
            return info_of(row)
        row = TransferRequestRow(
            id_number=id_number, reason=reason, requested_by=actor.operator_id, outbox_seq=seq
        )
        session.add(row)
        session.flush()
        audit(
            session,
            actor,
            action="transfer.request",
            entity_type="transfer",
            entity_id=row.id,
            detail={"id_number": mask_id_number(id_number), "reason": reason, "outbox_seq": seq},
        )
        return info_of(row)


def transfer_requests(database: Database) -> list[TransferRequestInfo]:
    with database.reading() as session:
        rows = session.scalars(
            select(TransferRequestRow).order_by(TransferRequestRow.requested_at)
        ).all()
        return [info_of(row) for row in rows]


def transfer_request(database: Database, request_id: uuid.UUID) -> TransferRequestInfo:
    with database.reading() as session:
        row = session.get(TransferRequestRow, request_id)
        if row is None:
            raise NotFound("transfer", "没有这份转入申请。", "No such transfer request.")
        return info_of(row)


def acting_for(session: Session, operator_id: uuid.UUID) -> Actor:
    """The operator who asked for a transfer, for the changes its approval brings."""
    operator = session.get_one(Operator, operator_id)
    centre = session.get_one(Centre, operator.centre_id)
    device = session.scalars(select(Device).order_by(Device.created_at)).first()
    assert device is not None
    return replace(actor_of(operator, centre, device, None), by_sync=True)

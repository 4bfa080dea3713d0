"""Transfers: a person registered by one centre moves to another (migrant workers often do).

The new centre's device asks (``POST /v1/transfers``, signed over the exact bytes like a
batch; the id is the client's, so the same bytes again are the same request). The county
decides (``caseworker-upstream transfer approve|refuse``). Approval, in one transaction:
the person's owner becomes the new centre; its open enrolments move with it (payments stay
with the centre that collected them: money stays where it was taken); the person, the
moved enrolments and the person's coverage statuses go into the registry feed of both
centres' townships; a county audit row
says who approved, when and why. Every step is a ``county_audit`` row.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number, parse_id_number
from caseworker.sync.protocol import TransferRequest, TransferStatus
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.decisions import record_decision
from caseworker.upstream.intake import (
    REGISTRY,
    Refused,
    append_feed,
    decode_signature,
    load_device,
    parse_device_id,
    verify,
)
from caseworker.upstream.locks import lock_key, lock_keys
from caseworker.upstream.models import Centre, Coverage, Enrolment, Person, Transfer

MAX_REQUEST_BYTES = 4096
TRANSFER = Transfer.__table__
PERSON = Person.__table__
ENROLMENT = Enrolment.__table__
COVERAGE = Coverage.__table__
STATE_WORDS = {"requested": "待审批", "approved": "已批准", "refused": "已拒绝"}


def _centre_name(conn: Connection, code: str) -> str:
    return conn.scalar(select(Centre.name).where(Centre.code == code)) or code


def _status(conn: Connection, row: Any) -> TransferStatus:
    return TransferStatus(
        id=row.id,
        state=row.state,
        person_id=row.person_id,
        from_centre=row.from_centre,
        from_centre_name=_centre_name(conn, row.from_centre),
        to_centre=row.to_centre,
        requested_at=row.requested_at,
        decided_at=row.decided_at,
        note=row.note,
    )


def _audit(
    conn: Connection, actor: str, action: str, subject: uuid.UUID, detail: dict[str, Any]
) -> None:
    record_decision(
        conn, at=datetime.now(UTC), actor=actor, action=action, subject_id=subject, detail=detail
    )


def _parse(body: bytes) -> tuple[TransferRequest, str]:
    try:
        request = TransferRequest.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Refused(
            422,
            "invalid_transfer",
            f"转入申请格式错误：{where}：{first['msg']}",
            f"The transfer request is malformed at {where}: {first['msg']}",
        ) from None
    try:
        number = parse_id_number(request.id_number).number
    except InvalidValue as error:
        raise Refused(
            422, "invalid_id_number", error.message, "The ID number is not valid."
        ) from None
    return request, number


def _existing(conn: Connection, request_id: uuid.UUID, sha256: str, device_id: uuid.UUID) -> Any:
    row = conn.execute(select(TRANSFER).where(TRANSFER.c.id == request_id)).first()
    if row is not None and (row.request_sha256 != sha256 or row.requested_by_device != device_id):
        raise Refused(
            409,
            "transfer_id_reused",
            "该申请号已用于另一份转入申请。",
            "Another transfer request was already received under this id.",
        )
    return row


def receive_transfer_request(
    db: UpstreamDb, body: bytes, device_header: str | None, signature_header: str | None
) -> TransferStatus:
    """Verify and record a transfer request; the same bytes again get the same transfer."""
    if len(body) > MAX_REQUEST_BYTES:
        raise Refused(
            413, "request_too_large", "转入申请过大。", "The transfer request is too large."
        )
    device_id = parse_device_id(device_header)
    signature = decode_signature(signature_header)
    sha256 = hashlib.sha256(body).hexdigest()
    with db.reading() as session:
        device = load_device(session.connection(), device_id)
    verify(device.public_key, signature, body)
    request, number = _parse(body)
    try:
        with db.writing() as session:
            conn = session.connection()
            row = _existing(conn, request.id, sha256, device_id)
            if row is not None:
                return _status(conn, row)
            person = conn.execute(
                select(PERSON.c.id, PERSON.c.centre_code).where(PERSON.c.id_number == number)
            ).first()
            if person is None:
                raise Refused(
                    404,
                    "unknown_person",
                    "县级库中没有该身份证号码的人员，无需转入，直接登记即可。",
                    "The county has no person with this ID number: register them directly.",
                )
            if person.centre_code == device.centre_code:
                raise Refused(
                    409,
                    "already_owner",
                    "该人员已由本中心管理，无需转入。",
                    "This centre already manages this person.",
                )
            pending = conn.scalar(
                select(TRANSFER.c.id).where(
                    TRANSFER.c.person_id == person.id,
                    TRANSFER.c.to_centre == device.centre_code,
                    TRANSFER.c.state == "requested",
                )
            )
            if pending is not None:
                raise Refused(
                    409,
                    "transfer_pending",
                    f"本中心已为该人员提交转入申请（{pending}），请等待县级审批。",
                    f"This centre already asked for this person ({pending}); wait for the county.",
                )
            now = datetime.now(UTC)
            conn.execute(
                insert(TRANSFER).values(
                    id=request.id,
                    person_id=person.id,
                    from_centre=person.centre_code,
                    to_centre=device.centre_code,
                    reason=request.reason,
                    requested_at=request.requested_at,
                    requested_by_device=device_id,
                    request_sha256=sha256,
                    received_at=now,
                    state="requested",
                )
            )
            _audit(
                conn,
                f"device {device_id}",
                "transfer.request",
                request.id,
                {
                    "person_id": str(person.id),
                    "from_centre": person.centre_code,
                    "to_centre": device.centre_code,
                    "reason": request.reason,
                },
            )
            return _status(
                conn, conn.execute(select(TRANSFER).where(TRANSFER.c.id == request.id)).one()
            )
    except IntegrityError:
        # The same request raced its own retry: the first one stored is the answer.
        with db.reading() as session:
            conn = session.connection()
            row = _existing(conn, request.id, sha256, device_id)
            if row is None:
                raise
            return _status(conn, row)


def transfer_status(db: UpstreamDb, transfer_id: uuid.UUID, device: Any) -> TransferStatus:
    """A transfer as the requesting or the giving centre may read it."""
    with db.reading() as session:
        conn = session.connection()
        row = conn.execute(select(TRANSFER).where(TRANSFER.c.id == transfer_id)).first()
        if row is None or device.centre_code not in (row.to_centre, row.from_centre):
            raise Refused(
                404, "unknown_transfer", "没有这份转入申请。", "There is no such transfer request."
            )
        return _status(conn, row)


def list_transfers(db: UpstreamDb, state: str | None = None) -> list[dict[str, Any]]:
    with db.reading() as session:
        query = (
            select(TRANSFER, PERSON.c.id_number, PERSON.c.name)
            .join(PERSON, PERSON.c.id == TRANSFER.c.person_id)
            .order_by(TRANSFER.c.received_at)
        )
        if state:
            query = query.where(TRANSFER.c.state == state)
        return [
            {
                "id": row.id,
                "state": row.state,
                "id_number": mask_id_number(row.id_number),
                "name": row.name,
                "from_centre": row.from_centre,
                "to_centre": row.to_centre,
                "reason": row.reason,
                "requested_at": row.requested_at,
                "decided_at": row.decided_at,
                "decided_by": row.decided_by,
                "note": row.note,
            }
            for row in session.execute(query)
        ]


def _open_transfer(conn: Connection, transfer_id: uuid.UUID) -> Any:
    row = conn.execute(
        select(TRANSFER).where(TRANSFER.c.id == transfer_id).with_for_update()
    ).first()
    if row is None:
        raise Refused(
            404,
            "unknown_transfer",
            f"没有编号为 {transfer_id} 的转入申请（transfer list 可列出全部）。",
            f"There is no transfer {transfer_id} (see `transfer list`).",
        )
    if row.state != "requested":
        when = f"{row.decided_at:%Y-%m-%d %H:%M}" if row.decided_at else ""
        raise Refused(
            409,
            "already_decided",
            f"该转入申请已于 {when} 由 {row.decided_by} {STATE_WORDS[row.state]}，不能再次处理。",
            f"This transfer was already {row.state} on {when} by {row.decided_by}.",
        )
    return row


def _who(by: str) -> str:
    name = by.strip()
    if not name or len(name) > 60:
        raise Refused(
            400,
            "decider_required",
            "请用 --by 写明审批人姓名（60字以内）。",
            "Name who decides with --by (up to 60 characters).",
        )
    return name


def _moved(payload: dict[str, Any], version: int) -> dict[str, Any]:
    return {**payload, "version": version}


def approve_transfer(
    db: UpstreamDb, transfer_id: uuid.UUID, by: str, note: str | None = None
) -> TransferStatus:
    """Move the person (and its open enrolments) to the requesting centre, in one go."""
    decider = _who(by)
    with db.writing() as session:
        conn = session.connection()
        transfer = _open_transfer(conn, transfer_id)
        # The lock a batch writing this person takes first (upstream/locks.py), so an upload
        # of either centre and the approval queue in one order instead of deadlocking.
        lock_keys(conn, [lock_key("person", str(transfer.person_id))])
        person = conn.execute(
            select(PERSON).where(PERSON.c.id == transfer.person_id).with_for_update()
        ).one()
        if person.centre_code != transfer.from_centre:
            raise Refused(
                409,
                "owner_changed",
                f"申请后该人员已改由 {person.centre_code} 管理，请拒绝此申请并重新申请。",
                f"The person is now managed by {person.centre_code}; refuse and ask again.",
            )
        now = datetime.now(UTC)
        to_centre, from_centre = transfer.to_centre, transfer.from_centre
        version = person.version + 1
        payload = _moved(person.payload, version)
        conn.execute(
            update(PERSON)
            .where(PERSON.c.id == person.id)
            .values(centre_code=to_centre, version=version, payload=payload, updated_at=now)
        )
        feed: list[tuple[str, uuid.UUID, int, dict[str, Any]]] = [
            ("person", person.id, version, payload)
        ]
        moved = []
        for enrolment in conn.execute(
            select(ENROLMENT)
            .where(ENROLMENT.c.person_id == person.id, ENROLMENT.c.centre_code == from_centre)
            .order_by(ENROLMENT.c.id)
            .with_for_update()
        ):
            if enrolment.payload.get("status") == "ended":
                continue  # a closed enrolment stays with the centre that ran it
            moved_payload = _moved(enrolment.payload, enrolment.version + 1)
            conn.execute(
                update(ENROLMENT)
                .where(ENROLMENT.c.id == enrolment.id)
                .values(
                    centre_code=to_centre,
                    version=enrolment.version + 1,
                    payload=moved_payload,
                    updated_at=now,
                )
            )
            moved.append(enrolment.id)
            feed.append(("enrolment", enrolment.id, enrolment.version + 1, moved_payload))
        # The person's coverage statuses follow the person (the new owner writes them from
        # now on, upstream/apply.py): the new centre gets them as they stand.
        for status in conn.execute(
            select(COVERAGE.c.id, COVERAGE.c.version, COVERAGE.c.payload)
            .where(COVERAGE.c.person_id == person.id)
            .order_by(COVERAGE.c.id)
        ):
            feed.append(("coverage", status.id, status.version, status.payload))
        townships = {
            conn.scalar(select(Centre.township_code).where(Centre.code == code))
            for code in (to_centre, from_centre)
        } | {person.township_code}
        rows = [(t, item) for t in sorted(townships, key=str) for item in feed]
        first = append_feed(conn, "registry", len(rows))
        conn.execute(
            insert(REGISTRY),
            [
                {
                    "seq": first + n + 1,
                    "township_code": township,
                    "entity_type": kind,
                    "entity_id": entity_id,
                    "version": entity_version,
                    "centre_code": to_centre,
                    "payload": entity_payload,
                }
                for n, (township, (kind, entity_id, entity_version, entity_payload)) in enumerate(
                    rows
                )
            ],
        )
        conn.execute(
            update(TRANSFER)
            .where(TRANSFER.c.id == transfer_id)
            .values(state="approved", decided_at=now, decided_by=decider, note=note)
        )
        _audit(
            conn,
            decider,
            "transfer.approve",
            transfer_id,
            {
                "person_id": str(person.id),
                "from_centre": from_centre,
                "to_centre": to_centre,
                "enrolments_moved": [str(e) for e in moved],
                "note": note,
            },
        )
        return _status(
            conn, conn.execute(select(TRANSFER).where(TRANSFER.c.id == transfer_id)).one()
        )


def refuse_transfer(db: UpstreamDb, transfer_id: uuid.UUID, by: str, note: str) -> TransferStatus:
    decider = _who(by)
    if not note.strip():
        raise Refused(
            400,
            "note_required",
            "拒绝转入须用 --note 写明原因。",
            "Say why the transfer is refused (--note).",
        )
    with db.writing() as session:
        conn = session.connection()
        transfer = _open_transfer(conn, transfer_id)
        now = datetime.now(UTC)
        conn.execute(
            update(TRANSFER)
            .where(TRANSFER.c.id == transfer_id)
            .values(state="refused", decided_at=now, decided_by=decider, note=note.strip())
        )
        _audit(
            conn,
            decider,
            "transfer.refuse",
            transfer_id,
            {
                "person_id": str(transfer.person_id),
                "from_centre": transfer.from_centre,
                "to_centre": transfer.to_centre,
                "note": note.strip(),
            },
        )
        return _status(
            conn, conn.execute(select(TRANSFER).where(TRANSFER.c.id == transfer_id)).one()
        )

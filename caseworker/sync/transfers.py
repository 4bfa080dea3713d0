"""Transfer requests over the network, and taking over a person once the county approves.

``request_transfer`` remembers the request (``services.transfers``, audited) and sends it
as ``POST /v1/transfers``, signed over its exact bytes; the bytes are kept so a retry sends
the same request (the county answers the same bytes with the same transfer). Every sync
sends requests not yet delivered and asks after those not yet decided.

When the registry feed brings a person this centre now owns, and this centre holds its own
record of that person under another id (the duplicate the county answered
``registered_elsewhere``), ``adopt_transferred`` merges ours onto the county's id, closes
the conflict (audited) and queues the person's refused enrolments, payments and survey
entries again, so the county accepts them now that the person is ours.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from caseworker.services.actor import Actor
from caseworker.services.enrolment import PERSON_FIELDS
from caseworker.services.journal import audit
from caseworker.services.sync_queue import (
    _merge_person,
    requeue_merged_coverage,
    requeue_person_records,
    resolve_entries_of,
)
from caseworker.services.transfers import (
    OPEN_STATES,
    TransferRequestInfo,
    acting_for,
    info_of,
    new_transfer_request,
)
from caseworker.store.database import Database
from caseworker.store.models import (
    Centre,
    OutboxEntry,
    Person,
    SyncResolution,
    TransferRequestRow,
)
from caseworker.store.search_index import index_person
from caseworker.sync.batches import SyncError, load_signer
from caseworker.sync.client import RetryPolicy, server_error
from caseworker.sync.protocol import DEVICE_REVOKED, RegistryFeed, TransferRequest, TransferStatus
from caseworker.sync.pull import _set_fields

if TYPE_CHECKING:
    from caseworker.sync.client import Transport


def _body(row: TransferRequestRow) -> bytes:
    return (
        TransferRequest(
            id=row.id, id_number=row.id_number, reason=row.reason, requested_at=row.requested_at
        )
        .model_dump_json()
        .encode()
    )


def _note_status(session: Session, row: TransferRequestRow, status: TransferStatus) -> None:
    decided = status.state != row.state and status.state in ("approved", "refused")
    row.state = status.state
    row.county_person_id = status.person_id
    row.from_centre = status.from_centre
    row.from_centre_name = status.from_centre_name
    row.decided_at = status.decided_at
    row.note = status.note
    row.last_error = None
    if decided:
        audit(
            session,
            None,
            action=f"transfer.{status.state}",
            entity_type="transfer",
            entity_id=row.id,
            detail={"from_centre": status.from_centre, "note": status.note},
            operator_name="sync",
        )


def send_transfer(
    database: Database, transport: Transport, request_id: uuid.UUID
) -> TransferRequestInfo:
    """Deliver one request (the same bytes every time) and keep what the county said."""
    with database.writing() as session:
        row = session.get_one(TransferRequestRow, request_id)
        if row.body is None:
            row.body = _body(row)
        body = row.body
        signature = load_signer(session).sign(body)
    response = transport.post_transfer(body, signature)
    with database.writing() as session:
        row = session.get_one(TransferRequestRow, request_id)
        if response.status_code == 200:
            _note_status(session, row, TransferStatus.model_validate_json(response.content))
            return info_of(row)
        error = server_error(response)
        row.last_error = f"{error.code}: {error.message}"
    raise SyncError(error.code, error.message, error.message_en)


def request_transfer(
    database: Database,
    actor: Actor,
    seq_or_id_number: int | str,
    reason: str,
    *,
    retry: RetryPolicy | None = None,
) -> TransferRequestInfo:
    """Ask the county for a person registered by another centre. The request is kept
    (and audited) before it is sent: if the network fails, the next sync sends it."""
    from caseworker.sync.run import _transport

    info = new_transfer_request(database, actor, seq_or_id_number, reason)
    if info.state != "unsent":
        return info
    transport = _transport(database, retry, None)
    try:
        return send_transfer(database, transport, info.id)
    finally:
        transport.close()


def refresh_transfers(database: Database, transport: Transport) -> int:
    """Send undelivered requests, ask after undecided ones; returns how many were decided."""
    with database.reading() as session:
        rows = session.execute(
            select(TransferRequestRow.id, TransferRequestRow.state).where(
                TransferRequestRow.state.in_(OPEN_STATES)
            )
        ).all()
    decided = 0
    for request_id, state in rows:
        try:
            if state == "unsent":
                info = send_transfer(database, transport, request_id)
            else:
                status = transport.get_transfer(request_id)
                if status is None:
                    continue
                with database.writing() as session:
                    row = session.get_one(TransferRequestRow, request_id)
                    _note_status(session, row, status)
                    info = info_of(row)
        except SyncError as error:
            if error.code in ("unreachable", DEVICE_REVOKED):
                raise  # not this request's fault: the whole sync stops and says why
            continue  # kept in the request's last_error; the clerk sees it
        decided += info.state in ("approved", "refused")
    return decided


def _open_request(session: Session, id_number: object) -> TransferRequestRow | None:
    return session.scalar(
        select(TransferRequestRow)
        .where(
            TransferRequestRow.id_number == id_number,
            TransferRequestRow.state.in_(("requested", "approved")),
            TransferRequestRow.adopted_at.is_(None),
        )
        .order_by(TransferRequestRow.requested_at.desc())
    )


def _refused_here(session: Session, entity_id: uuid.UUID) -> bool:
    """The county refused a change of ours to this entity, and nobody has dealt with it."""
    resolved = exists().where(SyncResolution.outbox_seq == OutboxEntry.seq)
    return bool(
        session.scalar(
            select(
                exists().where(
                    OutboxEntry.entity_id == entity_id,
                    OutboxEntry.sync_state.in_(("rejected", "conflict")),
                    ~resolved,
                )
            )
        )
    )


def adopt_transferred(session: Session, page: RegistryFeed) -> int:
    """Before a registry page is applied: persons it says this centre now owns, after a
    transfer this centre asked for, become ours here too.

    - Our own record of the person under another id (the ``registered_elsewhere``
      duplicate) is merged onto the county's id, and its conflict closed.
    - The county's record we already held (pulled before) whose edit the county refused
      ``not_owner``: our current state goes up again, over the transfer's version.
    Either way the person's refused enrolments, payments, survey entries and coverage
    statuses are queued again (statuses under the county's id after a merge).
    """
    own = session.scalars(select(Centre.code)).first()
    adopted = 0
    for item in page.items:
        if item.entity_type != "person" or item.centre_code != own:
            continue
        id_number = item.payload.get("id_number")
        request = _open_request(session, id_number)
        if request is None:
            continue  # nobody here asked for this person: the clerk decides in the queue
        actor = acting_for(session, request.requested_by)
        note = f"transfer {request.id} approved"
        held = session.get(Person, item.entity_id)
        if held is None:
            local = session.scalar(select(Person).where(Person.id_number == id_number))
            if local is None:
                continue  # nothing of ours: the pull creates the person as it is
            old_id = local.id
            person = _merge_person(session, local, item.entity_id)
            with session.no_autoflush:
                _set_fields(session, person, item.payload, PERSON_FIELDS)
            person.version = item.version
            index_person(session, person)
            resolve_entries_of(session, actor, old_id, "accepted_server", note)
            requeued = requeue_person_records(session, actor, person.id, note)
            requeued += requeue_merged_coverage(session, actor, old_id, person.id, note)
        else:
            person, old_id = held, held.id
            refused = _refused_here(session, person.id)
            if refused:
                # Our refused edit is the newer intent: it goes over the transfer's version.
                person.version = max(person.version, item.version) + 1
            requeued = requeue_person_records(session, actor, person.id, note, with_person=refused)
        person.owner_centre_code = None
        if request.state == "requested":
            request.state = "approved"
        request.county_person_id = item.entity_id
        request.adopted_at = datetime.now(UTC)
        audit(
            session,
            actor,
            action="transfer.adopt",
            entity_type="person",
            entity_id=person.id,
            detail={"transfer": request.id, "merged_from": old_id, "requeued": requeued},
        )
        session.flush()
        adopted += 1
    return adopted

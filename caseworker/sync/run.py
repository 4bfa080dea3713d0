"""One sync run: seal what is pending, send every unanswered batch, pull the feeds.

Resumable at every step. Sealed batches survive a crash in the database; a batch tried
before is first looked up with ``GET /v1/batches/{id}`` (its answer may have been lost in
transit) and otherwise re-sent with exactly the same bytes. Database writes are short
transactions between network calls, so the front desk keeps working during a sync.
"""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from caseworker.services.actor import Actor, Permission
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import Device, SyncBatch, SyncLink
from caseworker.sync.batches import (
    SyncError,
    apply_answer,
    audit_refused_last,
    load_signer,
    refuse_batch,
    resend_point,
    seal_pending,
    unanswered,
)
from caseworker.sync.client import RetryPolicy, Transport, server_error, utc_now
from caseworker.sync.protocol import (
    FEED_PAGE_DEFAULT,
    BatchAnswer,
    DeviceRegistered,
    DeviceRegistration,
)
from caseworker.sync.pull import apply_reference_page, apply_registry_page, get_cursor
from caseworker.sync.transfers import adopt_transferred, refresh_transfers

Progress = Callable[[int, int, str], None]
# Refusals that no retry can cure: the batch's records go to the queue.
FINAL_REFUSALS = {400, 409, 413, 422}
# The county refused this device's audit chain: someone must look at `caseworker audit verify`.
AUDIT_REFUSALS = {"audit_chain_broken", "audit_signature_invalid", "operator_key_changed"}


@dataclass
class SyncReport:
    sealed: int = 0
    batches_sent: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    reference_applied: int = 0
    registry_applied: int = 0
    registry_skipped: int = 0
    transfers_decided: int = 0
    transfers_adopted: int = 0
    clock_skew_seconds: int | None = None


def get_link(database: Database) -> SyncLink | None:
    with database.reading() as session:
        return session.get(SyncLink, 1)


def _transport(
    database: Database,
    retry: RetryPolicy | None,
    stop: threading.Event | None,
    clock: Callable[[], datetime] | None = None,
) -> Transport:
    link = get_link(database)
    if link is None or link.registered_at is None or not link.server_url:
        raise SyncError(
            "not_registered",
            "本机尚未在县级服务器登记：请管理员运行 caseworker sync register --server 地址 --token 令牌。",
            "This installation is not registered upstream: run `caseworker sync register`.",
        )
    with database.reading() as session:
        signer = load_signer(session)
    return Transport(
        link.server_url,
        signer,
        retry or RetryPolicy(),
        stop or threading.Event(),
        clock=clock or utc_now,
    )


def register(
    database: Database,
    actor: Actor,
    server_url: str,
    token: str,
    *,
    retry: RetryPolicy | None = None,
) -> DeviceRegistered:
    """Register this device's public key upstream with a one-time token (administrators)."""
    actor.require(Permission.MANAGE_CENTRE)
    if not server_url.startswith(("http://", "https://")):
        raise SyncError(
            "bad_url",
            f"服务器地址应以 http:// 或 https:// 开头：{server_url}",
            f"Not an http(s) URL: {server_url}",
        )
    with database.reading() as session:
        signer = load_signer(session)
        device = session.get_one(Device, signer.device_id)
    public_key = base64.b64encode(
        signer.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    ).decode()
    transport = Transport(server_url, signer, retry or RetryPolicy())
    try:
        answer = transport.register(
            DeviceRegistration(
                token=token.strip(),
                centre_code=signer.centre_code,
                device_id=signer.device_id,
                device_number=device.device_number,
                name=device.name,
                public_key=public_key,
            )
        )
    finally:
        transport.close()
    with database.writing() as session:
        link = session.get(SyncLink, 1) or SyncLink(id=1)
        link.server_url = server_url.rstrip("/")
        link.registered_at = answer.registered_at
        link.township_code = answer.township_code
        link.last_error = None
        session.add(link)
        audit(
            session,
            actor,
            action="sync.register",
            entity_type="device",
            entity_id=signer.device_id,
            detail={"server": link.server_url, "township": answer.township_code},
        )
    return answer


def _record_attempt(database: Database, batch_id: uuid.UUID) -> SyncBatch:
    with database.writing() as session:
        batch = session.get_one(SyncBatch, batch_id)
        _count_attempt(batch)
        return batch


def _count_attempt(batch: SyncBatch) -> None:
    """Counted before the bytes go: a batch counted may have reached the county, so the
    next try asks for its answer first."""
    batch.attempts += 1
    batch.last_attempt_at = datetime.now(UTC)


def _apply(
    database: Database,
    batch_id: uuid.UUID,
    answer_bytes: bytes,
    via: str,
    next_batch: uuid.UUID | None = None,
) -> tuple[dict[str, int], bool]:
    """The answer applied, and in the same transaction the next batch's attempt counted
    if it was never tried (one commit per batch); returns the counts and whether it was."""
    answer = BatchAnswer.model_validate_json(answer_bytes)
    with database.writing() as session:
        counts = apply_answer(
            session, session.get_one(SyncBatch, batch_id), answer, answer_bytes, via
        )
        following = session.get(SyncBatch, next_batch) if next_batch is not None else None
        fresh = following is not None and following.state == "sealed" and following.attempts == 0
        if fresh:
            _count_attempt(following)  # type: ignore[arg-type]
        return counts, fresh


def send_batch(
    database: Database,
    transport: Transport,
    batch_id: uuid.UUID,
    *,
    counted: bool = False,
    next_batch: uuid.UUID | None = None,
) -> tuple[dict[str, int], bool]:
    """Deliver one sealed batch and apply its answer; returns counts by final state, and
    whether ``next_batch``'s attempt was counted with this answer.

    ``counted``: this run counted the attempt already (with the previous batch's answer)
    and the batch was never tried before, so there is no answer to look up first."""
    if not counted:
        with database.reading() as session:
            tried = session.get_one(SyncBatch, batch_id).attempts > 0
        if tried:
            status = transport.get_batch(batch_id)  # the answer may have been lost after commit
            if status is not None:
                return _apply(
                    database,
                    batch_id,
                    status.answer.model_dump_json(exclude_none=True).encode(),
                    "http",
                    next_batch,
                )
        batch = _record_attempt(database, batch_id)
    else:
        with database.reading() as session:
            batch = session.get_one(SyncBatch, batch_id)
    response = transport.put_batch(batch_id, batch.body, batch.signature)
    if response.status_code == 200:
        return _apply(database, batch_id, response.content, "http", next_batch)
    error = server_error(response)
    if response.status_code in FINAL_REFUSALS:
        audit_refusal = error.code in AUDIT_REFUSALS
        with database.writing() as session:
            refuse_batch(
                session,
                session.get_one(SyncBatch, batch_id),
                error.code,
                error.message,
                requeue=audit_refusal,
            )
            if audit_refusal:
                # Batches sealed after it (never sent) carry a chain the county cannot take
                # either: their records are sealed again with the next run.
                later_batches = session.scalars(
                    select(SyncBatch).where(SyncBatch.state == "sealed", SyncBatch.attempts == 0)
                ).all()
                for later in later_batches:
                    refuse_batch(session, later, error.code, error.message, requeue=True)
        if audit_refusal:
            # Not a record's fault: every later batch would be refused alike, so stop and say it.
            raise SyncError(error.code, error.message, error.message_en)
        return {"rejected": batch.record_count}, False
    with database.writing() as session:
        session.get_one(SyncBatch, batch_id).last_error = f"{error.code}: {error.message}"
    raise SyncError(error.code, error.message, error.message_en)


def pull(
    database: Database, transport: Transport, report: SyncReport, page_size: int = FEED_PAGE_DEFAULT
) -> None:
    for feed in ("reference", "registry"):
        while True:
            transport.check()
            with database.reading() as session:
                since = get_cursor(session, feed)
            if feed == "reference":
                reference = transport.reference_feed(since, page_size)
                with database.writing() as session:
                    report.reference_applied += apply_reference_page(session, reference).applied
                more = reference.more
            else:
                registry = transport.registry_feed(since, page_size)
                with database.writing() as session:
                    report.transfers_adopted += adopt_transferred(session, registry)
                    counts = apply_registry_page(session, registry)
                report.registry_applied += counts.applied
                report.registry_skipped += counts.skipped
                more = registry.more
            if not more:
                break


def _send_all(
    database: Database, transport: Transport, report: SyncReport, progress: Progress | None
) -> None:
    audit_from = None
    with database.reading() as session:
        refused = audit_refused_last(session, AUDIT_REFUSALS)
    if refused:
        # The county may have re-anchored this device's chain since: send from its head.
        county = transport.audit_head()
        with database.writing() as session:
            audit_from = resend_point(session, county)
    report.sealed += seal_pending(database, audit_from=audit_from)
    pending = unanswered(database)
    counted = False  # the batch's attempt was counted with the previous answer
    for n, batch_id in enumerate(pending):
        if progress:
            progress(n, len(pending), f"batch {n + 1}/{len(pending)}")
        transport.check()
        following = pending[n + 1] if n + 1 < len(pending) else None
        counts, counted = send_batch(
            database, transport, batch_id, counted=counted, next_batch=following
        )
        for state, count in counts.items():
            report.counts[state] = report.counts.get(state, 0) + count
        report.batches_sent += 1


def run_sync(
    database: Database,
    *,
    retry: RetryPolicy | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    pull_feeds: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> SyncReport:
    """Seal, send, pull. Raises ``SyncError`` (kept in the link's last_error) or ``Cancelled``.

    ``clock`` stands in for this computer's clock (a test gives one that is hours off)."""
    transport = _transport(database, retry, stop, clock)
    report = SyncReport()
    started = datetime.now(UTC)
    try:
        transport.meta()  # measures the clock offset that signed reads are corrected by
        report.clock_skew_seconds = int(transport.clock_offset.total_seconds())
        _send_all(database, transport, report, progress)
        report.transfers_decided = refresh_transfers(database, transport)
        if progress:
            progress(report.batches_sent, report.batches_sent, "pull")
        if pull_feeds:
            pull(database, transport, report)
        if report.transfers_adopted:
            # A person taken over: its enrolments and payments were queued again; send them.
            _send_all(database, transport, report, progress)
    except SyncError as error:
        _finish(database, started, error=f"{error.code}: {error.message}")
        raise
    finally:
        transport.close()
    _finish(database, started, skew=report.clock_skew_seconds)
    return report


def _finish(
    database: Database, started: datetime, *, error: str | None = None, skew: int | None = None
) -> None:
    with database.writing() as session:
        link = session.get_one(SyncLink, 1)
        link.last_attempt_at = started
        link.last_error = error
        if error is None:
            link.last_success_at = datetime.now(UTC)
            link.clock_skew_seconds = skew

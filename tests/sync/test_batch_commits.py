"""Sealing and sending commit little: a few batches are sealed per transaction, and a batch's
attempt is counted in the transaction that applies the previous batch's answer, so a sync
of N batches writes about N transactions, not 3N (each commit waits for the disk)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, func, select

from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import seal_pending
from caseworker.sync.run import run_sync
from tests.upstream.harness import (
    FAST_RETRY,
    connect,
    enrol_people,
    new_centre,
    server,  # noqa: F401 (fixture)
    upstream_url,  # noqa: F401 (fixture)
)


def write_transactions(session) -> list[str]:
    """Every write transaction the store begins from now on (SQLite: BEGIN IMMEDIATE)."""
    begun: list[str] = []

    @event.listens_for(session.database.engine, "before_cursor_execute")
    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement == "BEGIN IMMEDIATE":
            begun.append(statement)

    return begun


def test_a_sync_writes_about_one_transaction_per_batch(server, tmp_path: Path):  # noqa: F811
    session = new_centre(tmp_path / "centre")
    try:
        connect(session, server)
        enrol_people(session, 20)  # 60 outbox entries
        begun = write_transactions(session)
        assert seal_pending(session.database, max_records=10) == 6
        assert len(begun) == 1  # six batches, one transaction
        begun.clear()
        report = run_sync(session.database, retry=FAST_RETRY, pull_feeds=False)
        assert report.batches_sent == 6
        # Sealing (nothing left), the first attempt, six answers (each counting the next
        # batch's attempt), the run's end: not an attempt and an answer per batch.
        assert len(begun) <= 6 + 3, len(begun)
        with session.database.reading() as db:
            assert set(db.scalars(select(OutboxEntry.sync_state))) == {"accepted"}
            attempts = db.execute(
                select(func.min(SyncBatch.attempts), func.max(SyncBatch.attempts))
            )
            assert tuple(attempts.one()) == (1, 1)  # each counted once, before it went
    finally:
        session.close()


def test_a_sealed_record_is_the_outbox_entry(tmp_path: Path):
    """Records are written into the batch from the store's own text (UUIDs, times, payload
    JSON): each reads back as the entry it came from, field for field."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from caseworker.sync.batches import RECORD_COLUMNS, _record_json
    from caseworker.sync.protocol import Record

    session = new_centre(tmp_path / "centre")
    try:
        enrol_people(session, 3)  # names in Chinese, nulls, dates, nested lists
        with session.database.writing() as db:
            first = db.scalar(select(func.min(OutboxEntry.seq)))
            whole_second = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)  # no microseconds
            db.execute(
                update(OutboxEntry).where(OutboxEntry.seq == first).values(created_at=whole_second)
            )
        with session.database.reading() as db:
            raw = db.execute(select(*RECORD_COLUMNS).order_by(OutboxEntry.seq)).all()
            entries = db.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
            assert len(raw) == len(entries) == 9
            for row, entry in zip(raw, entries, strict=True):
                sealed = Record.model_validate_json(_record_json(row))
                assert sealed == Record(
                    id=entry.id,
                    seq=entry.seq,
                    entity_type=entry.entity_type,
                    entity_id=entry.entity_id,
                    operation=entry.operation,
                    hlc=entry.hlc,
                    operator_id=entry.operator_id,
                    created_at=entry.created_at,
                    payload=entry.payload,
                )
            assert entries[0].created_at == whole_second
    finally:
        session.close()

"""Sealing carries the audit trail: every entry once, in order, split to fit the batch size,
and a county (in-process, SQLite) takes the split chain batch after batch."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession
from caseworker.store.models import AuditEntry, SyncBatch
from caseworker.sync import batches
from caseworker.sync.protocol import BatchAnswer, BatchUpload
from caseworker.upstream.intake import receive_batch
from tests.upstream.harness import enrol_people, new_centre, register_in_process


@pytest.fixture
def admin(tmp_path: Path):
    session = new_centre(tmp_path / "a")
    yield session
    session.close()


def test_audit_entries_are_split_across_batches_and_the_county_takes_them_in_order(
    admin: OpenSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    enrol_people(admin, 12)
    monkeypatch.setattr(batches, "MAX_BATCH_BYTES", 12_000)  # small, so audit must split
    assert batches.seal_pending(admin.database) > 2
    with admin.database.reading() as db:
        sealed = db.scalars(select(SyncBatch).order_by(SyncBatch.sealed_at)).all()
        total = db.scalar(select(func.count()).select_from(AuditEntry))
        records = sum(b.record_count for b in sealed)
    assert records == 36  # each person, its enrolment and the pension status it derives
    ranges = [(b.audit_first_seq, b.audit_last_seq) for b in sealed if b.audit_first_seq]
    # Every entry exactly once, in order; every body within the limit.
    assert [n for first, last in ranges for n in range(first, last + 1)] == list(
        range(1, total + 1)
    )
    assert all(len(b.body) <= 12_000 for b in sealed)
    county = register_in_process(admin, f"sqlite:///{tmp_path / 'county.db'}")
    try:
        for batch in sealed:
            upload = BatchUpload.model_validate_json(batch.body)
            answer = BatchAnswer.model_validate_json(
                receive_batch(
                    county,
                    batch.id,
                    batch.body,
                    str(admin.actor.device_id),
                    base64.b64encode(batch.signature).decode(),
                )
            )
            if upload.audit is not None:
                assert answer.audit_head == upload.audit.head
        assert answer.audit_head is not None and answer.audit_head.seq == total
    finally:
        county.close()


def test_nothing_to_send_seals_nothing(admin: OpenSession):
    # The setup entry and the harness turning review off: audit only.
    assert batches.seal_pending(admin.database) == 1
    assert batches.seal_pending(admin.database) == 0
    with admin.database.reading() as db:
        only = db.scalars(select(SyncBatch)).one()
    assert only.record_count == 0 and (only.audit_first_seq, only.audit_last_seq) == (1, 2)

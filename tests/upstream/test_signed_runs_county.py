"""The county's side of signed runs (SQLite and PostgreSQL): a bulk write's runs, each signed
once by its checkpoint, continue the device's chain; a batch whose run was altered, cut,
thinned or reordered by someone holding the centre's database key is refused whole."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.domain.audit_chain import CHECKPOINT_ACTION, RUN_MAX, hash_of
from caseworker.services.bulk_write import BulkWriter
from caseworker.services.centre import OpenSession
from caseworker.store.models import AuditEntry
from caseworker.sync.batches import audit_part
from caseworker.sync.protocol import (
    AuditSegment,
    AuditWireEntry,
    BatchAnswer,
    BatchUpload,
    ChainHead,
)
from caseworker.upstream.chain_reset import accept_device_loss
from caseworker.upstream.intake import Refused
from tests.services.test_bulk_write import _people, _write
from tests.upstream.harness import new_centre, register_in_process
from tests.upstream.test_audit_chain import _send, county_state


def _bulk(session: OpenSession, people: int) -> None:
    with session.database.writing() as db:
        writer = BulkWriter(db, session.actor)
        _write(writer, _people(people))
        writer.close()


def _segment(session: OpenSession, budget: int = 900_000) -> AuditSegment:
    with session.database.reading() as local:
        part = audit_part(local, budget)
    assert part is not None
    return AuditSegment.model_validate_json(part.json)


def _upload(session: OpenSession, entries: list[AuditWireEntry], segment: AuditSegment):
    last = entries[-1]
    return BatchUpload(
        batch_id=uuid.uuid4(),
        device_id=session.actor.device_id,
        centre_code=session.actor.centre_code,
        sealed_at=datetime.now(UTC),
        records=[],
        audit=segment.model_copy(
            update={"entries": entries, "head": ChainHead(seq=last.seq, hash=last.hash)}
        ),
    )


def _rechain(entries: list[AuditWireEntry], first_seq: int, prev: str) -> list[AuditWireEntry]:
    """What the attacker does after an edit: number again and re-chain, signatures kept."""
    out = []
    for seq, entry in enumerate(entries, first_seq):
        entry = entry.model_copy(update={"seq": seq, "prev_hash": prev})
        entry = entry.model_copy(update={"hash": hash_of(entry)})
        out.append(entry)
        prev = entry.hash
    return out


def test_runs_reach_the_county_and_a_segment_never_ends_inside_one(
    upstream_url: str, tmp_path: Path
) -> None:
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        _send(db, admin)
        _bulk(admin, RUN_MAX + 40)
        # A small budget: the segment stops at the last entry a signature closes.
        small = _segment(admin, budget=40_000)
        assert small.entries[-1].signature is not None
        assert small.entries[-1].action == CHECKPOINT_ACTION or len(small.entries) == 1
        while True:
            answer = BatchAnswer.model_validate_json(_send(db, admin))
            with admin.database.reading() as local:
                head = local.execute(
                    select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())
                ).first()
            if answer.audit_head is not None and answer.audit_head.seq == head.seq:
                break
        assert answer.audit_head.hash == head.hash
    finally:
        db.close()
        admin.close()


def _alter(entries: list[AuditWireEntry]) -> list[AuditWireEntry]:
    entries[4] = entries[4].model_copy(
        update={"detail": entries[4].detail | {"payload_sha256": "0" * 64}}
    )
    return entries


def _remove(entries: list[AuditWireEntry]) -> list[AuditWireEntry]:
    return entries[:3] + entries[4:]


def _reorder(entries: list[AuditWireEntry]) -> list[AuditWireEntry]:
    entries[2], entries[7] = entries[7], entries[2]
    return entries


def _insert(entries: list[AuditWireEntry]) -> list[AuditWireEntry]:
    forged = entries[5].model_copy(update={"id": uuid.uuid4(), "detail": {"forged": True}})
    return [*entries[:6], forged, *entries[6:]]


@pytest.mark.parametrize("edit", [_alter, _remove, _reorder, _insert])
def test_a_run_rewritten_with_the_database_key_is_refused(
    upstream_url: str, tmp_path: Path, edit: Callable[[list[AuditWireEntry]], list]
) -> None:
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        _send(db, admin)
        _bulk(admin, 12)
        segment = _segment(admin)
        assert segment.entries[-1].action == CHECKPOINT_ACTION
        run = segment.entries[-13:]  # the twelve changes and their checkpoint
        assert all(e.signature is None for e in run[:-1]) and run[-1].detail == {"count": 12}
        before = county_state(db, admin)
        head = segment.entries[: -len(run)]
        entries = head + _rechain(edit(list(run)), run[0].seq, run[0].prev_hash)
        with pytest.raises(Refused) as refused:
            _send(db, admin, _upload(admin, entries, segment))
        assert refused.value.code == "audit_signature_invalid"
        assert county_state(db, admin) == before
        # The run as written goes.
        BatchAnswer.model_validate_json(_send(db, admin, _upload(admin, segment.entries, segment)))
        assert county_state(db, admin)[0] == (segment.head.seq, segment.head.hash)
    finally:
        db.close()
        admin.close()


def test_a_segment_cut_inside_a_run_is_refused(upstream_url: str, tmp_path: Path) -> None:
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        _send(db, admin)
        _bulk(admin, 12)
        segment = _segment(admin)
        before = county_state(db, admin)
        with pytest.raises(Refused) as refused:  # the checkpoint left out
            _send(db, admin, _upload(admin, segment.entries[:-1], segment))
        assert refused.value.code == "audit_signature_invalid"
        assert "没有签名检查点" in refused.value.message
        assert county_state(db, admin) == before
    finally:
        db.close()
        admin.close()


def test_the_county_re_anchors_at_a_checkpoint_never_inside_a_run(
    upstream_url: str, tmp_path: Path
) -> None:
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        _send(db, admin)
        _bulk(admin, 12)
        _send(db, admin)
        (checkpoint,) = _checkpoints(admin)
        before = county_state(db, admin)
        device = admin.actor.device_id
        with pytest.raises(Refused) as refused:
            accept_device_loss(db, device, checkpoint - 5, "县级管理员", "测试：中心报告丢失")
        assert refused.value.code == "inside_signed_run"
        assert county_state(db, admin) == before
        accept_device_loss(db, device, checkpoint - 13, "县级管理员", "测试：中心报告丢失")
        assert county_state(db, admin)[0][0] == checkpoint - 13
    finally:
        db.close()
        admin.close()


def _checkpoints(session: OpenSession) -> list[int]:
    with session.database.reading() as local:
        return list(
            local.scalars(select(AuditEntry.seq).where(AuditEntry.action == CHECKPOINT_ACTION))
        )

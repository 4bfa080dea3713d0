"""Signed runs, played by someone who holds the database key (real SQLCipher files).

A bulk write signs each run of its entries once, with a checkpoint entry of the same
operator. Whoever holds the database key but not the operator's signing key rewrites the
audit table through SQL and re-chains the hashes; ``audit verify`` must name the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from caseworker.domain.audit_chain import CHECKPOINT_ACTION, RUN_MAX, entry_hash
from caseworker.services.bulk_write import BulkWriter
from caseworker.services.centre import OpenSession, login
from caseworker.services.journal import audit, verify_audit_chain
from caseworker.store.keys import KeyFile
from caseworker.store.models import AuditEntry, new_id
from tests.conftest import CLERK_PASSWORD
from tests.services.test_bulk_write import _people, _write

HASHED = ("id", "at", "operator_id", "operator_name", "action", "entity_type", "entity_id")


@pytest.fixture
def clerk_session(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def _bulk(session: OpenSession, people: int) -> list[int]:
    """People written through the bulk path; the seqs of the checkpoints it signed."""
    with session.database.writing() as db:
        writer = BulkWriter(db, session.actor)
        _write(writer, _people(people))
        writer.close()
    with session.database.reading() as db:
        return list(
            db.scalars(
                select(AuditEntry.seq)
                .where(AuditEntry.action == CHECKPOINT_ACTION)
                .order_by(AuditEntry.seq)
            )
        )


def _verify(session: OpenSession):
    with session.database.reading() as db:
        return verify_audit_chain(db, KeyFile.load(session.database.paths.key_file))


def _rewrite(session: OpenSession, start: int, edit: Callable[[list[dict]], list[dict]]) -> None:
    """What the attacker does: take the entries from ``start`` on, edit them, number them
    again and re-chain every hash after the edit; signatures stay as they were."""
    with session.database.writing() as db:
        rows = [
            dict(row._mapping)
            for row in db.execute(
                select(AuditEntry.__table__).where(AuditEntry.seq >= start).order_by("seq")
            )
        ]
        previous = db.scalar(select(AuditEntry.hash).where(AuditEntry.seq == start - 1))
        db.execute(delete(AuditEntry).where(AuditEntry.seq >= start))
        for seq, row in enumerate(edit(rows), start):
            row["seq"], row["prev_hash"] = seq, previous
            row["hash"] = previous = entry_hash(
                **{name: row[name] for name in (*HASHED, "detail", "prev_hash")}
            )
            db.execute(insert(AuditEntry), row)


def _forged(like: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return like | {"id": new_id(), "signature": None} | changes


def test_a_bulk_write_is_signed_in_runs_and_verifies(centre: OpenSession) -> None:
    checkpoints = _bulk(centre, RUN_MAX + 40)  # two runs: a full one, and the rest
    assert len(checkpoints) == 2
    with centre.database.reading() as db:
        rows = db.execute(
            select(AuditEntry.seq, AuditEntry.signature, AuditEntry.signer, AuditEntry.detail)
            .where(AuditEntry.seq > checkpoints[0] - RUN_MAX - 1)
            .order_by(AuditEntry.seq)
        ).all()
    by_seq = {row.seq: row for row in rows}
    assert by_seq[checkpoints[0]].detail == {"count": RUN_MAX}
    assert by_seq[checkpoints[1]].detail == {"count": 40}
    unsigned = [row for row in rows if row.signature is None]
    assert len(unsigned) == RUN_MAX + 40  # each change: its checkpoint signs it
    assert {row.signer for row in unsigned} == {str(centre.actor.operator_id)}
    report = _verify(centre)
    assert report.ok, report.problem_en
    assert report.unsigned == 0  # a run is signed, not "from before signing keys"


def _edit_run(session: OpenSession, edit: Callable[[list[dict]], list[dict]]):
    """Write a run, let ``edit`` rewrite it (its checkpoint last in the list), verify."""
    (checkpoint,) = _bulk(session, 20)
    _rewrite(session, checkpoint - 20, edit)
    return _verify(session), checkpoint


def test_an_entry_altered_inside_a_run_is_found(centre: OpenSession) -> None:
    def alter(rows: list[dict]) -> list[dict]:
        rows[5]["detail"] = rows[5]["detail"] | {"payload_sha256": "0" * 64}
        return rows

    report, checkpoint = _edit_run(centre, alter)
    assert not report.ok and report.first_bad_seq == checkpoint
    assert report.problem.startswith("签名无效")


def test_an_entry_inserted_inside_a_run_is_found(centre: OpenSession) -> None:
    report, checkpoint = _edit_run(centre, lambda rows: [*rows[:7], _forged(rows[6]), *rows[7:]])
    assert not report.ok and report.first_bad_seq == checkpoint + 1
    assert "签名检查点不符" in report.problem and "21 before it" in report.problem_en


def test_an_entry_removed_from_a_run_is_found(centre: OpenSession) -> None:
    report, checkpoint = _edit_run(centre, lambda rows: rows[:3] + rows[4:])
    assert not report.ok and report.first_bad_seq == checkpoint - 1
    assert "签名检查点不符" in report.problem


def test_an_entry_removed_and_the_count_mended_is_found(centre: OpenSession) -> None:
    def remove(rows: list[dict]) -> list[dict]:
        rows[-1]["detail"] = {"count": 19}
        return rows[:3] + rows[4:]

    report, checkpoint = _edit_run(centre, remove)
    assert not report.ok and report.first_bad_seq == checkpoint - 1
    assert report.problem.startswith("签名无效")


def test_entries_reordered_inside_a_run_are_found(centre: OpenSession) -> None:
    def swap(rows: list[dict]) -> list[dict]:
        rows[2], rows[9] = rows[9], rows[2]
        return rows

    report, checkpoint = _edit_run(centre, swap)
    assert not report.ok and report.first_bad_seq == checkpoint
    assert report.problem.startswith("签名无效")


def test_another_operators_entry_slipped_into_a_run_is_found(
    centre: OpenSession, clerk_session: OpenSession
) -> None:
    clerk = clerk_session.actor

    def slip(rows: list[dict]) -> list[dict]:
        other = _forged(rows[4], operator_id=clerk.operator_id, signer=str(clerk.operator_id))
        return [*rows[:5], other, *rows[5:]]

    report, checkpoint = _edit_run(centre, slip)
    assert not report.ok and report.first_bad_seq == checkpoint - 20 + 5
    assert "混有不同操作员" in report.problem


def test_an_entry_appended_after_the_last_checkpoint_is_found(centre: OpenSession) -> None:
    (checkpoint,) = _bulk(centre, 5)
    _rewrite(
        centre,
        checkpoint,
        lambda rows: [*rows, _forged(rows[0] | {"detail": {}, "action": "person.create"})],
    )
    report = _verify(centre)
    assert not report.ok and report.first_bad_seq == checkpoint + 1
    assert "没有签名检查点" in report.problem


def test_a_checkpoint_stripped_of_its_signature_leaves_its_run_unsigned(
    centre: OpenSession,
) -> None:
    (checkpoint,) = _bulk(centre, 5)
    with centre.database.writing() as db:
        db.execute(update(AuditEntry).where(AuditEntry.seq == checkpoint).values(signature=None))
    report = _verify(centre)
    assert not report.ok and "没有签名检查点" in report.problem


def test_an_operator_entry_right_after_a_forged_run_is_found(centre: OpenSession) -> None:
    """Forged awaiting entries at the end, then the operator's next (signed) entry: its
    signature covers the chain, but it is no checkpoint of theirs, so it signs no run."""
    (checkpoint,) = _bulk(centre, 3)
    _rewrite(
        centre,
        checkpoint,
        lambda rows: [*rows, _forged(rows[0] | {"detail": {}, "action": "person.create"})],
    )
    with centre.database.writing() as db:
        audit(db, centre.actor, action="test.after", entity_type="t", entity_id=None, detail={})
    report = _verify(centre)
    assert not report.ok and report.first_bad_seq == checkpoint + 2

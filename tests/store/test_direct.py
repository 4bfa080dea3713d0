"""The store on a DB-API connection (store/direct.py, store/rows.py): rows written there read
back through the models exactly, and the other way round; its transactions and marks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from caseworker.domain.audit_chain import DEVICE_SIGNER, GENESIS_HASH, new_entry
from caseworker.services.centre import OpenSession
from caseworker.services.journal import verify_audit_chain
from caseworker.store.database import open_database
from caseworker.store.direct import audit_head, dbapi_of, insert_audit, open_direct
from caseworker.store.keys import KeyFile
from caseworker.store.marks import load_marks
from caseworker.store.models import AuditEntry
from caseworker.store.rows import datetime_value, json_value, new_id, uuid_value


def test_new_ids_are_version_7_and_in_the_order_made():
    ids = [new_id() for _ in range(1000)]
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {uuid.RFC_4122}
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    made_at = (ids[0].int >> 80) / 1000
    assert abs(made_at - datetime.now(UTC).timestamp()) < 60


def test_rows_are_laid_out_as_the_models_lay_them_out(centre: OpenSession):
    with centre.database.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        raw = (
            dbapi_of(session)
            .execute(
                "SELECT id, at, operator_id, detail FROM audit_entry WHERE seq = ?", (entry.seq,)
            )
            .fetchone()
        )
    assert raw == (
        uuid_value(entry.id),
        datetime_value(entry.at),
        uuid_value(entry.operator_id),
        json_value(entry.detail),
    )
    with pytest.raises(ValueError, match="naive"):
        datetime_value(datetime(2026, 1, 1))


def _paths_and_key(centre: OpenSession):
    paths, key = centre.database.paths, centre.database_key
    centre.close()
    return paths, key, KeyFile.load(paths.key_file).file_id


def test_an_entry_written_directly_reads_back_through_the_models_and_verifies(
    centre: OpenSession,
):
    key_file = centre.key_file
    paths, key, file_id = _paths_and_key(centre)
    store = open_direct(paths, key, file_id)
    assert store is not None
    with store.writing() as connection:
        device_key = Ed25519PrivateKey.from_private_bytes(
            bytes(connection.execute("SELECT signing_key FROM device").fetchone()[0])
        )
        entry = new_entry(
            device_key,
            DEVICE_SIGNER,
            id=new_id(),
            prev_hash=audit_head(connection),
            operator_id=None,
            operator_name="system",
            action="test.direct",
            entity_type="centre",
            entity_id=uuid.uuid4(),
            detail={"名字": "单雄信", "n": 1, "when": datetime(2026, 1, 2, tzinfo=UTC)},
        )
        seq = insert_audit(connection, entry)
    store.close()
    marks = load_marks(paths.marks, key, file_id)
    assert marks is not None and (marks.audit_seq, marks.audit_hash) == (seq, entry["hash"])

    database = open_database(paths, key, file_id=file_id)
    try:
        assert database.loss is None
        with database.reading() as session:
            row = session.scalar(select(AuditEntry).where(AuditEntry.seq == seq))
            assert (row.id, row.at, row.entity_id, row.detail, row.hash) == (
                entry["id"],
                entry["at"],
                entry["entity_id"],
                entry["detail"],
                entry["hash"],
            )
            assert verify_audit_chain(session, key_file).ok
    finally:
        database.close()


def test_a_failed_write_leaves_nothing_and_moves_no_mark(centre: OpenSession):
    paths, key, file_id = _paths_and_key(centre)
    before = load_marks(paths.marks, key, file_id)
    store = open_direct(paths, key, file_id)
    assert store is not None
    with pytest.raises(RuntimeError), store.writing() as connection:
        connection.execute("UPDATE device SET name = 'changed'")
        raise RuntimeError("half way")
    with store.reading() as connection:
        assert connection.execute("SELECT name FROM device").fetchone()[0] != "changed"
        assert audit_head(connection) != GENESIS_HASH
    store.close()
    assert load_marks(paths.marks, key, file_id) == before

"""The intake's advisory locks: stable keys, the right things covered, taken in ascending
order and held to the end of the transaction (PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, date, datetime

import psycopg
import pytest

from caseworker.domain.ids import make_id_number
from caseworker.sync.protocol import Record
from caseworker.upstream.db import open_upstream
from caseworker.upstream.locks import batch_keys, lock_for_records, lock_key, lock_keys

PG = "host=127.0.0.1 user=postgres dbname=test"
NUMBER = make_id_number("320583", date(1960, 1, 1), 101)


def record(kind: str, payload: dict, entity_id: uuid.UUID | None = None) -> Record:
    entity_id = entity_id or uuid.uuid4()
    return Record(
        id=uuid.uuid4(),
        seq=1,
        entity_type=kind,
        entity_id=entity_id,
        operation="create" if kind == "payment" else "upsert",
        hlc=1,
        operator_id=uuid.uuid4(),
        created_at=datetime.now(UTC),
        payload={"id": str(entity_id), "version": 1, **payload},
    )


def test_keys_are_stable_across_processes_and_versions():
    # Two server processes (or two versions during an upgrade) must agree on every key.
    assert lock_key("person", "0" * 32) == 4_031_225_010_014_496_353  # SHA-256, first 8 bytes
    assert lock_key("id_number", "1") != lock_key("receipt_number", "1")


def test_a_person_and_what_hangs_off_it_share_one_key():
    person_id = uuid.uuid4()
    person = record("person", {"id_number": NUMBER.lower(), "name": "王秀英"}, person_id)
    enrolment = record("enrolment", {"person_id": str(person_id), "scheme": "resident_pension"})
    payment = record("payment", {"person_id": str(person_id), "receipt_number": "R1"})
    survey = record("survey_entry", {"person_id": str(person_id)})
    keys = batch_keys([person, enrolment, payment, survey])
    assert keys == sorted(
        {
            lock_key("person", str(person_id)),
            lock_key("id_number", NUMBER),  # stored upper-case: the same key as the row's
            lock_key("receipt_number", "R1"),
        }
    )
    # The same ID number under another centre's UUID meets the first at that key.
    other = record("person", {"id_number": NUMBER, "name": "王秀英"})
    assert lock_key("id_number", NUMBER) in batch_keys([other])


def test_records_the_appliers_reject_lock_nothing_of_theirs():
    keys = batch_keys(
        [
            record("person", {"id_number": "not a number"}),
            record("enrolment", {"person_id": "not a uuid"}),
            record("employer", {"credit_code": "bad"}),
            record("unknown_kind", {}),
        ]
    )
    assert len(keys) == 2  # the person's and the employer's own ids only


def test_sqlite_takes_no_locks(tmp_path):
    db = open_upstream(f"sqlite:///{tmp_path / 'county.db'}")
    try:
        with db.writing() as session:
            conn = session.connection()
            assert lock_for_records(conn, [record("person", {"id_number": NUMBER})]) == 0
    finally:
        db.close()


@pytest.fixture
def pg_url():
    from tests.upstream.harness import PG_ADMIN_URL, postgres_problem

    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    return PG_ADMIN_URL


def _held(key: int) -> bool:
    """Whether another transaction holds ``key`` (tried from a fresh connection)."""
    with psycopg.connect(PG) as conn:
        return not conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (key,)).fetchone()[0]


def test_locks_are_taken_in_ascending_order_and_held_to_commit(pg_url):
    low, middle, high = -(2**62), 7, 2**62
    db = open_upstream(pg_url, migrate=False)
    blocker = psycopg.connect(PG)
    try:
        blocker.execute("SELECT pg_advisory_xact_lock(%s)", (middle,))
        done = threading.Event()

        def take() -> None:
            with db.writing() as session:
                lock_keys(session.connection(), [high, middle, low])  # given out of order
                done.wait(30)

        thread = threading.Thread(target=take)
        thread.start()
        # Wait (on a condition, not a clock) until the taker queues behind ``middle``.
        deadline = time.monotonic() + 30
        with psycopg.connect(PG, autocommit=True) as watcher:
            while not watcher.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND objid = %s",
                (middle,),
            ).fetchone()[0]:
                assert time.monotonic() < deadline, "the taker never queued"
        # Ascending: the lower key is held, the higher one not yet asked for.
        assert _held(low) and not _held(high)
        blocker.rollback()  # let it through
        deadline = time.monotonic() + 30
        while not _held(high):
            assert time.monotonic() < deadline, "the taker never got the last key"
        assert _held(middle)
        done.set()
        thread.join(30)
        # Committed: all released.
        assert not (_held(low) or _held(middle) or _held(high))
    finally:
        blocker.close()
        db.close()

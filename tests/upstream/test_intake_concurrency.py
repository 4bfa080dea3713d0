"""Concurrent intake on PostgreSQL: eight devices upload the same people at once, in
different orders, through the real server. Every answer is looked at (raw PUTs, no
client retries to hide a 503): no deadlock, one person per ID number, every record
answered once, the registry feed without gaps."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import load_signer, seal_pending
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import AppliedRecord, Person, RegistryChange
from tests.upstream.harness import TODAY, Server, connect, person, review_off
from tests.upstream.test_intake import put

# PostgreSQL only: SQLite's writers queue behind BEGIN IMMEDIATE and cannot deadlock.
pytestmark = pytest.mark.parametrize("upstream_url", ["postgresql"], indirect=True)

CENTRES = 4
DEVICES_PER_CENTRE = 2
PEOPLE = 40
# 40 people, their enrolments and the pension status each derives: 4 batches per device
RECORDS_PER_BATCH = 30
RECORDS_PER_PERSON = 3


def _devices(tmp_path: Path, server: Server) -> list:
    """Eight devices (four centres, two computers each), each with its own store."""
    sessions = []
    for c in range(CENTRES):
        for d in range(1, DEVICES_PER_CENTRE + 1):
            session = review_off(  # uploads go at once, as sync tests expect
                setup_centre(
                    DataPaths(tmp_path / f"c{c}d{d}"),
                    centre_code=f"32058310{c}",
                    centre_name=f"镇{c}",
                    admin_username="admin",
                    admin_password="admin password 1",
                    device_number=d,
                ).session
            )
            sessions.append(session)
            connect(session, server)
    return sessions


def _enrol_shuffled(session, order: list[int]) -> list[SyncBatch]:
    """The same people as every other device (own UUIDs), in this device's own order."""
    for n in order:
        enrol(
            session.database,
            session.actor,
            person(n),
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
    seal_pending(session.database, max_records=RECORDS_PER_BATCH)
    with session.database.reading() as db:
        return list(db.scalars(select(SyncBatch).order_by(SyncBatch.first_seq)))


@pytest.mark.slow
def test_eight_devices_uploading_the_same_people_at_once(server, tmp_path):
    sessions = _devices(tmp_path, server)
    try:
        rng = random.Random(8)
        uploads = []
        for session in sessions:
            order = list(range(PEOPLE))
            rng.shuffle(order)
            batches = _enrol_shuffled(session, order)
            with session.database.reading() as db:
                device = load_signer(db).device_id
                sent = set(db.scalars(select(OutboxEntry.id)))
            uploads.append((device, batches, sent))
        per_device = RECORDS_PER_PERSON * PEOPLE // RECORDS_PER_BATCH
        assert all(len(batches) == per_device for _, batches, _ in uploads)

        barrier = threading.Barrier(len(uploads))
        answers: list[list[httpx.Response]] = [[] for _ in uploads]

        def upload(slot: int) -> None:
            device, batches, _ = uploads[slot]
            barrier.wait()
            for batch in batches:
                answers[slot].append(put(server, batch.id, batch.body, device, batch.signature))

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(len(uploads))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads)

        # Every batch answered 200 at the first try: no 503 from a deadlock, nothing retried.
        failed = [(r.status_code, r.text[:300]) for slot in answers for r in slot if r.is_error]
        assert failed == []
        assert "deadlock" not in server.errors().lower()
        assert sum(len(slot) for slot in answers) == sum(len(b) for _, b, _ in uploads)

        # Every record answered exactly once, in the answer of the batch that carried it.
        statuses: Counter[tuple[str, str, str | None]] = Counter()
        accepted: set[uuid.UUID] = set()
        for (_, _, sent), slot in zip(uploads, answers, strict=True):
            results = [result for r in slot for result in r.json()["results"]]
            answered = [uuid.UUID(result["record_id"]) for result in results]
            assert len(answered) == len(set(answered)) and set(answered) == sent
            for result in results:
                statuses[(result["entity_type"], result["status"], result.get("code"))] += 1
                if result["status"] in ("created", "updated", "already_applied"):
                    accepted.add(uuid.UUID(result["record_id"]))
        others = PEOPLE * (len(uploads) - 1)
        # Each person is won by one device: the other computer of its centre is told of the
        # duplicate with the copy, the other centres' devices only where it is registered.
        siblings = PEOPLE * (DEVICES_PER_CENTRE - 1)
        assert statuses == {
            ("person", "created", None): PEOPLE,
            ("enrolment", "created", None): PEOPLE,
            ("coverage", "created", None): PEOPLE,
            ("person", "conflict", "duplicate_id_number"): siblings,
            ("person", "conflict", "registered_elsewhere"): others - siblings,
            ("enrolment", "rejected", "unknown_person"): others,
            ("coverage", "rejected", "unknown_person"): others,
        }

        db = open_upstream(server.db_url)
        try:
            with db.reading() as up:
                numbers = list(up.scalars(select(Person.id_number)))
                applied = set(up.scalars(select(AppliedRecord.record_id)))
                seqs = list(up.scalars(select(RegistryChange.seq).order_by(RegistryChange.seq)))
                persons_fed = up.scalar(
                    select(func.count())
                    .select_from(RegistryChange)
                    .where(RegistryChange.entity_type == "person")
                )
        finally:
            db.close()
        assert len(numbers) == len(set(numbers)) == PEOPLE  # one person per ID number
        assert applied == accepted  # what was answered accepted is recorded, nothing else
        # The feed has no gaps: each person, enrolment and status once.
        assert seqs == list(range(1, RECORDS_PER_PERSON * PEOPLE + 1))
        assert persons_fed == PEOPLE
    finally:
        for session in sessions:
            session.close()

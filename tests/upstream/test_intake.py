"""Batch intake over HTTP on the real server: refusals with clear codes, idempotency,
one person per ID number under concurrent uploads."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import load_signer, seal_pending
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Person
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, new_centre


def sealed(session) -> SyncBatch:
    seal_pending(session.database)
    with session.database.reading() as db:
        return db.scalars(select(SyncBatch)).one()


def put(server: Server, batch_id, body: bytes, device, signature: bytes) -> httpx.Response:
    headers = {DEVICE_HEADER: str(device), SIGNATURE_HEADER: base64.b64encode(signature).decode()}
    return httpx.put(
        f"{server.base}/v1/batches/{batch_id}", content=body, headers=headers, timeout=30
    )


@pytest.fixture
def two_centres(server: Server, tmp_path: Path):
    a = new_centre(tmp_path / "a", "320583101", "玉山镇")
    b = new_centre(tmp_path / "b", "320583102", "周市镇")
    connect(a, server)
    connect(b, server)
    yield a, b
    a.close()
    b.close()


def test_forged_tampered_and_replayed_batches_are_refused(server, two_centres):
    a, b = two_centres
    enrol_people(a, 2)
    batch = sealed(a)
    with a.database.reading() as db:
        a_device = load_signer(db).device_id
    with b.database.reading() as db:
        b_signer = load_signer(db)

    # Tampered: one byte changed after signing.
    tampered = batch.body.replace(b"320583", b"320584", 1)
    answer = put(server, batch.id, tampered, a_device, batch.signature)
    assert (answer.status_code, answer.json()["code"]) == (403, "bad_signature")
    # Forged: signed by a key no device registered.
    forged = Ed25519PrivateKey.generate().sign(batch.body)
    answer = put(server, batch.id, batch.body, a_device, forged)
    assert (answer.status_code, answer.json()["code"]) == (403, "bad_signature")
    # Replayed from another device: B sends A's bytes with A's signature under its own id…
    answer = put(server, batch.id, batch.body, b_signer.device_id, batch.signature)
    assert (answer.status_code, answer.json()["code"]) == (403, "bad_signature")
    # …or re-signs them with its own key: the batch still names device A.
    answer = put(server, batch.id, batch.body, b_signer.device_id, b_signer.sign(batch.body))
    assert (answer.status_code, answer.json()["code"]) == (403, "device_mismatch")
    # Unknown device, malformed headers, URL/body id mismatch.
    answer = put(server, batch.id, batch.body, uuid.uuid4(), batch.signature)
    assert answer.json()["code"] == "unknown_device"
    answer = httpx.put(f"{server.base}/v1/batches/{batch.id}", content=batch.body, timeout=10)
    assert (answer.status_code, answer.json()["code"]) == (400, "bad_device_header")
    answer = put(server, uuid.uuid4(), batch.body, a_device, batch.signature)
    assert (answer.status_code, answer.json()["code"]) == (400, "batch_id_mismatch")
    # Nothing of the above was applied.
    db = open_upstream(server.db_url)
    with db.reading() as up:
        assert up.scalar(select(func.count()).select_from(Person)) == 0
    db.close()

    # The genuine batch goes in; the same bytes again get the same answer byte for byte.
    first = put(server, batch.id, batch.body, a_device, batch.signature)
    again = put(server, batch.id, batch.body, a_device, batch.signature)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert {r["status"] for r in first.json()["results"]} == {"created"}
    # Same id, different (validly signed) bytes → 409.
    with a.database.reading() as db:
        signer = load_signer(db)
    other = batch.body.replace(b'"records":[', b'"records":[', 1).replace(b"}]}", b"}] }")
    answer = put(server, batch.id, other, a_device, signer.sign(other))
    assert (answer.status_code, answer.json()["code"]) == (409, "batch_id_reused")


def test_centre_mismatch_is_refused(server, two_centres):
    a, _ = two_centres
    enrol_people(a, 1)
    batch = sealed(a)
    with a.database.reading() as db:
        signer = load_signer(db)
    body = json.loads(batch.body)
    body["centre_code"] = "320583102"
    raw = json.dumps(body).encode()
    answer = put(server, batch.id, raw, signer.device_id, signer.sign(raw))
    assert (answer.status_code, answer.json()["code"]) == (403, "centre_mismatch")
    body["records"][0]["payload"] = "not an object"
    raw = json.dumps(body).encode()
    answer = put(server, batch.id, raw, signer.device_id, signer.sign(raw))
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_batch"
    assert "records.0.payload" in answer.json()["message_en"]


def test_invalid_records_are_rejected_one_by_one(server, two_centres):
    a, _ = two_centres
    enrol_people(a, 2)
    with a.database.writing() as db:
        first = db.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).first()
        first.payload = first.payload | {"id_number": "320583199913130000"}
    report = run_sync(a.database, retry=FAST_RETRY)
    # The broken person is rejected, its enrolment and pension status too (no person
    # upstream), the rest accepted.
    assert report.counts == {"accepted": 3, "rejected": 3}
    with a.database.reading() as db:
        codes = dict(
            db.execute(
                select(OutboxEntry.seq, OutboxEntry.result_code).where(
                    OutboxEntry.sync_state == "rejected"
                )
            ).all()
        )
    assert sorted(codes.values()) == ["invalid_id_number", "unknown_person", "unknown_person"]


def test_same_person_uploaded_at_once_by_several_centres(server, tmp_path):
    centres = [new_centre(tmp_path / f"c{n}", f"32058310{n}", f"镇{n}") for n in range(4)]
    try:
        for session in centres:
            connect(session, server)
            enrol_people(session, 5)  # the same five ID numbers, different UUIDs everywhere
            seal_pending(session.database)
        barrier = threading.Barrier(len(centres))
        reports: list = []

        def go(session) -> None:
            barrier.wait()
            reports.append(run_sync(session.database, retry=FAST_RETRY, pull_feeds=False))

        threads = [threading.Thread(target=go, args=(s,)) for s in centres]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        assert len(reports) == len(centres)
        db = open_upstream(server.db_url)
        with db.reading() as up:
            numbers = list(up.scalars(select(Person.id_number)))
        db.close()
        assert len(numbers) == len(set(numbers)) == 5
        created = conflicts = 0
        for session in centres:
            with session.database.reading() as local:
                rows = local.execute(
                    select(OutboxEntry.sync_state, OutboxEntry.result_code).where(
                        OutboxEntry.entity_type == "person"
                    )
                ).all()
            created += sum(1 for state, _ in rows if state == "accepted")
            conflicts += sum(
                1 for state, code in rows if (state, code) == ("conflict", "registered_elsewhere")
            )
        assert created == 5
        assert conflicts == 5 * (len(centres) - 1)
    finally:
        for session in centres:
            session.close()


def test_a_device_number_is_taken_once_per_centre(server, tmp_path):
    """Receipt numbers carry the device number: a second computer may not reuse it."""
    from caseworker.paths import DataPaths
    from caseworker.services.centre import setup_centre
    from caseworker.sync.batches import SyncError

    first = new_centre(tmp_path / "first")
    connect(first, server)
    second = setup_centre(
        DataPaths(tmp_path / "second"),
        centre_code=first.actor.centre_code,
        centre_name=first.actor.centre_name,
        admin_username="admin",
        admin_password="admin password 1",
    ).session  # the centre's second computer, left at number 1 by mistake
    try:
        with pytest.raises(SyncError) as caught:
            connect(second, server)
        assert caught.value.code == "device_number_taken"
        assert "01" in caught.value.message
        third = setup_centre(
            DataPaths(tmp_path / "third"),
            centre_code=first.actor.centre_code,
            centre_name=first.actor.centre_name,
            admin_username="admin",
            admin_password="admin password 1",
            device_number=2,
        ).session
        connect(third, server)  # its own number: registered
        third.close()
    finally:
        first.close()
        second.close()

"""Signed GETs against the real server: a captured request cannot be sent again, a request
whose time is off is refused with how far off it is, and a client whose clock is hours off
still syncs (it signs with its clock corrected by the offset it measured)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, insert, select

from caseworker.services.centre import OpenSession
from caseworker.sync.batches import Signer
from caseworker.sync.client import Transport
from caseworker.sync.protocol import (
    DEVICE_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    new_nonce,
)
from caseworker.sync.pull import get_cursor
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import RequestNonce
from tests.upstream.harness import (
    FAST_RETRY,
    Server,
    connect,
    enrol_people,
    new_centre,
    person,
    register_raw_device,
    signed_get,
)

FEED = "/v1/feeds/registry?since=0&limit=500"
NONCES = RequestNonce.__table__


def nonce_count(server: Server, signer: Signer) -> int:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            query = select(func.count()).where(NONCES.c.device_id == signer.device_id)
            return session.scalar(query.select_from(NONCES))
    finally:
        db.close()


@pytest.fixture
def enrolled(server: Server, tmp_path: Path) -> Iterator[OpenSession]:
    """A centre whose person is at the county, so the registry feed has someone in it."""
    session = new_centre(tmp_path / "a")
    connect(session, server)
    enrol_people(session, 1)
    run_sync(session.database, retry=FAST_RETRY)
    yield session
    session.close()


def test_a_captured_signed_get_sent_again_is_refused_and_discloses_nothing(
    server: Server, enrolled: OpenSession
):
    signer = register_raw_device(server, device_number=2)
    captured: list[httpx.Request] = []
    transport = Transport(server.base, signer, FAST_RETRY)
    transport._client.event_hooks["request"].append(captured.append)  # a listener on the wire
    try:
        feed = transport.registry_feed(0, 500)
    finally:
        transport.close()
    assert person(0).id_number in feed.model_dump_json()  # what a listener is after
    (request,) = captured

    replay = httpx.request(request.method, str(request.url), headers=request.headers, timeout=10)

    assert replay.status_code == 403
    assert replay.json()["code"] == "replayed_request"
    assert set(replay.json()) == {"code", "message", "message_en"}
    assert person(0).id_number not in replay.text and person(0).name not in replay.text
    assert nonce_count(server, signer) == 1  # the replay left nothing behind


def test_the_same_request_sent_at_once_by_many_is_accepted_once(server: Server):
    signer = register_raw_device(server)
    headers = signed_get(signer, FEED)
    start = threading.Barrier(6)

    def send(_: int) -> int:
        start.wait()
        return httpx.get(server.base + FEED, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(send, range(6)))

    assert statuses == [200, 403, 403, 403, 403, 403]


def test_the_nonce_is_covered_by_the_signature(server: Server):
    signer = register_raw_device(server)
    headers = {**signed_get(signer, FEED), NONCE_HEADER: new_nonce()}  # fresh nonce, old signature

    answer = httpx.get(server.base + FEED, headers=headers, timeout=10)

    assert (answer.status_code, answer.json()["code"]) == (403, "bad_signature")
    assert nonce_count(server, signer) == 0


def test_a_request_whose_time_is_off_is_refused_saying_by_how_much(server: Server):
    signer = register_raw_device(server)
    for offset, zh, en in [
        (timedelta(hours=-2, minutes=-5), "慢2小时5分", "2 h 5 min behind"),
        (timedelta(minutes=7), "快7分", "7 min ahead of"),
    ]:
        headers = signed_get(signer, FEED, stamp=datetime.now(UTC) + offset)

        answer = httpx.get(server.base + FEED, headers=headers, timeout=10)

        assert (answer.status_code, answer.json()["code"]) == (403, "stale_request")
        assert zh in answer.json()["message"]
        assert en in answer.json()["message_en"]
    assert nonce_count(server, signer) == 0


def test_expired_nonces_are_dropped_on_the_way(server: Server):
    signer = register_raw_device(server)
    db = open_upstream(server.db_url)
    try:
        with db.writing() as session:
            session.execute(
                insert(NONCES).values(
                    device_id=signer.device_id,
                    nonce="A" * 22,
                    expires_at=datetime.now(UTC) - timedelta(seconds=1),
                )
            )
    finally:
        db.close()

    answer = httpx.get(server.base + FEED, headers=signed_get(signer, FEED), timeout=10)

    assert answer.status_code == 200
    assert nonce_count(server, signer) == 1  # this request's; the expired one is gone


def test_a_missing_or_malformed_signing_header_gets_its_own_code(server: Server):
    signer = register_raw_device(server)
    for header, code in [
        (DEVICE_HEADER, "bad_device_header"),
        (TIMESTAMP_HEADER, "bad_timestamp"),
        (NONCE_HEADER, "bad_nonce"),
        (SIGNATURE_HEADER, "bad_signature_header"),
    ]:
        missing = {k: v for k, v in signed_get(signer, FEED).items() if k != header}
        malformed = {**signed_get(signer, FEED), header: "x"}
        for headers in (missing, malformed):
            answer = httpx.get(server.base + FEED, headers=headers, timeout=10)
            assert (answer.status_code, answer.json()["code"]) == (400, code), header
    assert nonce_count(server, signer) == 0


def test_a_client_whose_clock_is_hours_off_still_syncs(server: Server, tmp_path: Path):
    session = new_centre(tmp_path / "a")
    try:
        connect(session, server)
        enrol_people(session, 2)

        def slow_clock() -> datetime:
            return datetime.now(UTC) - timedelta(hours=3, minutes=20)

        report = run_sync(session.database, retry=FAST_RETRY, clock=slow_clock)

        # Two people, two enrolments, the two pension statuses they derive.
        assert report.counts == {"accepted": 6}
        assert abs(report.clock_skew_seconds - 12_000) < 60
        with session.database.reading() as db_session:  # both feeds were read, signed
            assert get_cursor(db_session, "registry") > 0
    finally:
        session.close()


def test_a_client_that_never_measured_its_clock_remeasures_when_told_stale(server: Server):
    signer = register_raw_device(server)
    transport = Transport(
        server.base, signer, FAST_RETRY, clock=lambda: datetime.now(UTC) + timedelta(hours=5)
    )
    try:
        assert transport.get_batch(uuid.uuid4()) is None  # 404 after one stale answer
        assert abs(transport.clock_offset + timedelta(hours=5)) < timedelta(minutes=1)
    finally:
        transport.close()

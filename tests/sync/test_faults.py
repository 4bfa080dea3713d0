"""Faults between client and server, injected by a TCP proxy in front of the real server:
every record ends upstream exactly once and every client record in a final state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.services.centre import OpenSession
from caseworker.store.models import OutboxEntry, SyncBatch, SyncLink
from caseworker.sync.batches import SyncError
from caseworker.sync.client import RetryPolicy
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import AppliedRecord, Person
from tests import procs
from tests.sync.proxy import FaultProxy, Rule
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, new_centre

# Small batches so a run spans several requests and faults land mid-run.
BATCH = 30


@pytest.fixture
def proxy(server: Server) -> Iterator[FaultProxy]:
    running = FaultProxy(server.port)
    yield running
    running.close()


@pytest.fixture
def clerk(server: Server, proxy: FaultProxy, tmp_path: Path) -> Iterator[OpenSession]:
    session = new_centre(tmp_path / "centre")
    connect(session, server, base_url=proxy.base)
    # 90 outbox entries (each person, its enrolment, the pension status it derives) → 3
    # batches of 30
    enrol_people(session, 30)
    yield session
    session.close()


def seal_small(session: OpenSession) -> None:
    from caseworker.sync.batches import seal_pending

    seal_pending(session.database, max_records=BATCH)


def assert_exactly_once(session: OpenSession, server: Server) -> None:
    with session.database.reading() as db:
        states = {
            s: n
            for s, n in db.execute(
                select(OutboxEntry.sync_state, func.count()).group_by(OutboxEntry.sync_state)
            )
        }
        ids = set(db.scalars(select(OutboxEntry.id)))
    assert states == {"accepted": len(ids)}, states
    upstream = open_upstream(server.db_url)
    try:
        with upstream.reading() as up:
            applied = list(up.scalars(select(AppliedRecord.record_id)))
            persons = up.scalar(select(func.count()).select_from(Person))
    finally:
        upstream.close()
    assert sorted(applied) == sorted(ids)  # each record applied once, none missing
    assert persons == 30


RETRIED = ["cut_request", "cut_mid_body", "drop_answer", "status_500", "status_503"]


def test_retried_faults_end_with_every_record_once(clerk, server, proxy):
    seal_small(clerk)
    # One of each fault on the batch uploads (in turn, across retries), and one on meta.
    proxy.add(
        *(Rule(action) for action in RETRIED), Rule("status_503", method="GET", path="/v1/meta")
    )
    report = run_sync(clerk.database, retry=FAST_RETRY)
    assert sorted(proxy.fired) == sorted([*RETRIED, "status_503"])
    assert report.counts == {"accepted": 90}
    assert_exactly_once(clerk, server)


def test_timeout_then_retry_gets_the_stored_answer(clerk, server, proxy):
    seal_small(clerk)
    proxy.add(Rule("timeout", times=1))
    quick = RetryPolicy(
        attempts=4, base_delay=0.05, max_delay=0.2, connect_timeout=5, read_timeout=1
    )
    run_sync(clerk.database, retry=quick)
    assert proxy.fired == ["timeout"]
    assert_exactly_once(clerk, server)


def test_answer_lost_for_a_whole_run_is_recovered_with_get(clerk, server, proxy):
    seal_small(clerk)
    proxy.add(Rule("drop_answer", times=FAST_RETRY.attempts))
    with pytest.raises(SyncError) as caught:
        run_sync(clerk.database, retry=FAST_RETRY)
    assert caught.value.code == "unreachable"
    with clerk.database.reading() as db:
        assert db.get_one(SyncLink, 1).last_error.startswith("unreachable")
        first = db.scalars(select(SyncBatch).order_by(SyncBatch.first_seq)).first()
        assert first.state == "sealed" and first.attempts == 1
    # The next run asks for the answer instead of guessing: GET finds it, no re-upload.
    run_sync(clerk.database, retry=FAST_RETRY)
    assert_exactly_once(clerk, server)


def test_server_restart_mid_batch(clerk, server, proxy):
    seal_small(clerk)
    proxy.add(Rule("hold", times=1))
    import threading

    outcome: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: outcome.setdefault("report", run_sync(clerk.database, retry=FAST_RETRY))
    )
    worker.start()
    assert proxy.held.wait(60)
    server.stop()  # dies with half a batch received
    server.start()
    proxy.release.set()
    worker.join(120)
    assert outcome["report"].counts == {"accepted": 90}
    assert_exactly_once(clerk, server)


def test_client_killed_mid_sync_and_restarted(clerk, server, proxy, tmp_path):
    seal_small(clerk)
    proxy.add(Rule("hold", times=1, path="/v1/batches/"))
    env = dict(
        os.environ,
        CASEWORKER_HOME=str(clerk.database.paths.root),
        CASEWORKER_PASSWORD="admin password 1",
    )
    child = procs.Popen(
        [sys.executable, "-m", "caseworker", "sync", "run", "--user", "admin"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proxy.held.wait(120), (
            child.stderr.read().decode() if child.poll() is not None else ""
        )
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    proxy.release.set()
    with clerk.database.reading() as db:
        assert db.scalar(select(func.count()).where(OutboxEntry.sync_state == "sending")) > 0
    restarted = procs.run(
        [sys.executable, "-m", "caseworker", "sync", "run", "--user", "admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert restarted.returncode == 0, restarted.stderr
    assert_exactly_once(clerk, server)

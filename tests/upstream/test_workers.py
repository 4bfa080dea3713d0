"""The county server as several processes on one PostgreSQL database (`serve --workers 4`):
eight real clients (four centres, two computers each) enrol the same forty people, each in
its own order, and sync at once. Every record is applied once and answered once, a batch
sent again gets its first answer byte for byte, one person per ID number, and each
township's feed has every change once, walked by cursor. SQLite refuses several workers."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import Signer, load_signer, seal_pending
from caseworker.sync.pull import get_cursor
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import AppliedRecord, Person, RegistryChange
from tests import procs
from tests.upstream.harness import (
    FAST_RETRY,
    TODAY,
    Server,
    connect,
    migrate,
    person,
    review_off,
    signed_get,
)
from tests.upstream.test_intake import put
from tests.upstream.test_operations import sample, scrape

WORKERS = 4
CENTRES = 4
DEVICES_PER_CENTRE = 2
PEOPLE = 40
RECORDS_PER_BATCH = 30
RECORDS_PER_PERSON = 3  # person, enrolment, the pension status it derives
ACCEPTED = ("created", "updated", "already_applied")


def test_several_workers_are_refused_on_sqlite(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'county.db'}"
    for options, said in (
        (("--workers", "2"), "For several workers use PostgreSQL"),
        (("--workers", "0"), "at least 1"),
        (("--metrics-from", "the county office"), "--metrics-from"),
    ):
        done = procs.run(
            [
                sys.executable,
                "-m",
                "caseworker.upstream.cli",
                "serve",
                "--db",
                url,
                "--port",
                "0",
                *options,
                "--log-dir",
                str(tmp_path / "logs"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert said in done.stderr and "listening" not in done.stdout
    assert not (tmp_path / "county.db").exists()  # refused before anything was opened


@pytest.fixture
def workers(upstream_url: str):
    migrate(upstream_url)
    running = Server(upstream_url, serve_args=("--workers", str(WORKERS))).start()
    yield running
    running.stop()
    assert running.process is None


def _worker_pids(server: Server) -> set[int]:
    """The supervisor's child processes that serve (uvicorn spawns them)."""
    assert server.process is not None
    found = set()
    children: list[str] = []
    for task in Path(f"/proc/{server.process.pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            children += (task / "children").read_text().split()
    for pid in children:
        try:  # a worker that just ended (a zombie has no command line) is not one
            command = Path(f"/proc/{pid}/cmdline").read_text()
        except FileNotFoundError:
            continue
        if "multiprocessing.spawn" in command:
            found.add(int(pid))
    return found


@pytest.mark.parametrize("upstream_url", ["postgresql"], indirect=True)
def test_a_worker_that_dies_is_replaced_and_its_counts_are_kept(workers):
    server = workers
    before = _worker_pids(server)
    for _ in range(12):
        assert httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200
    counted = sample(
        scrape(server), "caseworker_requests_total", route="/healthz", method="GET", status="200"
    )
    assert counted == 12

    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 120
    while (now := _worker_pids(server)) == before or len(now) < WORKERS:
        assert time.monotonic() < deadline, "the supervisor did not replace the worker"
        time.sleep(0.2)
    assert victim not in now and len(now) == WORKERS
    assert httpx.get(f"{server.base}/readyz", timeout=10).status_code == 200
    # The dead worker's requests still count: its samples stay in the multi-process folder.
    after = sample(
        scrape(server), "caseworker_requests_total", route="/healthz", method="GET", status="200"
    )
    assert after == 12


def _devices(tmp_path: Path, server: Server) -> list[OpenSession]:
    sessions = []
    for c in range(CENTRES):
        for d in range(1, DEVICES_PER_CENTRE + 1):
            session = review_off(
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
            connect(session, server)  # registered over HTTP, through the workers
    return sessions


def _walk(server: Server, signer: Signer, page: int = 7) -> list[int]:
    """Every seq of the signer's township feed, page by page from cursor 0."""
    seen: list[int] = []
    since, more = 0, True
    while more:
        path = f"/v1/feeds/registry?since={since}&limit={page}"
        answer = httpx.get(server.base + path, headers=signed_get(signer, path), timeout=30)
        assert answer.status_code == 200, answer.text
        feed = answer.json()
        seqs = [item["seq"] for item in feed["items"]]
        assert seqs == sorted(seqs) and all(seq > since for seq in seqs)
        seen += seqs
        since, more = feed["cursor"], feed["more"]
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("upstream_url", ["postgresql"], indirect=True)
def test_four_workers_and_eight_devices_syncing_the_same_people_at_once(workers, tmp_path):
    server = workers
    pids = _worker_pids(server)
    assert len(pids) == WORKERS
    sessions = _devices(tmp_path, server)
    try:
        rng = random.Random(16)
        for session in sessions:
            order = list(range(PEOPLE))
            rng.shuffle(order)
            for n in order:  # the same people as every other device, own UUIDs, own order
                enrol(
                    session.database,
                    session.actor,
                    person(n),
                    [EnrolmentChoice("resident_pension", tier_fen=50_000)],
                    today=TODAY,
                )
            seal_pending(session.database, max_records=RECORDS_PER_BATCH)

        barrier = threading.Barrier(len(sessions))
        failures: list[BaseException] = []

        def sync(session: OpenSession) -> None:
            try:
                barrier.wait()
                run_sync(session.database, retry=FAST_RETRY)
            except BaseException as error:  # reported below, with the others
                failures.append(error)

        threads = [threading.Thread(target=sync, args=(s,)) for s in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(240)
        assert not any(thread.is_alive() for thread in threads)
        assert failures == []
        for session in sessions:  # what others sent after a device's pull: pulled now
            run_sync(session.database, retry=FAST_RETRY)

        # Every record answered exactly once, in the answer its batch got; statuses as with
        # one process (each person won by one device, whatever the order).
        statuses: Counter[tuple[str, str, str | None]] = Counter()
        accepted: set[uuid.UUID] = set()
        batches: list[tuple[Signer, SyncBatch]] = []
        for session in sessions:
            with session.database.reading() as local:
                signer = load_signer(local)
                sent = set(local.scalars(select(OutboxEntry.id)))
                mine = list(local.scalars(select(SyncBatch).order_by(SyncBatch.first_seq)))
                for batch in mine:
                    local.expunge(batch)
            assert mine and all(b.state == "answered" and b.answer for b in mine)
            batches += [(signer, b) for b in mine]
            results = [r for b in mine for r in json.loads(b.answer)["results"]]
            answered = [uuid.UUID(r["record_id"]) for r in results]
            assert len(answered) == len(set(answered)) and set(answered) == sent
            for r in results:
                statuses[(r["entity_type"], r["status"], r.get("code"))] += 1
                if r["status"] in ACCEPTED:
                    accepted.add(uuid.UUID(r["record_id"]))
        others = PEOPLE * (len(sessions) - 1)
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

        # Sent again, to whichever worker takes it: the first answer, byte for byte.
        for signer, batch in batches:
            again = put(server, batch.id, batch.body, signer.device_id, batch.signature)
            assert again.status_code == 200 and again.content == batch.answer

        db = open_upstream(server.db_url, migrate=False)
        try:
            with db.reading() as up:
                numbers = list(up.scalars(select(Person.id_number)))
                applied = set(up.scalars(select(AppliedRecord.record_id)))
                seqs = list(up.scalars(select(RegistryChange.seq).order_by(RegistryChange.seq)))
                by_township = dict(
                    up.execute(
                        select(RegistryChange.township_code, func.count()).group_by(
                            RegistryChange.township_code
                        )
                    ).all()
                )
        finally:
            db.close()
        assert len(numbers) == len(set(numbers)) == PEOPLE  # one person per ID number
        assert applied == accepted  # applied once each, and only what was answered accepted
        assert seqs == list(range(1, RECORDS_PER_PERSON * PEOPLE + 1))  # no gap, no repeat

        # Each township's feed walked by cursor: each of its changes once; every device's
        # own cursor ended at its township's last change.
        walked: list[int] = []
        for c in range(CENTRES):
            session = sessions[c * DEVICES_PER_CENTRE]
            with session.database.reading() as local:
                signer = load_signer(local)
            township = _walk(server, signer)
            assert len(township) == len(set(township)) == by_township.get(f"32058310{c}", 0)
            walked += township
            for device in sessions[c * DEVICES_PER_CENTRE : (c + 1) * DEVICES_PER_CENTRE]:
                with device.database.reading() as local:
                    assert get_cursor(local, "registry") == (max(township) if township else 0)
        assert sorted(walked) == seqs

        # The workers' metrics, added up by whichever answers the scrape: no 5xx at all.
        samples = scrape(server)
        uploads = {
            dict(labels)["status"]: value
            for (name, labels), value in samples.items()
            if name == "caseworker_batch_uploads_total"
        }
        assert not [s for s in uploads if s.startswith("5")], uploads
        assert sample(samples, "caseworker_batches_applied_total", via="http") == len(batches)
        # Each once, then once again (a client retry after a lost answer would add one).
        assert uploads["200"] >= 2 * len(batches)
        assert sum(
            v for (n, labels), v in samples.items() if n == "caseworker_records_total"
        ) == sum(statuses.values())
        # Requests were served by the workers (the supervisor only watches them).
        lines = [
            json.loads(line) for line in (server.log_dir / "upstream.log").open(encoding="utf-8")
        ]
        served = {line["pid"] for line in lines if line.get("route")}
        assert served and served <= pids
        print(f"uploads served by {len(served)} of {WORKERS} workers")
    finally:
        for session in sessions:
            session.close()

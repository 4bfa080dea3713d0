"""Concurrent county intake on PostgreSQL (`python -m bench.sync_concurrent [--runs R]`).

Eight devices (four centres, two computers each, each its own encrypted store) upload
overlapping people at once, for a bounded time, to the real server over loopback. A share
of every device's people (``--overlap``) are the same ID numbers on all devices, each
device in its own order, under its own UUIDs: one create per ID number, the rest
conflicts, and the batches that carry them cross each other in the database.

Uploads are raw PUTs of the sealed, signed batches (no client retries to hide a 503), so
every status code is seen. JSON lines: aggregate records/s, batch latency (median, p95),
5xx and other errors, duplicate persons, gaps in the registry feed; and the ceiling: a
plain COPY of the same rows into a bare table, in the same run. Each run gets fresh
PostgreSQL schemas, dropped afterwards.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg
from cryptography.hazmat.primitives import serialization
from sqlalchemy import func, select

from bench import emit
from bench.sync import PG, drop_schema, fresh_schema, tree_cpu, write_outbox
from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.store.models import SyncBatch, new_id
from caseworker.sync.batches import load_signer, seal_pending
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER, DeviceRegistration
from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import add_centre, issue_token, register_device
from caseworker.upstream.models import Person, RegistryChange
from tests.upstream.harness import Server, review_off

CENTRES = 4
DEVICES_PER_CENTRE = 2
FIRST_BIRTH = date(1940, 1, 1)


@dataclass
class Device:
    centre_code: str
    centre_name: str
    number: int
    device_id: uuid.UUID
    public_key: str
    batches: list[tuple[uuid.UUID, bytes, bytes, int]]  # id, body, signature, records
    payloads: dict[uuid.UUID, list[dict]] = field(default_factory=dict)  # by batch


def id_number(n: int) -> str:
    """The n-th of many distinct valid ID numbers (birth dates × sequence numbers)."""
    return make_id_number("320583", FIRST_BIRTH + timedelta(days=n % 20_000), n // 20_000 + 1)


def fill_outbox(session, numbers: list[int]) -> None:
    """A person and one enrolment per number, as outbox rows (what the services write)."""
    hlc = int(time.time() * 1000) << 16
    rows = []
    for n in numbers:
        person_id, enrolment_id = new_id(), new_id()
        born = FIRST_BIRTH + timedelta(days=n % 20_000)
        person = {
            "id": person_id,
            "version": 1,
            "id_number": id_number(n),
            "name": "王秀英",
            "sex": "2",
            "birth_date": born,
            "hukou_village_code": "320583101201",
        }
        enrolment = {
            "id": enrolment_id,
            "version": 1,
            "person_id": person_id,
            "scheme": "resident_pension",
            "status": "active",
            "tier_fen": 50000,
            "start_date": date(2026, 11, 27),
        }
        rows += [(person, "person", person_id), (enrolment, "enrolment", enrolment_id)]
    write_outbox(session, rows, session.actor.operator_id, hlc)


def build_devices(work: Path, people: int, overlap: float) -> list[Device]:
    """Eight stores with sealed batches: ``overlap`` of each device's people shared by all."""
    shared = int(people * overlap)
    rng = random.Random(8)
    devices = []
    for slot in range(CENTRES * DEVICES_PER_CENTRE):
        centre, number = divmod(slot, DEVICES_PER_CENTRE)
        code, name = f"32058310{centre}", f"镇{centre}"
        # Review off: with the default (a supervisor approves each change first) nothing
        # would be sealed but the audit trail, and the batches would carry no records.
        session = review_off(
            setup_centre(
                DataPaths(work / f"device{slot}"),
                centre_code=code,
                centre_name=name,
                admin_username="admin",
                admin_password="admin password 1",
                device_number=number + 1,
            ).session
        )
        try:
            review_off(session)  # otherwise nothing is approved, and only the audit trail goes
            own = people - shared
            numbers = list(range(shared)) + list(
                range(shared + slot * own, shared + (slot + 1) * own)
            )
            rng.shuffle(numbers)
            fill_outbox(session, numbers)
            seal_pending(session.database)
            with session.database.reading() as db:
                signer = load_signer(db)
                sealed = list(db.scalars(select(SyncBatch).order_by(SyncBatch.first_seq)))
            key = signer.key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            device = Device(
                code,
                name,
                number + 1,
                signer.device_id,
                base64.b64encode(key).decode(),
                [(b.id, b.body, b.signature, b.record_count) for b in sealed],
            )
            for batch_id, body, _, _ in device.batches:
                records = json.loads(body)["records"]
                device.payloads[batch_id] = [r["payload"] for r in records]
            devices.append(device)
        finally:
            session.close()
    return devices


def register_all(url: str, devices: list[Device]) -> None:
    db = open_upstream(url)
    try:
        for device in devices:
            if device.number == 1:
                add_centre(db, device.centre_code, device.centre_name)
            register_device(
                db,
                DeviceRegistration(
                    token=issue_token(db, device.centre_code),
                    centre_code=device.centre_code,
                    device_id=device.device_id,
                    device_number=device.number,
                    public_key=device.public_key,
                ),
            )
    finally:
        db.close()


def upload(
    server: Server, devices: list[Device], seconds: float
) -> tuple[list[tuple[int, float, int]], list[uuid.UUID], float]:
    """Each device PUTs its batches in order until they run out or time is up."""
    barrier = threading.Barrier(len(devices) + 1)
    outcomes: list[tuple[int, float, int]] = []  # status, seconds, records
    sent: list[uuid.UUID] = []
    lock = threading.Lock()
    deadline = [0.0]

    def run(device: Device) -> None:
        headers = {DEVICE_HEADER: str(device.device_id)}
        with httpx.Client(base_url=server.base, timeout=300) as client:
            barrier.wait()
            for batch_id, body, signature, records in device.batches:
                if time.perf_counter() > deadline[0]:
                    return
                headers[SIGNATURE_HEADER] = base64.b64encode(signature).decode()
                started = time.perf_counter()
                status = client.put(f"/v1/batches/{batch_id}", content=body, headers=headers)
                took = time.perf_counter() - started
                with lock:
                    outcomes.append((status.status_code, took, records))
                    sent.append(batch_id)

    threads = [threading.Thread(target=run, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    return outcomes, sent, time.perf_counter() - started


def check(url: str) -> dict[str, int]:
    db = open_upstream(url, migrate=False)
    try:
        with db.reading() as up:
            duplicates = up.scalar(
                select(func.count()).select_from(
                    select(Person.id_number)
                    .group_by(Person.id_number)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            seqs = up.execute(
                select(func.count(), func.min(RegistryChange.seq), func.max(RegistryChange.seq))
            ).one()
    finally:
        db.close()
    count, first, last = seqs
    gaps = 0 if count == 0 else (last - first + 1 - count) + (first - 1)
    return {"duplicates": int(duplicates), "feed_gaps": int(gaps)}


def copy_ceiling(payloads: list[dict]) -> float:
    schema, _ = fresh_schema()
    try:
        with psycopg.connect(PG, options=f"-csearch_path={schema}") as conn:
            conn.execute("CREATE TABLE plain (id uuid PRIMARY KEY, payload jsonb NOT NULL)")
            started = time.perf_counter()
            with conn.cursor().copy("COPY plain (id, payload) FROM STDIN") as copy:
                for payload in payloads:
                    copy.write_row((payload["id"], json.dumps(payload, ensure_ascii=False)))
            conn.commit()
            return len(payloads) / (time.perf_counter() - started)
    finally:
        drop_schema(schema)


def one_run(devices: list[Device], seconds: float, workers: int = 1) -> dict:
    schema, url = fresh_schema()
    try:
        register_all(url, devices)
        server = Server(url, serve_args=("--workers", str(workers)) if workers > 1 else ()).start()
        try:
            pid = server.process.pid  # type: ignore[union-attr]
            cpu = tree_cpu(pid)  # the supervisor and its workers
            outcomes, sent, wall = upload(server, devices, seconds)
            after = tree_cpu(pid)
            server_cpu = None if cpu is None or after is None else round(after - cpu, 2)
        finally:
            server.stop()
        by_id = {batch_id: p for d in devices for batch_id, p in d.payloads.items()}
        ok = [o for o in outcomes if o[0] == 200]
        return {
            "rate": sum(records for _, _, records in ok) / wall,
            "latencies": [took for _, took, _ in ok],
            "batches": len(outcomes),
            "records": sum(records for _, _, records in ok),
            "errors_5xx": sum(1 for status, _, _ in outcomes if status >= 500),
            "errors_other": sum(1 for status, _, _ in outcomes if 300 <= status < 500),
            "ceiling": copy_ceiling([p for b in sent for p in by_id[b]]),
            "server_cpu_s": server_cpu,
            "load": round(os.getloadavg()[0], 2),
            **check(url),
        }
    finally:
        drop_schema(schema)


def report(devices: list[Device], args: argparse.Namespace, setup: dict, workers: int) -> None:
    runs = [one_run(devices, args.seconds, workers) for _ in range(args.runs)]
    for n, run in enumerate(runs, start=1):
        emit(
            "concurrent_intake_run",
            [run["rate"]],
            "records/s",
            run=n,
            **{k: run[k] for k in run if k not in ("rate", "latencies", "ceiling")},
        )
    emit("concurrent_intake", [r["rate"] for r in runs], "records/s", **setup)
    emit(
        "concurrent_intake_batch_latency",
        [t for r in runs for t in r["latencies"]],
        "s",
        **setup,
    )
    totals = {k: sum(r[k] for r in runs) for k in ("errors_5xx", "duplicates", "feed_gaps")}
    print(json.dumps({"name": "concurrent_intake_errors", **totals, **setup}), flush=True)
    emit("postgres_bulk_insert", [r["ceiling"] for r in runs], "records/s", **setup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3000, help="people per device")
    parser.add_argument("--overlap", type=float, default=0.1, help="share of them on all")
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workers",
        default="1",
        help="server processes, comma-separated to compare in one run (e.g. 1,4; the first "
        "is the baseline)",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        devices = build_devices(Path(tmp), args.people, args.overlap)
    setup = {
        "devices": len(devices),
        "people_per_device": args.people,
        "overlap": args.overlap,
        "seconds": args.seconds,
        "database": "postgresql 127.0.0.1",
    }
    for workers in counts:
        report(devices, args, {**setup, "workers": workers}, workers)


if __name__ == "__main__":
    main()

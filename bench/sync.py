"""Sync throughput on PostgreSQL (`python -m bench.sync [--records N] [--runs R]`).

Three figures for the same N records (half persons, half enrolments), as JSON lines:
- ``sync_end_to_end``: outbox → sealed, signed batches → HTTP to the real server over
  loopback → committed upstream → answers applied locally;
- ``sync_server_intake``: the server's intake alone (verify, apply and answer each record,
  commit), the same batch bytes fed in-process, no HTTP;
- ``postgres_bulk_insert``: a plain COPY of the same payloads into a bare table: the ceiling.

Each figure carries its ratio to the ceiling of the same run (``x_ceiling``), the CPU
seconds spent (``cpu_s``: the server process's for end to end, read from /proc, and the
client's; the intake's own process for intake alone) and the load average at the start, since
the machine may be shared.

The outbox rows are written straight into the client store (the enrolment services have
their own benchmark); each run gets fresh PostgreSQL schemas, dropped afterwards.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
from cryptography.hazmat.primitives import serialization
from sqlalchemy import insert, select

from caseworker.domain.ids import make_id_number
from caseworker.services.journal import to_jsonable
from caseworker.store.models import OutboxEntry, SyncBatch, new_id
from caseworker.sync.batches import load_signer
from caseworker.sync.client import RetryPolicy
from caseworker.sync.protocol import DeviceRegistration
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import add_centre, issue_token, register_device
from caseworker.upstream.intake import receive_batch
from tests.upstream.harness import Server, connect, new_centre

PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def emit(name: str, rates: list[float], **extra: object) -> None:
    print(
        json.dumps(
            {
                "name": name,
                "unit": "records/s",
                "runs": len(rates),
                "median": round(statistics.median(rates)),
                "min": round(min(rates)),
                "max": round(max(rates)),
                **extra,
            }
        ),
        flush=True,
    )


def fresh_schema() -> tuple[str, str]:
    schema = f"cw_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema, PG_URL.format(schema=schema)


def drop_schema(schema: str) -> None:
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def fill_outbox(session, records: int) -> list[dict]:
    """N/2 persons, each with one enrolment, as outbox rows (what the services write)."""
    rows = []
    operator = session.actor.operator_id
    hlc = int(time.time() * 1000) << 16
    for n in range(records // 2):
        born = date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        person_id, enrolment_id = new_id(), new_id()
        person = {
            "id": person_id,
            "version": 1,
            "id_number": make_id_number("320583", born, n % 999 + 1),
            "name": "王秀英",
            "sex": "2",
            "birth_date": born,
            "hukou_village_code": "320583101201",
        }
        rows.append((person, "person", person_id))
        rows.append(
            (
                {
                    "id": enrolment_id,
                    "version": 1,
                    "person_id": person_id,
                    "scheme": "resident_pension",
                    "status": "active",
                    "tier_fen": 50000,
                    "start_date": date(2026, 11, 27),
                },
                "enrolment",
                enrolment_id,
            )
        )
    seen: set[str] = set()
    unique = []
    for payload, kind, entity in rows:
        if kind == "person":
            if payload["id_number"] in seen:
                continue
            seen.add(payload["id_number"])
        unique.append((payload, kind, entity))
    write_outbox(session, unique, operator, hlc)
    return [to_jsonable(p) for p, _, _ in unique]


def write_outbox(session, rows: list, operator: uuid.UUID, hlc: int) -> None:
    """(payload, entity type, entity id) rows as pending outbox entries, raw: what the
    services would write, without their validation (the benchmark's data is valid)."""
    with session.database.writing() as db:
        db.execute(
            insert(OutboxEntry),
            [
                {
                    "id": new_id(),
                    "entity_type": kind,
                    "entity_id": entity,
                    "operation": "upsert",
                    "payload": to_jsonable(payload),
                    "hlc": hlc + i,
                    "operator_id": operator,
                    "created_at": datetime.now(UTC),
                    "sync_state": "pending",
                }
                for i, (payload, kind, entity) in enumerate(rows)
            ],
        )


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float | None:
    """CPU seconds of a process and of its descendants still running (a server's workers),
    or None when the process is gone."""
    own = process_cpu(pid)
    if own is None:
        return None
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    total, todo = own, list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        total += process_cpu(child) or 0.0
        todo += parents.get(child, [])
    return total


def one_run(records: int, work: Path) -> dict[str, float]:
    client_schema, client_url = fresh_schema()
    intake_schema, intake_url = fresh_schema()
    ceiling_schema, _ = fresh_schema()
    session = new_centre(work / uuid.uuid4().hex)
    try:
        open_upstream(client_url).close()
        server = Server(client_url).start()
        try:
            connect(session, server)
            payloads = fill_outbox(session, records)
            count = len(payloads)
            pid = server.process.pid  # type: ignore[union-attr]
            server_cpu, client_cpu = process_cpu(pid), time.process_time()
            started = time.perf_counter()
            report = run_sync(
                session.database, retry=RetryPolicy(read_timeout=300), pull_feeds=False
            )
            end_to_end = count / (time.perf_counter() - started)
            client_cpu = time.process_time() - client_cpu
            server_after = process_cpu(pid)
            server_cpu = None if server_cpu is None else server_after - server_cpu  # type: ignore[operator]
            assert report.counts == {"accepted": count}, report.counts
        finally:
            server.stop()
        # The same bytes into a fresh county database, in-process.
        intake = open_upstream(intake_url)
        add_centre(intake, session.actor.centre_code, session.actor.centre_name)
        with session.database.reading() as db:
            signer = load_signer(db)
            batches = [
                (b.id, b.body, b.signature)
                for b in db.scalars(select(SyncBatch).order_by(SyncBatch.first_seq))
            ]
        key = signer.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        register_device(
            intake,
            DeviceRegistration(
                token=issue_token(intake, signer.centre_code),
                centre_code=signer.centre_code,
                device_id=signer.device_id,
                device_number=1,
                public_key=base64.b64encode(key).decode(),
            ),
        )
        started, intake_cpu = time.perf_counter(), time.process_time()
        for batch_id, body, signature in batches:
            receive_batch(
                intake, batch_id, body, str(signer.device_id), base64.b64encode(signature).decode()
            )
        server_intake = count / (time.perf_counter() - started)
        intake_cpu = time.process_time() - intake_cpu
        intake.close()
        # The ceiling: COPY the same payloads into a bare table.
        with psycopg.connect(PG, options=f"-csearch_path={ceiling_schema}") as conn:
            conn.execute("CREATE TABLE plain (id uuid PRIMARY KEY, payload jsonb NOT NULL)")
            started = time.perf_counter()
            with conn.cursor().copy("COPY plain (id, payload) FROM STDIN") as copy:
                for payload in payloads:
                    copy.write_row((payload["id"], json.dumps(payload, ensure_ascii=False)))
            conn.commit()
            ceiling = count / (time.perf_counter() - started)
        return {
            "end_to_end": end_to_end,
            "intake": server_intake,
            "ceiling": ceiling,
            "server_cpu": server_cpu,
            "client_cpu": client_cpu,
            "intake_cpu": intake_cpu,
            "records": count,
            "batches": len(batches),
        }
    finally:
        session.close()
        for schema in (client_schema, intake_schema, ceiling_schema):
            drop_schema(schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        results = [one_run(args.records, Path(tmp)) for _ in range(args.runs)]
    extra = {
        "records": results[0]["records"],
        "batches": results[0]["batches"],
        "database": "postgresql 127.0.0.1",
        "load_at_start": load,
    }

    def median(key: str) -> float | None:
        values = [r[key] for r in results if r[key] is not None]
        return round(statistics.median(values), 2) if values else None

    def x_ceiling(key: str) -> float:
        return round(statistics.median(r["ceiling"] / r[key] for r in results), 1)

    emit(
        "sync_end_to_end",
        [r["end_to_end"] for r in results],
        x_ceiling=x_ceiling("end_to_end"),
        server_cpu_s=median("server_cpu"),
        client_cpu_s=median("client_cpu"),
        **extra,
    )
    emit(
        "sync_server_intake",
        [r["intake"] for r in results],
        x_ceiling=x_ceiling("intake"),
        cpu_s=median("intake_cpu"),
        **extra,
    )
    emit("postgres_bulk_insert", [r["ceiling"] for r in results], **extra)
    print(json.dumps({"name": "load_at_end", "load": round(os.getloadavg()[0], 2)}), flush=True)


if __name__ == "__main__":
    main()

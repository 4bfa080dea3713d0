"""Reading the township registry feed as each kind of reader (`python -m bench.registry_feed
[--rows N] [--runs R] [--page P]`).

A SQLite county with N feed rows of one township (a third persons, a third enrolments, a
third stays at employers, with wage bases) is read page by page to the end, in process
(``upstream.feeds.registry_feed``, no HTTP), as:
- ``feed_owner``: the owning centre asking for every type (nothing withheld: the baseline);
- ``feed_other_centre``: another centre of the township asking (bases taken out of every
  enrolment and stay);
- ``feed_older_client``: another centre not asking (stays left out, the cursor moved past).
CPU seconds per full read (``resource.getrusage``), medians of R runs; wall seconds beside.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

from bench import emit
from caseworker.sync.protocol import REGISTRY_OPT_IN
from caseworker.upstream.db import open_upstream
from caseworker.upstream.feeds import registry_feed
from caseworker.upstream.intake import append_feed
from caseworker.upstream.models import RegistryChange

TOWNSHIP, OWNER, OTHER = "320583101", "320583101", "3205831019"


def _payload(kind: str, n: int) -> dict:
    entity = str(uuid.UUID(int=n))
    if kind == "person":
        return {"id": entity, "id_number": f"3205831990{n:08d}", "name": "林小燕", "version": 1}
    common = {"id": entity, "version": 1, "person_id": str(uuid.UUID(int=n - 1))}
    if kind == "enrolment":
        return common | {"scheme": "employee_pension", "status": "active", "base_fen": 500_000}
    return common | {
        "employer_id": str(uuid.UUID(int=7)),
        "kind": "employee",
        "start_date": "2026-12-01",
        "end_date": None,
        "schemes": ["employee_pension", "employee_medical"],
        "base_fen": 500_000,
    }


def fill(url: str, rows: int) -> None:
    db = open_upstream(url)
    try:
        with db.writing() as session:
            conn = session.connection()
            first = append_feed(conn, "registry", rows)
            kinds = ("person", "enrolment", "employment")
            conn.execute(
                insert(RegistryChange.__table__),
                [
                    {
                        "seq": first + n + 1,
                        "township_code": TOWNSHIP,
                        "entity_type": kinds[n % 3],
                        "entity_id": uuid.UUID(int=n),
                        "version": 1,
                        "centre_code": OWNER,
                        "payload": _payload(kinds[n % 3], n),
                    }
                    for n in range(rows)
                ],
            )
    finally:
        db.close()


def read_all(url: str, reader: str, include: frozenset[str], page: int) -> tuple[float, float, int]:
    """CPU and wall seconds to read the whole feed, and the items read."""
    db = open_upstream(url)
    try:
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        since, items = 0, 0
        while True:
            feed = registry_feed(db, TOWNSHIP, reader, since, page, include)
            items += len(feed.items)
            since = feed.cursor
            if not feed.more:
                break
        after = resource.getrusage(resource.RUSAGE_SELF)
        spent = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
        return spent, time.perf_counter() - wall, items
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cw-bench-feed-") as work:
        url = f"sqlite:///{Path(work) / 'county.db'}"
        fill(url, args.rows)
        readers = {
            "feed_owner": (OWNER, frozenset(REGISTRY_OPT_IN)),
            "feed_other_centre": (OTHER, frozenset(REGISTRY_OPT_IN)),
            "feed_older_client": (OTHER, frozenset()),
        }
        samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in readers}
        for _ in range(args.runs):  # interleaved, so a busy moment hits every reader alike
            for name, (reader, include) in readers.items():
                samples[name].append(read_all(url, reader, include, args.page))
        baseline = statistics.median(cpu for cpu, _, _ in samples["feed_owner"])
        for name, runs in samples.items():
            cpu = statistics.median(c for c, _, _ in runs)
            emit(
                name,
                [c for c, _, _ in runs],
                "cpu_s",
                wall_s=round(statistics.median(w for _, w, _ in runs), 3),
                items=runs[0][2],
                rows=args.rows,
                page=args.page,
                ratio_to_owner=round(cpu / baseline, 3),
            )


if __name__ == "__main__":
    main()

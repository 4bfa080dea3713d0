"""The audit screen on a large trail: `python -m bench.audit --entries 300000`.

A demo centre's trail is padded with entries written straight into the table (unsigned: the
screen reads, it does not verify), spread over a year, a few operators and every action, a
rare one among them. Each figure is one page (100 rows) as the screen asks for it.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from bench import emit
from caseworker.paths import DataPaths
from caseworker.services.audit_log import NO_FILTER, AuditFilter, audit_page, filter_choices
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.models import Person

COMMON = ("person.create", "enrolment.create", "payment.record", "operator.login")
RARE = "payment.void"  # one entry in a thousand


def pad_trail(paths: DataPaths, entries: int) -> None:
    session = login(paths, "admin", DEMO_PASSWORD)
    rng = random.Random(1)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / entries
    with session.database.writing() as db:
        people = list(db.scalars(select(Person.id)))
        rows = []
        for n in range(entries):
            rows.append(
                {
                    "id": uuid.uuid4().hex,
                    "at": (start + step * n).replace(tzinfo=None),
                    "operator_name": rng.choice(("clerk", "supervisor", "admin")),
                    "action": RARE if n % 1000 == 0 else rng.choice(COMMON),
                    "entity_type": "person",
                    "entity_id": rng.choice(people).hex,
                    "detail": json.dumps({"note": "bench"}),
                    "prev_hash": "0" * 64,
                    "hash": uuid.uuid4().hex + uuid.uuid4().hex,
                }
            )
        db.execute(
            text(
                "INSERT INTO audit_entry (id, at, operator_name, action, entity_type, entity_id,"
                " detail, prev_hash, hash) VALUES (:id, :at, :operator_name, :action,"
                " :entity_type, :entity_id, :detail, :prev_hash, :hash)"
            ),
            rows,
        )
        name = db.scalar(select(Person.name).limit(1))
    session.close()
    return name


def timed(name: str, work, runs: int, **extra: object) -> None:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    emit(name, samples, "ms", **extra)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit")
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        paths = DataPaths(Path(scratch) / "demo")
        build_demo_centre(paths, persons=args.persons)
        name = pad_trail(paths, args.entries)
        session = login(paths, "supervisor", DEMO_PASSWORD)
        database, actor = session.database, session.actor
        size = {"entries": args.entries, "persons": args.persons}
        middle = (datetime.now(UTC) - timedelta(days=180)).astimezone().date()

        def page(wanted: AuditFilter = NO_FILTER, before: int | None = None):
            return lambda: audit_page(database, actor, wanted, before=before)

        timed("audit_page_newest", page(), args.runs, **size)
        timed("audit_page_deep", page(before=args.entries // 2), args.runs, **size)
        timed("audit_page_rare_action", page(AuditFilter(action=RARE)), args.runs, **size)
        timed("audit_page_operator", page(AuditFilter(operator="admin")), args.runs, **size)
        day = AuditFilter(day_from=middle, day_to=middle)
        timed("audit_page_one_day", page(day), args.runs, **size)
        timed("audit_page_person", page(AuditFilter(person=name)), args.runs, **size)
        timed("audit_filter_choices", lambda: filter_choices(database, actor), args.runs, **size)
        session.close()


if __name__ == "__main__":
    main()

"""Foundation benchmarks, run by hand (`make bench` or `python -m bench --persons N`).

Prints one JSON object per figure: name, median and spread of the runs, the data size.
Nothing here is asserted; the figures go into the closing notes of issues.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import emit
from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.store.database import Database, open_database
from caseworker.store.engine import open_engine
from caseworker.store.inspect import inspect_store
from caseworker.store.keys import DEFAULT_ARGON2, KeyFile


def bench_demo(root: Path, persons: int) -> DataPaths:
    paths = DataPaths(root / "demo")
    started = time.perf_counter()
    build_demo_centre(paths, persons=persons)
    emit("demo_build", [time.perf_counter() - started], "s", persons=persons)
    return paths


def bench_open(paths: DataPaths, persons: int, runs: int) -> None:
    session = login(paths, "admin", DEMO_PASSWORD)
    key = session.database_key
    session.close()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        database = open_database(paths, key)  # at head: checks the revision, no backup
        with database.reading() as db:
            db.connection().exec_driver_sql("SELECT count(*) FROM centre").scalar()
        samples.append((time.perf_counter() - started) * 1000)
        database.close()
    emit(
        "open_at_head",
        samples,
        "ms",
        persons=persons,
        note="key unwrapped once, not timed; includes the checks below",
    )
    checks = []
    for _ in range(runs):
        started = time.perf_counter()
        inspect_store(paths.database, key, audit_seq_of_interest=1)
        checks.append((time.perf_counter() - started) * 1000)
    emit("open_checks", checks, "ms", persons=persons, note="key, quick_check, marks values")


def bench_unlock(paths: DataPaths, runs: int) -> None:
    """Logging in costs one argon2id derivation with the production parameters."""
    key_file = KeyFile.load(paths.key_file)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        key_file.unlock("clerk", DEMO_PASSWORD)
        samples.append((time.perf_counter() - started) * 1000)
    emit("unlock_key_slot", samples, "ms", argon2=dict(DEFAULT_ARGON2))


def bench_save(paths: DataPaths, persons: int, runs: int) -> None:
    """Save one enrolment, with the high-water marks (as the app runs) and without them.

    The two alternate run by run on the same store, so the difference is the cost of the
    marks (two small reads before commit, one fsync'd file write and a folder fsync after).
    """
    session = login(paths, "clerk", DEMO_PASSWORD)
    without_marks = Database(paths, open_engine(paths.database, session.database_key))
    today = date(2026, 11, 27)
    samples: dict[bool, list[float]] = {True: [], False: []}
    first_day = date(1930, 1, 1).toordinal() + int(time.time()) % 20_000
    for n in range(runs * 2):
        born = date.fromordinal(first_day + n // 99)
        person = PersonInput(
            # A fresh number every run (seconds since 2020 in the birth date): creates, not updates.
            id_number=make_id_number("320281", born, 900 + n % 99),
            name="测试人员" + "甲乙丙丁戊己庚辛壬癸"[n % 10],
            phone=f"139{n:08d}",
            hukou_nature="family_farm",
            employment_category="farmer",
            hukou_village_code="320281103201",
        )
        choices = [
            EnrolmentChoice("resident_pension", tier_fen=50_000, documents=["id_card"]),
            EnrolmentChoice("resident_medical"),
        ]
        marks = n % 2 == 0
        database = session.database if marks else without_marks
        started = time.perf_counter()
        enrol(database, session.actor, person, choices, today=today)
        samples[marks].append((time.perf_counter() - started) * 1000)
    without_marks.close()
    session.close()
    emit("save_enrolment", samples[True], "ms", persons=persons, schemes=2, marks=True)
    emit(
        "save_enrolment_without_marks",
        samples[False],
        "ms",
        persons=persons,
        schemes=2,
        marks=False,
        note="baseline in the same run: the cost of the marks is the difference of medians",
    )


def bench_audit_signing(runs: int) -> None:
    """What signing adds to each audit entry (three per enrolment of one scheme and person),
    against hashing the entry alone, measured in the same run."""
    import uuid
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from caseworker.domain.audit_chain import entry_hash, sign_entry

    key = Ed25519PrivateKey.generate()
    content = {
        "id": uuid.uuid4(),
        "at": datetime.now(UTC),
        "operator_id": uuid.uuid4(),
        "operator_name": "clerk",
        "action": "person.create",
        "entity_type": "person",
        "entity_id": uuid.uuid4(),
        "detail": {"outbox_id": str(uuid.uuid4()), "payload_sha256": "0" * 64},
        "prev_hash": "0" * 64,
    }
    hashing, signing = [], []
    for _ in range(runs):
        started = time.perf_counter()
        digest = entry_hash(**content)
        hashed = time.perf_counter()
        sign_entry(key, digest)
        done = time.perf_counter()
        hashing.append((hashed - started) * 1e6)
        signing.append((done - hashed) * 1e6)
    emit("audit_entry_hash", hashing, "us", note="baseline: the hash chain alone")
    emit("audit_entry_sign", signing, "us", note="added per entry by operator signatures")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--dir", help="keep the demo data here (default: a temporary folder)")
    args = parser.parse_args()
    bench_audit_signing(runs=max(1000, args.runs))
    if args.dir and DataPaths(Path(args.dir) / "demo").exists():
        paths = DataPaths(Path(args.dir) / "demo")  # reuse a demo centre built earlier
        bench_unlock(paths, runs=10)
        bench_open(paths, args.persons, runs=max(5, args.runs // 10))
        bench_save(paths, args.persons, runs=args.runs)
        return
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.dir or scratch)
        paths = bench_demo(root, args.persons)
        bench_unlock(paths, runs=10)
        bench_open(paths, args.persons, runs=max(5, args.runs // 10))
        bench_save(paths, args.persons, runs=args.runs)


if __name__ == "__main__":
    main()

"""Worklist counts on the front page over a large registry (target ≤ 100 ms for all six).

    .venv/bin/python -m bench.worklists --persons 500000 [--runs 15] [--dir DIR]

The registry is bulk-inserted without outbox and audit rows (nothing here reads them):
people, their enrolments and payments as the services would write them, coverage statuses
made by the store's own triggers (a row per person and line on insert, then a bulk update
giving a realistic mix of statuses, the tally following through its triggers). Figures are
JSON lines with the median of several runs, and in the same run a baseline: a bare
``COUNT(*)`` over person.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, text

from bench import emit
from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services import worklists
from caseworker.services.centre import login, setup_centre
from caseworker.services.demo import demo_villages
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import KINDS, count, counts, members
from caseworker.store.models import Enrolment, Operator, Payment, Person, new_id, utc_now
from caseworker.store.search_index import search_columns

PASSWORD = "bench password 1"
CHUNK = 5000
DAY = date(2026, 11, 27)  # the residents' medical window for 2027 is open
TOWNSHIP = "320281103"
CATEGORIES = (
    ("farmer", 40),
    ("migrant_worker", 12),
    ("employee", 10),
    ("flexible", 6),
    ("platform_worker", 3),
    ("self_employed", 4),
    ("student", 8),
    ("retired", 9),
    ("unemployed", 3),
    ("child", 5),
)
GROUPS = ("dibao", "tekun", "severe_disability", "disability", "poverty_monitor")


def _person(
    n: int, rng: random.Random, villages: list[str], now: object, taken: dict[date, int]
) -> dict:
    born = date(1930, 1, 1).toordinal() + rng.randrange(95 * 365)
    birth = date.fromordinal(min(born, DAY.toordinal() - 1))
    taken[birth] = taken.get(birth, 0) + 1  # a sequence per birth date: numbers never repeat
    number = make_id_number("320281", birth, taken[birth])
    age = DAY.year - birth.year
    category = "child" if age < 16 else rng.choices(*zip(*CATEGORIES, strict=True))[0]
    groups = [rng.choice(GROUPS)] if rng.random() < 0.03 else []
    columns = search_columns("测试人员", number, None)
    return {
        "id": new_id(),
        "id_number": number,
        "id_kind": "mainland",
        "name": "测试人员",
        "sex": rng.choice("12"),
        "birth_date": birth,
        "phone": f"139{n:08d}",
        "hukou_village_code": rng.choice(villages),
        "employment_category": category,
        "special_groups": groups,
        "id_number_reversed": columns.id_number_reversed,
        "phone_reversed": columns.phone_reversed,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def seed(paths: DataPaths, persons: int) -> None:
    result = setup_centre(
        paths,
        centre_code=TOWNSHIP,
        centre_name="基准测试服务中心",
        township_code=TOWNSHIP,
        admin_username="admin",
        admin_password=PASSWORD,
    )
    result.session.close()
    session = login(paths, "admin", PASSWORD)
    started = time.perf_counter()
    rng = random.Random(11)
    villages = [v.code12 for v in demo_villages(TOWNSHIP)]
    now = utc_now()
    taken: dict[date, int] = {}
    people = [_person(n, rng, villages, now, taken) for n in range(persons)]
    enrolments, payments = [], []
    with session.database.reading() as db:
        operator_id = db.scalar(select(Operator.id).limit(1))
    voucher = 0

    def pay(person: dict, enrolment_id: object, scheme: str, year: int) -> None:
        nonlocal voucher
        voucher += 1
        payments.append(
            {
                "id": new_id(),
                "channel": "tax",
                "voucher_number": f"V{voucher:012d}",
                "person_id": person["id"],
                "enrolment_id": enrolment_id,
                "scheme": scheme,
                "period_start": date(year, 1, 1),
                "period_end": date(year, 12, 31),
                "amount_fen": 40000,
                "subsidy_fen": 0,
                "paid_by_government_fen": 0,
                "personal_fen": 40000,
                "method": "tax_app",
                "operator_id": operator_id,
                "paid_at": now,
                "business_date": date(year - 1, 11, 1),
            }
        )

    for person in people:
        age = DAY.year - person["birth_date"].year
        if rng.random() < 0.75:
            medical = new_id()
            enrolments.append(_enrolment(person, medical, "resident_medical", now))
            if rng.random() < 0.85:
                pay(person, medical, "resident_medical", 2026)
                if rng.random() < 0.45:
                    pay(person, medical, "resident_medical", 2027)
        if 16 <= age < 60 and person["employment_category"] in ("farmer", "unemployed"):
            pension = new_id()
            enrolments.append(_enrolment(person, pension, "resident_pension", now))
            if rng.random() < 0.8:
                pay(person, pension, "resident_pension", 2025)
                if rng.random() < 0.7:
                    pay(person, pension, "resident_pension", 2026)
        elif 16 <= age < 63 and person["employment_category"] in ("flexible", "platform_worker"):
            flexible = new_id()
            enrolments.append(_enrolment(person, flexible, "employee_pension_flexible", now))
    with session.database.writing() as db:
        for start in range(0, len(people), CHUNK):
            db.execute(insert(Person), people[start : start + CHUNK])
        for start in range(0, len(enrolments), CHUNK):
            db.execute(insert(Enrolment), enrolments[start : start + CHUNK])
        for start in range(0, len(payments), CHUNK):
            db.execute(insert(Payment), payments[start : start + CHUNK])
        # A mix of statuses, as records and surveys leave them (the triggers move the tally).
        db.execute(
            text(
                "UPDATE coverage_status SET status = 'insured_here', source = 'enrolment'"
                " WHERE line = 'medical' AND person_id IN (SELECT person_id FROM payment"
                " WHERE scheme = 'resident_medical' AND period_start = '2026-01-01')"
            )
        )
        db.execute(
            text(
                "UPDATE coverage_status SET status = 'insured_here', source = 'enrolment'"
                " WHERE line = 'pension' AND person_id IN (SELECT person_id FROM enrolment"
                " WHERE scheme IN ('resident_pension', 'employee_pension_flexible'))"
            )
        )
        db.execute(
            text(
                "UPDATE coverage_status SET status = CASE abs(random()) % 4"
                " WHEN 0 THEN 'not_insured' WHEN 1 THEN 'insured_elsewhere'"
                " WHEN 2 THEN 'not_applicable' ELSE status END,"
                " reason = CASE abs(random()) % 3 WHEN 0 THEN 'unwilling'"
                " WHEN 1 THEN 'working_away' ELSE 'cannot_afford' END"
                " WHERE status = 'unknown' AND abs(random()) % 2 = 0"
            )
        )
        db.execute(
            text(
                "UPDATE coverage_status SET reason = NULL"
                " WHERE status NOT IN ('not_insured', 'not_applicable')"
            )
        )
        statuses = db.scalar(text("SELECT count(*) FROM coverage_status"))
    emit(
        "seed_worklist_registry",
        [time.perf_counter() - started],
        "s",
        persons=persons,
        enrolments=len(enrolments),
        payments=len(payments),
        coverage_rows=statuses,
        db_mb=round(paths.database.stat().st_size / 2**20),
    )
    session.close()


def _enrolment(person: dict, enrolment_id: object, scheme: str, now: object) -> dict:
    return {
        "id": enrolment_id,
        "person_id": person["id"],
        "scheme": scheme,
        "status": "active",
        "start_date": date(2020, 1, 1),
        "documents": [],
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _timed(runs: int, job) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def bench_counts(paths: DataPaths, persons: int, runs: int) -> None:
    session = login(paths, "admin", PASSWORD)
    database, actor = session.database, session.actor
    counts(database, actor, DAY)  # warm the page cache once, as the app's first look does

    def bare() -> int:
        with database.reading() as db:
            return db.scalar(text("SELECT count(*) FROM person"))

    samples, total = _timed(runs, bare)
    emit("baseline_count_person", samples, "ms", persons=persons, rows=total)
    samples, found = _timed(runs, lambda: counts(database, actor, DAY))
    emit(
        "worklist_counts_all",
        samples,
        "ms",
        persons=persons,
        target_ms=100,
        counts=found,
        note="the front page's refresh: tallies, plus the two queried counts kept until a write",
    )

    def after_a_change() -> dict[str, int]:
        worklists._remembered.clear()  # as after any write: the queried counts are counted again
        return counts(database, actor, DAY)

    samples, _found = _timed(runs, after_a_change)
    emit(
        "worklist_counts_all_after_a_change",
        samples,
        "ms",
        persons=persons,
        target_ms=100,
        note="fresh: nothing remembered, every count read from the store",
    )
    samples = []
    for row in range(1, runs + 1):
        # A real write first (untimed): the reading connection's page cache goes stale too.
        with database.writing() as db:
            db.execute(text("UPDATE person SET phone = phone WHERE rowid = :r"), {"r": row})
        worklists._remembered.clear()  # the raw UPDATE wrote no audit entry
        started = time.perf_counter()
        counts(database, actor, DAY)
        samples.append((time.perf_counter() - started) * 1000)
    emit(
        "worklist_counts_all_after_a_write",
        samples,
        "ms",
        persons=persons,
        target_ms=100,
        note="fresh, straight after a write to the store (the write itself not timed)",
    )
    for kind in KINDS:
        spec = WorklistSpec(kind.code)
        samples, n = _timed(runs, lambda spec=spec: count(database, actor, spec, DAY))
        emit(f"worklist_count_{kind.code}", samples, "ms", persons=persons, rows=n)
        samples, page = _timed(
            max(3, runs // 3), lambda spec=spec: members(database, actor, spec, DAY, limit=100)
        )
        emit(f"worklist_first_page_{kind.code}", samples, "ms", persons=persons, rows=len(page))
    village = next(iter(v.code12 for v in demo_villages(TOWNSHIP)))
    spec = WorklistSpec("not_covered", village_code=village, line="pension")
    samples, n = _timed(runs, lambda: count(database, actor, spec, DAY))
    emit("worklist_count_not_covered_village_line", samples, "ms", persons=persons, rows=n)
    samples, page = _timed(
        max(3, runs // 3), lambda: members(database, actor, spec, DAY, offset=2000, limit=100)
    )
    emit("worklist_page_at_2000_village_line", samples, "ms", persons=persons, rows=len(page))
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worklists")
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dir", help="keep the seeded registry here (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.dir or scratch)
        paths = DataPaths(root / "worklists")
        if not paths.database.exists():
            seed(paths, args.persons)
        bench_counts(paths, args.persons, args.runs)


if __name__ == "__main__":
    main()

"""Front-desk benchmarks: registry search latency over a large registry, and app launch.

    .venv/bin/python -m bench.frontdesk --persons 500000 [--dir DIR]

The registry is seeded with the demo generator's people and exactly the search columns and
keys the services write (caseworker.store.search_index.search_columns), bulk-inserted without
outbox and audit rows: search reads only the person and key tables, and building 500,000 people
through the front-desk service would take the better part of an hour.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from bench import emit
from caseworker.domain.demo_people import generate_demo
from caseworker.paths import DataPaths
from caseworker.services.centre import login, setup_centre
from caseworker.services.demo import demo_villages
from caseworker.services.registry import search
from caseworker.store.models import Person, PersonSearchKey, new_id, utc_now
from caseworker.store.search_index import search_columns

PASSWORD = "bench password 1"
CHUNK = 5000
TODAY = date(2026, 11, 27)


def seed_registry(paths: DataPaths, persons: int) -> list[dict]:
    result = setup_centre(
        paths,
        centre_code="320281103",
        centre_name="基准测试服务中心",
        township_code="320281103",
        admin_username="admin",
        admin_password=PASSWORD,
    )
    result.session.close()
    session = login(paths, "admin", PASSWORD)
    started = time.perf_counter()
    people = list(
        generate_demo(persons, seed=7, today=TODAY, villages=demo_villages("320281103")).persons
    )
    rows, keys = [], []
    now = utc_now()
    for p in people:
        columns = search_columns(p.name, p.id_number, p.phone)
        person_id = new_id()
        rows.append(
            {
                "id": person_id,
                "id_number": p.id_number,
                "id_kind": "mainland",
                "name": p.name,
                "sex": p.sex,
                "birth_date": p.birth_date,
                "ethnicity": p.ethnicity,
                "phone": p.phone,
                "hukou_nature": p.hukou_nature,
                "hukou_region_code": p.id_number[:6],
                "employment_category": p.employment_category,
                "special_groups": list(p.special_groups),
                "id_number_reversed": columns.id_number_reversed,
                "phone_reversed": columns.phone_reversed,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        keys.extend({"key": k, "person_id": person_id} for k in columns.name_keys)
    with session.database.writing() as db:
        for start in range(0, len(rows), CHUNK):
            db.execute(insert(Person), rows[start : start + CHUNK])
        for start in range(0, len(keys), CHUNK * 8):
            db.execute(insert(PersonSearchKey), keys[start : start + CHUNK * 8])
    emit(
        "seed_registry",
        [time.perf_counter() - started],
        "s",
        persons=persons,
        name_keys=len(keys),
        db_mb=round(paths.database.stat().st_size / 2**20),
    )
    session.close()
    return rows


def bench_search(paths: DataPaths, rows: list[dict], runs: int) -> None:
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(3)
    sample = rng.sample(rows, runs)
    queries = {
        "id_tail": [r["id_number"][-rng.choice((4, 5, 6)) :] for r in sample],
        "two_character_name": [r["name"][:2] for r in sample if "·" not in r["name"]],
        "pinyin_initials": [
            "".join(lazy_pinyin(r["name"], style=Style.FIRST_LETTER))
            for r in sample
            if "·" not in r["name"]
        ],
    }
    session = login(paths, "admin", PASSWORD)
    search(session.database, "warm up")
    for kind, texts in queries.items():
        samples, found = [], []
        for text in texts:
            started = time.perf_counter()
            result = search(session.database, text, limit=200)
            samples.append((time.perf_counter() - started) * 1000)
            found.append(len(result))
        emit(
            f"search_{kind}",
            samples,
            "ms",
            persons=len(rows),
            median_results=sorted(found)[len(found) // 2],
        )
    session.close()


def bench_launch(paths: DataPaths, persons: int, runs: int) -> None:
    """Process start → logged in → main window painted, on a registry of ``persons``
    (the same probe as bench/launch.py, which also times a bare PySide6 window)."""
    from bench.launch import HERE, probe_command, timed

    probe = probe_command(paths.root, password=PASSWORD)
    samples = [timed(probe, HERE) for _ in range(runs)]
    emit("launch_to_usable_window", samples, "s", persons=persons)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.frontdesk")
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--dir", help="keep the seeded registry here (default: temporary)")
    parser.add_argument("--launch-runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.dir or scratch)
        paths = DataPaths(root / "registry")
        rows = seed_registry(paths, args.persons)
        bench_search(paths, rows, args.runs)
        bench_launch(paths, args.persons, args.launch_runs)


if __name__ == "__main__":
    main()

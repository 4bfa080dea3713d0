"""Demo centre benchmark: ``build_demo_centre`` on the bulk write path.

    .venv/bin/python -m bench.demo --persons 100000 [--runs 1]

Each run builds a demo centre of ``--persons`` people from scratch (centre, operators,
employers, households, people, enrolments, desk and tax-channel payments, survey answers,
the supervisor's approval of the whole history) and times it, wall clock and CPU.

The baseline, in the same run: the same people's rows alone (the generator's people for the
same seed, no validation, no outbox, audit, search keys or coverage decisions) written raw
with one ``executemany`` into a fresh store of the same kind (SQLCipher, the same schema and
triggers). The ratio says what the rules, the journal and the rest of the demo cost over
writing the people themselves.

Figures (JSON lines through ``bench.emit``, median of ``--runs``):

- ``demo_build``: seconds, with ``people_per_second``, ``ms_per_person``, ``cpu_seconds``,
  ``baseline_seconds`` (``raw_person_rows``) and ``ratio_to_baseline``.
- ``raw_person_rows``: the baseline's own figure.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from bench import emit
from caseworker.domain.demo_people import generate_demo
from caseworker.domain.regions import demo_centre
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.demo import build_demo_centre, demo_villages
from caseworker.store.models import Person, new_id

PASSWORD = "bench password 1"
SEED = 1


def build_once(root: Path, persons: int, day: date) -> tuple[float, float]:
    """Wall and CPU seconds of one demo build."""
    paths = DataPaths(root / "demo")
    started, cpu = time.perf_counter(), time.process_time()
    build_demo_centre(paths, persons=persons, seed=SEED, today=day)
    return time.perf_counter() - started, time.process_time() - cpu


def raw_people_once(root: Path, persons: int, day: date) -> float:
    """Seconds to write the same people's rows alone with one executemany."""
    centre = demo_centre()
    setup = setup_centre(
        DataPaths(root / "raw"),
        centre_code=centre["code"],
        centre_name=centre["name"],
        township_code=centre["township_code"],
        admin_username="admin",
        admin_password=PASSWORD,
    )
    data = generate_demo(
        persons, seed=SEED, today=day, villages=demo_villages(centre["township_code"])
    )
    rows = [
        {
            "id": new_id(),
            "id_number": p.id_number,
            "id_number_reversed": p.id_number[::-1],
            "id_kind": "mainland",
            "name": p.name,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "ethnicity": p.ethnicity,
            "phone": p.phone,
            "hukou_nature": p.hukou_nature,
            "hukou_region_code": p.id_number[:6],
            "hukou_village_code": household.village_code,
            "hukou_address": household.address_detail,
            "employment_category": p.employment_category,
            "special_groups": list(p.special_groups),
            "bank_account": p.bank_account,
            "relationship_to_head": p.relationship,
        }
        for household in data.households
        for p in household.members
    ]
    started = time.perf_counter()
    with setup.session.database.writing() as session:
        session.execute(insert(Person.__table__), rows)
    elapsed = time.perf_counter() - started
    setup.session.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.demo")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="scratch directory")
    args = parser.parse_args()
    day = date.today()
    walls, cpus, raws = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
            wall, cpu = build_once(Path(scratch), args.persons, day)
            walls.append(wall)
            cpus.append(cpu)
            raws.append(raw_people_once(Path(scratch), args.persons, day))
    seconds, raw = statistics.median(walls), statistics.median(raws)
    emit("raw_person_rows", raws, "s", persons=args.persons)
    emit(
        "demo_build",
        walls,
        "s",
        persons=args.persons,
        people_per_second=round(args.persons / seconds),
        ms_per_person=round(seconds * 1000 / args.persons, 3),
        cpu_seconds=round(statistics.median(cpus), 2),
        baseline_seconds=round(raw, 3),
        ratio_to_baseline=round(seconds / raw, 1),
    )


if __name__ == "__main__":
    main()

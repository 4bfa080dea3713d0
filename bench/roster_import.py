"""A village roster imported with validation (target: 50,000 rows ≤ 15 s; 500,000 with flat
memory).

    .venv/bin/python -m bench.roster_import --rows 50000 [--runs 3] [--dir DIR]
    .venv/bin/python -m bench.roster_import --rows 500000 --runs 1

Each run imports a generated .xlsx roster (households of one to five, 户号, names, ID
numbers, relationships, villages by name, addresses, phones) into a fresh centre of 青阳镇, in
a child process so its peak memory (ru_maxrss) is its own. In the same run, a baseline: the
same people's person rows written raw (one executemany, no validation, keys, outbox or
audit) into a fresh store, and the time only to read the file (``iter_roster``). Figures are
JSON lines: medians of the runs, the ratio to the baseline, rows per second, peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert

from bench import emit
from caseworker.domain.demo_names import NameMaker
from caseworker.domain.ids import make_id_number
from caseworker.domain.regions import load_region_directory
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.roster_file import inspect_roster, iter_roster
from caseworker.services.roster_import import ImportOptions, import_roster
from caseworker.store.models import Person, new_id
from caseworker.store.search_index import search_columns

PASSWORD = "bench password 1"
TOWNSHIP = "320281103"
DAY = date(2026, 11, 27)
HEADINGS = [
    "户号",
    "姓名",
    "身份证号",
    "与户主关系",
    "性别",
    "联系电话",
    "村（居）委会",
    "户籍地址",
]


def write_roster(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    names = NameMaker(rng, DAY)
    villages = [r.name for r in load_region_directory().children(TOWNSHIP)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["青阳镇户籍人口花名册"])
    sheet.append(HEADINGS)
    taken: dict[date, int] = {}
    written = household = 0
    while written < rows:
        household += 1
        village = rng.choice(villages)
        address = f"{rng.randrange(1, 20)}组{rng.randrange(1, 200)}号"
        size = min(rng.randrange(1, 6), rows - written)
        for member in range(size):
            born = date.fromordinal(date(1935, 1, 1).toordinal() + rng.randrange(88 * 365))
            taken[born] = taken.get(born, 0) + 1
            number = make_id_number("320281", born, taken[born])
            relation = "户主" if member == 0 else rng.choice(("配偶", "子", "女", "孙子", "母亲"))
            sex = "男" if int(number[16]) % 2 else "女"
            phone = f"138{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None
            sheet.append(
                [
                    f"H{household:06d}",
                    names.surname()
                    + names.given("1" if sex == "男" else "2", DAY.year - born.year),
                    number,
                    relation,
                    sex,
                    phone,
                    village,
                    address,
                ]
            )
        written += size
    book.save(path)


def _centre(root: Path) -> DataPaths:
    paths = DataPaths(root)
    setup = setup_centre(
        paths,
        centre_code=TOWNSHIP,
        centre_name="江阴市青阳镇社会保障服务中心",
        township_code=TOWNSHIP,
        admin_username="admin",
        admin_password=PASSWORD,
        allow_weak_password=True,
    )
    setup.session.close()
    return paths


def _import_child(roster: Path, root: Path, answer: multiprocessing.Queue) -> None:
    from caseworker.services.centre import login

    paths = _centre(root)
    session = login(paths, "admin", PASSWORD)
    started = time.perf_counter()
    result = import_roster(session.database, session.actor, roster, ImportOptions(), today=DAY)
    elapsed = time.perf_counter() - started
    session.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer.put((elapsed, peak_mb, result.created, result.rejected))


def _raw_child(roster: Path, root: Path, answer: multiprocessing.Queue) -> None:
    from caseworker.services.centre import login

    paths = _centre(root)
    session = login(paths, "admin", PASSWORD)
    rows = []
    layout = inspect_roster(roster)
    for row in iter_roster(roster, layout):
        number, name = row.fields["id_number"], row.fields["name"]
        columns = search_columns(name, number, None)
        rows.append(
            {
                "id": new_id(),
                "id_number": number,
                "id_kind": "resident_id",
                "name": name,
                "sex": "1" if int(number[16]) % 2 else "2",
                "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "special_groups": [],
                "id_number_reversed": columns.id_number_reversed,
            }
        )
    started = time.perf_counter()
    with session.database.writing() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(Person.__table__), rows[start : start + 5000])
    answer.put(time.perf_counter() - started)
    session.close()


def _in_child(target, *args) -> object:
    answer: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.get_context("fork").Process(target=target, args=(*args, answer))
    process.start()
    value = answer.get()
    process.join()
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        root = Path(folder)
        roster = root / "roster.xlsx"
        started = time.perf_counter()
        write_roster(roster, args.rows)
        print(
            f"# roster of {args.rows} rows written in {time.perf_counter() - started:.1f} s, "
            f"{roster.stat().st_size / 1e6:.1f} MB",
            flush=True,
        )
        reads, imports, peaks, raws = [], [], [], []
        for run in range(args.runs):
            started = time.perf_counter()
            layout = inspect_roster(roster)
            count = sum(1 for _ in iter_roster(roster, layout))
            reads.append(time.perf_counter() - started)
            elapsed, peak, created, rejected = _in_child(_import_child, roster, root / f"i{run}")
            assert created == count and rejected == 0, (created, count, rejected)
            imports.append(elapsed)
            peaks.append(peak)
            raws.append(_in_child(_raw_child, roster, root / f"r{run}"))
        median = sorted(imports)[len(imports) // 2]
        emit("roster.read", reads, "s", rows=args.rows)
        emit(
            "roster.import",
            imports,
            "s",
            rows=args.rows,
            rows_per_s=round(args.rows / median),
            ms_per_row=round(median * 1000 / args.rows, 3),
            ratio_to_raw=round(median / sorted(raws)[len(raws) // 2], 1),
        )
        emit("roster.import_peak_rss", peaks, "MB", rows=args.rows)
        emit("roster.raw_person_rows", raws, "s", rows=args.rows)


if __name__ == "__main__":
    main()

"""A registry export to Excel against a bare openpyxl write-only workbook of the same rows.

    .venv/bin/python -m bench.exports --persons 5000 [--runs 3] [--dir DIR]

The registry is seeded as ``bench.worklists`` does it (bulk inserts, statuses by trigger).
Each run times ``export_registry`` (header block, paged reads, code names, text cells, the
rename and the audit entry) and, in the same run, the baseline: the same rows, read the same
way, appended as plain values to a bare write-only workbook. Figures: medians of the runs,
the ratio, and the peak Python memory (tracemalloc) of one more export of each.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench import emit
from bench.worklists import PASSWORD, seed
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.xlsx_export import PAGE, _registry_rows, export_registry
from caseworker.store.database import Database


def bare(database: Database, target: Path) -> int:
    """The same rows, read by the same pages, appended as plain values: no header block, no
    text cells, no scratch file beside it, no rename, checksum or audit entry."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("registry")
    written = 0
    with database.reading() as session:
        for row in _registry_rows(session, PAGE):
            sheet.append(row)
            written += 1
    book.save(target)
    return written


def peak(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir")
    args = parser.parse_args()
    root = Path(args.dir or tempfile.mkdtemp(prefix="cw-bench-exports-"))
    paths = DataPaths(root / "data")
    if not paths.key_file.exists():
        seed(paths, args.persons)
    session = login(paths, "admin", PASSWORD)
    out = root / "out"
    out.mkdir(exist_ok=True)
    database, actor = session.database, session.actor
    ours: list[float] = []
    plain: list[float] = []
    try:
        for _ in range(args.runs):
            started = time.perf_counter()
            result = export_registry(
                database, actor, out / "registry.xlsx", personal_data_confirmed=True
            )
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare(database, out / "bare.xlsx")
            plain.append(time.perf_counter() - started)
        ours_mb = peak(
            lambda: export_registry(
                database, actor, out / "registry.xlsx", personal_data_confirmed=True
            )
        )
        plain_mb = peak(lambda: bare(database, out / "bare.xlsx"))
    finally:
        session.close()
    emit(
        "export_registry",
        ours,
        "s",
        rows=result.rows,
        file_mb=round((out / "registry.xlsx").stat().st_size / 2**20, 1),
        peak_python_mb=round(ours_mb, 1),
    )
    emit("bare_openpyxl_write_only", plain, "s", peak_python_mb=round(plain_mb, 1))
    ordered_ours, ordered_plain = sorted(ours), sorted(plain)
    ratio = ordered_ours[len(ours) // 2] / ordered_plain[len(plain) // 2]
    print(f'{{"name": "ratio_export_to_bare", "median_ratio": {ratio:.2f}}}')


if __name__ == "__main__":
    main()

"""Coverage dashboard benchmark: the coverage picture over a large registry.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.coverage --persons 500000 [--dir DIR]

The registry is bulk-inserted (people only, without outbox and audit rows: the picture reads
none of them); the store's own triggers give every person a status row per line and keep the
tallies, exactly as the services' writes do. Statuses are then set in bulk, spread over the
last eleven months, so the tallies and the monthly trend look like a township's.

Figures (JSON lines, median of ``--runs`` each), each with a baseline from the same run:

- ``coverage_compute_line``: ``services.coverage_report.coverage_report`` for one line (what
  the Reports page computes, from ``coverage_facet``), against the same six GROUP BYs over the
  raw ``coverage_status`` rows (``raw_rows_baseline``) and over the full ``coverage_tally``
  (``tally_baseline``): the ratios are what the tally and its facets save.
- ``coverage_compute_all_lines``: the three lines, as ``caseworker report coverage`` does.
- ``coverage_draw``: the coverage picture's charts built from a computed report and rendered
  to an image offscreen, against a bare widget of the same size rendered the same way.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bench import emit
from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login, setup_centre
from caseworker.services.coverage_report import coverage_report, coverage_reports
from caseworker.services.demo import demo_villages
from caseworker.store.models import CoverageStatus, CoverageTally, Person, utc_now

PASSWORD = "bench password 1"
TOWNSHIP = "320281103"
CHUNK = 5000
TODAY = date.today()  # the store's triggers date new rows by the real clock
CATEGORIES = (
    ("farmer", 24),
    ("migrant_worker", 18),
    ("employee", 20),
    ("flexible", 8),
    ("platform_worker", 4),
    ("self_employed", 6),
    ("student", 8),
    ("retired", 6),
    ("unemployed", 4),
    ("child", 2),
)


def seed(paths: DataPaths, persons: int) -> OpenSession:
    setup_centre(
        paths,
        centre_code=TOWNSHIP,
        centre_name="基准测试服务中心",
        township_code=TOWNSHIP,
        admin_username="admin",
        admin_password=PASSWORD,
    ).session.close()
    session = login(paths, "admin", PASSWORD)
    rng = random.Random(11)
    villages = [v.code12 for v in demo_villages(TOWNSHIP)]
    categories = [c for c, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    started = time.perf_counter()
    now = utc_now()
    numbers: set[str] = set()
    with session.database.writing() as db:
        rows = []
        while len(numbers) < persons:
            age = min(int(rng.expovariate(1 / 38)), 99)
            born = date(TODAY.year - age, rng.randint(1, 12), rng.randint(1, 28))
            sex = rng.choice("12")
            sequence = rng.randrange(500) * 2 + (1 if sex == "1" else 2) - 1
            number = make_id_number("320281", born, max(sequence, 1))
            if number in numbers:
                continue
            numbers.add(number)
            category = (
                "child"
                if age < 6
                else "student"
                if age < 16
                else rng.choices(categories, weights)[0]
            )
            rows.append(
                {
                    "id_number": number,
                    "id_kind": "mainland",
                    "name": "测试",
                    "sex": sex,
                    "birth_date": born,
                    "hukou_village_code": rng.choice(villages),
                    "employment_category": category,
                    "special_groups": [],
                    "id_number_reversed": number[::-1],
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            if len(rows) == CHUNK:
                db.execute(insert(Person), rows)
                rows = []
        if rows:
            db.execute(insert(Person), rows)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    with session.database.writing() as db:
        _spread_statuses(db)
    statuses = time.perf_counter() - started
    with session.database.reading() as db:
        tally_rows = db.scalar(select(func.count()).select_from(CoverageTally))
        status_rows = db.scalar(select(func.count()).select_from(CoverageStatus))
    emit(
        "coverage_seed",
        [inserted + statuses],
        "s",
        persons=persons,
        insert_s=round(inserted, 1),
        statuses_s=round(statuses, 1),
        status_rows=status_rows,
        tally_rows=tally_rows,
        db_mb=round(paths.database.stat().st_size / 2**20),
    )
    return session


# One draw per row (r, 0-99, from two hex digits of the time-ordered UUID's random tail, a
# different pair per line) decides the status; its day is spread over the last 330 days so
# the monthly trend has a shape. The store's triggers move the tallies, facets and months.
_DRAW = (
    "((instr('0123456789abcdef', lower(substr(person_id, :at, 1))) - 1) * 16"
    " + instr('0123456789abcdef', lower(substr(person_id, :at + 1, 1))) - 1) % 100"
)
_SPREAD = f"""
UPDATE coverage_status SET
    status = CASE
        WHEN line = 'pension' AND birth_year > :young THEN 'not_applicable'
        WHEN {_DRAW} < :here THEN 'insured_here'
        WHEN {_DRAW} < :elsewhere THEN 'insured_elsewhere'
        WHEN {_DRAW} < :not_insured THEN 'not_insured'
        WHEN {_DRAW} < :not_applicable THEN 'not_applicable'
        ELSE 'unknown' END,
    reason = CASE
        WHEN line = 'pension' AND birth_year > :young THEN 'under_16'
        WHEN {_DRAW} >= :elsewhere AND {_DRAW} < :not_insured THEN
            CASE {_DRAW} % 5 WHEN 0 THEN 'unaware' WHEN 1 THEN 'unwilling'
                WHEN 2 THEN 'cannot_afford' WHEN 3 THEN 'no_need' ELSE 'working_away' END
        WHEN {_DRAW} >= :not_insured AND {_DRAW} < :not_applicable THEN 'student'
        ELSE NULL END,
    scheme = CASE WHEN {_DRAW} < :elsewhere THEN
        CASE WHEN category = 'employee' THEN :employee_scheme ELSE :resident_scheme END
        ELSE NULL END,
    source = 'survey',
    as_of = date('now', '-' || ({_DRAW} * 7 % 330) || ' days'),
    valid_until = NULL,
    version = 1
WHERE line = :line
"""
_LINES = {
    "pension": dict(here=70, elsewhere=78, not_insured=88, not_applicable=92,
                    employee_scheme="employee_pension", resident_scheme="resident_pension"),
    "medical": dict(here=80, elsewhere=88, not_insured=95, not_applicable=95,
                    employee_scheme="employee_medical", resident_scheme="resident_medical"),
    "injury": dict(here=30, elsewhere=36, not_insured=55, not_applicable=85,
                   employee_scheme="work_injury", resident_scheme="occupational_injury"),
}  # fmt: skip


def _spread_statuses(db) -> None:
    for line, shares in _LINES.items():
        at = {"pension": 31, "medical": 29, "injury": 27}[line]
        db.execute(text(_SPREAD), {"line": line, "young": TODAY.year - 16, "at": at, **shares})


_FIGURE_GROUPS = (
    "status",
    "village_code, status",
    "scheme, status",
    "reason, status",
    "category, status",
    "birth_year, sex, status",
)


def grouped_baseline(session: OpenSession, line: str, table: str) -> None:
    """The figures' six GROUP BYs over ``table``: the raw status rows (``coverage_status``,
    one per person and line) or the full tally (``coverage_tally``, what the facets avoid)."""
    people = "count(*)" if table == "coverage_status" else "sum(n)"
    with session.database.reading() as db:
        for columns in _FIGURE_GROUPS:
            db.execute(
                text(
                    f"SELECT {columns}, {people} FROM {table}"
                    f" WHERE line = :line AND present GROUP BY {columns}"
                ),
                {"line": line},
            ).all()


def _timed(runs: int, job) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_compute(session: OpenSession, persons: int, runs: int, baseline_runs: int) -> None:
    database, actor = session.database, session.actor
    coverage_report(database, actor, TODAY, "pension")  # warm the page cache once
    line = _timed(runs, lambda: coverage_report(database, actor, TODAY, "pension"))
    raw = _timed(baseline_runs, lambda: grouped_baseline(session, "pension", "coverage_status"))
    tally = _timed(baseline_runs, lambda: grouped_baseline(session, "pension", "coverage_tally"))
    median = statistics.median(line)
    emit(
        "coverage_compute_line",
        line,
        "ms",
        persons=persons,
        target_ms=300,
        baseline="raw_rows_baseline",
        baseline_median=round(statistics.median(raw), 1),
        ratio_to_baseline=round(median / statistics.median(raw), 4),
        ratio_to_tally_baseline=round(median / statistics.median(tally), 4),
    )
    emit("raw_rows_baseline", raw, "ms", persons=persons, line="pension")
    emit("tally_baseline", tally, "ms", persons=persons, line="pension")
    every = _timed(runs, lambda: coverage_reports(database, actor, TODAY))
    emit("coverage_compute_all_lines", every, "ms", persons=persons, lines=3, target_ms=300)


def bench_draw(session: OpenSession, persons: int, runs: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from caseworker.ui.style import apply_style
    from caseworker.ui.tasks import SynchronousRunner
    from caseworker.ui.views.coverage_charts import CoveragePicture

    app = QApplication.instance() or QApplication([])
    apply_style(app)  # type: ignore[arg-type]
    report = coverage_report(session.database, session.actor, TODAY, "pension")
    size = (1400, 1900)  # every chart on screen at once

    picture = CoveragePicture(session, SynchronousRunner(), today=lambda: TODAY)
    picture._wanted = True  # drawn from the report computed above, not computed again
    picture.resize(*size)
    picture.show()

    def draw() -> None:
        picture.show_report(report)
        QApplication.processEvents()  # the new panels' layout, as the event loop would
        image = picture.grab()
        assert not image.isNull()

    draw()  # the first draw loads fonts and plugins once
    samples = _timed(runs, draw)
    bare = QWidget()
    bare.resize(*size)
    bare.show()

    def draw_bare() -> None:
        QApplication.processEvents()
        bare.grab()

    baseline = _timed(runs, draw_bare)
    median = statistics.median(samples)
    emit(
        "coverage_draw",
        samples,
        "ms",
        persons=persons,
        target_ms=1000,
        charts=len(picture.panels),
        size=f"{size[0]}x{size[1]}",
        baseline="bare_widget_grab",
        baseline_median=round(statistics.median(baseline), 1),
        ratio_to_baseline=round(median / max(statistics.median(baseline), 0.001), 1),
    )
    emit("bare_widget_grab", baseline, "ms", size=f"{size[0]}x{size[1]}")
    picture.close()
    bare.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage")
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--dir", help="keep the seeded registry here (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.dir or scratch)
        session = seed(DataPaths(root / "coverage"), args.persons)
        try:
            bench_compute(session, args.persons, args.runs, args.baseline_runs)
            bench_draw(session, args.persons, args.runs)
        finally:
            session.close()


if __name__ == "__main__":
    main()

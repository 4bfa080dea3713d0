"""今日's one reading against the front page's it replaced, on a demo store.

    .venv/bin/python -m bench.home --data-dir DIR [--runs 15]

``--data-dir`` is a demo store (``caseworker demo --persons N --data-dir DIR``). Figures (JSON
lines through ``bench.emit``, medians of ``--runs``, in milliseconds), in the same run:

- ``front_page``: the baseline, the front page's reading as the window made it before 今日;
- ``home_figures_clerk`` / ``home_figures_supervisor``: the home page's reading (the front
  page's and the day's), for a clerk (own day) and a supervisor (the centre's, days not
  closed), with ``over_baseline_ms``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from bench import emit
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD
from caseworker.services.front_page import FrontPage, front_page_fields
from caseworker.services.home import home_figures


def _times(read, runs: int) -> list[float]:
    read()  # the first reading warms the page cache and the worklists' remembered counts
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        read()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        default=date.today(),
        help="the business day (a demo built today has all its history on today: the worst case)",
    )
    args = parser.parse_args()
    paths = DataPaths(args.data_dir)
    day = args.day
    clerk = login(paths, "clerk", DEMO_PASSWORD)
    supervisor = login(paths, "supervisor", DEMO_PASSWORD)
    try:
        with clerk.database.reading() as session:
            from sqlalchemy import func, select

            from caseworker.store.models import Person

            persons = session.scalar(select(func.count()).select_from(Person))

        def front_page() -> FrontPage:  # the first screen's reading before 今日
            with clerk.database.reading() as reading:
                return FrontPage(**front_page_fields(reading, clerk.database, clerk.actor, day))

        baseline = _times(front_page, args.runs)
        emit("front_page", baseline, "ms", persons=persons, day=day.isoformat())
        base = statistics.median(baseline)
        for name, who in (("clerk", clerk), ("supervisor", supervisor)):
            samples = _times(lambda who=who: home_figures(who.database, who.actor, day), args.runs)
            emit(
                f"home_figures_{name}",
                samples,
                "ms",
                persons=persons,
                day=day.isoformat(),
                over_baseline_ms=round(statistics.median(samples) - base, 3),
            )
    finally:
        clerk.close()
        supervisor.close()


if __name__ == "__main__":
    main()

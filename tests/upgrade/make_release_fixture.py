"""Write the data folder a release leaves behind, for the upgrade tests (run once per release,
with that release's code, then commit the folder it writes):

    python -m tests.upgrade.make_release_fixture

A demo centre of a few people (operators admin, supervisor and clerk, password ``demo``) with
enrolments, payments and their receipts, outbox rows and the signed audit trail, in the
encrypted store with its key file and high-water marks, all as the app writes them.
Logs, backups and the integrity-check stamp are left out: they are not the data.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

from caseworker import __version__
from caseworker.paths import DataPaths
from caseworker.services.demo import build_demo_centre

HERE = Path(__file__).resolve().parent
DAY = date(2026, 12, 1)  # the demo's "today": receipts of 2026
PERSONS = 4


def fixture_folder(version: str = __version__) -> Path:
    return HERE / f"data-{version}"


def main() -> int:
    target = fixture_folder()
    if target.exists():
        print(f"{target.name} exists: a release's fixture is written once", file=sys.stderr)
        return 1
    paths = DataPaths(target)
    summary = build_demo_centre(paths, persons=PERSONS, today=DAY, seed=14)
    for extra in ("logs", "backups", "drafts"):
        shutil.rmtree(target / extra, ignore_errors=True)
    for stamp in target.glob("*.checked"):
        stamp.unlink()
    files = sorted(p.name for p in target.iterdir())
    print(f"wrote {target.name}: {summary.persons} persons, {summary.payments} payments; {files}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

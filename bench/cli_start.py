"""CLI start benchmark: `caseworker find` as a whole process, on a large demo centre.

    .venv/bin/python -m bench.cli_start --store /tmp/demo100k [--persons 100000] [--runs 9]
                                        [--before /tmp/caseworker-before]

``--store`` is a demo centre's data folder; when it holds no centre, one of ``--persons``
people is built there first with `caseworker demo` (minutes for 100,000: build it once and
reuse it). ``--before`` is a copy of an older tree (e.g. ``git archive c75c7c7 caseworker
resources | tar -x -C DIR``) whose `caseworker find` is timed in the same run, against the
same store.

Every process runs with its byte code cached in a folder of its own under the temp folder (as
an installed package has its .pyc files), and the first run of each figure is a warm-up that
is not counted. Figures (JSON lines through ``bench.emit``, wall seconds; ``cpu_median`` is
user + system time of the child):

- ``python_bare``: ``python -c pass``, the floor of any Python command.
- ``import_caseworker``: ``python -c "import caseworker"``.
- ``import_sqlalchemy_orm``: ``python -c "import sqlalchemy.orm"``: what the store costs
  before any of our code.
- ``argon2_unlock``: one argon2id derivation with the key file's production parameters (in a
  process of its own, imports included): the price of unlocking the key at every login.
- ``find_after`` (this tree) and ``find_before`` (``--before``): `caseworker find QUERY --user
  clerk`; ``find_ratio_to_bare``, ``find_ratio_to_argon2`` (after / one unlock: what a
  command that logs in cannot go below, with its imports overlapped),
  ``find_ratio_to_sqlalchemy`` (after / importing the ORM, which `find` no longer does) and
  ``find_speedup`` (before / after) from their medians. On a shared machine the wall figures
  swing with the load; the ratios within one run are what compares.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import emit

HERE = Path(__file__).resolve().parents[1]
PASSWORD = "demo"  # the demo centre's operators (caseworker.services.demo.DEMO_PASSWORD)
ARGON2 = """
from argon2.low_level import Type, hash_secret_raw
from caseworker.store.keys import DEFAULT_ARGON2
hash_secret_raw(b"bench password", b"0123456789abcdef", hash_len=32, type=Type.ID,
                **DEFAULT_ARGON2)
"""


def _environment(tree: Path, cache: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env |= {
        "PYTHONPATH": str(tree),
        "PYTHONPYCACHEPREFIX": str(cache),
        "CASEWORKER_HOME": str(store),
        "CASEWORKER_PASSWORD": PASSWORD,
    }
    return env


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _figure(name: str, argv: list[str], env: dict[str, str], runs: int, **extra) -> float:
    _timed(argv, env)  # warm-up: byte code written, files in the page cache
    samples = [_timed(argv, env) for _ in range(runs)]
    walls = [w for w, _ in samples]
    median = statistics.median(walls)
    cpu = round(statistics.median(c for _, c in samples), 3)
    emit(name, walls, "s", cpu_median=cpu, **extra)
    return median


def ensure_store(store: Path, persons: int) -> None:
    if (store / "caseworker.keys").exists():
        return
    print(f"building a demo centre of {persons} people in {store} (minutes)…", file=sys.stderr)
    command = [sys.executable, "-m", "caseworker", "demo", "--persons", str(persons)]
    subprocess.run([*command, "--data-dir", str(store)], check=True, cwd=HERE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a demo centre's data folder")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, help="an older tree to time in the same run")
    parser.add_argument("--query", default="002X")
    args = parser.parse_args()
    ensure_store(args.store, args.persons)
    python = sys.executable
    find = [python, "-m", "caseworker", "find", args.query, "--user", "clerk", "--limit", "20"]
    with tempfile.TemporaryDirectory(prefix="cli-start-") as cache:
        after = _environment(HERE, Path(cache) / "after", args.store)
        bare = _figure("python_bare", [python, "-c", "pass"], after, args.runs)
        _figure("import_caseworker", [python, "-c", "import caseworker"], after, args.runs)
        orm = _figure(
            "import_sqlalchemy_orm", [python, "-c", "import sqlalchemy.orm"], after, args.runs
        )
        argon2 = _figure("argon2_unlock", [python, "-c", ARGON2], after, args.runs)
        before = None
        if args.before:
            env = _environment(args.before.resolve(), Path(cache) / "before", args.store)
            before = _figure("find_before", find, env, args.runs, tree=str(args.before))
        found = _figure("find_after", find, after, args.runs, persons=args.persons)
        emit("find_ratio_to_bare", [found / bare], "x")
        emit("find_ratio_to_argon2", [found / argon2], "x")
        emit("find_ratio_to_sqlalchemy", [found / orm], "x")
        if before is not None:
            emit("find_speedup", [before / found], "x")


if __name__ == "__main__":
    main()

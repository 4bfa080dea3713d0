"""Launch of the frozen app (installer/, `make build`) against the same code from source.

    .venv/bin/python -m bench.frozen_launch [--app dist/caseworker/caseworker] [--runs 7]
                                            [--store DIR] [--persons 200]

Each figure is a whole process, frozen and from source interleaved run by run (so both see
the same machine load), after one uncounted warm-up each; from source, byte code is cached
in a folder of its own (as an installed package has its .pyc files). ``--store`` is a demo
centre's data folder (built there first, from source, when it holds none; a temporary one
by default). Figures (JSON lines through ``bench.emit``, wall seconds, ``cpu_median`` the
child's user + system time):

- ``python_bare``: ``python -c pass``, the floor of any Python command (the baseline).
- ``version_source`` / ``version_frozen``: ``caseworker --version``: interpreter (or the
  bootloader unpacking nothing: one folder) and the CLI's first imports.
- ``find_source`` / ``find_frozen``: ``caseworker find 王 --user clerk``: a command that
  unlocks the key (argon2id), opens the encrypted store and searches.
- ``*_ratio``: frozen / source, from the medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import emit
from bench.cli_start import HERE, _environment, _timed


def _pair(
    name: str, frozen: list[str], source: list[str], env: dict[str, str], runs: int, **extra
) -> None:
    _timed(frozen, env)  # warm-ups: page cache, byte code
    _timed(source, env)
    samples: dict[str, list[tuple[float, float]]] = {"frozen": [], "source": []}
    for _ in range(runs):
        samples["frozen"].append(_timed(frozen, env))
        samples["source"].append(_timed(source, env))
    medians = {}
    for kind, found in samples.items():
        walls = [wall for wall, _ in found]
        medians[kind] = statistics.median(walls)
        cpu = round(statistics.median(c for _, c in found), 3)
        emit(f"{name}_{kind}", walls, "s", cpu_median=cpu, **extra)
    emit(f"{name}_ratio", [medians["frozen"] / medians["source"]], "x", what="frozen / source")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=HERE / "dist" / "caseworker" / "caseworker")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, help="a demo centre's data folder")
    parser.add_argument("--persons", type=int, default=200)
    args = parser.parse_args()
    if not args.app.exists():
        raise SystemExit(f"no frozen app at {args.app}: run `make build` first")
    with tempfile.TemporaryDirectory(prefix="frozen-launch-") as scratch:
        store = args.store or Path(scratch) / "store"
        if not (store / "caseworker.keys").exists():
            demo = ["demo", "--persons", str(args.persons), "--data-dir", str(store)]
            subprocess.run(
                [sys.executable, "-m", "caseworker", *demo],
                check=True,
                cwd=HERE,
                capture_output=True,
            )
        env = _environment(HERE, Path(scratch) / "pycache", store)
        python = [sys.executable, "-m", "caseworker"]
        frozen = [str(args.app.resolve())]
        bare = [_timed([sys.executable, "-c", "pass"], env) for _ in range(args.runs)]
        emit("python_bare", [wall for wall, _ in bare], "s")
        _pair("version", [*frozen, "--version"], [*python, "--version"], env, args.runs)
        find = ["find", "王", "--user", "clerk", "--limit", "20"]  # the commonest surname
        _pair("find", [*frozen, *find], [*python, *find], env, args.runs, persons=args.persons)


if __name__ == "__main__":
    main()

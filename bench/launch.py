"""Launch benchmark: whole process → logged in → main window painted and usable.

    .venv/bin/python -m bench.launch --data-dir /tmp/demo100k [--runs 7] [--before /work/main]

``--data-dir`` is a demo store (``caseworker demo --persons 100000 --data-dir DIR`` builds
one; it takes minutes, so build it once and reuse it). Each run is a fresh process
(``bench.launch_probe``: interpreter start and imports count) logging in as the demo admin.

The baseline, in the same run: a bare PySide6 window, shown and painted, in a fresh process.
``--before DIR`` also times the probe with another checkout's code on ``PYTHONPATH`` (the
commit before a change), interleaved with this one so both see the same machine load; the
probe itself is always this checkout's.

Figures (JSON lines through ``bench.emit``, medians of ``--runs``):

- ``bare_pyside6_window``: the baseline.
- ``launch_to_usable_window``: this checkout, with ``baseline_seconds``, ``ratio`` (to the
  baseline) and ``persons``.
- ``launch_to_usable_window_before``: the ``--before`` checkout, when given.
- ``login_dialog_usable``, ``typing_covers_preload`` and ``enter_to_usable_window``: the
  same launch as the clerk lives it (``bench.launch_phases_probe``): process start → the
  login dialog painted and ready for typing; how long the password must take to type for the
  preload to be done; Enter → the main window usable. What the clerk waits for is the first
  and the last, ``clerk_waits`` their sum per run; ``ratio`` for each is to the bare window.
- ``…_cpu``: the CPU seconds (all threads) each process used until its window was usable
  (the machine is shared: CPU moves less with other load than wall time), when the probe
  reports it (an older checkout's probe may not).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import emit

HERE = Path(__file__).resolve().parent.parent
PYCACHE = Path(tempfile.gettempdir()) / "caseworker-bench-pycache"
BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
window = QLabel("window")
window.show()
window.repaint()
app.processEvents()
import resource
used = resource.getrusage(resource.RUSAGE_SELF)
print(f"{time.time() - float(sys.argv[1]):.4f} {used.ru_utime + used.ru_stime:.4f} 1", flush=True)
"""


Command = Callable[[float], list[str]]


def _bare(started: float) -> list[str]:
    return [sys.executable, "-c", BARE, str(started)]


def _probe_output(command: Command, code_root: Path) -> list[str]:
    """What a probe printed, spawned just after the clock it is given."""
    started = time.time()
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        # As installed, bytecode is compiled once; kept under /tmp so no checkout is written.
        "PYTHONPYCACHEPREFIX": str(PYCACHE),
        "PYTHONPATH": str(code_root),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    output = subprocess.run(
        command(started), capture_output=True, text=True, check=True, env=env, cwd=code_root
    ).stdout.split()
    assert output[-1] == "1", "the window was not usable"
    return output


def timed(command: Command, code_root: Path) -> tuple[float, float | None]:
    """Seconds from just before the process is spawned to its usable window, and the CPU
    seconds it used until then (None from a probe that does not say)."""
    output = _probe_output(command, code_root)
    return float(output[0]), float(output[1]) if len(output) > 2 else None


def probe_command(
    data_dir: Path,
    *,
    probe: str = "launch_probe.py",
    user: str = "admin",
    password: str = "demo",
) -> Command:
    def command(started: float) -> list[str]:
        # This checkout's probe (run as a file, so its folder, not the checkout, is first on
        # the path) times each checkout's code the same way.
        return [
            sys.executable,
            str(HERE / "bench" / probe),
            "--started",
            str(started),
            "--data-dir",
            str(data_dir),
            "--user",
            user,
            "--password",
            password,
        ]

    return command


def timed_phases(command: Command, code_root: Path) -> list[float]:
    """The phases probe's figures: dialog, typing, after_enter, cpu."""
    return [float(value) for value in _probe_output(command, code_root)[:4]]


def persons_in(data_dir: Path) -> int:
    from sqlalchemy import func, select

    from caseworker.paths import DataPaths
    from caseworker.services.centre import login
    from caseworker.store.models import Person

    session = login(DataPaths(data_dir), "admin", "demo")
    try:
        with session.database.reading() as reading:
            return int(reading.scalar(select(func.count()).select_from(Person)) or 0)
    finally:
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.launch")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another checkout to time the same way")
    args = parser.parse_args()
    persons = persons_in(args.data_dir)
    probe = probe_command(args.data_dir)
    runs: dict[str, list[tuple[float, float | None]]] = {"bare": [], "after": [], "before": []}
    phases = probe_command(args.data_dir, probe="launch_phases_probe.py")
    phase_runs: list[list[float]] = []
    # Warm the file cache and compile the bytecode once, so the first run is not an outlier.
    timed(probe, HERE)
    timed_phases(phases, HERE)
    if args.before:
        timed(probe, args.before)
    for _ in range(args.runs):
        runs["bare"].append(timed(_bare, HERE))
        runs["after"].append(timed(probe, HERE))
        phase_runs.append(timed_phases(phases, HERE))
        if args.before:
            runs["before"].append(timed(probe, args.before))
    base = statistics.median(wall for wall, _cpu in runs["bare"])
    for key, name in (
        ("bare", "bare_pyside6_window"),
        ("before", "launch_to_usable_window_before"),
        ("after", "launch_to_usable_window"),
    ):
        if not runs[key]:
            continue
        walls = [wall for wall, _cpu in runs[key]]
        extra = {} if key == "bare" else {"persons": persons, "baseline_seconds": round(base, 3)}
        if key != "bare":
            extra["ratio"] = round(statistics.median(walls) / base, 2)
        emit(name, walls, "s", **extra)
        cpus = [cpu for _wall, cpu in runs[key] if cpu is not None]
        if cpus:
            emit(f"{name}_cpu", cpus, "s")
    for index, name in enumerate(
        ("login_dialog_usable", "typing_covers_preload", "enter_to_usable_window")
    ):
        walls = [run[index] for run in phase_runs]
        emit(name, walls, "s", persons=persons, ratio=round(statistics.median(walls) / base, 2))
    # What the clerk waits for in all: the dialog, then the window after Enter (the typing
    # in between is theirs, and the preload is done well within it: typing_covers_preload).
    waits = [run[0] + run[2] for run in phase_runs]
    emit("clerk_waits", waits, "s", persons=persons, target_s=0.7)
    emit("phases_cpu", [run[3] for run in phase_runs], "s")


if __name__ == "__main__":
    main()

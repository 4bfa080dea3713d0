"""What the launch does before the window is usable: no Alembic, no sync client, no page
reading while the pages are built; the readings follow once the window is up. Not timed
(bench/launch.py times it): these check what is imported and what runs, and when."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from caseworker.ui.launch import open_main_window, preload

ROOT = Path(__file__).resolve().parents[2]


def test_the_main_window_imports_neither_alembic_nor_the_sync_client_nor_reportlab():
    probe = (
        "import sys, caseworker.ui.main_window, caseworker.services.centre;"
        "print(sorted(m for m in ('alembic', 'mako', 'httpx', 'caseworker.sync.client',"
        " 'caseworker.sync.protocol', 'reportlab', 'fontTools') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "[]"


def test_held_jobs_wait_for_release_and_then_run_in_order(qtbot, runner):
    started: list[int] = []
    runner.hold()
    tasks = [runner.submit(lambda _c, n=n: started.append(n) or n, lane="write") for n in range(3)]
    QApplication.processEvents()
    assert started == [] and not any(task.done for task in tasks)  # never handed to a lane
    runner.release()
    qtbot.waitUntil(lambda: all(task.done for task in tasks), timeout=5000)
    assert started == [0, 1, 2] and [task.result for task in tasks] == [0, 1, 2]
    # Released, the runner is back to normal: a new job runs at once.
    later = runner.submit(lambda _c: "now")
    qtbot.waitUntil(lambda: later.done, timeout=5000)
    assert later.result == "now"


def test_the_window_is_shown_before_the_pages_read_and_they_read_after(qtbot, centre, runner):
    window = open_main_window(centre, runner)
    qtbot.addWidget(window)
    assert window.isVisible() and window.search_box.isEnabled()
    assert window.pending_uploads is None  # nothing read yet: the readings are held
    with qtbot.waitSignal(window.status_refreshed, timeout=10_000):
        pass  # the event loop runs: the held readings start and report
    assert window.pending_uploads is not None


def test_preload_imports_the_main_window_on_a_thread():
    thread = preload("caseworker.ui.main_window")
    thread.join(timeout=60)
    assert not thread.is_alive() and "caseworker.ui.main_window" in sys.modules

"""What the launch does before the window is usable: no Alembic, no sync client, no page
reading while the pages are built; the readings follow once the window is up. Not timed
(bench/launch.py times it): these check what is imported and what runs, and when."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from caseworker.ui.launch import SOON, open_main_window, preload
from tests.conftest import ADMIN_PASSWORD

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


def test_the_login_dialog_loads_without_sqlalchemy_and_the_preload_starts_once_it_is_shown():
    # The first window the clerk sees: SQLAlchemy and the models load after it is painted,
    # on the preload thread, while the password is typed.
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from caseworker.ui.launch import show_then_preload\n"
        "from caseworker.ui.login import LoginDialog\n"
        "from caseworker.paths import DataPaths\n"
        "app = QApplication([])\n"
        "dialog = LoginDialog(DataPaths(__import__('pathlib').Path(sys.argv[1])))\n"
        "before = 'sqlalchemy' in sys.modules\n"
        "thread = show_then_preload(dialog)\n"
        "visible = dialog.isVisible()\n"
        "thread.join(60)\n"
        "print(before, visible, 'caseworker.ui.main_window' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(ROOT / "no-such-data-folder")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.split() == ["False", "True", "True"], result.stdout + result.stderr


LAUNCH = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from caseworker.ui.launch import open_main_window, preload
preload().join()  # as at the desk, where it is done while the password is typed
from caseworker.services.login import login
from caseworker.ui.tasks import TaskRunner
app = QApplication([])
runner = TaskRunner()
session = login(__import__("caseworker.paths").paths.DataPaths(Path(sys.argv[1])), "admin", sys.argv[2])
window = open_main_window(session, runner)
shown = sorted(sys.modules)  # before the event loop runs: what showing the window needed
window.repaint()
app.processEvents()
print(json.dumps({
    "usable": window.isVisible() and window.built_page("home").search_button.isEnabled(),
    "built": [name for name in __import__("caseworker.ui.main_window").ui.main_window.PAGES
              if window.built_page(name) is not None],
    "loaded": shown,
}))
window.close()
runner.shutdown()
session.close()
"""


def test_the_key_half_of_logging_in_loads_no_sqlalchemy():
    """What lets the launch derive the key while SQLAlchemy and the models load."""
    probe = (
        "import sys, caseworker.services.login;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'"
        " or m in ('caseworker.store.models', 'caseworker.services.centre')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_launch_builds_only_the_landing_page_and_loads_no_other_page(centre):
    """A fresh process logs in and opens the window as the app does: 今日 is the only page
    built; no other page's module, nor the front desk, the person view, the enrolment form or
    the charts, is loaded to show it."""
    centre.close()  # the store is the subprocess's now
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(centre.database.paths.root), ADMIN_PASSWORD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "CASEWORKER_HOME": str(centre.database.paths.root),
            "XDG_CONFIG_HOME": str(centre.database.paths.root / "config"),  # preferences
        },
    )
    launched = json.loads(result.stdout.strip().splitlines()[-1])
    assert launched["usable"] and launched["built"] == ["home"]
    views = {m for m in launched["loaded"] if m.startswith("caseworker.ui.views.")}
    assert views == {"caseworker.ui.views.home_view"}
    for module in (*SOON, "matplotlib", "PySide6.QtCharts", "caseworker.ui.dialogs.drafts_dialog"):
        assert module not in launched["loaded"]


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


def test_nothing_moves_when_the_first_figures_arrive(qtbot, centre, runner):
    window = open_main_window(centre, runner)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    strip = window.front_desk.worklist_strip
    assert all("…" in button.text() for button in strip.buttons.values())  # not read yet

    def places() -> list[object]:
        # The status bar's labels by where they stand to its last one (Qt adds the size grip
        # at the right edge once events run, moving them all alike).
        labels = (window.who_label, window.pending_label, window.sync_label, window.network_label)
        last = window.network_label.x()
        return [b.geometry() for b in strip.buttons.values()] + [
            (label.x() - last, label.width()) for label in labels
        ]

    shown = places()
    with qtbot.waitSignal(window.status_refreshed, timeout=10_000):
        pass
    QApplication.processEvents()  # the layouts settle on the new texts
    assert not any("…" in button.text() for button in strip.buttons.values())
    assert places() == shown

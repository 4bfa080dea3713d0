"""Screenshots of coverage statuses on the Sync page (issue 10), in Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_coverage_sync_screenshots.py

Everything is real: the county server runs on 127.0.0.1 over a scratch SQLite file, two
centres register with it; centre A enrols a person and syncs; centre B enrols the same person
with the residents' medical insurance, so the county answers that A holds the person, and
refuses B's enrolment and the medical status it derived (no person upstream). B's Sync page
lists the status in the clerk's words (参保状态 · 医疗保险：未参保).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.sync.run import run_sync
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from caseworker.upstream.db import open_upstream
from docs.take_screenshots import save, wait, wait_for
from tests.upstream.harness import FAST_RETRY, TODAY, Server, connect, new_centre, person


def refused_statuses(folder: Path) -> tuple[Server, object]:
    url = f"sqlite:///{folder / 'county.db'}"
    open_upstream(url).close()
    server = Server(url).start()
    a = new_centre(folder / "a", "320583101", "玉山镇社会保障服务中心")
    b = new_centre(folder / "b", "320583102", "周市镇社会保障服务中心")
    connect(a, server)
    connect(b, server)
    someone = person(0, name="欧阳娜娜")
    enrol(
        a.database,
        a.actor,
        someone,
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    )
    run_sync(a.database, retry=FAST_RETRY)
    enrol(b.database, b.actor, someone, [EnrolmentChoice("resident_medical")], today=TODAY)
    run_sync(b.database, retry=FAST_RETRY)
    a.close()
    return server, b


def shoot(app: QApplication, runner: TaskRunner, b, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(b, runner)
    window.resize(1400, 860)
    window.show()
    wait(800)
    window.show_page(PAGES.index("sync"))
    view = window.sync_page
    view.refresh()
    wait_for(view.refreshed)
    view.issues_table.selectRow(2)  # the medical status
    save(window, "sync-coverage", lang)
    window.close()


def main() -> None:
    out = Path(__file__).resolve().parent / "screenshots"
    out.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        server, b = refused_statuses(folder)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, b, lang)
        finally:
            b.close()
            server.stop()
    runner.shutdown()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()

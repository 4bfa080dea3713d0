"""Screenshots of the trust screens (issue 8) for docs/screenshots/, in Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_trust_screenshots.py

Everything is real: the county server runs on 127.0.0.1 over a scratch SQLite file, two
centres register with it, and centre B enrols a person centre A registered first, so its Sync
page shows what the county told it (a masked identity and the 申请转入 button). A third store
is crashed with one bit flipped in its WAL, so its main window opens behind its marks.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.sync.run import run_sync
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from caseworker.upstream.db import open_upstream
from docs.take_screenshots import save, wait, wait_for
from tests.services.test_recovery import _crash_with_damaged_wal
from tests.upstream.harness import (
    FAST_RETRY,
    TODAY,
    Server,
    connect,
    new_centre,
    person,
)

CLERK_PASSWORD = "clerk pass 22"


def registered_elsewhere(folder: Path) -> tuple[Server, object]:
    """Centre B after the county answered that centre A holds the person it enrolled."""
    url = f"sqlite:///{folder / 'county.db'}"
    open_upstream(url).close()
    server = Server(url).start()
    a = new_centre(folder / "a", "320583101", "玉山镇社会保障服务中心")
    b = new_centre(folder / "b", "320583102", "周市镇社会保障服务中心")
    connect(a, server)
    connect(b, server)
    someone = person(0, name="欧阳娜娜")
    choices = [EnrolmentChoice("resident_pension", tier_fen=50_000)]
    enrol(a.database, a.actor, someone, choices, today=TODAY)
    run_sync(a.database, retry=FAST_RETRY)
    enrol(b.database, b.actor, someone, [], today=TODAY)
    run_sync(b.database, retry=FAST_RETRY)
    a.close()
    return server, b


def store_behind(folder: Path):
    """A clerk's session on a store that lost its last commits (one bit of its WAL)."""
    paths = DataPaths(folder / "centre")
    centre = setup_centre(
        paths,
        centre_code="320583103",
        centre_name="陆家镇社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    add_operator(centre, username="clerk", password=CLERK_PASSWORD, role=Role.CLERK)
    crash = _crash_with_damaged_wal(centre, folder / "crashed", keep_shm=True)
    centre.close()
    return login(crash.paths, "clerk", CLERK_PASSWORD)


def shoot(app: QApplication, runner: TaskRunner, b, behind, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(b, runner)
    window.resize(1400, 860)
    window.show()
    wait(800)
    window.show_page(PAGES.index("sync"))
    view = window.sync_page
    view.refresh()
    wait_for(view.refreshed)
    view.issues_table.selectRow(0)
    view.transfer_reason.setText("已迁入周市镇居住" if lang == "zh" else "moved here last year")
    save(window, "sync-registered-elsewhere", lang)
    window.close()

    window = MainWindow(behind, runner)
    window.resize(1400, 860)
    window.show()
    wait(1200)
    save(window, "store-behind-marks", lang)
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
        server, b = registered_elsewhere(folder)
        behind = store_behind(folder)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, b, behind, lang)
        finally:
            b.close()
            behind.close()
            server.stop()
    runner.shutdown()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()

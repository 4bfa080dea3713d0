"""Screenshots of operators and sessions (issue 9) for docs/screenshots/, zh and en.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_operators_screenshots.py

A demo centre in a temporary folder, with a contracted agency's clerk who has typed a wrong
password five times (the clock is the script's, so the wait shows its full length): operator
management as the administrator, the login dialog counting down, the lock screen over a
half-typed enrolment form, and the drafts offered after a crash.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.keys import WrongPassword
from caseworker.ui.drafts import DraftStore, enrolment_drafts_of
from caseworker.ui.i18n import install_language
from caseworker.ui.login import LoginDialog
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.enrolment_form import EnrolmentForm
from docs.take_screenshots import fill_form, save, wait, wait_for

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
AGENCY = "昆山人力资源外包服务有限公司"


def prepare(paths: DataPaths) -> None:
    build_demo_centre(paths, persons=60, seed=1, today=date.today())
    admin = login(paths, "admin", DEMO_PASSWORD)
    add_operator(
        admin,
        username="wangfang",
        password="contract pass 1",
        role=Role.CLERK,
        display_name="王芳",
        agency=AGENCY,
    )
    admin.close()
    login(paths, "clerk", DEMO_PASSWORD).close()  # a last login to show
    for _ in range(5):
        with contextlib.suppress(WrongPassword):  # five wrong guesses: the wait starts
            login(paths, "wangfang", "wrong guess 1", now=lambda: NOW)


def crashed_drafts(paths: DataPaths, runner: TaskRunner) -> None:
    clerk = login(paths, "clerk", DEMO_PASSWORD)
    for name, phone in (("陈秀英", "139 1234 5678"), ("欧阳娜娜", "138 0000 1111")):
        form = EnrolmentForm(clerk, runner)
        fill_form(form, name, phone)
        form.write_draft()
        form.drafts = None  # the crash: nothing more is written
        form.deleteLater()
    wait(200)
    clerk.close()


def shoot(app: QApplication, paths: DataPaths, runner: TaskRunner, lang: str) -> None:
    install_language(app, lang)

    dialog = LoginDialog(paths, runner, clock=lambda: NOW)
    dialog.username.setText("wangfang")
    dialog.show()
    wait(300)
    save(dialog, "login-locked", lang)
    dialog.close()

    admin = login(paths, "admin", DEMO_PASSWORD, now=lambda: NOW)
    window = MainWindow(admin, runner, clock=lambda: NOW)
    window.resize(1300, 700)
    window.show()
    wait(600)
    window.show_page(PAGES.index("operators"))
    wait_for(window.operators_page.loaded)
    window.operators_page.select("wangfang")
    save(window, "operators", lang)
    window.close()
    admin.close()

    crashed_drafts(paths, runner)
    clerk = login(paths, "clerk", DEMO_PASSWORD)
    window = MainWindow(clerk, runner)
    window.resize(1300, 760)
    window.show()
    wait_for(window.drafts_offered)
    wait(300)
    save(window.drafts_dialog, "drafts", lang)
    window.drafts_dialog.restore()
    wait(600)
    window.lock()
    wait_for(window.session_lock.store_closed)
    save(window, "lock-screen", lang)
    # Back in, and leave nothing behind for the next language's run.
    screen = window.session_lock.screen
    screen.panel.password.setText(DEMO_PASSWORD)
    screen.panel.try_login()
    wait_for(window.unlocked)
    store = DraftStore(window.session.database.paths, window.session.database_key)
    for draft in enrolment_drafts_of(window.session):
        store.delete(draft.draft_id)
    window.front_desk.form.new()
    window.close()
    window.session.close()


def main() -> None:
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        paths = DataPaths(Path(scratch) / "centre")
        prepare(paths)
        for lang in ("zh", "en"):
            shoot(app, paths, runner, lang)
    runner.shutdown()
    print("screenshots written to docs/screenshots")


if __name__ == "__main__":
    main()

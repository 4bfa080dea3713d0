"""Screenshots of the audit screen and the Settings page (issue 9) for docs/screenshots/, in
Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_audit_screenshots.py

A small demo centre (the tests' harness) whose trail holds enrolments and payments by the
clerk, a person corrected (phone and bank card), a receipt voided by the supervisor and a
setting changed by the administrator. The supervisor's audit screen is shot after verifying
the chain; the administrator's Settings page with a refused value beside a changed one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtWidgets import QApplication

from caseworker.services.centre import login
from caseworker.services.centre_settings import GUARDRAILS, IDLE_LOCK_MINUTES
from caseworker.services.demo import DEMO_PASSWORD
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, scratch_app, wait, wait_for
from tests.ui.helpers import audit_demo_centre


def shoot(app: QApplication, runner: TaskRunner, paths, lang: str) -> None:
    install_language(app, lang)
    supervisor = login(paths, "supervisor", DEMO_PASSWORD)
    window = MainWindow(supervisor, runner)
    window.resize(1400, 860)
    window.show()
    wait(500)
    window.show_page(PAGES.index("audit"))
    view = window.audit_page
    wait_for(view.loaded)
    view.verify_button.click()
    wait_for(view.verified)
    save(window, "audit", lang)
    window.close()
    supervisor.close()

    admin = login(paths, "admin", DEMO_PASSWORD)
    window = MainWindow(admin, runner)
    window.resize(1400, 980)
    window.show()
    window.show_page(PAGES.index("settings"))
    box = window.settings_page.centre
    if not box.states:
        wait_for(box.loaded)
    box.editors[GUARDRAILS.key].parts["warn_days"].setValue(20)  # above the 14 days that block
    box.editors[IDLE_LOCK_MINUTES.key].number.setValue(15)
    box.save()
    wait_for(box.saved)
    save(window, "settings", lang)
    window.close()
    admin.close()


def main() -> None:
    with scratch_app() as (app, runner, folder):
        paths = audit_demo_centre(folder / "centre", persons=40)
        for lang in ("zh", "en"):
            shoot(app, runner, paths, lang)


if __name__ == "__main__":
    main()

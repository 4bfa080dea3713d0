"""Screenshots of the worklists (issue 10), Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_worklists_screenshots.py

Everything is real: a demo centre (its synthetic people, enrolments and payments) in a scratch
folder; the worklists page with the people not covered, page by page; the front desk with the strip
of counts; and the printed list, rendered from its PDF with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.worklist_output import worklist_pdf
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, wait, wait_for

OUT = Path(__file__).resolve().parent / "screenshots"


def shoot(app: QApplication, runner: TaskRunner, session, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(session, runner)
    window.resize(1400, 820)
    window.show()
    wait(800)
    window.show_page(PAGES.index("front_desk"))
    wait(600)
    save(window, "worklists-front-desk", lang)
    window.show_worklist(WorklistSpec("not_covered"))
    page = window.worklists
    wait_for(page.loaded)
    wait(600)
    page.table.selectRow(3)
    save(window, "worklists", lang)
    window.close()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        paths = DataPaths(folder / "demo")
        build_demo_centre(paths, persons=400)
        session = login(paths, "clerk", DEMO_PASSWORD)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, session, lang)
            pdf = folder / "list.pdf"
            result = worklist_pdf(
                session.database, session.actor, WorklistSpec("pension_age_soon"), date.today()
            )
            pdf.write_bytes(result.pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(OUT / "print-worklist"),
                ],
                check=True,
            )
        finally:
            session.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

"""Screenshots of the coverage picture (issue 10), Chinese and English, on the demo centre.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_coverage_screenshots.py

Everything is real: a demo centre of 600 people in a scratch folder (enrolments, payments,
visits' answers), the main window's Reports page with the pension line's charts, the medical
line scrolled to its lower charts, and the PDF report's first page rendered with pdftoppm.
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
from caseworker.services.coverage_report import coverage_report_pdf
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, wait, wait_for

OUT = Path(__file__).resolve().parent / "screenshots"


def shoot(app: QApplication, runner: TaskRunner, session, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(session, runner)
    window.resize(1500, 980)
    window.show()
    wait(600)
    picture = window.reports.coverage
    window.show_page(PAGES.index("reports"))
    wait_for(picture.loaded)
    save(window, "coverage", lang)
    picture.line.setCurrentIndex(picture.line.findData("medical"))
    wait_for(picture.loaded)
    bar = picture.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    save(window, "coverage-medical", lang)
    window.close()


def render_report(session, folder: Path) -> None:
    pdf = folder / "coverage.pdf"
    pdf.write_bytes(coverage_report_pdf(session.database, session.actor, date.today()).pdf)
    for page in (1, 2):
        pages = ["-f", str(page), "-l", str(page)]
        target = str(OUT / f"print-coverage-report-{page}")
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-singlefile", *pages, str(pdf), target], check=True
        )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        paths = DataPaths(folder / "demo")
        build_demo_centre(paths, persons=600, today=date.today())
        session = login(paths, "clerk", DEMO_PASSWORD)
        try:
            for lang in ("zh", "en"):
                shoot(app, runner, session, lang)
            render_report(session, folder)
        finally:
            session.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

"""Screenshots of field visits (issue 10), Chinese and English: trip planning, the trip's
households with progress, a household walked (a member moved away, a newborn added,
statuses chosen), and the trip's papers rendered from their PDFs.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_visit_screenshots.py

Everything is real: an encrypted centre of 青阳镇 in a scratch folder with the small known
data set of the tests (three households), the real window and the real services.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services import trip_documents
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, type_chinese, wait
from tests.visit_data import VILLAGE_A, VILLAGE_B, field_clerk, known_households, person_id_number

OUT = Path(__file__).resolve().parent / "screenshots"


def choose(combo, code) -> None:
    combo.setCurrentIndex(max(combo.findData(code), 0))


def shoot(app: QApplication, runner: TaskRunner, clerk, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(clerk, runner)
    window.resize(1400, 860)
    window.show()
    window.show_page(PAGES.index("visits"))
    page = window.visits_page
    wait(800)
    page.plan()
    wait(300)
    dialog = page.dialog
    type_chinese(dialog.name, "青阳镇十一月走访" if lang == "zh" else "Qingyang, November")
    dialog.check(VILLAGE_A)
    dialog.check(VILLAGE_B)
    save(dialog, "trip-plan", lang)
    dialog.ok.click()
    wait(900)
    page.table.selectRow(0)
    page.walk_current()
    wait(900)
    walk = page.walk
    walk.confirm_all()
    walk.table.selectRow(1)
    editor = walk.editor
    choose(editor.lines[0].status, "not_insured")
    choose(editor.lines[0].reason, "cannot_afford")
    choose(editor.lines[2].status, "not_applicable")
    choose(editor.lines[2].reason, "not_working")
    walk.table.selectRow(2)
    editor.away.setChecked(True)
    editor.on.setDate(QDate(2026, 6, 1))
    walk.add_button.click()
    wait(400)
    newcomer = walk.dialog
    newcomer.person.id_number.setText(person_id_number(date(2026, 9, 1), 71))
    type_chinese(newcomer.person.name, "王小宝")
    choose(newcomer.relationship, "41")
    save(newcomer, "visit-newcomer", lang)
    newcomer.check_and_accept()
    wait(300)
    choose(editor.lines[1].status, "not_insured")
    choose(editor.lines[1].reason, "unaware")
    walk.table.selectRow(1)
    save(window, "visit-household", lang)
    walk.save()
    wait(1200)
    save(window, "visit-saved", lang)
    page.show_trip()
    wait(900)
    save(window, "trip-households", lang)
    page.show_summary()
    wait(700)
    save(page.dialog, "trip-summary", lang)
    page.dialog.accept()
    window.close()


def render(clerk, folder: Path) -> None:
    from caseworker.services.trips import trips

    trip = trips(clerk.database, clerk.actor)[-1]
    for name, build in (
        ("print-visit-list", trip_documents.visit_list_pdf),
        ("print-trip-survey", trip_documents.trip_survey_pdf),
    ):
        pdf = folder / f"{name}.pdf"
        pdf.write_bytes(build(clerk.database, clerk.actor, trip.id).pdf)
        _png(pdf, name)
    pdf = folder / "summary.pdf"
    pdf.write_bytes(
        trip_documents.trip_summary_pdf(clerk.database, clerk.actor, trip.id, day=date.today()).pdf
    )
    _png(pdf, "print-trip-summary")


def _png(pdf: Path, name: str) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", str(pdf), str(OUT / name)],
        check=True,
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        for lang in ("zh", "en"):  # each language walks the same households afresh
            clerk = field_clerk(DataPaths(folder / f"centre-{lang}"))
            known_households(clerk)
            try:
                shoot(app, runner, clerk, lang)
                if lang == "zh":
                    render(clerk, folder)
            finally:
                clerk.close()
    runner.shutdown()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

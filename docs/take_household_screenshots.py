"""Screenshots of a household found on a field visit and of naming a new head, Chinese and
English: the 新建家庭户 dialog filled in, and the 设为户主 confirmation over the walk.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_household_screenshots.py

A real encrypted centre of 青阳镇 in a scratch folder, the tests' small data set.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' harness

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.style import apply_style
from caseworker.ui.tasks import TaskRunner
from docs.take_screenshots import save, type_chinese, wait
from tests.visit_data import VILLAGE_A, VILLAGE_B, field_clerk, known_households, person_id_number


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
    type_chinese(page.dialog.name, "青阳一村")
    page.dialog.check(VILLAGE_A)
    page.dialog.ok.click()
    wait(900)
    page.new_household()
    wait(400)
    dialog = page.dialog
    choose(dialog.village, VILLAGE_B)
    type_chinese(dialog.address, "4组9号")
    dialog.person.id_number.setText(person_id_number(date(1970, 4, 8), 81))
    type_chinese(dialog.person.name, "孙大海")
    save(dialog, "visit-new-household", lang)
    dialog.reject()
    page.table.selectRow(0)
    page.walk_current()
    wait(900)
    walk = page.walk
    walk.table.selectRow(2)
    walk.make_head()
    wait(300)
    choose(walk.dialog.relationship, "50")
    save(walk.dialog, "visit-change-head", lang)
    walk.dialog.reject()
    window.close()


def main() -> None:
    app = QApplication(sys.argv)
    apply_style(app)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
        for lang in ("zh", "en"):
            clerk = field_clerk(DataPaths(folder / f"centre-{lang}"))
            known_households(clerk)
            try:
                shoot(app, runner, clerk, lang)
            finally:
                clerk.close()
    runner.shutdown()


if __name__ == "__main__":
    main()

"""Screenshots of the roster import page (issue 11): the column mapping dialog over the page, in
Chinese and English, and the page after an import with a rejected row.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_roster_screenshots.py

Everything is real: a centre of township 320281103 in a scratch folder, a roster workbook written
with openpyxl (a heading the app does not know, a row with a wrong ID number), inspected and
imported through the page's own buttons on the background runner.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # docs.take_screenshots

from openpyxl import Workbook
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPainter, QPixmap

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.ui.i18n import install_language
from caseworker.ui.main_window import PAGES, MainWindow
from docs.take_screenshots import OUT, scratch_app, wait, wait_for

TOWNSHIP = "320281103"
HEADINGS = [
    "户号",
    "姓名",
    "公民证号",
    "与户主关系",
    "性别",
    "联系电话",
    "村（居）委会",
    "户籍地址",
]
HEADINGS.append("备注")  # a column the registry has no field for: left out


def _id(born: date, sequence: int) -> str:
    return make_id_number("320281", born, sequence)


def roster(path: Path) -> Path:
    child = _id(date(2015, 1, 2), 31)
    wrong = child[:-1] + ("1" if child[-1] != "1" else "2")  # a wrong check digit
    rows = [
        ["H1", "王建国", _id(date(1960, 3, 5), 11), "户主", "男", "13812345678", "桐岐社区"],
        ["H1", "李秀英", _id(date(1962, 8, 9), 22), "配偶", "女", None, "桐岐社区"],
        ["H1", "王小宝", wrong, "子", "男", None, "桐岐社区"],
        ["H2", "张三丰", _id(date(1975, 6, 1), 41), "户主", "男", None, "街西村"],
        ["H3", "陈美兰", _id(date(1988, 11, 20), 52), "户主", "女", "13900001111", "街西村"],
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["青阳镇户籍花名册"])
    sheet.append(HEADINGS)
    for number, row in enumerate(rows, start=1):
        sheet.append([*row, f"{number}组{number}号", "已核对" if number % 2 else None])
    book.save(path)
    return path


def over(window, dialog, name: str, lang: str) -> None:
    """The window with the dialog over it, where it stands (no window manager under xvfb)."""
    wait(400)
    shot = window.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))  # the page behind, as a modal dims it
    place = window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0)))
    painter.drawPixmap(place, dialog.grab())
    painter.setPen(QColor("#5a6270"))
    painter.drawRect(place.x() - 1, place.y() - 1, dialog.width() + 1, dialog.height() + 1)
    painter.end()
    assert isinstance(shot, QPixmap)
    shot.save(str(OUT / f"{name}-{lang}.png"))


def shoot(app, runner, session, path: Path, lang: str) -> None:
    install_language(app, lang)
    window = MainWindow(session, runner)
    window.resize(1400, 820)
    window.show()
    wait(600)
    window.show_page(PAGES.index("rosters"))
    page = window.rosters
    page.set_file(path)
    wait_for(page.mapping_opened)
    dialog = page.mapping_dialog
    geometry = window.geometry()
    dialog.move(
        geometry.x() + (geometry.width() - dialog.width()) // 2,
        geometry.y() + (geometry.height() - dialog.height()) // 2,
    )
    wait(400)
    over(window, dialog, "roster-mapping", lang)
    combo = dialog.combos[HEADINGS.index("公民证号")]
    combo.setCurrentIndex(combo.findData("id_number"))
    dialog.ok_button.click()
    wait(300)
    page.import_button.click()  # nothing is written: one row is rejected
    wait_for(page.imported, 30_000)
    wait(600)
    window.grab().save(str(OUT / f"roster-import-{lang}.png"))
    window.close()


def main() -> None:
    with scratch_app() as (app, runner, folder):
        paths = DataPaths(folder / "centre")
        session = setup_centre(
            paths,
            centre_code=TOWNSHIP,
            centre_name="江阴市青阳镇社会保障服务中心",
            township_code=TOWNSHIP,
            admin_username="admin",
            admin_password="correct horse 1",
        ).session
        try:
            path = roster(folder / "青阳镇花名册.xlsx")
            for lang in ("zh", "en"):
                shoot(app, runner, session, path, lang)
        finally:
            session.close()


if __name__ == "__main__":
    main()

"""The roster import's report as a clerk sees it in a spreadsheet program (issue 11).

    make docs-packages   # LibreOffice, once
    .venv/bin/python docs/take_roster_report_screenshot.py

A real import (a dry run over a roster with three rejected rows) writes the report; LibreOffice
renders it to PDF (headless) and pdftoppm turns each page into a PNG under docs/screenshots/.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.page import PageMargins

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.roster_import import ImportOptions, import_roster

OUT = Path(__file__).resolve().parent / "screenshots"
TOWNSHIP = "320281103"
DAY = date(2026, 11, 27)


def _id(born: date, sequence: int) -> str:
    return make_id_number("320281", born, sequence)


def roster(path: Path) -> Path:
    head, wife, son = (
        _id(date(1960, 3, 5), 11),
        _id(date(1962, 8, 9), 22),
        _id(date(1990, 2, 1), 31),
    )
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["青阳镇街西村户籍人口花名册（2026年11月）"])
    sheet.append(
        ["户号", "姓名", "身份证号", "与户主关系", "性别", "联系电话", "村（居）委会", "户籍地址"]
    )
    rows = [
        ["H001", "王建国", head, "户主", "男", "13812345678", "街西村", "1组1号"],
        ["H001", "李秀英", wife, "妻", "女", None, "街西村", "1组1号"],
        [
            "H001",
            "王小明",
            son[:-1] + ("0" if son[-1] != "0" else "1"),
            "子",
            "男",
            None,
            "街西村",
            "1组1号",
        ],
        ["H002", "张三丰", _id(date(1975, 6, 1), 41), "户主", "女", None, "街西村", "3组5号"],
        ["H002", "", _id(date(2001, 9, 9), 52), "女", "女", None, "街西村", "3组5号"],
        ["H003", "赵六一", _id(date(1980, 4, 4), 61), "户主", "男", "1381234", "街西村", "4组2号"],
        ["H003", "钱七", _id(date(1982, 5, 5), 72), "母", "女", None, "花果山村", "4组2号"],
    ]
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (8, 10, 22, 12, 6, 14, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        setup = setup_centre(
            DataPaths(root / "centre"),
            centre_code=TOWNSHIP,
            centre_name="江阴市青阳镇社会保障服务中心",
            township_code=TOWNSHIP,
            admin_username="admin",
            admin_display_name="陈静",
            admin_password="screenshot pass 1",
        )
        session = setup.session
        source = roster(root / "街西村花名册.xlsx")
        report = root / "街西村花名册-导入报告.xlsx"
        result = import_roster(
            session.database,
            session.actor,
            source,
            ImportOptions(report_path=report),
            today=DAY,
        )
        session.close()
        print(f"rows {result.rows}, rejected {result.rejected}, written {result.written}")
        # Landscape, fit to one page wide: as a clerk would print it to hand back to the village.
        book = load_workbook(report)
        for sheet in book.worksheets:
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        book.save(report)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(root), str(report)],
            check=True,
            capture_output=True,
        )
        pdf = report.with_suffix(".pdf")
        OUT.mkdir(exist_ok=True)
        target = OUT / "roster-report"
        subprocess.run(["pdftoppm", "-png", "-r", "130", str(pdf), str(target)], check=True)
        for page in sorted(OUT.glob("roster-report-*.png")):
            _crop(page)
            print(page)


def _crop(path: Path, margin: int = 24) -> None:
    """The page cut down to what is printed on it (an A4 page is mostly white here)."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        box = ImageOps.invert(image.convert("L")).getbbox()
        if box is not None:
            left, top, right, bottom = box
            image.crop(
                (
                    max(0, left - margin),
                    max(0, top - margin),
                    min(image.width, right + margin),
                    min(image.height, bottom + margin),
                )
            ).save(path)


if __name__ == "__main__":
    main()

"""Screenshots of the real windows for docs/screenshots/ (run under Xvfb with CJK fonts).

xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.ui.login import LoginDialog
from caseworker.ui.main_window import MainWindow
from caseworker.ui.style import apply_style

OUT = Path(__file__).resolve().parent / "screenshots"


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder) / "demo")
        build_demo_centre(paths, persons=600, today=date(2026, 11, 27))

        dialog = LoginDialog(paths)
        dialog.username.setText("clerk")
        dialog.password.setText("wrong")
        dialog.show()
        dialog.try_login()
        settle(app)
        dialog.grab().save(str(OUT / "login-error.png"))
        dialog.close()

        session = login(paths, "clerk", DEMO_PASSWORD)
        window = MainWindow(session)
        window.show()
        window.search_box.setText("王")
        settle(app)
        window.grab().save(str(OUT / "search-name.png"))
        window.search_box.setText("zh")
        settle(app)
        window.grab().save(str(OUT / "search-pinyin.png"))
        window.close()
        session.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()

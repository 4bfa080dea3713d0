"""Screenshots of the front desk's search for identity numbers (issue 12), Chinese and English.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/take_id_screenshots.py

A small demo centre: a complete number with a wrong check character is searched for, and the
search says so instead of "nothing found" (search-wrong-check-zh/-en.png).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # docs.take_screenshots

from caseworker.paths import DataPaths
from caseworker.services.demo import build_demo_centre
from caseworker.ui.i18n import install_language
from docs.take_screenshots import main_window, save, scratch_app, wait_for

WRONG_CHECK = "320583198001010017"  # 320583198001010016 with its last digit mistyped


def main() -> None:
    with scratch_app() as (app, runner, folder):
        paths = DataPaths(folder / "demo")
        build_demo_centre(paths, persons=200, today=date(2026, 11, 27))
        for lang in ("zh", "en"):
            install_language(app, lang)
            window = main_window(paths, runner, "clerk", "front_desk")
            search = window.front_desk.search
            search.search_box.setText(WRONG_CHECK)
            wait_for(search.searched)
            save(window, "search-wrong-check", lang)
            window.close()
            window.session.close()


if __name__ == "__main__":
    main()

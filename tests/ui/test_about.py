"""帮助 → 关于: the version, the build (or "from source"), the schema and the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from caseworker import __version__
from caseworker.buildinfo import BuildInfo, build_info
from caseworker.store.revisions import head_revision
from caseworker.ui.dialogs.about_dialog import AboutDialog
from tests.ui.test_main_window import clerk, open_window  # noqa: F401 (fixture)


def test_the_help_menu_opens_the_about_box_with_version_and_data_folder(qtbot, clerk, runner):  # noqa: F811
    window = open_window(qtbot, clerk, runner)
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    assert "帮助(&H)" in [m.title() for m in menus]
    window.about_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "about_dialog", None) is not None)
    dialog = window.about_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.details.text()
    assert f"版本：{__version__}" in text
    assert "构建：从源代码运行" in text  # the tests run from source
    assert f"数据库结构：{head_revision()}" in text
    assert str(clerk.database.paths.root) in text
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_frozen_build_names_its_date_and_commit(qtbot, tmp_path: Path):
    info = BuildInfo(__version__, True, "2026-12-01T23:00:00+00:00", "1a2b3c4d5e6f")
    dialog = AboutDialog(tmp_path, info)
    qtbot.addWidget(dialog)
    assert "安装版，构建于 2026-12-01T23:00:00+00:00（提交 1a2b3c4d5e6f）" in dialog.details.text()
    assert info.version_line() == (
        f"caseworker {__version__} (built 2026-12-01T23:00:00+00:00, commit 1a2b3c4d5e6f)"
    )
    assert build_info().version_line() == f"caseworker {__version__} (source)"

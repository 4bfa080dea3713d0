"""Language switch: Qt translators, the saved choice, and error messages by language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_uscc
from caseworker.ui import i18n
from caseworker.ui.main_window import PAGES, MainWindow

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context><name>MainWindow</name>
<message><source>前台</source><translation>Front desk</translation></message>
<message><source>社保经办 — %1 — %2（%3）</source><translation>Caseworker — %1 — %2 (%3)</translation></message>
<message><source>管理员</source><translation>Administrator</translation></message>
</context>
<context><name>SearchView</name>
<message><source>查找人员</source><translation>Find a person</translation></message>
</context>
</TS>
"""


@pytest.fixture
def english_qm(tmp_path: Path, monkeypatch) -> Path:
    """A real .qm built with lrelease from a small .ts (the lead's full one may not exist)."""
    ts = tmp_path / "caseworker_en.ts"
    ts.write_text(TS, encoding="utf-8")
    qm = tmp_path / "caseworker_en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    monkeypatch.setattr(i18n, "translation_file", lambda code: tmp_path / f"caseworker_{code}.qm")
    return qm


def test_switching_language_changes_the_windows_strings_and_is_saved(
    qtbot, centre, runner, english_qm
):
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    assert window.nav.item(0).text().startswith("前台")
    window.show_page(PAGES.index("settings"))
    combo = window.settings_page.language
    with qtbot.waitSignal(window.language_changed):
        combo.setCurrentIndex(combo.findData("en"))
    assert window.nav.item(0).text().startswith("Front desk")
    assert window.windowTitle().startswith("Caseworker — ")
    assert "(Administrator)" in window.windowTitle()
    assert window.search_box.accessibleName() == "Find a person"
    assert window.current_page_name() == "settings"  # the clerk stays where they were
    assert not window.settings_page.language_warning.isVisibleTo(window)
    assert i18n.saved_language() == "en"
    # And back.
    with qtbot.waitSignal(window.language_changed):
        window.settings_page.language.setCurrentIndex(0)
    assert window.nav.item(0).text().startswith("前台")
    assert i18n.saved_language() == "zh"


def test_a_missing_translation_is_said_on_the_settings_page(
    qtbot, centre, runner, tmp_path, monkeypatch
):
    monkeypatch.setattr(i18n, "translation_file", lambda code: tmp_path / "none.qm")
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    window.show_page(PAGES.index("settings"))
    combo = window.settings_page.language
    with qtbot.waitSignal(window.language_changed):
        combo.setCurrentIndex(combo.findData("en"))
    # The window falls back to its Chinese source text, and says why in both languages.
    assert window.nav.item(0).text().startswith("前台")
    warning = window.settings_page.language_warning
    assert warning.isVisibleTo(window)
    assert "make translations" in warning.text()


def test_message_for_follows_the_language(qapp):
    try:
        parse_uscc("123")
    except InvalidValue as error:
        caught = error
    assert "18位" in i18n.message_for(caught)
    i18n.install_language(qapp, "en")
    assert "18 characters" in i18n.message_for(caught)
    # An error with only a Chinese message is shown as it is, never as nothing.
    assert i18n.message_for(InvalidValue("x", "y", "只有中文")) == "只有中文"
    i18n.install_language(qapp, "zh")
    assert "18位" in i18n.message_for(caught)


def test_unknown_saved_language_falls_back_to_chinese(qapp):
    i18n.save_language("fr")
    assert i18n.saved_language() == "zh"

"""The Settings page's centre settings with real widgets over a real store: every declared
setting shown with its value, changed by an administrator (audited), read-only for a clerk,
and a refused value answered in the service's words with the typed value kept."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from caseworker.services.centre import OpenSession, login
from caseworker.services.centre_settings import (
    CENTRE_SETTINGS,
    GUARDRAILS,
    IDLE_LOCK_MINUTES,
    RECEIPT_PAPER,
    REVIEW_REQUIRED,
    Guardrails,
    read_setting,
)
from caseworker.store.models import AuditEntry
from caseworker.ui.views.settings_view import SettingsPage
from tests.conftest import CLERK_PASSWORD


def _page(qtbot, session: OpenSession, runner) -> SettingsPage:
    page = SettingsPage(session, runner)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: len(page.centre.states) == len(CENTRE_SETTINGS))
    return page


def _changes(session: OpenSession) -> list[tuple[str, dict]]:
    with session.database.reading() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "setting.change"))
        return [(row.operator_name, row.detail) for row in rows]


def _save(qtbot, page: SettingsPage) -> dict:
    with qtbot.waitSignal(page.centre.saved) as answer:
        page.centre.save_button.click()
    return answer.args[0]


def test_every_declared_setting_shows_its_default(qtbot, runner, centre):
    page = _page(qtbot, centre, runner)
    box = page.centre
    assert list(box.editors) == list(CENTRE_SETTINGS)  # driven by the declarations
    for key, setting in CENTRE_SETTINGS.items():
        assert box.editors[key].value() == setting.default, key
        assert all(widget.isEnabled() for widget in box.editors[key].inputs)
        assert all(widget.accessibleName() for widget in box.editors[key].inputs)
    assert box.editors[RECEIPT_PAPER.key].combo.currentText() == "A5 纸"
    rails = box.editors[GUARDRAILS.key].parts
    assert [rails[name].value() for name in rails] == [3, 14, 500, 5000]
    assert box.save_button.isVisible() and not box.note.isVisible()
    # The old placeholder about the receipt paper is gone.
    assert not [w for w in page.findChildren(QLabel) if "随打印模块提供" in w.text()]


def test_an_administrator_changes_settings_and_each_change_is_audited(qtbot, runner, centre):
    page = _page(qtbot, centre, runner)
    box = page.centre
    paper = box.editors[RECEIPT_PAPER.key].combo
    paper.setCurrentIndex(paper.findData("roll80"))
    box.editors[REVIEW_REQUIRED.key].check.setChecked(False)
    box.editors[GUARDRAILS.key].parts["block_days"].setValue(21)
    assert _save(qtbot, page) == {
        RECEIPT_PAPER.key: None,
        GUARDRAILS.key: None,
        REVIEW_REQUIRED.key: None,
    }
    assert read_setting(centre.database, RECEIPT_PAPER) == "roll80"
    assert read_setting(centre.database, REVIEW_REQUIRED) is False
    assert read_setting(centre.database, GUARDRAILS) == Guardrails(block_days=21)
    assert [(who, detail["key"]) for who, detail in _changes(centre)] == [
        ("admin", RECEIPT_PAPER.key),
        ("admin", GUARDRAILS.key),
        ("admin", REVIEW_REQUIRED.key),
    ]
    assert "已保存：收据纸张" in box.status.text()
    assert box.changed() == {}  # the page shows what was saved
    box.save()
    assert box.status.text() == "没有改动。" and len(_changes(centre)) == 3


def test_a_clerk_sees_them_read_only(qtbot, runner, centre):
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        page = _page(qtbot, clerk, runner)
        box = page.centre
        for editor in box.editors.values():
            assert not any(widget.isEnabled() for widget in editor.inputs)
        assert not box.save_button.isVisible()
        assert box.note.isVisible() and "只有管理员可以修改" in box.note.text()
        box.save()  # the shortcut still reaches it: nothing to save, nothing written
        assert _changes(clerk) == []
    finally:
        clerk.close()


@pytest.mark.parametrize(
    ("setting", "type_it", "words", "kept"),
    [
        (
            GUARDRAILS,
            lambda editor: editor.parts["warn_days"].setValue(20),
            "同步提醒阈值必须大于0且不大于停办阈值",
            lambda editor: editor.parts["warn_days"].value() == 20,
        ),
        (
            IDLE_LOCK_MINUTES,
            lambda editor: editor.number.setValue(0),
            "闲置锁定时间应为 1–240 分钟之间的整数",
            lambda editor: editor.number.value() == 0,
        ),
    ],
)
def test_a_bad_value_shows_the_services_words_and_stays_typed(
    qtbot, runner, centre, setting, type_it, words, kept
):
    page = _page(qtbot, centre, runner)
    box = page.centre
    editor = box.editors[setting.key]
    type_it(editor)
    paper = box.editors[RECEIPT_PAPER.key].combo
    paper.setCurrentIndex(paper.findData("roll80"))  # a good change beside it still saves
    results = _save(qtbot, page)
    assert results[RECEIPT_PAPER.key] is None and results[setting.key] is not None
    error = box.errors[setting.key]
    assert error.isVisible() and words in error.text()
    assert kept(editor)  # the typed value is still there to correct
    assert "有 1 项未保存" in box.status.text()
    assert read_setting(centre.database, setting) == setting.default
    assert [detail["key"] for _, detail in _changes(centre)] == [RECEIPT_PAPER.key]


def test_a_bad_font_file_is_named_under_its_input(qtbot, runner, centre, tmp_path):
    page = _page(qtbot, centre, runner)
    editor = page.centre.editors["printing.font_path"]
    missing = tmp_path / "no-such-font.ttf"
    editor.text.setText(str(missing))
    results = _save(qtbot, page)
    assert results["printing.font_path"] is not None
    assert "无法使用" in page.centre.errors["printing.font_path"].text()
    assert editor.text.text() == str(missing)


def test_the_settings_are_in_english_in_english(qtbot, runner, centre, qapp):
    from caseworker.ui.i18n import install_language

    install_language(qapp, "en")
    page = _page(qtbot, centre, runner)
    box = page.centre
    assert box.editors[RECEIPT_PAPER.key].combo.currentText() == "A5 sheet"
    labels = [box.form.labelForField(box.editors[k].parentWidget()) for k in CENTRE_SETTINGS]
    assert [label.text() for label in labels] == [s.label_en for s in CENTRE_SETTINGS.values()]
    assert dataclasses.is_dataclass(box.editors[GUARDRAILS.key].value())

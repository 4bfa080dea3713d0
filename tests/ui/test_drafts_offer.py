"""Drafts offered back after login (restore, discard, later), and leaving the enrolment
form, switching language or closing the window with unsaved input asks first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.services.centre import OpenSession, login
from caseworker.ui.drafts import enrolment_drafts_of
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.views.enrolment_form import EnrolmentForm
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.ui.test_enrolment_form import ADULT_ID, fill_adult, type_chinese
from tests.ui.test_main_window import open_window


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def crashed_form(qtbot, session: OpenSession, runner, name: str | None = None) -> None:
    """A form typed into and never saved or closed, as a crash leaves it."""
    form = EnrolmentForm(session, runner, today=lambda: TODAY)
    fill_adult(qtbot, form)
    if name:
        form.person.name.clear()
        type_chinese(form.person.name, name)
    form.write_draft()
    form.drafts = None  # the process died: nothing more is written
    form.deleteLater()


def click(qtbot, box: QWidget, name: str) -> None:
    qtbot.mouseClick(box.findChild(QWidget, name), Qt.MouseButton.LeftButton)


def test_drafts_left_by_a_crash_are_offered_after_login(qtbot, clerk, runner):
    crashed_form(qtbot, clerk, runner)
    crashed_form(qtbot, clerk, runner, name="李四")
    window = MainWindow(clerk, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts_offered):
        window.show()
    dialog = window.drafts_dialog
    assert dialog is not None and dialog.isVisible()
    summaries = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert summaries == ["李四 3202**********0172", "单雄信 3202**********0172"]  # newest first
    assert ADULT_ID not in " ".join(summaries)
    assert dialog.table.item(0, 1).text().startswith(str(TODAY.year)[:2])  # when, local time

    click(qtbot, dialog, "discardDraft")  # the newest goes
    assert dialog.table.rowCount() == 1 and len(enrolment_drafts_of(clerk)) == 1
    click(qtbot, dialog, "restoreDraft")
    assert not dialog.isVisible()
    form = window.front_desk.form
    assert window.current_page_name() == "front_desk" and form is not None
    qtbot.waitUntil(form.isVisible)  # a new child is shown from the event loop
    assert form.person.name.text() == "单雄信"
    assert form.person.id_number.text().replace(" ", "") == ADULT_ID


def test_another_operators_drafts_are_not_offered(qtbot, clerk, runner):
    crashed_form(qtbot, clerk, runner)
    supervisor = login(clerk.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        window = open_window(qtbot, supervisor, runner)
        qtbot.waitUntil(lambda: not runner._active)  # the look-up for drafts has answered
        assert window.drafts_dialog is None
        assert enrolment_drafts_of(supervisor) == []
        assert len(enrolment_drafts_of(clerk)) == 1
    finally:
        window.close()
        supervisor.close()


def start_typing(qtbot, window: MainWindow) -> EnrolmentForm:
    window.new_enrolment()
    form = window.front_desk.form
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    type_chinese(form.person.name, "单雄信")
    assert form.is_dirty()
    return form


def test_leaving_the_form_asks_keep_discard_or_cancel(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    form = start_typing(qtbot, window)
    front = window.front_desk
    qtbot.mouseClick(front.form_back, Qt.MouseButton.LeftButton)
    assert form.leave_box is not None and form.leave_box.isVisible()
    click(qtbot, form.leave_box, "stayOnForm")
    assert front.stack.currentWidget() is front.form_holder
    assert form.person.name.text() == "单雄信"  # nothing typed is lost

    qtbot.mouseClick(front.form_back, Qt.MouseButton.LeftButton)
    click(qtbot, form.leave_box, "keepDraft")
    assert front.stack.currentWidget() is front.search
    (draft,) = enrolment_drafts_of(clerk)
    assert draft.summary.startswith("单雄信")

    form = start_typing(qtbot, window)
    window.front_desk.show_search()
    click(qtbot, form.leave_box, "discardInput")
    assert front.stack.currentWidget() is front.search
    assert [d.draft_id for d in enrolment_drafts_of(clerk)] == [draft.draft_id]


def test_closing_the_window_with_unsaved_input_asks_first(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    form = start_typing(qtbot, window)
    window.close()
    assert window.isVisible() and form.leave_box.isVisible()
    click(qtbot, form.leave_box, "stayOnForm")
    assert window.isVisible()
    window.close()
    click(qtbot, form.leave_box, "keepDraft")
    qtbot.waitUntil(lambda: not window.isVisible())
    assert len(enrolment_drafts_of(clerk)) == 1


def test_switching_language_asks_and_the_kept_draft_comes_back(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    form = start_typing(qtbot, window)
    window.show_page(PAGES.index("settings"))  # where the language is chosen
    window.apply_language("en")
    assert form.leave_box.isVisible()
    click(qtbot, form.leave_box, "stayOnForm")
    assert window.front_desk.form is form  # nothing rebuilt
    with qtbot.waitSignal(window.language_changed):
        window.apply_language("en")
        click(qtbot, form.leave_box, "keepDraft")
    rebuilt = window.front_desk.form
    assert rebuilt is not None and rebuilt is not form
    assert rebuilt.person.name.text() == "单雄信"
    QApplication.processEvents()

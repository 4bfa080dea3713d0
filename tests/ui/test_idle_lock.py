"""The idle lock on the real main window: the lock screen, the store closed, the same
operator back to the same screen, another operator to a clean one with the first one's
input kept as their draft. Nothing waits for minutes: the timeout is triggered or short."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QDialog

from caseworker.services.centre import OpenSession, SessionLocked, login
from caseworker.services.centre_settings import IDLE_LOCK_MINUTES, change_setting
from caseworker.services.registry import pending_uploads_in
from caseworker.ui.drafts import enrolment_drafts_of
from caseworker.ui.main_window import MainWindow
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD
from tests.ui.test_enrolment_form import fill_adult
from tests.ui.test_main_window import open_window


def pending_upload_count(database) -> int:
    """What the status bar counts (``front_page``'s figure), read on its own."""
    with database.reading() as session:
        return pending_uploads_in(session)


@pytest.fixture
def clerk(centre: OpenSession):
    paths = centre.database.paths
    change_setting(centre.database, centre.actor, IDLE_LOCK_MINUTES, 3)
    centre.close()
    session = login(paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def lock_now(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session_lock.store_closed):
        window.session_lock.watch.timer.timeout.emit()  # as if the minutes had passed


def unlock(qtbot, window: MainWindow, username: str, password: str) -> None:
    screen = window.session_lock.screen
    assert screen is not None
    screen.panel.username.setText(username)
    screen.panel.password.setText(password)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        screen.panel.try_login()


def test_the_centres_idle_minutes_set_the_timer(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    qtbot.waitUntil(lambda: window.session_lock.watch.timer.interval() == 3 * 60_000)
    assert window.session_lock.watch.timer.isActive()


def test_a_short_interval_locks_on_its_own(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    qtbot.waitUntil(lambda: window.session_lock.watch.timer.interval() == 3 * 60_000)
    with qtbot.waitSignal(window.locked):
        window.session_lock.watch.set_interval_ms(20)
    assert window.is_locked


def test_the_same_operator_comes_back_to_the_same_screen(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    window.new_enrolment()
    form = window.front_desk.form
    fill_adult(qtbot, form)
    lock_now(qtbot, window)

    assert window.screens.currentWidget() is window.session_lock.screen
    assert not window.front_desk.isVisible()  # nothing personal on screen
    assert not any(action.isEnabled() for action in window.actions())
    assert clerk.locked and clerk.database_key == b"" and clerk.actor.signing_key is None
    with pytest.raises(SessionLocked):
        pending_upload_count(clerk.database)  # the store is closed
    assert len(list(window.session_lock.screen.panel.paths.drafts.glob("*.draft"))) == 1

    # A wrong password keeps it locked.
    screen = window.session_lock.screen
    screen.panel.password.setText("wrong password 1")
    with qtbot.waitSignal(screen.panel.error_shown):
        screen.panel.try_login()
    assert window.is_locked and "用户名或密码不正确" in screen.panel.error.text()

    unlock(qtbot, window, "clerk", CLERK_PASSWORD)
    assert not window.is_locked and window.session is clerk and not clerk.locked
    assert window.front_desk.form is form and form.isVisible()
    assert form.person.name.text() == "单雄信" and form.is_dirty()
    assert all(action.isEnabled() for action in window.actions() if action.isVisible())
    assert pending_upload_count(clerk.database) == 0  # the store is open again
    (draft,) = enrolment_drafts_of(clerk)  # written when it locked, under the clerk
    assert draft.operator == "clerk" and draft.summary.startswith("单雄信")
    assert window.session_lock.watch.timer.isActive()


def test_another_operator_gets_a_clean_screen_and_the_first_keeps_a_draft(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    window.new_enrolment()
    fill_adult(qtbot, window.front_desk.form)
    lock_now(qtbot, window)
    unlock(qtbot, window, "supervisor", SUPERVISOR_PASSWORD)

    supervisor = window.session
    assert supervisor is not clerk and supervisor.actor.username == "supervisor"
    assert "supervisor" in window.windowTitle()
    assert window.built_page("front_desk") is None  # a clean front desk, built when needed
    assert window.current_page_name() == "home"  # their 今日
    assert enrolment_drafts_of(supervisor) == []  # not theirs to see
    # The clerk's input is the clerk's draft, offered at their next login.
    again = login(supervisor.database.paths, "clerk", CLERK_PASSWORD)
    try:
        (draft,) = enrolment_drafts_of(again)
        assert draft.summary.startswith("单雄信")
    finally:
        again.close()


def test_a_running_job_finishes_before_the_store_closes(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    release = threading.Event()
    database = clerk.database
    finished = []
    runner.submit(
        lambda control: (release.wait(10), pending_upload_count(database))[1],
        lane="write",
        on_success=finished.append,
    )
    window.lock()
    assert window.is_locked and not clerk.locked  # on screen at once, closed later
    assert not window.session_lock.screen.panel.isEnabled()
    with qtbot.waitSignal(window.session_lock.store_closed):
        release.set()
    assert finished == [0] and clerk.locked
    assert window.session_lock.screen.panel.isEnabled()


def test_open_dialogs_hide_while_locked_and_come_back(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    dialog = QDialog(window)
    qtbot.addWidget(dialog)
    dialog.open()
    lock_now(qtbot, window)
    assert not dialog.isVisible()
    unlock(qtbot, window, "clerk", CLERK_PASSWORD)
    assert dialog.isVisible()

"""Locking the main window after the centre's idle time, and unlocking it.

Locking shows the lock screen at once (so nothing personal stays on screen), hides the
window's open dialogs, and — once no background job still uses the store — writes the
enrolment form's draft under the operator who locked it, closes the store and lets go of
the keys (``OpenSession.lock``). The same operator's password brings the same window back,
with every widget as it was; another operator's gets a rebuilt, clean window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from caseworker.services.centre import OpenSession
from caseworker.services.centre_settings import IDLE_LOCK_MINUTES, read_setting
from caseworker.services.errors import ServiceError
from caseworker.services.login_guard import Clock
from caseworker.ui.lock_screen import IdleWatch, LockScreen

if TYPE_CHECKING:
    from caseworker.ui.main_window import MainWindow


def _belongs_to(window: QWidget, widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False


class SessionLock(QObject):
    store_closed = Signal()  # the store is closed and the keys let go: tests wait on this

    def __init__(self, window: MainWindow, clock: Clock) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.is_locked = False
        self.screen: LockScreen | None = None
        self._hidden: list[QDialog] = []
        self._focus: QWidget | None = None
        self.watch = IdleWatch(IDLE_LOCK_MINUTES.default, self)
        self.watch.timed_out.connect(self.lock)
        self.read_minutes()
        self.watch.start()

    def read_minutes(self) -> None:
        """The centre's setting, read on the runner (it may have changed while away)."""
        database = self.window.session.database
        self.window.runner.submit(
            lambda control: read_setting(database, IDLE_LOCK_MINUTES),
            on_success=self.watch.set_minutes,
            on_failure=self._minutes_unread,
        )

    @staticmethod
    def _minutes_unread(error: BaseException) -> None:
        if not isinstance(error, ServiceError):
            raise error  # the default interval stays; a defect surfaces

    def stop(self) -> None:
        self.watch.stop()

    # -- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        if self.is_locked:
            return
        window = self.window
        self.is_locked = True
        self.watch.stop()
        window.status_timer.stop()
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and window.isAncestorOf(focus) else None
        self._hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QDialog) and widget.isVisible() and _belongs_to(window, widget)
        ]
        for dialog in self._hidden:
            dialog.hide()
        session = window.session
        self.screen = LockScreen(
            session.database.paths, window.runner, session.actor, clock=self.clock
        )
        self.screen.unlocked.connect(self._unlocked)
        window.screens.addWidget(self.screen)
        window.screens.setCurrentWidget(self.screen)
        self._set_actions(False)
        window.locked.emit()
        window.runner.when_idle(self._close_store)

    def _close_store(self) -> None:
        form = self.window.enrolment_form
        if form is not None:
            form.lock_drafts()  # under the operator who locked: it stays theirs
        self.window.session.lock()
        if self.screen is not None:
            self.screen.store_closed()
        self.store_closed.emit()

    def _set_actions(self, enabled: bool) -> None:
        self.window.menuBar().setEnabled(enabled)
        for action in self.window.actions():
            action.setEnabled(enabled)

    # -- unlocking ----------------------------------------------------------------------------

    def _unlocked(self, session: OpenSession) -> None:
        window = self.window
        same = session.actor.operator_id == window.session.actor.operator_id
        if same:
            window.session.resume(session)
            form = window.enrolment_form
            if form is not None:
                form.unlock_drafts()
        else:
            for dialog in self._hidden:
                dialog.reject()  # the first operator's dialog; its work is not the new one's
            self._hidden, self._focus = [], None
            window.take_session(session)
        screen, self.screen = self.screen, None
        window.screens.setCurrentIndex(0)
        if screen is not None:
            window.screens.removeWidget(screen)
            screen.deleteLater()
        self._set_actions(True)
        for dialog in self._hidden:
            dialog.show()
        self._hidden = []
        if self._focus is not None:
            self._focus.setFocus()
        self.is_locked = False
        window.status_timer.start()
        window.refresh_status()
        self.read_minutes()
        self.watch.start()
        window.unlocked.emit()

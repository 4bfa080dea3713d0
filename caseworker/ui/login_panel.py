"""The name-and-password form shared by the login dialog and the lock screen.

Given a runner, the login (argon2id, opening and maybe migrating the store) runs on its
write lane so the form stays responsive; without one it runs inline (scripts, old callers).
After five failures in a row the form counts down the wait (``login_guard``) from an
injected clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QPushButton, QVBoxLayout, QWidget

from caseworker.paths import DataPaths
from caseworker.services.errors import ServiceError
from caseworker.services.login import login
from caseworker.services.login_guard import Clock, locked_until, seconds_left, utc_now
from caseworker.store.connect import StoreOpenError
from caseworker.store.keys import KeyFileError
from caseworker.ui.i18n import message_for
from caseworker.ui.widgets.common import error_label, named_line

if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession
    from caseworker.ui.tasks import TaskRunner

LOGIN_ERRORS = (KeyFileError, StoreOpenError, ServiceError)
COUNTDOWN_MS = 1000


class LoginPanel(QWidget):
    logged_in = Signal(object)  # the OpenSession
    error_shown = Signal()  # a failed login's message is on screen

    def __init__(
        self,
        paths: DataPaths,
        runner: TaskRunner | None = None,
        *,
        clock: Clock = utc_now,
        username: str = "",
        button_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.runner = runner
        self.clock = clock
        self.busy = False
        self.done = False
        self.locked_until: datetime | None = None
        self.username = named_line("username", self.tr("操作员"))
        self.username.setText(username)
        self.password = named_line("password", self.tr("密码"), secret=True)
        self.error = error_label("loginError")
        self.ok_button = QPushButton(button_text or self.tr("登录"))
        self.ok_button.setObjectName("loginButton")
        self.ok_button.clicked.connect(self.try_login)
        # Keyboard first (see keyPressEvent): Enter in the name moves on, in the password logs
        # in. Not a default button, so Enter never logs in with a half-typed form.
        self.ok_button.setAutoDefault(False)
        self.countdown = QTimer(self)
        self.countdown.setInterval(COUNTDOWN_MS)
        self.countdown.timeout.connect(self.tick)
        self.username.textChanged.connect(lambda _text: self.check_lock())

        form = QFormLayout()
        form.addRow(self.tr("操作员"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.setFocusProxy(self.password if username else self.username)
        self.check_lock()

    def start_focus(self) -> None:
        """The cursor where typing is needed: the password once a name is filled in."""
        (self.password if self.username.text() else self.username).setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.username.hasFocus():
                self.password.setFocus()
            elif self.password.hasFocus():
                self.try_login()
            event.accept()
            return
        super().keyPressEvent(event)

    def try_login(self) -> None:
        if self.done or self.busy or self.locked_until is not None:
            return  # Enter may arrive twice (return + click); a locked name waits
        paths, username, password = self.paths, self.username.text(), self.password.text()
        clock = self.clock
        if self.runner is None:
            try:
                session = login(paths, username, password, now=clock)
            except LOGIN_ERRORS as error:
                self._failed(error)
                return
            self._logged_in(session)
            return
        self._set_busy(True)
        self.runner.submit(
            lambda control: login(paths, username, password, now=clock),
            lane="write",
            on_success=self._logged_in,
            on_failure=self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.ok_button, self.username, self.password):
            widget.setEnabled(not busy)

    def _logged_in(self, session: OpenSession) -> None:
        self._set_busy(False)
        self.done = True
        self.password.clear()
        self.logged_in.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, LOGIN_ERRORS):
            raise error  # a bug, not a wrong password: let it surface
        if not self.check_lock():
            self.error.setText(message_for(error))
            self.error.show()
        self.password.selectAll()
        self.password.setFocus()
        self.error_shown.emit()

    # -- the wait after five failures -------------------------------------------------------

    def check_lock(self) -> bool:
        """Whether the typed name must wait; shows the time left and holds the button."""
        name = self.username.text()
        self.locked_until = locked_until(self.paths, name, self.clock()) if name.strip() else None
        if self.locked_until is None:
            if self.countdown.isActive():
                self.countdown.stop()
                self.error.hide()
            self.ok_button.setEnabled(self.paths.key_file.exists() and not self.busy)
            return False
        self.ok_button.setEnabled(False)
        self._show_wait()
        if not self.countdown.isActive():
            self.countdown.start()
        return True

    def _show_wait(self) -> None:
        assert self.locked_until is not None
        left = seconds_left(self.locked_until, self.clock())
        minutes, seconds = divmod(left, 60)
        self.error.setText(
            self.tr("登录失败次数过多：操作员“%1”须等待 %2 后才能再试。")
            .replace("%1", self.username.text().strip())
            .replace("%2", f"{minutes}:{seconds:02d}")
        )
        self.error.show()

    def tick(self) -> None:
        """Once a second while a name waits: the time left, and the button back at zero."""
        if self.check_lock():
            return
        self.error.hide()
        self.password.setFocus()

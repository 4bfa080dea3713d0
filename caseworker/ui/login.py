"""Log in as an operator: this unlocks the database key and opens the store.

The form itself (and the wait after repeated failures) is ``LoginPanel``, shared with the
lock screen; this dialog adds the centre's name and the way out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from caseworker.paths import DataPaths
from caseworker.services.login_guard import Clock, utc_now
from caseworker.store.keys import KeyFile, KeyFileError
from caseworker.ui.i18n import message_for, with_note
from caseworker.ui.login_panel import LOGIN_ERRORS, LoginPanel
from caseworker.ui.preferences import LAST_USERNAME
from caseworker.ui.style import set_tone
from caseworker.ui.widgets.common import add_dialog_buttons

if TYPE_CHECKING:
    # The first window the clerk sees imports no SQLAlchemy (the session's modules load on
    # the preload thread while the password is typed; the recovery dialog when asked for).
    from caseworker.services.centre import OpenSession
    from caseworker.ui.dialogs.recovery_dialog import RecoveryDialog
    from caseworker.ui.tasks import TaskRunner

__all__ = ["LOGIN_ERRORS", "LoginDialog"]


class LoginDialog(QDialog):
    error_shown = Signal()  # a failed login's message is on screen

    def __init__(
        self, paths: DataPaths, runner: TaskRunner | None = None, *, clock: Clock = utc_now
    ) -> None:
        super().__init__()
        self.paths = paths
        self.session: OpenSession | None = None
        self.setWindowTitle(self.tr("登录 — 社保经办"))
        self.setMinimumWidth(380)

        self.centre_label = QLabel(self._centre_text())
        self.centre_label.setObjectName("centreLabel")
        self.centre_label.setWordWrap(True)
        self.panel = LoginPanel(paths, runner, clock=clock, username=str(LAST_USERNAME.get()))
        self.panel.logged_in.connect(self._logged_in)
        self.panel.error_shown.connect(self.error_shown)
        self.recovery_button = QPushButton(self.tr("用恢复密钥登录…"))
        self.recovery_button.setObjectName("recoveryLink")
        self.recovery_button.setFlat(True)
        self.recovery_button.setAutoDefault(False)
        set_tone(self.recovery_button, "link")
        self.recovery_button.setEnabled(paths.key_file.exists())
        self.recovery_button.clicked.connect(self.open_recovery)
        self.recovery: RecoveryDialog | None = None
        self.runner, self.clock = runner, clock
        self.quit_button = QPushButton(self.tr("退出"))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recovery_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.centre_label)
        layout.addWidget(self.panel)
        layout.addLayout(buttons)
        add_dialog_buttons(buttons, confirm=self.panel.ok_button, dismiss=self.quit_button)
        self.panel.start_focus()

    # The form's parts, as callers and tests have always reached them.
    @property
    def username(self) -> QLineEdit:
        return self.panel.username

    @property
    def password(self) -> QLineEdit:
        return self.panel.password

    @property
    def error(self) -> QLabel:
        return self.panel.error

    @property
    def ok_button(self) -> QPushButton:
        return self.panel.ok_button

    def try_login(self) -> None:
        self.panel.try_login()

    def _centre_text(self) -> str:
        try:
            key_file = KeyFile.load(self.paths.key_file)
        except KeyFileError as error:
            if not self.paths.key_file.exists():
                return self.tr(
                    "此数据文件夹中还没有服务中心：请先运行 caseworker setup 或 caseworker demo。"
                )
            return message_for(error)
        return with_note(key_file.centre_name, key_file.centre_code)

    def open_recovery(self) -> None:
        """The administrator lost their password: the printed recovery key instead."""
        from caseworker.ui.dialogs.recovery_dialog import RecoveryDialog

        self.recovery = RecoveryDialog(
            self.paths, self.runner, username=self.username.text(), clock=self.clock, parent=self
        )
        self.recovery.recovered.connect(self._logged_in)
        self.recovery.open()

    def _logged_in(self, session: OpenSession) -> None:
        self.session = session
        LAST_USERNAME.put(session.actor.username)
        self.accept()

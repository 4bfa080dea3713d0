"""Log in as an operator: this unlocks the database key and opens the store.

Given a runner, the login (argon2id, opening and maybe migrating the store) runs on its
write lane so the dialog stays responsive; without one it runs inline (scripts, old callers).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.errors import ServiceError
from caseworker.store.engine import StoreOpenError
from caseworker.store.keys import KeyFile, KeyFileError
from caseworker.ui.i18n import message_for, with_note
from caseworker.ui.preferences import LAST_USERNAME
from caseworker.ui.tasks import TaskRunner

LOGIN_ERRORS = (KeyFileError, StoreOpenError, ServiceError)


class LoginDialog(QDialog):
    error_shown = Signal()  # a failed login's message is on screen

    def __init__(self, paths: DataPaths, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.runner = runner
        self.busy = False
        self.session: OpenSession | None = None
        self.setWindowTitle(self.tr("登录 — 社保经办"))
        self.setMinimumWidth(380)

        self.centre_label = QLabel(self._centre_text())
        self.centre_label.setObjectName("centreLabel")
        self.centre_label.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName(self.tr("操作员"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName(self.tr("密码"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.username.setText(str(LAST_USERNAME.get()))

        form = QFormLayout()
        form.addRow(self.tr("操作员"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.centre_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(self.paths.key_file.exists())
        # Keyboard first (see keyPressEvent): Enter in the name moves on, in the password logs
        # in. No button is a default button, so Enter never logs in with a half-typed form.
        for button in buttons.buttons():
            button.setAutoDefault(False)
            button.setDefault(False)
        # The last operator's name is filled in, so the cursor starts where typing is needed.
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

    def try_login(self) -> None:
        if self.session is not None or self.busy:  # Enter may arrive twice (return + accept)
            return
        paths, username, password = self.paths, self.username.text(), self.password.text()
        if self.runner is None:
            try:
                session = login(paths, username, password)
            except LOGIN_ERRORS as error:
                self._failed(error)
                return
            self._logged_in(session)
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.username.setEnabled(False)
        self.password.setEnabled(False)
        self.runner.submit(
            lambda control: login(paths, username, password),
            lane="write",
            on_success=self._logged_in,
            on_failure=self._failed,
        )

    def _logged_in(self, session: OpenSession) -> None:
        self.busy = False
        self.session = session
        LAST_USERNAME.put(self.username.text().strip())
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.username.setEnabled(True)
        self.password.setEnabled(True)
        self.ok_button.setEnabled(self.paths.key_file.exists())
        if not isinstance(error, LOGIN_ERRORS):
            raise error  # a bug, not a wrong password: let it surface
        self.error.setText(message_for(error))
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
        self.error_shown.emit()

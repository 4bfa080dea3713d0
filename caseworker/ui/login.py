"""Log in as an operator: this unlocks the database key and opens the store."""

from __future__ import annotations

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


class LoginDialog(QDialog):
    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.paths = paths
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
        # Keyboard first: Enter in the name moves on, Enter in the password logs in.
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_login)
        self.ok_button.setAutoDefault(False)

    def _centre_text(self) -> str:
        try:
            key_file = KeyFile.load(self.paths.key_file)
        except KeyFileError as error:
            if not self.paths.key_file.exists():
                return self.tr(
                    "此数据文件夹中还没有服务中心：请先运行 caseworker setup 或 caseworker demo。"
                )
            return error.message
        return f"{key_file.centre_name}（{key_file.centre_code}）"

    def try_login(self) -> None:
        if self.session is not None:  # Enter may arrive both as returnPressed and as accept
            return
        try:
            self.session = login(self.paths, self.username.text(), self.password.text())
        except (KeyFileError, StoreOpenError, ServiceError) as error:
            self.error.setText(error.message)
            self.error.show()
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()

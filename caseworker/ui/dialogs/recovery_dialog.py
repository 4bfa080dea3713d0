"""“用恢复密钥登录”: an administrator who lost their password types the recovery key printed
at setup and a new password; the store opens as them (``access_recovery``), with a new
signing key. Before it closes it shows that key's fingerprint, for the administrator to give
the county (by phone or on paper) so it accepts the key and sync goes on. Other operators'
passwords are then reset on the operators page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caseworker.paths import DataPaths
from caseworker.services.access_recovery import new_key_notice, recover_access
from caseworker.services.centre import OpenSession
from caseworker.services.login_guard import Clock, utc_now
from caseworker.store.keys import password_problem
from caseworker.ui.i18n import is_english, message_for
from caseworker.ui.login_panel import LOGIN_ERRORS
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import error_label, named_line


class RecoveryDialog(QDialog):
    recovered = Signal(object)  # the administrator's OpenSession
    error_shown = Signal()
    key_shown = Signal()  # recovered: the new key's fingerprint is on screen

    def __init__(
        self,
        paths: DataPaths,
        runner: TaskRunner | None = None,
        *,
        username: str = "",
        clock: Clock = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.paths, self.runner, self.clock = paths, runner, clock
        self.session: OpenSession | None = None
        self.setWindowTitle(self.tr("用恢复密钥登录"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "管理员忘记密码时，用设置服务中心时打印的恢复密钥打开数据，并设定新密码。"
                "该管理员会得到新的签名密钥；其他操作员的密码可随后在“操作员”页面重置。"
            )
        )
        intro.setWordWrap(True)
        self.recovery_key = named_line("recoveryKey", self.tr("恢复密钥"))
        self.recovery_key.setPlaceholderText("XXXXX-XXXXX-…")
        self.username = named_line("recoveryUsername", self.tr("管理员用户名"))
        self.username.setText(username)
        self.password = named_line("recoveryPassword", self.tr("新密码"), secret=True)
        self.confirm = named_line("recoveryPasswordAgain", self.tr("再次输入新密码"), secret=True)
        self.error = error_label("recoveryError")
        self.notice = QLabel()
        self.notice.setObjectName("recoveryKeyNotice")
        self.notice.setAccessibleName(self.tr("新密钥指纹"))
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("恢复密钥"), self.recovery_key)
        form.addRow(self.tr("管理员用户名"), self.username)
        form.addRow(self.tr("新密码"), self.password)
        form.addRow(self.tr("再次输入"), self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("恢复并登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_recover)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.recovery_key.setFocus()

    def _problem(self) -> str | None:
        if not self.recovery_key.text().strip():
            return self.tr("请输入恢复密钥（设置时打印的那一串字母和数字）。")
        if not self.username.text().strip():
            return self.tr("请填写管理员的用户名。")
        if self.password.text() != self.confirm.text():
            return self.tr("两次输入的新密码不一致，请重新输入。")
        problem = password_problem(self.password.text(), self.username.text())
        if problem:
            english = self.tr("密码至少8个字符，不能全是同一个字符，也不能与用户名相同。")
            return english if is_english() else problem
        return None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ok_button.setEnabled(True)
        self.error_shown.emit()

    def try_recover(self) -> None:
        if self.session is not None:  # the fingerprint was read: go on as the administrator
            self.recovered.emit(self.session)
            self.accept()
            return
        problem = self._problem()
        if problem:
            self.show_error(problem)
            return
        paths, clock = self.paths, self.clock
        key, name, password = self.recovery_key.text(), self.username.text(), self.password.text()
        self.ok_button.setEnabled(False)
        if self.runner is None:
            try:
                session = recover_access(paths, key, name, password, now=clock)
            except LOGIN_ERRORS as error:
                self._failed(error)
                return
            self._recovered(session)
            return
        self.runner.submit(
            lambda control: recover_access(paths, key, name, password, now=clock),
            lane="write",
            on_success=self._recovered,
            on_failure=self._failed,
        )

    def reject(self) -> None:
        if self.session is not None:  # already recovered (Esc on the fingerprint): go on
            self.try_recover()
            return
        super().reject()

    def _recovered(self, session: OpenSession) -> None:
        """Recovered: show the new key's fingerprint, to be given to the county, then go on."""
        self.session = session
        notice = new_key_notice(session)
        self.form.hide()
        self.error.hide()
        self.cancel_button.hide()
        self.notice.setText(notice.message_en if is_english() else notice.message)
        self.notice.show()
        self.ok_button.setText(self.tr("已记下，继续"))
        self.ok_button.setEnabled(True)
        self.ok_button.setFocus()
        self.key_shown.emit()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, LOGIN_ERRORS):
            raise error
        self.show_error(message_for(error))

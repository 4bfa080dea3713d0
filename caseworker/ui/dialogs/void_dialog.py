"""Void a receipt, with a supervisor's own username and password typed in the dialog.

A clerk at the keyboard can get a void done without logging out: the supervisor types their
credentials here (``services.reauth.authorise``), the void is signed by the supervisor, and
the clerk's session stays as it was. The reason is required; every line of the receipt is
voided together; the receipt number stays used. Once voided, the void slip (作废凭证) is
offered for preview and printing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.money import format_yuan
from caseworker.printing.data import VoidSlipData
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.payments import VoidedReceipt, check_void_reason, void_payment
from caseworker.services.reauth import authorise
from caseworker.services.void_slips import receipt_summary
from caseworker.ui.i18n import message_for, scheme_name
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskControl, TaskRunner
from caseworker.ui.widgets.common import Banner, add_dialog_buttons


class VoidDialog(QDialog):
    voided = Signal(str)  # the receipt number, once voided

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        receipt_number: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("voidDialog")
        self.session = session
        self.runner = runner
        self.receipt_number = receipt_number
        self.summary: VoidSlipData | None = None
        self.voided_receipt: VoidedReceipt | None = None
        self._busy = False
        self.setWindowTitle(self.tr("作废收据"))
        self.setMinimumWidth(560)

        self.banner = Banner("voidBanner")
        self.receipt = QLabel()
        self.receipt.setObjectName("voidReceipt")
        self.receipt.setWordWrap(True)
        set_role(self.receipt, "emphasis")
        self.lines = QLabel()
        self.lines.setObjectName("voidLines")
        self.lines.setWordWrap(True)
        self.reason = self._field("voidReason", self.tr("作废原因"))
        self.reason.setPlaceholderText(self.tr("如：档次录错，应为300元档"))
        self.reason.setMaxLength(200)
        self.username = self._field("supervisorUser", self.tr("审核员用户名"))
        self.password = self._field("supervisorPassword", self.tr("审核员密码"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if session.actor.may(Permission.VOID_PAYMENT):
            self.username.setText(session.actor.username)
        self.note = QLabel(
            self.tr(
                "作废须由审核员在此输入自己的用户名和密码确认，作废记录由审核员签名；"
                "当前登录的操作员（%1）保持登录。收据号不会再次使用。"
            ).replace("%1", session.actor.display_name)
        )
        self.note.setObjectName("voidNote")
        self.note.setWordWrap(True)
        set_tone(self.note, "hint")
        form = QFormLayout()
        form.addRow(self.tr("作废原因"), self.reason)
        form.addRow(self.tr("审核员用户名"), self.username)
        form.addRow(self.tr("审核员密码"), self.password)

        self.confirm_button = self._button("confirmVoid", self.tr("确认作废"))
        self.slip_button = self._button("printVoidSlip", self.tr("打印作废凭证（Ctrl+P）"))
        self.slip_button.setShortcut(QKeySequence("Ctrl+P"))
        self.slip_button.hide()
        self.close_button = self._button("closeVoid", self.tr("取消"))
        self.confirm_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.receipt)
        layout.addWidget(self.lines)
        layout.addLayout(form)
        layout.addWidget(self.note)
        add_dialog_buttons(
            layout,
            confirm=self.confirm_button,
            dismiss=self.close_button,
            actions=(self.slip_button,),
        )
        self.setTabOrder(self.reason, self.username)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.confirm_button)

        self.confirm_button.clicked.connect(self.confirm)
        self.slip_button.clicked.connect(self.print_slip)
        self.close_button.clicked.connect(self.reject)
        self.confirm_button.setEnabled(False)
        self.receipt.setText(self.tr("收据号：%1").replace("%1", receipt_number))
        self.banner.show_message(self.tr("正在读取收据……"), "info")
        database = session.database
        runner.submit(
            lambda _control: receipt_summary(database, receipt_number),
            on_success=self._loaded,
            on_failure=self._load_failed,
        )
        self.reason.setFocus()

    def _field(self, name: str, accessible: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        return field

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        return button

    # -- loading -------------------------------------------------------------------------

    def _loaded(self, summary: VoidSlipData) -> None:
        self.summary = summary
        self.lines.setText(self._lines_text(summary))
        if summary.voided_at is not None:
            self.banner.show_message(
                self.tr("该收据已于 %1 由 %2 作废（原因：%3），不能再次作废。")
                .replace("%1", f"{summary.voided_at:%Y-%m-%d %H:%M}")
                .replace("%2", summary.voided_by)
                .replace("%3", summary.reason),
                "warning",
            )
            self._set_inputs_enabled(False)
            self.slip_button.show()
            return
        self.banner.clear()
        self.confirm_button.setEnabled(True)

    def _lines_text(self, summary: VoidSlipData) -> str:
        rows = [
            self.tr("%1　%2　%3 至 %4　¥%5")
            .replace("%1", line.name)
            .replace("%2", scheme_name(line.scheme_code) if line.scheme_code else line.scheme)
            .replace("%3", line.period_start.isoformat())
            .replace("%4", line.period_end.isoformat())
            .replace("%5", format_yuan(line.personal_fen))
            for line in summary.lines
        ]
        rows.append(
            self.tr("共 %1 行，个人实收合计 ¥%2；收款人 %3，%4")
            .replace("%1", str(len(summary.lines)))
            .replace("%2", format_yuan(summary.personal_fen))
            .replace("%3", summary.collector)
            .replace("%4", f"{summary.paid_at:%Y-%m-%d %H:%M}")
        )
        return "\n".join(rows)

    def _load_failed(self, error: BaseException) -> None:
        self.banner.show_message(message_for(error), "error")
        self._set_inputs_enabled(False)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.reason, self.username, self.password, self.confirm_button):
            widget.setEnabled(enabled)

    # -- the void ------------------------------------------------------------------------

    def confirm(self) -> None:
        if self._busy or self.summary is None or self.voided_receipt is not None:
            return
        reason, username, password = (
            self.reason.text(),
            self.username.text(),
            self.password.text(),
        )
        try:
            check_void_reason(reason)  # before the supervisor's password is spent on it
        except ValidationFailed as error:
            self._refused(error)
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在核对审核员身份并作废……"), "info")
        session, number = self.session, self.receipt_number

        def void(_control: TaskControl) -> tuple[str, VoidedReceipt]:
            supervisor = authorise(session, username, password, Permission.VOID_PAYMENT)
            voided = void_payment(
                session.database, supervisor, receipt_number=number, reason=reason
            )
            return supervisor.display_name, voided

        self.runner.submit(void, lane="write", on_success=self._done, on_failure=self._refused)

    def _done(self, outcome: tuple[str, VoidedReceipt]) -> None:
        self._busy = False
        supervisor, self.voided_receipt = outcome
        self.password.clear()
        self._set_inputs_enabled(False)
        self.banner.show_message(
            self.tr("收据 %1 已作废（%2 行，¥%3），审核员：%4。请打印作废凭证。")
            .replace("%1", self.voided_receipt.receipt_number)
            .replace("%2", str(self.voided_receipt.lines))
            .replace("%3", format_yuan(self.voided_receipt.personal_fen))
            .replace("%4", supervisor),
            "success",
        )
        self.close_button.setText(self.tr("完成"))
        self.slip_button.show()
        self.slip_button.setDefault(True)
        self.slip_button.setFocus()
        self.voided.emit(self.voided_receipt.receipt_number)

    def _refused(self, error: BaseException) -> None:
        self._busy = False
        self.confirm_button.setEnabled(self.summary is not None and self.voided_receipt is None)
        if isinstance(error, ValidationFailed):
            text = self.tr("；").join(message_for(e) for e in error.errors)
            focus = self.reason
        elif isinstance(error, PermissionDenied):
            text, focus = message_for(error), self.username
            self.password.clear()
        elif isinstance(error, ServiceError):
            text, focus = message_for(error), self.password
            if error.code.startswith("reauth"):
                self.password.clear()
        else:
            text = self.tr("操作失败：%1").replace("%1", str(error))
            focus = self.reason
        self.banner.show_message(text, "error")
        focus.setFocus()

    def print_slip(self) -> None:
        from caseworker.ui.printing import preview_void_slip  # reportlab loads on first print

        self.slip_preview = None
        preview_void_slip(
            self, self.session, self.receipt_number, self.runner, on_open=self._slip_opened
        )

    def _slip_opened(self, preview: QDialog) -> None:
        self.slip_preview = preview

"""First run: set up the centre, its first administrator, and show the recovery key once.

The centre is chosen from the reference data (its code is the township's 9-digit statistical
code). Setting up runs ``services.centre.setup_centre`` on the write lane: it derives keys
and creates the encrypted database, which takes a moment. The administrator page is a commit
page, so once the centre exists nobody can go back and try to create it twice.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from caseworker.domain.regions import load_region_directory
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, SetupResult, setup_centre
from caseworker.services.errors import ValidationFailed
from caseworker.store.keys import password_problem
from caseworker.ui.i18n import message_for, with_note
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner

CENTRE_NAME_SUFFIX = "社会保障服务中心"
# What ``password_problem`` can say, marked so lupdate offers them for translation.
PASSWORD_PROBLEMS = (
    QT_TRANSLATE_NOOP("PasswordPolicy", "密码至少需要8个字符。"),
    QT_TRANSLATE_NOOP("PasswordPolicy", "密码不能全是同一个字符。"),
    QT_TRANSLATE_NOOP("PasswordPolicy", "密码不能与用户名相同。"),
)


def _line(name: str, accessible: str) -> QLineEdit:
    line = QLineEdit()
    line.setObjectName(name)
    line.setAccessibleName(accessible)
    return line


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    set_tone(label, "error")
    label.setWordWrap(True)
    label.hide()
    return label


def township_choices() -> list[tuple[str, str]]:
    """(code, full name) of every township in the reference data, by code."""
    regions = load_region_directory()
    return [
        (region.code, regions.name_path(region.code))
        for region in sorted(regions, key=lambda r: r.code)
        if region.level == "township" and not region.abolished
    ]


class CentrePage(QWizardPage):
    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.setTitle(self.tr("服务中心"))
        self.setSubTitle(
            self.tr("选择本服务中心所在的乡镇（街道）。数据将保存在：%1").replace(
                "%1", str(paths.root)
            )
        )
        self.township = QComboBox()
        self.township.setObjectName("township")
        self.township.setAccessibleName(self.tr("所在乡镇（街道）"))
        for code, name in township_choices():
            self.township.addItem(with_note(name, code), code)
        self.centre_code = _line("centreCode", self.tr("服务中心代码"))
        self.centre_code.setReadOnly(True)  # the township's code, never typed by hand
        self.centre_name = _line("centreName", self.tr("服务中心名称"))
        self.name_error = _error_label("centreNameError")
        # Part of every receipt number: each computer of a centre needs its own.
        self.device_number = QSpinBox()
        self.device_number.setObjectName("deviceNumber")
        self.device_number.setAccessibleName(self.tr("本机编号"))
        self.device_number.setRange(1, 99)
        self.device_number.setToolTip(
            self.tr("同一服务中心的每台电脑各用一个编号（1–99），它是收据号的一部分。")
        )
        editor = self.device_number.findChild(QLineEdit)
        if editor is not None:
            editor.setObjectName("deviceNumberText")
            editor.setAccessibleName(self.tr("本机编号"))
        form = QFormLayout(self)
        form.addRow(self.tr("所在乡镇（街道）"), self.township)
        form.addRow(self.tr("服务中心代码"), self.centre_code)
        form.addRow(self.tr("服务中心名称"), self.centre_name)
        form.addRow(self.name_error)
        form.addRow(self.tr("本机编号"), self.device_number)
        # Not "mandatory" fields: Qt counts those filled only once they differ from their
        # value at registration, and these start filled in. isComplete checks them instead.
        self.registerField("centre_code", self.centre_code)
        self.registerField("centre_name", self.centre_name)
        self.registerField("device_number", self.device_number)
        self.centre_name.textChanged.connect(self.completeChanged)
        self.centre_code.textChanged.connect(self.completeChanged)
        self.township.currentIndexChanged.connect(self._township_changed)
        self._township_changed()

    def _township_changed(self, _index: int = 0) -> None:
        code = self.township.currentData()
        if code is None:
            return
        self.centre_code.setText(code)
        name = load_region_directory().find(code)
        county = load_region_directory().find(code[:6])
        prefix = (county.name if county else "") + (name.name if name else "")
        # The centre's name is data printed on Chinese forms, not interface text: always Chinese.
        self.centre_name.setText(prefix + CENTRE_NAME_SUFFIX)

    def isComplete(self) -> bool:
        return bool(self.centre_code.text() and self.centre_name.text().strip())

    def validatePage(self) -> bool:
        if len(self.centre_name.text().strip()) < 2:
            self.name_error.setText(self.tr("请填写服务中心名称。"))
            self.name_error.show()
            return False
        self.name_error.hide()
        return True


class AdminPage(QWizardPage):
    failed = Signal()  # setting up was refused; the reason is on the page

    def __init__(self, paths: DataPaths, runner: TaskRunner) -> None:
        super().__init__()
        self.paths = paths
        self.runner = runner
        self.result: SetupResult | None = None
        self.busy = False
        self.setTitle(self.tr("第一位管理员"))
        self.setSubTitle(self.tr("管理员可以添加操作员、管理本机设置。密码至少8个字符，请牢记。"))
        self.setCommitPage(True)
        self.username = _line("adminUsername", self.tr("管理员用户名"))
        self.username.setText("admin")
        self.display_name = _line("adminDisplayName", self.tr("管理员姓名"))
        self.password = _line("adminPassword", self.tr("密码"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = _line("adminPasswordAgain", self.tr("再次输入密码"))
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label("adminError")
        self.working = QLabel(self.tr("正在创建加密数据库……"))
        self.working.setObjectName("setupWorking")
        self.working.hide()
        form = QFormLayout(self)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.password_again)
        form.addRow(self.error)
        form.addRow(self.working)
        self.registerField("admin_username*", self.username)
        self.registerField("admin_password*", self.password)
        self.registerField("admin_password_again*", self.password_again)

    def _problem(self) -> str | None:
        if self.password.text() != self.password_again.text():
            return self.tr("两次输入的密码不一致，请重新输入。")
        # The key file's own policy, so the wizard never accepts what setup would refuse.
        problem = password_problem(self.password.text(), self.username.text())
        # Its (Chinese) messages are marked in PASSWORD_PROBLEMS, so they translate here.
        return QCoreApplication.translate("PasswordPolicy", problem) if problem else None

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def validatePage(self) -> bool:
        if self.result is not None:
            return True
        if self.busy:
            return False
        problem = self._problem()
        if problem:
            self._show_error(problem)
            self.password_again.clear()
            self.password_again.setFocus()
            return False
        self.error.hide()
        wizard = self.wizard()
        paths = self.paths
        code = str(wizard.field("centre_code"))
        name = str(wizard.field("centre_name"))
        device_number = int(wizard.field("device_number"))
        username = self.username.text().strip()
        display = self.display_name.text().strip() or None
        password = self.password.text()
        self.busy = True
        self.working.show()
        self.setEnabled(False)
        self.runner.submit(
            lambda control: setup_centre(
                paths,
                centre_code=code,
                centre_name=name,
                township_code=code,
                admin_username=username,
                admin_password=password,
                admin_display_name=display,
                device_number=device_number,
            ),
            lane="write",
            on_success=self._set_up,
            on_failure=self._failed,
        )
        return False  # the wizard moves on when the centre exists (see _set_up)

    def _set_up(self, result: SetupResult) -> None:
        self.busy = False
        self.working.hide()
        self.setEnabled(True)
        self.result = result
        self.wizard().next()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.working.hide()
        self.setEnabled(True)
        if isinstance(error, ValidationFailed):
            self._show_error("\n".join(message_for(e) for e in error.errors))
        else:
            self._show_error(message_for(error))
        self.failed.emit()


class RecoveryKeyPage(QWizardPage):
    def __init__(self, admin: AdminPage) -> None:
        super().__init__()
        self.admin = admin
        self.setTitle(self.tr("恢复密钥"))
        self.setSubTitle(
            self.tr(
                "忘记所有管理员密码时，只有恢复密钥能打开数据。它只显示这一次："
                "请打印或抄写在纸上，与电脑分开妥善保管。"
            )
        )
        self.key = QLabel()
        self.key.setObjectName("recoveryKey")
        self.key.setAccessibleName(self.tr("恢复密钥"))
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.key, "key")  # monospace, large, framed (caseworker.qss)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton(self.tr("打印恢复密钥…"))
        self.print_button.setObjectName("printRecoveryKey")
        self.print_button.setAccessibleName(self.tr("打印恢复密钥"))
        self.copy_button = QPushButton(self.tr("复制"))
        self.copy_button.setObjectName("copyRecoveryKey")
        self.copy_button.setAccessibleName(self.tr("复制恢复密钥"))
        self.written = QCheckBox(self.tr("我已抄写或打印恢复密钥，并已妥善保管（&W）"))
        self.written.setObjectName("recoveryKeyWritten")
        self.written.setAccessibleName(self.tr("我已抄写恢复密钥"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.written)
        layout.addStretch(1)
        self.written.toggled.connect(self.completeChanged)
        self.print_button.clicked.connect(self._print)
        self.copy_button.clicked.connect(self._copy)

    def initializePage(self) -> None:
        result = self.admin.result
        self.key.setText(result.recovery_key if result else "")
        # Two lines of four groups: large enough to copy by hand, never clipped.
        groups = self.key.text().split("-")
        self.key.setText("-".join(groups[:4]) + "-\n" + "-".join(groups[4:]) if groups[4:] else "")
        # The centre exists now: cancelling would only hide the key that is never shown again.
        self.wizard().setOption(QWizard.WizardOption.NoCancelButton, True)

    def isComplete(self) -> bool:
        return self.admin.result is not None and self.written.isChecked()

    def recovery_key(self) -> str:
        return self.admin.result.recovery_key if self.admin.result else ""

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key())

    def _print(self) -> None:
        # Imported here: the print support module is only needed on this one page.
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        result = self.admin.result
        centre = result.session.actor.centre_name if result else ""
        document.setPlainText(
            self.tr("社保经办 恢复密钥")
            + f"\n{centre}\n\n{self.recovery_key()}\n\n"
            + self.tr("请与电脑分开妥善保管。")
        )
        document.print_(printer)


class SetupWizard(QWizard):
    """Creates the centre; afterwards ``session`` is the administrator, logged in."""

    def __init__(self, paths: DataPaths, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用 — 设置服务中心"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(720, 460)
        self.centre_page = CentrePage(paths)
        self.admin_page = AdminPage(paths, runner)
        self.key_page = RecoveryKeyPage(self.admin_page)
        for page in (self.centre_page, self.admin_page, self.key_page):
            self.addPage(page)
        # Qt's own button texts follow Qt's catalogue; ours must read the same in Chinese.
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("创建服务中心"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))

    @property
    def session(self) -> OpenSession | None:
        result = self.admin_page.result
        return result.session if result else None

    def reject(self) -> None:
        # Once the centre exists, leaving means keeping it; close only the session.
        if self.admin_page.result is not None and not self.key_page.written.isChecked():
            return  # the recovery key must be acknowledged; it will never be shown again
        super().reject()

"""The administrator's dialog for one operator: add (name, role, agency, first password),
change role and agency, or set a new password. It collects and checks what was typed; the
page runs the service and shows a refusal here, next to the field it names."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.actor import CONTRACTOR_ROLES, Role
from caseworker.services.operators import OperatorRow
from caseworker.store.keys import password_problem
from caseworker.ui.i18n import is_english
from caseworker.ui.widgets.common import error_label, named_line


class Mode(StrEnum):
    ADD = "add"
    ROLE = "role"
    PASSWORD = "password"


@dataclass(frozen=True)
class OperatorInput:
    username: str
    display_name: str | None
    role: Role
    agency: str | None
    password: str


class OperatorDialog(QDialog):
    def __init__(
        self,
        mode: Mode,
        *,
        operator: OperatorRow | None = None,
        agencies: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setObjectName("operatorDialog")
        titles = {
            Mode.ADD: self.tr("新增操作员"),
            Mode.ROLE: self.tr("修改角色和所属机构"),
            Mode.PASSWORD: self.tr("重置密码"),
        }
        self.setWindowTitle(titles[mode])
        self.setMinimumWidth(440)
        self.username = named_line("operatorUsername", self.tr("用户名"))
        self.display_name = named_line("operatorDisplayName", self.tr("姓名"))
        self.role = QComboBox()
        self.role.setObjectName("operatorRole")
        self.role.setAccessibleName(self.tr("角色"))
        for role, label in (
            (Role.CLERK, self.tr("经办员")),
            (Role.SUPERVISOR, self.tr("审核员")),
            (Role.ADMIN, self.tr("管理员")),
        ):
            self.role.addItem(label, role.value)
        self.agency = QComboBox()
        self.agency.setObjectName("operatorAgency")
        self.agency.setAccessibleName(self.tr("所属机构"))
        self.agency.setEditable(True)
        self.agency.addItem(self.tr("本中心"), None)
        for name in agencies or []:
            self.agency.addItem(name, name)
        self.agency.lineEdit().setPlaceholderText(self.tr("本中心，或外包机构名称"))
        self.password = named_line("operatorPassword", self.tr("密码"), secret=True)
        self.confirm = named_line("operatorPasswordAgain", self.tr("再次输入密码"), secret=True)
        self.note = QLabel()
        self.note.setObjectName("operatorNote")
        self.note.setWordWrap(True)
        self.error = error_label("operatorError")

        form = QFormLayout()
        if mode is Mode.ADD:
            form.addRow(self.tr("用户名"), self.username)
            form.addRow(self.tr("姓名"), self.display_name)
        if mode in (Mode.ADD, Mode.ROLE):
            form.addRow(self.tr("角色"), self.role)
            form.addRow(self.tr("所属机构"), self.agency)
            self.note.setText(
                self.tr("外包机构的人员只能担任经办员；审核、作废和管理由本中心人员负责。")
            )
        if mode in (Mode.ADD, Mode.PASSWORD):
            form.addRow(self.tr("密码") if mode is Mode.ADD else self.tr("新密码"), self.password)
            form.addRow(self.tr("再次输入"), self.confirm)
        if mode is Mode.PASSWORD:
            self.note.setText(
                self.tr(
                    "重置密码后该操作员会得到新的签名密钥：以前的记录仍用旧公钥核验，"
                    "旧密码（包括备份的密钥文件）不再能签署新记录。"
                )
            )
        if operator is not None:
            self.username.setText(operator.username)
            self.username.setReadOnly(True)
            self.role.setCurrentIndex(max(0, self.role.findData(operator.role.value)))
            if operator.agency:
                found = self.agency.findData(operator.agency)
                if found < 0:
                    self.agency.addItem(operator.agency, operator.agency)
                    found = self.agency.count() - 1
                self.agency.setCurrentIndex(found)
            who = QLabel(f"{operator.display_name}（{operator.username}）")
            who.setObjectName("operatorWho")
            form.insertRow(0, self.tr("操作员"), who)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        first = {Mode.ADD: self.username, Mode.ROLE: self.role, Mode.PASSWORD: self.password}
        first[mode].setFocus()

    def chosen_agency(self) -> str | None:
        text = self.agency.currentText().strip()
        if not text or text == self.agency.itemText(0):
            return None  # 本中心 / the centre itself
        return text

    def value(self) -> OperatorInput:
        return OperatorInput(
            self.username.text().strip(),
            self.display_name.text().strip() or None,
            Role(self.role.currentData()),
            self.chosen_agency(),
            self.password.text(),
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ok_button.setEnabled(True)

    def check_and_accept(self) -> None:
        """What can be checked here is, before any argon2 or database work."""
        problem = self._problem()
        if problem:
            self.show_error(problem)
            return
        self.accept()

    def _problem(self) -> str | None:
        if self.mode is Mode.ADD and not self.username.text().strip():
            return self.tr("请填写用户名（登录时输入的名字）。")
        contractor = self.chosen_agency() is not None
        if (
            self.mode is not Mode.PASSWORD
            and contractor
            and self.value().role not in CONTRACTOR_ROLES
        ):
            return self.tr(
                "外包机构的人员只能担任经办员：请把角色改为“经办员”，或把机构改为“本中心”。"
            )
        if self.mode in (Mode.ADD, Mode.PASSWORD):
            if self.password.text() != self.confirm.text():
                return self.tr("两次输入的密码不一致，请重新输入。")
            problem = password_problem(self.password.text(), self.username.text())
            if problem:  # the key file's policy words are Chinese; the rule in either language
                return (
                    self.tr("密码至少8个字符，不能全是同一个字符，也不能与用户名相同。")
                    if is_english()
                    else problem
                )
        return None

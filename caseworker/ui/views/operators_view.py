"""Operator management (administrators): who may log in, with which role, for which agency,
when they last logged in and whether repeated failures hold them. Add, change role and
agency, reset a password, disable — each through the services on the runner, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession, add_operator
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.login_guard import Clock, utc_now
from caseworker.services.operators import (
    OperatorRow,
    change_role,
    disable_operator,
    list_operators,
    reset_password,
)
from caseworker.store.keys import KeyFileError
from caseworker.ui.dialogs.operator_dialog import Mode, OperatorDialog, OperatorInput
from caseworker.ui.i18n import message_for
from caseworker.ui.models.labels import role_label
from caseworker.ui.models.table import Column, RecordTableModel
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskRunner

REFUSALS = (ServiceError, KeyFileError)


def _when(row: OperatorRow) -> str:
    return row.last_login.astimezone().strftime("%Y-%m-%d %H:%M") if row.last_login else "—"


class OperatorsPage(QWidget):
    changed = Signal()  # an operator was added or changed; the list is read again
    loaded = Signal()

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        *,
        clock: Clock = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("operatorsView")
        self.session = session
        self.runner = runner
        self.clock = clock
        self.dialog: OperatorDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.allowed = session.actor.may(Permission.MANAGE_OPERATORS)
        centre, active, disabled = self.tr("本中心"), self.tr("启用"), self.tr("已停用")
        self.model = RecordTableModel(
            [
                Column(self.tr("用户名"), lambda r: r.username),
                Column(self.tr("姓名"), lambda r: r.display_name),
                Column(self.tr("角色"), lambda r: role_label(r.role)),
                Column(self.tr("所属机构"), lambda r: r.agency or centre),
                Column(self.tr("状态"), lambda r: active if r.active else disabled),
                Column(self.tr("最后登录"), _when),
                Column(self.tr("登录锁定"), self._lock_text),
            ],
            self,
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RecordTableModel.SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("operatorsTable")
        self.table.setAccessibleName(self.tr("操作员列表"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        self.notice = QLabel()
        self.notice.setObjectName("operatorsNotice")
        self.notice.setWordWrap(True)
        self.add_button = self._button("addOperator", self.tr("新增操作员"), "Ctrl+Shift+A")
        self.role_button = self._button("changeRole", self.tr("修改角色/机构"), "Ctrl+R")
        self.password_button = self._button("resetPassword", self.tr("重置密码"), "")
        self.disable_button = self._button("disableOperator", self.tr("停用"), "")
        self.add_button.clicked.connect(self.add)
        self.role_button.clicked.connect(self.change_role)
        self.password_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.password_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.disable_button)
        title = QLabel(self.tr("操作员管理"))
        set_role(title, "heading")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        if not self.allowed:
            # Hidden, not just disabled: nothing here is this operator's to do.
            self.table.hide()
            for button in self._buttons():
                button.hide()
            self.notice.setText(self.tr("只有管理员可以管理操作员。"))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    def _button(self, name: str, text: str, keys: str) -> QPushButton:
        button = QPushButton(f"{text}（{keys}）" if keys else text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        if keys:
            button.setShortcut(QKeySequence(keys))
        return button

    def _buttons(self) -> list[QPushButton]:
        return [self.add_button, self.role_button, self.password_button, self.disable_button]

    def _lock_text(self, row: OperatorRow) -> str:
        if row.locked_until is not None:
            return (
                self.tr("连续失败 %1 次，锁定至 %2")
                .replace("%1", str(row.failures_in_a_row))
                .replace("%2", row.locked_until.astimezone().strftime("%H:%M:%S"))
            )
        if row.failures_in_a_row:
            return self.tr("连续失败 %1 次").replace("%1", str(row.failures_in_a_row))
        return "—"

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.allowed:
            return
        session, now = self.session, self.clock()
        self.runner.submit(
            lambda control: list_operators(session, now),
            on_success=self._listed,
            on_failure=self._refused,
        )

    def _listed(self, rows: list[OperatorRow]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.username)
        self._enable()
        self.loaded.emit()

    def selected(self) -> OperatorRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.data(rows[0], RecordTableModel.ROW_ROLE)

    def select(self, username: str) -> None:
        for position in range(self.proxy.rowCount()):
            row = self.proxy.data(self.proxy.index(position, 0), RecordTableModel.ROW_ROLE)
            if row.username == username:
                self.table.selectRow(position)
                return

    def _enable(self) -> None:
        row = self.selected()
        own = row is not None and row.username == self.session.actor.username
        usable = row is not None and row.active and not own
        self.role_button.setEnabled(usable)
        self.password_button.setEnabled(usable)
        self.disable_button.setEnabled(usable)

    def _agencies(self) -> list[str]:
        return sorted({row.agency for row in self.model.rows if row.agency})

    # -- changing -----------------------------------------------------------------------------

    def add(self) -> None:
        self._open(Mode.ADD, None, self._add)

    def change_role(self) -> None:
        row = self.selected()
        if row is not None and self.role_button.isEnabled():
            self._open(Mode.ROLE, row, self._change_role)

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None and self.password_button.isEnabled():
            self._open(Mode.PASSWORD, row, self._reset_password)

    def _open(
        self, mode: Mode, row: OperatorRow | None, run: Callable[[OperatorInput], Any]
    ) -> None:
        dialog = OperatorDialog(mode, operator=row, agencies=self._agencies(), parent=self)
        # The dialog checks what it can; the service's answer comes back into it.
        dialog.accepted.connect(lambda: self._submit(dialog, run))
        self.dialog = dialog
        dialog.open()

    def _submit(self, dialog: OperatorDialog, run: Callable[[OperatorInput], Any]) -> None:
        value = dialog.value()
        dialog.ok_button.setEnabled(False)
        self.runner.submit(
            lambda control: run(value),
            lane="write",
            on_success=lambda _r: self._done(value.username),
            on_failure=lambda error: self._dialog_refused(dialog, error),
        )

    def _add(self, value: OperatorInput) -> None:
        add_operator(
            self.session,
            username=value.username,
            password=value.password,
            role=value.role,
            display_name=value.display_name,
            agency=value.agency,
        )

    def _change_role(self, value: OperatorInput) -> None:
        change_role(self.session, value.username, role=value.role, agency=value.agency)

    def _reset_password(self, value: OperatorInput) -> None:
        reset_password(self.session, username=value.username, new_password=value.password)

    def disable(self) -> None:
        row = self.selected()
        if row is None or not self.disable_button.isEnabled():
            return
        box = QMessageBox(self)
        box.setObjectName("confirmDisable")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("停用操作员"))
        box.setText(
            self.tr(
                "停用“%1”？停用后该操作员不能再登录，其密钥槽和签名密钥从密钥文件中删除；"
            ).replace("%1", f"{row.display_name}（{row.username}）")
            + self.tr("其以前的记录仍可核验。")
        )
        go = box.addButton(self.tr("停用"), QMessageBox.ButtonRole.DestructiveRole)
        go.setObjectName("disableConfirmed")
        keep = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        session, username = self.session, row.username
        box.buttonClicked.connect(
            lambda button: (
                button is go
                and self.runner.submit(
                    lambda control: disable_operator(session, username),
                    lane="write",
                    on_success=lambda _r: self._done(username),
                    on_failure=self._refused,
                )
            )
        )
        self.confirm_box = box
        box.open()

    def _done(self, username: str) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self.notice.setText("")
        self.changed.emit()
        self.refresh()
        self.select(username)

    def _dialog_refused(self, dialog: OperatorDialog, error: BaseException) -> None:
        if not isinstance(error, REFUSALS):
            raise error
        if isinstance(error, ValidationFailed):
            text = "\n".join(message_for(e) for e in error.errors)
        else:
            text = message_for(error)
        dialog.show_error(text)
        dialog.open()  # back, with everything typed still there

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, REFUSALS):
            raise error
        self.notice.setText(message_for(error))

"""The base declaration table: one row per employee, last year's wage editable, the base, the
reason for any clamping and the monthly amounts as the service computed them."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, parse_yuan
from caseworker.services.base_declaration import Declaration, DeclarationRow
from caseworker.ui.i18n import in_language
from caseworker.ui.models.table import ROW_ROLE
from caseworker.ui.style import colour

Index = QModelIndex | QPersistentModelIndex


class DeclarationModel(QAbstractTableModel):
    NAME, ID, CURRENT, WAGE, BASE, REASON, EMPLOYER, EMPLOYEE = range(8)
    wages_changed = Signal()
    wage_rejected = Signal(str)  # the message for a wage that is not an amount

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DeclarationRow] = []
        self.wages: dict[uuid.UUID, int] = {}
        self.headers = [
            QCoreApplication.translate("DeclarationColumns", "姓名"),
            QCoreApplication.translate("DeclarationColumns", "身份证号码"),
            QCoreApplication.translate("DeclarationColumns", "现缴费基数"),
            QCoreApplication.translate("DeclarationColumns", "上年月平均工资（元）"),
            QCoreApplication.translate("DeclarationColumns", "申报基数"),
            QCoreApplication.translate("DeclarationColumns", "核定说明"),
            QCoreApplication.translate("DeclarationColumns", "单位月缴"),
            QCoreApplication.translate("DeclarationColumns", "个人月缴"),
        ]

    def set_declaration(self, declaration: Declaration) -> None:
        self.beginResetModel()
        self.rows = list(declaration.rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.WAGE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _text(self, row: DeclarationRow, column: int) -> str:
        clamped = row.clamped
        if column == self.NAME:
            return row.name
        if column == self.ID:
            return row.masked_id_number
        if column == self.CURRENT:
            return format_yuan(row.current_base_fen)
        if column == self.WAGE:
            wage = self.wages.get(row.employment_id)
            return format_yuan(wage) if wage is not None else ""
        if clamped is None:
            return ""
        if column == self.BASE:
            return format_yuan(clamped.base_fen)
        if column == self.REASON:
            return in_language(clamped.reason_zh, clamped.reason_en)
        if column == self.EMPLOYER:
            return format_yuan(row.employer_fen)
        return format_yuan(row.employee_fen)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() not in (
            self.NAME,
            self.ID,
            self.REASON,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        clamped = row.clamped is not None and row.clamped.clamp is not None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.REASON and clamped:
            # A base moved to a limit stands out; the reason column says so in words.
            return QColor(colour("warning"))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.WAGE or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        text = str(value or "").strip()
        if not text:
            self.wages.pop(row.employment_id, None)
        else:
            try:
                self.wages[row.employment_id] = parse_yuan(text)
            except InvalidValue as error:
                self.wage_rejected.emit(error.message)
                return False
        self.dataChanged.emit(index, index)
        self.wages_changed.emit()
        return True

"""The main window as the foundation ships it: registry search and who is logged in.

The front-desk issue grows this into the full app (navigation, enrolment form, person view).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from caseworker.domain.codes import load_code_table
from caseworker.services.actor import ROLE_LABELS
from caseworker.services.centre import OpenSession
from caseworker.services.records import PersonSummary
from caseworker.services.registry import search
from caseworker.store.models import OutboxEntry

AnyIndex = QModelIndex | QPersistentModelIndex


class PersonTableModel(QAbstractTableModel):
    COLUMNS = ("身份证号", "姓名", "性别", "年龄", "参保险种")
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PersonSummary] = []
        self.today = date.today()
        self.schemes = load_code_table("scheme")

    def set_rows(self, rows: list[PersonSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self.rows[index.row()]
        if role == self.ROW_ROLE:
            return person
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            person.masked_id_number,
            person.name,
            {"1": "男", "2": "女"}.get(person.sex, ""),
            str(person.age(self.today)),
            "、".join(self.schemes.get(s).extra.get("short_zh", s) for s in person.schemes),
        )[index.column()]


class MainWindow(QMainWindow):
    def __init__(self, session: OpenSession) -> None:
        super().__init__()
        self.session = session
        actor = session.actor
        role = ROLE_LABELS[actor.role]
        self.setWindowTitle(f"社保经办 — {actor.centre_name} — {actor.display_name}（{role}）")
        self.resize(1000, 640)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName(self.tr("查找人员"))
        self.search_box.setPlaceholderText(self.tr("身份证号或后4–6位、姓名、拼音或首字母、手机号"))
        self.search_box.textChanged.connect(self.run_search)
        self.hint = QLabel()
        self.hint.setObjectName("searchHint")
        self.model = PersonTableModel()
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setAccessibleName(self.tr("查找结果"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.search_box)
        layout.addWidget(self.hint)
        layout.addWidget(self.table)
        self.setCentralWidget(body)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.statusBar().addPermanentWidget(self.status_label)
        self.refresh_status()
        self.search_box.setFocus()

    def pending_uploads(self) -> int:
        with self.session.database.reading() as db:
            statement = select(func.count()).where(OutboxEntry.sync_state == "pending")
            return int(db.scalar(statement.select_from(OutboxEntry)) or 0)

    def refresh_status(self) -> None:
        actor = self.session.actor
        self.status_label.setText(
            f"{actor.centre_name}（{actor.centre_code}） | {actor.display_name} "
            f"{ROLE_LABELS[actor.role]} | 待上传 {self.pending_uploads()} 条"
        )

    def run_search(self, text: str) -> None:
        found = search(self.session.database, text, limit=200) if text.strip() else []
        self.model.set_rows(found)
        self.hint.setText(self.tr("找到 %n 人", "", len(found)) if text.strip() else "")

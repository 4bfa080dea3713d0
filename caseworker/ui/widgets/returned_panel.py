"""On the clerk's front page: the changes a supervisor sent back, with the comment.

Enter (or a double click) on one opens the person, to correct it; the saved correction goes
to review again and the entry leaves this list. Loaded on the read lane; hidden when empty.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from caseworker.services import review
from caseworker.services.centre import OpenSession
from caseworker.services.review import ReviewItem
from caseworker.ui.models.review import item_detail, kind_label
from caseworker.ui.style import set_banner, set_role
from caseworker.ui.tasks import TaskRunner


class ReturnedPanel(QFrame):
    open_person = Signal(object)  # uuid.UUID
    loaded = Signal()

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("returnedPanel")
        set_banner(self, "error")
        self.session = session
        self.runner = runner
        self.items: list[ReviewItem] = []
        self.title = QLabel()
        self.title.setObjectName("returnedTitle")
        set_role(self.title, "strong")
        self.list = QListWidget()
        self.list.setObjectName("returnedList")
        self.list.setAccessibleName(self.tr("退回待更正"))
        self.title.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._activated)
        self.hide()

    def refresh(self) -> None:
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda control: review.returned_to(database, actor),
            on_success=self.show_items,
            on_failure=lambda _error: self.loaded.emit(),
        )

    def show_items(self, items: list[ReviewItem]) -> None:
        """The list as read (by ``refresh``, or with the main window's front-page figures)."""
        self.items = items
        self.list.clear()
        for item in items:
            what = " ".join(part for part in (kind_label(item), item_detail(item)) if part)
            text = (
                self.tr("%1 · %2 — 意见：%3（%4 退回）")
                .replace("%1", item.subject or "—")
                .replace("%2", what)
                .replace("%3", item.comment or "")
                .replace("%4", item.reviewed_by)
            )
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, item.person_id)
            row.setToolTip(self.tr("回车打开该人员进行更正"))
            self.list.addItem(row)
        self.title.setText(
            self.tr("审核员退回 %1 条记录，请打开更正（回车打开，Alt+T 到此列表）(&T)").replace(
                "%1", str(len(items))
            )
        )
        if items:  # as tall as its rows (up to four), not a block of empty space
            rows = min(len(items), 4) * max(self.list.sizeHintForRow(0), 1)
            self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)
        self.setVisible(bool(items))
        self.loaded.emit()

    def _activated(self, row: QListWidgetItem) -> None:
        person_id = row.data(Qt.ItemDataRole.UserRole)
        if isinstance(person_id, uuid.UUID):
            self.open_person.emit(person_id)

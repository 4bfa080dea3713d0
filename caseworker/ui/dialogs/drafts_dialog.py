"""The drafts offered back after login: what a crash, a closed window or the idle lock left
of this operator's unsaved enrolment forms — restore one, discard, or decide later."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.ui.drafts import DraftInfo
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.widgets.common import add_dialog_buttons
from caseworker.ui.widgets.enrolment_drafts import EnrolmentDrafts

SUMMARY, SAVED_AT = range(2)


class DraftsDialog(QDialog):
    restore_requested = Signal(object)  # the draft id

    def __init__(
        self, session: OpenSession, drafts: list[DraftInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("draftsDialog")
        self.session = session
        self.drafts = list(drafts)
        self.setWindowTitle(self.tr("未保存的登记表"))
        fit_to_screen(self, QSize(560, 320))
        intro = QLabel(
            self.tr("上次未保存的登记表（程序异常退出、关闭窗口或自动锁定时留下）：")
            + "\n"
            + self.tr("选择一份恢复继续填写，或丢弃；以后再说则下次登录时再提示。")
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("draftsTable")
        self.table.setAccessibleName(self.tr("草稿列表"))
        self.table.setHorizontalHeaderLabels([self.tr("姓名与证件号"), self.tr("保存时间")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SAVED_AT, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.restore())
        self.restore_button = QPushButton(self.tr("恢复"))
        self.restore_button.setObjectName("restoreDraft")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button = QPushButton(self.tr("丢弃"))
        self.discard_button.setObjectName("discardDraft")
        self.discard_button.setShortcut(Qt.Key.Key_Delete)
        self.discard_button.clicked.connect(self.discard)
        later = QPushButton(self.tr("以后再说"))
        later.setObjectName("draftsLater")
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        add_dialog_buttons(
            layout, confirm=self.restore_button, dismiss=later, destructive=(self.discard_button,)
        )
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.drafts))
        for row, draft in enumerate(self.drafts):
            saved = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for column, text in ((SUMMARY, draft.summary), (SAVED_AT, saved)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(draft.draft_id))
                self.table.setItem(row, column, item)
        if self.drafts:
            self.table.selectRow(0)
        self.table.setFocus()

    def selected(self) -> DraftInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.drafts[rows[0].row()] if rows else None

    def restore(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        self.accept()
        self.restore_requested.emit(draft.draft_id)

    def discard(self) -> None:
        draft = self.selected()
        if draft is None:
            return
        EnrolmentDrafts.discard_draft(self.session, draft.draft_id)
        self.drafts.remove(draft)
        if not self.drafts:
            self.accept()
            return
        self._fill()

    def draft_ids(self) -> list[uuid.UUID]:
        return [draft.draft_id for draft in self.drafts]

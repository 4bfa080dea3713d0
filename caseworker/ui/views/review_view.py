"""审核: the supervisor's end-of-day page — the day's changes by operator to approve or send
back, and each operator's daily close (日结).

Everything is read and written on the runner; the page holds no database. Clerks never get
this page's controls (the main window also disables its entry for them).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.services import day_close, review
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.day_close import OperatorDay
from caseworker.services.review import ReviewItem
from caseworker.ui.i18n import message_for
from caseworker.ui.models.review import CloseDaysModel, ReviewModel
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, record_table

UNDECIDED = ("unreviewed", "returned", "corrected")


def may_review(session: OpenSession) -> bool:
    return session.actor.may(Permission.REVIEW) or session.actor.may(Permission.CLOSE_DAY)


class ReviewPage(QWidget):
    loaded = Signal()  # both lists (re)loaded
    changed = Signal()  # an approval, a send-back or a close was written

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_review")
        self.session = session
        self.runner = runner
        self.close_dialog: object = None
        self._waiting = 0
        self._generation = 0
        layout = QVBoxLayout(self)
        if not may_review(session):
            notice = QLabel(self.tr("审核与日结仅限审核员和管理员使用。"))
            notice.setObjectName("reviewNotAllowed")
            layout.addWidget(notice)
            layout.addStretch(1)
            self.allowed = False
            return
        self.allowed = True

        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("reviewDay")
        self.day.setAccessibleName(self.tr("业务日期"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.operator = QComboBox()
        self.operator.setObjectName("reviewOperator")
        self.operator.setAccessibleName(self.tr("经办人"))
        self.operator.addItem(self.tr("全部经办人"), None)
        day_label = QLabel(self.tr("日期(&D)"))
        day_label.setBuddy(self.day)
        operator_label = QLabel(self.tr("经办人(&O)"))
        operator_label.setBuddy(self.operator)
        self.banner = Banner("reviewBanner")
        bar = QHBoxLayout()
        for widget in (day_label, self.day, operator_label, self.operator):
            bar.addWidget(widget)
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        bar.addWidget(self.summary, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self._review_tab(), self.tr("审核记录"))
        self.tabs.addTab(self._close_tab(), self.tr("日结"))
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.table)

        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.operator.currentIndexChanged.connect(lambda _i: self.refresh())
        database = session.database
        runner.submit(lambda control: review.operators(database), on_success=self._operators)

    # -- building ---------------------------------------------------------------------------

    def _button(self, name: str, text: str, keys: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setToolTip(keys)
        button.setShortcut(QKeySequence(keys))
        button.clicked.connect(slot)
        return button

    def _review_tab(self) -> QWidget:
        self.model = ReviewModel(self)
        self.table = record_table("reviewItems", self.tr("当日变更"), self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.approve_button = self._button(
            "approveSelected", self.tr("通过所选 (Ctrl+Shift+A)"), "Ctrl+Shift+A", self.approve
        )
        self.select_all_button = self._button(
            "selectUndecided", self.tr("选中全部待审"), "Ctrl+Shift+U", self.select_undecided
        )
        self.comment = QLineEdit()
        self.comment.setObjectName("returnComment")
        self.comment.setAccessibleName(self.tr("退回意见"))
        self.comment.setPlaceholderText(self.tr("退回意见（退回时必填）"))
        self.comment.setMaxLength(200)
        self.return_button = self._button(
            "sendBack", self.tr("退回所选 (Ctrl+Shift+B)"), "Ctrl+Shift+B", self.send_back
        )
        self.comment.returnPressed.connect(self.send_back)
        comment_label = QLabel(self.tr("意见(&M)"))
        comment_label.setBuddy(self.comment)
        row = QHBoxLayout()
        for widget in (self.select_all_button, self.approve_button, comment_label):
            row.addWidget(widget)
        row.addWidget(self.comment, 1)
        row.addWidget(self.return_button)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addWidget(self.table, 1)
        allowed = self.session.actor.may(Permission.REVIEW)
        for widget in (self.approve_button, self.return_button, self.comment):
            widget.setEnabled(allowed)
        return tab

    def _close_tab(self) -> QWidget:
        self.close_model = CloseDaysModel(self)
        self.close_table = record_table("closeDays", self.tr("各收款人当日收款"), self.close_model)
        self.close_button = self._button(
            "closeDay", self.tr("日结… (Ctrl+Shift+J)"), "Ctrl+Shift+J", self.close_selected
        )
        self.reopen_reason = QLineEdit()
        self.reopen_reason.setObjectName("reopenReason")
        self.reopen_reason.setAccessibleName(self.tr("撤销日结原因"))
        self.reopen_reason.setPlaceholderText(self.tr("撤销原因（撤销时必填）"))
        self.reopen_button = self._button(
            "reopenDay", self.tr("撤销日结"), "Ctrl+Shift+K", self.reopen_selected
        )
        self.report_button = self._button(
            "closeDailyReport", self.tr("日报表"), "Ctrl+Shift+D", self.daily_report
        )
        reason_label = QLabel(self.tr("原因(&R)"))
        reason_label.setBuddy(self.reopen_reason)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addWidget(self.report_button)
        row.addWidget(reason_label)
        row.addWidget(self.reopen_reason, 1)
        row.addWidget(self.reopen_button)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addWidget(self.close_table, 1)
        allowed = self.session.actor.may(Permission.CLOSE_DAY)
        for widget in (self.close_button, self.reopen_button, self.reopen_reason):
            widget.setEnabled(allowed)
        return tab

    def _operators(self, rows: list[tuple[uuid.UUID, str]]) -> None:
        self.operator.blockSignals(True)
        for operator_id, name in rows:
            self.operator.addItem(name, operator_id)
        self.operator.blockSignals(False)

    # -- loading ----------------------------------------------------------------------------

    def show_close_of(self, day: date) -> None:
        """The 日结 tab on ``day`` (今日's days not closed lead here)."""
        if not self.allowed:
            return
        self.tabs.setCurrentIndex(1)
        if self.chosen_day() != day:
            self.day.setDate(QDate(day.year, day.month, day.day))  # reads again

    def chosen_day(self) -> date:
        return self.day.date().toPython()  # type: ignore[no-any-return]

    def refresh(self) -> None:
        if not self.allowed:
            return
        database, actor = self.session.database, self.session.actor
        day, operator_id = self.chosen_day(), self.operator.currentData()
        # A newer refresh supersedes answers still on their way: ``loaded`` says the lists show
        # what the latest one asked for, never an earlier day or operator.
        self._generation += 1
        generation = self._generation
        self._waiting = 0

        def latest(show: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda result: show(result) if generation == self._generation else None

        if actor.may(Permission.REVIEW):
            self._waiting += 1
            self.runner.submit(
                lambda control: review.review_items(database, actor, day, operator_id),
                on_success=latest(self._show_items),
                on_failure=latest(self._show_error),
            )
        if actor.may(Permission.CLOSE_DAY):
            self._waiting += 1
            self.runner.submit(
                lambda control: day_close.day_overview(database, actor, day),
                on_success=latest(self._show_days),
                on_failure=latest(self._show_error),
            )

    def _done_one(self) -> None:
        self._waiting -= 1
        if self._waiting <= 0:
            self.loaded.emit()

    def _show_items(self, items: list[ReviewItem]) -> None:
        self.model.set_rows(items)
        undecided = sum(1 for i in items if i.state in UNDECIDED)
        self.summary.setText(
            self.tr("共 %1 条变更，待审 %2 条。")
            .replace("%1", str(len(items)))
            .replace("%2", str(undecided))
        )
        self._done_one()

    def _show_days(self, rows: list[OperatorDay]) -> None:
        chosen = self.operator.currentData()
        self.close_model.set_rows(
            [r for r in rows if chosen is None or r.totals.operator_id == chosen]
        )
        if self.close_model.rows and not self.close_table.selectionModel().hasSelection():
            self.close_table.selectRow(0)
        self._done_one()

    def _show_error(self, error: BaseException) -> None:
        self.banner.show_message(message_for(error), "error")
        self._done_one()

    # -- review -----------------------------------------------------------------------------

    def selected_items(self) -> list[ReviewItem]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row(r) for r in rows]

    def select_undecided(self) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for position, item in enumerate(self.model.rows):
            if item.state in UNDECIDED:
                self.table.selectRow(position)
        self.table.setSelectionMode(mode)
        self.table.setFocus()

    def approve(self) -> None:
        seqs = [i.seq for i in self.selected_items() if i.state in UNDECIDED]
        if not seqs:
            self.banner.show_message(self.tr("请先选中待审核的记录。"), "warning")
            return
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda control: review.approve(database, actor, seqs),
            lane="write",
            on_success=lambda n: self._written(self.tr("已通过 %1 条。").replace("%1", str(n))),
            on_failure=self._show_error_only,
        )

    def send_back(self) -> None:
        items = [i for i in self.selected_items() if i.actionable]
        if len(items) != 1:
            self.banner.show_message(self.tr("请选中一条要退回的记录。"), "warning")
            return
        comment = self.comment.text()
        database, actor, seq = self.session.database, self.session.actor, items[0].seq
        self.runner.submit(
            lambda control: review.send_back(database, actor, seq, comment),
            lane="write",
            on_success=lambda _r: self._returned(items[0]),
            on_failure=self._show_error_only,
        )

    def _returned(self, item: ReviewItem) -> None:
        self.comment.clear()
        self._written(
            self.tr("已退回给%1：%2").replace("%1", item.operator_name).replace("%2", item.subject)
        )

    def _written(self, text: str) -> None:
        self.banner.show_message(text, "success")
        self.changed.emit()
        self.refresh()

    def _show_error_only(self, error: BaseException) -> None:
        self.banner.show_message(message_for(error), "error")

    # -- daily close ------------------------------------------------------------------------

    def selected_day(self) -> OperatorDay | None:
        rows = self.close_table.selectionModel().selectedRows()
        return self.close_model.row(rows[0].row()) if rows else None

    def close_selected(self) -> None:
        chosen = self.selected_day()
        if chosen is None:
            self.banner.show_message(self.tr("当日没有需要日结的收款人。"), "warning")
            return
        if chosen.close is not None:
            self.banner.show_message(
                self.tr("%1 的当日已日结；如需更正，请先写明原因撤销日结。").replace(
                    "%1", chosen.totals.operator_name
                ),
                "warning",
            )
            return
        # The figures again, fresh: a payment may have landed since the list was read.
        database, actor, day = self.session.database, self.session.actor, self.chosen_day()
        operator_id = chosen.totals.operator_id
        self.runner.submit(
            lambda control: day_close.day_overview(database, actor, day),
            on_success=lambda rows: self._open_close_dialog(rows, operator_id),
            on_failure=self._show_error_only,
        )

    def _open_close_dialog(self, rows: list[OperatorDay], operator_id: uuid.UUID) -> None:
        from caseworker.ui.dialogs.day_close_dialog import DayCloseDialog

        fresh = next((r for r in rows if r.totals.operator_id == operator_id), None)
        if fresh is None:
            return
        dialog = DayCloseDialog(self.session, self.runner, fresh.totals, self)
        dialog.accepted.connect(
            lambda: self._written(
                self.tr("%1 的 %2 已日结。")
                .replace("%1", fresh.totals.operator_name)
                .replace("%2", fresh.totals.day.isoformat())
            )
        )
        self.close_dialog = dialog
        dialog.open()

    def reopen_selected(self) -> None:
        chosen = self.selected_day()
        if chosen is None or chosen.close is None:
            self.banner.show_message(self.tr("请选中一个已日结的收款人。"), "warning")
            return
        reason = self.reopen_reason.text()
        database, actor, day = self.session.database, self.session.actor, self.chosen_day()
        operator_id = chosen.totals.operator_id
        self.runner.submit(
            lambda control: day_close.reopen_day(
                database, actor, operator_id=operator_id, day=day, reason=reason
            ),
            lane="write",
            on_success=lambda _r: self._reopened(),
            on_failure=self._show_error_only,
        )

    def _reopened(self) -> None:
        self.reopen_reason.clear()
        self._written(self.tr("已撤销日结。"))

    def daily_report(self) -> None:
        from caseworker.ui.printing import preview_daily_report

        preview_daily_report(self, self.session, self.chosen_day(), self.runner)

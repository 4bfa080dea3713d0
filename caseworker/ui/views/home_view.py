"""今日: the first screen after login — the day's work at a glance and what needs attention.

The figures are the main window's one reading (``services.home.home_figures``: at launch,
after each save, on F5, every minute and when this page is shown); the drafts come from the
draft folder (``ui.drafts``) on the runner. Every item says where it leads and goes there on
a click or its key (Alt+1…); the search stays Ctrl+F, as everywhere.

Kept light: the page is the launch's landing page, so it imports no other page's module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.money import format_yuan
from caseworker.services.centre import OpenSession
from caseworker.services.worklists import KINDS
from caseworker.ui.drafts import DraftInfo, enrolment_drafts_of
from caseworker.ui.i18n import in_language
from caseworker.ui.icons import icon, status_icon
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import scrolling

if TYPE_CHECKING:
    from caseworker.services.home import DayWork, HomeFigures

# At most this many attention items get a key of their own (Alt+1 …).
KEYED_ITEMS = 9


class HomePage(QWidget):
    # Where an item leads, for the main window to go there.
    page_requested = Signal(str)  # a page's name
    worklist_chosen = Signal(str)  # a worklist kind
    close_day_requested = Signal(object)  # the business day (date) to close, on the review page
    drafts_requested = Signal(object)  # list[DraftInfo]: offer them to restore or discard
    search_requested = Signal()
    new_enrolment_requested = Signal()
    loaded = Signal()  # the drafts were read (the figures come from the window)

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_home")
        self.session = session
        self.runner = runner
        self.figures: HomeFigures | None = None
        self.drafts: list[DraftInfo] = []
        self.attention: list[QPushButton] = []
        self._go: list[Callable[[], None]] = []  # where each attention button leads

        self.title = QLabel()
        self.title.setObjectName("homeTitle")
        set_role(self.title, "title")
        self.search_button = self._button("homeSearch", self.tr("查找人员（Ctrl+F）"))
        self.search_button.setIcon(icon("search"))
        self.search_button.clicked.connect(self.search_requested.emit)
        self.new_button = self._button("homeNewEnrolment", self.tr("新参保登记（Ctrl+N）"))
        self.new_button.setIcon(icon("new_enrolment"))
        self.new_button.clicked.connect(self.new_enrolment_requested.emit)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.search_button)
        header.addWidget(self.new_button)

        # The day's work: a row per scope (mine; the centre's for a supervisor).
        self.work_box = QGroupBox(self.tr("今日工作"))
        self.work_box.setObjectName("homeWork")
        self.work_grid = QGridLayout(self.work_box)
        self.work_grid.setHorizontalSpacing(18)
        self.work_empty = QLabel(self.tr("今天还没有办理业务。"))
        self.work_empty.setObjectName("homeWorkEmpty")
        self.work_empty.setWordWrap(True)
        self.work_cells: dict[str, list[QLabel]] = {}

        self.attention_box = QGroupBox(self.tr("需要处理"))
        self.attention_box.setObjectName("homeAttention")
        self.attention_layout = QVBoxLayout(self.attention_box)
        self.attention_calm = QLabel(self.tr("没有需要处理的事项。"))
        self.attention_calm.setObjectName("homeAttentionCalm")
        self.attention_calm.setWordWrap(True)
        self.attention_layout.addWidget(self.attention_calm)

        self.lists_box = QGroupBox(self.tr("工作清单（Ctrl+Shift+L）"))
        self.lists_box.setObjectName("homeWorklists")
        lists = QGridLayout(self.lists_box)
        self.worklist_buttons: dict[str, QPushButton] = {}
        for position, kind in enumerate(KINDS):
            button = self._button(f"homeWorklist_{kind.code}", "")
            button.setToolTip(in_language(kind.counts_zh, kind.counts_en))
            button.clicked.connect(lambda _c=False, code=kind.code: self.worklist_chosen.emit(code))
            self.worklist_buttons[kind.code] = button
            lists.addWidget(button, position // 2, position % 2)

        body = QWidget()
        body.setObjectName("homeBody")
        column = QVBoxLayout(body)
        column.addLayout(header)
        column.addWidget(self.work_box)
        column.addWidget(self.attention_box)
        column.addWidget(self.lists_box)
        column.addStretch(1)
        # A small screen at a large scale scrolls rather than cuts a section off.
        scroll = scrolling("homeScroll", body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setFocusProxy(self.search_button)

        self._show_title()
        self.show_figures(None)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        return button

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """The drafts, read again (the figures are the window's reading)."""
        session = self.session
        self.runner.submit(
            lambda control: enrolment_drafts_of(session),
            on_success=self.show_drafts,
            on_failure=lambda _error: self.loaded.emit(),
        )

    def show_drafts(self, drafts: list[DraftInfo]) -> None:
        self.drafts = drafts
        self._show_attention()
        self.loaded.emit()

    def show_figures(self, figures: HomeFigures | None) -> None:
        """The window's reading (None: not read yet — every figure shows …)."""
        self.figures = figures
        self._show_title()
        self._show_work()
        self._show_attention()
        counts = figures.worklist_counts if figures is not None else {}
        for kind in KINDS:
            shown = counts.get(kind.code)
            text = f"{in_language(kind.short_zh, kind.short_en)}  {'…' if shown is None else shown}"
            button = self.worklist_buttons[kind.code]
            button.setText(text)
            button.setAccessibleName(text)

    def _show_title(self) -> None:
        day = self.figures.day if self.figures is not None else date.today()
        actor = self.session.actor
        weekdays = (
            self.tr("星期一"),
            self.tr("星期二"),
            self.tr("星期三"),
            self.tr("星期四"),
            self.tr("星期五"),
            self.tr("星期六"),
            self.tr("星期日"),
        )
        self.title.setText(
            self.tr("今日 · %1 %2 · %3")
            .replace("%1", day.isoformat())
            .replace("%2", weekdays[day.weekday()])
            .replace("%3", actor.display_name)
        )

    # -- the day's work ---------------------------------------------------------------------

    def _show_work(self) -> None:
        grid = self.work_grid
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None and item.widget() is not self.work_empty:
                item.widget().deleteLater()
        self.work_cells = {}
        figures = self.figures
        headings = (
            "",
            self.tr("参保登记"),
            self.tr("缴费（笔）"),
            self.tr("收据（张）"),
            self.tr("作废"),
            self.tr("现金收取"),
            self.tr("其他方式"),
        )
        for column, text in enumerate(headings):
            heading = QLabel(text)
            heading.setObjectName(f"homeWorkHeading{column}")
            grid.addWidget(heading, 0, column)
        rows: list[tuple[str, str, DayWork | None]] = [("mine", self.tr("本人"), None)]
        if figures is not None:
            rows = [("mine", self.tr("本人"), figures.mine)]
            if figures.centre is not None:
                rows.append(("centre", self.tr("全中心"), figures.centre))
        for row, (scope, title, work) in enumerate(rows, start=1):
            values = (
                ["…"] * 6
                if work is None
                else [
                    str(work.enrolments),
                    str(work.payments),
                    str(work.receipts),
                    str(work.voids),
                    format_yuan(work.cash_fen, symbol=True),
                    format_yuan(work.collected_fen - work.cash_fen, symbol=True),
                ]
            )
            name = QLabel(title)
            grid.addWidget(name, row, 0)
            cells = []
            for column, value in enumerate(values, start=1):
                cell = QLabel(value)
                cell.setObjectName(f"homeWork_{scope}_{column}")
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                set_role(cell, "figure")
                grid.addWidget(cell, row, column)
                cells.append(cell)
            self.work_cells[scope] = cells
        empty = figures is not None and all(w is None or w.empty for _s, _t, w in rows)
        grid.addWidget(self.work_empty, len(rows) + 1, 0, 1, len(headings))
        self.work_empty.setVisible(empty)

    # -- what needs attention -------------------------------------------------------------------

    def _show_attention(self) -> None:
        items = self._attention_items()
        shown = [(b.objectName(), b.accessibleName()) for b in self.attention]
        if shown == [(f"homeAttention_{name}", text) for name, text, _go in items]:
            # Nothing new (the minute's reading): the buttons stay, and a click under way (a
            # key animates one for a moment) is not lost with a button thrown away.
            self._go = [go for _name, _text, go in items]
            return
        for button in self.attention:
            self.attention_layout.removeWidget(button)
            button.deleteLater()
        self.attention = []
        self._go = [go for _name, _text, go in items]
        for name, text, _go in items:
            position = len(self.attention) + 1
            button = self._button(f"homeAttention_{name}", text)
            set_role(button, "item")  # text at the left, as a list reads
            button.setIcon(status_icon("warning"))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if position <= KEYED_ITEMS:
                keys = f"Alt+{position}"
                button.setText(f"{text}\t{keys}")
                button.setShortcut(QKeySequence(keys))
                button.setToolTip(keys)
            # The latest reading's target (a day not closed moves when it is closed).
            button.clicked.connect(lambda _c=False, at=position - 1: self._go[at]())
            self.attention_layout.addWidget(button)
            button.show()  # now, not on the next turn of the loop: its key works at once
            self.attention.append(button)
        self.attention_calm.setVisible(not self.attention and self.figures is not None)

    def _attention_items(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(name, words, where it leads), the most pressing first."""
        figures = self.figures
        items: list[tuple[str, str, Callable[[], None]]] = []
        if figures is None:
            return items
        guard = figures.guardrail
        if guard.level != "ok":
            words = in_language(guard.message, guard.message_en)
            items.append(("guardrail", words, lambda: self.page_requested.emit("sync")))
        if figures.returned:
            items.append(
                (
                    "returned",
                    self.tr("审核员退回 %1 条记录待更正 → 前台").replace(
                        "%1", str(len(figures.returned))
                    ),
                    lambda: self.page_requested.emit("front_desk"),
                )
            )
        if figures.sync_issues:
            items.append(
                (
                    "sync_issues",
                    self.tr("同步队列 %1 条待处理（冲突 %2，被拒 %3）→ 数据同步")
                    .replace("%1", str(figures.sync_issues))
                    .replace("%2", str(figures.sync_conflicts))
                    .replace("%3", str(figures.sync_rejected)),
                    lambda: self.page_requested.emit("sync"),
                )
            )
        if figures.unclosed:
            oldest = figures.unclosed[0]
            items.append(
                (
                    "unclosed",
                    self.tr("%1 个经办日未日结（最早 %2 %3）→ 审核·日结")
                    .replace("%1", str(len(figures.unclosed)))
                    .replace("%2", oldest.day.isoformat())
                    .replace("%3", oldest.operator_name),
                    lambda: self.close_day_requested.emit(oldest.day),
                )
            )
        if self.drafts:
            drafts = list(self.drafts)
            items.append(
                (
                    "drafts",
                    self.tr("%1 份未完成的登记草稿（最近：%2）→ 继续或放弃")
                    .replace("%1", str(len(drafts)))
                    .replace("%2", drafts[0].summary),
                    lambda: self.drafts_requested.emit(drafts),
                )
            )
        return items

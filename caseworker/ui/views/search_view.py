"""The one search box of the front desk, and its results.

Typing restarts a short timer; when it fires, the search runs on the runner's read lane and
returns the matching ids plus the first page of rows. Each search carries a generation
number, and an answer for an older generation (the clerk kept typing) is dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.ids import InvalidIdNumber, parse_id_number
from caseworker.domain.search_keys import complete_id_error, query_plan
from caseworker.services.centre import OpenSession
from caseworker.services.records import PersonSummary
from caseworker.services.registry import SEARCH_ID_LIMIT, search_ids, summaries
from caseworker.ui.i18n import message_for
from caseworker.ui.icons import icon
from caseworker.ui.models.people import PersonResultsModel
from caseworker.ui.models.table import ROW_ROLE
from caseworker.ui.tasks import TaskControl, TaskRunner
from caseworker.ui.widgets.common import set_column_widths, widen_to_contents

DEBOUNCE_MS = 150
RESULT_WIDTHS = (190, 110, 60, 60, 160)  # starting widths; the last column stretches


@dataclass(frozen=True)
class SearchOutcome:
    generation: int
    text: str
    ids: list[uuid.UUID]
    first_page: list[PersonSummary]
    too_short: bool
    unknown_valid_id: str | None  # a complete, valid ID number nobody here has
    # A complete ID number that cannot exist (wrong check character…): why nobody was found.
    impossible_id: InvalidIdNumber | None = None


def run_search(
    session: OpenSession, generation: int, text: str, control: TaskControl
) -> SearchOutcome:
    """The background half of a search (read lane): ids, then the first page of rows."""
    plan = query_plan(text)
    if plan.is_empty:
        return SearchOutcome(generation, text, [], [], plan.reason == "too_short", None)
    ids = search_ids(session.database, text)
    control.check()
    first_page = summaries(session.database, ids[: PersonResultsModel.PAGE])
    unknown = impossible = None
    if not ids and plan.id_exact:
        impossible = complete_id_error(text)
        unknown = None if impossible else parse_id_number(text).number
    return SearchOutcome(generation, text, ids, first_page, False, unknown, impossible)


class _ResultsTable(QTableView):
    """Enter opens the highlighted person (``activated`` is platform-dependent for Enter)."""

    open_row = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class _SearchBox(QLineEdit):
    """Down arrow moves into the results, so the hands never leave the keyboard."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class SearchView(QWidget):
    open_person = Signal(object)  # person id
    new_enrolment = Signal(str)  # the normalised ID number to enrol
    searched = Signal()  # a result (possibly empty) is on screen

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self._generation = 0
        self.unknown_id: str | None = None

        self.search_box = _SearchBox()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName(self.tr("查找人员"))
        self.search_box.setPlaceholderText(
            self.tr("身份证号或后4–6位、姓名（任意部分）、拼音全拼或首字母、手机号（Ctrl+F）")
        )
        self.search_box.setClearButtonEnabled(True)
        self.hint = QLabel()
        self.hint.setObjectName("searchHint")
        self.offer = QWidget()
        self.offer.setObjectName("newEnrolmentOffer")
        self.offer_label = QLabel()
        self.offer_label.setObjectName("newEnrolmentOfferText")
        self.offer_button = QPushButton(icon("new_enrolment"), self.tr("新参保登记（Ctrl+N）"))
        self.offer_button.setObjectName("newEnrolmentButton")
        self.offer_button.setAccessibleName(self.tr("为此身份证号新参保登记"))
        offer_layout = QHBoxLayout(self.offer)
        offer_layout.setContentsMargins(0, 0, 0, 0)
        offer_layout.addWidget(self.offer_label, 1)
        offer_layout.addWidget(self.offer_button)
        self.offer.hide()

        self.model = PersonResultsModel(session, runner, self)
        self.model.load_failed.connect(self._show_error)
        self.table = _ResultsTable()
        self.table.setObjectName("searchResults")
        self.table.setAccessibleName(self.tr("查找结果"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        set_column_widths(self.table, RESULT_WIDTHS)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.hint)
        layout.addWidget(self.offer)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.search_box)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)
        self.search_box.textChanged.connect(self._typed)
        self.search_box.returnPressed.connect(self._enter_in_box)
        self.search_box.down.connect(self._into_results)
        self.table.open_row.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.offer_button.clicked.connect(self._offer_clicked)

    # -- searching -----------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self.timer.start()

    def search_now(self) -> None:
        """Run the search for the box's text now (the timer calls this after a pause)."""
        self.timer.stop()
        self._generation += 1
        generation, text = self._generation, self.search_box.text()
        session = self.session
        self.runner.submit(
            lambda control: run_search(session, generation, text, control),
            on_success=self._show_outcome,
            on_failure=self._show_error,
        )

    def refresh(self) -> None:
        if self.search_box.text().strip():
            self.search_now()

    def _show_outcome(self, outcome: SearchOutcome) -> None:
        if outcome.generation != self._generation:
            return  # an older search, overtaken by what the clerk typed since
        self.model.reset(outcome.ids, outcome.first_page)
        widen_to_contents(self.table)
        self.unknown_id = outcome.unknown_valid_id
        self.offer.setVisible(self.unknown_id is not None)
        if self.unknown_id is not None:
            self.offer_label.setText(
                self.tr("本地登记库中没有身份证号 %1 的人员。").replace("%1", self.unknown_id)
            )
        self.hint.setText(self._hint_text(outcome))
        if outcome.ids:
            self.table.selectRow(0)
        self.searched.emit()

    def _hint_text(self, outcome: SearchOutcome) -> str:
        if not outcome.text.strip():
            return ""
        if outcome.too_short:
            return self.tr("请至少输入4位数字（身份证号或手机号的末几位），或输入姓名、拼音。")
        count = len(outcome.ids)
        if count == 0 and outcome.impossible_id is not None:
            return message_for(outcome.impossible_id)
        if count == 0:
            return self.tr("没有找到匹配的人员。")
        if count >= SEARCH_ID_LIMIT:
            return self.tr("找到超过 %n 人，请输入更多内容缩小范围。", "", count)
        return self.tr("找到 %n 人，按 ↓ 选择，回车打开。", "", count)

    def _show_error(self, error: BaseException) -> None:
        self.hint.setText(self.tr("查找出错：") + message_for(error))
        self.searched.emit()

    # -- opening -------------------------------------------------------------------------

    def _enter_in_box(self) -> None:
        if self.timer.isActive():
            return  # the result for what was just typed is not in yet: nothing to open
        if self.unknown_id is not None:
            self._offer_clicked()
        elif self.model.rowCount() == 1:
            self._open_index(self.model.index(0, 0))
        elif self.model.rowCount() > 1:
            self._into_results()

    def _into_results(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)

    def _open_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        person = self.model.data(index, ROW_ROLE)
        if person is not None:
            self.open_person.emit(person.id)

    def _offer_clicked(self) -> None:
        if self.unknown_id:
            self.new_enrolment.emit(self.unknown_id)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

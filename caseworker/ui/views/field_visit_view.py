"""Field visit (入户走访): plan a trip, see its households and progress, walk a household.

Works with no network at all: every call here is a local service on the background runner
(trips are local records; what a visit finds goes upstream with the next sync, whenever that
is). Before leaving, print the survey sheets and the visit list; after returning, the summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services import households, trips
from caseworker.services.centre import OpenSession
from caseworker.services.trip_summary import TripSummary, trip_summary
from caseworker.services.trips import TripInfo, TripProgress
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.ui.i18n import message_for
from caseworker.ui.models.field_visit import TripHouseholdsModel
from caseworker.ui.models.table import ROW_ROLE
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskControl, TaskRunner
from caseworker.ui.widgets.common import Banner, shortcut_button
from caseworker.ui.widgets.household_walk import HouseholdWalk


def _trip_documents() -> Any:
    """The trip's papers (reportlab), imported when first printed, not at launch."""
    from caseworker.services import trip_documents

    return trip_documents


class FieldVisitPage(QWidget):
    data_changed = Signal()

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_visits")
        self.session = session
        self.runner = runner
        self.today = today
        self.progress: TripProgress | None = None
        self.dialog: Any = None
        self.batch: Any = None
        self._villages: list[tuple[str, str]] = []

        heading = QLabel(self.tr("入户走访"))
        set_role(heading, "heading")
        self.banner = Banner("fieldVisitBanner")
        self.trip_box = QComboBox()
        self.trip_box.setObjectName("tripChooser")
        self.trip_box.setAccessibleName(self.tr("走访行程"))
        self.trip_box.setMinimumWidth(160)
        self.trip_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.trip_box.currentIndexChanged.connect(self._trip_chosen)
        self.plan_button = shortcut_button(
            "planTrip", self.tr("计划行程"), "Alt+N", lambda: self.plan()
        )
        self.sheets_button = shortcut_button(
            "printTripSurvey", self.tr("打印调查表"), "Alt+S", self.print_sheets
        )
        self.list_button = shortcut_button(
            "printVisitList", self.tr("打印走访清单"), "Alt+L", self.print_visit_list
        )
        self.summary_button = shortcut_button(
            "tripSummaryButton", self.tr("行程小结"), "Alt+R", self.show_summary
        )
        self.new_household_button = shortcut_button(
            "newHousehold", self.tr("新建家庭户"), "Alt+H", self.new_household
        )
        self.close_button = shortcut_button("closeTrip", self.tr("结束行程"), "", self.close_trip)
        self.figures = QLabel()
        self.figures.setObjectName("tripProgress")
        set_role(self.figures, "emphasis")
        self.model = TripHouseholdsModel(self)
        self.table = QTableView()
        self.table.setObjectName("tripHouseholds")
        self.table.setAccessibleName(self.tr("行程中的家庭户"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.walk_current())
        self.walk_button = shortcut_button(
            "walkHousehold", self.tr("走访此户（Enter）"), "", self.walk_current
        )
        for keys in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.walk_current)

        trip_page = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("行程")))
        bar.addWidget(self.trip_box, 1)
        bar.addWidget(self.plan_button)
        bar.addWidget(self.new_household_button)
        papers = QHBoxLayout()  # before leaving, after returning
        for button in (
            self.sheets_button,
            self.list_button,
            self.summary_button,
            self.close_button,
        ):
            papers.addWidget(button)
        papers.addStretch(1)
        walk_bar = QHBoxLayout()
        walk_bar.addWidget(self.figures, 1)
        walk_bar.addWidget(self.walk_button)
        column = QVBoxLayout(trip_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addLayout(papers)
        column.addLayout(walk_bar)
        column.addWidget(self.table, 1)

        self.walk = HouseholdWalk(session, runner, today=today)
        self.walk.saved.connect(self._visit_saved)
        self.walk.back_requested.connect(self.show_trip)
        self.stack = QStackedWidget()
        self.stack.addWidget(trip_page)
        self.stack.addWidget(self.walk)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.table)
        self._enable()
        self.refresh()

    # -- trips -------------------------------------------------------------------------------

    def refresh(self) -> None:
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda _control: (
                trips.trips(database, actor),
                households.township_villages(database, actor),
            ),
            on_success=self._trips_loaded,
            on_failure=self._failed,
        )

    def _trips_loaded(self, loaded: tuple[list[TripInfo], list[tuple[str, str]]]) -> None:
        found, self._villages = loaded
        chosen = self.current_trip_id()
        self.trip_box.blockSignals(True)
        self.trip_box.clear()
        for trip in found:
            closed = self.tr("（已结束）") if trip.closed_on else ""
            self.trip_box.addItem(
                f"{trip.name}{closed} · {trip.created_on.isoformat()} · "
                + self.tr("{done}/{total}户").format(done=trip.visited, total=trip.households),
                trip.id,
            )
        index = self.trip_box.findData(chosen) if chosen else 0
        self.trip_box.setCurrentIndex(max(index, 0) if found else -1)
        self.trip_box.blockSignals(False)
        if found:
            self._trip_chosen()
        else:
            self.progress = None
            self.model.set_rows([])
            self.figures.setText(self.tr("还没有走访行程：按“计划行程”（Alt+N）选择村（居）委会。"))
            self._enable()

    def current_trip_id(self) -> uuid.UUID | None:
        return self.trip_box.currentData()

    def _trip_chosen(self, *_: object) -> None:
        trip_id = self.current_trip_id()
        if trip_id is None:
            return
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda _control: trips.progress(database, actor, trip_id),
            on_success=self.show_progress,
            on_failure=self._failed,
        )

    def show_progress(self, progress: TripProgress) -> None:
        self.progress = progress
        position = max(self.table.currentIndex().row(), 0)
        self.model.set_rows(progress.rows)
        if progress.rows:
            self.table.selectRow(min(position, len(progress.rows) - 1))
        self.figures.setText(
            self.tr(
                "已走访 {visited}/{total} 户 · 已记录 {recorded} 人 · 尚未覆盖 {uncovered} 人"
            ).format(
                visited=progress.households_visited,
                total=progress.households_total,
                recorded=progress.people_recorded,
                uncovered=progress.people_not_covered,
            )
        )
        self._enable()

    def _enable(self) -> None:
        has = self.progress is not None
        open_trip = has and self.progress.trip.closed_on is None  # type: ignore[union-attr]
        for button in (self.sheets_button, self.list_button, self.summary_button):
            button.setEnabled(has)
        self.close_button.setEnabled(open_trip)
        self.walk_button.setEnabled(open_trip and self.model.rowCount() > 0)

    def plan(
        self,
        person_ids: Sequence[uuid.UUID] | None = None,
        worklist: WorklistSpec | None = None,
    ) -> None:
        from caseworker.ui.dialogs.trip_plan_dialog import TripPlanDialog

        dialog = TripPlanDialog(
            self.session,
            self.runner,
            self._villages,
            self.today(),
            self,
            person_ids=person_ids,
            worklist=worklist,
        )
        dialog.accepted.connect(lambda: self._planned(dialog.planned))
        self.dialog = dialog
        dialog.open()

    def plan_from_worklist(self, person_ids: Sequence[uuid.UUID], spec: WorklistSpec) -> None:
        """A trip to the households of a worklist's people (the worklists page calls this)."""
        self.show_trip()
        self.plan(list(person_ids), spec)

    def plan_from_spec(self, spec: WorklistSpec) -> None:
        """A trip to the households of the people on the list ``spec`` names (the worklists
        page's 安排走访): the people are read on the runner, then the plan dialog opens."""
        database, actor, day = self.session.database, self.session.actor, self.today()
        self.runner.submit(
            lambda _control: trips.worklist_person_ids(database, actor, spec, day),
            lane="read",
            on_success=lambda ids: self.plan_from_worklist(ids, spec),
            on_failure=self._failed,
        )

    def _planned(self, planned: TripProgress | None) -> None:
        if planned is None:
            return
        self.trip_box.blockSignals(True)
        self.trip_box.insertItem(0, planned.trip.name, planned.trip.id)
        self.trip_box.setCurrentIndex(0)
        self.trip_box.blockSignals(False)
        self.show_progress(planned)
        self.refresh()
        self.table.setFocus()

    def close_trip(self) -> None:
        trip_id = self.current_trip_id()
        if trip_id is None:
            return
        database, actor, day = self.session.database, self.session.actor, self.today()
        self.runner.submit(
            lambda _control: trips.close_trip(database, actor, trip_id, day=day),
            lane="write",
            on_success=lambda _info: self.refresh(),
            on_failure=self._failed,
        )

    # -- households found on the way -------------------------------------------------------

    def open_trip_id(self) -> uuid.UUID | None:
        progress = self.progress
        if progress is None or progress.trip.closed_on is not None:
            return None
        return progress.trip.id

    def new_household(self) -> None:
        """A household the registry does not have (Alt+H): onto the open trip, if any."""
        from caseworker.ui.dialogs.new_household_dialog import NewHouseholdDialog

        dialog = NewHouseholdDialog(
            self.session, self.runner, self._villages, self.today(), self.open_trip_id(), self
        )
        dialog.accepted.connect(lambda: self._household_created(dialog))
        self.dialog = dialog
        dialog.open()

    def _household_created(self, dialog: Any) -> None:
        view = dialog.created
        if view is None:
            return
        self.data_changed.emit()
        if dialog.trip_id is None:
            self.banner.show_message(
                self.tr("已新建家庭户：{address}，户主{head}。计划行程后可走访此户。").format(
                    address=f"{view.village_name} {view.address_detail}", head=view.head_name
                ),
                "success",
            )
            return
        self.stack.setCurrentWidget(self.walk)
        self.walk.open_household(dialog.trip_id, view.id)

    # -- walking -----------------------------------------------------------------------------

    def walk_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or self.progress is None or not self.walk_button.isEnabled():
            return
        row = self.model.data(index, ROW_ROLE)
        self.walk_household(row.household_id)

    def walk_household(self, household_id: uuid.UUID) -> None:
        assert self.progress is not None
        self.banner.clear()
        self.stack.setCurrentWidget(self.walk)
        self.walk.open_household(self.progress.trip.id, household_id)

    def show_trip(self) -> None:
        self.stack.setCurrentIndex(0)
        self.refresh()  # the chooser's counts and the households' progress
        self.table.setFocus()

    def _visit_saved(self, _result: object) -> None:
        self.data_changed.emit()

    # -- papers ------------------------------------------------------------------------------

    def _print(self, label: str, build: Callable[..., Any]) -> None:
        from caseworker.ui.printing import run_batch

        trip_id = self.current_trip_id()
        if trip_id is None:
            return
        database, actor = self.session.database, self.session.actor

        def job(control: TaskControl) -> Any:
            control.check()
            return build(database, actor, trip_id)

        self.batch = run_batch(self, self.runner, label, job)

    def print_sheets(self) -> None:
        self._print(self.tr("正在生成入户调查表…"), _trip_documents().trip_survey_pdf)

    def print_visit_list(self) -> None:
        self._print(self.tr("正在生成走访清单…"), _trip_documents().visit_list_pdf)

    def show_summary(self) -> None:
        trip_id = self.current_trip_id()
        if trip_id is None:
            return
        database, actor, day = self.session.database, self.session.actor, self.today()
        self.runner.submit(
            lambda _control: trip_summary(database, actor, trip_id, day=day),
            on_success=self._show_summary,
            on_failure=self._failed,
        )

    def _show_summary(self, summary: TripSummary) -> None:
        from caseworker.ui.dialogs.trip_summary_dialog import TripSummaryDialog

        day = self.today()
        dialog = TripSummaryDialog(
            summary,
            lambda: self._print(
                self.tr("正在生成行程小结…"),
                lambda database, actor, trip_id: _trip_documents().trip_summary_pdf(
                    database, actor, trip_id, day=day
                ),
            ),
            self,
        )
        self.dialog = dialog
        dialog.open()

    def _failed(self, error: BaseException) -> None:
        self.banner.show_message(message_for(error), "error")

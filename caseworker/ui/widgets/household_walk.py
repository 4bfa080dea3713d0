"""Walking one household of a trip: the members with what the clerk records for each, people
found at the door, the outcome; saved as one visit (Enter or Ctrl+S). From here the front
desk's enrolment form opens on a member (Ctrl+E) and the payment dialog takes their
contribution (Ctrl+Shift+P), its receipt printed through the usual receipt preview.

Nothing typed is lost on a refusal: the rows stay as they are and the banner says, person by
person, what to fix. Reloading after an enrolment or a payment keeps unsaved edits.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
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
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.households import HEAD
from caseworker.services import households, trips
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError
from caseworker.services.household_members import change_head
from caseworker.services.households import HouseholdView
from caseworker.services.trip_visit import (
    MemberVisit,
    Newcomer,
    VisitInput,
    VisitResult,
    save_visit,
)
from caseworker.ui.i18n import message_for
from caseworker.ui.models.field_visit import WalkMembersModel, WalkRow, outcome_label
from caseworker.ui.models.table import ROW_ROLE
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, shortcut_button
from caseworker.ui.widgets.member_editor import MemberEditor


class HouseholdWalk(QWidget):
    saved = Signal(object)  # VisitResult
    back_requested = Signal()

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("householdWalk")
        self.session = session
        self.runner = runner
        self.today = today
        self.trip_id: uuid.UUID | None = None
        self.household: HouseholdView | None = None
        self.dialog: Any = None
        self._saving = False

        self.title = QLabel()
        self.title.setObjectName("walkTitle")
        set_role(self.title, "heading")
        self.banner = Banner("walkBanner")
        self.model = WalkMembersModel(today(), self)
        self.table = QTableView()
        self.table.setObjectName("walkMembers")
        self.table.setAccessibleName(self.tr("家庭成员"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.editor = MemberEditor(today(), self)
        self.editor.edited.connect(self._edited)

        self.back_button = shortcut_button(
            "walkBack", self.tr("返回户列表"), "Alt+Left", self._back
        )
        self.all_here = shortcut_button(
            "walkAllHere", self.tr("全部在户"), "Alt+A", self.confirm_all
        )
        self.add_button = shortcut_button(
            "walkAddNewcomer", self.tr("添加新生儿/迁入"), "Ctrl+Shift+A", self.add_newcomer
        )
        self.enrol_button = shortcut_button(
            "walkEnrol", self.tr("当场参保"), "Ctrl+E", self.enrol_on_the_spot
        )
        self.pay_button = shortcut_button(
            "walkPay", self.tr("收费"), "Ctrl+Shift+P", self.take_payment
        )
        self.head_button = shortcut_button(
            "walkMakeHead", self.tr("设为户主"), "Ctrl+Shift+H", self.make_head
        )
        self.outcome = QComboBox()
        self.outcome.setObjectName("walkOutcome")
        self.outcome.setAccessibleName(self.tr("走访结果"))
        for code in ("visited", "nobody_home", "refused"):
            self.outcome.addItem(outcome_label(code), code)
        self.note = QLineEdit()
        self.note.setObjectName("walkNote")
        self.note.setAccessibleName(self.tr("走访备注"))
        self.note.setPlaceholderText(self.tr("走访备注（如：下午再来）"))
        self.note.setMaxLength(200)
        self.save_button = shortcut_button(
            "walkSave", self.tr("保存走访（Enter）"), "Ctrl+S", self.save
        )
        self.save_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        members_bar = QHBoxLayout()
        for button in (
            self.all_here,
            self.add_button,
            self.head_button,
            self.enrol_button,
            self.pay_button,
        ):
            members_bar.addWidget(button)
        members_bar.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("走访结果")))
        bottom.addWidget(self.outcome)
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(members_bar)
        layout.addWidget(self.editor)
        layout.addLayout(bottom)

        for keys in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        # The next or previous member from anywhere in the walk, the choosers keep the focus.
        for keys, step in (("Ctrl+Down", 1), ("Ctrl+Up", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step_member(step))
        chain = [
            self.table,
            *self.editor.inputs(),
            self.outcome,
            self.note,
            self.save_button,
            self.all_here,
            self.add_button,
            self.head_button,
            self.enrol_button,
            self.pay_button,
            self.back_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.table)
        self._buttons()

    # -- loading -----------------------------------------------------------------------------

    def open_household(self, trip_id: uuid.UUID, household_id: uuid.UUID) -> None:
        self.trip_id = trip_id
        self.household = None
        self.model.set_rows([])
        self.banner.show_message(self.tr("正在读取家庭户……"), "info")
        self.outcome.setCurrentIndex(0)
        self.note.clear()
        self._load(household_id, keep=False)

    def _load(self, household_id: uuid.UUID, *, keep: bool) -> None:
        database, actor, trip_id = self.session.database, self.session.actor, self.trip_id
        assert trip_id is not None
        self.runner.submit(
            lambda _control: (
                households.household(database, actor, household_id),
                trips.recorded_people(database, actor, trip_id, household_id),
            ),
            on_success=lambda loaded: self._show(*loaded, keep=keep),
            on_failure=self._failed,
        )

    def reload(self) -> None:
        """Fresh statuses (after an enrolment or a payment), unsaved edits kept."""
        if self.household is not None:
            self._load(self.household.id, keep=True)

    def _show(self, view: HouseholdView, recorded: dict[uuid.UUID, str], *, keep: bool) -> None:
        before = {r.person_id: r for r in self.model.rows if r.person_id} if keep else {}
        newcomers = [r for r in self.model.rows if r.member is None] if keep else []
        position = max(self.table.currentIndex().row(), 0)
        self.household = view
        rows = []
        for member in view.members:
            row = WalkRow(member.name, member.relationship_to_head, member.birth_date, member)
            row.recorded = recorded.get(member.person_id)
            old = before.get(member.person_id)
            if old is not None and row.editable:
                row.change, row.on, row.answers = old.change, old.on, old.answers
            rows.append(row)
        self.model.set_rows(rows + newcomers)
        if not keep:
            self.banner.clear()
        self.title.setText(
            self.tr("%1 %2　户主：%3")
            .replace("%1", view.village_name)
            .replace("%2", view.address_detail)
            .replace("%3", view.head_name or self.tr("（无户主）"))
        )
        if self.model.rowCount():
            self.table.selectRow(min(position, self.model.rowCount() - 1))
        self.table.setFocus()
        self._buttons()

    # -- editing -----------------------------------------------------------------------------

    def current_row(self) -> WalkRow | None:
        index = self.table.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def _current_changed(self, *_: object) -> None:
        self.editor.show_row(self.current_row())
        self._buttons()

    def _edited(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.row_changed(index.row())

    def step_member(self, step: int) -> None:
        count = self.model.rowCount()
        if count:
            position = max(self.table.currentIndex().row(), 0)
            self.table.selectRow(min(max(position + step, 0), count - 1))

    def confirm_all(self) -> None:
        """Everyone on the list who is still to be confirmed is here (Alt+A)."""
        for position, row in enumerate(self.model.rows):
            if row.member is not None and row.editable and not row.change:
                row.change = "confirmed"
                self.model.row_changed(position)
        self.editor.show_row(self.current_row())

    def _buttons(self) -> None:
        row = self.current_row()
        saved_here = row is not None and row.member is not None and row.editable
        present = saved_here and row.change not in ("moved_away", "deceased")
        self.enrol_button.setEnabled(bool(present))
        self.head_button.setEnabled(
            row is not None
            and row.member is not None
            and row.member.relationship_to_head != HEAD
            and not self._saving
        )
        self.pay_button.setEnabled(bool(present))
        tip = "" if row is None or row.member is not None else self.tr("先保存走访，再为新成员办理")
        self.enrol_button.setToolTip(tip or "Ctrl+E")
        self.save_button.setEnabled(self.household is not None and not self._saving)

    def add_newcomer(self) -> None:
        if self.household is None:
            return
        from caseworker.ui.dialogs.newcomer_dialog import NewcomerDialog

        dialog = NewcomerDialog(
            self.session, self.runner, self.today(), self.household.village_code, self
        )
        dialog.accepted.connect(lambda: self._newcomer_added(dialog.newcomer))
        self.dialog = dialog
        dialog.open()

    def _newcomer_added(self, newcomer: Newcomer | None) -> None:
        if newcomer is None:
            return
        row = WalkRow(
            newcomer.person.name,
            newcomer.relationship,
            newcomer.moved_in_on,
            newcomer=newcomer,
        )
        position = self.model.add(row)
        self.table.selectRow(position)
        self.table.setFocus()

    # -- the head --------------------------------------------------------------------------

    def make_head(self) -> None:
        """The selected member becomes head (Ctrl+Shift+H), once the clerk confirms it and
        says what the present head becomes; written at once, unsaved visit edits kept."""
        row = self.current_row()
        if row is None or row.member is None or self.household is None:
            return
        if not self.head_button.isEnabled():
            return
        from caseworker.ui.dialogs.change_head_dialog import ChangeHeadDialog

        head = self.household.head
        former = head.name if head is not None and head.person_id != row.member.person_id else None
        dialog = ChangeHeadDialog(row.member.name, former, self)
        person_id = row.member.person_id
        dialog.accepted.connect(lambda: self._change_head(person_id, dialog.former_relationship()))
        self.dialog = dialog
        dialog.open()

    def _change_head(self, person_id: uuid.UUID, former_relationship: str | None) -> None:
        database, actor = self.session.database, self.session.actor
        self.banner.show_message(self.tr("正在更改户主……"), "info")
        self.runner.submit(
            lambda _control: change_head(database, actor, person_id, former_relationship),
            lane="write",
            on_success=self._head_changed,
            on_failure=self._head_refused,
        )

    def _head_changed(self, view: HouseholdView) -> None:
        self.reload()  # the members table from the registry, the visit's edits kept
        self.banner.show_message(
            self.tr("户主已改为{name}。").format(name=view.head_name), "success"
        )

    def _head_refused(self, error: BaseException) -> None:
        message = message_for(error) if isinstance(error, ServiceError) else str(error)
        self.banner.show_message(self.tr("未能更改户主：{reason}").format(reason=message), "error")

    # -- saving ------------------------------------------------------------------------------

    def visit_input(self) -> VisitInput:
        assert self.household is not None
        members = []
        newcomers = []
        for row in self.model.rows:
            answers = tuple(row.answers.values())
            if row.newcomer is not None:
                newcomer = row.newcomer
                newcomers.append(
                    Newcomer(newcomer.person, newcomer.relationship, newcomer.moved_in_on, answers)
                )
            elif row.member is not None and row.editable and row.touched:
                members.append(
                    MemberVisit(row.member.person_id, row.change or "confirmed", row.on, answers)
                )
        return VisitInput(
            self.household.id,
            self.outcome.currentData(),
            self.note.text(),
            tuple(members),
            tuple(newcomers),
        )

    def save(self) -> None:
        if self._saving or self.household is None or self.trip_id is None:
            return
        visit = self.visit_input()
        database, actor, trip_id, day = (
            self.session.database,
            self.session.actor,
            self.trip_id,
            self.today(),
        )
        self._saving = True
        self._buttons()
        self.banner.show_message(self.tr("正在保存……"), "info")
        self.runner.submit(
            lambda _control: save_visit(database, actor, trip_id, visit, day=day),
            lane="write",
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _saved(self, result: VisitResult) -> None:
        self._saving = False
        self.model.set_rows([])
        self._show(result.household, result.recorded_people, keep=False)
        self.banner.show_message(
            self.tr("走访已保存：记录{n}人。").format(n=result.recorded), "success"
        )
        self.saved.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self._buttons()
        if isinstance(error, ServiceError):
            self.banner.show_message(message_for(error), "error")
        else:
            self.banner.show_message(
                self.tr("保存失败：{error}。已填写的内容仍在，可稍后重试。").format(error=error),
                "error",
            )

    def _back(self) -> None:
        self.back_requested.emit()

    def has_edits(self) -> bool:
        return any(r.touched or r.newcomer is not None for r in self.model.rows)

    # -- on the spot -------------------------------------------------------------------------

    def enrol_on_the_spot(self) -> None:
        row = self.current_row()
        if row is None or row.person_id is None or not self.enrol_button.isEnabled():
            return
        from caseworker.ui.dialogs.spot_enrolment_dialog import SpotEnrolmentDialog

        dialog = SpotEnrolmentDialog(
            self.session, self.runner, row.person_id, self, today=self.today
        )
        dialog.finished.connect(lambda _result: self.reload())
        self.dialog = dialog
        dialog.open()

    def take_payment(self) -> None:
        row = self.current_row()
        if row is None or row.person_id is None or not self.pay_button.isEnabled():
            return
        from caseworker.ui.dialogs.payment_dialog import PaymentDialog

        dialog = PaymentDialog(self.session, self.runner, row.person_id, self, today=self.today)
        dialog.finished.connect(lambda _result: self.reload())
        self.dialog = dialog
        dialog.open()

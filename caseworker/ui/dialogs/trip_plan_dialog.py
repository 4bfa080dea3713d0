"""Plan a trip: a name and the villages to walk, or the people a worklist handed over."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.services import trips
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError
from caseworker.services.trips import TripProgress
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.ui.i18n import message_for
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner


class TripPlanDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        villages: Sequence[tuple[str, str]],
        today: date,
        parent: QWidget | None = None,
        *,
        person_ids: Sequence[uuid.UUID] | None = None,
        worklist: WorklistSpec | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tripPlan")
        self.setWindowTitle(self.tr("计划走访行程"))
        self.session, self.runner, self.today = session, runner, today
        self.person_ids = list(person_ids) if person_ids is not None else None
        self.worklist = worklist
        self.planned: TripProgress | None = None
        self.banner = Banner("tripPlanBanner")
        self.name = QLineEdit()
        self.name.setObjectName("tripName")
        self.name.setAccessibleName(self.tr("行程名称"))
        self.name.setMaxLength(60)
        self.name.setPlaceholderText(self.tr("如：11月第2周 青阳一村"))
        self.villages = QListWidget()
        self.villages.setObjectName("tripVillages")
        self.villages.setAccessibleName(self.tr("走访的村（居）委会"))
        for code, name in villages:
            item = QListWidgetItem(f"{name}（{code}）")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.villages.addItem(item)
        form = QFormLayout()
        form.addRow(self.tr("行程名称"), self.name)
        if self.person_ids is None:
            form.addRow(self.tr("村（居）委会（空格键勾选）"), self.villages)
        else:
            self.villages.hide()
            self.source = QLabel(
                self.tr("来自工作清单：{n}人所在的家庭户").format(n=len(self.person_ids))
            )
            self.source.setObjectName("tripFromWorklist")
            form.addRow(self.tr("走访对象"), self.source)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("tripPlanOk")
        self.ok.setText(self.tr("生成行程"))
        self.ok.setAccessibleName(self.tr("生成行程"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.plan)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(520, 420))
        self.name.setFocus()

    def chosen(self) -> list[str]:
        return [
            self.villages.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.villages.count())
            if self.villages.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check(self, code: str) -> None:
        for i in range(self.villages.count()):
            item = self.villages.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked)

    def plan(self) -> None:
        database, actor, day = self.session.database, self.session.actor, self.today
        name, villages = self.name.text(), self.chosen()
        person_ids, worklist = self.person_ids, self.worklist
        self.ok.setEnabled(False)
        self.runner.submit(
            lambda _control: trips.plan_trip(
                database,
                actor,
                name,
                villages=villages,
                person_ids=person_ids,
                worklist=worklist,
                day=day,
            ),
            lane="write",
            on_success=self._planned,
            on_failure=self._failed,
        )

    def _planned(self, planned: TripProgress) -> None:
        self.planned = planned
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        text = message_for(error) if isinstance(error, ServiceError) else str(error)
        self.banner.show_message(text, "error")

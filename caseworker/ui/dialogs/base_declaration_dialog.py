"""缴费基数申报: the employer's employees with last year's wages typed in, each base clamped
into the year's range with the reason, and the monthly amounts per employee and in total,
recomputed by the service as wages are typed and shown before saving."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.money import format_yuan
from caseworker.services.base_declaration import (
    Declaration,
    declare_bases,
    preview_declaration,
)
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerSummary
from caseworker.ui.dialogs.service_dialog import error_label, save_cancel_buttons
from caseworker.ui.i18n import message_for
from caseworker.ui.models.declaration import DeclarationModel
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.tasks import TaskRunner

PREVIEW_DELAY_MS = 150


class BaseDeclarationDialog(QDialog):
    saved = Signal(object)
    save_failed = Signal()
    previewed = Signal()  # a fresh preview is on screen (tests wait on it)

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        employer: EmployerSummary,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.employer = session, runner, employer
        self.today = today or date.today()
        self.declaration: Declaration | None = None
        self._generation = 0
        self.setWindowTitle(self.tr("缴费基数申报：%1").replace("%1", employer.name))
        fit_to_screen(self, QSize(1240, 560))
        self.year = QSpinBox()
        self.year.setObjectName("declarationYear")
        self.year.setAccessibleName(self.tr("申报年度"))
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.range = QLabel()
        self.range.setObjectName("declarationRange")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("申报年度")))
        top.addWidget(self.year)
        top.addWidget(self.range, 1)
        self.model = DeclarationModel(self)
        self.table = QTableView()
        self.table.setObjectName("declarationTable")
        self.table.setAccessibleName(self.tr("职工缴费基数"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DeclarationModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(
            QTableView.EditTrigger.AllEditTriggers & ~QTableView.EditTrigger.CurrentChanged
        )
        self.totals = QLabel()
        self.totals.setObjectName("declarationTotals")
        self.error = error_label("declarationError")
        self.buttons, self.save_button = save_cancel_buttons(
            self, "declarationSave", self.tr("保存申报（Ctrl+S）"), self.tr("取消")
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            QLabel(
                self.tr("在“上年月平均工资”一栏填写每位职工的工资；基数超出范围的按上下限核定。")
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        self.model.wages_changed.connect(self.timer.start)
        self.model.wage_rejected.connect(self._show_error)
        self.year.valueChanged.connect(self.timer.start)
        self.refresh()

    def _on(self) -> date:
        # The employees at work on the day of the declaration (this year) or on 1 January.
        year = self.year.value()
        return self.today if year == self.today.year else date(year, 1, 1)

    def refresh(self) -> None:
        self.timer.stop()
        self._generation += 1
        generation, year, wages = self._generation, self.year.value(), dict(self.model.wages)
        database, actor, employer_id, on = (
            self.session.database,
            self.session.actor,
            self.employer.id,
            self._on(),
        )
        self.runner.submit(
            lambda _c: (
                generation,
                preview_declaration(database, actor, employer_id, year, wages, on=on),
            ),
            on_success=self._previewed,
            on_failure=self._show_failure,
        )

    def _previewed(self, result: tuple[int, Declaration]) -> None:
        generation, declaration = result
        if generation != self._generation:
            return
        self.declaration = declaration
        self.model.set_declaration(declaration)
        self.range.setText(
            self.tr("%1年度基数范围：%2 至 %3 元")
            .replace("%1", str(declaration.year))
            .replace("%2", format_yuan(declaration.floor_fen))
            .replace("%3", format_yuan(declaration.ceiling_fen))
        )
        self.totals.setText(
            self.tr("共 %1 人，每月合计：单位 %2 元，个人 %3 元")
            .replace("%1", str(len(declaration.rows)))
            .replace("%2", format_yuan(declaration.employer_fen))
            .replace("%3", format_yuan(declaration.employee_fen))
        )
        self.previewed.emit()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _show_failure(self, error: BaseException) -> None:
        self._show_error(message_for(error))
        self.save_button.setEnabled(True)
        self.save_failed.emit()

    def save(self) -> None:
        self.error.hide()
        self.save_button.setEnabled(False)
        year, wages = self.year.value(), dict(self.model.wages)
        database, actor, employer_id, on = (
            self.session.database,
            self.session.actor,
            self.employer.id,
            self._on(),
        )
        self.runner.submit(
            lambda _c: declare_bases(database, actor, employer_id, year, wages, on=on),
            lane="write",
            on_success=self._saved,
            on_failure=self._show_failure,
        )

    def _saved(self, declaration: Declaration) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(declaration)
        self.accept()

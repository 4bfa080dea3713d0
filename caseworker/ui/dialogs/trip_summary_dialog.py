"""After returning: the trip's figures on screen, with the PDF a click away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.money import format_yuan
from caseworker.services.trip_summary import TripSummary
from caseworker.ui.i18n import code_label
from caseworker.ui.models.field_visit import outcome_label
from caseworker.ui.widgets.common import add_dialog_buttons


class TripSummaryDialog(QDialog):
    def __init__(
        self,
        summary: TripSummary,
        print_pdf: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tripSummary")
        self.setWindowTitle(self.tr("行程小结 — %1").replace("%1", summary.trip.name))
        self.summary = summary
        figures = QFormLayout()
        for text, count in self.figures():
            value = QLabel(count)
            value.setObjectName("summaryFigure")
            figures.addRow(text, value)
        statuses = QFormLayout()
        for (line, status), count in sorted(summary.statuses.items()):
            statuses.addRow(
                f"{code_label('coverage_line', line)} · {code_label('coverage_status', status)}",
                QLabel(str(count)),
            )
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("走访情况")))
        left.addLayout(figures)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("已记录人员的参保状态（人）")))
        right.addLayout(statuses)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.print_button = QPushButton(self.tr("打印小结（Ctrl+P）"))
        self.print_button.setObjectName("printTripSummary")
        self.print_button.setAccessibleName(self.tr("打印小结"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(print_pdf)
        close = QPushButton(self.tr("关闭"))
        close.setObjectName("closeTripSummary")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        add_dialog_buttons(layout, dismiss=close, actions=(self.print_button,))

    def figures(self) -> list[tuple[str, str]]:
        s = self.summary
        return [
            (self.tr("计划走访户数"), str(s.households_total)),
            (outcome_label("visited"), str(s.visited)),
            (outcome_label("nobody_home"), str(s.nobody_home)),
            (outcome_label("refused"), str(s.refused)),
            (outcome_label(None), str(len(s.not_visited))),
            (self.tr("在册人数"), str(s.people_total)),
            (self.tr("已记录人数"), str(s.people_recorded)),
            (self.tr("新增（出生、迁入）"), str(s.added)),
            (self.tr("迁出"), str(s.moved_away)),
            (self.tr("死亡"), str(s.deceased)),
            (self.tr("尚未覆盖人数"), str(s.not_covered)),
            (self.tr("当场参保"), str(s.enrolments)),
            (self.tr("当场缴费（笔）"), str(s.payments)),
            (self.tr("收取金额（元）"), format_yuan(s.collected_fen)),
        ]

"""Today's payments at this centre, with the day's total (F5 reloads), and the day's papers:
every receipt of the day in one document (with progress and cancel), the daily collection
report, a copy (副本) of the selected receipt, and voiding it (a supervisor confirms in the
dialog)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.services.registry import DayPayment, payments_on
from caseworker.ui.dialogs.void_dialog import VoidDialog
from caseworker.ui.i18n import message_for
from caseworker.ui.models.labels import money
from caseworker.ui.models.payments import DayPaymentsModel
from caseworker.ui.tasks import TaskRunner


class PaymentsPage(QWidget):
    loaded = Signal()

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.day = date.today()
        self.title = QLabel()
        self.title.setObjectName("paymentsTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("paymentsSummary")
        self.model = DayPaymentsModel(self)
        self.table = QTableView()
        self.table.setObjectName("dayPayments")
        self.table.setAccessibleName(self.tr("当日缴费"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.print_day_button = self._button(
            "printDayReceipts", self.tr("打印当日收据"), "Ctrl+Shift+P", self.print_day
        )
        self.daily_report_button = self._button(
            "dailyReport", self.tr("日报表"), "Ctrl+Shift+D", self.daily_report
        )
        self.reprint_button = self._button(
            "reprintReceipt", self.tr("补打收据"), "Ctrl+Shift+R", self.reprint
        )
        self.void_button = self._button(
            "voidReceipt", self.tr("作废收据"), "Ctrl+Shift+V", self.void
        )
        self.void_dialog: VoidDialog | None = None
        buttons = QHBoxLayout()
        for button in (
            self.print_day_button,
            self.daily_report_button,
            self.reprint_button,
            self.void_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def _button(self, name: str, text: str, keys: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(keys)  # the label stays short so the page fits a small window
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setShortcut(QKeySequence(keys))
        button.clicked.connect(slot)
        return button

    # -- the day's papers (reportlab loads on first print) ---------------------------------------

    def print_day(self) -> None:
        from caseworker.ui.printing import print_day_receipts

        self.batch = print_day_receipts(self, self.runner, self.session, self.day)

    def daily_report(self) -> None:
        from caseworker.ui.printing import preview_daily_report

        preview_daily_report(self, self.session, self.day)

    def selected(self) -> DayPayment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def reprint(self) -> None:
        from caseworker.ui.printing import preview_receipt

        payment = self.selected()
        if payment is not None:
            preview_receipt(self, self.session, payment.receipt_number, True, self.runner)

    def void(self) -> None:
        """The selected receipt, voided with a supervisor's credentials typed in the dialog."""
        payment = self.selected()
        if payment is None or payment.voided or not payment.receipt_number:
            return
        self.void_dialog = VoidDialog(self.session, self.runner, payment.receipt_number, self)
        self.void_dialog.voided.connect(lambda _number: self.refresh())
        self.void_dialog.open()

    def _selection_changed(self) -> None:
        payment = self.selected()
        self.void_button.setEnabled(
            payment is not None and bool(payment.receipt_number) and not payment.voided
        )

    def refresh(self) -> None:
        self.day = date.today()
        self.title.setText(self.tr("%1 缴费登记").replace("%1", self.day.isoformat()))
        day, database = self.day, self.session.database
        self.runner.submit(
            lambda control: payments_on(database, day),
            on_success=self._show,
            on_failure=self._show_error,
        )

    def _show(self, rows: list[DayPayment]) -> None:
        self.model.set_rows(rows)
        self.print_day_button.setEnabled(bool(rows))
        self.reprint_button.setEnabled(bool(rows))
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._selection_changed()
        valid = [p for p in rows if not p.voided]
        self.summary.setText(
            self.tr("共 %1 笔（作废 %2 笔），个人缴纳合计 %3 元，F5 刷新。")
            .replace("%1", str(len(rows)))
            .replace("%2", str(len(rows) - len(valid)))
            .replace("%3", money(self.model.total_personal_fen()))
        )
        self.loaded.emit()

    def _show_error(self, error: BaseException) -> None:
        self.summary.setText(self.tr("读取出错：") + message_for(error))
        self.loaded.emit()

"""Today's payments at this centre (desk receipts and tax-channel payments), with the day's
totals (F5 reloads), and the day's papers: every receipt of the day in one document (with
progress and cancel), the daily collection report, the remittance list (解缴清单), a copy (副本)
of the selected receipt, and voiding it (a supervisor confirms in the dialog). Supervisors also
match the tax authority's list of payments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.registry import DayPayment, payments_on
from caseworker.ui.dialogs.void_dialog import VoidDialog
from caseworker.ui.i18n import message_for
from caseworker.ui.models.labels import money
from caseworker.ui.models.payments import DayPaymentsModel
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import hide_unless, shortcut_button


class PaymentsPage(QWidget):
    loaded = Signal()
    matched = Signal()  # the tax list's match (or its refusal) is on screen

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.day = date.today()
        self.title = QLabel()
        self.title.setObjectName("paymentsTitle")
        set_role(self.title, "heading")
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
        self.print_day_button = shortcut_button(
            "printDayReceipts", self.tr("打印当日收据"), "Ctrl+Shift+P", self.print_day
        )
        self.daily_report_button = shortcut_button(
            "dailyReport", self.tr("日报表"), "Ctrl+Shift+D", self.daily_report
        )
        self.reprint_button = shortcut_button(
            "reprintReceipt", self.tr("补打收据"), "Ctrl+Shift+R", self.reprint
        )
        self.remittance_button = shortcut_button(
            "remittanceList", self.tr("解缴清单"), "Ctrl+Shift+M", self.remittance
        )
        hide_unless(self.remittance_button, session.actor.may(Permission.VIEW_REMITTANCE))
        self.tax_list_button = shortcut_button(
            "importTaxList", self.tr("导入税务缴费清单"), "Ctrl+Shift+O", self.import_tax_list
        )
        # (Ctrl+Shift+O: Ctrl+Shift+I is the roster import page's.) Matching the tax
        # authority's list is a supervisor's check: hidden from clerks.
        hide_unless(self.tax_list_button, session.actor.may(Permission.IMPORT_TAX_LIST))
        self.file_dialog: QFileDialog | None = None
        self.match_dialog = None
        self.match_problem: QMessageBox | None = None
        self.void_button = shortcut_button(
            "voidReceipt", self.tr("作废收据"), "Ctrl+Shift+V", self.void
        )
        self.void_dialog: VoidDialog | None = None
        self.reprint_problem: QMessageBox | None = None
        buttons = QHBoxLayout()
        for button in (
            self.print_day_button,
            self.daily_report_button,
            self.reprint_button,
            self.remittance_button,
            self.tax_list_button,
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

    # -- the day's papers (reportlab loads on first print) ---------------------------------------

    def print_day(self) -> None:
        from caseworker.ui.printing import print_day_receipts

        self.batch = print_day_receipts(self, self.runner, self.session, self.day)

    def daily_report(self) -> None:
        from caseworker.ui.printing import preview_daily_report

        preview_daily_report(self, self.session, self.day, self.runner)

    def remittance(self) -> None:
        from caseworker.ui.printing import preview_remittance

        preview_remittance(self, self.session, self.day, self.runner)

    def selected(self) -> DayPayment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def reprint(self) -> None:
        from caseworker.ui.printing import preview_receipt, tell

        rows = self.table.selectionModel().selectedRows()
        if rows:
            payment = self.model.row(rows[0].row())
            if payment.receipt_number is None:  # a tax-channel payment: the tax voucher is it
                self.reprint_problem = tell(
                    self, self.tr("税务渠道缴费以税务凭证为准，本中心没有收据可补打。")
                )
                return
            preview_receipt(self, self.session, payment.receipt_number, self.runner, True)

    # -- the tax authority's list of payments -----------------------------------------------

    def import_tax_list(self) -> None:
        dialog = QFileDialog(self, self.tr("选择税务部门的缴费清单"))
        dialog.setObjectName("taxListFile")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("缴费清单 (*.csv *.xlsx);;所有文件 (*)"))
        dialog.fileSelected.connect(self.match_tax_list)
        self.file_dialog = dialog
        dialog.open()

    def match_tax_list(self, path: str) -> None:
        from caseworker.services.tax_list import match_tax_list

        self.summary.setText(self.tr("正在核对税务缴费清单……"))
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda control: match_tax_list(database, actor, Path(path)),
            lane="write",  # the match is audited
            on_success=self._show_match,
            on_failure=self._match_failed,
        )

    def _show_match(self, result: object) -> None:
        from caseworker.ui.dialogs.tax_list_dialog import TaxListMatchDialog

        self.refresh()
        self.match_dialog = TaxListMatchDialog(result, self)
        self.match_dialog.open()
        self.matched.emit()

    def _match_failed(self, error: BaseException) -> None:
        self.refresh()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("无法核对税务缴费清单"),
            message_for(error),
            parent=self,
        )
        box.setObjectName("taxListProblem")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.match_problem = box
        box.open()
        self.matched.emit()

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
        self.reprint_button.setEnabled(any(p.receipt_number for p in rows))
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._selection_changed()
        valid = [p for p in rows if not p.voided]
        self.summary.setText(
            self.tr(
                "共 %1 笔（作废 %2 笔），个人缴纳合计 %3 元，其中柜台收取 %4 元待解缴；F5 刷新。"
            )
            .replace("%1", str(len(rows)))
            .replace("%2", str(len(rows) - len(valid)))
            .replace("%3", money(self.model.total_personal_fen()))
            .replace("%4", money(self.model.desk_personal_fen()))
        )
        self.loaded.emit()

    def _show_error(self, error: BaseException) -> None:
        self.summary.setText(self.tr("读取出错：") + message_for(error))
        self.loaded.emit()

"""Take one visit's contributions: several schemes of the payer and of their household
members, one confirm, one receipt (or one per scheme where the centre says so).

Each line offers only the periods that are open today (arrears marked 补缴), from
``contribution_periods.visit_periods`` on the read lane; a scheme already paid for the period
being collected shows as paid with its receipt number and is not ticked. The amounts shown are
the ones ``record_visit_payment`` charges (same rules, same parameters); the payment is written
on the runner's write lane, where the gapless receipt number is taken.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.domain.periods import Period, month_period
from caseworker.services.centre import OpenSession
from caseworker.services.contribution_periods import (
    PeriodOption,
    SchemePeriods,
    VisitOptions,
    visit_periods,
)
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.payments import PAYMENT_METHODS, Receipt, VisitLine, record_visit_payment
from caseworker.ui.i18n import is_english, message_for, scheme_name
from caseworker.ui.icons import icon
from caseworker.ui.models.payments import method_label
from caseworker.ui.style import scaled, set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, add_dialog_buttons, scrolling
from caseworker.ui.widgets.scheme_chooser import yuan


@dataclass
class SchemeRow:
    """One person × scheme line of the dialog and its widgets."""

    scheme: SchemePeriods
    check: QCheckBox
    period: QComboBox
    months: QSpinBox
    choice: QLabel
    amount: QLabel

    def option(self) -> PeriodOption | None:
        index = self.period.currentIndex()
        return self.scheme.open[index] if 0 <= index < len(self.scheme.open) else None

    def months_value(self) -> int:
        return self.months.value() if self.scheme.period_kind == "month" else 1

    def personal_fen(self) -> int:
        """What the person pays for the chosen period (monthly: per month × months, as
        ``contribution`` rounds each month)."""
        option = self.option()
        if option is None or option.due is None:
            return 0
        return option.due.personal_fen * self.months_value()

    def chosen(self) -> bool:
        option = self.option()
        return self.check.isChecked() and option is not None and option.due is not None


def period_label(period: Period) -> str:
    return period.label_en if is_english() else period.label


class PaymentDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        person_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.session = session
        self.runner = runner
        self.person_id = person_id
        self.today = today
        self.visit: VisitOptions | None = None
        self.rows: list[SchemeRow] = []
        self.receipts: list[Receipt] = []
        self._busy = False
        self._printing = False
        self.printed = 0  # receipts this dialog sent straight to the printer
        self.setWindowTitle(self.tr("收费"))
        self.setMinimumWidth(scaled(860))  # its lines do not scroll sideways

        self.who = QLabel()
        self.who.setObjectName("paymentPerson")
        self.banner = Banner("paymentBanner")
        self.lines = QGridLayout()
        self.lines.setHorizontalSpacing(10)
        self.lines.setColumnStretch(0, 3)
        self.lines.setColumnStretch(1, 2)
        self.lines.setColumnStretch(3, 1)
        for column, caption in enumerate(
            (self.tr("缴费项目"), self.tr("缴费期间"), self.tr("月数"), self.tr("档次/基数"))
        ):
            self.lines.addWidget(self._heading(caption), 0, column)
        self.lines.addWidget(self._heading(self.tr("应缴金额")), 0, 4, Qt.AlignmentFlag.AlignRight)
        holder = QWidget()
        holder.setObjectName("paymentLines")
        holder.setLayout(self.lines)
        scroll = scrolling("paymentScroll", holder)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(scaled(200))  # as many lines at a larger text size

        self.total = QLabel()
        self.total.setObjectName("paymentTotal")
        set_role(self.total, "figure")
        self.capitals = QLabel()
        self.capitals.setObjectName("paymentCapitals")
        self.method = QComboBox()
        self.method.setObjectName("paymentMethod")
        self.method.setAccessibleName(self.tr("缴费方式"))
        for method in PAYMENT_METHODS:
            self.method.addItem(method_label(method), method)
        form = QFormLayout()
        form.addRow(self.tr("合计"), self.total)
        capitals_label = QLabel(self.tr("金额大写"))
        form.addRow(capitals_label, self.capitals)
        # The amount in Chinese capitals (大写) is what the printed receipt says; in English the
        # figures say the same, so the row is left out rather than shown in Chinese.
        form.setRowVisible(self.capitals, not is_english())
        form.addRow(self.tr("缴费方式"), self.method)
        self.receipt_label = QLabel()
        self.receipt_label.setObjectName("receiptNumber")
        self.receipt_label.setWordWrap(True)
        set_role(self.receipt_label, "heading")
        set_tone(self.receipt_label, "success")
        self.receipt_label.hide()

        self.confirm_button = QPushButton(icon("pay"), self.tr("确认收费"))
        self.confirm_button.setObjectName("confirmPayment")
        self.confirm_button.setAccessibleName(self.tr("确认收费"))
        self.confirm_button.setDefault(True)
        # One key prints on this desk's receipt printer; the preview is the next key.
        self.print_button = QPushButton(icon("print"), self.tr("打印收据"))
        self.print_button.setObjectName("printReceipt")
        self.print_button.setAccessibleName(self.tr("打印收据"))
        self.print_button.setToolTip(self.tr("直接打印到本机的收据打印机（Ctrl+P）"))
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.preview_button = QPushButton(icon("preview"), self.tr("预览…"))
        self.preview_button.setObjectName("previewReceipt")
        self.preview_button.setAccessibleName(self.tr("预览收据"))
        self.preview_button.setToolTip(
            self.tr("预览收据，可选择打印机或另存为 PDF（Ctrl+Shift+P）")
        )
        self.preview_button.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setObjectName("closePayment")
        self.close_button.setAccessibleName(self.tr("关闭"))
        # Enter confirms wherever the focus is, even on 关闭 after tabbing past the method: a
        # dialog's buttons take Enter for themselves when focused (autoDefault) otherwise.
        self.close_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(self.receipt_label)
        add_dialog_buttons(
            layout,
            confirm=self.confirm_button,
            dismiss=self.close_button,
            actions=(self.preview_button, self.print_button),
        )
        # Ctrl+Enter confirms from anywhere (Enter alone may be taken by a list).
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.confirm)

        self.confirm_button.clicked.connect(self.confirm)
        self.print_button.clicked.connect(self.print_receipt)
        self.preview_button.clicked.connect(self.preview_receipt)
        self.close_button.clicked.connect(self.reject)
        self._update_print()
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在读取参保信息……"), "info")
        database, actor, day = session.database, session.actor, today()
        runner.submit(
            lambda control: visit_periods(database, actor, person_id, day=day),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    @property
    def person(self) -> VisitOptions | None:
        return self.visit

    @property
    def receipt(self) -> Receipt | None:
        """The visit's (first) receipt, once paid."""
        return self.receipts[0] if self.receipts else None

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        set_role(label, "strong")
        set_tone(label, "hint")
        return label

    # --- filling the lines ---------------------------------------------------------------

    def _period_text(self, option: PeriodOption, months: int = 1) -> str:
        period = option.period
        if months > 1:
            period = month_period(period.start, months)
        text = period_label(period)
        return self.tr("{period}（补缴）").format(period=text) if option.open.arrears else text

    def _loaded(self, visit: VisitOptions) -> None:
        self.visit = visit
        self.banner.clear()
        self.who.setText(
            self.tr("缴费人：{name}（{id}）").format(
                name=visit.payer_name, id=visit.payer_masked_id_number
            )
        )
        for number, scheme in enumerate(visit.schemes, start=1):
            self.rows.append(self._add_row(number, scheme))
        self.lines.setRowStretch(self.lines.rowCount(), 1)  # lines at the top, not spread
        if not visit.schemes:
            self.banner.show_message(
                self.tr("该人员没有有效的参保险种，请先办理参保登记。"), "warning"
            )
        elif not any(row.check.isEnabled() for row in self.rows):
            self.banner.show_message(self.tr("今天没有可以缴费的期间。"), "info")
        first = next((row.check for row in self.rows if row.check.isEnabled()), None)
        if first is not None:
            first.setFocus()
        self._update()

    def _add_row(self, number: int, scheme: SchemePeriods) -> SchemeRow:
        name = scheme_name(scheme.scheme)
        others = self.visit is not None and scheme.person_id != self.visit.payer_id
        text = self.tr("{person} · {scheme}").format(person=scheme.person_name, scheme=name)
        check = QCheckBox(f"&{number} {text}" if number <= 9 else text)
        check.setObjectName(f"payLine{number}")
        check.setAccessibleName(self.tr("缴费：{line}").format(line=text))
        period = QComboBox()
        period.setObjectName(f"payPeriod{number}")
        period.setAccessibleName(self.tr("{line}的缴费期间").format(line=text))
        for option in scheme.open:
            period.addItem(self._period_text(option))
        months = QSpinBox()
        months.setObjectName(f"payMonths{number}")
        months.setAccessibleName(self.tr("{line}的缴费月数").format(line=text))
        months.setRange(1, max(scheme.max_months, 1))
        months.setSuffix(self.tr(" 个月"))
        months.setVisible(scheme.period_kind == "month")
        choice = QLabel(self._choice_text(scheme))
        choice.setWordWrap(True)
        amount = QLabel()
        amount.setObjectName(f"payAmount{number}")
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = SchemeRow(scheme, check, period, months, choice, amount)
        self._describe(row)
        # Pre-selected: the payer's own schemes with the period being collected open. Never a
        # paid one, never arrears (the clerk chooses those), never a household member's.
        current = next((i for i, o in enumerate(scheme.open) if not o.open.arrears), None)
        if current is not None:
            period.setCurrentIndex(current)
        check.setChecked(
            not others and current is not None and scheme.open[current].due is not None
        )
        check.toggled.connect(self._update)
        period.currentIndexChanged.connect(lambda _index, r=row: self._row_changed(r))
        months.valueChanged.connect(lambda _value, r=row: self._row_changed(r))
        line = self.lines.rowCount()
        self.lines.addWidget(check, line, 0)
        self.lines.addWidget(period, line, 1)
        self.lines.addWidget(months, line, 2)
        self.lines.addWidget(choice, line, 3)
        self.lines.addWidget(amount, line, 4, Qt.AlignmentFlag.AlignRight)
        if scheme.paid and row.check.isEnabled():
            # Arrears are still open, but the period being collected is paid: say so.
            note = QLabel(self._paid_text(scheme))
            note.setObjectName(f"payPaid{number}")
            set_tone(note, "success")
            self.lines.addWidget(note, line + 1, 1, 1, 4)
        return row

    def _paid_text(self, scheme: SchemePeriods) -> str:
        return self.tr("、").join(
            self.tr("{period} 已缴费（收据 {number}）").format(
                period=period_label(paid.period), number=paid.reference
            )
            for paid in scheme.paid
        )

    def _choice_text(self, scheme: SchemePeriods) -> str:
        enrolment = scheme.enrolment
        if enrolment.tier_fen is not None:
            return self.tr("{n}元档").format(n=yuan(enrolment.tier_fen))
        if enrolment.base_fen is not None:
            return self.tr("月缴费基数{n}元").format(n=format_yuan(enrolment.base_fen))
        return ""

    def _describe(self, row: SchemeRow) -> None:
        """What a line says when nothing is left to pay: paid (with the receipt) or closed."""
        scheme = row.scheme
        usable = [o for o in scheme.open if o.due is not None]
        if usable:
            return
        row.check.setEnabled(False)
        row.period.setEnabled(False)
        row.months.setEnabled(False)
        if scheme.paid:
            row.period.addItem(self._paid_text(scheme))
            row.amount.setText(self.tr("已缴费"))
        elif scheme.open:
            problem = scheme.open[0].problem_en if is_english() else scheme.open[0].problem
            row.period.addItem(problem or self.tr("无法计算金额"))
        else:
            row.period.addItem(self.tr("今天不在征缴期"))
        row.period.setToolTip(row.period.currentText())

    def _row_changed(self, row: SchemeRow) -> None:
        option = row.option()
        if option is not None and row.scheme.period_kind == "month":
            row.period.setItemText(
                row.period.currentIndex(), self._period_text(option, row.months_value())
            )
        self._update()

    # --- totals and state --------------------------------------------------------------

    def _update(self) -> None:
        for row in self.rows:
            option = row.option()
            if option is not None and option.due is not None:
                amount = format_yuan(row.personal_fen())
                row.amount.setText(self.tr("¥{amount}").format(amount=amount))
        chosen = [row for row in self.rows if row.chosen()]
        total = sum(row.personal_fen() for row in chosen)
        self.total.setText(
            self.tr("¥{amount}（{count}项）").format(amount=format_yuan(total), count=len(chosen))
        )
        self.capitals.setText(to_chinese_capitals(total))
        self.confirm_button.setEnabled(bool(chosen) and not self.receipts and not self._busy)

    def chosen_lines(self) -> list[VisitLine]:
        lines = []
        for row in self.rows:
            option = row.option()
            if row.chosen() and option is not None:
                scheme = row.scheme
                lines.append(
                    VisitLine(
                        scheme.person_id, scheme.scheme, option.period.start, row.months_value()
                    )
                )
        return lines

    def confirm(self) -> None:
        lines = self.chosen_lines()
        if not lines or self._busy or self.receipts:
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在收费……"), "info")
        database, actor = self.session.database, self.session.actor
        method, day = self.method.currentData(), self.today()
        self.runner.submit(
            lambda control: record_visit_payment(database, actor, lines, method=method, today=day),
            lane="write",
            on_success=self._paid,
            on_failure=self._failed,
        )

    def _paid(self, receipts: list[Receipt]) -> None:
        self._busy = False
        self.receipts = list(receipts)
        self.banner.show_message(self.tr("收费成功。"), "success")
        numbers = self.tr("、").join(r.receipt_number for r in receipts)
        self.receipt_label.setText(self.tr("收据号：{number}").format(number=numbers))
        self.receipt_label.show()
        for row in self.rows:  # a recorded payment is changed only by voiding it
            for widget in (row.check, row.period, row.months):
                widget.setEnabled(False)
        self.method.setEnabled(False)
        self.confirm_button.setEnabled(False)
        self.close_button.setText(self.tr("完成"))
        self._update_print()
        self.print_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, ValidationFailed):
            text = self.tr("；").join(message_for(e) for e in error.errors)
        elif isinstance(error, ServiceError):
            text = message_for(error)
        else:
            text = self.tr("操作失败：{error}").format(error=error)
        self.banner.show_message(text, "error")
        self._update()

    def _update_print(self) -> None:
        self.print_button.setEnabled(bool(self.receipts) and not self._printing)
        self.preview_button.setEnabled(bool(self.receipts))

    def print_receipt(self) -> None:
        """Straight to this desk's receipt printer (``ui.desk_printing``), no dialog."""
        if not self.receipts or self._printing:
            return
        from caseworker.ui.desk_printing import print_receipts_now  # reportlab loads late

        self._printing = True
        self._update_print()
        self.banner.show_message(self.tr("正在打印收据……"), "info")
        print_receipts_now(
            self,
            self.session,
            self.runner,
            [r.receipt_number for r in self.receipts],
            on_done=self._printed,
            on_failed=self._not_printed,
        )

    def _printed(self, count: int) -> None:
        self._printing = False
        self.printed += count
        self.banner.show_message(self.tr("收据已送到打印机。"), "success")
        self._update_print()

    def _not_printed(self, _error: BaseException) -> None:
        self._printing = False
        self.banner.show_message(self.tr("收据没有打印，请看提示。"), "error")
        self._update_print()

    def preview_receipt(self) -> None:
        if not self.receipts:
            return
        from caseworker.ui.printing import preview_receipt, preview_receipts  # reportlab loads late

        if len(self.receipts) == 1:
            number = self.receipts[0].receipt_number
            preview_receipt(self, self.session, number, self.runner)
        else:
            numbers = [r.receipt_number for r in self.receipts]
            preview_receipts(self, self.session, numbers, self.runner)

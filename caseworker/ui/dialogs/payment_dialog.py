"""Take a contribution for one of a person's active enrolments and hand back a receipt number.

The dialog shows exactly what ``record_payment`` will charge (same rules, same parameters,
computed by ``form_support.payment_due``) before the clerk confirms; the payment itself is
written on the runner's write lane, where the gapless receipt number is taken.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.services import form_support
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.payments import PAYMENT_METHODS, Receipt, record_payment
from caseworker.services.records import PersonDetail
from caseworker.ui.i18n import is_english, message_for, scheme_name
from caseworker.ui.models.payments import method_label
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner
from caseworker.ui.widgets.scheme_chooser import yuan


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
        self.person: PersonDetail | None = None
        self.options: list[form_support.PaymentOption] = []
        self.receipt: Receipt | None = None
        self._busy = False
        self.setWindowTitle(self.tr("收费"))
        self.setMinimumWidth(520)

        self.who = QLabel()
        self.who.setObjectName("paymentPerson")
        self.banner = Banner("paymentBanner")
        self.enrolment = QComboBox()
        self.enrolment.setObjectName("paymentEnrolment")
        self.enrolment.setAccessibleName(self.tr("缴费险种"))
        self.months = QSpinBox()
        self.months.setObjectName("paymentMonths")
        self.months.setAccessibleName(self.tr("缴费月数"))
        self.months.setSuffix(self.tr(" 个月"))
        self.method = QComboBox()
        self.method.setObjectName("paymentMethod")
        self.method.setAccessibleName(self.tr("缴费方式"))
        for method in PAYMENT_METHODS:
            self.method.addItem(method_label(method), method)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.addRow(self.tr("缴费险种"), self.enrolment)
        for key, caption in (
            ("period", self.tr("缴费期间")),
            ("choice", self.tr("档次/基数")),
        ):
            self.values[key] = self._value(key)
            form.addRow(caption, self.values[key])
        self.months_label = QLabel(self.tr("缴费月数"))
        self.months_label.setBuddy(self.months)
        form.addRow(self.months_label, self.months)
        for key, caption in (
            ("amount", self.tr("应缴金额")),
            ("capitals", self.tr("金额大写")),
            ("subsidy", self.tr("政府补贴")),
        ):
            self.values[key] = self._value(key)
            form.addRow(caption, self.values[key])
        self.values["amount"].setStyleSheet("font-size: 14pt; font-weight: 600;")
        # The amount in Chinese capitals (大写) is what the printed receipt says; in English the
        # figures above say the same, so the row is left out rather than shown in Chinese.
        form.setRowVisible(self.values["capitals"], not is_english())
        form.addRow(self.tr("缴费方式"), self.method)
        self.receipt_label = QLabel()
        self.receipt_label.setObjectName("receiptNumber")
        self.receipt_label.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1e5e33;")
        self.receipt_label.hide()

        self.confirm_button = QPushButton(self.tr("确认收费"))
        self.confirm_button.setObjectName("confirmPayment")
        self.confirm_button.setAccessibleName(self.tr("确认收费"))
        self.print_button = QPushButton(self.tr("打印收据"))
        self.print_button.setObjectName("printReceipt")
        self.print_button.setAccessibleName(self.tr("打印收据"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setObjectName("closePayment")
        self.close_button.setAccessibleName(self.tr("关闭"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.close_button, self.confirm_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.receipt_label)
        layout.addLayout(buttons)

        self.enrolment.currentIndexChanged.connect(self._update)
        self.months.valueChanged.connect(self._update)
        self.confirm_button.clicked.connect(self.confirm)
        self.print_button.clicked.connect(self.print_receipt)
        self.close_button.clicked.connect(self.reject)
        self._update_print()
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在读取参保信息……"), "info")
        database, actor, day = session.database, session.actor, today()
        runner.submit(
            lambda control: form_support.payment_options(database, actor, person_id, day=day),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def _value(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"payment_{key}")
        label.setWordWrap(True)
        return label

    def _loaded(self, loaded: tuple[PersonDetail, list[form_support.PaymentOption]]) -> None:
        self.person, self.options = loaded
        self.banner.clear()
        self.who.setText(
            self.tr("缴费人：{name}（{id}）").format(
                name=self.person.name, id=self.person.masked_id_number
            )
        )
        self.enrolment.blockSignals(True)
        for option in self.options:
            self.enrolment.addItem(scheme_name(option.enrolment.scheme))
        self.enrolment.blockSignals(False)
        if not self.options:
            self.banner.show_message(
                self.tr("该人员没有有效的参保险种，请先办理参保登记。"), "warning"
            )
        self._update()

    def _option(self) -> form_support.PaymentOption | None:
        index = self.enrolment.currentIndex()
        return self.options[index] if 0 <= index < len(self.options) else None

    def _update(self) -> None:
        option = self._option()
        for label in self.values.values():
            label.clear()
        monthly = option is not None and option.max_months > 1
        self.months.setVisible(monthly)
        self.months_label.setVisible(monthly)
        if option is None or self.person is None:
            self.confirm_button.setEnabled(False)
            return
        self.months.blockSignals(True)
        self.months.setRange(1, option.max_months)
        self.months.blockSignals(False)
        enrolment = option.enrolment
        if enrolment.tier_fen is not None:
            self.values["choice"].setText(self.tr("{n}元档").format(n=yuan(enrolment.tier_fen)))
        elif enrolment.base_fen is not None:
            self.values["choice"].setText(
                self.tr("月缴费基数{n}元").format(n=format_yuan(enrolment.base_fen))
            )
        try:
            due = form_support.payment_due(
                self.person,
                enrolment,
                months=self.months.value(),
                day=self.today(),
                centre_province=form_support.province_of_centre(self.session.actor),
            )
        except InvalidValue as error:
            self.banner.show_message(message_for(error), "error")
            self.confirm_button.setEnabled(False)
            return
        self.values["period"].setText(
            self.tr("{start} 至 {end}").format(start=due.period_start, end=due.period_end)
        )
        self.values["amount"].setText(
            self.tr("¥{amount}").format(amount=format_yuan(due.personal_fen))
        )
        self.values["capitals"].setText(to_chinese_capitals(due.personal_fen))
        subsidy = self.tr("{n}元").format(n=format_yuan(due.subsidy_fen))
        if due.paid_by_government_fen:
            subsidy += self.tr("；政府代缴{n}元").format(n=format_yuan(due.paid_by_government_fen))
        self.values["subsidy"].setText(subsidy)
        self.confirm_button.setEnabled(self.receipt is None and not self._busy)

    def confirm(self) -> None:
        option = self._option()
        if option is None or self._busy or self.receipt is not None:
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在收费……"), "info")
        database, actor = self.session.database, self.session.actor
        scheme, method = option.enrolment.scheme, self.method.currentData()
        months = self.months.value() if option.max_months > 1 else 1
        person_id, day = self.person_id, self.today()
        self.runner.submit(
            lambda control: record_payment(
                database,
                actor,
                person_id=person_id,
                scheme=scheme,
                method=method,
                months=months,
                today=day,
            ),
            lane="write",
            on_success=self._paid,
            on_failure=self._failed,
        )

    def _paid(self, receipt: Receipt) -> None:
        self._busy = False
        self.receipt = receipt
        self.banner.show_message(self.tr("收费成功。"), "success")
        self.receipt_label.setText(
            self.tr("收据号：{number}").format(number=receipt.receipt_number)
        )
        self.receipt_label.show()
        for widget in (self.enrolment, self.months, self.method):
            widget.setEnabled(False)  # a recorded payment is changed only by voiding it
        self.confirm_button.setEnabled(False)
        self.close_button.setText(self.tr("完成"))
        self._update_print()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, ValidationFailed):
            text = self.tr("；").join(message_for(e) for e in error.errors)
        elif isinstance(error, ServiceError):
            text = message_for(error)
        else:
            text = self.tr("操作失败：{error}").format(error=error)
        self.banner.show_message(text, "error")
        self.confirm_button.setEnabled(self._option() is not None and self.receipt is None)

    def _update_print(self) -> None:
        self.print_button.setEnabled(self.receipt is not None)

    def print_receipt(self) -> None:
        if self.receipt is not None:
            from caseworker.ui.printing import preview_receipt  # reportlab loads on first print

            preview_receipt(self, self.session, self.receipt.receipt_number, reprint=False)

"""Record a contribution the person paid through the tax authority's channels (bank, WeChat,
Alipay, the tax app): the scheme, the period, the channel, the voucher number and the date paid.

The amount due is shown from the same rules ``record_tax_payment`` applies; the voucher's own
amount may be typed to have it checked. A refusal is shown beside the field it is about and
nothing typed is lost; the payment is written on the runner's write lane.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, parse_yuan
from caseworker.domain.schemes import add_months
from caseworker.domain.tax_channels import TAX_CHANNELS
from caseworker.services import form_support
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.records import PersonDetail
from caseworker.services.tax_payments import TaxPayment, record_tax_payment
from caseworker.ui.i18n import message_for, scheme_name
from caseworker.ui.models.payments import method_label
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, FieldBox, add_dialog_buttons

MONTHS_BACK = 12  # monthly schemes: periods offered from a year back to next month


def period_choices(yearly: bool, today: date) -> list[date]:
    """First days of the periods offered, newest first; the current one is the default."""
    if yearly:
        return [date(today.year + offset, 1, 1) for offset in (1, 0, -1)]
    first = today.replace(day=1)
    return [add_months(first, offset) for offset in range(1, -MONTHS_BACK - 1, -1)]


class TaxPaymentDialog(QDialog):
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
        self.setObjectName("taxPaymentDialog")
        self.session = session
        self.runner = runner
        self.person_id = person_id
        self.today = today
        self.person: PersonDetail | None = None
        self.options: list[form_support.PaymentOption] = []
        self.recorded: TaxPayment | None = None
        self._busy = False
        self.setWindowTitle(self.tr("登记税务渠道缴费"))
        self.setMinimumWidth(560)

        self.who = QLabel(objectName="taxPaymentPerson")
        self.banner = Banner("taxPaymentBanner")
        self.note = QLabel(
            self.tr("缴费人已通过税务渠道缴费：按完税（缴费）凭证登记，本中心不开收据。")
        )
        self.note.setObjectName("taxPaymentNote")
        self.note.setWordWrap(True)
        set_tone(self.note, "hint")

        self.scheme = self._combo("taxScheme", self.tr("险种"))
        self.period = self._combo("taxPeriod", self.tr("缴费期间"))
        self.months = QSpinBox(objectName="taxMonths")
        self.months.setAccessibleName(self.tr("缴费月数"))
        self.months.setSuffix(self.tr(" 个月"))
        self.channel = self._combo("taxChannel", self.tr("缴费渠道"))
        for code in TAX_CHANNELS:
            self.channel.addItem(method_label(code), code)
        self.voucher = QLineEdit(objectName="taxVoucher")
        self.voucher.setAccessibleName(self.tr("凭证号"))
        self.voucher.setPlaceholderText(self.tr("完税凭证或缴费凭证上的号码"))
        self.voucher.setMaxLength(60)
        self.paid_on = QDateEdit(objectName="taxPaidOn")
        self.paid_on.setAccessibleName(self.tr("缴费日期"))
        self.paid_on.setCalendarPopup(True)
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        day = today()
        self.paid_on.setDate(QDate(day.year, day.month, day.day))
        self.amount = QLineEdit(objectName="taxAmount")
        self.amount.setAccessibleName(self.tr("凭证金额"))
        self.amount.setPlaceholderText(self.tr("可不填；填写则与应缴金额核对"))
        self.due = QLabel(objectName="taxDue")
        set_role(self.due, "heading")
        self.due.setWordWrap(True)

        self.boxes = {
            "period": FieldBox(self.period, self.months, name="taxPeriod"),
            "channel": FieldBox(self.channel, name="taxChannel"),
            "voucher_number": FieldBox(self.voucher, name="taxVoucher"),
            "paid_on": FieldBox(self.paid_on, name="taxPaidOn"),
            "amount": FieldBox(self.amount, name="taxAmount"),
        }
        form = QFormLayout()
        form.addRow(self.tr("险种"), self.scheme)
        form.addRow(self.tr("缴费期间"), self.boxes["period"])
        form.addRow(self.tr("应缴金额"), self.due)
        form.addRow(self.tr("缴费渠道"), self.boxes["channel"])
        form.addRow(self.tr("凭证号"), self.boxes["voucher_number"])
        form.addRow(self.tr("缴费日期"), self.boxes["paid_on"])
        form.addRow(self.tr("凭证金额（元）"), self.boxes["amount"])
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field and isinstance(label.widget(), QLabel):
                inner = field.widget()
                buddy = inner.inputs[0] if isinstance(inner, FieldBox) else inner
                label.widget().setBuddy(buddy)

        self.confirm_button = QPushButton(self.tr("确认登记"))
        self.confirm_button.setObjectName("confirmTaxPayment")
        self.confirm_button.setAccessibleName(self.tr("确认登记"))
        self.confirm_button.setDefault(True)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setObjectName("closeTaxPayment")
        self.close_button.setAccessibleName(self.tr("关闭"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.note)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        add_dialog_buttons(layout, confirm=self.confirm_button, dismiss=self.close_button)

        self.scheme.currentIndexChanged.connect(self._scheme_changed)
        self.period.currentIndexChanged.connect(self._update_due)
        self.months.valueChanged.connect(self._update_due)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)
        # A field's message goes once the clerk changes that field.
        for signal, box in (
            (self.period.currentIndexChanged, "period"),
            (self.months.valueChanged, "period"),
            (self.channel.currentIndexChanged, "channel"),
            (self.voucher.textEdited, "voucher_number"),
            (self.paid_on.dateChanged, "paid_on"),
            (self.amount.textEdited, "amount"),
        ):
            signal.connect(self.boxes[box].clear)
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在读取参保信息……"), "info")
        database, actor = session.database, session.actor
        runner.submit(
            lambda control: form_support.payment_options(database, actor, person_id, day=day),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(objectName=name)
        combo.setAccessibleName(accessible)
        return combo

    # -- loading and the amount due ---------------------------------------------------------

    def _loaded(self, loaded: tuple[PersonDetail, list[form_support.PaymentOption]]) -> None:
        self.person, self.options = loaded
        self.banner.clear()
        self.who.setText(
            self.tr("缴费人：{name}（{id}）").format(
                name=self.person.name, id=self.person.masked_id_number
            )
        )
        self.scheme.blockSignals(True)
        for option in self.options:
            self.scheme.addItem(scheme_name(option.enrolment.scheme))
        self.scheme.blockSignals(False)
        if not self.options:
            self.banner.show_message(
                self.tr("该人员没有有效的参保险种，请先办理参保登记。"), "warning"
            )
        self._scheme_changed()

    def _option(self) -> form_support.PaymentOption | None:
        index = self.scheme.currentIndex()
        return self.options[index] if 0 <= index < len(self.options) else None

    def _scheme_changed(self) -> None:
        option = self._option()
        yearly = option is None or option.max_months == 1
        self.period.blockSignals(True)
        self.period.clear()
        day = self.today()
        choices = period_choices(yearly, day)
        for start in choices:
            self.period.addItem(f"{start.year}" if yearly else f"{start:%Y-%m}", start)
        current = date(day.year, 1, 1) if yearly else day.replace(day=1)
        self.period.setCurrentIndex(choices.index(current))
        self.period.blockSignals(False)
        self.months.blockSignals(True)
        self.months.setRange(1, option.max_months if option else 1)
        self.months.setValue(1)
        self.months.blockSignals(False)
        self.months.setVisible(not yearly)
        self._update_due()

    def _update_due(self) -> None:
        option = self._option()
        self.due.clear()
        if option is None or self.person is None:
            self.confirm_button.setEnabled(False)
            return
        try:
            due = form_support.payment_due(
                self.person,
                option.enrolment,
                months=self.months.value() if self.months.isVisibleTo(self) else 1,
                day=self.period.currentData(),
                centre_province=form_support.province_of_centre(self.session.actor),
            )
        except InvalidValue as error:
            self.boxes["period"].set_error(message_for(error))
            self.confirm_button.setEnabled(False)
            return
        self.boxes["period"].clear()
        self.due.setText(
            self.tr("¥{amount}（{start} 至 {end}）").format(
                amount=format_yuan(due.personal_fen), start=due.period_start, end=due.period_end
            )
        )
        self.confirm_button.setEnabled(self.recorded is None and not self._busy)

    # -- recording ---------------------------------------------------------------------------

    def confirm(self) -> None:
        option = self._option()
        if option is None or self._busy or self.recorded is not None:
            return
        amount_fen = None
        if self.amount.text().strip():
            try:
                amount_fen = parse_yuan(self.amount.text())
            except InvalidValue as error:
                self.boxes["amount"].set_error(message_for(error))
                self.amount.setFocus()
                self.adjustSize()
                return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在登记……"), "info")
        database, actor = self.session.database, self.session.actor
        fields = dict(
            person_id=self.person_id,
            scheme=option.enrolment.scheme,
            period_start=self.period.currentData(),
            months=self.months.value() if option.max_months > 1 else 1,
            method=self.channel.currentData(),
            voucher_number=self.voucher.text(),
            paid_on=self.paid_on.date().toPython(),
            amount_fen=amount_fen,
            today=self.today(),
        )
        self.runner.submit(
            lambda control: record_tax_payment(database, actor, **fields),
            lane="write",
            on_success=self._recorded,
            on_failure=self._failed,
        )

    def _recorded(self, recorded: TaxPayment) -> None:
        self._busy = False
        self.recorded = recorded
        self.banner.show_message(
            self.tr("已登记税务渠道缴费：凭证号 {number}，{amount} 元。").format(
                number=recorded.voucher_number, amount=format_yuan(recorded.personal_fen)
            ),
            "success",
        )
        for widget in (self.scheme, self.period, self.months, self.channel, self.voucher):
            widget.setEnabled(False)  # a recorded payment is corrected only by voiding it
        for widget in (self.paid_on, self.amount):
            widget.setEnabled(False)
        self.confirm_button.setEnabled(False)
        self.close_button.setText(self.tr("完成"))
        self.close_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, ValidationFailed):
            shown = []
            for problem in error.errors:
                box = self.boxes.get(problem.field)
                if box is not None:
                    box.set_error(message_for(problem))
                    shown.append(box)
                else:
                    self.banner.show_message(message_for(problem), "error")
            if shown:
                self.banner.show_message(self.tr("请按提示改正标红的项目。"), "error")
                shown[0].inputs[0].setFocus()
        elif isinstance(error, ServiceError):
            self.banner.show_message(message_for(error), "error")
        else:
            self.banner.show_message(self.tr("操作失败：{error}").format(error=error), "error")
        self.confirm_button.setEnabled(self._option() is not None and self.recorded is None)
        self.adjustSize()  # grow to show every message in full, never clip one

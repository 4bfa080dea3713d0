"""The day's payments list."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from caseworker.ui.models.labels import money, scheme_short
from caseworker.ui.models.table import Column, RecordTableModel

# How a payment was made; marked for lupdate here, translated where shown (method_label).
METHODS = {
    "cash": QT_TRANSLATE_NOOP("PaymentColumns", "现金"),
    "bank_card": QT_TRANSLATE_NOOP("PaymentColumns", "银行卡"),
    "wechat": QT_TRANSLATE_NOOP("PaymentColumns", "微信"),
    "alipay": QT_TRANSLATE_NOOP("PaymentColumns", "支付宝"),
    "bank_transfer": QT_TRANSLATE_NOOP("PaymentColumns", "银行转账"),
    # The tax authority's channels (payment.channel "tax"); wechat and alipay as above.
    "bank": QT_TRANSLATE_NOOP("PaymentColumns", "银行"),
    "tax_app": QT_TRANSLATE_NOOP("PaymentColumns", "税务APP"),
}


def method_label(method: str) -> str:
    marked = METHODS.get(method)
    return QCoreApplication.translate("PaymentColumns", marked) if marked else method


def reference_text(payment: object) -> str:
    """The centre's receipt number, or the tax voucher of a tax-channel payment."""
    if getattr(payment, "channel", "desk") == "tax":
        return QCoreApplication.translate("PaymentColumns", "税务凭证 %1").replace(
            "%1", payment.voucher_number or ""
        )
    return payment.receipt_number or ""


def channel_label(payment: object) -> str:
    if getattr(payment, "channel", "desk") == "tax":
        return QCoreApplication.translate("PaymentColumns", "税务渠道")
    return QCoreApplication.translate("PaymentColumns", "柜台")


class DayPaymentsModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column(
                QCoreApplication.translate("PaymentColumns", "时间"),
                lambda p: p.paid_at.astimezone().strftime("%H:%M"),
                sort=lambda p: p.paid_at,
            ),
            Column(QCoreApplication.translate("PaymentColumns", "收据号/凭证号"), reference_text),
            Column(QCoreApplication.translate("PaymentColumns", "姓名"), lambda p: p.person_name),
            Column(
                QCoreApplication.translate("PaymentColumns", "身份证号"),
                lambda p: p.masked_id_number,
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "险种"),
                lambda p: scheme_short(p.scheme),
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "金额（元）"),
                lambda p: money(p.amount_fen),
                sort=lambda p: p.amount_fen,
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "个人缴纳（元）"),
                lambda p: money(p.personal_fen),
                sort=lambda p: p.personal_fen,
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "方式"),
                lambda p: method_label(p.method),
            ),
            Column(QCoreApplication.translate("PaymentColumns", "渠道"), channel_label),
            Column(
                QCoreApplication.translate("PaymentColumns", "经办人"), lambda p: p.operator_name
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "状态"),
                lambda p: (
                    QCoreApplication.translate("PaymentColumns", "已作废")
                    if p.voided
                    else QCoreApplication.translate("PaymentColumns", "有效")
                ),
            ),
        ]
        super().__init__(columns, parent)

    def total_personal_fen(self) -> int:
        return sum(p.personal_fen for p in self.rows if not p.voided)

    def desk_personal_fen(self) -> int:
        """Cash taken at the desk (to remit); tax-channel payments went to the tax authority."""
        return sum(p.personal_fen for p in self.rows if not p.voided and p.channel == "desk")

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
}


def method_label(method: str) -> str:
    marked = METHODS.get(method)
    return QCoreApplication.translate("PaymentColumns", marked) if marked else method


class DayPaymentsModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column(
                QCoreApplication.translate("PaymentColumns", "时间"),
                lambda p: p.paid_at.astimezone().strftime("%H:%M"),
                sort=lambda p: p.paid_at,
            ),
            Column(
                QCoreApplication.translate("PaymentColumns", "收据号"), lambda p: p.receipt_number
            ),
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

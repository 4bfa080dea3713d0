"""The day's payments list."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from caseworker.ui.models.labels import money, scheme_short
from caseworker.ui.models.table import Column, RecordTableModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentColumns", text)


def method_label(method: str) -> str:
    labels = {
        "cash": _tr("现金"),
        "bank_card": _tr("银行卡"),
        "wechat": _tr("微信"),
        "alipay": _tr("支付宝"),
        "bank_transfer": _tr("银行转账"),
    }
    return labels.get(method, method)


class DayPaymentsModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column(
                _tr("时间"),
                lambda p: p.paid_at.astimezone().strftime("%H:%M"),
                sort=lambda p: p.paid_at,
            ),
            Column(_tr("收据号"), lambda p: p.receipt_number),
            Column(_tr("姓名"), lambda p: p.person_name),
            Column(_tr("身份证号"), lambda p: p.masked_id_number),
            Column(_tr("险种"), lambda p: scheme_short(p.scheme)),
            Column(
                _tr("金额（元）"),
                lambda p: money(p.amount_fen),
                sort=lambda p: p.amount_fen,
                align_right=True,
            ),
            Column(
                _tr("个人缴纳（元）"),
                lambda p: money(p.personal_fen),
                sort=lambda p: p.personal_fen,
                align_right=True,
            ),
            Column(_tr("方式"), lambda p: method_label(p.method)),
            Column(_tr("经办人"), lambda p: p.operator_name),
            Column(_tr("状态"), lambda p: _tr("已作废") if p.voided else _tr("有效")),
        ]
        super().__init__(columns, parent)

    def total_personal_fen(self) -> int:
        return sum(p.personal_fen for p in self.rows if not p.voided)

"""Table models of the review page: the day's changes, and each operator's day to close."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from caseworker.services.day_close import OperatorDay
from caseworker.services.review import ReviewItem
from caseworker.ui.models.labels import money, scheme_short
from caseworker.ui.models.table import Column, RecordTableModel

CONTEXT = "ReviewColumns"
KINDS = {
    ("person", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "新增人员"),
    ("person", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "人员变更"),
    ("enrolment", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "参保登记"),
    ("enrolment", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "参保变更"),
    ("payment", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "缴费"),
    ("payment", "void"): QT_TRANSLATE_NOOP("ReviewColumns", "作废"),
    ("employer", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "新增单位"),
    ("employer", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "单位变更"),
    ("household", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "新增家庭户"),
    ("household", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "家庭户变更"),
    ("survey_entry", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "入户调查"),
    ("survey_entry", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "调查变更"),
    ("coverage", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "参保状态"),
    ("coverage", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "参保状态变更"),
    ("employment", "create"): QT_TRANSLATE_NOOP("ReviewColumns", "增员"),
    ("employment", "update"): QT_TRANSLATE_NOOP("ReviewColumns", "减员或基数变更"),
}
STATES = {
    "unreviewed": QT_TRANSLATE_NOOP("ReviewColumns", "待审核"),
    "approved": QT_TRANSLATE_NOOP("ReviewColumns", "已通过"),
    "returned": QT_TRANSLATE_NOOP("ReviewColumns", "已退回"),
    "corrected": QT_TRANSLATE_NOOP("ReviewColumns", "已更正，待审核"),
    "uploaded": QT_TRANSLATE_NOOP("ReviewColumns", "已上传"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def kind_label(item: ReviewItem) -> str:
    marked = KINDS.get((item.entity_type, item.change))
    return _tr(marked) if marked else f"{item.entity_type}/{item.change}"


def state_label(state: str) -> str:
    marked = STATES.get(state)
    return _tr(marked) if marked else state


def item_detail(item: ReviewItem) -> str:
    """Scheme, receipt number and amount, where the change has them."""
    parts = []
    if item.scheme:
        parts.append(scheme_short(item.scheme))
    if item.receipt_number:
        parts.append(item.receipt_number)
    if item.amount_fen is not None:
        parts.append(
            QCoreApplication.translate("ReviewColumns", "¥%1").replace("%1", money(item.amount_fen))
        )
    return " ".join(parts)


class ReviewModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column(
                QCoreApplication.translate("ReviewColumns", "时间"),
                lambda i: i.recorded_at.strftime("%H:%M"),
                sort=lambda i: i.seq,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "经办人"), lambda i: i.operator_name
            ),
            Column(QCoreApplication.translate("ReviewColumns", "事项"), kind_label),
            Column(QCoreApplication.translate("ReviewColumns", "对象"), lambda i: i.subject),
            Column(QCoreApplication.translate("ReviewColumns", "内容"), item_detail),
            Column(
                QCoreApplication.translate("ReviewColumns", "审核"), lambda i: state_label(i.state)
            ),
            Column(QCoreApplication.translate("ReviewColumns", "意见"), lambda i: i.comment or ""),
        ]
        super().__init__(columns, parent)


class CloseDaysModel(RecordTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        def close_text(row: OperatorDay) -> str:
            if row.close is None:
                return QCoreApplication.translate("ReviewColumns", "未日结")
            return (
                QCoreApplication.translate("ReviewColumns", "已日结（%1 %2）")
                .replace("%1", row.close.closed_by)
                .replace("%2", row.close.closed_at.astimezone().strftime("%H:%M"))
            )

        columns = [
            Column(
                QCoreApplication.translate("ReviewColumns", "收款人"),
                lambda r: r.totals.operator_name,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "收据"),
                lambda r: str(r.totals.receipts),
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "作废笔数"),
                lambda r: str(r.totals.voids),
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "应收现金（元）"),
                lambda r: money(r.totals.expected_cash_fen),
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "实点现金（元）"),
                lambda r: money(r.close.counted_cash_fen) if r.close else "",
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("ReviewColumns", "差额（元）"),
                lambda r: money(r.close.difference_fen) if r.close else "",
                align_right=True,
            ),
            Column(QCoreApplication.translate("ReviewColumns", "状态"), close_text),
            Column(
                QCoreApplication.translate("ReviewColumns", "说明"),
                lambda r: (r.close.note or "") if r.close else "",
            ),
        ]
        super().__init__(columns, parent)

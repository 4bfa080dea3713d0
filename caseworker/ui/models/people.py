"""Models for people: search results (lazy), household members, a person's records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from caseworker.domain.dates import completed_years
from caseworker.domain.employment import EMPLOYEE_SCHEMES, NO_BASE
from caseworker.services.audit_words import ACTION_LABELS, words
from caseworker.services.centre import OpenSession
from caseworker.services.records import EnrolmentRecord, HistoryRecord, PaymentRecord
from caseworker.services.registry import summaries
from caseworker.ui.i18n import in_language
from caseworker.ui.models.labels import (
    code_label,
    codes_text,
    money,
    operator_label,
    scheme_short,
    schemes_text,
    sex_label,
    village_name,
)
from caseworker.ui.models.payments import reference_text
from caseworker.ui.models.table import Column, LazyTableModel, RecordTableModel
from caseworker.ui.tasks import TaskRunner

# Column headers and labels are built outside a QObject's tr(): they are translated with
# QCoreApplication.translate("PeopleColumns", ...), and the tables below are marked for
# lupdate with QT_TRANSLATE_NOOP and translated where they are shown (_tr).
_STATUSES = {
    "active": QT_TRANSLATE_NOOP("PeopleColumns", "参保中"),
    "suspended": QT_TRANSLATE_NOOP("PeopleColumns", "暂停"),
    "ended": QT_TRANSLATE_NOOP("PeopleColumns", "已终止"),
}


def _tr(marked: str) -> str:
    return QCoreApplication.translate("PeopleColumns", marked)


def _age(birth: date, today: date) -> str:
    return str(completed_years(birth, today))


class PersonResultsModel(LazyTableModel):
    """Search results: masked ID number, name, sex, age, village, coverage."""

    ID, NAME, SEX, AGE, VILLAGE, COVERAGE = range(6)

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        today = date.today()
        columns = [
            Column(
                QCoreApplication.translate("PeopleColumns", "身份证号"),
                lambda p: p.masked_id_number,
            ),
            Column(QCoreApplication.translate("PeopleColumns", "姓名"), lambda p: p.name),
            Column(QCoreApplication.translate("PeopleColumns", "性别"), lambda p: sex_label(p.sex)),
            Column(
                QCoreApplication.translate("PeopleColumns", "年龄"),
                lambda p: _age(p.birth_date, today),
                sort=lambda p: completed_years(p.birth_date, today),
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("PeopleColumns", "村（居）"),
                lambda p: village_name(p.village_code),
            ),
            Column(
                QCoreApplication.translate("PeopleColumns", "参保险种"),
                lambda p: schemes_text(p.schemes),
            ),
        ]
        super().__init__(columns, runner, partial(summaries, session.database), parent)


def household_columns(today: date) -> list[Column]:
    return [
        Column(
            QCoreApplication.translate("PeopleColumns", "与户主关系"),
            lambda m: code_label("relationship", m.relationship_to_head),
        ),
        Column(QCoreApplication.translate("PeopleColumns", "姓名"), lambda m: m.name),
        Column(
            QCoreApplication.translate("PeopleColumns", "身份证号"), lambda m: m.masked_id_number
        ),
        Column(QCoreApplication.translate("PeopleColumns", "性别"), lambda m: sex_label(m.sex)),
        Column(
            QCoreApplication.translate("PeopleColumns", "年龄"),
            lambda m: _age(m.birth_date, today),
            align_right=True,
        ),
    ]


def _amount(enrolment: EnrolmentRecord) -> str:
    """The tier or base; an employees' scheme whose base this centre does not hold (another
    centre's employee, pulled without it) shows a dash, not nothing and not 0."""
    if enrolment.tier_fen is None and enrolment.base_fen is None:
        return NO_BASE if enrolment.scheme in EMPLOYEE_SCHEMES else ""
    return money(enrolment.tier_fen or enrolment.base_fen)


def enrolment_columns() -> list[Column]:
    return [
        Column(
            QCoreApplication.translate("PeopleColumns", "险种"), lambda e: scheme_short(e.scheme)
        ),
        Column(QCoreApplication.translate("PeopleColumns", "状态"), lambda e: _status(e.status)),
        Column(
            QCoreApplication.translate("PeopleColumns", "档次/基数（元）"),
            lambda e: _amount(e),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "参保日期"),
            lambda e: e.start_date.isoformat(),
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "已查验材料"),
            lambda e: codes_text("document", e.documents),
        ),
    ]


def payment_columns() -> list[Column]:
    return [
        Column(QCoreApplication.translate("PeopleColumns", "收据号/凭证号"), reference_text),
        Column(
            QCoreApplication.translate("PeopleColumns", "险种"), lambda p: scheme_short(p.scheme)
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "所属期"),
            lambda p: (
                QCoreApplication.translate("PeopleColumns", "%1～%2")
                .replace("%1", f"{p.period_start:%Y-%m}")
                .replace("%2", f"{p.period_end:%Y-%m}")
            ),
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "金额（元）"),
            lambda p: money(p.amount_fen),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "个人缴纳（元）"),
            lambda p: money(p.personal_fen),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "缴费日期"),
            lambda p: p.business_date.isoformat(),
        ),
        Column(QCoreApplication.translate("PeopleColumns", "经办人"), _operator),
        Column(
            QCoreApplication.translate("PeopleColumns", "状态"),
            lambda p: (
                QCoreApplication.translate("PeopleColumns", "已作废")
                if p.voided
                else QCoreApplication.translate("PeopleColumns", "有效")
            ),
        ),
    ]


def history_columns() -> list[Column]:
    return [
        Column(
            QCoreApplication.translate("PeopleColumns", "时间"),
            lambda h: h.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            sort=lambda h: h.at,
        ),
        Column(QCoreApplication.translate("PeopleColumns", "操作员"), _operator),
        Column(
            QCoreApplication.translate("PeopleColumns", "操作"), lambda h: action_label(h.action)
        ),
        Column(
            QCoreApplication.translate("PeopleColumns", "变更内容"),
            lambda h: _changed_fields(h.detail),
        ),
    ]


def _operator(record: PaymentRecord | HistoryRecord) -> str:
    """The operator as the audit page names them (张丽（经办员）), not their user name."""
    return operator_label(
        record.operator_display_name or record.operator_name, record.operator_role
    )


def _status(status: str) -> str:
    return _tr(_STATUSES[status]) if status in _STATUSES else status


def action_label(action: str) -> str:
    """An audit action in words (one table for every screen: ``services.audit_words``)."""
    return in_language(*words(ACTION_LABELS, action))


def _changed_fields(detail: dict) -> str:
    changes = detail.get("changes") if isinstance(detail, dict) else None
    if isinstance(changes, dict):
        return ", ".join(sorted(changes))
    return ""


def record_model(columns: Sequence[Column], parent: QObject | None = None) -> RecordTableModel:
    return RecordTableModel(columns, parent)

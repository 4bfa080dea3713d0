"""Models for people: search results (lazy), household members, a person's records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject

from caseworker.domain.dates import completed_years
from caseworker.services.centre import OpenSession
from caseworker.services.registry import summaries
from caseworker.ui.models.labels import (
    code_label,
    money,
    scheme_short,
    schemes_text,
    sex_label,
    village_name,
)
from caseworker.ui.models.table import Column, LazyTableModel, RecordTableModel
from caseworker.ui.tasks import TaskRunner


def _tr(text: str) -> str:
    # Column headers are built outside a QObject's tr(); one context keeps .ts tidy.
    return QCoreApplication.translate("PeopleColumns", text)


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
            Column(_tr("身份证号"), lambda p: p.masked_id_number),
            Column(_tr("姓名"), lambda p: p.name),
            Column(_tr("性别"), lambda p: sex_label(p.sex)),
            Column(
                _tr("年龄"),
                lambda p: _age(p.birth_date, today),
                sort=lambda p: completed_years(p.birth_date, today),
                align_right=True,
            ),
            Column(_tr("村（居）"), lambda p: village_name(p.village_code)),
            Column(_tr("参保险种"), lambda p: schemes_text(p.schemes)),
        ]
        super().__init__(columns, runner, partial(summaries, session.database), parent)


def household_columns(today: date) -> list[Column]:
    return [
        Column(_tr("与户主关系"), lambda m: code_label("relationship", m.relationship_to_head)),
        Column(_tr("姓名"), lambda m: m.name),
        Column(_tr("身份证号"), lambda m: m.masked_id_number),
        Column(_tr("性别"), lambda m: sex_label(m.sex)),
        Column(_tr("年龄"), lambda m: _age(m.birth_date, today), align_right=True),
    ]


def enrolment_columns() -> list[Column]:
    return [
        Column(_tr("险种"), lambda e: scheme_short(e.scheme)),
        Column(_tr("状态"), lambda e: _status(e.status)),
        Column(_tr("档次/基数（元）"), lambda e: money(e.tier_fen or e.base_fen), align_right=True),
        Column(_tr("参保日期"), lambda e: e.start_date.isoformat()),
        Column(
            _tr("已查验材料"),
            lambda e: "、".join(code_label("document", d) for d in e.documents),
        ),
    ]


def payment_columns() -> list[Column]:
    return [
        Column(_tr("收据号"), lambda p: p.receipt_number),
        Column(_tr("险种"), lambda p: scheme_short(p.scheme)),
        Column(_tr("所属期"), lambda p: f"{p.period_start:%Y-%m}～{p.period_end:%Y-%m}"),
        Column(_tr("金额（元）"), lambda p: money(p.amount_fen), align_right=True),
        Column(_tr("个人缴纳（元）"), lambda p: money(p.personal_fen), align_right=True),
        Column(_tr("缴费日期"), lambda p: p.business_date.isoformat()),
        Column(_tr("经办人"), lambda p: p.operator_name),
        Column(_tr("状态"), lambda p: _tr("已作废") if p.voided else _tr("有效")),
    ]


def history_columns() -> list[Column]:
    return [
        Column(
            _tr("时间"),
            lambda h: h.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            sort=lambda h: h.at,
        ),
        Column(_tr("操作员"), lambda h: h.operator_name),
        Column(_tr("操作"), lambda h: action_label(h.action)),
        Column(_tr("变更内容"), lambda h: _changed_fields(h.detail)),
    ]


def _status(status: str) -> str:
    return {"active": _tr("参保中"), "suspended": _tr("暂停"), "ended": _tr("已终止")}.get(
        status, status
    )


def action_label(action: str) -> str:
    labels = {
        "person.create": _tr("新参保登记"),
        "person.update": _tr("修改人员信息"),
        "enrolment.create": _tr("参保"),
        "enrolment.update": _tr("修改参保"),
        "payment.record": _tr("缴费"),
        "payment.void": _tr("作废收据"),
    }
    return labels.get(action, action)


def _changed_fields(detail: dict) -> str:
    changes = detail.get("changes") if isinstance(detail, dict) else None
    if isinstance(changes, dict):
        return ", ".join(sorted(changes))
    return ""


def record_model(columns: Sequence[Column], parent: QObject | None = None) -> RecordTableModel:
    return RecordTableModel(columns, parent)

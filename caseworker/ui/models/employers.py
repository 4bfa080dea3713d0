"""Models for employers: the (lazy) employer list and an employer's employees."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject

from caseworker.services.centre import OpenSession
from caseworker.services.employers import employer_summaries
from caseworker.ui.models.labels import code_label
from caseworker.ui.models.table import Column, LazyTableModel
from caseworker.ui.tasks import TaskRunner


def risk_label(risk_class: int | None) -> str:
    return code_label("industry_risk_class", str(risk_class)) if risk_class else ""


class EmployerTableModel(LazyTableModel):
    """Employers: credit code, name, type, industry, risk class, contact, employees, and the
    known workers without an employees' scheme."""

    CODE, NAME, TYPE, INDUSTRY, RISK, CONTACT, EMPLOYEES, LEFT_OUT = range(8)

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        columns = [
            Column(
                QCoreApplication.translate("EmployerColumns", "统一社会信用代码"),
                lambda e: e.credit_code,
            ),
            Column(QCoreApplication.translate("EmployerColumns", "单位名称"), lambda e: e.name),
            Column(
                QCoreApplication.translate("EmployerColumns", "单位类型"),
                lambda e: code_label("employer_type", e.employer_type),
            ),
            Column(
                QCoreApplication.translate("EmployerColumns", "行业"), lambda e: e.industry or ""
            ),
            Column(
                QCoreApplication.translate("EmployerColumns", "工伤风险类别"),
                lambda e: risk_label(e.risk_class),
            ),
            Column(
                QCoreApplication.translate("EmployerColumns", "联系人"),
                lambda e: " ".join(x for x in (e.contact_name, e.contact_phone) if x),
            ),
            Column(
                QCoreApplication.translate("EmployerColumns", "职工"),
                lambda e: str(e.employees),
                sort=lambda e: e.employees,
                align_right=True,
            ),
            Column(
                QCoreApplication.translate("EmployerColumns", "未参保职工"),
                lambda e: str(e.left_out) if e.left_out else "",
                sort=lambda e: e.left_out,
                align_right=True,
            ),
        ]
        super().__init__(columns, runner, partial(employer_summaries, session.database), parent)

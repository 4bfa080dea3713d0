"""单位参保登记, 增员 and 减员 as small dialogs over the employment services (one write each)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from caseworker.domain.codes import load_code_table
from caseworker.domain.employment import EMPLOYEE_SCHEMES, leaving_is_involuntary
from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, parse_yuan
from caseworker.services import employer_enrolment, employment
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerSummary
from caseworker.services.errors import ValidationFailed
from caseworker.services.platform_workers import link_platform_worker
from caseworker.ui.dialogs.service_dialog import ServiceDialog, date_edit, day_of, scheme_boxes
from caseworker.ui.i18n import entry_label
from caseworker.ui.tasks import TaskRunner


def _row_of(boxes: dict[str, Any]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for box in boxes.values():
        layout.addWidget(box)
    layout.addStretch(1)
    return row


class EmployerEnrolmentDialog(ServiceDialog):
    """单位参保登记: schemes, start date, the work-injury class and its floating step."""

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        employer: EmployerSummary,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(session, runner, parent)
        self.employer = employer
        self.setWindowTitle(self.tr("单位参保登记：%1").replace("%1", employer.name))
        self.setMinimumWidth(620)
        day = employer.insured_from or today or date.today()
        self.rates = employer_enrolment.injury_rates(session.actor, day)
        self.schemes = scheme_boxes(EMPLOYEE_SCHEMES, "employerScheme")
        for scheme, box in self.schemes.items():
            box.setChecked(scheme in employer.schemes if employer.schemes else True)
            box.toggled.connect(self._update_rate)
        self.insured_from = date_edit("insuredFrom", self.tr("参保日期"), day)
        self.risk_class = QComboBox()
        self.risk_class.setObjectName("enrolRiskClass")
        self.risk_class.setAccessibleName(self.tr("工伤风险类别"))
        self.risk_class.addItem(self.tr("（未定）"), None)
        for entry in load_code_table("industry_risk_class"):
            self.risk_class.addItem(entry_label(entry), int(entry.code))
        if employer.risk_class is not None:
            self.risk_class.setCurrentIndex(self.risk_class.findData(employer.risk_class))
        self.float_step = QComboBox()
        self.float_step.setObjectName("floatStep")
        self.float_step.setAccessibleName(self.tr("浮动费率"))
        self.rate = QLabel()
        self.rate.setObjectName("injuryRate")
        self.add_row(self.tr("参保险种"), _row_of(self.schemes), "schemes")
        self.add_row(self.tr("参保日期"), self.insured_from, "insured_from")
        self.add_row(self.tr("工伤风险类别"), self.risk_class, "risk_class")
        self.add_row(self.tr("浮动费率"), self.float_step, "work_injury_float")
        self.add_row(self.tr("工伤保险费率"), self.rate)
        self.risk_class.currentIndexChanged.connect(self._fill_steps)
        self.float_step.currentIndexChanged.connect(self._update_rate)
        self._fill_steps()
        if employer.work_injury_float_bp is not None:
            self.float_step.setCurrentIndex(self.float_step.findData(employer.work_injury_float_bp))

    def _fill_steps(self) -> None:
        risk_class = self.risk_class.currentData()
        self.float_step.blockSignals(True)
        self.float_step.clear()
        steps = self.rates.steps_by_class[risk_class - 1] if risk_class else (10000,)
        for step in steps:
            label = self.tr("基准费率") if step == 10000 else self.tr("基准的%1%")
            self.float_step.addItem(label.replace("%1", str(step // 100)), step)
        self.float_step.setCurrentIndex(self.float_step.findData(10000))
        self.float_step.blockSignals(False)
        self._update_rate()

    def _update_rate(self) -> None:
        risk_class, step = self.risk_class.currentData(), self.float_step.currentData()
        injury = self.schemes["work_injury"].isChecked()
        self.risk_class.setEnabled(injury)
        self.float_step.setEnabled(injury and risk_class is not None)
        if not injury:
            self.rate.setText(self.tr("不参加工伤保险"))
        elif risk_class is None or step is None:
            self.rate.setText(self.tr("请选择行业风险类别"))
        else:
            bp = (self.rates.risk_class_bp[risk_class - 1] * step + 5000) // 10000
            self.rate.setText(self.tr("%1%（由单位缴纳）").replace("%1", f"{bp / 100:.2f}"))

    def call(self) -> Callable[[], Any]:
        data = employer_enrolment.EmployerEnrolmentInput(
            schemes=[s for s, box in self.schemes.items() if box.isChecked()],
            insured_from=day_of(self.insured_from),
            risk_class=self.risk_class.currentData(),
            work_injury_float_bp=self.float_step.currentData(),
        )
        return partial(
            employer_enrolment.enrol_employer,
            self.session.database,
            self.session.actor,
            self.employer.id,
            data,
        )


class JoinDialog(ServiceDialog):
    """增员: an employee registered at the front desk joins the employer's schemes."""

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        employer: EmployerSummary,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(session, runner, parent)
        self.employer = employer
        self.setWindowTitle(self.tr("增员：%1").replace("%1", employer.name))
        self.setMinimumWidth(620)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("joinIdNumber")
        self.id_number.setAccessibleName(self.tr("身份证号码"))
        self.id_number.setPlaceholderText(self.tr("已在前台登记的人员"))
        self.start = date_edit("joinStart", self.tr("增员日期"), today or date.today())
        self.schemes = scheme_boxes(employer.schemes, "joinScheme")
        for box in self.schemes.values():
            box.setChecked(True)
        self.base = QLineEdit()
        self.base.setObjectName("joinBase")
        self.base.setAccessibleName(self.tr("月缴费基数（元）"))
        self.range = QLabel()
        self.range.setObjectName("baseRange")
        self.add_row(self.tr("身份证号码"), self.id_number, "id_number")
        self.add_row(self.tr("增员日期"), self.start, "start_date")
        self.add_row(self.tr("参保险种"), _row_of(self.schemes), "schemes")
        self.add_row(self.tr("月缴费基数（元）"), self.base, "base")
        self.add_row("", self.range)
        self.start.dateChanged.connect(self._show_range)
        self._show_range()

    def _show_range(self) -> None:
        bounds = employer_enrolment.base_range_on(self.session.actor, day_of(self.start))
        if bounds is None:
            self.range.setText(self.tr("本省份尚无平均工资数据"))
        else:
            self.range.setText(
                self.tr("可选范围：%1 至 %2 元（全省平均工资的60%–300%）")
                .replace("%1", format_yuan(bounds[0]))
                .replace("%2", format_yuan(bounds[1]))
            )

    def call(self) -> Callable[[], Any]:
        try:
            base = parse_yuan(self.base.text()) if self.base.text().strip() else None
        except InvalidValue as error:
            error.field = "base"
            raise ValidationFailed([error]) from None
        data = employment.JoinInput(
            self.id_number.text(),
            day_of(self.start),
            [s for s, box in self.schemes.items() if box.isChecked()],
            base,
        )
        return partial(
            employment.join_employee,
            self.session.database,
            self.session.actor,
            self.employer.id,
            data,
        )


class LeaveDialog(ServiceDialog):
    """减员: the employee's stay ends on a day, for a reason."""

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        employment_id: uuid.UUID,
        name: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(session, runner, parent)
        self.employment_id = employment_id
        self.setWindowTitle(self.tr("减员：%1").replace("%1", name))
        self.setMinimumWidth(480)
        self.end = date_edit("leaveEnd", self.tr("减员日期"), today or date.today())
        self.reason = QComboBox()
        self.reason.setObjectName("leaveReason")
        self.reason.setAccessibleName(self.tr("减员原因"))
        self.reason.addItem(self.tr("（请选择）"), None)
        for entry in load_code_table("employment_end_reason"):
            self.reason.addItem(entry_label(entry), entry.code)
        self.add_row(self.tr("减员日期（最后参保日）"), self.end, "end_date")
        self.add_row(self.tr("减员原因"), self.reason, "end_reason")
        # The reason decides whether the employee may claim unemployment benefit, so say so.
        self.reason_note = QLabel()
        self.reason_note.setObjectName("leaveReasonNote")
        self.reason_note.setWordWrap(True)
        # Room for the longest note from the start, so the dialog neither clips nor jumps.
        self.reason_note.setMinimumHeight(self.reason_note.fontMetrics().lineSpacing() * 4)
        self.add_row("", self.reason_note)
        self.reason.currentIndexChanged.connect(self._explain_reason)
        self._explain_reason()

    def _explain_reason(self) -> None:
        code = self.reason.currentData()
        involuntary = leaving_is_involuntary(code) if code else None
        if involuntary is None:
            self.reason_note.setText("")
        elif involuntary:
            self.reason_note.setText(
                self.tr(
                    "属于非因本人意愿中断就业：参加失业保险满一年的，职工可按规定申领失业保险金。"
                    "请如实选择。"
                )
            )
        else:
            self.reason_note.setText(
                self.tr("属于本人原因中断就业：不符合申领失业保险金的条件。请如实选择。")
            )

    def call(self) -> Callable[[], Any]:
        return partial(
            employment.leave_employee,
            self.session.database,
            self.session.actor,
            self.employment_id,
            day_of(self.end),
            self.reason.currentData(),
        )


class PlatformLinkDialog(ServiceDialog):
    """A platform links a worker to the occupational injury protection (no labour relationship)."""

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        employer: EmployerSummary,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(session, runner, parent)
        self.employer = employer
        self.setWindowTitle(self.tr("关联平台从业人员：%1").replace("%1", employer.name))
        self.setMinimumWidth(520)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("platformIdNumber")
        self.id_number.setAccessibleName(self.tr("身份证号码"))
        self.id_number.setPlaceholderText(self.tr("已在前台登记的人员"))
        self.start = date_edit("platformStart", self.tr("保障起始日期"), today or date.today())
        self.add_row(self.tr("身份证号码"), self.id_number, "id_number")
        self.add_row(self.tr("保障起始日期"), self.start, "start_date", "scheme")
        self.add_row(
            "",
            QLabel(
                self.tr(
                    "新就业形态人员职业伤害保障：由平台按单缴费，个人不缴费，不以劳动关系为前提。"
                )
            ),
        )

    def call(self) -> Callable[[], Any]:
        return partial(
            link_platform_worker,
            self.session.database,
            self.session.actor,
            self.employer.id,
            self.id_number.text(),
            day_of(self.start),
        )

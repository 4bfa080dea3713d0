"""Register an employer: credit code checked as you type, each problem shown by its field.

Saving runs on the runner's write lane. A rejected save leaves every field as typed.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.codes import load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_uscc
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.errors import ValidationFailed
from caseworker.ui.dialogs.service_dialog import save_cancel_buttons
from caseworker.ui.i18n import current_language, message_for
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner

# Which input shows a service error, by the error's field name.
FIELD_INPUTS = {
    "credit_code": "credit_code",
    "employer_name": "name",
    "employer_type": "employer_type",
    "risk_class": "risk_class",
    "phone": "contact_phone",
}


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    set_tone(label, "error")
    label.setWordWrap(True)
    label.hide()
    return label


class EmployerDialog(QDialog):
    saved = Signal(object)  # the employer's id
    save_failed = Signal()  # the problems are shown by their fields

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.saving = False
        self.setWindowTitle(self.tr("登记用人单位"))
        self.setMinimumWidth(560)
        lang = current_language()

        self.credit_code = self._line("creditCode", self.tr("统一社会信用代码"))
        self.credit_code.setMaxLength(24)  # room for spaces typed between groups
        self.credit_code.setPlaceholderText(self.tr("18位，见营业执照"))
        self.name = self._line("employerName", self.tr("单位名称"))
        self.employer_type = QComboBox()
        self.employer_type.setObjectName("employerType")
        self.employer_type.setAccessibleName(self.tr("单位类型"))
        for entry in load_code_table("employer_type"):
            self.employer_type.addItem(entry.name(lang), entry.code)
        self.industry = self._line("industry", self.tr("所属行业"))
        risk_table = load_code_table("industry_risk_class")
        samples = {
            industry: entry.code
            for entry in risk_table
            for industry in entry.extra.get("sample_industries_zh", ())
        }
        self._industry_risk = samples
        completer = QCompleter(sorted(samples), self.industry)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.industry.setCompleter(completer)
        self.risk_class = QComboBox()
        self.risk_class.setObjectName("riskClass")
        self.risk_class.setAccessibleName(self.tr("工伤风险类别"))
        self.risk_class.addItem(self.tr("（未定）"), None)
        for entry in risk_table:
            rate = int(entry.extra.get("base_rate_bp", 0)) / 100
            self.risk_class.addItem(
                self.tr("%1（基准费率 %2%）")
                .replace("%1", entry.name(lang))
                .replace("%2", f"{rate:.1f}"),
                int(entry.code),
            )
        self.address = self._line("employerAddress", self.tr("单位地址"))
        self.contact_name = self._line("contactName", self.tr("联系人"))
        self.contact_phone = self._line("contactPhone", self.tr("联系电话"))

        self.errors = {
            "credit_code": _error_label("creditCodeError"),
            "name": _error_label("employerNameError"),
            "employer_type": _error_label("employerTypeError"),
            "risk_class": _error_label("riskClassError"),
            "contact_phone": _error_label("contactPhoneError"),
        }
        self.general_error = _error_label("employerSaveError")

        form = QFormLayout()
        form.addRow(self.tr("统一社会信用代码"), self._with_error(self.credit_code, "credit_code"))
        form.addRow(self.tr("单位名称"), self._with_error(self.name, "name"))
        form.addRow(self.tr("单位类型"), self._with_error(self.employer_type, "employer_type"))
        form.addRow(self.tr("所属行业"), self.industry)
        form.addRow(self.tr("工伤风险类别"), self._with_error(self.risk_class, "risk_class"))
        form.addRow(self.tr("单位地址"), self.address)
        form.addRow(self.tr("联系人"), self.contact_name)
        form.addRow(self.tr("联系电话"), self._with_error(self.contact_phone, "contact_phone"))
        self.buttons, self.save_button = save_cancel_buttons(
            self, "employerSave", self.tr("保存（Ctrl+S）"), self.tr("取消")
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self.credit_code.editingFinished.connect(self._check_code)
        self.credit_code.textEdited.connect(self._code_edited)
        self.industry.textChanged.connect(self._industry_changed)
        self.setTabOrder(self.credit_code, self.name)

    def _line(self, name: str, accessible: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setAccessibleName(accessible)
        return line

    def _with_error(self, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.errors[key])
        return box

    # -- checks as you type ----------------------------------------------------------------

    def _code_edited(self, text: str) -> None:
        # A complete code is checked at once; a partial one only when the clerk moves on.
        if len(text.replace(" ", "")) >= 18:
            self._check_code()
        else:
            self._show_error("credit_code", None)

    def _check_code(self) -> None:
        text = self.credit_code.text()
        if not text.strip():
            self._show_error("credit_code", None)
            return
        try:
            parse_uscc(text)
        except InvalidValue as error:
            self._show_error("credit_code", message_for(error))
        else:
            self._show_error("credit_code", None)

    def _industry_changed(self, text: str) -> None:
        code = self._industry_risk.get(text.strip())
        if code is not None and self.risk_class.currentData() is None:
            self.risk_class.setCurrentIndex(self.risk_class.findData(int(code)))

    def _show_error(self, key: str, message: str | None) -> None:
        label = self.errors[key]
        label.setText(message or "")
        label.setVisible(bool(message))
        self.adjustSize()  # make room for a wrapped message instead of clipping it

    # -- saving ------------------------------------------------------------------------------

    def employer_input(self) -> EmployerInput:
        return EmployerInput(
            credit_code=self.credit_code.text(),
            name=self.name.text(),
            employer_type=str(self.employer_type.currentData()),
            industry=self.industry.text() or None,
            risk_class=self.risk_class.currentData(),
            address=self.address.text() or None,
            contact_name=self.contact_name.text() or None,
            contact_phone=self.contact_phone.text() or None,
        )

    def save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        for key in self.errors:
            self._show_error(key, None)
        self.general_error.hide()
        data, database, actor = self.employer_input(), self.session.database, self.session.actor
        self.runner.submit(
            lambda control: register_employer(database, actor, data),
            lane="write",
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _saved(self, employer_id: uuid.UUID) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.saved.emit(employer_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            first = None
            for problem in error.errors:
                key = FIELD_INPUTS.get(problem.field)
                if key is None:
                    self.general_error.setText(message_for(problem))
                    self.general_error.show()
                    continue
                self._show_error(key, message_for(problem))
                first = first or key
            if first is not None:
                widget = getattr(self, first)
                widget.setFocus()
        else:
            self.general_error.setText(message_for(error))
            self.general_error.show()
        self.save_failed.emit()

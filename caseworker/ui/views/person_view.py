"""One person: details, household, coverage, payments and the history of changes.

Loaded on the runner's read lane; buttons hand the person to the enrolment form, the payment
dialog, the printed enrolment form and the coverage answer dialog (参保状态, saved on the
write lane); a receipt in the payment list can be voided (a supervisor confirms in the void
dialog).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.coverage import lines, reason_table
from caseworker.domain.dates import completed_years
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import CoverageView, person_statuses
from caseworker.services.records import PaymentRecord, PersonDetail
from caseworker.services.registry import HouseholdMember, household_members, person_detail
from caseworker.services.special_groups import MembershipView, memberships_of
from caseworker.ui.dialogs.coverage_answer_dialog import CoverageAnswerDialog
from caseworker.ui.dialogs.void_dialog import VoidDialog
from caseworker.ui.i18n import is_english, list_separator, message_for, with_note
from caseworker.ui.icons import icon
from caseworker.ui.models.labels import (
    code_label,
    codes_text,
    region_path,
    schemes_text,
    sex_label,
)
from caseworker.ui.models.people import (
    enrolment_columns,
    history_columns,
    household_columns,
    payment_columns,
)
from caseworker.ui.models.table import ROW_ROLE, RecordTableModel
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import hide_unless, record_table


@dataclass(frozen=True)
class PersonPage:
    detail: PersonDetail
    household: list[HouseholdMember]
    coverage: dict[str, CoverageView] = field(default_factory=dict)
    memberships: list[MembershipView] = field(default_factory=list)  # from civil affairs' lists


class PersonView(QWidget):
    edit_requested = Signal(object)  # person id
    payment_requested = Signal(object)  # person id
    tax_payment_requested = Signal(object)  # person id: paid through the tax channels
    open_person = Signal(object)  # a household member's id
    back_requested = Signal()
    loaded = Signal()  # the person (or the error) is on screen

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.person: PersonDetail | None = None
        self._wanted: uuid.UUID | None = None

        self.title = QLabel()
        self.title.setObjectName("personTitle")
        set_role(self.title, "title")
        self.owner = QLabel(objectName="personOwner")
        self.owner.setAccessibleName(self.tr("管理中心"))
        self.owner.setWordWrap(True)
        self.owner.hide()
        self.error = QLabel()
        self.error.setObjectName("personError")
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.back_button = self._button("personBack", self.tr("返回查找（Esc）"), "Esc", "back")
        self.edit_button = self._button(
            "personEdit", self.tr("修改信息（Ctrl+E）"), "Ctrl+E", "edit"
        )
        self.pay_button = self._button("personPay", self.tr("登记缴费（Ctrl+J）"), "Ctrl+J", "pay")
        self.tax_pay_button = self._button(
            "personTaxPay", self.tr("登记税务渠道缴费（Ctrl+Shift+J）"), "Ctrl+Shift+J", "pay"
        )
        hide_unless(self.tax_pay_button, session.actor.may(Permission.RECORD_TAX_PAYMENT))
        self.print_button = self._button(
            "personPrint", self.tr("打印登记表（Ctrl+P）"), "Ctrl+P", "print"
        )
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button.clicked.connect(self._edit)
        self.pay_button.clicked.connect(self._pay)
        self.tax_pay_button.clicked.connect(self._tax_pay)
        self.print_button.clicked.connect(self._print)
        self.coverage_button = self._button(
            "personRecordCoverage", self.tr("记录参保状态（Ctrl+Shift+G）"), "Ctrl+Shift+G"
        )
        hide_unless(self.coverage_button, session.actor.may(Permission.RECORD_COVERAGE))
        self.coverage_button.clicked.connect(self._record_coverage)
        self.coverage_dialog: CoverageAnswerDialog | None = None
        buttons = QHBoxLayout()
        for button in (self.back_button, self.edit_button, self.pay_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # Beside the name, not in the row above: that row already sets the window's narrowest.
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.tax_pay_button)

        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(18)
        self.fact_labels: dict[str, QLabel] = {}
        for position, (key, caption) in enumerate(self._fact_captions()):
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(value.textInteractionFlags().TextSelectableByMouse)
            self.fact_labels[key] = value
            row, pair = divmod(position, 3)
            caption_label = QLabel(caption + self.tr("："))
            set_tone(caption_label, "hint")
            self.facts.addWidget(caption_label, row, pair * 2)
            self.facts.addWidget(value, row, pair * 2 + 1)
        for column in (1, 3, 5):
            self.facts.setColumnStretch(column, 1)

        # 参保状态: one row per insurance line, in words.
        self.coverage_box = QGroupBox(self.tr("参保状态"))
        self.coverage_box.setObjectName("personCoverageStatus")
        self.coverage_grid = QGridLayout(self.coverage_box)
        self.coverage_grid.setHorizontalSpacing(12)
        self.coverage_labels: dict[str, QLabel] = {}
        for row, line in enumerate(lines()):
            self.coverage_grid.addWidget(
                QLabel((line.name_en if is_english() else line.name_zh) + self.tr("：")), row, 0
            )
            value = QLabel(objectName=f"coverage_{line.code}")
            value.setWordWrap(True)
            self.coverage_labels[line.code] = value
            self.coverage_grid.addWidget(value, row, 1)
        self.coverage_grid.addWidget(self.coverage_button, 0, 2)
        self.coverage_grid.setColumnStretch(1, 1)

        today = date.today()
        self.household_model = RecordTableModel(household_columns(today), self)
        self.enrolment_model = RecordTableModel(enrolment_columns(), self)
        self.payment_model = RecordTableModel(payment_columns(), self)
        self.history_model = RecordTableModel(history_columns(), self)
        self.household_table = record_table("household", self.tr("家庭成员"), self.household_model)
        self.household_table.doubleClicked.connect(self._open_member)
        self.household_table.activated.connect(self._open_member)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("personTabs")
        self.tabs.addTab(
            record_table("enrolments", self.tr("参保情况"), self.enrolment_model),
            self.tr("参保情况"),
        )
        self.payment_table = record_table("payments", self.tr("缴费记录"), self.payment_model)
        self.void_button = self._button(
            "personVoidReceipt", self.tr("作废所选收据（Ctrl+Shift+V）"), "Ctrl+Shift+V"
        )
        self.void_button.clicked.connect(self._void)
        self.void_dialog: VoidDialog | None = None
        payments_tab = QWidget()
        payments_layout = QVBoxLayout(payments_tab)
        payments_layout.setContentsMargins(0, 4, 0, 0)
        payment_bar = QHBoxLayout()
        payment_bar.addWidget(self.void_button)
        payment_bar.addStretch(1)
        payments_layout.addLayout(payment_bar)
        payments_layout.addWidget(self.payment_table, 1)
        self.tabs.addTab(payments_tab, self.tr("缴费记录"))
        self.tabs.addTab(self.household_table, self.tr("家庭成员"))
        self.tabs.addTab(
            record_table("history", self.tr("变更历史"), self.history_model), self.tr("变更历史")
        )

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(title_row)
        layout.addWidget(self.owner)
        layout.addWidget(self.error)
        layout.addLayout(self.facts)
        layout.addWidget(self.coverage_box)
        layout.addWidget(self.tabs, 1)
        self._set_buttons_enabled(False)
        self.payment_table.selectionModel().selectionChanged.connect(self._payment_selected)
        self._payment_selected()

    def _button(
        self, name: str, text: str, shortcut: str, meaning: str | None = None
    ) -> QPushButton:
        button = QPushButton(icon(meaning), text) if meaning else QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setShortcut(QKeySequence(shortcut))
        return button

    def _fact_captions(self) -> list[tuple[str, str]]:
        return [
            ("id_number", self.tr("身份证号")),
            ("sex", self.tr("性别")),
            ("birth", self.tr("出生日期（年龄）")),
            ("ethnicity", self.tr("民族")),
            ("phone", self.tr("联系电话")),
            ("hukou_nature", self.tr("户口性质")),
            ("hukou", self.tr("户籍地址")),
            ("residence", self.tr("居住地址")),
            ("employment", self.tr("就业类别")),
            ("employer", self.tr("工作单位")),
            ("special", self.tr("特殊群体")),
            ("coverage", self.tr("参保险种")),
        ]

    # -- loading -------------------------------------------------------------------------

    def show_person(self, person_id: uuid.UUID) -> None:
        self._wanted = person_id
        self._set_buttons_enabled(False)
        self.error.hide()
        database, actor = self.session.database, self.session.actor

        def load(_control: object) -> tuple[uuid.UUID, PersonPage]:
            detail = person_detail(database, str(person_id))
            return person_id, PersonPage(
                detail,
                household_members(database, person_id),
                person_statuses(database, actor, person_id),
                memberships_of(database, person_id),
            )

        self.runner.submit(load, on_success=self._show_page, on_failure=self._show_error)

    def reload(self) -> None:
        if self._wanted is not None:
            self.show_person(self._wanted)

    def _show_page(self, result: tuple[uuid.UUID, PersonPage]) -> None:
        person_id, page = result
        if person_id != self._wanted:
            return  # the clerk has moved on to someone else
        person = page.detail
        self.person = person
        # The number the same everywhere on the page: whole only for an operator who may see
        # personal data unmasked (who may also export it), masked for everyone else.
        shown_id = (
            person.id_number
            if self.session.actor.may(Permission.EXPORT_PERSONAL_DATA)
            else person.masked_id_number
        )
        self.title.setText(f"{person.name}　{shown_id}")
        # Another centre's person: say so before an edit is refused upstream.
        self.owner.setVisible(person.owner_centre_code is not None)
        self.owner.setText(
            self.tr("由服务中心 {centre} 管理；本中心修改须先申请转入。").format(
                centre=person.owner_centre_code
            )
            if person.owner_centre_code
            else ""
        )
        age = completed_years(person.birth_date, date.today())
        hukou = " ".join(
            part
            for part in (
                region_path(person.hukou_village_code or person.hukou_region_code),
                person.hukou_address or "",
            )
            if part
        )
        active = [e.scheme for e in person.enrolments if e.status == "active"]
        values = {
            "id_number": shown_id,
            "sex": sex_label(person.sex),
            "birth": with_note(person.birth_date.isoformat(), str(age)),
            "ethnicity": code_label("ethnic_group", person.ethnicity),
            "phone": person.phone or "",
            "hukou_nature": code_label("hukou_nature", person.hukou_nature),
            "hukou": hukou,
            "residence": person.residence_address or "",
            "employment": code_label("employment_category", person.employment_category),
            "employer": person.employer_name or "",
            "special": self._special_text(person.special_groups, page.memberships),
            "coverage": schemes_text(active) or self.tr("未参保"),
        }
        for key, text in values.items():
            self.fact_labels[key].setText(text or "—")
        self.household_model.set_rows(page.household)
        self.enrolment_model.set_rows(person.enrolments)
        self.payment_model.set_rows(list(reversed(person.payments)))
        self._payment_selected()
        self.history_model.set_rows(list(reversed(person.history)))
        for line, label in self.coverage_labels.items():
            label.setText(self._coverage_text(page.coverage.get(line)))
        self._set_buttons_enabled(True)
        # Another centre's person is read-only here: the service would refuse anyway.
        self.coverage_button.setEnabled(person.owner_centre_code is None)
        self.loaded.emit()

    def _special_text(
        self, groups: list[str] | tuple[str, ...], found: list[MembershipView]
    ) -> str:
        """The person's groups, then what civil affairs' lists said (dates, office), an ended
        membership marked as such (it no longer counts)."""
        lines = [codes_text("special_group", groups)] if groups else []
        for m in found:
            dates = f"{m.valid_from or ''}～{m.valid_until or ''}"
            parts = [dates if m.valid_from or m.valid_until else "", m.office]
            if m.expired:
                parts.append(self.tr("已过期"))
            words = list_separator().join(part for part in parts if part)
            label = code_label("special_group", m.group)
            lines.append(with_note(label, words) if words else label)
        return "\n".join(lines)

    def _show_error(self, error: BaseException) -> None:
        self.error.setText(message_for(error))
        self.error.show()
        self.loaded.emit()

    def _coverage_text(self, status: CoverageView | None) -> str:
        if status is None:
            return self.tr("未知")
        parts = [code_label("coverage_status", status.status)]
        table = reason_table(status.status)
        if status.reason:
            parts.append(code_label(table, status.reason) if table else status.reason)
        if status.insured_where:
            parts.append(status.insured_where)
        if status.as_of:
            parts.append(status.as_of.isoformat())
        if status.source:
            parts.append(code_label("coverage_source", status.source))
        text = " · ".join(part for part in parts if part)
        return with_note(text, status.note) if status.note else text

    def _set_buttons_enabled(self, enabled: bool) -> None:
        self.coverage_button.setEnabled(enabled)
        self.edit_button.setEnabled(enabled)
        self.pay_button.setEnabled(enabled)
        self.tax_pay_button.setEnabled(enabled)
        self.print_button.setEnabled(enabled)

    # -- actions -------------------------------------------------------------------------

    def _edit(self) -> None:
        if self.person is not None:
            self.edit_requested.emit(self.person.id)

    def _pay(self) -> None:
        if self.person is not None:
            self.payment_requested.emit(self.person.id)

    def _tax_pay(self) -> None:
        if self.person is not None:
            self.tax_payment_requested.emit(self.person.id)

    def _record_coverage(self) -> None:
        if self.person is None or self.person.owner_centre_code is not None:
            return
        self.coverage_dialog = CoverageAnswerDialog(self.session, self.runner, self.person.id, self)
        self.coverage_dialog.recorded.connect(self.reload)
        self.coverage_dialog.open()

    def _print(self) -> None:
        if self.person is not None:
            from caseworker.ui.printing import (
                preview_enrolment_form,  # reportlab loads on first print
            )

            preview_enrolment_form(self, self.session, str(self.person.id), self.runner)

    def selected_payment(self) -> PaymentRecord | None:
        rows = self.payment_table.selectionModel().selectedRows()
        return self.payment_model.row(rows[0].row()) if rows else None

    def _payment_selected(self) -> None:
        payment = self.selected_payment()
        self.void_button.setEnabled(
            payment is not None and bool(payment.receipt_number) and not payment.voided
        )

    def _void(self) -> None:
        """Void the selected receipt; a supervisor confirms in the dialog."""
        payment = self.selected_payment()
        if payment is None or payment.voided or not payment.receipt_number:
            return
        self.void_dialog = VoidDialog(self.session, self.runner, payment.receipt_number, self)
        self.void_dialog.voided.connect(lambda _number: self.reload())
        self.void_dialog.open()

    def _open_member(self, index: QModelIndex | QPersistentModelIndex) -> None:
        member = self.household_model.data(index, ROW_ROLE)
        if member is not None and self.person is not None and member.id != self.person.id:
            self.open_person.emit(member.id)

"""Employers: search and list them, see one with its employees, register one, enrol staff."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.services.employer_rolls import open_spell
from caseworker.services.employers import (
    EmployerSummary,
    employee_ids,
    employer_summaries,
    search_employer_ids,
)
from caseworker.services.employment import JoinResult
from caseworker.services.platform_workers import PLATFORM
from caseworker.services.registry import summaries
from caseworker.ui.dialogs.base_declaration_dialog import BaseDeclarationDialog
from caseworker.ui.dialogs.employer_dialog import EmployerDialog
from caseworker.ui.dialogs.employment_dialogs import (
    EmployerEnrolmentDialog,
    JoinDialog,
    LeaveDialog,
    PlatformLinkDialog,
)
from caseworker.ui.dialogs.service_dialog import ServiceDialog
from caseworker.ui.i18n import in_language, message_for, with_note
from caseworker.ui.models.employers import EmployerTableModel, risk_label
from caseworker.ui.models.labels import code_label, schemes_text
from caseworker.ui.models.people import PersonResultsModel
from caseworker.ui.models.table import ROW_ROLE, LazyTableModel
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.search_view import DEBOUNCE_MS, RESULT_WIDTHS
from caseworker.ui.widgets.common import set_column_widths, widen_to_contents

if TYPE_CHECKING:
    from caseworker.printing.layout import PrintResult  # reportlab: loaded when a paper is built
    from caseworker.ui.printing import PrintPreviewDialog

EMPLOYER_WIDTHS = (180, 220, 110, 120, 90, 160)
EMPLOYEE_WIDTHS = RESULT_WIDTHS


def _table(name: str, accessible: str, model: LazyTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class EmployersPage(QWidget):
    open_person = Signal(object)  # an employee's id
    enrol_employee = Signal(object)  # the employer's id: a new enrolment for this employer
    listed = Signal()  # the employer list is on screen (tests wait on it)
    employees_listed = Signal()
    data_changed = Signal()
    paper_ready = Signal()  # a paper's preview is open

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.dialog: EmployerDialog | None = None
        self.current: EmployerSummary | None = None
        self._generation = 0
        self._employee_generation = 0

        self.search_box = QLineEdit()
        self.search_box.setObjectName("employerSearch")
        self.search_box.setAccessibleName(self.tr("查找单位"))
        self.search_box.setPlaceholderText(self.tr("单位名称任意部分或统一社会信用代码"))
        self.search_box.setClearButtonEnabled(True)
        self.register_button = QPushButton(self.tr("登记单位（Ctrl+Shift+N）"))
        self.register_button.setObjectName("registerEmployer")
        self.register_button.setAccessibleName(self.tr("登记单位"))
        self.register_button.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.left_out_only = QCheckBox(self.tr("只看有未参保职工的单位"))
        self.left_out_only.setObjectName("leftOutOnly")
        self.left_out_only.setAccessibleName(self.tr("只看有未参保职工的单位"))
        self.left_out_only.setToolTip(
            self.tr("已知在该单位工作、但未参加任何职工险种的人员（来自花名册、调查或登记库）")
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("employerCount")
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.left_out_only)
        top.addWidget(self.register_button)

        self.model = EmployerTableModel(session, runner, self)
        self.model.load_failed.connect(self._show_error)
        self.table = _table("employerList", self.tr("单位列表"), self.model)
        set_column_widths(self.table, EMPLOYER_WIDTHS)

        self.detail = QLabel(self.tr("选择一个单位查看其职工。"))
        self.detail.setObjectName("employerDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.enrol_button = QPushButton(self.tr("为该单位职工参保（Ctrl+Shift+E）"))
        self.enrol_button.setObjectName("enrolEmployee")
        self.enrol_button.setAccessibleName(self.tr("为该单位职工参保"))
        self.enrol_button.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.enrol_button.setEnabled(False)
        self.enrol_employer_button = self._button(
            "enrolEmployer", self.tr("单位参保登记"), self.enrol_employer, None
        )
        self.join_button = self._button("joinEmployee", self.tr("增员"), self.join, "Ctrl+Shift+W")
        self.leave_button = self._button(
            "leaveEmployee", self.tr("减员"), self.leave, "Ctrl+Shift+Y"
        )
        self.declare_button = self._button(
            "declareBases", self.tr("缴费基数申报"), self.declare, None
        )
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setObjectName("printEmployerPapers")
        self.print_button.setAccessibleName(self.tr("打印单位表格"))
        self.print_button.setEnabled(False)
        papers = QMenu(self.print_button)
        papers.setObjectName("employerPapers")
        papers.addAction(self.tr("参保单位登记表"), lambda: self.print_paper("registration"))
        papers.addAction(self.tr("本月增减员表"), lambda: self.print_paper("changes"))
        papers.addAction(self.tr("职工花名册（含缴费基数）"), lambda: self.print_paper("roster"))
        self.print_button.setMenu(papers)
        self.preview: PrintPreviewDialog | None = None
        self.notice = QLabel()
        self.notice.setObjectName("employmentNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.notice, "warning")
        self.notice.hide()
        actions = QHBoxLayout()
        for button in (
            self.enrol_employer_button,
            self.join_button,
            self.leave_button,
            self.declare_button,
            self.print_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self.employees = PersonResultsModel(session, runner, self)
        self.employee_table = _table("employeeList", self.tr("单位职工"), self.employees)
        set_column_widths(self.employee_table, EMPLOYEE_WIDTHS)
        detail_bar = QHBoxLayout()
        detail_bar.addWidget(self.detail, 1)
        detail_bar.addWidget(self.enrol_button, 0, Qt.AlignmentFlag.AlignTop)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(detail_bar)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.notice)
        lower_layout.addWidget(self.employee_table, 1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.count_label)
        upper_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.setFocusProxy(self.search_box)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self.timer.start)
        self.left_out_only.toggled.connect(self.refresh)
        self.search_box.returnPressed.connect(self._focus_list)
        self.register_button.clicked.connect(self.register)
        self.enrol_button.clicked.connect(self._enrol)
        self.table.selectionModel().currentRowChanged.connect(self._select)
        self.employee_table.activated.connect(self._open_employee)
        self.employee_table.doubleClicked.connect(self._open_employee)

    def _button(self, name: str, text: str, slot: object, shortcut: str | None) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
            button.setToolTip(f"{text} ({shortcut})")
        button.setEnabled(False)
        button.clicked.connect(slot)
        return button

    # -- the list -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """(Re)load the list for the search text; ids first, then the first page of rows."""
        self.timer.stop()
        self._generation += 1
        generation, text, database = self._generation, self.search_box.text(), self.session.database
        left_out_only = self.left_out_only.isChecked()

        def job(_control: object) -> tuple[int, list[uuid.UUID], list[EmployerSummary]]:
            ids = search_employer_ids(database, text, left_out_only=left_out_only)
            return generation, ids, employer_summaries(database, ids[: EmployerTableModel.PAGE])

        self.runner.submit(job, on_success=self._listed, on_failure=self._show_error)

    def _listed(self, result: tuple[int, list[uuid.UUID], list[EmployerSummary]]) -> None:
        generation, ids, first_page = result
        if generation != self._generation:
            return
        self.model.reset(ids, first_page)
        widen_to_contents(self.table)
        self.count_label.setText(self.tr("共 %n 个单位", "", len(ids)))
        keep = self.current.id if self.current is not None else None
        shown = [e.id for e in first_page]
        if ids:
            # After a change the same employer stays selected (its details read afresh).
            row = shown.index(keep) if keep in shown else 0
            self.table.clearSelection()
            self.table.selectRow(row)
            self._show_employer(self.model.data(self.model.index(row, 0), ROW_ROLE))
        else:
            self._show_employer(None)
        self.listed.emit()

    def _focus_list(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()

    def _show_error(self, error: BaseException) -> None:
        self.count_label.setText(self.tr("读取出错：") + message_for(error))
        self.listed.emit()

    # -- one employer ------------------------------------------------------------------------

    def _select(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_employer(self.model.data(current, ROW_ROLE) if current.isValid() else None)

    def _show_employer(self, employer: EmployerSummary | None) -> None:
        self.current = employer
        self.enrol_button.setEnabled(employer is not None)
        # Another centre's employer: its details and 单位参保登记 are that centre's to change.
        self.enrol_employer_button.setEnabled(
            employer is not None and employer.owner_centre_code is None
        )
        enrolled = employer is not None and bool(employer.schemes)
        is_platform = employer is not None and employer.employer_type == PLATFORM
        for button in (self.join_button, self.leave_button, self.declare_button):
            button.setEnabled(enrolled)
        # A platform links its workers (no labour relationship) instead of 增员.
        self.join_button.setText(self.tr("关联从业人员") if is_platform else self.tr("增员"))
        self.join_button.setEnabled(enrolled or is_platform)
        self.leave_button.setEnabled(enrolled or is_platform)
        self.print_button.setEnabled(employer is not None)
        self._employee_generation += 1
        if employer is None:
            self.detail.setText(self.tr("选择一个单位查看其职工。"))
            self.employees.reset([])
            return
        lines = [
            with_note(employer.name, employer.credit_code),
            self.tr("类型：%1　行业：%2　工伤风险类别：%3")
            .replace("%1", code_label("employer_type", employer.employer_type))
            .replace("%2", employer.industry or "—")
            .replace("%3", risk_label(employer.risk_class) or "—"),
            self.tr("地址：%1　联系人：%2")
            .replace("%1", employer.address or "—")
            .replace(
                "%2",
                " ".join(x for x in (employer.contact_name, employer.contact_phone) if x) or "—",
            ),
            self._enrolment_line(employer),
        ]
        if employer.owner_centre_code is not None:
            lines.append(
                self.tr("由%1中心登记管理：本中心可为本中心管理的人员办理增员、减员。").replace(
                    "%1", employer.owner_centre_code
                )
            )
        if employer.left_out:
            lines.append(
                self.tr("有 %1 名已知职工未参加职工险种：请督促单位办理增员。").replace(
                    "%1", str(employer.left_out)
                )
            )
        self.detail.setText("\n".join(lines))
        generation, database = self._employee_generation, self.session.database

        def job(_control: object) -> tuple[int, list[uuid.UUID], list]:
            ids = employee_ids(database, employer.id)
            return generation, ids, summaries(database, ids[: PersonResultsModel.PAGE])

        self.runner.submit(job, on_success=self._employees_listed, on_failure=self._show_error)

    def _enrolment_line(self, employer: EmployerSummary) -> str:
        if not employer.schemes:
            return self.tr("尚未办理单位参保登记。")
        line = (
            self.tr("参保险种：%1（自%2起）")
            .replace("%1", schemes_text(employer.schemes))
            .replace("%2", employer.insured_from.isoformat() if employer.insured_from else "—")
        )
        if "work_injury" in employer.schemes and employer.work_injury_float_bp not in (None, 10000):
            line += self.tr("　工伤浮动费率：基准的%1%").replace(
                "%1", str((employer.work_injury_float_bp or 0) // 100)
            )
        return line

    def _employees_listed(self, result: tuple[int, list[uuid.UUID], list]) -> None:
        generation, ids, first_page = result
        if generation != self._employee_generation:
            return
        self.employees.reset(ids, first_page)
        widen_to_contents(self.employee_table)
        self.employees_listed.emit()

    def _open_employee(self, index: QModelIndex | QPersistentModelIndex) -> None:
        person = self.employees.data(index, ROW_ROLE)
        if person is not None:
            self.open_person.emit(person.id)

    def _enrol(self) -> None:
        if self.current is not None:
            self.enrol_employee.emit(self.current.id)

    # -- registering -----------------------------------------------------------------------

    def register(self) -> None:
        self.dialog = EmployerDialog(self.session, self.runner, self)
        self.dialog.saved.connect(self._registered)
        self.dialog.open()

    def _registered(self, employer_id: uuid.UUID) -> None:
        self.data_changed.emit()
        self.refresh()

    # -- employer enrolment, employees joining and leaving, bases ---------------------------

    def _open(self, dialog: ServiceDialog | BaseDeclarationDialog, done: object) -> None:
        self.dialog = dialog  # type: ignore[assignment]
        dialog.saved.connect(done)
        dialog.open()

    def enrol_employer(self) -> None:
        if self.current is not None:
            self._open(
                EmployerEnrolmentDialog(self.session, self.runner, self.current, self),
                self._changed,
            )

    def join(self) -> None:
        if self.current is not None and self.current.employer_type == PLATFORM:
            self._open(
                PlatformLinkDialog(self.session, self.runner, self.current, self), self._joined
            )
        elif self.current is not None and self.current.schemes:
            self._open(JoinDialog(self.session, self.runner, self.current, self), self._joined)

    def leave(self) -> None:
        person = self.employees.data(self.employee_table.currentIndex(), ROW_ROLE)
        if self.current is None or person is None:
            self._say(self.tr("请先在职工列表中选择要减员的职工。"))
            return
        database, employer_id = self.session.database, self.current.id

        def found(spell: uuid.UUID | None) -> None:
            if spell is None:
                self._say(self.tr("%1不是本单位在职职工。").replace("%1", person.name))
                return
            self._open(LeaveDialog(self.session, self.runner, spell, person.name, self), self._left)

        self.runner.submit(
            lambda _c: open_spell(database, employer_id, person.id),
            on_success=found,
            on_failure=self._show_error,
        )

    def declare(self) -> None:
        if self.current is not None and self.current.schemes:
            self._open(
                BaseDeclarationDialog(self.session, self.runner, self.current, self),
                self._changed,
            )

    def print_paper(self, paper: str, *, today: date | None = None) -> None:
        """Build the paper on the runner (it reads the store), then preview it."""
        if self.current is None:
            return
        day = today or date.today()
        database, actor, employer_id = self.session.database, self.session.actor, self.current.id

        def job(_control: object) -> PrintResult:
            # Imported here: the papers bring reportlab, which the launch does not load.
            from caseworker.services import employer_papers

            if paper == "registration":
                return employer_papers.registration_pdf(database, actor, employer_id)
            if paper == "changes":
                return employer_papers.change_list_pdf(
                    database, actor, employer_id, day.year, day.month
                )
            return employer_papers.roster_pdf(database, actor, employer_id, day)

        self.runner.submit(job, on_success=self._preview, on_failure=self._show_error)

    def _preview(self, result: PrintResult) -> None:
        from caseworker.ui.printing import PrintPreviewDialog  # reportlab loads on first print

        self.preview = PrintPreviewDialog(result, self)
        self.preview.open()
        self.paper_ready.emit()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _joined(self, result: JoinResult) -> None:
        self._say("\n".join(in_language(zh, en) for zh, en in result.warnings))
        self._changed(result)

    def _left(self, warnings: tuple[tuple[str, str], ...]) -> None:
        self._say("\n".join(in_language(zh, en) for zh, en in warnings))
        self._changed(warnings)

    def _changed(self, _result: object) -> None:
        self.data_changed.emit()
        self.refresh()

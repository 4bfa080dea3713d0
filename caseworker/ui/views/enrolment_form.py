"""The enrolment form (参保登记表), new and edit: find-or-create, schemes, documents, save.

Contract with the main window: ``EnrolmentForm(session, runner, parent)``, ``new(id_number,
employer_id)``, ``edit(person_id)``, signals ``saved(person_id)`` and
``open_person_requested(person_id)``; ``drafts.enrolment_drafts_of(session)`` / ``restore_draft(id)``
offer unsaved work back after a crash.

Reads and writes go through services on the runner (writes on its single write lane); the
scheme rules and the checklist are pure computations and run inline as the clerk types.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from caseworker.services import form_support
from caseworker.services.centre import OpenSession
from caseworker.services.records import PersonDetail, PersonSummary
from caseworker.services.registry import find_by_id_number, person_detail
from caseworker.ui.drafts import DraftStore
from caseworker.ui.icons import icon
from caseworker.ui.style import set_role
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, scrolling
from caseworker.ui.widgets.document_checklist import DocumentChecklist
from caseworker.ui.widgets.enrolment_drafts import DRAFT_DELAY_MS, EnrolmentDrafts
from caseworker.ui.widgets.enrolment_saving import EnrolmentSaving
from caseworker.ui.widgets.person_fields import PersonFields
from caseworker.ui.widgets.scheme_chooser import SchemeChooser


class EnrolmentForm(EnrolmentDrafts, EnrolmentSaving, QWidget):
    saved = Signal(object)
    open_person_requested = Signal(object)

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrolmentForm")
        self.session = session
        self.runner = runner
        self.today = today
        self.drafts = DraftStore(session.database.paths, session.database_key)
        self.centre_province = form_support.province_of_centre(session.actor)
        self.person_id: uuid.UUID | None = None  # set when editing or once saved
        self.expected_version: int | None = None
        self.draft_id = uuid.uuid4()
        self.duplicate: PersonSummary | None = None
        self.payment_dialog: QWidget | None = None
        self.confirm_box: QMessageBox | None = None
        self.leave_box: QMessageBox | None = None
        self._loading = 0
        self._saving = False
        self._errors_shown = False
        self._lookup = 0
        self._build()
        self.new()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        set_role(self.title, "title")
        self.banner = Banner("formBanner", self, reserve=True)  # appearing, it moves no field
        self.person = PersonFields(self.session, self.runner, self.today())
        self.schemes = SchemeChooser()
        self.documents = DocumentChecklist()
        person_box = QGroupBox(self.tr("人员基本信息"))
        QVBoxLayout(person_box).addWidget(self.person)
        scheme_box = QGroupBox(self.tr("参保险种"))
        QVBoxLayout(scheme_box).addWidget(self.schemes)
        document_box = QGroupBox(self.tr("需查验的材料"))
        QVBoxLayout(document_box).addWidget(self.documents)
        right = QVBoxLayout()
        right.addWidget(scheme_box)
        right.addWidget(document_box)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(person_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 11)
        columns.addLayout(right, 9)
        body = QWidget()
        body.setLayout(columns)
        scroll = scrolling("formScroll", body)

        self.save_button = QPushButton(icon("save"), self.tr("保存（Ctrl+S）"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setAccessibleName(self.tr("保存"))
        self.save_button.setDefault(False)
        self.print_button = QPushButton(icon("print"), self.tr("打印参保登记表"))
        self.print_button.setObjectName("printButton")
        self.print_button.setAccessibleName(self.tr("打印参保登记表"))
        self.pay_button = QPushButton(icon("pay"), self.tr("收费"))
        self.pay_button.setObjectName("payButton")
        self.pay_button.setAccessibleName(self.tr("收费"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.pay_button, self.save_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_form)
        self.pay_button.clicked.connect(self.record_payment)
        self.person.changed.connect(self._changed)
        self.person.facts_changed.connect(self._refresh)
        self.person.identity_changed.connect(self._look_up_identity)
        self.schemes.changed.connect(self._schemes_changed)
        self.documents.changed.connect(self._changed)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)

    def _tab_order(self) -> None:
        chain = [
            *self.person.inputs(),
            *self.schemes.inputs(),
            *self.documents.inputs(),
            self.save_button,
            self.print_button,
            self.pay_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ public API

    def new(self, id_number: str | None = None, employer_id: uuid.UUID | None = None) -> None:
        """An empty form (the ID number filled when the search found nobody with it)."""
        self._reset(mode_new=True)
        self._loading += 1
        try:
            self.person.set_state({"ethnicity": "01", "hukou_region": self._home_region()})
            if employer_id is not None:
                self.person.category.set_code("employee")
                self.person.employer.set_employer(employer_id, "")
                self._fetch_employer_name(employer_id)
            if id_number:
                self.person.id_number.setText(id_number)
        finally:
            self._loading -= 1
        self._refresh()
        self._focus(self.person.name if id_number else self.person.id_number)

    def edit(self, person_id: uuid.UUID) -> None:
        self._reset(mode_new=False)
        self.banner.show_message(self.tr("正在读取人员信息……"), "info")
        self.save_button.setEnabled(False)
        database = self.session.database
        self.runner.submit(
            lambda control: person_detail(database, str(person_id)),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def is_dirty(self) -> bool:
        return self._dirty

    # ------------------------------------------------------------------ state

    def _reset(self, *, mode_new: bool) -> None:
        self._draft_timer.stop()
        self._dirty = False
        self._lookup += 1  # answers to an earlier look-up no longer apply
        self.draft_id = uuid.uuid4()
        self.person_id = None
        self.expected_version = None
        self.duplicate = None
        self.person.duplicate.clear()
        self.banner.clear()
        self._errors_shown = False
        self.schemes.set_error("")
        self._loading += 1
        try:
            self.person.id_number.setReadOnly(not mode_new)
            self.schemes.set_state({})
            self.documents.set_ticked(set())
        finally:
            self._loading -= 1
        self.person.clear_errors()
        self._set_title()

    def _focus(self, widget: QWidget) -> None:
        # The main window calls form.setFocus(): the proxy sends it to the field to type in.
        self.setFocusProxy(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _home_region(self) -> str | None:
        """The centre's township when the directory knows it, else its county."""
        code = self.session.actor.centre_code
        directory = self.person.cascade.directory
        for candidate in (code[:9], code[:6]):
            if directory.find(candidate):
                return candidate
        return None

    def _set_title(self) -> None:
        if self.person_id is None:
            self.title.setText(self.tr("参保登记（新增）"))
        else:
            self.title.setText(self.tr("参保信息修改：{name}").format(name=self.person.name.text()))
        saved = self.person_id is not None
        self.print_button.setEnabled(saved)
        self.print_button.setToolTip("" if saved else self.tr("保存后可打印"))
        self.pay_button.setEnabled(saved)
        self.save_button.setEnabled(self.duplicate is None and not self._saving)

    def _fetch_employer_name(self, employer_id: uuid.UUID) -> None:
        database = self.session.database
        self.runner.submit(
            lambda control: form_support.employer_name(database, employer_id),
            on_success=lambda name: self.person.employer.set_employer(employer_id, name or ""),
        )

    def _loaded(self, detail: PersonDetail) -> None:
        self._loading += 1
        try:
            self.person_id, self.expected_version = detail.id, detail.version
            self.person.fill(detail)
            active = {e.scheme: e for e in detail.enrolments if e.status == "active"}
            self.schemes.set_state(
                {
                    s: {"wanted": True, "tier_fen": e.tier_fen, "base_fen": e.base_fen}
                    for s, e in active.items()
                },
                locked=set(active),
            )
            self._refresh()
            seen = {code for e in active.values() for code in e.documents}
            self.documents.set_ticked({i.key for i in self.documents.items if i.document in seen})
        finally:
            self._loading -= 1
        self.banner.clear()
        self._set_title()
        self._focus(self.person.name)

    # ------------------------------------------------------------------ live updates

    def _changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self._draft_timer.start()
        self.recheck()

    def _schemes_changed(self) -> None:
        self.schemes.set_error("")
        self._refresh_documents()
        self._changed()

    def _refresh(self) -> None:
        identity = self.person.identity
        if identity is None:
            self.schemes.set_options(None)
        else:
            self.schemes.set_options(
                form_support.scheme_options(
                    birth_date=identity.birth_date,
                    sex=identity.sex.value,
                    employment_category=self.person.category.code(),
                    special_groups=self.person.special_groups(),
                    centre_province=self.centre_province,
                    day=self.today(),
                )
            )
        self._refresh_documents()

    def _refresh_documents(self) -> None:
        items = form_support.document_checklist(
            employment_category=self.person.category.code(),
            special_groups=self.person.special_groups(),
            schemes=[c.scheme for c in self.schemes.chosen()],
            has_bank_account=bool(self.person.bank_account.text().strip()),
            hukou_province=self.person.cascade.province_code(),
            centre_province=self.centre_province,
        )
        self.documents.set_items(items)
        self._tab_order()

    def _look_up_identity(self) -> None:
        self._lookup += 1
        self._show_duplicate(None)
        identity = self.person.identity
        if identity is None or self.person_id is not None:
            return
        generation, database = self._lookup, self.session.database
        self.runner.submit(
            lambda control: find_by_id_number(database, identity.number),
            on_success=lambda found: self._lookup == generation and self._looked_up(found),
        )

    def _looked_up(self, found: PersonSummary | None) -> None:
        # The answer may come after the form was closed (a dialog's form, a page replaced).
        if isValid(self) and isValid(self.person.duplicate.label):
            self._show_duplicate(found)

    def _show_duplicate(self, found: PersonSummary | None) -> None:
        self.duplicate = found
        if found is None:
            self.person.duplicate.clear()
        else:
            self.person.duplicate.show_message(
                self.tr(
                    "此身份证号已登记：{name}（{id}），请打开该人员办理，不要重复登记。"
                ).format(name=found.name, id=found.masked_id_number),
                "warning",
                action=self.tr("打开"),
                on_action=lambda: self.open_person_requested.emit(found.id),
            )
        self._set_title()

    # ------------------------------------------------------------------ after saving

    def print_form(self) -> None:
        if self.person_id is not None:
            from caseworker.ui.printing import (
                preview_enrolment_form,  # reportlab loads on first print
            )

            preview_enrolment_form(self, self.session, str(self.person_id), self.runner)

    def record_payment(self) -> None:
        if self.person_id is None:
            return
        from caseworker.ui.dialogs.payment_dialog import PaymentDialog

        dialog = PaymentDialog(self.session, self.runner, self.person_id, self, today=self.today)
        self.payment_dialog = dialog
        dialog.open()

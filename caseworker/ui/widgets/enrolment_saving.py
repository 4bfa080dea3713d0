"""Saving the enrolment form: confirm unticked documents, write on the write lane, and put
every refusal where the clerk will see it, keeping everything typed.

A mixin of ``EnrolmentForm`` (kept apart so each module stays readable); it uses the form's
widgets and state, declared below for the type checker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QScrollArea, QWidget

from caseworker.domain.bank import parse_bank_card
from caseworker.domain.errors import InvalidValue
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import (
    EnrolmentChoice,
    EnrolResult,
    check_enrolment,
    enrol,
)
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.services.records import PersonSummary
from caseworker.ui.drafts import DraftStore
from caseworker.ui.i18n import in_language, message_for
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner
from caseworker.ui.widgets.document_checklist import DocumentChecklist
from caseworker.ui.widgets.person_fields import PersonFields
from caseworker.ui.widgets.scheme_chooser import SchemeChooser

SCHEME_FIELDS = ("scheme", "tier", "base", "months")
# The order messages are walked to find the first bad field: the order of the form.
FIELD_ORDER = (
    "id_number",
    "name",
    "ethnicity",
    "phone",
    "hukou_nature",
    "hukou_village_code",
    "hukou_address",
    "residence_address",
    "employment_category",
    "employer_id",
    "special_groups",
    "bank_account",
    *SCHEME_FIELDS,
)


class EnrolmentSaving:
    """Needs ``tr`` (QWidget) and ``_set_title`` (the form); no stubs here, as a stub would
    shadow QWidget.tr in the method resolution order."""

    session: OpenSession
    runner: TaskRunner
    today: Callable[[], date]
    person: PersonFields
    schemes: SchemeChooser
    documents: DocumentChecklist
    banner: Banner
    drafts: DraftStore | None
    draft_id: uuid.UUID
    person_id: uuid.UUID | None
    expected_version: int | None
    duplicate: PersonSummary | None
    confirm_box: QMessageBox | None
    save_button: QPushButton
    saved: Signal
    _draft_timer: QTimer
    _saving: bool
    _errors_shown: bool  # the banner lists what a save refused (cleared once all is fixed)
    _dirty: bool
    _loading: int

    def save(self) -> None:
        if self._saving:
            return
        if self.duplicate is not None:
            self.banner.show_message(self.tr("此身份证号已登记，请打开该人员办理。"), "warning")
            return
        self.person.clear_errors(keep_live=True)
        self.schemes.set_error("")
        # Missing and wrong fields first: the documents are asked about only once the form
        # would be accepted, so the clerk never confirms a checklist for a refused save.
        errors = self._form_errors()
        if errors:
            self._show_errors(errors)
            return
        missing = self.documents.missing_required()
        if missing:
            self._confirm_missing(missing)
        else:
            self._submit()

    def _confirm_missing(self, missing: list[str]) -> None:
        box = QMessageBox(self)
        box.setObjectName("missingDocuments")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("材料未查验"))
        box.setText(self.tr("以下材料尚未勾选为已查验："))
        box.setInformativeText("\n".join(f"· {name}" for name in missing))
        go = box.addButton(self.tr("仍然保存"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("返回核对"), QMessageBox.ButtonRole.RejectRole)
        go.setObjectName("saveAnyway")
        back.setObjectName("backToChecklist")
        box.setDefaultButton(back)
        # open(), not exec(): no nested event loop while the write lane may be busy.
        box.buttonClicked.connect(lambda button: button is go and self._submit())
        self.confirm_box = box
        box.open()

    def _choices(self) -> list[EnrolmentChoice]:
        documents = self.documents.documents()
        return [
            EnrolmentChoice(c.scheme, tier_fen=c.tier_fen, base_fen=c.base_fen, documents=documents)
            for c in self.schemes.chosen()
        ]

    def _form_errors(self) -> dict[str, str]:
        """What ``enrol`` would refuse, by field, checked here without the database."""
        errors: dict[str, str] = {}
        if self.person.needs_employer() and self.person.employer.employer_id is None:
            errors["employer_id"] = self.tr("单位职工须选择用人单位。")
        try:
            check_enrolment(
                self.session.actor, self.person.to_input(), self._choices(), today=self.today()
            )
        except ValidationFailed as failed:
            errors.update({f: message_for(e) for f, e in failed.by_field().items()})
        return errors

    def recheck(self) -> None:
        """After a refused save, each edit checks again: the banner's count follows the
        fixes and the banner goes once nothing is wrong (field messages clear as typed)."""
        if not self._errors_shown or self.banner.kind != "error":
            return
        errors = self._form_errors()
        if errors:
            self.banner.show_message(self._errors_text(len(errors)), "error")
        else:
            self._errors_shown = False
            self.banner.clear()

    def _errors_text(self, count: int) -> str:
        return self.tr("有{n}处需要修改，请看各栏下方的红字说明。").format(n=count)

    def _submit(self) -> None:
        data = self.person.to_input()
        choices = self._choices()
        database, actor = self.session.database, self.session.actor
        day, version = self.today(), self.expected_version
        self._saving = True
        self._set_title()
        self.banner.show_message(self.tr("正在保存……"), "info")
        self.runner.submit(
            lambda control: enrol(
                database, actor, data, choices, today=day, expected_version=version
            ),
            lane="write",
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _saved(self, result: EnrolResult) -> None:
        self._saving = False
        self._draft_timer.stop()
        if self.drafts is not None:
            self.drafts.delete(self.draft_id)
        self._dirty = False
        self.draft_id = uuid.uuid4()  # later edits of this person go into a fresh draft
        self.person_id, self.expected_version = result.person_id, result.version
        self.person.id_number.setReadOnly(True)
        self._loading += 1
        try:
            self.schemes.set_state(self.schemes.state(), locked=set(result.enrolment_ids))
        finally:
            self._loading -= 1
        text = self.tr("已保存。") + "".join(self._warnings(result.warnings))
        self.banner.show_message(text, "warning" if result.warnings else "success")
        self._set_title()
        self.saved.emit(result.person_id)

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self._set_title()
        if isinstance(error, ValidationFailed):
            self._show_errors({f: message_for(e) for f, e in error.by_field().items()})
        elif isinstance(error, ServiceError):
            # Conflict, PermissionDenied, NotFound: a banner; every field keeps its text.
            self.banner.show_message(message_for(error), "error")
        else:
            self.banner.show_message(
                self.tr("保存失败：{error}。填写的内容仍在表单中，可稍后重试。").format(
                    error=error
                ),
                "error",
            )

    def _warnings(self, warnings: tuple[str, ...]) -> list[str]:
        """The service's warnings (Chinese) in the interface language.

        The only one today is the bank card failing its check digit: its English comes from
        the same check run on the card number as typed.
        """
        try:
            card = parse_bank_card(self.person.bank_account.text())
        except InvalidValue:
            return list(warnings)
        return [
            in_language(text, card.warning_en) if text == card.warning else text
            for text in warnings
        ]

    def _show_errors(self, messages: dict[str, str]) -> None:
        first = None
        leftovers = []
        for field in sorted(
            messages, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99
        ):
            if field in SCHEME_FIELDS:
                self.schemes.set_error(messages[field])
                target = self.schemes.focus_target(field)
            elif (box := self.person.box_for(field)) is not None:
                box.set_error(messages[field])
                target = self.person.focus_target(field)
            else:
                leftovers.append(messages[field])
                continue
            first = first or target
        self._errors_shown = True
        self.banner.show_message(" ".join([self._errors_text(len(messages)), *leftovers]), "error")
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll_to(first)

    def _scroll_to(self, widget: QWidget) -> None:
        scroll = self.findChild(QScrollArea, "formScroll")
        if scroll is not None:
            scroll.ensureWidgetVisible(widget, 40, 60)

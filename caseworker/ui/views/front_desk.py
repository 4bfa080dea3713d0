"""The front desk: search → person → enrolment form, on one page.

The person view and the enrolment form are built on first use (the launch shows the search
only), and the payment dialog opens over the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.ui.style import set_banner
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.search_view import SearchView
from caseworker.ui.widgets.returned_panel import ReturnedPanel
from caseworker.ui.widgets.worklist_strip import WorklistStrip

if TYPE_CHECKING:
    from caseworker.services.front_page import FrontPage
    from caseworker.ui.views.enrolment_form import EnrolmentForm
    from caseworker.ui.views.person_view import PersonView


class FrontDeskPage(QWidget):
    data_changed = Signal()  # something was saved: status bar counts may have moved

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        fed: bool = False,
    ) -> None:
        """``fed``: the main window reads what was sent back with its front-page figures
        (``show_front_page``); on its own the page reads the list itself."""
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self._fed = fed
        self.search = SearchView(session, runner)
        self._person: PersonView | None = None  # built the first time a person is opened
        self.form: Any = None  # the EnrolmentForm, built the first time it is needed
        self.payment_dialog: Any = None

        self.notice = QLabel()
        self.notice.setObjectName("frontDeskNotice")
        self.notice.setWordWrap(True)
        set_banner(self.notice, "warning")
        self.notice.hide()
        # What a supervisor sent back to this clerk, with the comment (hidden when nothing).
        self.returned = ReturnedPanel(session, runner)
        self.returned.open_person.connect(self.open_person)
        self._refresh_returned()

        self.form_holder = QWidget()
        self.form_holder.setObjectName("enrolmentFormHolder")
        holder_layout = QVBoxLayout(self.form_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.form_back = QPushButton(self.tr("返回查找（Alt+←）"))
        self.form_back.setObjectName("formBack")
        self.form_back.setAccessibleName(self.tr("返回查找"))
        self.form_back.setShortcut(QKeySequence("Alt+Left"))
        self.form_back.clicked.connect(self.show_search)
        bar.addWidget(self.form_back)
        bar.addStretch(1)
        holder_layout.addLayout(bar)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.search)
        self.stack.addWidget(self.form_holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The worklists' counts (the main window feeds them and opens a list on a click).
        self.worklist_strip = WorklistStrip()
        layout.addWidget(self.worklist_strip)
        layout.addWidget(self.notice)
        layout.addWidget(self.returned)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.search)

        self.search.open_person.connect(self.open_person)
        self.search.new_enrolment.connect(self.new_enrolment)

    @property
    def person(self) -> PersonView:
        """The person view, built (and its module imported) the first time it is needed."""
        if self._person is None:
            from caseworker.ui.views.person_view import PersonView

            person = PersonView(self.session, self.runner)
            person.back_requested.connect(self.show_search)
            person.open_person.connect(self.open_person)
            person.edit_requested.connect(self.edit_person)
            person.payment_requested.connect(self.record_payment)
            person.tax_payment_requested.connect(self.record_tax_payment)
            self.stack.insertWidget(1, person)  # between the search and the form
            self._person = person
        return self._person

    def show_front_page(self, figures: FrontPage) -> None:
        """The main window's front-page reading: the worklists' counts, what was sent back."""
        self.worklist_strip.show_counts(figures.worklist_counts)
        self.returned.show_items(figures.returned)

    def _refresh_returned(self) -> None:
        if not self._fed:
            self.returned.refresh()

    def attach_card_reader(self, watcher: Any) -> None:
        """A card placed on the desk's reader finds the person or fills the form."""
        from caseworker.ui import card_desk

        self.cards = card_desk.attach(self, watcher)

    # -- navigation within the page -----------------------------------------------------

    def leave_form(self, then: Callable[[uuid.UUID | None], None]) -> None:
        """Run ``then`` once the form may go: at once when nothing is typed, else after the
        operator chose to keep a draft or discard (never if they cancel)."""
        if self.form is None:
            then(None)
        else:
            self.form.leave(then)

    def _leaving_form(self, go: Callable[[], None]) -> None:
        if self.stack.currentWidget() is self.form_holder:
            self.leave_form(lambda _draft: go())
        else:
            go()

    def show_search(self) -> None:
        self._leaving_form(self._show_search)

    def _show_search(self) -> None:
        self.notice.hide()
        self.stack.setCurrentWidget(self.search)
        self.search.focus_search()

    def open_person(self, person_id: uuid.UUID) -> None:
        self._leaving_form(lambda: self._open_person(person_id))

    def _open_person(self, person_id: uuid.UUID) -> None:
        self.notice.hide()
        self.stack.setCurrentWidget(self.person)
        self.person.show_person(person_id)
        self.person.setFocus()

    def refresh(self) -> None:
        self._refresh_returned()
        current = self.stack.currentWidget()
        if self._person is not None and current is self._person:
            self._person.reload()
        elif current is self.search:
            self.search.refresh()

    # -- the enrolment form ---------------------------------------------------------------

    def unknown_searched_id(self) -> str | None:
        """The valid ID number the search on screen found nobody for (None while the answer
        for what was last typed is not in, or when the search is not what is showing)."""
        search = self.search
        if self.stack.currentWidget() is not search or search.timer.isActive():
            return None
        return search.unknown_id

    def _form(self) -> EnrolmentForm:
        if self.form is None:
            from caseworker.ui.views.enrolment_form import EnrolmentForm

            self.form = EnrolmentForm(self.session, self.runner, self.form_holder)
            self.form.setObjectName("enrolmentForm")
            self.form.saved.connect(self._form_saved)
            self.form.open_person_requested.connect(self.open_person)
            self.form_holder.layout().addWidget(self.form, 1)
        return self.form

    def new_enrolment(
        self, id_number: str | None = None, employer_id: uuid.UUID | None = None
    ) -> None:
        self.leave_form(lambda _draft: self._new_enrolment(id_number, employer_id))

    def _new_enrolment(self, id_number: str | None, employer_id: uuid.UUID | None) -> None:
        self.notice.hide()
        self.stack.setCurrentWidget(self.form_holder)
        form = self._form()
        form.new(id_number=id_number or None, employer_id=employer_id)
        form.setFocus()

    def edit_person(self, person_id: uuid.UUID) -> None:
        self.leave_form(lambda _draft: self._edit_person(person_id))

    def _edit_person(self, person_id: uuid.UUID) -> None:
        self.notice.hide()
        self.stack.setCurrentWidget(self.form_holder)
        form = self._form()
        form.edit(person_id)
        form.setFocus()

    def restore_draft(self, draft_id: uuid.UUID) -> None:
        """A draft offered after login, back in the form (whatever it held went first)."""
        self.leave_form(lambda _draft: self._restore_draft(draft_id))

    def _restore_draft(self, draft_id: uuid.UUID) -> None:
        self.notice.hide()
        self.stack.setCurrentWidget(self.form_holder)
        form = self._form()
        form.restore_draft(draft_id)
        form.setFocus()

    def _form_saved(self, person_id: uuid.UUID) -> None:
        self._refresh_returned()  # a correction takes its entry off the sent-back list
        self.data_changed.emit()
        self.open_person(person_id)

    # -- payments ---------------------------------------------------------------------------

    def record_payment(self, person_id: uuid.UUID) -> None:
        from caseworker.ui.dialogs.payment_dialog import PaymentDialog

        self.payment_dialog = PaymentDialog(self.session, self.runner, person_id, self)
        self.payment_dialog.finished.connect(self._payment_closed)
        self.payment_dialog.open()

    def record_tax_payment(self, person_id: uuid.UUID) -> None:
        from caseworker.ui.dialogs.tax_payment_dialog import TaxPaymentDialog

        self.payment_dialog = TaxPaymentDialog(self.session, self.runner, person_id, self)
        self.payment_dialog.finished.connect(self._payment_closed)
        self.payment_dialog.open()

    def _payment_closed(self, _result: int) -> None:
        self.payment_dialog = None
        self.data_changed.emit()
        self.person.reload()

"""Enrol on the spot: the front desk's own enrolment form, opened on a household member
(their details pre-filled from the registry), over the field visit page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from caseworker.services.centre import OpenSession
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.enrolment_form import EnrolmentForm
from caseworker.ui.widgets.common import add_dialog_buttons


class SpotEnrolmentDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        person_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("spotEnrolment")
        self.setWindowTitle(self.tr("当场参保登记"))
        self.saved = False
        self.form = EnrolmentForm(session, runner, self, today=today)
        self.form.saved.connect(self._saved)
        close = QPushButton(self.tr("关闭（Esc）"))
        close.setObjectName("spotEnrolmentClose")
        close.setAccessibleName(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.close_form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        add_dialog_buttons(layout, dismiss=close)
        fit_to_screen(self, QSize(1100, 820))
        self.form.edit(person_id)

    def _saved(self, _person_id: object) -> None:
        self.saved = True

    def close_form(self) -> None:
        # Unsaved input asks first (keep a draft or discard), as at the front desk.
        self.form.leave(lambda _draft: self.done(QDialog.DialogCode.Accepted))

    def reject(self) -> None:
        self.close_form()

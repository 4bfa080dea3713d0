"""A small form dialog that saves through one service call on the runner's write lane and
shows each problem by its field; a rejected save leaves every input as typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.services.errors import ValidationFailed
from caseworker.ui.i18n import message_for
from caseworker.ui.models.labels import code_label
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    set_tone(label, "error")
    label.setWordWrap(True)
    label.hide()
    return label


def save_cancel_buttons(
    dialog: QDialog, save_name: str, save_text: str, cancel_text: str
) -> tuple[QDialogButtonBox, QPushButton]:
    """The Save (Ctrl+S) and Cancel buttons of a form dialog, wired to its save and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(save_text)
    save.setShortcut("Ctrl+S")
    save.setObjectName(save_name)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(dialog.save)  # type: ignore[attr-defined]
    buttons.rejected.connect(dialog.reject)
    return buttons, save


def date_edit(name: str, accessible: str, day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(140)
    return edit


def day_of(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def scheme_boxes(schemes: tuple[str, ...] | list[str], prefix: str) -> dict[str, QCheckBox]:
    boxes = {}
    for scheme in schemes:
        box = QCheckBox(code_label("scheme", scheme))
        box.setObjectName(f"{prefix}_{scheme}")
        box.setAccessibleName(code_label("scheme", scheme))
        boxes[scheme] = box
    return boxes


class ServiceDialog(QDialog):
    saved = Signal(object)  # what the service returned
    save_failed = Signal()

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.saving = False
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}  # the widget each service field's error belongs to
        self.form = QFormLayout()
        self.general_error = error_label("dialogError")
        self.buttons, self.save_button = save_cancel_buttons(
            self, "dialogSave", self.tr("保存（Ctrl+S）"), self.tr("取消")
        )
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)

    def add_row(self, label: str, widget: QWidget, *fields: str) -> None:
        """A form row; errors of the service ``fields`` are shown under ``widget``."""
        if not fields:
            self.form.addRow(label, widget)
            return
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = error_label(f"{fields[0]}Error")
        layout.addWidget(error)
        for name in fields:
            self.errors[name] = error
            self.inputs[name] = widget
        self.form.addRow(label, box)

    def call(self) -> Callable[[], Any]:
        """The service call, with the inputs read now (on the UI thread)."""
        raise NotImplementedError

    def save(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        try:
            work = self.call()
        except ValidationFailed as error:  # checked before any service call (a typed amount)
            self._failed(error)
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self.runner.submit(
            lambda _control: work(), lane="write", on_success=self._saved, on_failure=self._failed
        )

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.hide()

    def _saved(self, result: object) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        problems = error.errors if isinstance(error, ValidationFailed) else [error]
        first = None
        general = []
        for problem in problems:
            label = self.errors.get(getattr(problem, "field", ""))
            if label is None:
                general.append(message_for(problem))
                continue
            label.setText(message_for(problem))
            label.show()
            first = first or self.inputs[problem.field]  # type: ignore[union-attr]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus()
        self.adjustSize()
        self.save_failed.emit()

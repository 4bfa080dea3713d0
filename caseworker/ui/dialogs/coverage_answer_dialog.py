"""Record what a person says of their coverage, line by line (services.coverage.record_answers).

Per insurance line: a status (or "(不变)" to leave the line as it is), a reason from the code
table the status takes, the place for insured elsewhere and a note. OK saves on the write
lane; each problem the service finds is shown beside its field (``line.field``) and nothing
typed is lost.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import lines, reason_table
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import ANSWER_STATUSES, StatusAnswer, record_answers
from caseworker.services.errors import ValidationFailed
from caseworker.ui.i18n import code_label, is_english, message_for
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner

FIELDS = ("status", "reason", "insured_where", "note")


def _error_label(name: str) -> QLabel:
    label = QLabel(objectName=name)
    set_tone(label, "error")
    label.setWordWrap(True)
    label.hide()
    return label


class CoverageAnswerDialog(QDialog):
    recorded = Signal()

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        person_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.person_id = person_id
        self.setObjectName("coverageAnswerDialog")
        self.setWindowTitle(self.tr("记录参保状态"))
        self.banner = _error_label("coverageAnswerError")
        self.statuses: dict[str, QComboBox] = {}
        self.reasons: dict[str, QComboBox] = {}
        self.places: dict[str, QLineEdit] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        # The lines scroll on a small screen at a large scale (four boxes of four rows).
        body = QWidget()
        boxes = QVBoxLayout(body)
        boxes.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(objectName="coverageAnswerScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        for line in lines():
            box = QGroupBox(line.name_en if is_english() else line.name_zh)
            form = QFormLayout(box)
            status = QComboBox(objectName=f"coverageStatus_{line.code}")
            status.addItem(self.tr("（不变）"), None)
            for code in ANSWER_STATUSES:
                status.addItem(code_label("coverage_status", code), code)
            reason = QComboBox(objectName=f"coverageReason_{line.code}")
            place = QLineEdit(objectName=f"coveragePlace_{line.code}")
            note = QLineEdit(objectName=f"coverageNote_{line.code}")
            status.setAccessibleName(self.tr("参保状态"))
            reason.setAccessibleName(self.tr("原因"))
            place.setAccessibleName(self.tr("参保地"))
            note.setAccessibleName(self.tr("备注"))
            self.statuses[line.code], self.reasons[line.code] = status, reason
            self.places[line.code], self.notes[line.code] = place, note
            captions = (self.tr("状态"), self.tr("原因"), self.tr("参保地"), self.tr("备注"))
            for field, caption, widget in zip(
                FIELDS, captions, (status, reason, place, note), strict=True
            ):
                error = _error_label(f"coverageError_{line.code}_{field}")
                self.errors[f"{line.code}.{field}"] = error
                column = QVBoxLayout()
                column.addWidget(widget)
                column.addWidget(error)
                form.addRow(caption + self.tr("："), column)
            status.currentIndexChanged.connect(
                lambda _i, code=line.code: self._status_changed(code)
            )
            self._status_changed(line.code)
            boxes.addWidget(box)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        whole = body.sizeHint()  # as tall as every line where the screen has the room
        extra = self.buttons.sizeHint().height() + self.banner.sizeHint().height()
        fit_to_screen(self, QSize(whole.width() + 40, whole.height() + extra + 48))

    def _status_changed(self, line: str) -> None:
        status = self.statuses[line].currentData()
        reason = self.reasons[line]
        reason.clear()
        table = reason_table(status) if status else None
        if table is not None:
            reason.addItem(self.tr("（请选择）"), None)
            for entry in load_code_table(table):
                reason.addItem(code_label(table, entry.code), entry.code)
        reason.setEnabled(table is not None)
        self.places[line].setEnabled(status == "insured_elsewhere")

    def answers(self) -> list[StatusAnswer]:
        found = []
        for line, chooser in self.statuses.items():
            status = chooser.currentData()
            if status is None:
                continue
            found.append(
                StatusAnswer(
                    self.person_id,
                    line,
                    status,
                    reason=self.reasons[line].currentData(),
                    insured_where=self.places[line].text().strip() or None,
                    note=self.notes[line].text().strip() or None,
                )
            )
        return found

    def _clear_errors(self) -> None:
        self.banner.hide()
        for label in self.errors.values():
            label.hide()

    def save(self) -> None:
        self._clear_errors()
        answers = self.answers()
        if not answers:
            self.reject()
            return
        database, actor = self.session.database, self.session.actor
        self.buttons.setEnabled(False)

        def job(_control: object) -> object:
            return record_answers(database, actor, answers, day=date.today(), source="survey")

        self.runner.submit(job, lane="write", on_success=self._saved, on_failure=self._failed)

    def _saved(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.recorded.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(error, ValidationFailed):
            self.banner.setText(message_for(error))
            self.banner.show()
            return
        rest = []
        for problem in error.errors:
            label = self.errors.get(problem.field)
            if label is None:
                rest.append(message_for(problem))
                continue
            label.setText(message_for(problem))
            label.show()
        if rest:
            self.banner.setText("\n".join(rest))
            self.banner.show()

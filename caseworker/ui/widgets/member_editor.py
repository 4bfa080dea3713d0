"""What the clerk records for the member chosen in the walk: still here, moved away or died
(with the day), and a status and reason per insurance line. Keyboard-first: Alt+C / Alt+M /
Alt+D set the change, Alt+1 / Alt+2 / Alt+3 jump to a line's status, Tab walks the choosers in
the order of the survey sheet."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import lines, reason_table
from caseworker.services.trip_visit import LineAnswer
from caseworker.ui.i18n import code_label, entry_label, in_language
from caseworker.ui.models.field_visit import WalkRow
from caseworker.ui.style import set_role

ANSWERABLE = ("insured_here", "insured_elsewhere", "not_insured", "not_applicable")


class LineChooser:
    """Status, reason, where and note of one insurance line."""

    def __init__(self, line: str, title: str, parent: QWidget) -> None:
        self.line = line
        self.status = QComboBox(parent)
        self.status.setObjectName(f"status_{line}")
        self.status.setAccessibleName(
            title + QCoreApplication.translate("MemberEditor", "参保状态")
        )
        self.status.addItem(QCoreApplication.translate("MemberEditor", "（不变）"), None)
        for code in ANSWERABLE:
            self.status.addItem(code_label("coverage_status", code), code)
        self.reason = QComboBox(parent)
        self.reason.setObjectName(f"reason_{line}")
        self.reason.setAccessibleName(title + QCoreApplication.translate("MemberEditor", "原因"))
        self.where = QLineEdit(parent)
        self.where.setObjectName(f"where_{line}")
        self.where.setAccessibleName(title + QCoreApplication.translate("MemberEditor", "参保地"))
        self.where.setPlaceholderText(QCoreApplication.translate("MemberEditor", "异地参保地"))
        self.note = QLineEdit(parent)
        self.note.setObjectName(f"note_{line}")
        self.note.setAccessibleName(title + QCoreApplication.translate("MemberEditor", "备注"))
        self.note.setPlaceholderText(
            QCoreApplication.translate("MemberEditor", "与记录不同时说明原因")
        )
        for combo in (self.status, self.reason):
            # Long reasons must not widen the page past a small laptop's screen.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12 if combo is self.status else 8)
        self.status.currentIndexChanged.connect(self.fill_reasons)
        self.fill_reasons()

    def fill_reasons(self) -> None:
        status = self.status.currentData()
        table = reason_table(status) if status else None
        self.reason.blockSignals(True)
        self.reason.clear()
        self.reason.addItem(
            QCoreApplication.translate("MemberEditor", "（请选择原因）") if table else "", None
        )
        for entry in load_code_table(table) if table else ():
            self.reason.addItem(entry_label(entry), entry.code)
        self.reason.blockSignals(False)
        self.reason.setEnabled(table is not None)
        self.where.setEnabled(status == "insured_elsewhere")

    def inputs(self) -> list[QWidget]:
        return [self.status, self.reason, self.where, self.note]

    def show_answer(self, answer: LineAnswer | None) -> None:
        for widget in self.inputs():
            widget.blockSignals(True)
        index = self.status.findData(answer.status if answer else None)
        self.status.setCurrentIndex(max(index, 0))
        self.fill_reasons()
        self.reason.setCurrentIndex(max(self.reason.findData(answer.reason if answer else None), 0))
        self.where.setText(answer.insured_where or "" if answer else "")
        self.note.setText(answer.note or "" if answer else "")
        for widget in self.inputs():
            widget.blockSignals(False)

    def answer(self) -> LineAnswer | None:
        status = self.status.currentData()
        if status is None:
            return None
        return LineAnswer(
            self.line,
            status,
            self.reason.currentData(),
            self.where.text().strip() or None,
            None,
            self.note.text().strip() or None,
        )


class MemberEditor(QWidget):
    edited = Signal()  # the row shown was changed by the clerk

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberEditor")
        self.today = today
        self.row: WalkRow | None = None
        self.title = QLabel()
        self.title.setObjectName("memberTitle")
        set_role(self.title, "strong")
        self.here = QRadioButton(self.tr("在户(&C)"))
        self.here.setObjectName("changeConfirmed")
        self.away = QRadioButton(self.tr("迁出(&M)"))
        self.away.setObjectName("changeMovedAway")
        self.died = QRadioButton(self.tr("死亡(&D)"))
        self.died.setObjectName("changeDeceased")
        for button, name in (
            (self.here, self.tr("在户")),
            (self.away, self.tr("迁出")),
            (self.died, self.tr("死亡")),
        ):
            button.setAccessibleName(name)
            button.toggled.connect(self._change_edited)
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setObjectName("changeDate")
        self.on.setAccessibleName(self.tr("迁出或死亡日期"))
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setCalendarPopup(True)
        editor = self.on.findChild(QLineEdit)
        if editor is not None:
            editor.setObjectName("changeDateText")
            editor.setAccessibleName(self.tr("迁出或死亡日期"))
        self.on.dateChanged.connect(self._change_edited)
        change = QHBoxLayout()
        for widget in (self.here, self.away, self.died, QLabel(self.tr("日期")), self.on):
            change.addWidget(widget)
        change.addStretch(1)

        grid = QGridLayout()
        for column, text in enumerate(
            (
                self.tr("保障项目"),
                self.tr("参保状态"),
                self.tr("原因"),
                self.tr("参保地"),
                self.tr("备注"),
            )
        ):
            grid.addWidget(QLabel(text), 0, column)
        self.lines: list[LineChooser] = []
        for position, line in enumerate(lines(), start=1):
            title = in_language(line.name_zh, line.name_en)
            chooser = LineChooser(line.code, title, self)
            grid.addWidget(QLabel(title), position, 0)
            for column, widget in enumerate(chooser.inputs(), start=1):
                grid.addWidget(widget, position, column)
            chooser.status.currentIndexChanged.connect(self._answer_edited)
            chooser.reason.currentIndexChanged.connect(self._answer_edited)
            chooser.where.textEdited.connect(self._answer_edited)
            chooser.note.textEdited.connect(self._answer_edited)
            self.lines.append(chooser)
        for number, chooser in enumerate(self.lines, start=1):
            jump = QShortcut(QKeySequence(f"Alt+{number}"), self)
            jump.setContext(Qt.ShortcutContext.WindowShortcut)
            jump.activated.connect(chooser.status.setFocus)
            chooser.status.setToolTip(f"Alt+{number}")
        grid.setColumnStretch(2, 2)  # reasons are long: they get the room, then the note
        grid.setColumnStretch(4, 1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title, 0, 0)
        layout.addLayout(change, 1, 0)
        layout.addLayout(grid, 2, 0)
        self.show_row(None)

    def inputs(self) -> list[QWidget]:
        return [
            self.here,
            self.away,
            self.died,
            self.on,
            *(w for chooser in self.lines for w in chooser.inputs()),
        ]

    def show_row(self, row: WalkRow | None) -> None:
        self.row = None  # no edits while the widgets are filled
        for widget in self.inputs():
            widget.setEnabled(row is not None and row.editable)
        if row is None:
            self.title.setText(self.tr("请在上表中选择一名成员"))
        else:
            self.title.setText(row.name)
            member = row.member is not None
            for button in (self.here, self.away, self.died):
                button.setEnabled(member and row.editable)
                button.setAutoExclusive(False)
                button.setChecked(False)
                button.setAutoExclusive(True)
            if row.change:
                self._buttons()[row.change].setChecked(True)
            self.on.setEnabled(row.change in ("moved_away", "deceased") and row.editable)
            if row.on:
                self.on.setDate(QDate(row.on.year, row.on.month, row.on.day))
            for chooser in self.lines:
                chooser.show_answer(row.answers.get(chooser.line))
        self.row = row

    def _buttons(self) -> dict[str, QRadioButton]:
        return {"confirmed": self.here, "moved_away": self.away, "deceased": self.died}

    def set_change(self, change: str) -> None:
        if self.row is not None and self.row.member is not None and self.row.editable:
            self._buttons()[change].setChecked(True)

    def _change_edited(self, *_: object) -> None:
        row = self.row
        if row is None or row.member is None:
            return
        for change, button in self._buttons().items():
            if button.isChecked():
                row.change = change
        leaving = row.change in ("moved_away", "deceased")
        self.on.setEnabled(leaving)
        row.on = self.on.date().toPython() if leaving else None
        self.edited.emit()

    def _answer_edited(self, *_: object) -> None:
        row = self.row
        if row is None:
            return
        for chooser in self.lines:
            answer = chooser.answer()
            if answer is None:
                row.answers.pop(chooser.line, None)
            else:
                row.answers[chooser.line] = answer
        if row.member is not None and not row.change and row.answers:
            self.row = None
            self.here.setChecked(True)  # answering is confirming the member is here
            self.row = row
            row.change = "confirmed"
        self.edited.emit()

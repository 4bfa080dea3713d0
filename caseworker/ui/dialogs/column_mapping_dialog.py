"""Which column of a village's roster is which field, as the clerk confirms it.

One row per column of the sheet: the heading as written, a few sample values and a choice of
field (``FIELD_LABELS``, the one list the template and the import use) or 不导入. Pre-filled with
what ``inspect_roster`` recognised; headings it did not recognise are marked. The required
fields are named at the top with whether a column is given to them, and a field given to two
columns is refused in words (OK stays disabled until it is settled)."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.ids import mask_id_number
from caseworker.services.roster_file import FIELD_LABELS, FieldLabel, RosterLayout
from caseworker.ui.i18n import is_english, join_list, with_note
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.style import set_banner, set_tone

SAMPLES_SHOWN = 3
# What looks like an ID number is masked on screen, as everywhere else; the first and last
# four characters are enough to tell the column.
_ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}|[A-Za-z]{3}\d{12}")  # 18, old 15, foreigner 2017


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def field_label(label: FieldLabel) -> str:
    """A field's name: Chinese, with the English first in the English interface."""
    return with_note(label.en, label.zh) if is_english() else label.zh


def _shown(value: str) -> str:
    return mask_id_number(value) if _ID_LIKE.fullmatch(value.strip()) else value


LABELS = {label.code: label for label in FIELD_LABELS}


class ColumnMappingDialog(QDialog):
    mapping_changed = Signal()

    def __init__(self, layout: RosterLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.roster = layout
        self.setWindowTitle(self.tr("核对名册的列"))

        about = QLabel(
            self.tr("名册 %1，工作表“%2”，第 %3 行是表头。请为每一列选择它对应的字段。")
            .replace("%1", layout.name)
            .replace("%2", layout.sheet)
            .replace("%3", str(layout.header_row)),
            objectName="mappingAbout",
        )
        about.setWordWrap(True)
        self.required_label = QLabel(objectName="mappingRequired")
        self.required_label.setWordWrap(True)
        self.problem_label = QLabel(objectName="mappingProblem")
        self.problem_label.setWordWrap(True)
        set_tone(self.problem_label, "error")
        self.problem_label.hide()
        unknown = len(layout.unknown)
        self.unknown_label = QLabel(objectName="mappingUnknown")
        self.unknown_label.setWordWrap(True)
        if unknown:
            self.unknown_label.setText(
                self.tr(
                    "有 %1 列的表头没有认出（标为“未识别”）：请选择它们对应的字段，或不导入。"
                ).replace("%1", str(unknown))
            )
            set_tone(self.unknown_label, "warning")
        else:
            self.unknown_label.hide()

        # A grid rather than a table view: Tab goes from one field's choice to the next.
        grid_widget = QWidget(objectName="mappingGrid")
        grid = QGridLayout(grid_widget)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for column, title in enumerate(
            (self.tr("列"), self.tr("表头（原样）"), self.tr("示例"), self.tr("导入为"))
        ):
            header = QLabel(title)
            set_banner(header, "info")
            grid.addWidget(header, 0, column)
        self.combos: dict[int, QComboBox] = {}
        self.heading_labels: dict[int, QLabel] = {}
        for index, heading in enumerate(layout.headings):
            row = index + 1
            letter = column_letter(index)
            grid.addWidget(QLabel(letter, objectName=f"mappingLetter{index}"), row, 0)
            shown = heading or self.tr("（空）")
            heading_label = QLabel(objectName=f"mappingHeading{index}")
            if index in layout.unknown:
                heading_label.setText(with_note(shown, self.tr("未识别")))
                set_banner(heading_label, "warning")  # and the words say 未识别
            else:
                heading_label.setText(shown)
            self.heading_labels[index] = heading_label
            grid.addWidget(heading_label, row, 1)
            samples = [
                _shown(sample[index])
                for sample in layout.samples[:SAMPLES_SHOWN]
                if index < len(sample) and sample[index]
            ]
            sample_label = QLabel(" · ".join(samples), objectName=f"mappingSamples{index}")
            set_tone(sample_label, "hint")
            sample_label.setToolTip("\n".join(samples))
            grid.addWidget(sample_label, row, 2)
            combo = QComboBox(objectName=f"mappingField{index}")
            combo.setAccessibleName(
                self.tr("第 %1 列（%2）导入为").replace("%1", letter).replace("%2", shown)
            )
            combo.addItem(self.tr("不导入"), None)
            for label in FIELD_LABELS:
                text = field_label(label)
                if label.required:
                    text = self.tr("%1（必填）").replace("%1", text)
                combo.addItem(text, label.code)
            combo.setMaxVisibleItems(len(FIELD_LABELS) + 1)
            combo.setCurrentIndex(max(0, combo.findData(layout.mapping.get(index))))
            combo.currentIndexChanged.connect(lambda _i: self._check())
            self.combos[index] = combo
            grid.addWidget(combo, row, 3)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(layout.headings) + 1, 1)
        scroll = QScrollArea(objectName="mappingScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(grid_widget)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.ok_button.setObjectName("mappingOk")
        self.ok_button.setAccessibleName(self.tr("确定列对应"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        cancel.setObjectName("mappingCancel")
        cancel.setAccessibleName(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        column = QVBoxLayout(self)
        column.addWidget(about)
        column.addWidget(self.required_label)
        column.addWidget(self.unknown_label)
        column.addWidget(scroll, 1)
        column.addWidget(self.problem_label)
        column.addWidget(self.buttons)
        self._check()
        # As tall as the columns need, up to what a small screen holds (the grid scrolls).
        fit_to_screen(self, QSize(980, min(640, 210 + 32 * len(layout.headings))))
        first = next(iter(layout.unknown), 0)
        if first in self.combos:
            self.combos[first].setFocus()  # the first column to decide

    def mapping(self) -> dict[int, str]:
        """Column (0-based) → field, for the columns that are imported."""
        return {
            index: combo.currentData()
            for index, combo in self.combos.items()
            if combo.currentData() is not None
        }

    def problems(self) -> list[str]:
        """What stops OK, in words (empty when the mapping can be used)."""
        chosen: dict[str, list[int]] = {}
        for index, combo in self.combos.items():
            if combo.currentData() is not None:
                chosen.setdefault(combo.currentData(), []).append(index)
        problems = []
        for code, columns in chosen.items():
            if len(columns) > 1:
                problems.append(
                    self.tr(
                        "“%1”选给了第 %2 列：一个字段只能对应一列，请把其中一列改为别的字段或不导入。"
                    )
                    .replace("%1", field_label(LABELS[code]))
                    .replace("%2", join_list([column_letter(c) for c in columns]))
                )
        missing = [label for label in FIELD_LABELS if label.required and label.code not in chosen]
        if missing:
            problems.append(
                self.tr("还没有列对应必填字段：%1。").replace(
                    "%1", join_list([field_label(label) for label in missing])
                )
            )
        return problems

    def _check(self) -> None:
        mapping = self.mapping()
        by_field: dict[str, list[int]] = {}
        for index, code in mapping.items():
            by_field.setdefault(code, []).append(index)
        parts = []
        for label in FIELD_LABELS:
            if not label.required:
                continue
            columns = by_field.get(label.code, [])
            if columns:
                parts.append(
                    self.tr("%1 ✓ 第 %2 列")
                    .replace("%1", field_label(label))
                    .replace("%2", join_list([column_letter(c) for c in columns]))
                )
            else:
                parts.append(self.tr("%1 ✗ 未对应").replace("%1", field_label(label)))
        self.required_label.setText(
            self.tr("必填字段：%1").replace("%1", self.tr("；").join(parts))
        )
        problems = self.problems()
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        self.ok_button.setEnabled(not problems)
        self.ok_button.setAccessibleDescription("\n".join(problems))
        self.mapping_changed.emit()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Enter in a combo would otherwise press OK while a duplicate is still on screen.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.ok_button.isEnabled():
            event.accept()
            return
        super().keyPressEvent(event)

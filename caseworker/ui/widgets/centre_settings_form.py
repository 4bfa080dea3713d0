"""The Settings page's 中心设置 group: one input per declared centre setting, built from the
declarations (a choice, a yes/no, a number, text, or a record of numbers), editable only by
the roles that may change it, saved through the audited service on the write lane.

A value the service refuses stays as typed, with the service's own words under its input.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.errors import InvalidValue
from caseworker.services.centre import OpenSession
from caseworker.services.centre_settings import CentreSetting
from caseworker.services.centre_settings_edit import (
    SettingState,
    centre_settings_now,
    kind_of,
    record_fields,
    save_setting,
    who_may_change,
)
from caseworker.services.errors import ValidationFailed
from caseworker.ui.i18n import in_language, join_list, message_for
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import shortcut_button

NUMBER_LIMIT = 1_000_000  # wide on purpose: the service's check, not the spin box, has the words


def _spin_box(name: str, accessible: str) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setRange(0, NUMBER_LIMIT)
    box.lineEdit().setAccessibleName(accessible)  # what a screen reader lands on
    return box


class SettingEditor(QWidget):
    """The input of one setting: ``value()`` is typed as the service wants it."""

    def __init__(self, setting: CentreSetting[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.kind = kind_of(setting)
        name = "setting_" + setting.key.replace(".", "_")
        self.setObjectName(name)
        label = in_language(setting.label, setting.label_en)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.inputs: list[QWidget] = []
        if self.kind == "choice":
            self.combo = QComboBox()
            for choice in setting.choices:
                self.combo.addItem(in_language(choice.label, choice.label_en), choice.value)
            self.inputs.append(self.combo)
        elif self.kind == "bool":
            self.check = QCheckBox(self.tr("是"))
            self.inputs.append(self.check)
        elif self.kind == "int":
            self.number = _spin_box(name + "_value", label)
            self.inputs.append(self.number)
        elif self.kind == "record":
            grid = QGridLayout()
            self.parts: dict[str, QSpinBox] = {}
            for position, part in enumerate(record_fields(setting)):
                words = in_language(part.label, part.label_en)
                box = _spin_box(f"{name}_{part.name}", words)
                self.parts[part.name] = box
                self.inputs.append(box)
                grid.addWidget(QLabel(words), position // 2, (position % 2) * 2)
                grid.addWidget(box, position // 2, (position % 2) * 2 + 1)
            layout.addLayout(grid)
        else:
            self.text = QLineEdit()
            self.text.setPlaceholderText(self.tr("（未指定）"))
            self.text.setMinimumWidth(320)
            self.inputs.append(self.text)
        for widget in self.inputs:
            if not widget.objectName():
                widget.setObjectName(name + "_value")
            if not widget.accessibleName():
                widget.setAccessibleName(label)
            if self.kind != "record":
                layout.addWidget(widget)
        layout.addStretch(1)

    def value(self) -> Any:
        if self.kind == "choice":
            return self.combo.currentData()
        if self.kind == "bool":
            return self.check.isChecked()
        if self.kind == "int":
            return self.number.value()
        if self.kind == "record":
            values = {name: box.value() for name, box in self.parts.items()}
            return dataclasses.replace(self.setting.default, **values)
        return self.text.text().strip() or None

    def set_value(self, value: Any) -> None:
        if self.kind == "choice":
            self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        elif self.kind == "bool":
            self.check.setChecked(bool(value))
        elif self.kind == "int":
            self.number.setValue(int(value))
        elif self.kind == "record":
            for name, box in self.parts.items():
                box.setValue(int(getattr(value, name)))
        else:
            self.text.setText(value or "")

    def set_editable(self, editable: bool) -> None:
        for widget in self.inputs:
            widget.setEnabled(editable)


class CentreSettingsBox(QGroupBox):
    loaded = Signal()
    saved = Signal(object)  # {key: error or None} of the last save

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("中心设置"))
        self.setObjectName("centreSettings")
        self.session = session
        self.runner = runner
        self.states: dict[str, SettingState] = {}
        self.editors: dict[str, SettingEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.note = QLabel()
        self.note.setObjectName("centreSettingsNote")
        self.note.setWordWrap(True)
        set_tone(self.note, "hint")
        self.status = QLabel()
        self.status.setObjectName("centreSettingsStatus")
        self.status.setWordWrap(True)
        self.save_button = shortcut_button(
            "saveCentreSettings", self.tr("保存中心设置"), "Ctrl+S", self.save
        )
        self.save_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda _c: centre_settings_now(database, actor),
            on_success=self._show,
            on_failure=self._failed,
        )

    def _editor(self, setting: CentreSetting[Any]) -> SettingEditor:
        if setting.key not in self.editors:
            editor = SettingEditor(setting)
            error = QLabel()
            error.setObjectName(editor.objectName() + "_error")
            set_tone(error, "error")
            error.setWordWrap(True)
            error.hide()
            column = QWidget()
            stack = QVBoxLayout(column)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.addWidget(editor)
            stack.addWidget(error)
            self.form.addRow(in_language(setting.label, setting.label_en), column)
            self.editors[setting.key], self.errors[setting.key] = editor, error
        return self.editors[setting.key]

    def _show(self, states: list[SettingState], keep: frozenset[str] = frozenset()) -> None:
        """The values in force; ``keep``: settings whose typed value was refused stay typed."""
        self.states = {state.setting.key: state for state in states}
        read_only: list[CentreSetting[Any]] = []
        for state in states:
            editor = self._editor(state.setting)
            if state.setting.key not in keep:
                editor.set_value(state.value)
            editor.set_editable(state.may_change)
            if not state.may_change:
                read_only.append(state.setting)
        may_change_any = len(read_only) < len(states)
        self.save_button.setEnabled(may_change_any)
        self.save_button.setVisible(may_change_any)
        self.note.setVisible(bool(read_only))
        if read_only:
            roles = join_list(sorted({in_language(*who_may_change(s)) for s in read_only}))
            self.note.setText(
                self.tr("以上设置只读：只有%1可以修改。").replace("%1", roles)
                if not may_change_any
                else self.tr("灰色的设置只读：只有%1可以修改。").replace("%1", roles)
            )
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        set_tone(self.status, "error")
        self.status.setText(self.tr("读取中心设置出错：") + message_for(error))
        self.loaded.emit()

    def changed(self) -> dict[str, Any]:
        """Settings whose input differs from the value in force: key → typed value."""
        return {
            key: editor.value()
            for key, editor in self.editors.items()
            if key in self.states
            and self.states[key].may_change
            and editor.value() != self.states[key].value
        }

    def save(self) -> None:
        changes = self.changed()
        for error in self.errors.values():
            error.hide()
        if not changes:
            set_tone(self.status, None)
            self.status.setText(self.tr("没有改动。"))
            return
        self.save_button.setEnabled(False)
        database, actor = self.session.database, self.session.actor
        settings = {key: self.states[key].setting for key in changes}

        def work(_control: object) -> tuple[dict[str, Exception | None], list[SettingState]]:
            results: dict[str, Exception | None] = {}
            for key, value in changes.items():
                try:
                    save_setting(database, actor, settings[key], value)
                    results[key] = None
                except Exception as error:  # shown beside its own input, the rest still saved
                    results[key] = error
            return results, centre_settings_now(database, actor)

        self.runner.submit(work, lane="write", on_success=self._saved, on_failure=self._failed)

    def _saved(self, answer: tuple[dict[str, Exception | None], list[SettingState]]) -> None:
        results, states = answer
        refused = frozenset(key for key, error in results.items() if error is not None)
        self._show(states, keep=refused)
        for key in refused:
            error = results[key]
            label = self.errors[key]
            label.setText(_error_words(key, error))
            label.show()
        saved = [key for key in results if key not in refused]
        names = join_list([_label(self.states[key].setting) for key in saved])
        if refused:
            set_tone(self.status, "error")
            self.status.setText(
                self.tr("有 %1 项未保存，请按提示修改。").replace("%1", str(len(refused)))
                + (self.tr("已保存：%1。").replace("%1", names) if saved else "")
            )
        else:
            set_tone(self.status, None)
            self.status.setText(self.tr("已保存：%1。").replace("%1", names))
        self.saved.emit(results)


def _label(setting: CentreSetting[Any]) -> str:
    return in_language(setting.label, setting.label_en)


def _error_words(key: str, error: Exception | None) -> str:
    """The service's words for this setting (its field error), else the error's message."""
    if isinstance(error, ValidationFailed):
        found: InvalidValue | None = error.by_field().get(key)
        if found is not None:
            return in_language(found.message, getattr(found, "message_en", None))
    return message_for(error) if error is not None else ""

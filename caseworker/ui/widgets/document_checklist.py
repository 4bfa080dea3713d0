"""Documents the clerk must see for this enrolment, ticked as each is shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from caseworker.services.form_support import ChecklistItem, documents_seen
from caseworker.ui.i18n import in_language
from caseworker.ui.style import set_tone


def item_label(item: ChecklistItem) -> str:
    """The document's name in the interface language."""
    return in_language(item.label_zh, item.label_en)


class DocumentChecklist(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.empty = QLabel(self.tr("填写身份证号和就业类别后列出需查验的材料"))
        self.empty.setObjectName("documentsEmpty")
        set_tone(self.empty, "hint")
        self.empty.setWordWrap(True)
        self._layout.addWidget(self.empty)
        self.items: list[ChecklistItem] = []
        self.boxes: dict[str, QCheckBox] = {}
        # Ticks survive the list being rebuilt (a special group unticked and ticked again).
        self._ticked: set[str] = set()

    def set_items(self, items: list[ChecklistItem]) -> None:
        if [i.key for i in items] == [i.key for i in self.items] and items == self.items:
            return
        for box in self.boxes.values():
            self._layout.removeWidget(box)
            box.deleteLater()
        self.items = list(items)
        self.boxes = {}
        for item in items:
            label = item_label(item)
            text = label + (self.tr("（必须）") if item.required else "")
            box = QCheckBox(text, self)
            box.setObjectName(f"document_{item.key.replace(':', '_')}")
            box.setAccessibleName(label)
            box.setChecked(item.key in self._ticked)
            box.toggled.connect(lambda on, key=item.key: self._toggled(key, on))
            self._layout.addWidget(box)
            self.boxes[item.key] = box
        self.empty.setVisible(not items)

    def _toggled(self, key: str, on: bool) -> None:
        if on:
            self._ticked.add(key)
        else:
            self._ticked.discard(key)
        self.changed.emit()

    def ticked(self) -> set[str]:
        return {key for key in self._ticked if key in self.boxes}

    def set_ticked(self, keys: set[str] | list[str]) -> None:
        self._ticked = set(keys)
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(key in self._ticked)
            box.blockSignals(False)

    def missing_required(self) -> list[str]:
        return [item_label(i) for i in self.items if i.required and i.key not in self._ticked]

    def documents(self) -> list[str]:
        """Document codes to store with each enrolment."""
        return documents_seen(self.items, self.ticked())

    def inputs(self) -> list[QWidget]:
        return list(self.boxes.values())

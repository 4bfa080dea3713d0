"""Hukou address as a cascade: province → city → county → township → village.

The levels do not always line up with the data: a municipality's districts hang straight
under the province (through a 市辖区 grouping row), and a province's directly administered
county-level cities (省直辖县级行政区划) sit beside its prefectures. A combo whose level a
region skips shows the region above it as its only entry, so each combo keeps its meaning
and the clerk sees 北京市 › 北京市 › 东城区 rather than a district in the "city" box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QWidget

from caseworker.domain.regions import (
    Region,
    RegionDirectory,
    find_village,
    load_region_directory,
    village_names,
)

LEVELS = ("province", "prefecture", "county", "township", "village")


class RegionCascade(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory: RegionDirectory = load_region_directory()
        names = (
            ("hukouProvince", self.tr("户籍地 省"), self.tr("省")),
            ("hukouCity", self.tr("户籍地 市"), self.tr("市")),
            ("hukouCounty", self.tr("户籍地 县（区）"), self.tr("县（区）")),
            ("hukouTownship", self.tr("户籍地 乡镇（街道）"), self.tr("乡镇（街道）")),
            ("hukouVillage", self.tr("户籍地 村（居）委会"), self.tr("村（居）委会")),
        )
        self.combos: list[QComboBox] = []
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(2)
        for index, (name, accessible, caption) in enumerate(names):
            combo = QComboBox()
            combo.setObjectName(name)
            combo.setAccessibleName(accessible)
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.currentIndexChanged.connect(lambda _, i=index: self._selected(i))
            label = QLabel(caption)
            label.setObjectName(f"{name}Caption")
            label.setBuddy(combo)
            # Two rows (province, city, county / township, village) fit a half-width column.
            row, column = divmod(index, 3)
            layout.addWidget(label, row * 2, column)
            layout.addWidget(combo, row * 2 + 1, column)
            self.combos.append(combo)
        # The fast way: a village's 12-digit code, or its name, selects all five at once.
        self.quick = QLineEdit()
        self.quick.setObjectName("hukouVillageQuick")
        self.quick.setAccessibleName(self.tr("户籍地 村（居）代码或名称"))
        self.quick.setPlaceholderText(self.tr("村（居）代码或名称"))
        quick_label = QLabel(self.tr("快速选择"))
        quick_label.setBuddy(self.quick)
        layout.addWidget(quick_label, 2, 2)
        layout.addWidget(self.quick, 3, 2)
        for column in range(3):  # equal thirds: a village's name shows whole, not clipped
            layout.setColumnStretch(column, 1)
        villages = [r for r in self.directory if r.level == "village" and not r.abolished]
        self._names = village_names(villages)
        self._labels = {self._village_label(v): v.code for v in villages}
        completer = QCompleter(sorted(self._labels), self.quick)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 云亭 finds 云亭社区居委会
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._quick_chosen)
        self.quick.setCompleter(completer)
        self.quick.textEdited.connect(self._quick_typed)
        self._quiet = 0
        self._fill(0, "")

    # ------------------------------------------------------------------ quick entry

    def _village_label(self, village: Region) -> str:
        township = self.directory.find(village.parent_code or "")
        return f"{village.name}（{township.name}）" if township else village.name

    def village_for(self, text: str) -> str | None:
        """The village a typed code or name means, or None (unknown, or not yet whole)."""
        written = text.strip()
        if not written:
            return None
        region = self.directory.find(written)
        if region is not None and region.level == "village":
            return region.code
        return self._labels.get(written) or find_village(self._names, written)

    def _quick_typed(self, text: str) -> None:
        code = self.village_for(text)
        if code is not None and code != self.village_code():
            self.set_code(code)

    def _quick_chosen(self, label: str) -> None:
        code = self._labels.get(label)
        if code is not None:
            self.set_code(code)

    # ------------------------------------------------------------------ filling

    def _items(self, index: int, parent_code: str) -> tuple[list[Region], bool]:
        """Entries for combo ``index`` under ``parent_code``; True when passed through."""
        if index == 0:
            return self.directory.provinces(), False
        if not parent_code:
            return [], False
        parent = self.directory.find(parent_code)
        if parent is None:
            return [], False
        if LEVELS.index(parent.level) >= index:
            return [parent], True
        kids = self.directory.children(parent_code)
        if kids and all(LEVELS.index(kid.level) > index for kid in kids):
            return [parent], True
        return kids, False

    def _fill(self, index: int, parent_code: str) -> None:
        if index >= len(self.combos):
            return
        combo = self.combos[index]
        items, passed_through = self._items(index, parent_code)
        self._quiet += 1
        try:
            combo.clear()
            if not passed_through:
                combo.addItem(self.tr("（请选择）") if items else self.tr("（无）"), "")
            for region in items:
                combo.addItem(region.name, region.code)
            combo.setEnabled(bool(items))
            combo.setCurrentIndex(0)
        finally:
            self._quiet -= 1
        self._fill(index + 1, combo.currentData() or "")

    def _selected(self, index: int) -> None:
        if self._quiet:
            return
        self.quick.clear()  # chosen by hand now: the typed code or name no longer applies
        self._quiet += 1
        try:
            self._fill(index + 1, self.combos[index].currentData() or "")
        finally:
            self._quiet -= 1
        self.changed.emit()

    # ------------------------------------------------------------------ values

    def code(self) -> str | None:
        """The deepest region chosen, or None."""
        for combo in reversed(self.combos):
            if combo.currentData():
                return combo.currentData()
        return None

    def village_code(self) -> str | None:
        code = self.combos[-1].currentData()
        return code or None

    def province_code(self) -> str | None:
        return self.combos[0].currentData() or None

    def name_path(self) -> str:
        code = self.code()
        return self.directory.name_path(code) if code else ""

    def set_code(self, code: str | None) -> None:
        """Select the chain down to ``code`` (any level); unknown parts stay unselected."""
        chain = {region.code for region in self.directory.ancestry(code)} if code else set()
        self._quiet += 1
        try:
            self._fill(0, "")
            for index, combo in enumerate(self.combos):
                for position in range(combo.count()):
                    if combo.itemData(position) in chain:
                        combo.setCurrentIndex(position)
                        self._fill(index + 1, combo.itemData(position))
                        break
        finally:
            self._quiet -= 1
        self.changed.emit()

    def first_input(self) -> QWidget:
        return self.quick

    def inputs(self) -> list[QWidget]:
        """Tab order: the quick entry first (it fills the rest), then each level."""
        return [self.quick, *self.combos]

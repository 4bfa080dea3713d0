"""The worklists' counts on the front desk: a compact strip, each count a button that opens
its list on the worklists page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from caseworker.services.worklists import KINDS
from caseworker.ui.i18n import in_language
from caseworker.ui.style import set_tone


class WorklistStrip(QWidget):
    chosen = Signal(str)  # the kind whose count was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worklistStrip")
        # Never the window's narrowest part: on a small screen the last counts are cut off
        # (each is also on the worklists page).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(4)
        caption = QLabel(self.tr("工作清单："))
        set_tone(caption, "hint")
        layout.addWidget(caption)
        self.buttons: dict[str, QPushButton] = {}
        for kind in KINDS:
            button = QPushButton()
            button.setObjectName(f"worklistCount_{kind.code}")
            button.setFlat(True)
            button.setToolTip(in_language(kind.counts_zh, kind.counts_en))
            set_tone(button, "accent")
            button.clicked.connect(lambda _checked=False, code=kind.code: self.chosen.emit(code))
            # As wide as a five-digit count from the start: the counts arrive after the
            # window is shown, and the strip must not shift when they do.
            title = in_language(kind.short_zh, kind.short_en)
            button.setText(f"{title} (00000)")
            button.ensurePolished()  # the style sheet's padding counts
            button.setMinimumWidth(button.sizeHint().width())
            self.buttons[kind.code] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.show_counts({})

    def show_counts(self, figures: dict[str, int]) -> None:
        for kind in KINDS:
            title = in_language(kind.short_zh, kind.short_en)
            shown = figures.get(kind.code)
            text = f"{title} ({'…' if shown is None else shown})"
            button = self.buttons[kind.code]
            button.setText(text)
            button.setAccessibleName(text)

"""The app's icons, by what they mean: one name → glyph map over Material Design Icons, the
``mdi6`` font that the qtawesome package ships (icons Apache-2.0; the font's licence travels
beside it in the frozen build).

The glyphs are drawn here, from qtawesome's font file and charmap, by a small icon engine (as
qtawesome's own CharIconPainter draws them): importing qtawesome would import qtpy, whose
star-imports of QtCore, QtGui and QtWidgets cost 0.1 s of CPU at every launch
(docs/architecture.md has the figures), and load its ten fonts where one is used. The font
loads on the first icon asked for (9 ms), the package is found without importing it.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap

from caseworker.ui.style import colour

FONT_FILE = "materialdesignicons6-webfont-6.9.96.ttf"
CHARMAP_FILE = "materialdesignicons6-webfont-charmap-6.9.96.json"
GLYPH_SHARE = 0.875  # of the icon's height, as qtawesome draws its glyphs

# What an icon means → its glyph's name in the charmap. Pages by their names in
# main_window.PAGES.
GLYPHS = {
    # pages
    "home": "home-outline",
    "front_desk": "account-search-outline",
    "employers": "office-building-outline",
    "payments": "cash-multiple",
    "sync": "cloud-sync-outline",
    "reports": "chart-bar",
    "settings": "cog-outline",
    "review": "clipboard-check-outline",
    "audit": "shield-search",
    "operators": "account-cog-outline",
    "worklists": "format-list-checks",
    "visits": "map-marker-path",
    "rosters": "file-import-outline",
    # actions
    "search": "magnify",
    "new_enrolment": "account-plus-outline",
    "register_employer": "domain-plus",
    "edit": "pencil-outline",
    "pay": "cash-register",
    "print": "printer-outline",
    "preview": "file-eye-outline",
    "save": "content-save-outline",
    "refresh": "refresh",
    "void": "cancel",
    "back": "arrow-left",
    "quit": "exit-to-app",
    "about": "information-outline",
    "upload": "cloud-upload-outline",
    "export": "file-export-outline",
    "lock": "lock-outline",
    # statuses: each shown with its words, never alone
    "ok": "check-circle-outline",
    "error": "alert-circle-outline",
    "warning": "alert-outline",
    "info": "information-outline",
    "pending": "clock-outline",
}


def font_folder() -> Path:
    """qtawesome's fonts/ folder, found without importing the package (in the frozen build the
    folder is all there is of it, found the same way as a namespace package)."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("qtawesome (the icon font) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def _family() -> str:
    font_id = QFontDatabase.addApplicationFont(str(font_folder() / FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise FileNotFoundError(f"the icon font {FONT_FILE} cannot be loaded")
    return families[0]


@cache
def charmap() -> dict[str, str]:
    """Glyph name → its character in the font."""
    codes = json.loads((font_folder() / CHARMAP_FILE).read_text(encoding="utf-8"))
    return {name: chr(int(code, 16)) for name, code in codes.items()}


class GlyphEngine(QIconEngine):
    """One glyph of the icon font, in the palette's colour for each mode: ``tone`` (muted
    text unless a status says otherwise), the text colour when active, the accent's text
    colour when selected (the navigation's current page), faded when disabled."""

    def __init__(self, glyph: str, tone: str = "text_muted") -> None:
        super().__init__()
        self.glyph = glyph
        self.tone = tone

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        tones = {
            QIcon.Mode.Normal: self.tone,
            QIcon.Mode.Active: "text",
            QIcon.Mode.Selected: "accent_text",
            QIcon.Mode.Disabled: "text_disabled",
        }
        painter.save()
        font = QFont(_family())
        font.setPixelSize(max(1, round(GLYPH_SHARE * rect.height())))
        painter.setFont(font)
        painter.setPen(QColor(colour(tones.get(mode, self.tone))))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.glyph)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.glyph, self.tone)


_made: dict[tuple[str, str], tuple[QIcon, GlyphEngine]] = {}  # the engine kept with its icon


def icon(meaning: str, tone: str = "text_muted") -> QIcon:
    """The icon for ``meaning`` (a key of ``GLYPHS``) in the palette colour ``tone``."""
    made = _made.get((meaning, tone))
    if made is None:
        engine = GlyphEngine(charmap()[GLYPHS[meaning]], tone)
        made = (QIcon(engine), engine)
        _made[(meaning, tone)] = made
    return made[0]


# A banner's kind → its icon and the colour of its words (a status is never colour alone).
STATUS_ICONS = {
    "error": ("error", "error_text"),
    "warning": ("warning", "warning_text"),
    "info": ("info", "info_text"),
    "success": ("ok", "success_text"),
}


def status_icon(kind: str) -> QIcon:
    meaning, tone = STATUS_ICONS[kind]
    return icon(meaning, tone)

"""The app's icons, by what they mean: one name → glyph map over Material Design Icons (the
``mdi6`` font that qtawesome ships; icons Apache-2.0, the font's licence beside it in the
frozen build).

Only that one font is loaded (qtawesome's own ``icon()`` loads all of its ten fonts), on the
first icon asked for; qtawesome and qtpy (~0.1 s of imports) are imported with this module,
which the main window imports, so the launch loads them on the preload thread while the
password is typed (``ui/launch.preload``), not before the first window.
"""

from __future__ import annotations

import os

# qtpy would pick PyQt5 first if one is installed beside PySide6: two Qt bindings in one process.
os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtGui import QIcon
from qtawesome.iconic_font import IconicFont

from caseworker.ui.style import colour

PREFIX = "mdi6"
FONT_FILE = "materialdesignicons6-webfont-6.9.96.ttf"
CHARMAP_FILE = "materialdesignicons6-webfont-charmap-6.9.96.json"

# What an icon means → its glyph. Pages by their names in main_window.PAGES.
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

_font: list[IconicFont] = []
_cache: dict[str, QIcon] = {}


def _iconic() -> IconicFont:
    if not _font:
        _font.append(IconicFont((PREFIX, FONT_FILE, CHARMAP_FILE)))
    return _font[0]


def icon(meaning: str) -> QIcon:
    """The icon for ``meaning`` (a key of ``GLYPHS``): muted text colour, the accent's text
    colour when selected (navigation), faded when disabled."""
    cached = _cache.get(meaning)
    if cached is not None:
        return cached
    made = _iconic().icon(
        f"{PREFIX}.{GLYPHS[meaning]}",
        color=colour("text_muted"),
        color_active=colour("text"),
        color_selected=colour("accent_text"),
        color_disabled=colour("text_disabled"),
    )
    _cache[meaning] = made
    return made

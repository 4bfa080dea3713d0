"""One place for the look: a CJK-capable UI font, the palette and the stylesheet.

The palette (colours, spacing, type scale, the text sizes an operator may choose) is declared
once in resources/style/palette.json; resources/style/caseworker.qss names its tokens
(``${accent}``, ``${type_heading}``) and is rendered from it here, with the type scale
multiplied by the operator's text size. Widgets choose a look by property (``set_role``,
``set_tone``, ``set_banner``), never by a colour of their own, so a text size or palette
change reaches every screen at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from string import Template
from typing import Any

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.resources import load_json, resource_path

PREFERRED_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
DEFAULT_TEXT_SIZE = "normal"


@dataclass(frozen=True)
class Palette:
    colours: dict[str, str]
    contrast: dict[str, list[list[str]]]
    spacing: dict[str, int]
    radius: int
    icon_sizes: dict[str, int]
    type_scale: dict[str, float]
    text_sizes: dict[str, float]


@cache
def palette() -> Palette:
    data: dict[str, Any] = load_json("style", "palette.json")
    return Palette(
        colours=data["colours"],
        contrast=data["contrast"],
        spacing=data["spacing"],
        radius=data["radius"],
        icon_sizes=data["icon_sizes"],
        type_scale=data["type"],
        text_sizes=data["text_sizes"],
    )


def colour(name: str) -> str:
    """A palette colour by token (for what a stylesheet cannot reach: painted charts)."""
    return palette().colours[name]


def text_scale(size: str) -> float:
    """The factor of a text size (``normal``, ``large``, ``largest``); unknown: normal."""
    sizes = palette().text_sizes
    return sizes.get(size, sizes[DEFAULT_TEXT_SIZE])


@cache
def _template() -> Template:
    return Template(resource_path("style", "caseworker.qss").read_text(encoding="utf-8"))


def stylesheet(scale: float = 1.0) -> str:
    """The stylesheet with every token filled in (a missing token raises: none is left)."""
    tokens = palette()
    values: dict[str, object] = dict(tokens.colours)
    values.update({f"space_{name}": px for name, px in tokens.spacing.items()})
    values.update({f"type_{name}": round(pt * scale, 2) for name, pt in tokens.type_scale.items()})
    values["radius"] = tokens.radius
    # The arrows' pictures beside the stylesheet (forward slashes: Qt's url() on Windows too).
    values["style_dir"] = resource_path("style").as_posix()
    # Icons grow with the text.
    values.update({f"icon_{name}": round(px * scale) for name, px in tokens.icon_sizes.items()})
    return _template().substitute(values)


def ui_font(scale: float = 1.0) -> QFont:
    """The interface font: the first CJK family installed, at the body size times ``scale``."""
    size = palette().type_scale["body"] * scale
    families = set(QFontDatabase.families())
    for family in PREFERRED_FONTS:
        if family in families:
            font = QFont(family)
            break
    else:
        font = QFont(QApplication.font())
    font.setPointSizeF(size)
    return font


def apply_style(app: QApplication, size: str = DEFAULT_TEXT_SIZE) -> None:
    """At start: Fusion, the font and the stylesheet at ``size``."""
    app.setStyle("Fusion")
    _apply(app, size)


def apply_text_size(app: QApplication, size: str) -> bool:
    """The font and the stylesheet's type scale for ``size``; widgets on screen follow at
    once (a new application stylesheet repolishes every widget). False when ``size`` is
    already on screen (logging in at the size the last operator had): nothing redone."""
    if current_text_size(app) == size:
        return False
    _apply(app, size)
    return True


def _apply(app: QApplication, size: str) -> None:
    scale = text_scale(size)
    app.setFont(ui_font(scale))
    app.setStyleSheet(stylesheet(scale))
    app.setProperty("textSize", size if size in palette().text_sizes else DEFAULT_TEXT_SIZE)


def current_text_size(app: QApplication) -> str:
    return str(app.property("textSize") or DEFAULT_TEXT_SIZE)


def icon_px(kind: str) -> int:
    """An icon's side (``button``, ``navigation``) at the text size on screen, where the
    stylesheet cannot set it (a list's items)."""
    return scaled(palette().icon_sizes[kind])


def scaled(px: int) -> int:
    """A width laid out for the normal text, at the text size on screen (fixed widths that
    hold text: with larger text they grow with it, or the text is cut)."""
    app = QApplication.instance()
    size = current_text_size(app) if isinstance(app, QApplication) else DEFAULT_TEXT_SIZE
    return round(px * text_scale(size))


def _set(widget: QWidget, name: str, value: str | None) -> None:
    """A style property set and the widget restyled (the stylesheet selects on it)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_role(widget: QWidget, role: str | None) -> None:
    """A place in the type scale: title, heading, emphasis, figure, display, small, strong,
    code, key (caseworker.qss)."""
    _set(widget, "role", role)


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Text colour: error, warning, success, hint, info, accent, link; None: plain text. A tone
    goes with words that say the same: colour alone never tells a status."""
    _set(widget, "tone", tone)


def set_banner(widget: QWidget, kind: str | None) -> None:
    """A coloured strip: error, warning, success, info; ``none``: blank; None: no banner."""
    _set(widget, "banner", kind)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """An input framed in the error colour (its message says why)."""
    _set(widget, "invalid", "true" if invalid else None)

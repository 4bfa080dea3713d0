"""Drawing text with the font chain: runs, line breaking, and fitting text into a cell.

Chinese breaks between any two characters; runs of Latin letters and digits (ID numbers,
amounts, receipt numbers) stay whole unless one alone is wider than the line; closing
punctuation and the middle dot of minority names (买买提·艾力) never start a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reportlab.lib.colors import Color, black, red
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from caseworker.printing.fonts import FontChain

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]

LEADING = 1.18  # line height as a multiple of the font size
SMALLEST = 4.0  # below this a printed character is unreadable: an overflow is an error
# Characters that may not begin a line (a light form of Chinese kinsoku).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’·・%,.;:!?)]}")
_TOKEN = re.compile(r"[A-Za-z0-9@#&_+\-./:%¥￥*]+|\s+|.", re.S)


class LayoutOverflow(Exception):
    """Text that cannot fit its cell even at the smallest readable size (a layout defect)."""

    def __init__(self, text: str, width: float, height: float) -> None:
        super().__init__(f"text does not fit a {width:.0f}×{height:.0f} pt cell: {text[:40]!r}")
        self.text = text


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points; ``y`` is the bottom edge."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def inset(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(self.w - 2 * dx, 0), max(self.h - 2 * dy, 0))


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and token[0] in _NO_LINE_START and not tokens[-1].isspace():
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


class _TextCode:
    """The operators of one text object, where reportlab's graphics state appends its
    ``gs`` (it writes to whatever ``_code`` it is handed)."""

    __slots__ = ("_code",)

    def __init__(self) -> None:
        self._code: list[str] = []

    def start(self, origin: str) -> list[str]:
        self._code = ["BT", origin]
        return self._code


class Pen:
    """Writes on one canvas with one font chain, remembering every character no font has."""

    def __init__(self, canvas: Canvas, chain: FontChain) -> None:
        self.canvas = canvas
        self.chain = chain
        self.missing: dict[str, None] = {}
        # A run's text operators, by (font, text, size): a batch draws the same labels,
        # amounts and names again and again. Valid for this canvas's document only, whose
        # fonts keep a character's subset code once given.
        self._encoded: dict[tuple[str, str, float], str] = {}
        self._fills: dict[Color, tuple[str, float | None]] = {}
        self._placed: dict[tuple, tuple[float, float, tuple[tuple[float, str], ...]]] = {}
        self._state = _TextCode()

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: Align = "left",
        bold: bool = False,
        color: Color = black,
    ) -> float:
        """One line at baseline ``y``; returns its width.

        Writes the operators reportlab's text object would (the same bytes), without its
        per-call layers: colour objects, width measured again, subsets split again."""
        if not text:
            return 0.0
        chain = self.chain
        for ch in chain.missing(text):
            self.missing.setdefault(ch)
        width = chain.unit_width(text) * size
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        c = self.canvas
        if bold:  # CJK fonts have no bold face: fill and stroke the outline instead
            c.setLineWidth(size * 0.035)
            c.setStrokeColor(color)
        code = self._state.start(f"1 0 0 1 {fp_str(x, y)} Tm")
        if bold:
            code.append("2 Tr")
        self._fill(color)
        encoded = self._encoded
        for name, piece, marker in chain.runs(text):
            key = (name, piece, size)
            run = encoded.get(key)
            if run is None:
                run = encoded[key] = self._encode(name, piece, size)
            if marker:
                self._fill(red)
                code.append(run)
                self._fill(color)
            else:
                code.append(run)
        if bold:  # the render mode outlives the text object: put it back
            code.append("0 Tr")
        code.append("ET")
        c._code.append(" ".join(code))
        return width

    def _fill(self, color: Color) -> None:
        """``rg`` and, when the opacity changes, the graphics state that sets it: what the
        text object's ``setFillColor`` writes."""
        fill = self._fills.get(color)
        if fill is None:
            alpha = getattr(color, "alpha", None)
            fill = self._fills[color] = (f"{fp_str(color.red, color.green, color.blue)} rg", alpha)
            if alpha is not None:
                self.canvas._doc.ensureMinPdfVersion("transparency")
        self._state._code.append(fill[0])
        if fill[1] is not None:
            self.canvas._extgstate.set(self._state, "ca", fill[1])

    def _encode(self, name: str, piece: str, size: float) -> str:
        c = self.canvas
        font = pdfmetrics.getFont(name)
        doc = c._doc
        out, subset_now = [], -1
        for subset, chunk in font.splitString(piece, doc):
            if subset != subset_now:
                internal = font.getSubsetInternalName(subset, doc)
                out.append(f"{internal} {fp_str(size)} Tf {fp_str(size * 1.2)} TL")
                subset_now = subset
            out.append(f"({c._escape(chunk)}) Tj")
        return " ".join(out)

    def width(self, text: str, size: float) -> float:
        return self.chain.unit_width(text) * size

    def wrap(self, text: str, max_width: float, size: float) -> list[str]:
        """Break ``text`` into lines no wider than ``max_width`` at ``size``."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines.extend(self._wrap_paragraph(paragraph, max_width / size))
        return lines

    def _wrap_paragraph(self, text: str, limit: float) -> list[str]:
        lines: list[str] = []
        line, used = "", 0.0
        unit = self.chain.unit_width
        for token in _tokens(text):
            w = unit(token)
            if used + w <= limit or not line:
                if w > limit and len(token) > 1:  # a run longer than a line: split it
                    for ch in token:
                        cw = unit(ch)
                        if used + cw > limit and line:
                            lines.append(line.rstrip())
                            line, used = "", 0.0
                        line, used = line + ch, used + cw
                    continue
                line, used = line + token, used + w
            else:
                lines.append(line.rstrip())
                stripped = token.lstrip()
                line, used = stripped, unit(stripped)
        lines.append(line.rstrip())
        return lines

    def fit(
        self,
        box: Box,
        text: str,
        *,
        size: float = 10,
        min_size: float = 6,
        align: Align = "left",
        valign: VAlign = "middle",
        wrap: bool = True,
        padding: float = 2.5,
        bold: bool = False,
        color: Color = black,
    ) -> float:
        """Draw ``text`` inside ``box``: shrink and wrap until it fits; returns the size used.

        One line first, shrinking by up to a fifth (never below ``min_size``); then wrapped,
        from ``size`` down in half points to ``SMALLEST``; text that still does not fit
        raises :class:`LayoutOverflow` rather than running over its neighbours.
        """
        if not text:
            return size
        key = (box, text, size, min_size, align, valign, wrap, padding)
        placed = self._placed.get(key)
        if placed is None:  # a batch fits the same words into the same cells again and again
            placed = self._placed[key] = self._place(*key)
        used, x, lines = placed
        for baseline, line in lines:
            self.text(x, baseline, line, used, align=align, bold=bold, color=color)
        return used

    def _place(
        self,
        box: Box,
        text: str,
        size: float,
        min_size: float,
        align: Align,
        valign: VAlign,
        wrap: bool,
        padding: float,
    ) -> tuple[float, float, tuple[tuple[float, str], ...]]:
        """Where ``fit`` draws: (size, x, (baseline, line) for each line)."""
        inner = box.inset(padding, min(padding, box.h * 0.08))
        unit = self.chain.unit_width(text.replace("\n", ""))
        candidates = _sizes(size, SMALLEST)
        # A little shrinking reads better than a broken line; a lot does not.
        one_line_floor = max(min_size, size * 0.8) if wrap else 0.0
        for s in candidates:
            if s < one_line_floor:
                break
            if "\n" not in text and unit * s <= inner.w and s * LEADING <= inner.h + s * 0.2:
                return _lines(inner, [text], s, align, valign)
        if wrap:
            for s in candidates:
                lines = self.wrap(text, inner.w, s)
                if len(lines) * s * LEADING <= inner.h + s * 0.2:
                    return _lines(inner, lines, s, align, valign)
        raise LayoutOverflow(text, box.w, box.h)


def _lines(
    inner: Box, lines: list[str], size: float, align: Align, valign: VAlign
) -> tuple[float, float, tuple[tuple[float, str], ...]]:
    block = len(lines) * size * LEADING
    if valign == "top":
        top = inner.top
    elif valign == "bottom":
        top = inner.y + block
    else:
        top = inner.y + (inner.h + block) / 2
    # Baseline sits about 0.88 em below the top of a line for these CJK fonts.
    baseline = top - size * (LEADING - 1) / 2 - size * 0.86
    x = {"left": inner.x, "center": inner.x + inner.w / 2, "right": inner.right}[align]
    placed = []
    for line in lines:
        placed.append((baseline, line))
        baseline -= size * LEADING
    return size, x, tuple(placed)


@lru_cache(maxsize=256)  # a few sizes recur on every page of a batch
def _sizes(start: float, stop: float) -> tuple[float, ...]:
    sizes, s = [], start
    while s >= stop - 1e-9:
        sizes.append(round(s, 2))
        s -= 0.5
    return tuple(sizes)

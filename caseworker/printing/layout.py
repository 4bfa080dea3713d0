"""Page furniture shared by every document: the PDF itself, form grids, headers, QR codes,
check boxes, signature boxes and the 副本 / 作废 stamps."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Literal

from reportlab import rl_config
from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfdoc import PDFResourceDictionary
from reportlab.pdfgen.canvas import Canvas

from caseworker.printing import qr
from caseworker.printing.fonts import FontChain
from caseworker.printing.text import Align, Box, Pen

# Streams stay binary (compressed, without the ASCII85 layer on top): a quarter smaller, and
# reportlab's pure-Python ASCII85 encoder was a tenth of a 1,000-receipt batch.
rl_config.useA85 = 0

MM = 72 / 25.4
LABEL_FILL = Color(0.93, 0.93, 0.93)
STAMP_RED = Color(0.8, 0.05, 0.05)
GREY = Color(0.35, 0.35, 0.35)

# What a drawing call draws: everything, or one of its two layers — the blank form (rules,
# shading, titles, labels: the same on every page of its kind, drawn once into a form
# XObject by ``PdfDocument.form``) or the entries written into it.
Layer = Literal["all", "form", "entries"]


@dataclass(frozen=True)
class PrintResult:
    """A finished document: the PDF bytes and the characters no font could draw."""

    pdf: bytes
    missing: tuple[str, ...]
    pages: int
    title: str


class PdfDocument:
    """A reportlab canvas writing to memory with ``invariant=1`` (same input, same bytes)."""

    def __init__(self, chain: FontChain, size: tuple[float, float], title: str) -> None:
        self.buffer = io.BytesIO()
        self.size = size
        self.title = title
        # The initial font is the chain's, so no unembedded Helvetica is ever referenced.
        self.canvas = Canvas(
            self.buffer,
            pagesize=size,
            invariant=1,
            pageCompression=1,
            initialFontName=chain.primary.register(),
            initialFontSize=10,
        )
        self.canvas.setTitle(title)
        self.canvas.setCreator("Caseworker")
        self.canvas.setAuthor("Caseworker")
        self.pen = Pen(self.canvas, chain)
        self.pages = 0
        self._forms: dict[Hashable, str] = {}

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]

    def new_page(self) -> None:
        if self.pages:
            self.canvas.showPage()
        self.pages += 1

    def form(self, key: Hashable, draw: Callable[[], None]) -> None:
        """Put on this page what ``draw`` draws, drawn once per ``key`` as a form XObject
        that every page asking for the same key references (a batch of a thousand receipts
        carries its rules and labels once). ``key`` must hold everything ``draw`` reads, and
        ``draw`` must set the graphics state it relies on (or the form must come first on
        the page): it starts from the initial state, not the page's."""
        name = self._forms.get(key)
        if name is None:
            name = self._forms[key] = f"Form{len(self._forms)}"
            self.canvas.beginForm(name)
            draw()
            self.canvas.endForm()
            self._give_form_its_states(name)
        self.canvas.doForm(name)

    def _give_form_its_states(self, name: str) -> None:
        """reportlab leaves a form's graphics states (its opacities: the 副本 stamp) out of
        the form's resources, where a page has them; put them there."""
        doc = self.canvas._doc
        form = doc.idToObject[doc.getXObjectName(name)]
        if getattr(form, "ExtGState", None):
            resources = PDFResourceDictionary()
            resources.basicFonts()
            resources.allProcs()  # what reportlab gives a form
            resources.ExtGState = form.ExtGState
            if form.XObjects:
                resources.XObject = form.XObjects
            form.Resources = resources

    def finish(self) -> PrintResult:
        self.canvas.showPage()
        self.canvas.save()
        return PrintResult(self.buffer.getvalue(), tuple(self.pen.missing), self.pages, self.title)


def check_value(*parts: object) -> str:
    """Eight hex digits over the record's key facts: a scanned or typed code that does not
    match the record shows a wrong or altered paper (an integrity check, not a signature)."""
    joined = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:8].upper()


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code (level M, ``printing.qr``) in the square at (x, y) of side ``size``: one
    filled path of the dark runs, in module units under one transformation, so the PDF gets
    small integers instead of a thousand formatted floats, and no stray font enters it."""
    matrix = qr.encode(value)
    cell = size / matrix.size
    canvas.saveState()
    canvas.setFillColor(black)
    # Module (row r, column c) is the unit square at (c, r), rows counted down from the top.
    canvas.transform(cell, 0, 0, -cell, x, y + size)
    runs = " ".join(f"{c} {r} {n} 1 re" for r, c, n in qr.dark_runs(matrix))
    canvas.addLiteral(f"{runs} f")
    canvas.restoreState()


@lru_cache(maxsize=4096)  # a batch prints one time of printing a thousand times
def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def checkbox(canvas: Canvas, x: float, y: float, size: float, checked: bool) -> None:
    """A square with a tick: drawn, not a font glyph, so every printer and font shows it."""
    canvas.setLineWidth(0.6)
    canvas.setStrokeColor(black)
    canvas.rect(x, y, size, size, stroke=1, fill=0)
    if checked:
        canvas.setLineWidth(max(size * 0.12, 0.8))
        path = canvas.beginPath()
        path.moveTo(x + size * 0.18, y + size * 0.52)
        path.lineTo(x + size * 0.42, y + size * 0.22)
        path.lineTo(x + size * 0.85, y + size * 0.85)
        canvas.drawPath(path, stroke=1, fill=0)


def choices(pen: Pen, box: Box, options: Sequence[tuple[str, bool]], size: float = 8.5) -> None:
    """Check boxes with labels, left to right, wrapping to a new row when the cell is full."""
    gap, tick = size * 0.35, size * 0.95
    x, row = box.x + 3, 0
    rows_needed = 1
    widths = [tick + gap + pen.width(label, size) + size * 0.9 for label, _ in options]
    used = 0.0
    for w in widths:
        if used + w > box.w - 6 and used:
            rows_needed += 1
            used = 0.0
        used += w
    line_h = size * 1.5
    top = box.y + (box.h + rows_needed * line_h) / 2
    baseline = top - line_h + (line_h - size) / 2 + size * 0.12
    for (label, checked), w in zip(options, widths, strict=True):
        if x + w > box.right - 3 and x > box.x + 3:
            row += 1
            x = box.x + 3
            baseline -= line_h
        checkbox(pen.canvas, x, baseline - size * 0.05, tick, checked)
        pen.text(x + tick + gap, baseline, label, size)
        x += w


@dataclass(frozen=True)
class Cell:
    """One cell of a form row: ``weight`` shares the row's width; labels are shaded."""

    text: str
    weight: float = 1.0
    label: bool = False
    align: Align | None = None
    size: float | None = None
    options: Sequence[tuple[str, bool]] | None = None  # draw check boxes instead of text
    fixed: bool | None = None  # the text belongs to the blank form (by default: labels)

    @property
    def on_form(self) -> bool:
        return self.label if self.fixed is None else self.fixed


def label(text: str, weight: float = 1.0) -> Cell:
    return Cell(text, weight, label=True)


def value(text: str | None, weight: float = 1.0, **kwargs: object) -> Cell:
    return Cell(text or "", weight, **kwargs)  # type: ignore[arg-type]


class Grid:
    """Rows of bordered cells laid out top-down, the way a paper form is; ``layer`` says
    whether it draws everything, only the blank form or only the entries (the same rows
    laid out, so both layers land in the same cells)."""

    def __init__(
        self,
        pen: Pen,
        x: float,
        top: float,
        width: float,
        size: float = 9.5,
        layer: Layer = "all",
    ) -> None:
        self.pen = pen
        self.x = x
        self.top = top
        self.width = width
        self.size = size
        self.start = top
        self.layer = layer

    def row(self, height: float, cells: Sequence[Cell]) -> Box:
        total = sum(cell.weight for cell in cells)
        x = self.x
        y = self.top - height
        c = self.pen.canvas
        form, entries = self.layer != "entries", self.layer != "form"
        for index, cell in enumerate(cells):
            last = index == len(cells) - 1
            w = (self.x + self.width - x) if last else self.width * cell.weight / total
            box = Box(x, y, w, height)
            if cell.label and form:
                c.setFillColor(LABEL_FILL)
                c.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
                c.setFillColor(black)
            drawn = form if cell.on_form else entries
            if drawn and cell.options is not None:
                choices(self.pen, box, cell.options, cell.size or self.size - 1)
            elif drawn and cell.text:
                self.pen.fit(
                    box,
                    cell.text,
                    size=cell.size or self.size,
                    min_size=5.5,
                    align=cell.align or ("center" if cell.label else "left"),
                )
            if form:
                c.setLineWidth(0.6)
                c.setStrokeColor(black)
                c.rect(box.x, box.y, box.w, box.h, stroke=1, fill=0)
            x += w
        self.top = y
        return Box(self.x, y, self.width, height)

    def frame(self) -> None:
        """A heavier outer border around everything drawn so far."""
        if self.layer == "entries":
            return
        c = self.pen.canvas
        c.setLineWidth(1.2)
        c.rect(self.x, self.top, self.width, self.start - self.top, stroke=1, fill=0)
        c.setLineWidth(0.6)


def header(
    doc: PdfDocument,
    title: str,
    *,
    form_code: str,
    centre: str,
    top: float,
    margin: float,
    title_size: float = 18,
    right_note: str = "",
    layer: Layer = "all",
) -> float:
    """Title centred, then form code / centre on the left and a note on the right (the
    note is the entry, the rest the blank form). Returns the y below the header."""
    pen = doc.pen
    y = top - title_size * 1.5 - 4
    small = 8.5 if doc.width > 300 else 7
    half = (doc.width - 2 * margin) / 2
    if layer != "entries":
        pen.fit(
            Box(margin, top - title_size * 1.5, doc.width - 2 * margin, title_size * 1.5),
            title,
            size=title_size,
            min_size=title_size * 0.6,
            align="center",
            bold=True,
            padding=0,
            wrap=False,
        )
        pen.fit(
            Box(margin, y - small * 1.6, half, small * 1.6),
            f"{form_code}　填报单位：{centre}",
            size=small,
            min_size=5,
            padding=0,
            wrap=False,
        )
    if right_note and layer != "form":
        pen.fit(
            Box(margin + half, y - small * 1.6, half, small * 1.6),
            right_note,
            size=small,
            min_size=5,
            align="right",
            padding=0,
            wrap=False,
        )
    return y - small * 1.6 - 3


def signature_boxes(pen: Pen, box: Box, titles: Sequence[str], size: float = 9) -> None:
    """Boxes for signatures or a thumbprint, each titled, with a date line."""
    c = pen.canvas
    w = box.w / len(titles)
    for index, title in enumerate(titles):
        cell = Box(box.x + index * w, box.y, w, box.h)
        c.setLineWidth(0.6)
        c.rect(cell.x, cell.y, cell.w, cell.h, stroke=1, fill=0)
        pen.fit(Box(cell.x, cell.top - size * 2, cell.w, size * 2), title, size=size, padding=4)
        pen.text(cell.right - 6, cell.y + 6, "年　　月　　日", size - 0.5, align="right")


def stamp(pen: Pen, box: Box, text: str, *, color: Color = STAMP_RED, angle: float = 25) -> None:
    """A large rotated outlined word across ``box`` (副本 on copies, 作废 on voids)."""
    c = pen.canvas
    c.saveState()
    c.translate(box.x + box.w / 2, box.y + box.h / 2)
    c.rotate(angle)
    size = min(box.w, box.h) * 0.32
    c.setFillColor(color, alpha=0.18)
    c.setStrokeColor(color, alpha=0.55)
    width = pen.width(text, size)
    pad = size * 0.2
    c.setLineWidth(max(size * 0.05, 1.5))
    c.roundRect(-width / 2 - pad, -size * 0.5 - pad, width + 2 * pad, size * 1.1 + pad, size * 0.12)
    pen.text(0, -size * 0.38, text, size, align="center", color=Color(*color.rgb(), alpha=0.35))
    c.restoreState()

"""Long lists over several pages: the column heads repeat, rows never split, pages are counted
before drawing so every page can say 第 x 页 共 y 页."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4

from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import GREY, MM, Cell, Grid, PdfDocument, header
from caseworker.printing.text import Align


@dataclass(frozen=True)
class Column:
    title: str
    weight: float
    align: Align = "left"


def plan_pages(rows: int, first: float, others: float, row_h: float, tail: float) -> list[int]:
    """Rows on each page, when the first page has ``first`` points for the table, later pages
    ``others``, each page repeats the head row, and the last page also holds ``tail`` points
    (totals, signatures), with at least a few rows above it."""
    counts: list[int] = []
    left, room = rows, first
    while True:
        if (left + 1) * row_h + tail <= room:
            counts.append(left)
            return counts
        take = min(left, max(int(room // row_h) - 1, 0))
        if take == left:
            # The rows fit but the tail does not: carry a few rows over, so signatures never
            # stand alone on a page that could be swapped for another.
            take = max(left - 3, 0)
        if take == 0 and room == others and left:
            raise ValueError("a page cannot hold one row and its head")
        counts.append(take)
        left -= take
        room = others


@dataclass
class PagedTable:
    """Draws ``rows`` under ``columns`` across as many pages as the plan says."""

    doc: PdfDocument
    columns: Sequence[Column]
    x: float
    width: float
    row_h: float = 18
    size: float = 8.5

    def draw(
        self,
        rows: Sequence[Sequence[str]],
        plan: list[int],
        *,
        top: float,
        page_top: float,
        start_page: Callable[[], None],
    ) -> float:
        """Starts at ``top`` on the current page; ``start_page`` draws each new page's own
        header and footer. Returns the y below the last row (where the tail goes)."""
        heads = [Cell(c.title, c.weight, label=True, size=self.size) for c in self.columns]
        done = 0
        y = top
        for page, count in enumerate(plan):
            if page:
                self.doc.new_page()
                start_page()
                y = page_top
            if count == 0 and page:
                continue
            grid = Grid(self.doc.pen, self.x, y, self.width, size=self.size)
            grid.row(self.row_h, heads)
            for row in rows[done : done + count]:
                grid.row(
                    self.row_h,
                    [
                        Cell(t, c.weight, align=c.align, size=self.size)
                        for t, c in zip(row, self.columns, strict=True)
                    ],
                )
            done += count
            grid.frame()
            y = grid.top
        return y


def table_end(plan: list[int], top: float, page_top: float, row_h: float) -> float:
    """Where a table drawn with ``plan`` from ``top`` ends (heads repeat on each page)."""
    if len(plan) == 1:
        return top - (plan[0] + 1) * row_h
    return page_top - (plan[-1] + 1) * row_h if plan[-1] else page_top


def page_footer(doc: PdfDocument, total: int, left: str, margin: float, y: float) -> None:
    doc.pen.text(margin, y, left, 7.5, color=GREY)
    doc.pen.text(
        doc.width - margin, y, f"第 {doc.pages} 页 共 {total} 页", 7.5, align="right", color=GREY
    )


@dataclass(frozen=True)
class A4Report:
    """A day report's first A4 page, its header drawn: where its tables may go."""

    doc: PdfDocument
    margin: float
    width: float
    bottom: float
    page_top: float
    top: float  # below the header, where the first table starts


def start_a4_report(
    chain: FontChain, title: str, subject: str, form_code: str, centre: str, right_note: str
) -> A4Report:
    """The margins the centre's day reports (daily report, remittance list) share."""
    doc = PdfDocument(chain, A4, f"{title} {subject}")
    margin = 15 * MM
    doc.new_page()
    top = header(
        doc,
        title,
        form_code=form_code,
        centre=centre,
        top=doc.height - 13 * MM,
        margin=margin,
        right_note=right_note,
    )
    return A4Report(doc, margin, doc.width - 2 * margin, 18 * MM, doc.height - 15 * MM, top)

"""参保覆盖情况报告 (A4, Chinese): the coverage picture of each insurance line, charts included.

For each line its totals, then each figure: its title, the day it is as of and what it
counts, and its chart (``printing.coverage_charts``). Figures flow down the page and never
split; pages are planned before drawing so each can say 第 x 页 共 y 页.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4

from caseworker.domain.coverage_figures import Counts, CoverageReport, Figure
from caseworker.printing.coverage_charts import chart_height, draw_figure
from caseworker.printing.fonts import FontChain
from caseworker.printing.layout import GREY, MM, PdfDocument, PrintResult, format_time, header
from caseworker.printing.tables import page_footer
from caseworker.printing.text import LEADING

TITLE = "参保覆盖情况报告"
FORM_CODE = "表号：CW-FG-01"
NUMERALS = "一二三四五六七八九十"
TITLE_SIZE, TEXT_SIZE = 10.0, 7.5
GAP = 12.0


def totals_text(total: Counts) -> str:
    rate = "—" if total.percent is None else f"{total.percent:.1f}%"
    return (
        f"在册 {total.present} 人（不含迁出、死亡），其中不适用 {total.not_applicable} 人，"
        f"应参保 {total.base} 人；已参保 {total.covered} 人（本地 {total.insured_here}、"
        f"异地 {total.insured_elsewhere}），未参保 {total.not_insured} 人，"
        f"未核实 {total.unknown} 人；参保率 {rate}。"
    )


def figure_text(figure: Figure) -> str:
    note = f"{figure.note.zh}" if figure.note else ""
    return f"截至 {figure.as_of.isoformat()}。统计口径：{figure.counts_what.zh}{note}"


@dataclass(frozen=True)
class _Block:
    """One thing to draw: a line's heading with its totals, or a figure."""

    report: CoverageReport
    figure: Figure | None
    number: int
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        text = len(self.lines) * TEXT_SIZE * LEADING
        if self.figure is None:
            return 13 * LEADING + text + 4
        return TITLE_SIZE * LEADING + text + 4 + chart_height(self.figure)


def _blocks(doc: PdfDocument, reports: Sequence[CoverageReport], width: float) -> list[_Block]:
    wrap = doc.pen.wrap
    blocks = []
    for number, report in enumerate(reports):
        blocks.append(
            _Block(report, None, number, tuple(wrap(totals_text(report.total), width, TEXT_SIZE)))
        )
        for figure in report.figures:
            lines = tuple(wrap(figure_text(figure), width, TEXT_SIZE))
            blocks.append(_Block(report, figure, number, lines))
    return blocks


def _plan(blocks: list[_Block], first: float, others: float) -> list[list[_Block]]:
    pages: list[list[_Block]] = [[]]
    room = first
    for block in blocks:
        # A line's heading starts a page if its first figure would not fit under it.
        need = block.height + GAP
        if block.figure is None:
            following = blocks[blocks.index(block) + 1] if block is not blocks[-1] else None
            need += following.height + GAP if following else 0
        if need > room and pages[-1]:
            pages.append([])
            room = others
        pages[-1].append(block)
        room -= block.height + GAP
    return pages


def build_coverage_report(
    reports: Sequence[CoverageReport], chain: FontChain, *, printed_at: datetime
) -> PrintResult:
    if not reports:
        raise ValueError("a coverage report needs at least one line")
    first = reports[0]
    names = "、".join(r.line_label.zh for r in reports)
    doc = PdfDocument(chain, A4, f"{TITLE} {first.as_of.isoformat()}")
    margin = 15 * MM
    width = doc.width - 2 * margin
    bottom, page_top = 18 * MM, doc.height - 15 * MM
    doc.new_page()
    top = header(
        doc,
        TITLE,
        form_code=FORM_CODE,
        centre=first.centre_name,
        top=doc.height - 13 * MM,
        margin=margin,
        right_note=f"截至：{first.as_of.isoformat()}　项目：{names}",
    )
    blocks = _blocks(doc, reports, width)
    pages = _plan(blocks, top - bottom, page_top - bottom)
    footer = f"{first.centre_name}　打印：{format_time(printed_at)}"
    pen = doc.pen
    for index, page in enumerate(pages):
        if index:
            doc.new_page()
            pen.text(
                margin, doc.height - 10 * MM, f"{TITLE}（续）　截至 {first.as_of.isoformat()}", 8.5
            )
            y = page_top
        else:
            y = top - 4
        page_footer(doc, len(pages), footer, margin, 10 * MM)
        for block in page:
            y = _draw(doc, block, margin, y, width)
    return doc.finish()


def _draw(doc: PdfDocument, block: _Block, x: float, y: float, width: float) -> float:
    pen = doc.pen
    if block.figure is None:
        heading = f"{NUMERALS[block.number]}、{block.report.line_label.zh}"
        pen.text(x, y - 13, heading, 13, bold=True)
        y -= 13 * LEADING + 2
    else:
        figure = block.figure
        number = block.report.figures.index(figure) + 1
        pen.text(x, y - TITLE_SIZE, f"（{number}）{figure.title.zh}", TITLE_SIZE, bold=True)
        y -= TITLE_SIZE * LEADING + 2
    for line in block.lines:
        pen.text(x, y - TEXT_SIZE, line, TEXT_SIZE, color=GREY if block.figure else black)
        y -= TEXT_SIZE * LEADING
    y -= 2
    if block.figure is not None:
        draw_figure(doc, block.figure, x, y, width)
        y -= chart_height(block.figure)
    return y - GAP

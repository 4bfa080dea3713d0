"""The coverage figures as reportlab.graphics charts on a PDF page.

Bars and lines are reportlab's charts (HorizontalBarChart, VerticalBarChart,
HorizontalLineChart); their numbers use the chain's primary font (digits are in every CJK
font), while every label that may hold Chinese is written by the ``Pen``, which falls back per
character and remembers what no font has. So no unembedded Helvetica enters the PDF and a
village name is never printed with a gap unnoticed.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor

from caseworker.domain.coverage_figures import NEW_EMPLOYMENT, Figure
from caseworker.printing.layout import GREY, PdfDocument
from caseworker.printing.text import Box

BAR = HexColor("#2f6db5")
NEW_EMPLOYMENT_BAR = HexColor("#d9822b")  # migrant, flexible and platform workers, apart
UNKNOWN_BAR = HexColor("#9aa3ad")
SERIES = (HexColor("#2f6db5"), HexColor("#c8507a"), HexColor("#7d8a96"))
ROW = 13.0  # points per bar of a horizontal chart
LABEL_W = 150.0  # the column of category labels left of a horizontal chart
VALUE_ROOM = 44.0  # right of the bars, for the longest value label
AXIS = 16.0  # below a chart, for its value axis
GROUPED_H = 150.0
TREND_H = 140.0


_RENDERING = threading.Lock()


@contextmanager
def _graphics_font(font: str) -> Iterator[None]:
    """reportlab's renderer starts every drawing by selecting its default graphics font
    (Helvetica, never embedded): make that the chain's font while a chart is rendered."""
    with _RENDERING:
        before = rl_config.defaultGraphicsFontName
        rl_config.defaultGraphicsFontName = font
        try:
            yield
        finally:
            rl_config.defaultGraphicsFontName = before


def _render(drawing: Drawing, doc: PdfDocument, x: float, y: float, font: str) -> None:
    with _graphics_font(font):
        renderPDF.draw(drawing, doc.canvas, x, y)


def chart_height(figure: Figure) -> float:
    if figure.chart == "bars":
        return len(figure.bars) * ROW + AXIS
    if figure.chart == "grouped":
        return GROUPED_H + 28  # category labels and the legend below
    return TREND_H + 18


def _scale(figure: Figure) -> tuple[float, float]:
    """The value axis' top and step: 0–100% for rates; for people a round step, five or so
    to the axis, and a top that is a whole number of steps above the longest bar."""
    if figure.unit == "percent":
        return 100.0, 20.0
    top = max((b.value or 0 for b in figure.bars), default=0) * 1.1
    raw = max(top / 5, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return float(max(math.ceil(top / step), 1) * step), float(step)


def _numbers_font(chart: object, font: str) -> None:
    for axis in ("valueAxis", "categoryAxis"):
        labels = getattr(chart, axis).labels
        labels.fontName = font
        labels.fontSize = 7


def draw_figure(doc: PdfDocument, figure: Figure, x: float, top: float, width: float) -> None:
    """The figure's chart with its top-left corner at (``x``, ``top``)."""
    font = doc.pen.chain.primary.register()
    if figure.chart == "bars":
        _bars(doc, figure, x, top, width, font)
    elif figure.chart == "grouped":
        _grouped(doc, figure, x, top, width, font)
    else:
        _trend(doc, figure, x, top, width, font)


def _bars(doc: PdfDocument, figure: Figure, x: float, top: float, width: float, font: str) -> None:
    n = len(figure.bars)
    height = n * ROW
    plot_x = x + LABEL_W
    plot_w = width - LABEL_W - VALUE_ROOM
    bottom = top - height
    drawing = Drawing(width, height + AXIS)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_W, AXIS
    chart.width, chart.height = plot_w, height
    chart.data = [[b.value if b.value is not None else 0 for b in figure.bars]]
    chart.categoryAxis.reverseDirection = 1  # the first group on top, as it reads
    chart.categoryAxis.visibleLabels = 0  # labels are the pen's (Chinese, fallback)
    chart.categoryAxis.visibleTicks = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _scale(figure)
    chart.valueAxis.labelTextFormat = "%d%%" if figure.unit == "percent" else "%d"
    chart.barWidth = ROW * 0.62
    chart.groupSpacing = ROW * 0.38
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = BAR
    for index, bar in enumerate(figure.bars):
        if bar.key == "unknown":
            chart.bars[(0, index)].fillColor = UNKNOWN_BAR
        elif figure.key == "by_category" and bar.key in NEW_EMPLOYMENT:
            chart.bars[(0, index)].fillColor = NEW_EMPLOYMENT_BAR
    _numbers_font(chart, font)
    drawing.add(chart)
    _render(drawing, doc, x, bottom - AXIS, font)
    pen = doc.pen
    scale = plot_w / chart.valueAxis.valueMax
    for index, bar in enumerate(figure.bars):
        row_top = top - index * ROW
        pen.fit(
            Box(x, row_top - ROW, LABEL_W - 4, ROW),
            bar.label.zh,
            size=7.5,
            min_size=5.5,
            align="right",
            wrap=False,
            padding=1,
        )
        end = plot_x + (bar.value or 0) * scale
        pen.text(end + 3, row_top - ROW + 3.6, figure.value_text(bar.value), 7, color=GREY)


def _grouped(
    doc: PdfDocument, figure: Figure, x: float, top: float, width: float, font: str
) -> None:
    categories = figure.categories()
    series = figure.series
    plot_x, plot_w = 30.0, width - 40.0
    drawing = Drawing(width, GROUPED_H + 14)
    chart = VerticalBarChart()
    chart.x, chart.y = plot_x, 14
    chart.width, chart.height = plot_w, GROUPED_H - 14
    chart.data = [[figure.bar(key, s.key).value for key, _ in categories] for s in series]
    chart.categoryAxis.visibleLabels = 0
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars.strokeColor = None
    for index in range(len(series)):
        chart.bars[index].fillColor = SERIES[index % len(SERIES)]
    chart.barLabelFormat = lambda value: "" if value is None else f"{value:.0f}"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    _numbers_font(chart, font)
    drawing.add(chart)
    base = top - GROUPED_H - 14
    _render(drawing, doc, x, base, font)
    pen = doc.pen
    step = plot_w / len(categories)
    for index, (_, label) in enumerate(categories):
        centre = x + plot_x + step * (index + 0.5)
        pen.text(centre, base + 3, label.zh, 7, align="center")
    legend_x = x + plot_x
    for index, s in enumerate(series):
        canvas = doc.canvas
        canvas.setFillColor(SERIES[index % len(SERIES)])
        canvas.rect(legend_x, base - 12, 8, 6, stroke=0, fill=1)
        legend_x += 11 + pen.text(legend_x + 11, base - 11.5, s.label.zh, 7) + 14


def _trend(doc: PdfDocument, figure: Figure, x: float, top: float, width: float, font: str) -> None:
    plot_x, plot_w = 30.0, width - 40.0
    drawing = Drawing(width, TREND_H)
    chart = HorizontalLineChart()
    chart.x, chart.y = plot_x, 14
    chart.width, chart.height = plot_w, TREND_H - 20
    chart.data = [[b.value for b in figure.bars]]
    chart.categoryAxis.categoryNames = [b.key[2:] for b in figure.bars]  # YY-MM
    chart.categoryAxis.labels.angle = 0
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.lines[0].strokeColor = BAR
    chart.lines[0].strokeWidth = 1.6
    chart.joinedLines = 1
    from reportlab.graphics.widgets.markers import makeMarker

    chart.lines[0].symbol = makeMarker("FilledCircle", size=3.5)
    _numbers_font(chart, font)
    drawing.add(chart)
    base = top - TREND_H - 4
    _render(drawing, doc, x, base, font)
    step = chart.width / len(figure.bars)  # points sit mid-category, as the chart puts them
    for index, bar in enumerate(figure.bars):
        if bar.value is not None:
            px = x + chart.x + step * (index + 0.5)
            py = base + chart.y + bar.value / 100 * chart.height
            doc.pen.text(
                px,
                min(py + 4, base + chart.y + chart.height + 4),
                f"{bar.value:.1f}%",
                6.5,
                align="center",
                color=GREY,
            )

"""One coverage figure as a QtCharts chart, and which bar a click landed on.

Horizontal bars for the rate (or count) per group, grouped bars for age band × sex, a line
for the monthly trend. The value is written into each category's label ("街西村村委会  60.0%"),
so a group with nobody to count reads "—" rather than a misleading 0% bar.
"""

from __future__ import annotations

import re

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from caseworker.domain.coverage_figures import NEW_EMPLOYMENT, Bar, Figure
from caseworker.ui.style import colour

# The palette's chart colours (resources/style/palette.json); each bar is labelled in words.
BAR = QColor(colour("chart_1"))
NEW_EMPLOYMENT_BAR = QColor(colour("chart_new"))
UNKNOWN_BAR = QColor(colour("chart_unknown"))
SERIES = tuple(QColor(colour(name)) for name in ("chart_1", "chart_2", "chart_3"))
ROW_PX = 26


LABEL_LIMIT = {"zh": 16, "en": 30}  # characters an axis shows before the chart cuts it off
_ASIDE = re.compile(r"\s*[（(][^）)]*[）)]")


def axis_label(text: str, lang: str) -> str:
    """A label short enough for the axis: an aside in brackets goes first, then the end
    (the full words are in the tooltip, the keyboard's line and the PDF)."""
    limit = LABEL_LIMIT.get(lang, 30)
    if len(text) > limit:
        text = _ASIDE.sub("", text) or text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",; ") + "…"


def preferred_height(figure: Figure) -> int:
    if figure.chart == "bars":
        return max(170, len(figure.bars) * ROW_PX + 60)
    return 290


class FigureChart(QChartView):
    """A figure drawn; ``bar_clicked`` carries the ``Bar`` under a click (clickable bars only)."""

    bar_clicked = Signal(object)
    current_changed = Signal(object)  # the bar the arrow keys are on (Enter opens its list)

    def __init__(self, figure: Figure, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.lang = lang
        self.setObjectName(f"chart_{figure.key}")
        self.setAccessibleName(figure.title.text(lang))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows pick a bar, Enter opens it
        self.current: int | None = None
        # Its own height, not a share of the window: the picture scrolls, bars stay legible.
        self.setFixedHeight(preferred_height(figure))
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.legend().setVisible(False)
        self.setChart(chart)
        self.series: QHorizontalBarSeries | QBarSeries | QLineSeries
        if figure.chart == "bars":
            self._bars(chart)
        elif figure.chart == "grouped":
            self._grouped(chart)
        else:
            self._trend(chart)

    # -- the three kinds ------------------------------------------------------------------

    def _value_axis(self, chart: QChart, alignment: Qt.AlignmentFlag) -> QValueAxis:
        axis = QValueAxis()
        if self.figure.unit == "percent":
            axis.setRange(0, 100)
            axis.setTickCount(6)
            axis.setLabelFormat("%d%%")
        else:
            top = max((b.value or 0 for b in self.figure.bars), default=0)
            axis.setRange(0, max(5, round(top * 1.15 + 0.5)))
            axis.setLabelFormat("%d")
            axis.applyNiceNumbers()
        chart.addAxis(axis, alignment)
        return axis

    def _bars(self, chart: QChart) -> None:
        figure, lang = self.figure, self.lang
        # Qt draws the first category at the bottom: hand them over reversed, so the
        # figure reads top-down in its own order.
        self.rows = list(reversed(figure.bars))
        bar_set = QBarSet(figure.title.text(lang))
        bar_set.setColor(BAR)
        bar_set.setSelectedColor(NEW_EMPLOYMENT_BAR if figure.key == "by_category" else UNKNOWN_BAR)
        for index, bar in enumerate(self.rows):
            bar_set.append(bar.value or 0)
            if bar.key == "unknown" or (figure.key == "by_category" and bar.key in NEW_EMPLOYMENT):
                bar_set.selectBar(index)
        series = QHorizontalBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(
            [
                f"{axis_label(bar.label.text(lang), lang)}  {figure.value_text(bar.value)}"
                for bar in self.rows
            ]
        )
        categories.setTruncateLabels(False)  # a village's name is never cut to "…"
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(self._value_axis(chart, Qt.AlignmentFlag.AlignBottom))
        series.clicked.connect(lambda index, _set: self._clicked(self.rows[index]))
        series.hovered.connect(lambda state, index, _set: self._hover(state, self.rows[index]))
        self.series = series

    def _grouped(self, chart: QChart) -> None:
        figure, lang = self.figure, self.lang
        self.categories = figure.categories()
        series = QBarSeries()
        self.sets: dict[int, str] = {}
        for number, item in enumerate(figure.series):
            bar_set = QBarSet(item.label.text(lang))
            bar_set.setColor(SERIES[number % len(SERIES)])
            for key, _ in self.categories:
                bar = figure.bar(key, item.key)
                bar_set.append(bar.value if bar and bar.value is not None else 0)
            series.append(bar_set)
            self.sets[id(bar_set)] = item.key
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        series.setLabelsAngle(-90)  # upright, so neighbouring bars' numbers never overlap
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append([axis_label(label.text(lang), lang) for _, label in self.categories])
        axis.setTruncateLabels(False)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        series.attachAxis(self._value_axis(chart, Qt.AlignmentFlag.AlignLeft))
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        series.clicked.connect(
            lambda index, bar_set: self._clicked(self._grouped_bar(index, bar_set))
        )
        series.hovered.connect(
            lambda state, index, bar_set: self._hover(state, self._grouped_bar(index, bar_set))
        )
        self.series = series

    def _grouped_bar(self, index: int, bar_set: QBarSet) -> Bar | None:
        return self.figure.bar(self.categories[index][0], self.sets.get(id(bar_set)))

    def _trend(self, chart: QChart) -> None:
        figure = self.figure
        line = QLineSeries()
        points = QScatterSeries()
        points.setMarkerSize(7)
        for series in (line, points):
            series.setColor(BAR)
        for index, bar in enumerate(figure.bars):
            if bar.value is not None:
                line.append(QPointF(index, bar.value))
                points.append(QPointF(index, bar.value))
        points.setPointLabelsVisible(True)
        points.setPointLabelsFormat("@yPoint%")
        points.setPointLabelsClipping(False)
        chart.addSeries(line)
        chart.addSeries(points)
        months = QBarCategoryAxis()
        months.append([bar.key[2:] for bar in figure.bars])  # YY-MM
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        values = self._value_axis(chart, Qt.AlignmentFlag.AlignLeft)
        for series in (line, points):
            series.attachAxis(months)
            series.attachAxis(values)
        self.series = line

    # -- clicks and hovers ------------------------------------------------------------------

    def _clicked(self, bar: Bar | None) -> None:
        if bar is not None and bar.clickable:
            self.bar_clicked.emit(bar)

    def _hover(self, state: bool, bar: Bar | None) -> None:
        if not state or bar is None:
            QToolTip.hideText()
            return
        text = f"{bar.label.text(self.lang)}：{self.figure.value_text(bar.value)}"
        if bar.counts is not None and self.figure.unit == "percent":
            text += f"（{bar.counts.covered}/{bar.counts.base}）"
        self.setToolTip(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up/Down (or Left/Right) walk the bars that list people; Enter opens the list."""
        bars = [b for b in self.figure.bars if b.clickable]
        key = event.key()
        if bars and key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Left):
            step = 1 if key in (Qt.Key.Key_Down, Qt.Key.Key_Right) else -1
            start = -1 if self.current is None else self.current
            self.current = (start + step) % len(bars)
            self.current_changed.emit(bars[self.current])
        elif bars and self.current is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.bar_clicked.emit(bars[self.current])
        else:
            super().keyPressEvent(event)

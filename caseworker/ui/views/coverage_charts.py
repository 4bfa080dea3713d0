"""The coverage picture on the Reports page: a line chooser, the line's totals and six charts.

Figures are computed on the background runner (``services.coverage_report``: sums over the
store's tallies) and drawn with QtCharts. Each chart says the day it is as of and what it
counts. A click on a bar asks for the people behind it: ``worklist_requested`` carries a
``WorklistSpec`` of the not-covered list narrowed to the bar's group (the main window opens
the worklists page with it). The same figures print as the PDF report (打印报告).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.coverage import lines
from caseworker.domain.coverage_figures import Bar, CoverageReport, Figure
from caseworker.services.centre import OpenSession
from caseworker.services.coverage_report import coverage_report, coverage_report_pdf
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.ui.i18n import current_language, message_for
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import Task, TaskControl, TaskRunner
from caseworker.ui.widgets.common import scrolling, shortcut_button
from caseworker.ui.widgets.figure_chart import FigureChart


def spec_for(report: CoverageReport, bar: Bar) -> WorklistSpec:
    """The not-covered worklist of the bar's group, in the report's line."""
    return WorklistSpec(kind="not_covered", line=report.line, **dict(bar.filters))


class FigurePanel(QFrame):
    """A figure's title, its date and what it counts, and its chart."""

    def __init__(self, figure: Figure, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"panel_{figure.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        title = QLabel(figure.title.text(lang))
        set_role(title, "emphasis")
        self.caption = QLabel()
        self.caption.setObjectName(f"caption_{figure.key}")
        self.caption.setWordWrap(True)
        set_tone(self.caption, "hint")
        counts = figure.counts_what.text(lang)
        note = f" {figure.note.text(lang)}" if figure.note else ""
        self.caption.setText(
            self.tr("截至 %1。%2").replace("%1", figure.as_of.isoformat()).replace("%2", counts)
            + note
        )
        self.chart = FigureChart(figure, lang, self)
        self.current = QLabel()
        self.current.setObjectName(f"current_{figure.key}")
        set_tone(self.current, "accent")
        self.chart.current_changed.connect(self._show_current)
        layout.addWidget(title)
        layout.addWidget(self.caption)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.current)
        self.lang = lang

    def _show_current(self, bar: Bar) -> None:
        value = self.chart.figure.value_text(bar.value)
        self.current.setText(
            self.tr("%1：%2（按回车键查看名单）")
            .replace("%1", bar.label.text(self.lang))
            .replace("%2", value)
        )


class CoveragePicture(QWidget):
    worklist_requested = Signal(object)  # a WorklistSpec
    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.today = today
        self.report: CoverageReport | None = None
        self.panels: dict[str, FigurePanel] = {}
        self.task: Task | None = None
        self.batch: Task | None = None
        self._wanted = False  # loaded at the first showing, not when the window is built

        self.line = QComboBox()
        self.line.setObjectName("coverageLine")
        self.line.setAccessibleName(self.tr("保障项目"))
        english = current_language() == "en"
        for item in lines():
            self.line.addItem(item.name_en if english else item.name_zh, item.code)
        self.line.currentIndexChanged.connect(lambda _i: self.refresh())
        line_label = QLabel(self.tr("保障项目(&L)"))
        line_label.setBuddy(self.line)
        self.refresh_button = shortcut_button(
            "refreshCoverage", self.tr("重新统计"), "Ctrl+R", self.refresh
        )
        self.print_button = shortcut_button(
            "printCoverage", self.tr("打印报告…"), "Ctrl+Shift+P", self.print_report
        )
        self.print_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(line_label)
        top.addWidget(self.line)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.print_button)

        self.summary = QLabel(self.tr("正在统计…"))
        self.summary.setObjectName("coverageSummary")
        self.summary.setWordWrap(True)
        self.hint = QLabel(
            self.tr("点击柱形（或用方向键选中后按回车）可查看其中未参保、未核实人员的名单。")
        )
        set_tone(self.hint, "hint")

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll = scrolling("coverageCharts", self.grid_holder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.hint)
        layout.addWidget(self.scroll, 1)

    def chosen_line(self) -> str:
        return str(self.line.currentData())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._wanted:
            self._wanted = True
            self.refresh()

    def refresh(self) -> None:
        self._wanted = True
        database, actor, line, day = (
            self.session.database,
            self.session.actor,
            self.chosen_line(),
            self.today(),
        )
        set_tone(self.summary, None)
        self.summary.setText(self.tr("正在统计…"))
        self.task = self.runner.submit(
            lambda control: coverage_report(database, actor, day, line),
            on_success=self.show_report,
            on_failure=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        text = self.tr("参保覆盖情况统计失败：%1").replace("%1", message_for(error))
        set_tone(self.summary, "error")
        self.summary.setText(text)
        self.failed.emit(text)

    def show_report(self, report: CoverageReport) -> None:
        if report.line != self.chosen_line():
            return  # the operator chose another line meanwhile: its figures are coming
        self.report = report
        lang = current_language()
        total = report.total
        rate = "—" if total.percent is None else f"{total.percent:.1f}%"
        self.summary.setText(
            self.tr(
                "截至 %1：在册 %2 人，不适用 %3 人，应参保 %4 人；已参保 %5 人（本地 %6、异地 %7），"
                "未参保 %8 人，未核实 %9 人；参保率 %10。"
            )
            .replace("%10", rate)
            .replace("%1", report.as_of.isoformat())
            .replace("%2", str(total.present))
            .replace("%3", str(total.not_applicable))
            .replace("%4", str(total.base))
            .replace("%5", str(total.covered))
            .replace("%6", str(total.insured_here))
            .replace("%7", str(total.insured_elsewhere))
            .replace("%8", str(total.not_insured))
            .replace("%9", str(total.unknown))
        )
        for panel in self.panels.values():
            self.grid.removeWidget(panel)
            panel.deleteLater()
        self.panels = {}
        for index, figure in enumerate(report.figures):
            panel = FigurePanel(figure, lang, self.grid_holder)
            panel.chart.bar_clicked.connect(self._bar_clicked)
            self.grid.addWidget(panel, index // 2, index % 2, Qt.AlignmentFlag.AlignTop)
            self.panels[figure.key] = panel
        for column in (0, 1):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch((len(report.figures) + 1) // 2, 1)  # spare room below
        self.print_button.setEnabled(True)
        self.loaded.emit()

    def chart(self, key: str) -> FigureChart:
        return self.panels[key].chart

    def _bar_clicked(self, bar: Bar) -> None:
        if self.report is not None:
            self.worklist_requested.emit(spec_for(self.report, bar))

    def print_report(self) -> None:
        from caseworker.ui.printing import run_batch

        database, actor, line, day = (
            self.session.database,
            self.session.actor,
            self.chosen_line(),
            self.today(),
        )

        def job(control: TaskControl):
            control.check()
            return coverage_report_pdf(database, actor, day, [line])

        self.batch = run_batch(self, self.runner, self.tr("正在生成参保覆盖情况报告…"), job)

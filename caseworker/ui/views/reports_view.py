"""Reports: the coverage picture, and the papers a centre prints for a village or a day.

The coverage picture (``coverage_charts``: charts per insurance line, a click on a bar opens
its people's worklist) is the first tab; the papers the second. Household survey sheets (全民参保登记入户调查表) for a whole village, pre-filled or blank, are
built on the background runner with progress and cancel; the daily collection report for any
day opens in the print preview.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.regions import load_region_directory
from caseworker.services.centre import OpenSession
from caseworker.ui.tasks import TaskControl, TaskRunner
from caseworker.ui.views.coverage_charts import CoveragePicture


class ReportsPage(QWidget):
    worklist_requested = Signal(object)  # a WorklistSpec: the people behind a clicked bar

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.batch = None

        heading = QLabel(self.tr("报表"))
        heading.setStyleSheet("font-size: 13pt; font-weight: bold;")

        self.village = QComboBox()
        self.village.setObjectName("surveyVillage")
        self.village.setAccessibleName(self.tr("村（居）委会"))
        township = session.actor.centre_code[:9]
        for region in load_region_directory().children(township):
            self.village.addItem(f"{region.name}（{region.code}）", region.code)
        self.blank = QCheckBox(self.tr("空白表（不预填人员）"))
        self.blank.setObjectName("surveyBlank")
        self.blank.setAccessibleName(self.tr("空白表"))
        self.survey_button = QPushButton(self.tr("生成入户调查表"))
        self.survey_button.setObjectName("printSurvey")
        self.survey_button.setAccessibleName(self.tr("生成入户调查表"))
        self.survey_button.setEnabled(self.village.count() > 0)
        self.survey_button.clicked.connect(self.print_survey)
        survey = QGroupBox(self.tr("全民参保登记入户调查表"))
        survey_form = QFormLayout(survey)
        survey_form.addRow(self.tr("村（居）委会"), self.village)
        survey_form.addRow("", self.blank)
        survey_form.addRow("", self.survey_button)

        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("reportDay")
        self.day.setAccessibleName(self.tr("日期"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        # The editor inside the date box is an input too: screen readers name it.
        editor = self.day.findChild(QLineEdit)
        if editor is not None:
            editor.setObjectName("reportDayText")
            editor.setAccessibleName(self.tr("日期"))
        self.daily_button = QPushButton(self.tr("收缴日报表"))
        self.daily_button.setObjectName("printDailyReport")
        self.daily_button.setAccessibleName(self.tr("收缴日报表"))
        self.daily_button.clicked.connect(self.print_daily)
        daily = QGroupBox(self.tr("收缴日报表"))
        daily_form = QFormLayout(daily)
        daily_form.addRow(self.tr("日期"), self.day)
        daily_form.addRow("", self.daily_button)

        for group in (survey, daily):
            group.setMaximumWidth(720)  # a form, not a banner: keep fields near their labels
        papers = QWidget()
        papers.setObjectName("reportPapers")
        papers_layout = QVBoxLayout(papers)
        papers_layout.addWidget(survey)
        papers_layout.addWidget(daily)
        papers_layout.addStretch(1)

        self.coverage = CoveragePicture(session, runner)
        self.coverage.worklist_requested.connect(self.worklist_requested)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.tabs.setAccessibleName(self.tr("报表"))
        self.tabs.addTab(self.coverage, self.tr("参保覆盖情况(&C)"))
        self.tabs.addTab(papers, self.tr("调查表与日报表(&P)"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """F5: the coverage figures again (the papers are built when asked for)."""
        self.coverage.refresh()

    def chosen_day(self) -> date:
        return self.day.date().toPython()

    def print_survey(self) -> None:
        from caseworker.services import documents
        from caseworker.ui.printing import run_batch

        database, code, blank = (
            self.session.database,
            self.village.currentData(),
            self.blank.isChecked(),
        )

        def job(control: TaskControl):
            control.check()
            return documents.survey_pdf(database, code, blank=blank)

        self.batch = run_batch(self, self.runner, self.tr("正在生成入户调查表…"), job)

    def print_daily(self) -> None:
        from caseworker.ui.printing import preview_daily_report

        preview_daily_report(self, self.session, self.chosen_day())

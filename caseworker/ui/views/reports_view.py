"""Reports: the coverage picture, and the papers a centre prints for a village or a day.

The coverage picture (``coverage_charts``: charts per insurance line, a click on a bar opens
its people's worklist) is the first tab; the papers the second; for an operator who may export
personal data, a third exports the registry or the coverage statuses to Excel (after the
consent dialog; on the write lane, since the export ends with its audit entry). Household survey sheets (全民参保登记入户调查表) for a whole village, pre-filled or blank, are
built on the background runner with progress and cancel; the daily collection report for any
day opens in the print preview.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.coverage import lines
from caseworker.domain.regions import load_region_directory
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.xlsx_export import (
    ExportResult,
    export_coverage,
    export_registry,
    people_in_export,
)
from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog
from caseworker.ui.i18n import in_language, message_for
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import Task, TaskControl, TaskRunner
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
        set_role(heading, "heading")

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
        self.exports: ExportPanel | None = None
        if session.actor.may(Permission.EXPORT_PERSONAL_DATA):
            self.exports = ExportPanel(session, runner)
            self.tabs.addTab(self.exports, self.tr("导出 Excel(&E)"))
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

        preview_daily_report(self, self.session, self.chosen_day(), self.runner)


class ExportPanel(QWidget):
    """The registry or the coverage statuses to a workbook: where, a yes, then the file."""

    exported = Signal(object)  # the ExportResult, once the file is in place and audited
    finished = Signal()  # written, declined, cancelled or failed: the panel is idle again

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportExports")
        self.session = session
        self.runner = runner
        self.consent: ExportConsentDialog | None = None
        self.task: Task | None = None

        self.registry_button = QPushButton(self.tr("导出登记库…"))
        self.registry_button.setObjectName("exportRegistry")
        self.registry_button.clicked.connect(lambda: self.export_registry())
        self.line = QComboBox()
        self.line.setObjectName("exportCoverageLine")
        self.line.setAccessibleName(self.tr("保障项目"))
        self.line.addItem(self.tr("全部保障项目"), None)
        for line in lines():
            self.line.addItem(in_language(line.name_zh, line.name_en), line.code)
        self.coverage_button = QPushButton(self.tr("导出参保状态…"))
        self.coverage_button.setObjectName("exportCoverage")
        self.coverage_button.clicked.connect(lambda: self.export_coverage())
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("取消导出"))
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel)
        self.result = QLabel()
        self.result.setObjectName("exportResult")
        self.result.setWordWrap(True)

        note = QLabel(
            self.tr(
                "导出的文件含完整身份证号、姓名、电话等个人信息；导出前会请您确认，"
                "每次导出都记入审计日志。"
            )
        )
        note.setWordWrap(True)
        group = QGroupBox(self.tr("导出到 Excel"))
        group.setMaximumWidth(720)
        form = QFormLayout(group)
        form.addRow(note)
        form.addRow(self.tr("人员登记库"), self.registry_button)
        coverage_row = QHBoxLayout()
        coverage_row.addWidget(self.line, 1)
        coverage_row.addWidget(self.coverage_button)
        form.addRow(self.tr("参保状态"), coverage_row)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        form.addRow(busy)
        form.addRow(self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        layout.addStretch(1)

    def export_registry(self, target: str | None = None) -> None:
        self._start("registry", None, target)

    def export_coverage(self, target: str | None = None) -> None:
        self._start("coverage", self.line.currentData(), target)

    def _start(self, what: str, line: str | None, target: str | None) -> None:
        if target is None:
            title = self.tr("导出登记库") if what == "registry" else self.tr("导出参保状态")
            name = "登记库" if what == "registry" else "参保状态"
            target, _filter = QFileDialog.getSaveFileName(
                self,
                title,
                str(Path.home() / f"{name}-{date.today():%Y%m%d}.xlsx"),
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not target:
                return
        path = Path(target)
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        self._busy(True)
        self._say(self.tr("正在统计人数…"))
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda _c: people_in_export(database, actor, what, line=line),
            on_success=lambda people: self._ask(what, line, path, people),
            on_failure=self._failed,
        )

    def _ask(self, what: str, line: str | None, path: Path, people: int) -> None:
        self.consent = ExportConsentDialog(people, path, parent=self)
        self.consent.accepted.connect(lambda: self._run(what, line, path))
        self.consent.rejected.connect(self._declined)
        self.consent.open()

    def _declined(self) -> None:
        self._busy(False)
        self._say(self.tr("已取消导出，未写入文件。"))
        self.finished.emit()

    def _run(self, what: str, line: str | None, path: Path) -> None:
        database, actor = self.session.database, self.session.actor

        def job(control: TaskControl) -> ExportResult:
            def progress(done: int, total: int) -> None:
                control.check()  # a cancel stops the file half-way: nothing is left of it
                control.report(done, total, "")

            if what == "registry":
                return export_registry(
                    database, actor, path, personal_data_confirmed=True, progress=progress
                )
            return export_coverage(
                database, actor, path, personal_data_confirmed=True, line=line, progress=progress
            )

        self._say(self.tr("正在导出到 %1…").replace("%1", str(path)))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        # The write lane: the export ends with its audit entry, a write.
        task = self.runner.submit(job, lane="write", on_success=self._done, on_failure=self._failed)
        if task.done:  # the synchronous runner (tests) has finished already
            return
        self.task = task
        task.progress.connect(self._advance)
        task.cancelled.connect(self._cancelled)

    def _advance(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self, result: ExportResult) -> None:
        self._busy(False)
        self._say(
            self.tr("已导出 %1 行到 %2，已记入审计日志。")
            .replace("%1", str(result.rows))
            .replace("%2", str(result.path))
        )
        self.exported.emit(result)
        self.finished.emit()

    def _cancelled(self) -> None:
        self._busy(False)
        self._say(self.tr("已取消导出，未写入文件。"))
        self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self._say(self.tr("导出失败：") + message_for(error), error=True)
        self.finished.emit()

    def _busy(self, busy: bool) -> None:
        for widget in (self.registry_button, self.coverage_button, self.line):
            widget.setEnabled(not busy)
        if not busy:
            self.progress.hide()
            self.cancel_button.hide()
            self.task = None

    def _say(self, text: str, *, error: bool = False) -> None:
        set_tone(self.result, "error" if error else None)
        self.result.setText(text)

"""The roster import page (名册导入): a village committee's household roster into the registry.

The clerk chooses the file; it is inspected on the read lane (which sheet, which heading row,
which column is which field) and, when a heading is not recognised or a required field has no
column, the column mapping dialog opens by itself. A dry run checks every row and writes
nothing; the import runs on the write lane with a progress bar and a cancel (the service rolls
the whole file back). The result is said in words: the counts, whether anything was written and
why not, the first problems and the report workbook. The template, and civil affairs'
special-group lists, are reached from here too.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caseworker.services import roster_template
from caseworker.services.centre import OpenSession
from caseworker.services.households import township_villages
from caseworker.services.roster_file import COLUMN_EN, COLUMN_ZH, RosterLayout, inspect_roster
from caseworker.services.roster_import import (
    ImportCancelled,
    ImportOptions,
    ImportResult,
    RowProblem,
    import_roster,
)
from caseworker.ui.dialogs.column_mapping_dialog import (
    LABELS,
    ColumnMappingDialog,
    column_letter,
    field_label,
)
from caseworker.ui.dialogs.special_group_dialog import SpecialGroupDialog
from caseworker.ui.i18n import in_language, message_for
from caseworker.ui.models.table import Column, RecordTableModel
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import Cancelled, Task, TaskControl, TaskRunner
from caseworker.ui.widgets.common import (
    Banner,
    record_table,
    shortcut_button,
)


def report_beside(path: Path) -> Path:
    """The report's default place: next to the roster, named after it."""
    return path.with_name(f"{path.stem}-导入报告.xlsx")


def _problem_columns() -> list[Column]:
    def column(problem: RowProblem) -> str:
        code = problem.problem.column
        return in_language(COLUMN_ZH.get(code, code), COLUMN_EN.get(code, code))

    return [
        Column(
            QCoreApplication.translate("RosterColumns", "行号"),
            lambda p: str(p.row),
            sort=lambda p: p.row,
        ),
        Column(QCoreApplication.translate("RosterColumns", "列"), column),
        Column(
            QCoreApplication.translate("RosterColumns", "问题"),
            lambda p: in_language(p.problem.zh, p.problem.en),
        ),
    ]


class RostersPage(QWidget):
    inspected = Signal(object)  # RosterLayout
    mapping_opened = Signal(object)  # the ColumnMappingDialog
    imported = Signal(object)  # ImportResult (a dry run too)
    import_cancelled = Signal()
    failed = Signal(str)
    template_written = Signal(str)
    data_changed = Signal()  # people were written

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.path: Path | None = None
        self.roster: RosterLayout | None = None
        self.mapping: dict[int, str] = {}
        self.report_path: Path | None = None
        self.result: ImportResult | None = None
        self.task: Task | None = None
        self.mapping_dialog: ColumnMappingDialog | None = None
        self.special_dialog: SpecialGroupDialog | None = None
        self._villages_loaded = False

        heading = QLabel(self.tr("名册导入"), objectName="rostersHeading")
        set_role(heading, "heading")
        what = QLabel(
            self.tr(
                "村（居）委会的户籍花名册导入登记库：先试导入检查每一行，再导入。"
                "有未通过的行时整个文件都不导入（除非选择只导入正确的行）。"
            ),
            objectName="rostersWhat",
        )
        what.setWordWrap(True)
        set_tone(what, "hint")

        self.choose_button = shortcut_button(
            "rosterChoose", self.tr("选择名册文件…"), "Ctrl+O", self.choose_file
        )
        self.template_button = shortcut_button(
            "rosterTemplate", self.tr("下载名册模板…"), "", self.save_template
        )
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.template_button)
        file_row.addStretch(1)

        self.file_label = self._value("rosterFile", self.tr("（未选择）"))
        self.sheet_label = self._value("rosterSheet")
        self.header_label = self._value("rosterHeaderRow")
        self.columns_label = self._value("rosterColumns")
        self.rows_label = self._value("rosterRows")
        self.mapping_button = shortcut_button(
            "rosterMapping", self.tr("核对列对应…"), "", self.open_mapping
        )
        found = QFormLayout()
        found.addRow(self.tr("文件"), self.file_label)
        found.addRow(self.tr("工作表"), self.sheet_label)
        found.addRow(self.tr("表头行"), self.header_label)
        found.addRow(self.tr("对应的列"), self.columns_label)
        found.addRow(self.tr("估计行数"), self.rows_label)
        mapping_row = QHBoxLayout()
        mapping_row.addWidget(self.mapping_button)
        mapping_row.addStretch(1)
        found.addRow("", mapping_row)

        self.village = QComboBox(objectName="rosterVillage")
        self.village.setAccessibleName(self.tr("这份名册的村（居）委会"))
        self.village.addItem(self.tr("请选择…"), None)
        self.village.currentIndexChanged.connect(lambda _i: self._enable())
        self.village_note = QLabel(objectName="rosterVillageNote")
        self.village_note.setWordWrap(True)
        self.village_title = QLabel(self.tr("村（居）委会"))
        self.valid_only = QCheckBox(self.tr("只导入正确的行"), objectName="rosterValidOnly")
        self.valid_only.setAccessibleName(self.tr("只导入正确的行"))
        self.valid_only.setToolTip(
            self.tr(
                "不选：有一行未通过，整个文件都不导入。选中：导入正确的行，未通过的行列在报告里。"
            )
        )
        self.report_label = self._value("rosterReport")
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_button = shortcut_button(
            "rosterReportAs", self.tr("另存为…"), "", self.choose_report
        )
        self.report_button.setAccessibleName(self.tr("报告另存为"))
        report_row = QHBoxLayout()
        report_row.addWidget(self.report_label, 1)
        report_row.addWidget(self.report_button)
        options = QFormLayout()
        village_box = QVBoxLayout()
        village_box.addWidget(self.village)
        village_box.addWidget(self.village_note)
        options.addRow(self.village_title, village_box)
        options.addRow("", self.valid_only)
        options.addRow(self.tr("导入报告"), report_row)

        self.dry_run_button = shortcut_button(
            "rosterDryRun", self.tr("试导入（只检查）"), "", lambda: self.run(dry_run=True)
        )
        self.import_button = shortcut_button(
            "rosterImport", self.tr("导入"), "", lambda: self.run(dry_run=False)
        )
        self.cancel_button = shortcut_button("rosterCancel", self.tr("取消"), "", self.cancel)
        self.progress = QProgressBar(objectName="rosterProgress")
        self.progress.setAccessibleName(self.tr("导入进度"))
        self.progress.hide()
        self.progress_label = QLabel(objectName="rosterProgressText")
        self.progress_label.hide()
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run_button)
        run_row.addWidget(self.import_button)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)

        roster_box = QGroupBox(self.tr("村（居）户籍名册"), objectName="rosterBox")
        roster_column = QVBoxLayout(roster_box)
        roster_column.addLayout(file_row)
        roster_column.addLayout(found)
        roster_column.addLayout(options)
        roster_column.addLayout(run_row)
        roster_column.addWidget(self.progress)
        roster_column.addWidget(self.progress_label)
        roster_column.addStretch(1)

        special_box = QGroupBox(self.tr("民政特殊群体名单"), objectName="specialGroupBox")
        special_text = QLabel(
            self.tr("民政部门的低保、特困、残疾等名单：按身份证号标记登记库中的人员。")
        )
        special_text.setWordWrap(True)
        self.special_button = shortcut_button(
            "rosterSpecialGroups", self.tr("导入名单…"), "", self.open_special_groups
        )
        self.special_button.setAccessibleName(self.tr("导入民政特殊群体名单"))
        special_column = QVBoxLayout(special_box)
        special_column.addWidget(special_text)
        special_row = QHBoxLayout()
        special_row.addWidget(self.special_button)
        special_row.addStretch(1)
        special_column.addLayout(special_row)

        left = QWidget(objectName="rosterControls")
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(roster_box, 1)
        left_column.addWidget(special_box)

        self.banner = Banner("rosterBanner", self)
        self.summary = QLabel(objectName="rosterSummary")
        self.summary.setWordWrap(True)
        self.problems_title = QLabel(objectName="rosterProblemsTitle")
        set_role(self.problems_title, "strong")
        self.problems_title.hide()
        self.model = RecordTableModel(_problem_columns(), self)
        self.table = record_table("rosterProblems", self.tr("未通过的行"), self.model)
        self.table.setWordWrap(True)  # a problem says what to do: never cut off
        self.table.hide()
        self.open_report_button = shortcut_button(
            "rosterOpenReport", self.tr("打开报告"), "", self.open_report
        )
        self.open_report_button.hide()
        result_box = QGroupBox(self.tr("结果"), objectName="rosterResult")
        result_column = QVBoxLayout(result_box)
        result_column.addWidget(self.banner)
        result_column.addWidget(self.summary)
        result_column.addWidget(self.problems_title)
        result_column.addWidget(self.table, 1)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_report_button)
        open_row.addStretch(1)
        result_column.addLayout(open_row)
        result_column.addStretch(0)

        split = QSplitter(objectName="rosterSplitter")
        split.setChildrenCollapsible(False)
        # Scrolls rather than holding the window taller than a small screen allows.
        controls = QScrollArea(objectName="rosterControlsScroll")
        controls.setWidgetResizable(True)
        controls.setFrameShape(QFrame.Shape.NoFrame)
        controls.setWidget(left)
        split.addWidget(controls)
        split.addWidget(result_box)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 820])  # the result's problems need the width
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(what)
        layout.addWidget(split, 1)
        self.setFocusProxy(self.choose_button)
        self._show_layout()
        self._enable()

    def _value(self, name: str, text: str = "") -> QLabel:
        label = QLabel(text, objectName=name)
        label.setWordWrap(True)
        return label

    # -- the file --------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path is not None else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择村（居）户籍名册"),
            start,
            # .xls/.et may be chosen: the service says why it cannot read them and what to do.
            self.tr("名册 (*.xlsx *.csv);;旧版 Excel/WPS 表格 (*.xls *.et);;所有文件 (*)"),
        )
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        """A new roster: what was found and decided for the last one no longer holds, except
        the village, the checkbox (the clerk's choices for the next file too)."""
        self.path = path
        self.roster = None
        self.mapping = {}
        self.report_path = report_beside(path)
        self._clear_result()
        self._show_layout()
        self.banner.show_message(self.tr("正在读取名册……"), "info")
        self._enable()
        self.runner.submit(
            lambda _control: inspect_roster(path),
            lane="read",
            on_success=lambda found: self._inspected(path, found),
            on_failure=self._failed,
        )

    def _inspected(self, path: Path, roster: RosterLayout) -> None:
        if path != self.path:
            return  # another file was chosen meanwhile
        self.roster = roster
        self.mapping = dict(roster.mapping)
        self.banner.clear()
        self._show_layout()
        self._enable()
        if "village" not in self.mapping.values():
            self._load_villages()
        self.inspected.emit(roster)
        if roster.missing or roster.unknown:
            self.open_mapping()

    def _show_layout(self) -> None:
        roster = self.roster
        self.file_label.setText(self.path.name if self.path else self.tr("（未选择）"))
        self.file_label.setToolTip(str(self.path) if self.path else "")
        if roster is None:
            for label in (self.sheet_label, self.header_label, self.columns_label, self.rows_label):
                label.clear()
        else:
            self.sheet_label.setText(roster.sheet)
            self.header_label.setText(
                self.tr("第 %1 行（数据从第 %2 行起）")
                .replace("%1", str(roster.header_row))
                .replace("%2", str(roster.first_data_row))
            )
            self.columns_label.setText(self._columns_text(roster))
            self.rows_label.setText(
                self.tr("约 %1 行").replace("%1", str(roster.estimated_rows))
                if roster.estimated_rows is not None
                else self.tr("未知（CSV 文件读完才知道）")
            )
        self.report_label.setText(str(self.report_path) if self.report_path else "")
        self._show_village()

    def _columns_text(self, roster: RosterLayout) -> str:
        lines = []
        for index in sorted(self.mapping, key=lambda i: list(LABELS).index(self.mapping[i])):
            heading = roster.headings[index] if index < len(roster.headings) else ""
            lines.append(
                self.tr("%1 ← 第 %2 列“%3”")
                .replace("%1", field_label(LABELS[self.mapping[index]]))
                .replace("%2", column_letter(index))
                .replace("%3", heading)
            )
        left_out = [i for i in range(len(roster.headings)) if i not in self.mapping]
        if left_out:
            lines.append(
                self.tr("不导入：%1").replace(
                    "%1", self.tr("、").join(column_letter(i) for i in left_out)
                )
            )
        return "\n".join(lines) or self.tr("（没有）")

    # -- the mapping -----------------------------------------------------------------------

    def open_mapping(self) -> None:
        if self.roster is None:
            return
        # The dialog starts from what the clerk decided last, not from what was recognised.
        shown = replace(self.roster, mapping=dict(self.mapping))
        dialog = ColumnMappingDialog(shown, self)
        dialog.accepted.connect(lambda: self._mapped(dialog))
        self.mapping_dialog = dialog
        dialog.open()
        self.mapping_opened.emit(dialog)

    def _mapped(self, dialog: ColumnMappingDialog) -> None:
        self.mapping = dialog.mapping()
        self._show_layout()
        if "village" not in self.mapping.values():
            self._load_villages()
        self._enable()

    def _mapping_problem(self) -> str | None:
        if self.roster is None:
            return None
        fields = list(self.mapping.values())
        missing = [
            field_label(label)
            for label in LABELS.values()
            if label.required and label.code not in fields
        ]
        if missing:
            return self.tr("还没有列对应：%1。请点“核对列对应…”指定。").replace(
                "%1", self.tr("、").join(missing)
            )
        return None

    # -- the village -----------------------------------------------------------------------

    def _needs_village(self) -> bool:
        return self.roster is not None and "village" not in self.mapping.values()

    def _load_villages(self) -> None:
        if self._villages_loaded:
            return
        self._villages_loaded = True
        database, actor = self.session.database, self.session.actor
        self.runner.submit(
            lambda _control: township_villages(database, actor),
            lane="read",
            on_success=self._villages,
            on_failure=self._failed,
        )

    def _villages(self, villages: list[tuple[str, str]]) -> None:
        for code, name in villages:
            self.village.addItem(name, code)
        self._enable()

    def _show_village(self) -> None:
        needed = self._needs_village()
        for widget in (self.village_title, self.village, self.village_note):
            widget.setVisible(needed)
        if not needed:
            return
        if self.village.currentData() is None:
            set_tone(self.village_note, "error")
            self.village_note.setText(
                self.tr("名册中没有村（居）委会列：请选择这份名册的人所在的村（居）委会。")
            )
        else:
            set_tone(self.village_note, "hint")
            self.village_note.setText(self.tr("名册中的新登记人员都登记在所选的村（居）委会。"))

    # -- the report ------------------------------------------------------------------------

    def choose_report(self) -> None:
        start = str(self.report_path) if self.report_path else str(Path.home())
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导入报告保存到"), start, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if chosen:
            path = Path(chosen)
            self.report_path = path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")
            self._show_layout()

    def open_report(self) -> None:
        if self.result is not None and self.result.report_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.report_path)))

    # -- running ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def _enable(self) -> None:
        busy = self.running
        ready = (
            self.roster is not None
            and self._mapping_problem() is None
            and (not self._needs_village() or self.village.currentData() is not None)
        )
        for button in (self.dry_run_button, self.import_button):
            button.setEnabled(ready and not busy)
        for widget in (
            self.choose_button,
            self.template_button,
            self.village,
            self.valid_only,
            self.report_button,
            self.special_button,
        ):
            widget.setEnabled(not busy)
        self.mapping_button.setEnabled(self.roster is not None and not busy)
        self.cancel_button.setEnabled(busy)
        self.cancel_button.setVisible(busy)
        self._show_village()
        problem = self._mapping_problem()
        if problem and not busy and self.banner.kind in ("", "warning"):
            self.banner.show_message(problem, "warning")
        elif not problem and self.banner.kind == "warning":
            self.banner.clear()

    def options(self, *, dry_run: bool) -> ImportOptions:
        return ImportOptions(
            village_code=self.village.currentData() if self._needs_village() else None,
            mapping=dict(self.mapping),
            dry_run=dry_run,
            valid_only=self.valid_only.isChecked(),
            report_path=self.report_path,
        )

    def run(self, *, dry_run: bool) -> None:
        if self.path is None or self.roster is None or self.running:
            return
        database, actor, path = self.session.database, self.session.actor, self.path
        options = self.options(dry_run=dry_run)

        def job(control: TaskControl) -> ImportResult:
            try:
                return import_roster(
                    database,
                    actor,
                    path,
                    options,
                    progress=lambda done, total: control.report(done, total or 0, ""),
                    cancelled=lambda: control.cancelled,
                )
            except ImportCancelled as cancelled:
                raise Cancelled from cancelled  # the task's cancelled signal, not a failure

        self._clear_result()
        estimated = self.roster.estimated_rows
        if estimated:
            self.progress.setRange(0, estimated)
            self.progress.setValue(0)
        else:
            self.progress.setRange(0, 0)  # busy: a CSV's length is known only at its end
        self.progress.show()
        self.progress_label.setText(
            self.tr("正在检查名册……") if dry_run else self.tr("正在导入名册……")
        )
        self.progress_label.show()
        task = self.runner.submit(job, lane="write", on_success=self._done, on_failure=self._failed)
        task.progress.connect(self._progress)
        task.cancelled.connect(self._cancelled)
        task.finished.connect(self._finished)
        self.task = task
        self._enable()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("正在取消……"))

    def _progress(self, done: int, total: int, _text: str) -> None:
        if total:
            self.progress.setRange(0, max(total, done))
            self.progress.setValue(done)
            self.progress_label.setText(
                self.tr("已处理 %1 行，共约 %2 行")
                .replace("%1", str(done))
                .replace("%2", str(total))
            )
        else:
            self.progress_label.setText(self.tr("已处理 %1 行").replace("%1", str(done)))

    def _finished(self) -> None:
        self.task = None
        self.progress.hide()
        self.progress_label.hide()
        self._enable()

    def _cancelled(self) -> None:
        self.banner.show_message(self.tr("已取消，名册没有导入。"), "info")
        self.import_cancelled.emit()

    def _done(self, result: ImportResult) -> None:
        self.result = result
        # Nothing written (a dry run, or rejected rows): the counts say what importing would do.
        counts = (
            self.tr(
                "名册 %1（工作表“%2”）共 %3 行：新增 %4，更新 %5，无变化 %6，未通过 %7；"
                "新建家庭户 %8。"
            )
            if result.written
            else self.tr(
                "名册 %1（工作表“%2”）共 %3 行，检查结果（均未写入）：可新增 %4，可更新 %5，"
                "无变化 %6，未通过 %7；将新建家庭户 %8。"
            )
        )
        self.summary.setText(
            counts.replace("%1", result.file_name)
            .replace("%2", result.sheet)
            .replace("%3", str(result.rows))
            .replace("%4", str(result.created))
            .replace("%5", str(result.updated))
            .replace("%6", str(result.unchanged))
            .replace("%7", str(result.rejected))
            .replace("%8", str(result.households_created))
        )
        if result.written:
            text = self.tr("已导入登记库。")
            if result.rejected:
                text += self.tr("未通过的 %1 行没有导入，见报告。").replace(
                    "%1", str(result.rejected)
                )
            self.banner.show_message(text, "success")
            self.data_changed.emit()
        else:
            kind = "error" if result.rejected else "info"
            words = in_language(result.why_not_written_zh, result.why_not_written_en)
            self.banner.show_message(words, kind)
        if result.problems:
            self.problems_title.setText(
                self.tr("前 %1 个问题（全部问题见导入报告）").replace(
                    "%1", str(len(result.problems))
                )
            )
            self.model.set_rows(list(result.problems))
            self.table.resizeRowsToContents()
        self.problems_title.setVisible(bool(result.problems))
        self.table.setVisible(bool(result.problems))
        self.open_report_button.setVisible(
            result.report_path is not None and result.report_path.is_file()
        )
        self.imported.emit(result)

    def _failed(self, error: BaseException) -> None:
        text = message_for(error) or self.tr("出现了意外错误（%1），请联系技术支持。").replace(
            "%1", type(error).__name__
        )
        self.banner.show_message(text, "error")
        self.failed.emit(text)

    def _clear_result(self) -> None:
        self.result = None
        self.banner.clear()
        self.summary.clear()
        self.model.set_rows([])
        for widget in (self.problems_title, self.table, self.open_report_button):
            widget.hide()

    # -- the template and the special-group lists ------------------------------------------

    def save_template(self) -> None:
        start = self.path.parent if self.path is not None else Path.home()
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("名册模板保存到"),
            str(start / self.tr("户籍名册模板.xlsx")),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not chosen:
            return
        path = Path(chosen)

        def written(_result: Any) -> None:
            self.banner.show_message(
                self.tr("名册模板已保存到 %1。请按模板的表头填写，每人一行。").replace(
                    "%1", str(path)
                ),
                "success",
            )
            self.template_written.emit(str(path))

        self.runner.submit(
            lambda _control: roster_template.write_template(path),
            lane="read",
            on_success=written,
            on_failure=self._failed,
        )

    def open_special_groups(self) -> None:
        dialog = SpecialGroupDialog(self.session, self.runner, self)
        dialog.imported.connect(lambda _result: self.data_changed.emit())
        self.special_dialog = dialog
        dialog.open()

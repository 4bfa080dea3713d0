"""Civil affairs' special-group list (低保, 特困, 残疾 …): choose the file, the group (for a
list without a category column) and the issuing office; Preview shows what would be marked and
every row that would not, in words; Import marks the people in one transaction; the rows not
marked can be saved as a workbook to follow up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.services import special_groups
from caseworker.services.centre import OpenSession
from caseworker.services.special_groups import KIND_WORDS, SpecialGroupResult, Unmarked
from caseworker.ui.i18n import code_label, in_language, message_for
from caseworker.ui.models.table import Column, RecordTableModel
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, add_dialog_buttons, record_table


def _masked(row: Unmarked) -> str:
    from caseworker.domain.ids import mask_id_number

    return mask_id_number(row.id_number) if len(row.id_number) >= 15 else row.id_number


def _columns() -> list[Column]:
    # Written out in full so lupdate files them under this context.
    return [
        Column(
            QCoreApplication.translate("SpecialGroupColumns", "行号"),
            lambda r: str(r.row),
            sort=lambda r: r.row,
        ),
        Column(
            QCoreApplication.translate("SpecialGroupColumns", "情况"),
            lambda r: in_language(*KIND_WORDS[r.kind]),
        ),
        Column(QCoreApplication.translate("SpecialGroupColumns", "身份证号"), _masked),
        Column(QCoreApplication.translate("SpecialGroupColumns", "姓名"), lambda r: r.name),
        Column(
            QCoreApplication.translate("SpecialGroupColumns", "群体"),
            lambda r: code_label("special_group", r.group),
        ),
        Column(
            QCoreApplication.translate("SpecialGroupColumns", "问题"),
            lambda r: in_language(r.problem, r.problem_en),
        ),
        Column(
            QCoreApplication.translate("SpecialGroupColumns", "处理办法"),
            lambda r: in_language(r.todo, r.todo_en),
        ),
    ]


class SpecialGroupDialog(QDialog):
    previewed = Signal(object)  # SpecialGroupResult
    imported = Signal(object)  # SpecialGroupResult
    failed = Signal(str)
    saved = Signal(str)  # the path of the unmatched list

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("specialGroupDialog")
        self.session, self.runner, self.today = session, runner, today
        self.result: SpecialGroupResult | None = None
        self.path: Path | None = None
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("导入民政特殊群体名单"))
        fit_to_screen(self, QSize(1100, 600))

        self.banner = Banner("specialGroupBanner", self)
        self.file_label = QLabel(self.tr("（未选择）"), objectName="specialGroupFile")
        self.file_label.setWordWrap(True)
        self.choose = QPushButton(self.tr("选择文件…"), objectName="specialGroupChoose")
        self.choose.setAccessibleName(self.tr("选择名单文件"))
        self.choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose)

        self.group = QComboBox(objectName="specialGroupGroup")
        self.group.setAccessibleName(self.tr("群体"))
        self.group.addItem(self.tr("按名单中的类别列"), None)
        for code, _zh, _en in special_groups.group_choices():
            self.group.addItem(code_label("special_group", code), code)
        self.office = QLineEdit(objectName="specialGroupOffice")
        self.office.setAccessibleName(self.tr("认定机关"))
        self.office.setPlaceholderText(self.tr("名单中没有认定机关时填写，如 XX县民政局"))
        self.group.currentIndexChanged.connect(self._changed)
        self.office.textChanged.connect(self._changed)

        form = QFormLayout()
        form.addRow(self.tr("名单文件"), file_row)
        form.addRow(self.tr("群体"), self.group)
        form.addRow(self.tr("认定机关"), self.office)

        self.summary = QLabel(objectName="specialGroupSummary")
        self.summary.setWordWrap(True)
        self.model = RecordTableModel(_columns(), self)
        self.table = record_table("specialGroupRows", self.tr("未标记的行"), self.model)

        self.preview_button = QPushButton(self.tr("预览"), objectName="specialGroupPreview")
        self.import_button = QPushButton(self.tr("导入"), objectName="specialGroupImport")
        self.save_button = QPushButton(
            self.tr("保存未匹配名单…"), objectName="specialGroupSaveUnmatched"
        )
        close = QPushButton(self.tr("关闭"), objectName="specialGroupClose")
        for button in (self.preview_button, self.import_button, self.save_button, close):
            button.setAccessibleName(button.text())
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.run_import)
        self.save_button.clicked.connect(self.choose_report)
        close.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        add_dialog_buttons(
            layout,
            confirm=self.import_button,
            dismiss=close,
            actions=(self.preview_button, self.save_button),
        )
        self._enable()

    # -- choosing ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("选择民政部门的特殊群体名单"))
        dialog.setObjectName("specialGroupFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("名单 (*.xlsx *.csv);;所有文件 (*)"))
        dialog.fileSelected.connect(self.set_file)
        self.file_dialog = dialog
        dialog.open()

    def set_file(self, path: str) -> None:
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self._changed()

    def _changed(self) -> None:
        """A new file, group or office: what was previewed no longer holds."""
        self.result = None
        self.summary.clear()
        self.model.set_rows([])
        self._enable()

    def _enable(self, busy: bool = False) -> None:
        self.preview_button.setEnabled(not busy and self.path is not None)
        self.import_button.setEnabled(not busy and self.result is not None and self.result.dry_run)
        self.save_button.setEnabled(not busy and self.result is not None)
        self.choose.setEnabled(not busy)

    def _choices(self) -> tuple[str | None, str | None]:
        return self.group.currentData(), (self.office.text().strip() or None)

    # -- preview and import -----------------------------------------------------------------

    def preview(self) -> None:
        if self.path is None:
            return
        database, actor, path, today = (
            self.session.database,
            self.session.actor,
            self.path,
            self.today,
        )
        group, office = self._choices()
        self.banner.clear()
        self.summary.setText(self.tr("正在读取名单……"))
        self._enable(busy=True)
        self.runner.submit(
            lambda _control: special_groups.preview_special_group_list(
                database, actor, path, group=group, office=office, today=today
            ),
            lane="read",
            on_success=self._previewed,
            on_failure=self._failed,
        )

    def run_import(self) -> None:
        if self.path is None or self.result is None:
            return
        database, actor, path, today = (
            self.session.database,
            self.session.actor,
            self.path,
            self.today,
        )
        group, office = self._choices()
        self.banner.clear()
        self._enable(busy=True)
        self.runner.submit(
            lambda _control: special_groups.import_special_group_list(
                database, actor, path, group=group, office=office, today=today
            ),
            lane="write",
            on_success=self._imported,
            on_failure=self._failed,
        )

    def _show(self, result: SpecialGroupResult) -> None:
        self.result = result
        self.summary.setText(
            self.tr(
                "名单 %1，共 %2 行：匹配 %3（标记 %4 人），未登记 %5，有问题 %6，姓名不符 %7，"
                "其他中心管理 %8，已过有效期 %9。"
            )
            .replace("%1", result.file_name)
            .replace("%2", str(result.rows))
            .replace("%3", str(len(result.matched)))
            .replace("%4", str(result.to_add))
            .replace("%5", str(len(result.unmatched)))
            .replace("%6", str(len(result.problems)))
            .replace("%7", str(len(result.name_differs)))
            .replace("%8", str(len(result.other_centre)))
            .replace("%9", str(len(result.expired)))
        )
        self.model.set_rows(special_groups.unmarked(result))
        self.table.resizeColumnsToContents()

    def _previewed(self, result: SpecialGroupResult) -> None:
        self._show(result)
        self._enable()
        self.previewed.emit(result)

    def _imported(self, result: SpecialGroupResult) -> None:
        self._show(result)
        self.banner.show_message(
            self.tr("已导入：写入 %1 条认定记录，%2 人标记为特殊群体。")
            .replace("%1", str(result.memberships_written))
            .replace("%2", str(result.people_changed)),
            "success",
        )
        self._enable()
        self.imported.emit(result)

    def _failed(self, error: BaseException) -> None:
        text = message_for(error)
        self.summary.clear()
        self.banner.show_message(text, "error")
        self._enable()
        self.failed.emit(text)

    # -- the unmatched list -----------------------------------------------------------------

    def choose_report(self) -> None:
        dialog = QFileDialog(self, self.tr("保存未匹配名单"))
        dialog.setObjectName("specialGroupReportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        dialog.setNameFilter(self.tr("Excel 工作簿 (*.xlsx)"))
        if self.path is not None:
            dialog.selectFile(f"{self.path.stem}-未匹配.xlsx")
        dialog.fileSelected.connect(self.save_report)
        self.file_dialog = dialog
        dialog.open()

    def save_report(self, path: str) -> None:
        result = self.result
        if result is None:
            return

        def done(written: object) -> None:
            self.banner.show_message(
                self.tr("未匹配名单已保存到 %1。").replace("%1", str(written)), "success"
            )
            self.saved.emit(str(written))

        self.runner.submit(
            lambda _control: special_groups.write_unmatched(Path(path), result),
            lane="read",
            on_success=done,
            on_failure=self._failed,
        )

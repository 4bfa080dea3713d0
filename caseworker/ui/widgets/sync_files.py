"""The Sync page's offline way: batches out to a file, the county's answers back from one.

What ``caseworker sync export --out FILE`` and ``caseworker sync import-answer FILE`` do,
for a centre with no network (a USB stick carried to the county). Both write the database
(export seals what is pending first), so both run on the runner's write lane.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from caseworker.services.centre import OpenSession
from caseworker.ui.i18n import message_for
from caseworker.ui.tasks import TaskControl, TaskRunner

if TYPE_CHECKING:
    from caseworker.sync.files import ImportReport  # loaded on the worker, not at launch


class SyncFileButtons(QWidget):
    """导出批次文件 / 导入答复文件; ``finished(text)`` says what happened, in words."""

    finished = Signal(str)

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.dialog: QFileDialog | None = None
        self.export_button = QPushButton(self.tr("导出批次文件(&E)…"), objectName="syncExport")
        self.export_button.setAccessibleName(self.tr("导出批次文件"))
        self.export_button.setToolTip(self.tr("无网络时：把待上传的记录写成签名的批次文件"))
        self.import_button = QPushButton(self.tr("导入答复文件(&I)…"), objectName="syncImport")
        self.import_button.setAccessibleName(self.tr("导入答复文件"))
        self.import_button.setToolTip(self.tr("县级导入批次文件后给出的答复文件"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.export_button)
        layout.addWidget(self.import_button)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)

    def _ask(self, title: str, save: bool, then: object) -> None:
        # open(), not exec(): no nested event loop; Qt's own dialog, the same on every desk.
        dialog = QFileDialog(self, title, str(Path.home()), self.tr("批次文件 (*.json)"))
        dialog.setObjectName("syncFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(then)
        self.dialog = dialog
        dialog.open()

    def choose_export(self) -> None:
        self._ask(self.tr("导出批次文件"), True, self.export_to)

    def choose_import(self) -> None:
        self._ask(self.tr("导入答复文件"), False, self.import_from)

    def _run(self, job: object, done: object) -> None:
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.runner.submit(job, lane="write", on_success=done, on_failure=self._failed)  # type: ignore[arg-type]

    def _finish(self, text: str) -> None:
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.finished.emit(text)

    def export_to(self, path: str) -> None:
        database = self.session.database

        def job(control: TaskControl) -> int:
            from caseworker.sync.files import export_batches

            return export_batches(database, Path(path))

        self._run(
            job,
            lambda count: self._finish(
                self.tr("已写出 {n} 个批次到 {path}；请交县级导入后带回答复文件。").format(
                    n=count, path=path
                )
            ),
        )

    def import_from(self, path: str) -> None:
        database = self.session.database

        def job(control: TaskControl) -> ImportReport:
            from caseworker.sync.files import import_answers

            return import_answers(database, Path(path))

        self._run(job, self._imported)

    def _imported(self, report: ImportReport) -> None:
        counts = "，".join(f"{k} {v}" for k, v in sorted((report.counts or {}).items()))
        self._finish(
            self.tr(
                "已采用 {n} 个批次的答复（{counts}）；退回批次 {refused}，未知批次 {unknown}。"
            ).format(
                n=report.batches,
                counts=counts or "—",
                refused=report.refused,
                unknown=report.unknown,
            )
        )

    def _failed(self, error: BaseException) -> None:
        self._finish(self.tr("未完成：{error}").format(error=message_for(error)))

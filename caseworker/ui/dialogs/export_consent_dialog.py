"""The question asked before personal data goes to a file: what the file will hold (e.g. "full
ID numbers, names, phones of 12,345 people"), where it will be written, and that the export is
recorded in the audit trail. Cancel is the default: Enter or Esc writes nothing.

The dialog is opened window-modal (``open``), never ``exec``: the caller goes on from
``accepted``, so the UI thread is not held and tests click its buttons like an operator.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker.services.xlsx_export import personal_words
from caseworker.ui.i18n import in_language
from caseworker.ui.style import set_role
from caseworker.ui.widgets.common import add_dialog_buttons


class ExportConsentDialog(QDialog):
    def __init__(
        self, people: int, target: Path, *, full_ids: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportConsentDialog")
        self.setWindowTitle(self.tr("确认导出个人信息"))
        self.setMinimumWidth(520)
        holds = in_language(*personal_words(people, full_ids=full_ids))
        self.what = QLabel(self.tr("导出的文件将含个人信息：%1。").replace("%1", holds))
        self.what.setObjectName("exportConsentWhat")
        self.where = QLabel(self.tr("写入：%1").replace("%1", str(target)))
        self.where.setObjectName("exportConsentWhere")
        self.recorded = QLabel(
            self.tr(
                "本次导出将记入审计日志（导出人、时间、文件名和文件校验值）。请妥善保管该文件，"
                "不要转发或上传到网盘、聊天工具，用完即删。"
            )
        )
        self.recorded.setObjectName("exportConsentAudit")
        for label in (self.what, self.where, self.recorded):
            label.setWordWrap(True)
        set_role(self.what, "strong")

        self.yes = QPushButton(self.tr("确认导出"))
        self.yes.setObjectName("exportConsentYes")
        self.yes.setAutoDefault(False)
        self.yes.clicked.connect(self.accept)
        self.cancel = QPushButton(self.tr("取消"))
        self.cancel.setObjectName("exportConsentCancel")
        self.cancel.setDefault(True)  # Enter cancels: a yes is a deliberate click
        self.cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for label in (self.what, self.where, self.recorded):
            layout.addWidget(label)
        add_dialog_buttons(layout, confirm=self.yes, dismiss=self.cancel)
        self.cancel.setFocus()

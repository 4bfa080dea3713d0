"""关于 (About): which app this is — version, build, where its data lives — for the operator
to read out when asking the county for help or an upgrade."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from caseworker.buildinfo import BuildInfo, build_info
from caseworker.resources import resource_path
from caseworker.store.revisions import head_revision


class AboutDialog(QDialog):
    def __init__(
        self, data_folder: Path, info: BuildInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.info = info or build_info()
        self.setWindowTitle(self.tr("关于社保经办"))
        icon = QLabel()
        icon.setPixmap(
            QPixmap(str(resource_path("icons", "caseworker.png"))).scaledToWidth(
                64, Qt.TransformationMode.SmoothTransformation
            )
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details = QLabel(self._text(data_folder))
        self.details.setObjectName("aboutDetails")
        self.details.setAccessibleName(self.tr("版本信息"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self.details, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _text(self, data_folder: Path) -> str:
        info = self.info
        if info.frozen and info.built_at:
            build = self.tr("安装版，构建于 %1").replace("%1", info.built_at)
            if info.commit:
                build += self.tr("（提交 %1）").replace("%1", info.commit)
        else:
            build = self.tr("从源代码运行")
        lines = [
            self.tr("乡镇社会保障服务中心参保登记系统"),
            "",
            self.tr("版本：%1").replace("%1", info.version),
            self.tr("构建：%1").replace("%1", build),
            self.tr("数据库结构：%1").replace("%1", head_revision()),
            self.tr("数据文件夹：%1").replace("%1", str(data_folder)),
            self.tr("运行环境：Python %1，Qt %2（PySide6 %3），%4")
            .replace("%1", sys.version.split()[0])
            .replace("%2", qVersion())
            .replace("%3", pyside_version)
            .replace("%4", platform.platform(terse=True)),
        ]
        return "\n".join(lines)

"""Pages whose real content arrives with later issues: they say what is coming."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def _page(name: str, title: str, body: str) -> QWidget:
    page = QWidget()
    page.setObjectName(name)
    heading = QLabel(title)
    heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
    text = QLabel(body)
    text.setObjectName(f"{name}Text")
    text.setWordWrap(True)
    text.setTextFormat(Qt.TextFormat.PlainText)
    layout = QVBoxLayout(page)
    layout.addWidget(heading)
    layout.addWidget(text)
    layout.addStretch(1)
    return page


class ReportsPlaceholder(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        items = [
            self.tr("日终对账：当日收款、收据号连续性与作废记录"),
            self.tr("参保统计：按村（居）、险种、年龄段的参保人数"),
            self.tr("全民参保登记：未参保人员及原因清单"),
            self.tr("缴费档次分布与政府补贴汇总"),
            self.tr("待审核与被退回记录清单"),
        ]
        layout.addWidget(
            _page(
                "reportsPlaceholder",
                self.tr("报表"),
                self.tr("报表功能将在后续版本提供，计划包括：")
                + "\n"
                + "\n".join(f"• {item}" for item in items),
            )
        )

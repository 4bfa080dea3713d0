"""One place for the look: a CJK-capable UI font and a calm palette."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

PREFERRED_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)


def apply_style(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    for family in PREFERRED_FONTS:
        if family in families:
            app.setFont(QFont(family, 10))
            break
    app.setStyle("Fusion")
    app.setStyleSheet(
        """
        QLineEdit { padding: 4px 6px; }
        QPushButton { padding: 5px 14px; }
        QTableView { gridline-color: #d9dde3; selection-background-color: #2f6db5; }
        QHeaderView::section { background: #eef1f5; padding: 4px; border: none;
                               border-right: 1px solid #d9dde3; }
        """
    )

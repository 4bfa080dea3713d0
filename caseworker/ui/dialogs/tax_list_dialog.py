"""What matching the tax authority's list found: matched pairs, lines only in the tax list,
payments only here, and the rows of the file that could not be read (each with its row
number and what is wrong). Nothing here changes a payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.ids import mask_id_number
from caseworker.services.tax_list import LocalPayment, TaxListMatch
from caseworker.services.tax_list_file import TaxLine
from caseworker.ui.i18n import in_language, scheme_short
from caseworker.ui.models.labels import money
from caseworker.ui.models.table import Column, RecordTableModel
from caseworker.ui.screen_fit import fit_to_screen
from caseworker.ui.style import set_role
from caseworker.ui.widgets.common import add_dialog_buttons, record_table


def _period(start: date, end: date) -> str:
    return f"{start:%Y-%m}～{end:%Y-%m}"


def _line_columns(get: Callable[[Any], TaxLine]) -> list[Column]:
    return [
        Column(
            QCoreApplication.translate("TaxListColumns", "行号"),
            lambda r: str(get(r).row),
            sort=lambda r: get(r).row,
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "身份证号"),
            lambda r: mask_id_number(get(r).id_number),
        ),
        Column(QCoreApplication.translate("TaxListColumns", "姓名"), lambda r: get(r).name),
        Column(
            QCoreApplication.translate("TaxListColumns", "险种"),
            lambda r: scheme_short(get(r).scheme),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "所属期"),
            lambda r: _period(get(r).period_start, get(r).period_end),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "金额（元）"),
            lambda r: money(get(r).amount_fen),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "税务凭证号"),
            lambda r: get(r).voucher_number or "",
        ),
    ]


def _local_columns(get: Callable[[Any], LocalPayment]) -> list[Column]:
    return [
        Column(
            QCoreApplication.translate("TaxListColumns", "本地记录"),
            lambda r: (
                QCoreApplication.translate("TaxListColumns", "税务凭证 %1")
                if get(r).channel == "tax"
                else QCoreApplication.translate("TaxListColumns", "收据 %1")
            ).replace("%1", get(r).reference),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "缴费人"), lambda r: get(r).person_name
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "身份证号"),
            lambda r: mask_id_number(get(r).id_number),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "险种"),
            lambda r: scheme_short(get(r).scheme),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "所属期"),
            lambda r: _period(get(r).period_start, get(r).period_end),
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "金额（元）"),
            lambda r: money(get(r).personal_fen),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("TaxListColumns", "业务日期"),
            lambda r: get(r).business_date.isoformat(),
        ),
    ]


class TaxListMatchDialog(QDialog):
    def __init__(self, result: TaxListMatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taxListMatch")
        self.result = result
        self.setWindowTitle(self.tr("税务缴费清单核对结果"))
        fit_to_screen(self, QSize(1500, 640))
        self.summary = QLabel(objectName="taxListSummary")
        self.summary.setWordWrap(True)
        self.summary.setText(
            self.tr(
                "清单 %1，%2 至 %3：相符 %4 笔，仅税务清单有 %5 笔，仅本地有 %6 笔，"
                "无法读取 %7 行。核对不改动任何缴费记录。"
            )
            .replace("%1", result.file_name)
            .replace("%2", result.date_from.isoformat())
            .replace("%3", result.date_to.isoformat())
            .replace("%4", str(len(result.matched)))
            .replace("%5", str(len(result.only_in_list)))
            .replace("%6", str(len(result.only_here)))
            .replace("%7", str(len(result.bad_rows)))
        )
        matched = [
            *_line_columns(lambda pair: pair[0])[:-1],
            Column(
                QCoreApplication.translate("TaxListColumns", "本地记录"),
                lambda pair: (
                    QCoreApplication.translate("TaxListColumns", "税务凭证 %1")
                    if pair[1].channel == "tax"
                    else QCoreApplication.translate("TaxListColumns", "收据 %1")
                ).replace("%1", pair[1].reference),
            ),
        ]
        only_list = [
            *_line_columns(lambda u: u.line),
            Column(
                QCoreApplication.translate("TaxListColumns", "说明"),
                lambda u: in_language(u.note, u.note_en),
            ),
        ]
        bad = [
            Column(
                QCoreApplication.translate("TaxListColumns", "行号"),
                lambda b: str(b.row),
                sort=lambda b: b.row,
            ),
            Column(
                QCoreApplication.translate("TaxListColumns", "问题"),
                lambda b: "；".join(
                    in_language(zh, en) for zh, en in zip(b.problems, b.problems_en, strict=True)
                ),
            ),
        ]
        groups = [
            ("taxMatched", self.tr("相符（%1）"), matched, result.matched),
            ("taxOnlyInList", self.tr("仅税务清单有（%1）"), only_list, result.only_in_list),
            (
                "taxOnlyHere",
                self.tr("仅本地有（%1）"),
                _local_columns(lambda p: p),
                result.only_here,
            ),
            ("taxBadRows", self.tr("无法读取的行（%1）"), bad, result.bad_rows),
        ]
        self.tables: dict[str, QTableView] = {}
        self.captions: dict[str, str] = {}
        for name, title, columns, rows in groups:
            self.captions[name] = title.replace("%1", str(len(rows)))
            model = RecordTableModel(columns, self)
            model.set_rows(list(rows))
            self.tables[name] = record_table(name, self.captions[name], model)
        # What differs, side by side (the tax list's lines left, ours right) ...
        sides = QSplitter(Qt.Orientation.Horizontal, objectName="taxListSides")
        for name in ("taxOnlyInList", "taxOnlyHere"):
            side = QWidget()
            side_layout = QVBoxLayout(side)
            side_layout.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(self.captions[name], objectName=f"{name}Title")
            set_role(heading, "strong")
            side_layout.addWidget(heading)
            side_layout.addWidget(self.tables[name], 1)
            sides.addWidget(side)
        # ... and below, the pairs that agree and the rows that could not be read.
        self.tabs = QTabWidget(objectName="taxListTabs")
        for name in ("taxMatched", "taxBadRows"):
            self.tabs.addTab(self.tables[name], self.captions[name])
        self.tabs.setCurrentIndex(1 if result.bad_rows else 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(sides)
        split.addWidget(self.tabs)
        close = QPushButton(self.tr("关闭"), objectName="closeTaxList")
        close.setAccessibleName(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        add_dialog_buttons(layout, dismiss=close)

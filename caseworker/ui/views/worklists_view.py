"""The worklists page: the lists with their counts, the chosen list page by page with its
filters, a person opened from it and the place kept on the way back, print and export.

Everything is read on the runner's read lane; the page never touches the database. The
coverage charts open a list through ``show_spec``.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.codes import load_code_table
from caseworker.domain.coverage import lines
from caseworker.services.actor import Permission
from caseworker.services.centre import OpenSession
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import KINDS, count, counts, members, villages
from caseworker.services.xlsx_export import ExportResult
from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog
from caseworker.ui.i18n import current_language, entry_label, in_language, message_for
from caseworker.ui.models.worklist import WorklistTableModel, row_key
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.person_view import PersonView
from caseworker.ui.widgets.common import (
    hide_unless,
    set_column_widths,
    shortcut_button,
)

UNKNOWN_REASON = "__unknown__"  # the reason filter's "not yet verified" (a status, not a reason)


if TYPE_CHECKING:
    from caseworker.printing.layout import PrintResult


def _worklist_output() -> Any:
    """The worklist's PDF and file output, imported on the worker when first asked for:
    it loads reportlab, which the launch skips."""
    from caseworker.services import worklist_output

    return worklist_output


class WorklistsPage(QWidget):
    counts_loaded = Signal(object)  # {kind: count}
    loaded = Signal()  # a page of the list (or its error) is on screen
    edit_person = Signal(object)  # person id: the front desk's form edits
    data_changed = Signal()  # a payment was taken from a list
    exported = Signal(object)  # (path, rows)
    export_declined = Signal()  # the consent dialog cancelled: nothing written
    trip_requested = Signal(object)  # the WorklistSpec whose households to visit
    printed = Signal(object)  # the PrintResult previewed

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.spec = WorklistSpec(KINDS[0].code)
        self.figures: dict[str, int] = {}
        self._villages_loaded = False
        self._stale = False  # something was saved while a person was open
        self._place: tuple[Any, int] | None = None  # (row key, scroll) to put back
        self.payment_dialog: Any = None

        self.kinds = QListWidget()
        self.kinds.setObjectName("worklistKinds")
        self.kinds.setAccessibleName(self.tr("工作清单"))
        self.kinds.setMinimumWidth(130)  # the splitter lets the clerk widen it
        for kind in KINDS:
            item = QListWidgetItem(in_language(kind.title_zh, kind.title_en))
            item.setData(Qt.ItemDataRole.UserRole, kind.code)
            item.setToolTip(in_language(kind.counts_zh, kind.counts_en))
            self.kinds.addItem(item)
        self.kinds.currentRowChanged.connect(self._kind_chosen)

        self.heading = QLabel()
        self.heading.setObjectName("worklistHeading")
        set_role(self.heading, "heading")
        self.what = QLabel()
        self.what.setObjectName("worklistWhat")
        self.what.setWordWrap(True)
        set_tone(self.what, "hint")

        self.village = self._combo("worklistVillage", self.tr("村（居）"))
        self.village.addItem(self.tr("全部村（居）"), None)
        self.line = self._combo("worklistLine", self.tr("保障项目"))
        self.line.addItem(self.tr("全部项目"), None)
        for line in lines():
            self.line.addItem(in_language(line.name_zh, line.name_en), line.code)
        self.reason = self._combo("worklistReason", self.tr("原因"))
        self.reason.addItem(self.tr("全部原因"), None)
        self.reason.addItem(self.tr("未核实"), UNKNOWN_REASON)
        for entry in load_code_table("not_insured_reason"):
            self.reason.addItem(entry_label(entry), entry.code)
        for combo in (self.village, self.line, self.reason):
            combo.activated.connect(lambda _i: self._filters_changed())
        self.clear_button = shortcut_button(
            "worklistClearFilter", self.tr("清除筛选"), "Ctrl+Shift+C", self.clear_filter
        )
        self.spec_note = QLabel()
        self.spec_note.setObjectName("worklistSpecNote")
        self.spec_note.setWordWrap(True)
        self.spec_note.hide()
        self.open_button = shortcut_button(
            "worklistOpen", self.tr("打开人员（Enter）"), "", self.open_selected
        )
        self.print_button = shortcut_button(
            "worklistPrint", self.tr("打印清单"), "Ctrl+P", self.print_list
        )
        self.export_button = shortcut_button(
            "worklistExport", self.tr("导出 Excel/CSV"), "Ctrl+Shift+X", self.export_list
        )
        # Full ID numbers in the file: only for those who may export personal data, and
        # only after the consent dialog.
        self.full_ids = QCheckBox(self.tr("完整身份证号"))
        self.full_ids.setObjectName("worklistExportFullIds")
        self.full_ids.setAccessibleName(self.tr("导出时写入完整身份证号"))
        hide_unless(self.full_ids, session.actor.may(Permission.EXPORT_PERSONAL_DATA))
        self.consent: ExportConsentDialog | None = None
        # The list's households become a field trip (the field visit page plans it).
        self.trip_button = shortcut_button(
            "worklistPlanTrip",
            self.tr("安排走访"),
            "Ctrl+Shift+T",
            lambda: self.trip_requested.emit(self.spec),
        )

        self.summary = QLabel()
        self.summary.setObjectName("worklistSummary")
        self.summary.setWordWrap(True)
        self.model = WorklistTableModel(runner, self)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self._show_error)
        self.table = QTableView()
        self.table.setObjectName("worklistTable")
        self.table.setAccessibleName(self.tr("清单人员"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        set_column_widths(self.table, (90, 160, 140, 420))
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)  # Enter, as the search list does
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())

        filters = QHBoxLayout()
        for combo in (self.village, self.line, self.reason):
            filters.addWidget(combo, 1)  # wide where there is room, narrow where not
        filters.addWidget(self.clear_button)
        actions = QHBoxLayout()
        for widget in (self.open_button, self.print_button, self.export_button, self.full_ids):
            actions.addWidget(widget)
        actions.addStretch(1)
        # The summary wraps, so the trip button beside it keeps the page narrow enough for a
        # 700-pixel window.
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.trip_button)
        panel = QWidget()
        panel.setObjectName("worklistPanel")
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.what)
        column.addLayout(filters)
        column.addWidget(self.spec_note)
        column.addLayout(actions)
        column.addLayout(summary_row)
        column.addWidget(self.table, 1)
        list_screen = QSplitter()
        list_screen.setObjectName("worklistSplitter")
        list_screen.setChildrenCollapsible(False)
        list_screen.addWidget(self.kinds)
        list_screen.addWidget(panel)
        list_screen.setStretchFactor(1, 1)
        list_screen.setSizes([220, 900])

        self.person = PersonView(session, runner)
        self.person.back_button.setText(self.tr("返回清单（Esc）"))
        self.person.back_button.setAccessibleName(self.tr("返回清单"))
        self.person.back_button.setShortcut(QKeySequence("Esc"))  # setText dropped it
        self.person.back_requested.connect(self.back_to_list)
        self.person.open_person.connect(self._show_person)
        self.person.edit_requested.connect(self.edit_person)
        self.person.payment_requested.connect(self._record_payment)
        self.person.tax_payment_requested.connect(self._record_tax_payment)
        self.stack = QStackedWidget()
        self.stack.setObjectName("worklistStack")
        self.stack.addWidget(list_screen)
        self.stack.addWidget(self.person)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setFocusProxy(self.table)
        # Enter on the table opens (activated); from the buttons, Ctrl+Enter does too.
        QShortcut(QKeySequence("Ctrl+Return"), self, self.open_selected)
        self.kinds.blockSignals(True)  # the list loads when the page is first shown
        self.kinds.setCurrentRow(0)
        self.kinds.blockSignals(False)
        self._buttons()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)  # the page still fits a 700-pixel-wide window
        return combo

    # -- counts ---------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        database, actor, day = self.session.database, self.session.actor, date.today()
        self.runner.submit(
            lambda _c: counts(database, actor, day),
            on_success=self.show_counts,
            on_failure=self._show_error,
        )

    def show_counts(self, figures: dict[str, int]) -> None:
        """The counts as read (here, or with the main window's front-page figures)."""
        self.figures = dict(figures)
        for position, kind in enumerate(KINDS):
            title = in_language(kind.title_zh, kind.title_en)
            shown = figures.get(kind.code)
            self.kinds.item(position).setText(title if shown is None else f"{title}　{shown}")
        self.counts_loaded.emit(self.figures)

    def refresh(self) -> None:
        """F5 and first showing: the counts, the village choices (once) and the list."""
        self.refresh_counts()
        if not self._villages_loaded:
            database, actor = self.session.database, self.session.actor
            self.runner.submit(lambda _c: villages(database, actor), on_success=self._villages)
        if self.stack.currentWidget() is self.person:
            self.person.reload()
        else:
            self._stale = False
            if self.model.pages is None:
                self._load()
            else:
                self._keep_place()
                self.model.reload()

    def _villages(self, found: list[tuple[str, str]]) -> None:
        self._villages_loaded = True
        chosen = self.village.currentData()
        self.village.clear()
        self.village.addItem(self.tr("全部村（居）"), None)
        for code, name in found:
            self.village.addItem(name if name == code else f"{name}（{code}）", code)
        if chosen and self.village.findData(chosen) < 0:
            self.village.addItem(chosen, chosen)
        self.village.setCurrentIndex(max(0, self.village.findData(chosen)))

    # -- the list -------------------------------------------------------------------------

    def show_spec(self, spec: WorklistSpec) -> None:
        """Open the list ``spec`` names (the coverage charts call this for a clicked bar)."""
        self.stack.setCurrentIndex(0)
        self.spec = spec
        self._set_combo(self.village, spec.village_code)
        self._set_combo(self.line, spec.line)
        reason = UNKNOWN_REASON if spec.status == "unknown" and not spec.reason else spec.reason
        self._set_combo(self.reason, reason)
        position = next(i for i, kind in enumerate(KINDS) if kind.code == spec.kind)
        self.kinds.blockSignals(True)
        self.kinds.setCurrentRow(position)
        self.kinds.blockSignals(False)
        self._load()

    def _set_combo(self, combo: QComboBox, code: str | None) -> None:
        if code and combo.findData(code) < 0:
            combo.addItem(code, code)  # a village the choices have not loaded yet
        combo.setCurrentIndex(max(0, combo.findData(code)))

    def _kind_chosen(self, position: int) -> None:
        if position < 0:
            return
        self.spec = self.spec.narrowed(kind=KINDS[position].code)
        self._load()

    def _filters_changed(self) -> None:
        reason = self.reason.currentData()
        # A chart's status stays; "not yet verified" in the reason list is the status unknown.
        status = self.spec.status if self.spec.status != "unknown" else None
        self.spec = self.spec.narrowed(
            village_code=self.village.currentData(),
            line=self.line.currentData(),
            reason=None if reason == UNKNOWN_REASON else reason,
            status="unknown" if reason == UNKNOWN_REASON else status,
        )
        self._load()

    def clear_filter(self) -> None:
        self.show_spec(WorklistSpec(self.spec.kind))

    def _load(self) -> None:
        kind = next(k for k in KINDS if k.code == self.spec.kind)
        self.heading.setText(in_language(kind.title_zh, kind.title_en))
        self.what.setText(in_language(kind.counts_zh, kind.counts_en))
        extra = self._chart_filters()
        self.spec_note.setText(self.tr("另按图表筛选：") + extra if extra else "")
        self.spec_note.setVisible(bool(extra))
        set_tone(self.summary, None)
        self.summary.setText(self.tr("正在读取…"))
        self._place = None
        database, actor, spec, day = (
            self.session.database,
            self.session.actor,
            self.spec,
            date.today(),
        )
        self.model.reset(
            lambda offset, limit: members(database, actor, spec, day, offset=offset, limit=limit),
            lambda: count(database, actor, spec, day),
        )

    def _chart_filters(self) -> str:
        """Filters the page has no input for (a chart bar's category, sex, age band)."""
        spec, parts = self.spec, []
        if spec.status and spec.status != "unknown":
            parts.append(in_language(*_entry("coverage_status", spec.status)))
        if spec.category:
            parts.append(in_language(*_entry("employment_category", spec.category)))
        if spec.sex:
            parts.append(in_language(*_entry("sex", spec.sex)))
        if spec.age_band:
            parts.append(self.tr("%1 岁").replace("%1", spec.age_band))
        return "、".join(parts) if current_language() == "zh" else ", ".join(parts)

    def _page_loaded(self) -> None:
        total, shown = self.model.total or 0, self.model.rowCount()
        text = self.tr("共 %1 条，已显示 %2 条（向下滚动加载更多）。")
        if shown >= total:
            text = self.tr("共 %1 条，已全部显示。")
        self.summary.setText(text.replace("%1", str(total)).replace("%2", str(shown)))
        if self._place is not None:
            self._put_back()
        elif shown and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._buttons()
        self.loaded.emit()

    def _show_error(self, error: BaseException) -> None:
        set_tone(self.summary, "error")
        self.summary.setText(self.tr("读取出错：") + message_for(error))
        self.loaded.emit()

    def _buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.open_button.setEnabled(self._selected_row() is not None)
        self.print_button.setEnabled(has_rows)
        self.export_button.setEnabled(has_rows)
        self.trip_button.setEnabled(has_rows)

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # -- a person from the list, and back ---------------------------------------------------

    def open_selected(self) -> None:
        position = self._selected_row()
        if position is not None and self.stack.currentIndex() == 0:
            self._open_index(self.model.index(position, 0))

    def _open_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = self.model.row(index.row()) if index.isValid() else None
        if row is None:
            return
        self.table.selectRow(index.row())
        self._show_person(row.person_id)

    def _show_person(self, person_id: uuid.UUID) -> None:
        self.stack.setCurrentWidget(self.person)
        self.person.show_person(person_id)
        # Keys go to the person page (Esc back, Ctrl+J pay), not to the hidden table.
        self.person.tabs.setFocus()

    def back_to_list(self) -> None:
        """The list as it was: same list, filter, selected row and scroll; reloaded (in place)
        when something was saved meanwhile, since the person may have left the list."""
        self.stack.setCurrentIndex(0)
        self.table.setFocus()
        if self._stale:
            self.refresh()

    def _keep_place(self) -> None:
        position = self._selected_row()
        key = row_key(self.model.row(position)) if position is not None else None
        self._place = (key, position or 0), self.table.verticalScrollBar().value()

    def _put_back(self) -> None:
        (key, position), scroll = self._place
        self._place = None
        found = self.model.position_of(key) if key else None
        if found is None:
            found = min(position, self.model.rowCount() - 1)  # the person left: the next one
        if found >= 0:
            self.table.selectRow(found)
        self.table.doItemsLayout()  # the scroll range must know the rows before it is set
        self.table.verticalScrollBar().setValue(scroll)

    # -- payments from the list (as at the front desk) --------------------------------------

    def _record_payment(self, person_id: uuid.UUID) -> None:
        from caseworker.ui.dialogs.payment_dialog import PaymentDialog

        self.payment_dialog = PaymentDialog(self.session, self.runner, person_id, self)
        self.payment_dialog.finished.connect(self._payment_closed)
        self.payment_dialog.open()

    def _record_tax_payment(self, person_id: uuid.UUID) -> None:
        from caseworker.ui.dialogs.tax_payment_dialog import TaxPaymentDialog

        self.payment_dialog = TaxPaymentDialog(self.session, self.runner, person_id, self)
        self.payment_dialog.finished.connect(self._payment_closed)
        self.payment_dialog.open()

    def _payment_closed(self, _result: int) -> None:
        self.payment_dialog = None
        self.mark_stale()
        self.data_changed.emit()
        self.person.reload()

    def mark_stale(self) -> None:
        """Data changed elsewhere: the list reloads, in place, when next looked at."""
        self._stale = True

    @property
    def needs_loading(self) -> bool:
        return self.model.pages is None or self._stale

    # -- print and export --------------------------------------------------------------------

    def print_list(self) -> None:
        from caseworker.ui.printing import PrintPreviewDialog, run_batch, show_preview

        database, actor, spec, day = (
            self.session.database,
            self.session.actor,
            self.spec,
            date.today(),
        )

        def shown(result: PrintResult) -> None:
            show_preview(PrintPreviewDialog(result, self))
            self.printed.emit(result)

        run_batch(
            self,
            self.runner,
            self.tr("正在生成清单…"),
            lambda _c: _worklist_output().worklist_pdf(database, actor, spec, day),
            on_done=shown,
        )

    def export_list(self, target: str | None = None) -> None:
        """Ask where (unless told) and, for full ID numbers, for a yes; then write the file on
        the runner's write lane (the export ends with its audit entry)."""
        if target is None:
            kind = next(k for k in KINDS if k.code == self.spec.kind)
            suggested = f"{in_language(kind.title_zh, kind.title_en)}-{date.today():%Y%m%d}.xlsx"
            target, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("导出清单"),
                str(Path.home() / suggested),
                self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"),
            )
            if not target:
                return
        path = Path(target)
        full = self.full_ids.isChecked() and self.session.actor.may(Permission.EXPORT_PERSONAL_DATA)
        if not full:
            self._write_export(path, full=False)
            return
        self.consent = ExportConsentDialog(self.model.total or 0, path, parent=self)
        self.consent.accepted.connect(lambda: self._write_export(path, full=True))
        self.consent.rejected.connect(self._export_declined)
        self.consent.open()

    def _export_declined(self) -> None:
        set_tone(self.summary, None)
        self.summary.setText(self.tr("已取消导出，未写入文件。"))
        self.export_declined.emit()

    def _write_export(self, path: Path, *, full: bool) -> None:
        database, actor, spec, day = (
            self.session.database,
            self.session.actor,
            self.spec,
            date.today(),
        )
        lang = current_language()
        self.summary.setText(self.tr("正在导出…"))
        self.runner.submit(
            lambda _c: _worklist_output().export_worklist(
                database,
                actor,
                spec,
                day,
                path,
                lang=lang,
                full_id_numbers=full,
                personal_data_confirmed=full,
            ),
            lane="write",
            on_success=self._exported,
            on_failure=self._show_error,
        )

    def _exported(self, result: ExportResult) -> None:
        set_tone(self.summary, None)
        self.summary.setText(
            self.tr("已导出 %1 条到 %2（已记入审计日志）")
            .replace("%1", str(result.rows))
            .replace("%2", str(result.path))
        )
        self.exported.emit((result.path, result.rows))


def _entry(table: str, code: str) -> tuple[str, str]:
    entry = load_code_table(table).get(code)
    return (entry.name_zh, entry.name_en) if entry else (code, code)

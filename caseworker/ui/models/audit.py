"""The audit trail's table: a page of entries at a time, newest first, loaded on the runner
as the view scrolls (keyset paging: each page asks for entries older than the last one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)

from caseworker.logs import is_defect, log_defect
from caseworker.services.audit_log import AuditPage, AuditRow
from caseworker.ui.i18n import in_language
from caseworker.ui.models.labels import operator_label
from caseworker.ui.models.table import AnyIndex, Column, RecordTableModel
from caseworker.ui.tasks import TaskRunner

PageLoader = Callable[[int | None], AuditPage]  # before seq (None: the newest) → a page


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditColumns", text)


def operator_text(row: AuditRow) -> str:
    return operator_label(in_language(*row.operator_name), row.role)


@dataclass(frozen=True)
class _Loaded:
    generation: int
    page: AuditPage | None
    error: Exception | None


class AuditTableModel(RecordTableModel):
    """Columns: when, operator (name and role), action, entity, what changed."""

    WHEN, OPERATOR, ACTION, ENTITY, WHAT = range(5)
    page_loaded = Signal(object)  # the AuditPage just added
    load_failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        columns = [
            Column(
                QCoreApplication.translate("AuditColumns", "时间"),
                lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                sort=lambda r: r.seq,
            ),
            Column(QCoreApplication.translate("AuditColumns", "操作员"), operator_text),
            Column(
                QCoreApplication.translate("AuditColumns", "操作"),
                lambda r: in_language(*r.action_label),
            ),
            Column(
                QCoreApplication.translate("AuditColumns", "对象"), lambda r: in_language(*r.entity)
            ),
            Column(
                QCoreApplication.translate("AuditColumns", "变更内容"),
                lambda r: in_language(*r.what),
            ),
        ]
        super().__init__(columns, parent)
        self.runner = runner
        self.loader: PageLoader | None = None
        self.total: int | None = None
        self.people_capped = False
        self._next: int | None = None
        self._more = False
        self._loading = False
        self._generation = 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The full text on hover: what changed is often longer than its column.
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (self.ENTITY, self.WHAT):
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)

    def reset(self, loader: PageLoader) -> None:
        """A new filter: drop the rows and load its first page (an older answer is dropped)."""
        self.beginResetModel()
        self._generation += 1
        self.loader, self.rows, self.total, self.people_capped = loader, [], None, False
        self._next, self._more, self._loading = None, True, False
        self.endResetModel()
        self._load()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load()

    def _load(self) -> None:
        if self.loader is None:
            return
        self._loading = True
        generation, loader, before = self._generation, self.loader, self._next

        def load(_control: object) -> _Loaded:
            try:
                return _Loaded(generation, loader(before), None)
            except Exception as error:  # delivered with its generation, shown by the page
                if is_defect(error):
                    log_defect(error, "loading a page of audit entries failed")
                return _Loaded(generation, None, error)

        self.runner.submit(load, on_success=self._on_loaded)

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return
        self._loading = False
        if loaded.page is None:
            self.load_failed.emit(loaded.error)
            return
        page = loaded.page
        if page.total is not None:
            self.total, self.people_capped = page.total, page.people_capped
        self._next, self._more = page.next_before, page.next_before is not None
        if page.rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self.page_loaded.emit(page)

"""A worklist's table: the list's size known up front, rows loaded a page at a time on the
runner's read lane as the view scrolls (offset paging over the list's village order).

``reload`` reads as many rows as were on screen in one go, so a list refreshed after a payment
comes back as long as it was and the page can put the selection and the scroll back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal

from caseworker.logs import is_defect, log_defect
from caseworker.services.worklists import WorklistRow
from caseworker.ui.i18n import in_language
from caseworker.ui.models.table import AnyIndex, Column, RecordTableModel
from caseworker.ui.tasks import TaskRunner

# (offset, limit) → rows; () → how many rows the whole list holds.
PageLoader = Callable[[int, int], list[WorklistRow]]
TotalLoader = Callable[[], int]


@dataclass(frozen=True)
class _Loaded:
    generation: int
    total: int | None
    rows: list[WorklistRow]
    replace: bool  # the rows replace what is shown (a first page or a reload)
    error: Exception | None


class WorklistTableModel(RecordTableModel):
    NAME, ID, VILLAGE, REASON, PHONE = range(5)
    PAGE = 100
    page_loaded = Signal()
    load_failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        columns = [
            Column(QCoreApplication.translate("WorklistColumns", "姓名"), lambda r: r.name),
            Column(
                QCoreApplication.translate("WorklistColumns", "身份证号"),
                lambda r: r.masked_id_number,
            ),
            Column(
                QCoreApplication.translate("WorklistColumns", "村（居）"),
                lambda r: r.village_name,
            ),
            Column(
                QCoreApplication.translate("WorklistColumns", "列入原因"),
                lambda r: in_language(r.reason_zh, r.reason_en),
            ),
            Column(
                QCoreApplication.translate("WorklistColumns", "联系电话"), lambda r: r.phone or ""
            ),
        ]
        super().__init__(columns, parent)
        self.runner = runner
        self.pages: PageLoader | None = None
        self.counter: TotalLoader | None = None
        self.total: int | None = None
        self._loading = False
        self._generation = 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.REASON:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)

    def reset(self, pages: PageLoader, counter: TotalLoader) -> None:
        """A new list or filter: drop the rows, count the list and load its first page."""
        self.beginResetModel()
        self._generation += 1
        self.pages, self.counter, self.rows, self.total = pages, counter, [], None
        self.endResetModel()
        self._load(0, self.PAGE, replace=True)

    def reload(self) -> None:
        """The same list again, as many rows as were loaded (the data may have changed)."""
        if self.pages is None:
            return
        self._generation += 1
        self._load(0, max(len(self.rows), self.PAGE), replace=True)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and not self._loading
            and self.total is not None
            and len(self.rows) < self.total
        )

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load(len(self.rows), self.PAGE, replace=False)

    def _load(self, offset: int, limit: int, *, replace: bool) -> None:
        pages, counter = self.pages, self.counter
        if pages is None or counter is None:
            return
        self._loading = True
        generation = self._generation

        def load(_control: object) -> _Loaded:
            try:
                total = counter() if replace else None
                return _Loaded(generation, total, pages(offset, limit), replace, None)
            except Exception as error:  # delivered with its generation, shown by the page
                if is_defect(error):
                    log_defect(error, "loading a page of a worklist failed")
                return _Loaded(generation, None, [], replace, error)

        self.runner.submit(load, on_success=self._on_loaded)

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return  # a newer list or filter replaced this one while it loaded
        self._loading = False
        if loaded.error is not None:
            self.load_failed.emit(loaded.error)
            return
        if loaded.replace:
            self.beginResetModel()
            self.rows, self.total = list(loaded.rows), loaded.total
            self.endResetModel()
        elif loaded.rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(loaded.rows) - 1)
            self.rows.extend(loaded.rows)
            self.endInsertRows()
        self.page_loaded.emit()

    def position_of(self, key: tuple[Any, ...]) -> int | None:
        """Where the row of (person, line, scheme) is now, if it is still loaded."""
        for position, row in enumerate(self.rows):
            if (row.person_id, row.line, row.scheme) == key:
                return position
        return None


def row_key(row: WorklistRow) -> tuple[Any, ...]:
    return (row.person_id, row.line, row.scheme)

"""Table models: columns declared once, rows as plain read records from the services.

``RecordTableModel`` holds a short list that is loaded whole (a person's payments).
``LazyTableModel`` knows only the matching ids up front and loads row details a page at a
time on the background runner as the view scrolls (``canFetchMore``/``fetchMore``), so a
search that matches thousands of people costs one page of rows, not thousands.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from caseworker.logs import is_defect, log_defect
from caseworker.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    align_right: bool = False


class RecordTableModel(QAbstractTableModel):
    """Read-only rows; ``ROW_ROLE`` gives the record, ``SORT_ROLE`` a sortable value."""

    ROW_ROLE = ROW_ROLE
    SORT_ROLE = SORT_ROLE

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, position: int) -> Any:
        return self.rows[position]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        record = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == ROW_ROLE:
            return record
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == SORT_ROLE:
            return column.sort(record) if column.sort else column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


@dataclass(frozen=True)
class _Page:
    generation: int
    start: int  # position in ids of the page's first id
    rows: list[Any]
    error: Exception | None


class LazyTableModel(RecordTableModel):
    """Ids known, rows loaded page by page on the runner's read lane.

    ``loader(ids)`` runs on a worker thread and returns the records for those ids in order.
    Every ``reset`` starts a new generation; a page that arrives for an older generation
    (the clerk kept typing) is dropped.
    """

    PAGE = 100
    page_loaded = Signal()
    load_failed = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column],
        runner: TaskRunner,
        loader: Callable[[Sequence[uuid.UUID]], list[Any]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self.runner = runner
        self.loader = loader
        self.ids: list[uuid.UUID] = []
        self._next = 0  # position in ids of the next page to load
        self._loading = False
        self._generation = 0

    @property
    def total(self) -> int:
        """How many records match, loaded or not."""
        return len(self.ids)

    def reset(self, ids: Sequence[uuid.UUID], first_page: Sequence[Any] = ()) -> None:
        """New result: ``first_page`` (already loaded with the ids, if any) shows at once."""
        self.beginResetModel()
        self._generation += 1
        self.ids = list(ids)
        self.rows = list(first_page)
        self._next = min(len(self.ids), len(self.rows)) if first_page else 0
        self._loading = False
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and self._next < len(self.ids)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        start = self._next
        chunk = self.ids[start : start + self.PAGE]
        self._next += len(chunk)
        self._loading = True
        generation, loader = self._generation, self.loader

        def load(_control: object) -> _Page:
            # Errors travel inside the answer so they keep their generation.
            try:
                return _Page(generation, start, loader(chunk), None)
            except Exception as error:
                if is_defect(error):
                    log_defect(error, "loading a page of rows failed")
                return _Page(generation, start, [], error)

        # A bound method, not a lambda: Qt drops the call if this model is gone by then.
        self.runner.submit(load, on_success=self._on_page)

    def _on_page(self, page: _Page) -> None:
        if page.generation != self._generation:
            return  # a newer result replaced this one while the page was loading
        self._loading = False
        if page.error is not None:
            self._next = page.start  # a later scroll tries the page again
            self.load_failed.emit(page.error)
            return
        if page.rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self.page_loaded.emit()

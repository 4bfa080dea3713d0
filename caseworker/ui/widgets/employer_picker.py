"""Pick the person's employer by name or unified social credit code.

The search runs on the runner's read lane a moment after typing stops; an answer that
arrives after the clerk has typed on is dropped, so the list always matches the box.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from caseworker.services.centre import OpenSession
from caseworker.services.employers import find_employers
from caseworker.ui.i18n import message_for
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 250


class EmployerPicker(QWidget):
    changed = Signal()
    searched = Signal()  # results shown (tests wait on this instead of sleeping)

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.employer_id: uuid.UUID | None = None
        self.employer_name = ""
        self.search = QLineEdit()
        self.search.setObjectName("employerSearch")
        self.search.setAccessibleName(self.tr("用人单位（名称或统一社会信用代码）"))
        self.search.setPlaceholderText(self.tr("输入单位名称或统一社会信用代码查找"))
        self.results = QListWidget()
        self.results.setObjectName("employerResults")
        self.results.setAccessibleName(self.tr("查到的用人单位"))
        self.results.setMaximumHeight(90)
        self.results.hide()
        self.chosen = QLabel()
        self.chosen.setObjectName("employerChosen")
        self.chosen.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self._generation = 0
        self.search.textEdited.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self._show_chosen()

    def _run_search(self) -> None:
        self._generation += 1
        generation, text = self._generation, self.search.text()
        if not text.strip():
            self._show_results(generation, [])
            return
        database = self.session.database

        def job(control) -> list[tuple[uuid.UUID, str, str]]:
            return [(e.id, e.name, e.credit_code) for e in find_employers(database, text, limit=20)]

        self.runner.submit(
            job,
            on_success=lambda rows: self._show_results(generation, rows),
            on_failure=lambda error: self._failed(generation, error),
        )

    def _show_results(self, generation: int, rows: list[tuple[uuid.UUID, str, str]]) -> None:
        if generation != self._generation:
            return  # the clerk typed on; a newer search is coming
        self.results.clear()
        for employer_id, name, code in rows:
            item = QListWidgetItem(f"{name}  {code}")
            item.setData(Qt.ItemDataRole.UserRole, (employer_id, name))
            self.results.addItem(item)
        self.results.setVisible(bool(rows))
        if rows:
            self.results.setCurrentRow(0)
        elif self.search.text().strip():
            set_tone(self.chosen, "hint")
            self.chosen.setText(self.tr("没有找到该单位；请先在“用人单位”中登记。"))
        self.searched.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            set_tone(self.chosen, "error")
            self.chosen.setText(self.tr("查找单位失败：{error}").format(error=message_for(error)))
            self.searched.emit()

    def _enter(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._pick(item)
        else:
            self._timer.stop()
            self._run_search()

    def _pick(self, item: QListWidgetItem) -> None:
        employer_id, name = item.data(Qt.ItemDataRole.UserRole)
        self.set_employer(employer_id, name)
        self.results.hide()
        self.changed.emit()

    def set_employer(self, employer_id: uuid.UUID | None, name: str | None) -> None:
        self.employer_id = employer_id
        self.employer_name = name or ""
        self._show_chosen()

    def _show_chosen(self) -> None:
        set_tone(self.chosen, "hint")
        if self.employer_id is None:
            self.chosen.setText(self.tr("尚未选择单位"))
        else:
            self.chosen.setText(self.tr("已选：{name}").format(name=self.employer_name))

    def inputs(self) -> list[QWidget]:
        return [self.search, self.results]

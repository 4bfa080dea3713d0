"""The audit trail for supervisors: entries newest first, filtered by day, operator, action and
person, loaded a page at a time on the runner; and the chain verified from here, as
``caseworker audit verify`` does it (hashes, signatures, keys, the county's copy)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.actor import Permission
from caseworker.services.audit_log import (
    PERSON_MATCH_LIMIT,
    AuditFilter,
    AuditPage,
    FilterChoices,
    audit_page,
    filter_choices,
)
from caseworker.services.audit_words import ACTION_LABELS, words
from caseworker.services.centre import OpenSession
from caseworker.ui.i18n import in_language, message_for
from caseworker.ui.models.audit import AuditTableModel
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import set_column_widths, shortcut_button

if TYPE_CHECKING:
    from caseworker.sync.audit_check import AuditVerification


def _verify(database: Any, key_file: Any) -> AuditVerification:
    # Imported on the worker when asked: it loads the sync client, which the launch skips.
    from caseworker.sync.audit_check import verify_audit

    return verify_audit(database, key_file)


class AuditView(QWidget):
    loaded = Signal()
    verified = Signal(object)  # the AuditVerification shown

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.allowed = session.actor.may(Permission.VIEW_AUDIT)
        self._choices_loaded = False

        title = QLabel(self.tr("审计日志"))
        set_role(title, "heading")
        self.by_day = QCheckBox(self.tr("按日期"))
        self.by_day.setObjectName("auditByDay")
        self.by_day.setAccessibleName(self.tr("按日期筛选"))
        today = QDate.currentDate()
        self.day_from = self._date_edit("auditDayFrom", self.tr("起始日期"), today)
        self.day_to = self._date_edit("auditDayTo", self.tr("截止日期"), today)
        self.operator = self._combo("auditOperator", self.tr("操作员"))
        self.action = self._combo("auditAction", self.tr("操作"))
        self.person = QLineEdit()
        self.person.setObjectName("auditPerson")
        self.person.setAccessibleName(self.tr("人员（身份证号或姓名）"))
        self.person.setPlaceholderText(self.tr("人员：身份证号或姓名"))
        self.person.setClearButtonEnabled(True)
        self.person.returnPressed.connect(self.apply_filter)
        self.search_button = shortcut_button("auditSearch", self.tr("查询"), "", self.apply_filter)
        self.clear_button = shortcut_button(
            "auditClear", self.tr("清除筛选"), "Ctrl+Shift+C", self.clear_filter
        )
        self.verify_button = shortcut_button(
            "verifyAuditChain", self.tr("校验审计链"), "Ctrl+Shift+V", self.verify
        )
        for combo in (self.operator, self.action):
            combo.activated.connect(lambda _i: self.apply_filter())
        for edit in (self.day_from, self.day_to):
            edit.editingFinished.connect(self.apply_filter)

        # Two rows, so the page (and the window) still fits a 700-pixel-wide screen.
        days = QHBoxLayout()
        for widget in (self.by_day, self.day_from, QLabel(self.tr("至")), self.day_to):
            days.addWidget(widget)
        days.addWidget(self.operator)
        days.addStretch(1)
        search = QHBoxLayout()
        search.addWidget(self.action)
        search.addWidget(self.person, 1)
        search.addWidget(self.search_button)
        search.addWidget(self.clear_button)

        self.summary = QLabel()
        self.summary.setObjectName("auditSummary")
        self.summary.setWordWrap(True)
        self.verify_result = QLabel()
        self.verify_result.setObjectName("auditVerifyResult")
        self.verify_result.setWordWrap(True)
        self.verify_result.hide()
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_button)
        verify_row.addWidget(self.verify_result, 1)

        self.model = AuditTableModel(runner, self)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self._show_error)
        self.by_day.toggled.connect(self._day_toggled)
        self._day_toggled(False)
        self.table = QTableView()
        self.table.setObjectName("auditEntries")
        self.table.setAccessibleName(self.tr("审计记录"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        set_column_widths(self.table, (150, 170, 160, 250))

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(days)
        layout.addLayout(search)
        layout.addLayout(verify_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        if not self.allowed:
            for widget in (self.table, self.verify_button, self.search_button, self.person):
                widget.setEnabled(False)
            self.summary.setText(self.tr("只有审核员和管理员可以查看审计日志。"))

    def _date_edit(self, name: str, accessible: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.lineEdit().setAccessibleName(accessible)  # what a screen reader lands on
        return edit

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        # Long action names must not widen the page: the list opens as wide as it needs.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    def _day_toggled(self, on: bool) -> None:
        self.day_from.setEnabled(on)
        self.day_to.setEnabled(on)
        if self.model.loader is not None:
            self.apply_filter()

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5 and showing the page: the filter choices (first time) and the newest entries."""
        if not self.allowed:
            return
        if not self._choices_loaded:
            database, actor = self.session.database, self.session.actor
            self.runner.submit(
                lambda _c: filter_choices(database, actor),
                on_success=self._show_choices,
                on_failure=self._show_error,
            )
        self.apply_filter()

    def _show_choices(self, choices: FilterChoices) -> None:
        self._choices_loaded = True
        for combo, everyone, items in (
            (self.operator, self.tr("全部操作员"), choices.operators),
            (self.action, self.tr("全部操作"), choices.actions),
        ):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for code, shown in items:
                combo.addItem(in_language(*shown), code)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def current_filter(self) -> AuditFilter:
        day_from = day_to = None
        if self.by_day.isChecked():
            day_from, day_to = _day(self.day_from.date()), _day(self.day_to.date())
            if day_to < day_from:
                day_from, day_to = day_to, day_from
        return AuditFilter(
            day_from=day_from,
            day_to=day_to,
            operator=self.operator.currentData(),
            action=self.action.currentData(),
            person=self.person.text().strip() or None,
        )

    def apply_filter(self) -> None:
        if not self.allowed:
            return
        self.summary.setText(self.tr("正在读取…"))
        database, actor, wanted = self.session.database, self.session.actor, self.current_filter()
        self.model.reset(lambda before: audit_page(database, actor, wanted, before=before))

    def clear_filter(self) -> None:
        self.by_day.setChecked(False)
        self.operator.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.person.clear()
        self.apply_filter()

    def _page_loaded(self, page: AuditPage) -> None:
        total = self.model.total or 0
        text = self.tr("共 %1 条，已显示 %2 条（向下滚动加载更多）。")
        if not self.model.canFetchMore():
            text = self.tr("共 %1 条，已全部显示。")
        text = text.replace("%1", str(total)).replace("%2", str(self.model.rowCount()))
        if self.model.people_capped:
            text += self.tr(
                "按人员筛选只取了前 %1 位匹配的人员，请输入完整姓名或身份证号。"
            ).replace("%1", str(PERSON_MATCH_LIMIT))
        self.summary.setText(text)
        if page.rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.loaded.emit()

    def _show_error(self, error: BaseException) -> None:
        self.summary.setText(self.tr("读取出错：") + message_for(error))
        self.loaded.emit()

    # -- verifying the chain -------------------------------------------------------------------

    def verify(self) -> None:
        if not self.allowed:
            return
        self.verify_button.setEnabled(False)
        set_tone(self.verify_result, None)
        self.verify_result.setText(self.tr("正在校验审计链…"))
        self.verify_result.show()
        database, key_file = self.session.database, self.session.key_file
        # The network lane: comparing with the county asks its server when registered.
        self.runner.submit(
            lambda _c: _verify(database, key_file),
            lane="network",
            on_success=self._show_verification,
            on_failure=self._verify_failed,
        )

    def _show_verification(self, found: AuditVerification) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.setText(self.verification_text(found))
        set_tone(self.verify_result, "success" if found.ok else "error")  # the words say it too
        self.verified.emit(found)

    def _verify_failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        set_tone(self.verify_result, "error")
        self.verify_result.setText(self.tr("校验未能完成：") + message_for(error))

    def verification_text(self, found: AuditVerification) -> str:
        """The result in words: the count and head when intact, else the first bad entry and why."""
        local, county = found.local, found.county
        if local.ok:
            text = (
                self.tr("审计链完整、签名有效：共 %1 条记录，链头为第 %2 条（%3…）。")
                .replace("%1", str(local.entries))
                .replace("%2", str(local.head_seq))
                .replace("%3", local.head_hash[:12])
            )
        else:
            text = self.tr("审计链有问题：") + in_language(local.problem, local.problem_en)
            if local.first_bad_seq is not None:
                text += "\n" + self._bad_entry(local)
        county_text = in_language(county.message, county.message_en)
        text += "\n" + self.tr("与县级比较：") + county_text
        if not county.ok and county.first_bad_seq is not None:
            text += "\n" + self._bad_entry(county)
        return text

    def _bad_entry(self, found: object) -> str:
        at = getattr(found, "first_bad_at", None)
        action = getattr(found, "first_bad_action", None) or "-"
        return (
            self.tr("第一条有问题的记录：第 %1 条，%2，操作员 %3，%4")
            .replace("%1", str(getattr(found, "first_bad_seq", "")))
            .replace("%2", at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if at else "-")
            .replace("%3", getattr(found, "first_bad_operator", None) or "-")
            .replace("%4", in_language(*words(ACTION_LABELS, action)))
        )


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())

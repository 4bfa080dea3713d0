"""The Sync screen: what waits, the batches and their state, progress, and the queue of
rejected and conflicting records with what to do about each.

Sync runs on the runner's network lane (its database writes are short transactions);
look-ups on the read lane; resolutions on the write lane. ``status_changed`` carries the
pending count and the last successful sync for the main window's status bar.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.centre import OpenSession
from caseworker.services.sync_queue import (
    BatchRow,
    QueueItem,
    SyncStatus,
    accept_server,
    dismiss,
    queue,
    recent_batches,
    resubmit,
    sync_status,
)
from caseworker.ui.i18n import code_label, in_language, message_for, scheme_short
from caseworker.ui.models.table import Column, RecordTableModel
from caseworker.ui.style import set_tone
from caseworker.ui.tasks import Cancelled, TaskControl, TaskRunner
from caseworker.ui.widgets.sync_files import SyncFileButtons

if TYPE_CHECKING:
    from caseworker.sync.run import SyncReport

# The sync client (httpx, the wire models) is imported when a sync or a transfer starts,
# not at launch: the window is on screen before it would have loaded.


@dataclass(frozen=True)
class SyncSnapshot:
    status: SyncStatus
    batches: list[BatchRow]
    issues: list[QueueItem]


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def _error_text(error: BaseException) -> str:
    return message_for(error)


class SyncView(QWidget):
    status_changed = Signal(int, object)  # pending count, last successful sync (or None)
    refreshed = Signal()
    sync_finished = Signal(object)  # SyncReport, or the exception
    transfer_requested = Signal(object)  # TransferRequestInfo, or the exception

    def __init__(
        self, session: OpenSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self._task: Any = None
        self._stop = threading.Event()
        self.setObjectName("syncView")

        self.summary = QLabel(objectName="syncSummary")
        self.summary.setAccessibleName(self.tr("同步概况"))
        self.warning = QLabel(objectName="syncGuardrail")
        self.warning.setWordWrap(True)
        set_tone(self.warning, "error")
        self.message = QLabel(objectName="syncMessage")
        self.message.setWordWrap(True)
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setAccessibleName(self.tr("同步进度"))
        self.progress.setVisible(False)
        self.sync_button = QPushButton(self.tr("立即同步(&S)"), objectName="syncNow")
        self.sync_button.setAccessibleName(self.tr("立即同步"))
        self.cancel_button = QPushButton(self.tr("取消(&C)"), objectName="syncCancel")
        self.cancel_button.setAccessibleName(self.tr("取消同步"))
        self.cancel_button.setEnabled(False)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel_sync)

        self.batches_model = RecordTableModel(
            [
                Column(self.tr("封装时间"), lambda b: _when(b.sealed_at)),
                Column(self.tr("记录数"), lambda b: str(b.records), align_right=True),
                Column(
                    self.tr("状态"),
                    lambda b: {
                        "sealed": self.tr("待发送"),
                        "answered": self.tr("已答复"),
                        "refused": self.tr("被拒收"),
                    }.get(b.state, b.state),
                ),
                Column(self.tr("尝试"), lambda b: str(b.attempts), align_right=True),
                Column(self.tr("错误"), lambda b: b.last_error or ""),
            ],
            self,
        )
        self.issues_model = RecordTableModel(
            [
                Column(self.tr("类型"), lambda i: self._kind(i.entity_type)),
                Column(self.tr("记录"), self._record),
                Column(
                    self.tr("结果"),
                    lambda i: self.tr("冲突") if i.state == "conflict" else self.tr("退回"),
                ),
                Column(self.tr("原因"), self._reason),
            ],
            self,
        )
        self.batches_table = self._table(self.batches_model, "syncBatches", self.tr("批次"))
        self.issues_table = self._table(
            self.issues_model, "syncIssues", self.tr("待处理的退回与冲突")
        )
        self.issues_table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.resubmit_button = QPushButton(self.tr("修改后重新提交(&R)"), objectName="syncResubmit")
        self.accept_button = QPushButton(self.tr("采用县级记录(&A)"), objectName="syncAcceptServer")
        self.transfer_reason = QLineEdit(objectName="syncTransferReason")
        self.transfer_reason.setPlaceholderText(self.tr("转入原因，如“已迁入本镇居住”"))
        self.transfer_reason.setAccessibleName(self.tr("转入原因"))
        self.transfer_reason.setMaxLength(200)
        self.transfer_button = QPushButton(
            self.tr("申请转入(&T)"), objectName="syncRequestTransfer"
        )
        self.transfer_button.setAccessibleName(self.tr("申请转入"))
        self.transfer_button.setEnabled(False)
        self.transfer_button.clicked.connect(self.request_transfer)
        self.dismiss_note = QLineEdit(objectName="syncDismissNote")
        self.dismiss_note.setPlaceholderText(self.tr("不再处理的原因"))
        self.dismiss_note.setAccessibleName(self.tr("不再处理的原因"))
        self.dismiss_button = QPushButton(self.tr("不再处理(&D)"), objectName="syncDismiss")
        for button, action in (
            (self.resubmit_button, resubmit),
            (self.accept_button, accept_server),
            (self.dismiss_button, None),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, a=action: self._resolve(a))

        # Two rows each for the buttons above and below the lists: one row of all of them was
        # wider than a 1366×768 screen at 150 %.
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.cancel_button)
        # What `caseworker sync export` / `import-answer` do, for a desk with no network.
        self.files = SyncFileButtons(session, runner)
        self.files.finished.connect(self._files_done)
        files_row = QHBoxLayout()
        files_row.addStretch(1)
        files_row.addWidget(self.files)
        actions = QHBoxLayout()
        actions.addWidget(self.resubmit_button)
        actions.addWidget(self.accept_button)
        actions.addWidget(self.dismiss_note, 1)
        actions.addWidget(self.dismiss_button)
        transfer = QHBoxLayout()
        transfer.addWidget(self.transfer_reason, 1)
        transfer.addWidget(self.transfer_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(files_row)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(self.tr("批次")))
        layout.addWidget(self.batches_table, 1)
        layout.addWidget(QLabel(self.tr("退回与冲突（审核员处理冲突）")))
        layout.addWidget(self.issues_table, 1)
        layout.addLayout(actions)
        layout.addLayout(transfer)
        self.refresh()

    def _kind(self, entity_type: str) -> str:
        """The kind of record in the operator's words, not the wire name."""
        return {
            "person": self.tr("人员"),
            "enrolment": self.tr("参保"),
            "payment": self.tr("缴费"),
            "employer": self.tr("用人单位"),
            "household": self.tr("户"),
            "survey_entry": self.tr("入户调查"),
            "coverage": self.tr("参保状态"),
        }.get(entity_type, entity_type)

    def _record(self, item: QueueItem) -> str:
        """What the record is, codes in the interface's language (医疗保险：未参保 /
        Medical insurance: Not insured; 居民医疗 / Resident medical)."""
        codes = item.codes or {}
        if "line" in codes:
            return (
                self.tr("%1：%2")
                .replace("%1", code_label("coverage_line", codes["line"]))
                .replace("%2", code_label("coverage_status", codes.get("status")))
            )
        if "scheme" in codes and item.summary == codes["scheme"]:
            return scheme_short(codes["scheme"])
        return item.summary

    def _table(self, model: RecordTableModel, name: str, label: str) -> QTableView:
        table = QTableView(objectName=name)
        table.setAccessibleName(label)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        database = self.session.database

        def job(control: TaskControl) -> SyncSnapshot:
            return SyncSnapshot(
                sync_status(database),
                recent_batches(database),
                queue(database),
            )

        self.runner.submit(job, lane="read", on_success=self._show, on_failure=self._failed)

    def _show(self, snapshot: SyncSnapshot) -> None:
        status = snapshot.status
        self.summary.setText(
            self.tr(
                "待上传 {pending} 条 · 已接收 {accepted} 条 · 待处理 {issues} 条 · 上次成功同步 {last}"
            ).format(
                pending=status.pending + status.sending,
                accepted=status.accepted,
                issues=status.open_issues,
                last=_when(status.last_success),
            )
        )
        warning = in_language(status.guardrail_message, status.guardrail_message_en)
        self.warning.setText(warning if status.guardrail_message else "")
        self.warning.setVisible(bool(status.guardrail_message))
        unregistered = self.tr("本机尚未在县级服务器登记，可导出批次文件离线上报。")
        if not status.registered:
            self.message.setText(unregistered)
        elif self.message.text() == unregistered:
            self.message.clear()  # registered since (from the command line): no stale note
        self.sync_button.setEnabled(status.registered and self._task is None)
        self.batches_model.set_rows(snapshot.batches)
        self.issues_model.set_rows(snapshot.issues)
        self._selection_changed()
        self.status_changed.emit(status.pending + status.sending, status.last_success)
        self.refreshed.emit()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(_error_text(error))

    def _files_done(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # Counts move while the page is away (saves, a registration from the command line).
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    # --- syncing -------------------------------------------------------------------------

    def start_sync(self) -> None:
        if self._task is not None:
            return
        self._stop = threading.Event()
        stop, database = self._stop, self.session.database

        from caseworker.sync.client import Cancelled as SyncCancelled
        from caseworker.sync.run import run_sync

        def job(control: TaskControl) -> SyncReport:
            return run_sync(database, progress=control.report, stop=stop)

        self.progress.setRange(0, 0)  # busy until the first batch count arrives
        self.progress.setVisible(True)
        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.message.setText(self.tr("正在同步…"))
        self._task = self.runner.submit(
            job, lane="network", on_success=self._synced, on_failure=self._sync_failed
        )
        self._task.progress.connect(self._progress)
        self._task.cancelled.connect(lambda: self._sync_failed(SyncCancelled()))

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def cancel_sync(self) -> None:
        if self._task is not None:
            self._stop.set()
            self._task.cancel()
            self.cancel_button.setEnabled(False)

    def _done(self) -> None:
        self._task = None
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.refresh()

    def _synced(self, report: SyncReport) -> None:
        counts = " ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or self.tr(
            "没有待上传的记录"
        )
        self.message.setText(self.tr("同步完成：{counts}").format(counts=counts))
        self._done()
        self.sync_finished.emit(report)

    def _sync_failed(self, error: BaseException) -> None:
        from caseworker.sync.client import Cancelled as SyncCancelled

        if isinstance(error, SyncCancelled | Cancelled):
            self.message.setText(self.tr("同步已取消；已封装的批次下次继续发送。"))
        else:
            self.message.setText(self.tr("同步未完成：{error}").format(error=_error_text(error)))
        self._done()
        self.sync_finished.emit(error)

    # --- the queue -----------------------------------------------------------------------

    def selected_issue(self) -> QueueItem | None:
        rows = self.issues_table.selectionModel().selectedRows()
        return self.issues_model.row(rows[0].row()) if rows else None

    def _selection_changed(self, *args: Any) -> None:
        item = self.selected_issue()
        self.resubmit_button.setEnabled(item is not None)
        # Another centre's person has no county copy to take: the way is a transfer.
        self.accept_button.setEnabled(
            item is not None and item.server_copy is not None and not item.can_request_transfer
        )
        self.transfer_button.setEnabled(
            item is not None and item.can_request_transfer and self._task is None
        )
        self.dismiss_button.setEnabled(item is not None)

    def _reason(self, item: QueueItem) -> str:
        held = item.elsewhere
        if item.can_request_transfer and held:
            return self.tr("已在{centre}登记（{id_number} {name}）— 申请转入").format(
                centre=held.get("centre_name", ""),
                id_number=held.get("id_number_masked", ""),
                name=held.get("name_masked", ""),
            )
        if item.code == "not_owner" and item.owner:
            return self.tr("由{centre}管理，本中心不能修改；如已迁入，请申请转入").format(
                centre=item.owner.get("centre_name", "")
            )
        if item.code == "already_paid" and item.message:
            # The county says it in both languages, "中文 / English".
            chinese, _, english = item.message.partition(" / ")
            return self.tr("重复缴费，本机收据应作废：{detail}").format(
                detail=in_language(chinese, english)
            )
        return f"{item.code}: {item.message or ''}"

    def request_transfer(self) -> None:
        """Ask the county for the selected duplicate's person (on the network lane)."""
        item = self.selected_issue()
        if item is None or not item.can_request_transfer:
            return
        reason = self.transfer_reason.text().strip()
        if not reason:
            self.message.setText(self.tr("请先写明转入原因。"))
            self.transfer_reason.setFocus()
            return
        database, actor = self.session.database, self.session.actor
        from caseworker.sync.transfers import request_transfer

        def job(control: TaskControl) -> Any:
            return request_transfer(database, actor, item.seq, reason)

        def done(info: Any) -> None:
            self.message.setText(
                self.tr("已申请转入，等待县级审批；批准后下次同步即由本中心管理。")
            )
            self.transfer_reason.clear()
            self.refresh()
            self.transfer_requested.emit(info)

        self.transfer_button.setEnabled(False)
        self.runner.submit(job, lane="network", on_success=done, on_failure=self._transfer_failed)

    def _transfer_failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("转入申请未送达：{error}").format(error=_error_text(error)))
        self.refresh()
        self.transfer_requested.emit(error)

    def _resolve(self, action: Any) -> None:
        item = self.selected_issue()
        if item is None:
            return
        database, actor, note = self.session.database, self.session.actor, self.dismiss_note.text()

        def job(control: TaskControl) -> None:
            if action is None:
                dismiss(database, actor, item.seq, note)
            else:
                action(database, actor, item.seq)

        def done(_: object) -> None:
            self.message.setText(self.tr("已处理。"))
            self.dismiss_note.clear()
            self.refresh()

        self.runner.submit(job, lane="write", on_success=done, on_failure=self._failed)

"""The daily close (日结) of one operator's day: what the store expects, the cash counted.

The expected figures come from ``day_close.day_totals`` (read on the runner before the dialog
opens); the supervisor types the cash counted in yuan with fen, sees the difference as they
type, and writes a note when there is one. The close itself is written on the write lane,
where the figures are taken again in the same transaction as the close.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.errors import InvalidValue
from caseworker.domain.money import format_yuan, parse_yuan
from caseworker.services.centre import OpenSession
from caseworker.services.day_close import NOTE_MIN, CloseRecord, DayTotals, close_day
from caseworker.services.errors import ServiceError, ValidationFailed
from caseworker.ui.i18n import message_for
from caseworker.ui.models.payments import method_label
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.common import Banner, FieldBox, add_dialog_buttons


class DayCloseDialog(QDialog):
    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner,
        totals: DayTotals,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dayCloseDialog")
        self.session = session
        self.runner = runner
        self.totals = totals
        self.record: CloseRecord | None = None
        self._busy = False
        self.setWindowTitle(self.tr("日结"))
        self.setMinimumWidth(500)

        title = QLabel(
            self.tr("%1 的 %2 日结")
            .replace("%1", totals.operator_name)
            .replace("%2", totals.day.isoformat())
        )
        title.setObjectName("dayCloseTitle")
        set_role(title, "heading")
        self.banner = Banner("dayCloseBanner")
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        others = ", ".join(
            f"{method_label(m)} {format_yuan(v)}"
            for m, v in sorted(totals.by_method.items())
            if m != "cash" and v
        )
        for key, caption, text in (
            (
                "receipts",
                self.tr("收据"),
                self.tr("%1 张（%2 行）")
                .replace("%1", str(totals.receipts))
                .replace("%2", str(totals.receipt_lines)),
            ),
            (
                "voids",
                self.tr("作废（不计入）"),
                self.tr("%1 行，%2 元")
                .replace("%1", str(totals.voids))
                .replace("%2", format_yuan(totals.voided_fen)),
            ),
            (
                "collected",
                self.tr("个人实收合计"),
                self.tr("%1 元").replace("%1", format_yuan(totals.collected_fen)),
            ),
            ("others", self.tr("其中非现金"), others or self.tr("无")),
            (
                "expected",
                self.tr("应收现金"),
                self.tr("%1 元").replace("%1", format_yuan(totals.expected_cash_fen)),
            ),
        ):
            label = QLabel(text)
            label.setObjectName(f"dayClose_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            form.addRow(caption, label)
        set_role(self.values["expected"], "heading")

        self.counted = QLineEdit()
        self.counted.setObjectName("countedCash")
        self.counted.setAccessibleName(self.tr("实点现金（元）"))
        self.counted.setPlaceholderText(self.tr("如 1,250.50"))
        self.counted_box = FieldBox(self.counted, name="countedCash")
        counted_label = QLabel(self.tr("实点现金（元）(&C)"))
        counted_label.setBuddy(self.counted)
        form.addRow(counted_label, self.counted_box)
        self.difference = QLabel("—")
        self.difference.setObjectName("dayCloseDifference")
        self.difference.setAccessibleName(self.tr("差额"))
        set_role(self.difference, "heading")
        form.addRow(self.tr("差额（实点−应收）"), self.difference)
        self.note = QLineEdit()
        self.note.setObjectName("dayCloseNote")
        self.note.setAccessibleName(self.tr("说明"))
        self.note.setMaxLength(200)
        self.note_box = FieldBox(self.note, name="dayCloseNote")
        note_label = QLabel(self.tr("说明(&N)"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note_box)

        self.confirm_button = QPushButton(self.tr("确认日结"))
        self.confirm_button.setObjectName("confirmDayClose")
        self.confirm_button.setAccessibleName(self.tr("确认日结"))
        self.confirm_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.confirm_button.setToolTip("Ctrl+Enter")
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelDayClose")
        self.cancel_button.setAccessibleName(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        add_dialog_buttons(layout, confirm=self.confirm_button, dismiss=self.cancel_button)

        self.counted.textChanged.connect(self._update)
        self.note.textChanged.connect(self._update)
        self.counted.returnPressed.connect(self.note.setFocus)
        self.note.returnPressed.connect(self.confirm)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)
        self.counted.setFocus()
        self._update()

    def counted_fen(self) -> int | None:
        """The counted cash as typed, or None while it is empty or cannot be read."""
        try:
            return parse_yuan(self.counted.text())
        except InvalidValue:
            return None

    def _update(self) -> None:
        text = self.counted.text().strip()
        fen: int | None = None
        if text:
            try:
                fen = parse_yuan(text)
                self.counted_box.clear()
            except InvalidValue as error:
                self.counted_box.set_error(message_for(error))
        else:
            self.counted_box.clear()
        if fen is None:
            self.difference.setText("—")
            set_tone(self.difference, None)
            self.confirm_button.setEnabled(False)
            return
        difference = fen - self.totals.expected_cash_fen
        # In words as well as colour: 不符 or 相符.
        self.difference.setText(
            self.tr("%1 元（不符）").replace("%1", format_yuan(difference))
            if difference
            else self.tr("0.00 元（相符）")
        )
        set_tone(self.difference, "error" if difference else "success")
        note_missing = bool(difference) and len(self.note.text().strip()) < NOTE_MIN
        if note_missing:
            self.note_box.set_warning(self.tr("有差额时必须写明原因（至少2个字）。"))
        else:
            self.note_box.clear()
        self.confirm_button.setEnabled(not note_missing and not self._busy)

    def confirm(self) -> None:
        fen = self.counted_fen()
        if fen is None or self._busy or not self.confirm_button.isEnabled():
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self.banner.show_message(self.tr("正在日结……"), "info")
        database, actor, totals = self.session.database, self.session.actor, self.totals
        note = self.note.text()
        self.runner.submit(
            lambda control: close_day(
                database,
                actor,
                operator_id=totals.operator_id,
                day=totals.day,
                counted_cash_fen=fen,
                note=note,
            ),
            lane="write",
            on_success=self._closed,
            on_failure=self._failed,
        )

    def _closed(self, record: CloseRecord) -> None:
        self._busy = False
        self.record = record
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, ValidationFailed):
            fields = error.by_field()
            if "note" in fields:
                self.note_box.set_error(message_for(fields["note"]))
            if "counted_cash" in fields:
                self.counted_box.set_error(message_for(fields["counted_cash"]))
            self.banner.show_message(message_for(error), "error")
        elif isinstance(error, ServiceError):
            self.banner.show_message(message_for(error), "error")
        else:
            self.banner.show_message(self.tr("日结失败：") + str(error), "error")
        self.confirm_button.setEnabled(True)

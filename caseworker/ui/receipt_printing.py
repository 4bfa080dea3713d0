"""Receipts in the preview: the original goes out once, every later print or PDF is a copy.

``ReceiptPreviewDialog`` shows what ``services.receipt_issue.receipt_output`` decided (the
original, or a copy marked 副本) and says which it is. Only after the printer has taken the
pages or the file is written does it call ``record_output`` (on the runner's write lane when
there is a runner): the original is then recorded as issued and the dialog switches to the
copy, so pressing 打印 again prints a 副本, audited like every copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from caseworker.services import documents, receipt_issue
from caseworker.services.centre import OpenSession
from caseworker.services.documents_settings import receipt_placement
from caseworker.services.errors import ServiceError
from caseworker.services.receipt_issue import ReceiptOutput
from caseworker.ui.i18n import message_for
from caseworker.ui.printing import Placement, PrintPreviewDialog, run_batch, show_preview, tell
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import Task, TaskControl, TaskRunner


@dataclass(frozen=True)
class ReceiptToPrint:
    """A receipt built on the runner, with where its pages go on the printer's paper."""

    output: ReceiptOutput
    placement: Placement


def receipt_to_print(
    session: OpenSession, receipt_number: str, *, copy: bool = False, paper: str | None = None
) -> ReceiptToPrint:
    """The receipt ``receipt_issue`` decides on (run it on the runner: it reads the store),
    on ``paper`` or the centre's, placed as the centre sets for A5."""
    database, actor = session.database, session.actor
    output = receipt_issue.receipt_output(database, actor, receipt_number, copy=copy, paper=paper)
    return ReceiptToPrint(output, _placement(session, paper))


def _placement(session: OpenSession, paper: str | None) -> Placement:
    database = session.database
    if (paper or documents.receipt_paper(database)) != "a5":
        return "own"  # the roll's page is the roll
    return "a4_top" if receipt_placement(database) == "a4_top" else "own"


class ReceiptPreviewDialog(PrintPreviewDialog):
    def __init__(
        self,
        output: ReceiptOutput,
        session: OpenSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        placement: Placement = "own",
    ) -> None:
        super().__init__(output.result, parent)
        self.output = output
        self.session = session
        self.runner = runner
        self.placement = placement
        self.recorded = 0  # outputs recorded from this dialog
        self.edition = QLabel(self)
        self.edition.setObjectName("receiptEdition")
        self.edition.setWordWrap(True)
        self.layout().insertWidget(0, self.edition)
        self._show_edition()

    def _show_edition(self) -> None:
        if self.output.original:
            self.edition.setText(
                self.tr("这是收据原件，只出具一次：打印或保存之后，再打印的都是副本。")
            )
            set_role(self.edition, "strong")
            set_tone(self.edition, "success")
        else:
            self.edition.setText(self.tr("副本：原件已经出具。每次打印或保存副本都记入审计日志。"))
            set_role(self.edition, "strong")
            set_tone(self.edition, "warning")

    def delivered(self, medium: str) -> None:
        """The paper or file exists now: record it, and after the original show the copy."""
        output, database, actor = self.output, self.session.database, self.session.actor
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

        def record(_control: TaskControl) -> ReceiptOutput | None:
            receipt_issue.record_output(database, actor, output, medium)  # type: ignore[arg-type]
            if not output.original:
                return None
            (number,) = output.receipt_numbers
            return receipt_issue.receipt_output(database, actor, number, copy=True)

        self.runner.submit(
            record, lane="write", on_success=self._recorded, on_failure=self._not_recorded
        )

    def _recorded(self, copy: ReceiptOutput | None) -> None:
        self.recorded += 1
        if copy is not None:
            self.output = copy
            self.show_result(copy.result)
            self._show_edition()
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _not_recorded(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        tell(self, message_for(error))


def print_day_receipts(
    parent: QWidget | None,
    runner: TaskRunner,
    session: OpenSession,
    day: date,
    *,
    on_done: Callable[[ReceiptOutput], None] | None = None,
) -> Task:
    """Copies of every receipt of ``day`` in one document, each audited once it went out."""
    database, actor = session.database, session.actor

    def job(control: TaskControl) -> ReceiptToPrint:
        numbers = documents.receipt_numbers_for_day(database, day)
        if not numbers:
            raise ServiceError("empty", f"{day} 没有收据。", f"No receipts on {day}.")

        def progress(done: int, total: int) -> None:
            control.check()
            control.report(done, total, f"{done}/{total}")

        output = receipt_issue.receipts_output(database, actor, numbers, progress=progress)
        return ReceiptToPrint(output, _placement(session, None))

    def done(ready: ReceiptToPrint) -> None:
        if on_done is not None:
            on_done(ready.output)
        else:
            dialog = ReceiptPreviewDialog(ready.output, session, runner, parent, ready.placement)
            show_preview(dialog)

    label = QCoreApplication.translate("Printing", "正在生成 %1 的收据…").replace("%1", str(day))
    return run_batch(parent, runner, label, job, done)  # type: ignore[arg-type]

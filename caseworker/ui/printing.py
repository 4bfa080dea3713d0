"""Print preview, printing and "save as PDF" for the documents ``services.documents`` builds.

Entry points for the screens (each returns the dialog it opened):
- ``preview_enrolment_form(parent, session, person_ref)`` after saving an enrolment;
- ``preview_receipt(parent, session, receipt_number, reprint=False)`` after a payment: the
  original once, copies after (``ui.receipt_printing``, ``services.receipt_issue``);
- ``preview_void_slip(parent, session, receipt_number)`` after a void;
- ``preview_daily_report(parent, session, day)``, ``preview_remittance(parent, session, day)``
  and ``preview_survey(parent, session,
  village_code, blank=False)``;
- ``print_day_receipts(parent, runner, session, day)``: copies of every receipt of a day,
  built on the background runner with progress and cancel, then previewed.

A document with characters no font has opens with a red warning naming them, and printing
or saving it asks the operator to confirm first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.printing.fonts import describe_missing
from caseworker.printing.layout import PrintResult
from caseworker.services import documents, receipt_issue
from caseworker.services.centre import OpenSession
from caseworker.services.errors import ServiceError
from caseworker.services.receipt_issue import ReceiptOutput
from caseworker.ui.i18n import message_for
from caseworker.ui.tasks import Task, TaskControl, TaskRunner


class PdfError(Exception):
    """The PDF could not be opened for preview or printing (a defect, not operator error)."""


def open_pdf(pdf: bytes, parent: QWidget | None = None) -> QPdfDocument:
    """A QPdfDocument over ``pdf`` held in memory (the buffer lives as the document's child)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PdfError(f"PDF could not be opened: {document.error()}")
    return document


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Render each page at the printer's resolution and paint it; returns pages printed."""
    document = open_pdf(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfError(f"the printer {printer.printerName()!r} could not be opened")
    pages = document.pageCount()
    try:
        dpi = printer.resolution()
        for index in range(pages):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(index, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.x(), target.y(), image.scaled(scaled))
    finally:
        painter.end()
        document.close()
    return pages


class PrintPreviewDialog(QDialog):
    """The document as it will print, with 打印 (Ctrl+P), 另存为 PDF (Ctrl+S) and 关闭."""

    def __init__(self, result: PrintResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("打印预览 — %1").replace("%1", result.title))
        self.resize(900, 1000)
        self.document = open_pdf(result.pdf, self)
        layout = QVBoxLayout(self)

        self.warning = QLabel(self)
        self.warning.setObjectName("missingCharacters")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00000; font-weight: bold;")
        self.warning.setVisible(bool(result.missing))
        if result.missing:
            self.warning.setText(
                self.tr(
                    "注意：没有任何已安装字体含有 %1，这些字印为 [U+编码]，需手写补正；"
                    "或请管理员指定含这些字的字体后重新打印。"
                ).replace("%1", describe_missing(result.missing))
            )
        layout.addWidget(self.warning)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setAccessibleName(self.tr("打印预览"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        self.pages = QLabel(self.tr("共 %1 页").replace("%1", str(self.document.pageCount())))
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        self.print_button = self._button(
            buttons, "printButton", self.tr("打印…"), self.choose_printer
        )
        self.save_button = self._button(buttons, "saveButton", self.tr("另存为 PDF…"), self.save_as)
        self._button(buttons, "closeButton", self.tr("关闭"), self.reject)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Print, self, self.choose_printer)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

    def _button(
        self, row: QHBoxLayout, name: str, text: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def confirm_missing(self) -> bool:
        """With missing characters the operator must say yes before anything leaves the app."""
        if not self.result.missing:
            return True
        answer = QMessageBox.warning(
            self,
            self.tr("缺字"),
            self.warning.text() + "\n\n" + self.tr("仍要继续吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_printer(self) -> None:
        if not self.confirm_missing():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        printer.setDocName(self.result.title)
        try:
            pages = print_pdf(self.result.pdf, printer)
        except PdfError as error:
            QMessageBox.critical(self, self.tr("打印失败"), str(error))
            return 0
        self.delivered("printer")
        return pages

    def save_as(self) -> None:
        if not self.confirm_missing():
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), f"{self.result.title}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        try:
            path.write_bytes(self.result.pdf)
        except OSError as error:
            QMessageBox.critical(self, self.tr("保存失败"), f"{path}: {error.strerror}")
            return False
        self.delivered("file")
        return True

    def delivered(self, medium: str) -> None:
        """The document went out (``printer`` or ``file``); receipts record it here."""

    def show_result(self, result: PrintResult) -> None:
        """Show another version of the document (a receipt's copy once its original is out)."""
        old = self.document
        self.result = result
        self.document = open_pdf(result.pdf, self)
        self.view.setDocument(self.document)
        self.setWindowTitle(self.tr("打印预览 — %1").replace("%1", result.title))
        self.pages.setText(self.tr("共 %1 页").replace("%1", str(self.document.pageCount())))
        old.close()
        old.deleteLater()


_open_boxes: set[QMessageBox] = set()
Preview = TypeVar("Preview", bound=PrintPreviewDialog)


def tell(parent: QWidget | None, message: str) -> QMessageBox:
    """A warning that does not block the event loop (the caller carries on)."""
    title = QCoreApplication.translate("Printing", "无法打印")
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setObjectName("printProblem")
    # Without a parent nothing would own the box: keep it until the operator closes it.
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


def show_preview(dialog: Preview) -> Preview:
    """Show a preview that deletes itself when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_preview(parent: QWidget | None, make: Callable[[], Preview]) -> Preview | None:
    """The preview ``make`` builds, shown; a service's refusal is told instead."""
    try:
        dialog = make()
    except ServiceError as error:
        tell(parent, message_for(error))
        return None
    return show_preview(dialog)


def _preview(parent: QWidget | None, make: Callable[[], PrintResult]) -> PrintPreviewDialog | None:
    return open_preview(parent, lambda: PrintPreviewDialog(make(), parent))


def preview_enrolment_form(
    parent: QWidget | None, session: OpenSession, person_ref: str
) -> PrintPreviewDialog | None:
    """参保登记表 of a person (ID number or UUID), previewed for printing and signature."""
    return _preview(parent, lambda: documents.enrolment_form_pdf(session.database, person_ref))


def preview_receipt(
    parent: QWidget | None,
    session: OpenSession,
    receipt_number: str,
    reprint: bool = False,
    runner: TaskRunner | None = None,
) -> PrintPreviewDialog | None:
    """缴费凭证 on the centre's receipt paper: the original if it never went out, else a
    copy (副本); ``reprint`` asks for a copy. What goes out is recorded after it went out."""
    from caseworker.ui.receipt_printing import ReceiptPreviewDialog

    database, actor = session.database, session.actor
    return open_preview(
        parent,
        lambda: ReceiptPreviewDialog(
            receipt_issue.receipt_output(database, actor, receipt_number, copy=reprint),
            session,
            runner,
            parent,
        ),
    )


def preview_void_slip(
    parent: QWidget | None, session: OpenSession, receipt_number: str
) -> PrintPreviewDialog | None:
    """作废凭证 of a voided receipt, offered right after the void."""
    from caseworker.services.void_slips import void_slip_pdf

    return _preview(parent, lambda: void_slip_pdf(session.database, receipt_number))


def preview_receipts(
    parent: QWidget | None, session: OpenSession, receipt_numbers: list[str]
) -> PrintPreviewDialog | None:
    """A visit's receipts, one per scheme where the centre issues them so, in one preview."""
    return _preview(parent, lambda: documents.receipts_pdf(session.database, receipt_numbers))


def preview_daily_report(
    parent: QWidget | None, session: OpenSession, day: date
) -> PrintPreviewDialog | None:
    return _preview(parent, lambda: documents.daily_report_pdf(session.database, day))


def preview_remittance(
    parent: QWidget | None, session: OpenSession, day: date
) -> PrintPreviewDialog | None:
    """现金解缴清单 of ``day``: a clerk's own receipts, a supervisor's every operator's."""
    from caseworker.services.remittance import remittance_pdf

    return _preview(parent, lambda: remittance_pdf(session.database, session.actor, day))


def preview_survey(
    parent: QWidget | None, session: OpenSession, village_code: str, blank: bool = False
) -> PrintPreviewDialog | None:
    return _preview(
        parent, lambda: documents.survey_pdf(session.database, village_code, blank=blank)
    )


def run_batch(
    parent: QWidget | None,
    runner: TaskRunner,
    label: str,
    job: Callable[[TaskControl], PrintResult],
    on_done: Callable[[PrintResult], None] | None = None,
) -> Task:
    """Build a many-page document off the UI thread with a progress dialog that cancels it;
    ``on_done`` gets the result (by default it opens the preview)."""
    cancel = QCoreApplication.translate("Printing", "取消")
    progress = QProgressDialog(label, cancel, 0, 0, parent)
    progress.setObjectName("batchPrintProgress")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def finished() -> None:
        progress.reset()
        progress.deleteLater()

    def succeeded(result: PrintResult) -> None:
        if on_done:
            on_done(result)
        else:
            show_preview(PrintPreviewDialog(result, parent))

    def failed(error: BaseException) -> None:
        tell(parent, message_for(error))

    task = runner.submit(job, lane="read", on_success=succeeded, on_failure=failed)
    if task.done:  # the synchronous runner (tests) has finished already
        finished()
        return task

    def advance(done: int, total: int, _text: str) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    task.progress.connect(advance)
    progress.canceled.connect(task.cancel)
    task.finished.connect(finished)
    return task


def print_day_receipts(
    parent: QWidget | None,
    runner: TaskRunner,
    session: OpenSession,
    day: date,
    *,
    on_done: Callable[[ReceiptOutput], None] | None = None,
) -> Task:
    """Copies (副本) of every receipt of ``day`` in one document, built on the runner."""
    from caseworker.ui.receipt_printing import print_day_receipts as build

    return build(parent, runner, session, day, on_done=on_done)

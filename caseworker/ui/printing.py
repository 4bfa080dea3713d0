"""Print preview, printing and "save as PDF" for the documents ``services.documents`` builds.

Entry points for the screens. Each builds its document on the runner's read lane (the
database is never read or written on the UI thread), opens the preview on the UI thread when
it is ready, and returns the ``Task``; ``on_open`` gets the dialog:
- ``preview_enrolment_form(parent, session, person_ref, runner)`` after saving an enrolment;
- ``preview_receipt(parent, session, receipt_number, runner, reprint=False)`` after a
  payment: the original once, copies after (``ui.receipt_printing``,
  ``services.receipt_issue``); ``ui.desk_printing`` prints it without a preview;
- ``preview_void_slip(parent, session, receipt_number, runner)`` after a void;
- ``preview_daily_report(parent, session, day, runner)``, ``preview_remittance(...)`` and
  ``preview_survey(parent, session, village_code, runner, blank=False)``;
- ``print_day_receipts(parent, runner, session, day)``: copies of every receipt of a day,
  built on the background runner with progress and cancel, then previewed.

A document with characters no font has opens with a red warning naming them, and printing
or saving it asks the operator to confirm first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QRect,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
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
from caseworker.services import documents
from caseworker.services.centre import OpenSession
from caseworker.services.receipt_issue import ReceiptOutput
from caseworker.ui.i18n import message_for
from caseworker.ui.style import set_role, set_tone
from caseworker.ui.tasks import Task, TaskControl, TaskRunner
from caseworker.ui.widgets.common import add_dialog_buttons


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


# How the pages go onto the printer's paper:
# - "fit": scaled to the printer's page (forms and lists, on whatever the printer holds);
# - "own": the paper is the document's own size, printed at actual size (an A5 receipt on
#   A5, the 80 mm roll's page on the roll);
# - "a4_top": at actual size on the upper half of an A4 sheet (an A5 receipt where the
#   printer holds only A4; the centre's setting ``printing.receipt_placement``).
Placement = Literal["fit", "own", "a4_top"]


def print_pdf(pdf: bytes, printer: QPrinter, placement: Placement = "fit") -> int:
    """Render each page at the printer's resolution and paint it; returns pages printed."""
    document = open_pdf(pdf)
    if document.pageCount() and placement != "fit":
        _set_paper(printer, document.pagePointSize(0), placement)
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
            if placement == "fit":
                target = painter.viewport()
                scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled))
            else:  # actual size from the paper's top left corner (a full-page printer)
                painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
        document.close()
    return pages


def _set_paper(printer: QPrinter, points: QSizeF, placement: Placement) -> None:
    """The paper for ``placement``: the page's own size, or A4 portrait; no margins, since
    the documents carry their own."""
    if placement == "a4_top":
        size = QPageSize(QPageSize.PageSizeId.A4)
        orientation = QPageLayout.Orientation.Portrait
    else:
        short, long = sorted((points.width(), points.height()))
        size = QPageSize(
            QSizeF(short, long),
            QPageSize.Unit.Point,
            "",
            QPageSize.SizeMatchPolicy.FuzzyMatch,
        )
        landscape = points.width() > points.height()
        orientation = (
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))


def preview_size(available: QSize) -> QSize:
    """900×1000 where the screen has room; inside it, frame and taskbar included, on a
    1366×768 laptop (the dialog used to open 1000 high whatever the screen)."""
    return QSize(min(900, available.width() - 40), min(1000, available.height() - 60))


class PrintPreviewDialog(QDialog):
    """The document as it will print, with 打印 (Ctrl+P), 另存为 PDF (Ctrl+S) and 关闭."""

    placement: Placement = "fit"  # receipts print on their paper (``ReceiptPreviewDialog``)

    def __init__(self, result: PrintResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("打印预览 — %1").replace("%1", result.title))
        screen = self.screen()
        self.resize(preview_size(screen.availableGeometry().size()) if screen else QSize(900, 700))
        self.document = open_pdf(result.pdf, self)
        layout = QVBoxLayout(self)

        self.warning = QLabel(self)
        self.warning.setObjectName("missingCharacters")
        self.warning.setWordWrap(True)
        set_role(self.warning, "strong")
        set_tone(self.warning, "error")
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
        layout.addLayout(buttons)
        self.print_button = self._button("printButton", self.tr("打印…"), self.choose_printer)
        self.save_button = self._button("saveButton", self.tr("另存为 PDF…"), self.save_as)
        close = self._button("closeButton", self.tr("关闭"), self.reject)
        add_dialog_buttons(
            buttons, confirm=self.print_button, dismiss=close, actions=(self.save_button,)
        )
        QShortcut(QKeySequence.StandardKey.Print, self, self.choose_printer)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
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
            pages = print_pdf(self.result.pdf, printer, self.placement)
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


Built = TypeVar("Built")
OnOpen = Callable[[PrintPreviewDialog], None] | None  # called with the preview once it opened


def open_preview(
    parent: QWidget | None,
    runner: TaskRunner,
    build: Callable[[], Built],
    make: Callable[[Built], Preview],
    on_open: Callable[[Preview], None] | None = None,
) -> Task:
    """``build`` (the database work) on the runner's read lane, then the preview ``make``
    makes of it, shown on the UI thread; a refusal or failure is told instead."""

    def opened(built: Built) -> None:
        try:
            dialog = show_preview(make(built))
        except PdfError as error:
            tell(parent, str(error))
            return
        if on_open is not None:
            on_open(dialog)

    def failed(error: BaseException) -> None:
        tell(parent, message_for(error))

    return runner.submit(lambda _control: build(), on_success=opened, on_failure=failed)


def _preview(
    parent: QWidget | None,
    runner: TaskRunner,
    build: Callable[[], PrintResult],
    on_open: Callable[[Any], None] | None = None,
) -> Task:
    return open_preview(
        parent, runner, build, lambda result: PrintPreviewDialog(result, parent), on_open
    )


def preview_enrolment_form(
    parent: QWidget | None,
    session: OpenSession,
    person_ref: str,
    runner: TaskRunner,
    on_open: OnOpen = None,
) -> Task:
    """参保登记表 of a person (ID number or UUID), previewed for printing and signature."""
    database = session.database
    return _preview(
        parent, runner, lambda: documents.enrolment_form_pdf(database, person_ref), on_open
    )


def preview_receipt(
    parent: QWidget | None,
    session: OpenSession,
    receipt_number: str,
    runner: TaskRunner,
    reprint: bool = False,
    on_open: Callable[[Any], None] | None = None,
) -> Task:
    """缴费凭证 on the centre's receipt paper: the original if it never went out, else a
    copy (副本); ``reprint`` asks for a copy. What goes out is recorded after it went out."""
    from caseworker.ui.receipt_printing import ReceiptPreviewDialog, receipt_to_print

    return open_preview(
        parent,
        runner,
        lambda: receipt_to_print(session, receipt_number, copy=reprint),
        lambda ready: ReceiptPreviewDialog(ready.output, session, runner, parent, ready.placement),
        on_open,
    )


def preview_void_slip(
    parent: QWidget | None,
    session: OpenSession,
    receipt_number: str,
    runner: TaskRunner,
    on_open: OnOpen = None,
) -> Task:
    """作废凭证 of a voided receipt, offered right after the void."""
    from caseworker.services.void_slips import void_slip_pdf

    database = session.database
    return _preview(parent, runner, lambda: void_slip_pdf(database, receipt_number), on_open)


def preview_receipts(
    parent: QWidget | None,
    session: OpenSession,
    receipt_numbers: list[str],
    runner: TaskRunner,
    on_open: OnOpen = None,
) -> Task:
    """A visit's receipts, one per scheme where the centre issues them so, in one preview."""
    database, numbers = session.database, list(receipt_numbers)
    return _preview(parent, runner, lambda: documents.receipts_pdf(database, numbers), on_open)


def preview_daily_report(
    parent: QWidget | None,
    session: OpenSession,
    day: date,
    runner: TaskRunner,
    on_open: OnOpen = None,
) -> Task:
    database = session.database
    return _preview(parent, runner, lambda: documents.daily_report_pdf(database, day), on_open)


def preview_remittance(
    parent: QWidget | None,
    session: OpenSession,
    day: date,
    runner: TaskRunner,
    on_open: OnOpen = None,
) -> Task:
    """现金解缴清单 of ``day``: a clerk's own receipts, a supervisor's every operator's."""
    from caseworker.services.remittance import remittance_pdf

    database, actor = session.database, session.actor
    return _preview(parent, runner, lambda: remittance_pdf(database, actor, day), on_open)


def preview_survey(
    parent: QWidget | None,
    session: OpenSession,
    village_code: str,
    runner: TaskRunner,
    blank: bool = False,
    on_open: OnOpen = None,
) -> Task:
    database = session.database
    return _preview(
        parent,
        runner,
        lambda: documents.survey_pdf(database, village_code, blank=blank),
        on_open,
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

"""One key prints the receipt: no dialog, straight to this desk's receipt printer.

Where it goes is this computer's preference (``ui.preferences.ROLL_PRINTER``): an 80 mm
ESC/POS roll printer on a serial port or device file gets the receipt's roll80 page as a
raster (``printing.roll_printer``); without one, the system's default printer gets the
centre's receipt paper, an A5 receipt on A5 or on the top half of A4 as the centre sets. The
preview (and its printer chooser) stays one key away.

The work is split by lane: the receipt is built on the read lane, rendered and handed to the
system printer on the UI thread (Qt's printing lives there), sent to a roll printer on the
device lane (a serial port may be slow or gone), and recorded on the write lane only after
the printer took it. A failure records nothing and says what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from caseworker.printing.roll_printer import ROLL_DOTS, RollPrinter, RollPrinterError, print_pages
from caseworker.services import receipt_issue
from caseworker.services.centre import OpenSession
from caseworker.ui.i18n import message_for
from caseworker.ui.preferences import ROLL_PRINTER
from caseworker.ui.printing import PdfError, open_pdf, print_pdf, tell
from caseworker.ui.receipt_printing import ReceiptToPrint, receipt_to_print
from caseworker.ui.tasks import Task, TaskRunner


def roll_printer() -> RollPrinter | None:
    """This computer's ESC/POS roll printer, if one is set."""
    device = str(ROLL_PRINTER.get() or "").strip()
    return RollPrinter(device) if device else None


def render_for_roll(pdf: bytes) -> list[Image.Image]:
    """Each page as a greyscale image ``ROLL_DOTS`` wide (the 80 mm head's dots)."""
    document = open_pdf(pdf)
    try:
        pages = []
        for index in range(document.pageCount()):
            points = document.pagePointSize(index)
            size = QSize(ROLL_DOTS, round(points.height() * ROLL_DOTS / points.width()))
            # QtPdf leaves the paper transparent, which reads as black: lay it on white.
            image = QImage(size, QImage.Format.Format_Grayscale8)
            image.fill(Qt.GlobalColor.white)
            painter = QPainter(image)
            painter.drawImage(0, 0, document.render(index, size))
            painter.end()
            data = bytes(image.constBits())
            pages.append(
                Image.frombuffer(
                    "L", (size.width(), size.height()), data, "raw", "L", image.bytesPerLine(), 1
                )
            )
        return pages
    finally:
        document.close()


def default_printer() -> QPrinter:
    """The system's default printer, or ``PdfError`` saying how to get one."""
    info = QPrinterInfo.defaultPrinter()
    if info.isNull() or not info.printerName():
        raise PdfError(
            QCoreApplication.translate(
                "DeskPrinting",
                "这台电脑没有默认打印机：请在系统设置里设定默认打印机，"
                "或在设置页填写卷纸打印机端口；也可以按 Ctrl+Shift+P 预览后选择打印机。",
            )
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_receipts_now(
    parent: QWidget | None,
    session: OpenSession,
    runner: TaskRunner,
    receipt_numbers: list[str],
    *,
    on_done: Callable[[int], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    printer: Callable[[], QPrinter] = default_printer,
) -> Task:
    """Each receipt's original (a copy once the original went out) to this desk's receipt
    printer; ``on_done(count)`` once all were printed and recorded, ``on_failed(error)``
    after the operator was told why not. ``printer`` gives the system printer (tests hand a
    PDF-file QPrinter)."""
    roll = roll_printer()
    numbers = list(receipt_numbers)

    def build(_control: object) -> list[ReceiptToPrint]:
        paper = "roll80" if roll is not None else None
        return [receipt_to_print(session, number, paper=paper) for number in numbers]

    def built(ready: list[ReceiptToPrint]) -> None:
        try:
            if roll is not None:
                pages = [page for r in ready for page in render_for_roll(r.output.result.pdf)]
                runner.submit(
                    lambda _control: print_pages(roll, pages),
                    lane="device",
                    on_success=lambda _none: record(ready),
                    on_failure=failed,
                )
                return
            for item in ready:
                target = printer()
                target.setDocName(item.output.result.title)
                print_pdf(item.output.result.pdf, target, item.placement)
        except PdfError as error:
            failed(error)
            return
        record(ready)

    def record(ready: list[ReceiptToPrint]) -> None:
        database, actor = session.database, session.actor

        def write(_control: object) -> int:
            for item in ready:
                receipt_issue.record_output(database, actor, item.output, "printer")
            return len(ready)

        runner.submit(
            write,
            lane="write",
            on_success=on_done or (lambda _count: None),
            on_failure=failed,
        )

    def failed(error: BaseException) -> None:
        if isinstance(error, PdfError):
            tell(parent, str(error))
        elif isinstance(error, RollPrinterError):
            tell(
                parent,
                QCoreApplication.translate(
                    "DeskPrinting",
                    "卷纸打印机 %1 没有收到收据（%2）：请检查电源、纸和连接线后再按打印。",
                )
                .replace("%1", error.device)
                .replace("%2", error.reason),
            )
        else:
            tell(parent, message_for(error))
        if on_failed is not None:
            on_failed(error)

    return runner.submit(build, on_success=built, on_failure=failed)

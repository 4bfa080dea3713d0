"""One key prints the receipt: to the desk's ESC/POS roll printer (a device file, bytes read
back), or to the system printer on the receipt's own paper, the original recorded only once
the printer took it; without a printer the operator is told and nothing is recorded."""

from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from sqlalchemy import select

from caseworker.services.centre_settings import RECEIPT_PLACEMENT, change_setting
from caseworker.store.models import AuditEntry, ReceiptOriginal
from caseworker.ui.desk_printing import print_receipts_now, roll_printer
from caseworker.ui.preferences import ROLL_PRINTER
from caseworker.ui.printing import preview_size
from tests.printing.conftest import need
from tests.printing.test_roll_printer import assert_cut, decode
from tests.ui.test_payment_dialog import open_dialog, pay


@pytest.fixture
def farmer_id(centre):
    """Enrolled in both residents' schemes, nothing paid yet."""
    from caseworker.services.enrolment import EnrolmentChoice, enrol
    from tests.conftest import TODAY
    from tests.services.test_enrolment import farmer

    choices = [EnrolmentChoice("resident_pension", tier_fen=50_000)]
    choices.append(EnrolmentChoice("resident_medical"))
    return enrol(centre.database, centre.actor, farmer(), choices, today=TODAY).person_id


def originals(session) -> list[tuple[str, str]]:
    with session.database.reading() as db:
        return [(o.receipt_number, o.medium) for o in db.scalars(select(ReceiptOriginal))]


def problems() -> list[str]:
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "printProblem"]
    texts = [box.text() for box in boxes if box.isVisible()]
    for box in boxes:
        box.close()
    return texts


def test_one_key_after_paying_prints_on_the_roll_printer(
    qtbot, centre, runner, farmer_id, tmp_path
):
    device = tmp_path / "lp0"
    device.touch()
    ROLL_PRINTER.put(str(device))
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    number = pay(qtbot, dialog)
    assert dialog.focusWidget() is dialog.print_button  # Enter or Space prints: one key
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.printed == 1, timeout=20_000)
    assert originals(centre) == [(number, "printer")]
    (page,), tail = decode(device.read_bytes())
    assert page.width == 576 and page.height > 600  # the roll80 page, QR code and all
    inked = page.convert("L").histogram()[0] / (page.width * page.height)
    assert 0.02 < inked < 0.4, inked  # black print on white paper, not a black strip
    assert_cut(tail)
    assert dialog.banner.kind == "success" and problems() == []
    # The preview is the next key and now offers the copy.
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(QDialog, "printPreview") is not None)
    preview = dialog.findChild(QDialog, "printPreview")
    assert not preview.output.original
    preview.close()


def test_a_missing_roll_printer_is_told_and_nothing_recorded(
    qtbot, centre, runner, farmer_id, tmp_path
):
    ROLL_PRINTER.put(str(tmp_path / "unplugged"))
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    pay(qtbot, dialog)
    dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=20_000)
    (text,) = problems()
    assert "unplugged" in text and "卷纸打印机" in text
    assert originals(centre) == [] and dialog.print_button.isEnabled()


def _pdf_printer(path):
    def make() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(150)
        return printer

    return make


def _page_size(path) -> tuple[float, float]:
    info = subprocess.run([need("pdfinfo"), str(path)], capture_output=True, text=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


def _paid_receipt(qtbot, centre, runner, person_id) -> str:
    dialog = open_dialog(qtbot, centre, runner, person_id)
    number = pay(qtbot, dialog)
    dialog.close()
    return number


def _printed(qtbot, centre, runner, person_id, tmp_path):
    """A new receipt printed with one call onto a PDF-file printer; its page size."""
    number = _paid_receipt(qtbot, centre, runner, person_id)
    done = []
    out = tmp_path / "printed.pdf"
    print_receipts_now(
        None, centre, runner, [number], on_done=done.append, printer=_pdf_printer(out)
    )
    qtbot.waitUntil(lambda: done == [1], timeout=20_000)
    return number, out, _page_size(out)


def test_an_a5_receipt_prints_on_a5_at_actual_size(qtbot, centre, runner, farmer_id, tmp_path):
    number, _out, (width, height) = _printed(qtbot, centre, runner, farmer_id, tmp_path)
    assert (round(width), round(height)) == (595, 420)  # A5 landscape, not scaled onto A4
    assert originals(centre) == [(number, "printer")]


def test_the_centre_may_place_a5_receipts_on_the_top_of_a4(
    qtbot, centre, runner, farmer_id, tmp_path
):
    change_setting(centre.database, centre.actor, RECEIPT_PLACEMENT, "a4_top")
    _number, out, (width, height) = _printed(qtbot, centre, runner, farmer_id, tmp_path)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    subprocess.run(
        [need("pdftoppm"), "-gray", "-r", "20", "-singlefile", str(out), str(tmp_path / "p")],
        check=True,
    )
    from PIL import Image

    page = Image.open(tmp_path / "p.pgm")
    half = page.height // 2
    top = page.crop((0, 0, page.width, half)).histogram()
    bottom = page.crop((0, half + 2, page.width, page.height)).histogram()
    assert sum(top[:128]) > 100 and sum(bottom[:128]) == 0  # ink on the top half only


def test_without_a_default_printer_the_operator_is_told(
    qtbot, centre, runner, farmer_id, monkeypatch
):
    from PySide6.QtPrintSupport import QPrinterInfo

    monkeypatch.setattr(QPrinterInfo, "defaultPrinter", staticmethod(lambda: QPrinterInfo()))
    number = _paid_receipt(qtbot, centre, runner, farmer_id)
    failed = []
    print_receipts_now(None, centre, runner, [number], on_failed=failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    (text,) = problems()
    assert "默认打印机" in text and "Ctrl+Shift+P" in text
    with centre.database.reading() as db:
        assert not list(
            db.scalars(select(AuditEntry).where(AuditEntry.action == "payment.original"))
        )
    assert originals(centre) == []


def test_the_preview_fits_a_1366_by_768_screen():
    fitted = preview_size(QSize(1366, 728))  # the laptop's screen less its taskbar
    assert fitted.width() <= 1366 - 40 and fitted.height() <= 728 - 60
    assert preview_size(QSize(1920, 1160)) == QSize(900, 1000)


def test_the_settings_page_sets_this_desks_roll_printer(qtbot, centre, runner):
    from caseworker.ui.views.settings_view import SettingsPage

    page = SettingsPage(centre, runner)
    qtbot.addWidget(page)
    field = page.findChild(QLineEdit, "rollPrinterDevice")
    assert field.accessibleName() and field.text() == ""
    field.setText("  /dev/ttyUSB0 ")
    field.editingFinished.emit()
    assert ROLL_PRINTER.get() == "/dev/ttyUSB0"
    assert roll_printer().serial
    field.clear()
    field.editingFinished.emit()
    assert roll_printer() is None  # back to the system's default printer

"""The preview dialog and printing through Qt, offscreen, with real PDFs and a real store."""

from __future__ import annotations

import gc
import subprocess
import threading
from datetime import date

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from caseworker.printing.enrolment_form import build_enrolment_form
from caseworker.services import documents
from caseworker.store.models import AuditEntry
from caseworker.ui.printing import (
    PrintPreviewDialog,
    preview_enrolment_form,
    preview_receipt,
    print_day_receipts,
    print_pdf,
)
from caseworker.ui.receipt_printing import ReceiptPreviewDialog
from caseworker.ui.tasks import Cancelled, SynchronousRunner, TaskControl, TaskRunner
from tests.conftest import TODAY
from tests.printing import samples
from tests.printing.conftest import NO_FONT, need


def pdf_pages(path) -> int:
    out = subprocess.run([need("pdfinfo"), str(path)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_preview_shows_the_pages_and_saves_the_same_bytes(qtbot, chain, tmp_path):
    result = build_enrolment_form(samples.enrolment_form(), chain)
    dialog = PrintPreviewDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document.pageCount() == 1
    assert not dialog.warning.isVisible()
    dialog.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == result.pdf


def test_missing_characters_are_shown_before_printing(qtbot, chain):
    result = build_enrolment_form(samples.enrolment_form(name=f"{NO_FONT}祥"), chain)
    if not result.missing:
        pytest.skip(f"an installed font has {NO_FONT}")
    dialog = PrintPreviewDialog(result)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warning.isVisible()
    assert "U+30EDE" in dialog.warning.text()


def test_printing_renders_every_page_through_qprinter(qtbot, chain, tmp_path):
    from caseworker.printing.transmittal import build_transmittal

    result = build_transmittal(samples.transmittal(rows=60), chain)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert print_pdf(result.pdf, printer) == result.pages
    assert pdf_pages(tmp_path / "printed.pdf") == result.pages


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def test_entry_points_open_previews_from_the_store(qtbot, paid, tmp_path, runner, monkeypatch):
    """The documents are built on the runner's read lane, not on the UI thread; the preview
    opens when they are ready."""
    opened, threads = [], []
    original = documents.enrolment_form_pdf

    def watched(*args, **kwargs):  # the real builder, noting which thread ran it
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(documents, "enrolment_form_pdf", watched)
    preview_enrolment_form(None, paid.clerk, paid.id_number, runner, on_open=opened.append)
    preview_receipt(None, paid.clerk, paid.receipts[0], runner, True, opened.append)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=20_000)
    assert threads and all(name.startswith("cw-read") for name in threads)
    form, receipt = sorted(opened, key=lambda d: isinstance(d, ReceiptPreviewDialog))
    for dialog in (form, receipt):
        assert dialog.isVisible()
        qtbot.addWidget(dialog)
    assert "单雄信" in form.result.title
    assert not receipt.output.original and "副本" in receipt.edition.text()

    def reprints() -> list[tuple[str, str]]:
        with paid.clerk.database.reading() as db:
            entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "payment.reprint"))
            return [(a.operator_name, a.detail["receipt_number"]) for a in entries]

    # Opening the copy's preview writes nothing; saving it is what is audited (write lane).
    assert reprints() == []
    assert receipt.save_to(tmp_path / "copy.pdf")
    qtbot.waitUntil(lambda: receipt.recorded == 1, timeout=10_000)
    assert reprints() == [("clerk", paid.receipts[0])]


def test_an_unknown_receipt_is_told_not_raised(qtbot, paid):
    opened = []
    task = preview_receipt(
        None, paid.clerk, "no-such-receipt", SynchronousRunner(), False, opened.append
    )
    assert task.error is not None and opened == []
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "printProblem"]
    assert boxes and "no-such-receipt" in boxes[-1].text()
    for box in boxes:
        box.close()


def test_batch_printing_reports_progress_and_finishes(qtbot, paid):
    runner = SynchronousRunner()
    done = []
    task = print_day_receipts(None, runner, paid.clerk, TODAY, on_done=done.append)
    assert task.error is None and len(done) == 1
    assert done[0].result.pages == len(paid.receipts) and not done[0].original


def test_batch_printing_can_be_cancelled(qtbot):
    from caseworker.ui.printing import run_batch
    from caseworker.ui.tasks import TaskRunner

    started = threading.Event()

    def job(control: TaskControl):
        started.set()
        while True:  # a long build that checks for cancel between pages
            control.check()
            control.report(1, 1000)
            started.wait(0.01)

    runner = TaskRunner()
    window = QWidget()
    qtbot.addWidget(window)
    try:
        task = run_batch(window, runner, "…", job, on_done=lambda r: pytest.fail("not cancelled"))
        started.wait()
        with qtbot.waitSignal(task.cancelled, timeout=10_000):
            task.cancel()
        assert isinstance(task.error, Cancelled)
        problems = [w for w in QApplication.topLevelWidgets() if w.objectName() == "printProblem"]
        assert not any(w.isVisible() for w in problems)
    finally:
        runner.shutdown()
        # The cancelled job's traceback ties worker frames to Qt objects: collect that cycle
        # now, while Qt is alive, not during interpreter shutdown.
        gc.collect()


def test_a_day_without_receipts_is_told(qtbot, paid):
    task = print_day_receipts(None, SynchronousRunner(), paid.clerk, date(2020, 1, 1))
    assert task.error is not None
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("没有收据" in b.text() for b in boxes)
    for box in boxes:
        box.close()

"""Originals once: the original of a receipt goes out once; every later print or PDF is a copy
(副本), audited only after it was written or printed, never before and never on failure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from caseworker.services.receipt_issue import (
    issued_originals,
    receipt_output,
    record_output,
)
from caseworker.store.models import AuditEntry, ReceiptOriginal
from caseworker.ui.receipt_printing import ReceiptPreviewDialog, print_day_receipts
from caseworker.ui.tasks import SynchronousRunner
from tests.conftest import TODAY
from tests.printing.conftest import compact, pdftotext


def trail(paid) -> list[tuple[str, str, str | None]]:
    """(action, receipt, medium) of every original and copy recorded, in order."""
    with paid.clerk.database.reading() as db:
        entries = db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(["payment.original", "payment.reprint"]))
            .order_by(AuditEntry.seq)
        )
        return [(e.action, e.detail["receipt_number"], e.detail.get("medium")) for e in entries]


def text(result, tmp_path: Path) -> str:
    return compact(pdftotext(result.pdf, tmp_path))


def test_the_original_once_then_copies_each_recorded_after_it_went_out(paid, tmp_path):
    db, actor, number = paid.clerk.database, paid.clerk.actor, paid.receipts[0]
    first = receipt_output(db, actor, number)
    assert first.original and "副本" not in text(first.result, tmp_path)
    # Building it recorded nothing: the original is still unissued until it went out.
    assert trail(paid) == [] and issued_originals(db, [number]) == set()
    assert receipt_output(db, actor, number).original
    record_output(db, actor, first, "printer")
    assert trail(paid) == [("payment.original", number, "printer")]
    with db.reading() as session:
        row = session.get_one(ReceiptOriginal, number)
        assert (row.issued_by, row.medium) == (actor.operator_id, "printer")
    later = receipt_output(db, actor, number)
    assert not later.original and "副本" in text(later.result, tmp_path)
    record_output(db, actor, later, "file")
    record_output(db, actor, receipt_output(db, actor, number, copy=True), "printer")
    assert trail(paid) == [
        ("payment.original", number, "printer"),
        ("payment.reprint", number, "file"),
        ("payment.reprint", number, "printer"),
    ]


def test_a_second_original_racing_the_first_is_recorded_as_what_it_is(paid):
    db, actor, number = paid.clerk.database, paid.clerk.actor, paid.receipts[0]
    one, two = receipt_output(db, actor, number), receipt_output(db, actor, number)
    record_output(db, actor, one, "printer")
    record_output(db, actor, two, "file")
    with db.reading() as session:
        second = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert second.action == "payment.reprint" and second.detail["printed_as"] == "original"


def test_a_voided_receipts_copy_says_copy_and_void(paid, tmp_path):
    db, actor = paid.clerk.database, paid.clerk.actor
    output = receipt_output(db, actor, paid.receipts[1], copy=True)
    words = text(output.result, tmp_path)
    assert "副本·已作废" in words and "已作废：金额录错" in words and "本收据不再有效" in words


def test_the_preview_records_the_original_once_and_then_shows_the_copy(qtbot, paid, tmp_path):
    db, number = paid.clerk.database, paid.receipts[0]
    dialog = ReceiptPreviewDialog(
        receipt_output(db, paid.clerk.actor, number), paid.clerk, SynchronousRunner()
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.output.original and "原件" in dialog.edition.text()
    assert dialog.save_to(tmp_path / "original.pdf")
    assert "副本" not in text_of_file(tmp_path / "original.pdf", tmp_path)
    # What is on screen now is the copy: printing again gives a 副本, audited after printing.
    assert not dialog.output.original and "副本" in dialog.edition.text()
    assert "副本" in text(dialog.result, tmp_path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    assert dialog.print_to(printer) == 1
    assert trail(paid) == [
        ("payment.original", number, "file"),
        ("payment.reprint", number, "printer"),
    ]
    assert dialog.recorded == 2


def text_of_file(path: Path, tmp_path: Path) -> str:
    return compact(pdftotext(path.read_bytes(), tmp_path))


def test_a_failed_save_records_nothing_and_the_original_stays_unissued(
    qtbot, paid, tmp_path, monkeypatch
):
    db, number = paid.clerk.database, paid.receipts[0]
    dialog = ReceiptPreviewDialog(
        receipt_output(db, paid.clerk.actor, number), paid.clerk, SynchronousRunner()
    )
    qtbot.addWidget(dialog)
    shown: list[str] = []
    # The operator's message box, caught instead of waiting for a click.
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        staticmethod(lambda _parent, _title, words, *a: shown.append(words)),
    )
    assert not dialog.save_to(tmp_path / "no such folder" / "r.pdf")
    assert shown and "no such folder" in shown[0]
    assert trail(paid) == [] and dialog.output.original
    assert issued_originals(db, [number]) == set()


def test_the_days_receipts_are_copies_audited_only_once_saved(qtbot, paid, tmp_path):
    done = []
    print_day_receipts(None, SynchronousRunner(), paid.clerk, TODAY, on_done=done.append)
    (output,) = done
    assert not output.original and output.receipt_numbers == tuple(sorted(paid.receipts))
    assert trail(paid) == []
    dialog = ReceiptPreviewDialog(output, paid.clerk, SynchronousRunner())
    qtbot.addWidget(dialog)
    assert dialog.save_to(tmp_path / "day.pdf")
    assert sorted(trail(paid)) == sorted(("payment.reprint", n, "file") for n in paid.receipts)
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()

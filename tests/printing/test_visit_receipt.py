"""A visit's receipt from a real store: one number, a line per person and scheme with its
period and amount, the total in figures and capitals; read back with pypdf and rendered."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from caseworker.domain.ids import mask_id_number
from caseworker.services import documents
from caseworker.services.payments import VisitLine, record_visit_payment
from tests.printing.conftest import NOW, compact
from tests.services import test_contribution_periods as periods

clerk, family = periods.clerk, periods.family  # fixtures: a household of two, a neighbour
DECEMBER = date(2026, 12, 1)


@pytest.mark.parametrize("paper", ["a5", "roll80"])
def test_a_visit_receipt_prints_every_line_and_the_total(clerk, family, paper, tmp_path):
    lines = [
        VisitLine(family["head"], "resident_pension"),
        VisitLine(family["head"], "resident_medical"),
        VisitLine(family["wife"], "resident_medical"),
        VisitLine(family["head"], "resident_pension", period_start=date(2025, 1, 1)),
    ]
    (receipt,) = record_visit_payment(clerk.database, clerk.actor, lines, today=DECEMBER)
    result = documents.receipt_pdf(clerk.database, receipt.receipt_number, paper=paper, now=NOW)
    assert result.missing == () and result.pages == 1
    text = compact("".join(p.extract_text() for p in PdfReader(io.BytesIO(result.pdf)).pages))
    assert text.count(receipt.receipt_number) == 1  # one receipt, one number
    for field in (
        "单雄信",
        "秦琼",
        mask_id_number("320583198001010016"),
        "城乡居民基本养老保险",
        "城乡居民基本医疗保险",
        "2026年度",
        "2027年度",
        "2025年度（补缴）",
        "¥500.00",
        "¥400.00",
        "¥1,800.00",  # 500 + 400 + 400 + 500
        "人民币壹仟捌佰元整",
    ):
        assert compact(field) in text, field
    # The order of the lines is the order of the visit.
    assert text.index("2026年度") < text.index("2027年度") < text.index("2025年度（补缴）")
    data = documents.receipt_data(clerk.database, [receipt.receipt_number], now=NOW)[0]
    assert [line.name for line in data.lines] == ["单雄信", "单雄信", "秦琼", "单雄信"]
    assert data.personal_fen == 180_000 and data.lines[3].arrears
    # Rendered: the page carries ink (and is what docs/screenshots/print-receipt-visit.png shows).
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(result.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(tmp_path / "r")], check=True
    )
    image = Image.open(tmp_path / "r.png").convert("L")
    inked = sum(1 for p in image.tobytes() if p < 128) / (image.width * image.height)
    assert 0.01 < inked < 0.5, inked


def test_every_receipt_of_the_day_once_however_many_lines(clerk, family):
    lines = [
        VisitLine(family["head"], "resident_pension"),
        VisitLine(family["wife"], "resident_medical"),
    ]
    (receipt,) = record_visit_payment(clerk.database, clerk.actor, lines, today=DECEMBER)
    assert documents.receipt_numbers_for_day(clerk.database, DECEMBER) == [receipt.receipt_number]
    result = documents.receipts_pdf(clerk.database, [receipt.receipt_number], now=NOW)
    assert result.pages == 1

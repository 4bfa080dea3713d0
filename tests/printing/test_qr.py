"""The papers' QR codes: our encoder against two independent ones, and the modules read back
from the PDF the receipt builder wrote.

No QR decoder is in the venv or installed on the machine (no zbar), so the check is the one
the brief allows: the module matrix must equal python-qrcode's for the same version and mask
(every mask), the penalty that picks the mask must equal segno's, and the receipt's PDF must
carry exactly those modules for its payload.
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from segno import encoder as segno_encoder

from caseworker.printing import qr
from caseworker.printing.enrolment_form import build_enrolment_form
from caseworker.printing.enrolment_form import qr_payload as form_payload
from caseworker.printing.layout import PdfDocument, draw_qr
from caseworker.printing.receipt import build_receipt, build_receipts, qr_payload
from tests.printing import samples
from tests.printing.conftest import need

RECEIPT = qr_payload(samples.receipt())[0]


def python_qrcode(text: str, mask: int) -> tuple[int, list[str]]:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask
    )
    code.add_data(qrcode.util.QRData(text.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return code.version, ["".join("1" if m else "0" for m in row) for row in code.get_matrix()]


def assert_same_as_python_qrcode(text: str) -> None:
    for mask in range(8):
        ours = qr.encode(text, mask=mask)
        version, lines = python_qrcode(text, mask)
        assert (ours.version, ours.mask) == (version, mask)
        assert ours.lines() == lines, f"mask {mask} of {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        RECEIPT,
        form_payload(samples.enrolment_form())[0],
        "a",
        "x" * 213,  # the most version 10 holds
        "y" * 214,  # one more: reportlab's encoder, version 11
        "缴费凭证 " * 30,  # UTF-8 bytes, past version 10
    ],
)
def test_every_mask_matches_python_qrcode(text):
    assert_same_as_python_qrcode(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=70))
def test_any_short_text_matches_python_qrcode(text):
    assert_same_as_python_qrcode(text)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=213).map(lambda b: b.hex()[: len(b)]))
def test_the_chosen_mask_has_segnos_lowest_penalty(text):
    """Our penalty is segno's (ISO/IEC 18004 7.8.3) on every mask, so the same mask wins."""
    ours = qr.encode(text)
    layout = qr._layout(ours.version)
    placed = qr._place(layout, qr._codewords(text.encode(), ours.version))
    scores = []
    for mask_rows in layout.masks:
        masked = [row ^ m for row, m in zip(placed, mask_rows, strict=True)]
        modules = tuple(bytearray(int(c) for c in format(r, f"0{layout.size}b")) for r in masked)
        theirs = segno_encoder.evaluate_mask(modules, layout.size, layout.size)
        assert qr._penalty(masked, layout.size) == theirs
        scores.append(theirs)
    assert ours.mask == scores.index(min(scores))


def drawn_modules(pdf: bytes) -> list[list[str]]:
    """Each QR code on each page, read back from the content stream: the transformation
    into module units, then the dark runs as rectangles."""
    codes = []
    for page in PdfReader(_file(pdf)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        for block in re.findall(r"cm\n((?:\d+ \d+ \d+ 1 re ?)+) f", content):
            runs = [tuple(map(int, r.split()[:3])) for r in re.findall(r"\d+ \d+ \d+ 1 re", block)]
            size = max(c + n for c, _r, n in runs)
            rows = [["0"] * size for _ in range(max(r for _c, r, _n in runs) + 1)]
            for column, row, length in runs:
                rows[row][column : column + length] = ["1"] * length
            codes.append(["".join(row) for row in rows])
    return codes


def _file(pdf: bytes) -> io.BytesIO:
    return io.BytesIO(pdf)


@pytest.mark.parametrize("paper", ["a5", "roll80"])
def test_the_receipt_pdf_carries_the_payloads_modules(chain, paper):
    data = samples.receipt()
    result = build_receipt(data, chain, paper=paper)
    (modules,) = drawn_modules(result.pdf)
    expected = qr.encode(qr_payload(data)[0])
    assert modules == expected.lines()
    _version, lines = python_qrcode(qr_payload(data)[0], expected.mask)
    assert modules == lines


def test_a_batch_gives_each_receipt_its_own_code(chain):
    receipts = [samples.receipt(receipt_number=f"320281103-01-2026-{n:06d}") for n in range(1, 4)]
    codes = drawn_modules(build_receipts(receipts, chain).pdf)
    assert len(codes) == 3 and len({tuple(c) for c in codes}) == 3


def test_the_enrolment_form_carries_its_payload(chain):
    data = samples.enrolment_form()
    (modules,) = drawn_modules(build_enrolment_form(data, chain).pdf)
    assert modules == qr.encode(form_payload(data)[0]).lines()


def test_the_drawn_code_renders_as_its_modules(chain, tmp_path):
    """Rendered by poppler at 4 pixels a module, each module's centre has the right ink."""
    doc = PdfDocument(chain, (200, 200), "qr")
    doc.new_page()
    matrix = qr.encode(RECEIPT)
    side = 4 * matrix.size * 72 / 144  # 4 px a module at 144 dpi
    draw_qr(doc.canvas, RECEIPT, 20, 200 - 20 - side, side)
    source = tmp_path / "qr.pdf"
    source.write_bytes(doc.finish().pdf)
    subprocess.run(
        [need("pdftoppm"), "-gray", "-r", "144", "-singlefile", str(source), str(tmp_path / "qr")],
        check=True,
    )
    from PIL import Image

    image = Image.open(tmp_path / "qr.pgm")
    origin = 20 * 2  # 20 pt at 144 dpi
    for r, line in enumerate(matrix.lines()):
        for c, module in enumerate(line):
            pixel = image.getpixel((origin + 4 * c + 2, origin + 4 * r + 2))
            assert (pixel < 128) == (module == "1"), (r, c)


def test_no_ascii85_layer_on_the_streams(chain):
    """Streams are compressed binary: smaller, and a tenth of a batch's time saved."""
    pdf = build_receipt(samples.receipt(), chain).pdf
    assert b"/ASCII85Decode" not in pdf and b"/FlateDecode" in pdf
    assert "缴费凭证" in PdfReader(_file(pdf)).pages[0].extract_text()

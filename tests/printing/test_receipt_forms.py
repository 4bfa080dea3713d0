"""A batch of A5 receipts draws each page's blank form (rules, shading, titles, labels) once,
as a form XObject every page of its kind references, and the receipt's entries over it:
read back with pypdf, and rendered page by page against the same receipt printed alone."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PdfReader

from caseworker.domain.money import format_yuan, to_chinese_capitals
from caseworker.printing.data import CentreInfo, ReceiptData
from caseworker.printing.receipt import build_receipt, build_receipts
from tests.printing import samples
from tests.printing.conftest import compact, need


def _day(count: int) -> list[ReceiptData]:
    """A day's copies: distinct numbers, payers and amounts, one line each."""
    names = ["张伟", "王秀英", "买买提·艾力", "欧阳振华", "李娜", "刘洋"]
    out = []
    for n in range(count):
        fen = 20_000 + 10_000 * n
        name = names[n % len(names)]
        line = samples.receipt_line(name, tier_fen=fen, amount_fen=fen, personal_fen=fen)
        number = f"320281103-01-2026-{n + 1:06d}"
        out.append(samples.receipt(name, receipt_number=number, lines=(line,), reprint=True))
    return out


def _forms(page) -> dict[str, int]:
    """The form XObjects a page's resources name, by name: their object numbers."""
    xobjects = page["/Resources"]["/XObject"]
    return {name: xobjects.raw_get(name).idnum for name in xobjects}


def test_a_batch_carries_its_blank_form_once_and_each_receipt_reads_back(chain):
    receipts = _day(6)
    result = build_receipts(receipts, chain)
    reader = PdfReader(io.BytesIO(result.pdf))
    assert result.pages == len(reader.pages) == 6
    # The same two objects on every page: the blank form and the 副本 stamp.
    forms = [_forms(page) for page in reader.pages]
    assert len(forms[0]) == 2 and all(f == forms[0] for f in forms)
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        assert content.count(" Do") == 2  # the form first, the stamp over the entries
        assert content.index(" Do") < content.index("BT")  # under every entry
    for data, page in zip(receipts, reader.pages, strict=True):
        text = compact(page.extract_text())
        others = {r.receipt_number for r in receipts} - {data.receipt_number}
        assert data.receipt_number in text and not any(n in text for n in others)
        for field in (
            data.name,
            f"¥{format_yuan(data.personal_fen)}",
            f"{format_yuan(data.lines[0].tier_fen)}元/年",
            f"人民币{to_chinese_capitals(data.personal_fen)}",
            "缴费人",  # the form's labels, read from the form
            "金额（大写）",
            "社会保险费缴费凭证（副本）",
            "补打于",
        ):
            assert compact(field) in text, field


def _render(pdf: bytes, tmp_path: Path, name: str) -> list[Image.Image]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [need("pdftoppm"), "-r", "60", "-png", str(source), str(tmp_path / name)], check=True
    )
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def test_each_page_of_a_mixed_batch_looks_as_its_receipt_alone(chain, tmp_path):
    """Whatever the blank form is keyed by must tell apart every receipt that draws a
    different one: an original and a copy, a void, a visit of several lines, one running
    over two pages, another centre. A page that got another receipt's form would differ
    from the same receipt printed on its own."""
    day = _day(2)
    visit = samples.visit_receipt()
    long_visit = dataclasses.replace(
        visit,
        receipt_number="320281103-01-2026-000044",
        lines=visit.lines * 5,
        reprint=True,
    )
    other_centre = CentreInfo("320281104", "江阴市华士镇社会保障服务中心")
    batch = [
        day[0],
        dataclasses.replace(day[1], reprint=False),
        dataclasses.replace(day[0], receipt_number="320281103-01-2026-000009", void=samples.VOID),
        visit,
        long_visit,
        dataclasses.replace(day[1], centre=other_centre),
        day[1],
    ]
    together = _render(build_receipts(batch, chain).pdf, tmp_path, "batch")
    alone = [
        page
        for n, data in enumerate(batch)
        for page in _render(build_receipt(data, chain).pdf, tmp_path, f"alone{n}")
    ]
    assert len(together) == len(alone) == len(batch) + 1  # the long visit takes two pages
    for number, (a, b) in enumerate(zip(together, alone, strict=True), start=1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number}"


def test_a_long_visit_continues_on_its_own_pages(chain):
    """The pages of a receipt that runs over share nothing they should not: the first
    page's form says 续下页, the last carries the totals."""
    visit = samples.visit_receipt()
    long_visit = dataclasses.replace(visit, lines=visit.lines * 5)
    reader = PdfReader(io.BytesIO(build_receipt(long_visit, chain).pdf))
    first, last = (compact(page.extract_text()) for page in reader.pages)
    assert "续下页" in first and "金额（大写）" not in first
    assert "续下页" not in last and "金额（大写）" in last and "第2/2页" in last
    assert _forms(reader.pages[0]) != _forms(reader.pages[1])

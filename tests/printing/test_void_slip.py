"""The void slip (作废凭证) from a real store, read back from the PDF on both papers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from caseworker.domain.ids import mask_id_number
from caseworker.printing.data import CentreInfo, VoidSlipData, VoidSlipLine
from caseworker.printing.void_slip import build_void_slip
from caseworker.services.errors import NotFound, ServiceError
from caseworker.services.void_slips import void_slip_data, void_slip_pdf
from tests.printing.conftest import NOW, compact, pdffonts, pdftotext


@pytest.mark.parametrize("paper", ["a5", "roll80"])
def test_the_slip_names_receipt_lines_amounts_reason_who_and_when(paid, tmp_path, paper):
    db, number = paid.clerk.database, paid.receipts[1]
    result = void_slip_pdf(db, number, paper=paper, now=NOW)
    assert result.missing == () and result.pages == 1
    data = void_slip_data(db, number, now=NOW)
    words = compact(pdftotext(result.pdf, tmp_path))
    for field in (
        "缴费收据作废凭证",
        "玉山镇社会保障服务中心",
        number,
        "单雄信",
        mask_id_number(paid.id_number),
        "城乡居民基本医疗保险",
        f"{data.lines[0].period_start}至{data.lines[0].period_end}",
        "¥400.00",
        "人民币肆佰元整",
        "金额录错",
        "supervisor",  # who voided
        "clerk",  # who collected
        data.voided_at.strftime("%Y-%m-%d%H:%M"),
        data.paid_at.strftime("%Y-%m-%d%H:%M"),
        "原收据须收回",
    ):
        assert compact(field) in words, field
    assert all(row[-5] == "yes" for row in pdffonts(result.pdf, tmp_path))  # embedded
    width = float(PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox.width) / 72 * 25.4
    assert round(width) == (210 if paper == "a5" else 80)


def test_a_live_receipt_has_no_slip_and_an_unknown_one_is_named(paid):
    with pytest.raises(ServiceError) as live:
        void_slip_pdf(paid.clerk.database, paid.receipts[0])
    assert live.value.code == "not_void" and "未作废" in live.value.message
    with pytest.raises(NotFound) as unknown:
        void_slip_pdf(paid.clerk.database, "320583101-01-2026-999999")
    assert "320583101-01-2026-999999" in unknown.value.message


def test_a_receipt_of_many_lines_fits_one_page_with_every_line(chain, tmp_path):
    names = ["欧阳娜娜", "买买提·艾力", "单雄信", "曾小贤", "解晓东", "仇英"]
    lines = tuple(
        VoidSlipLine(
            n,
            "3205**********001X",
            "城乡居民基本医疗保险",
            date(2027, 1, 1),
            date(2027, 12, 31),
            40_000,
            40_000,
        )
        for n in names
    )
    moment = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    data = VoidSlipData(
        CentreInfo("320583101", "玉山镇社会保障服务中心"),
        "320583101-01-2026-000042",
        lines,
        "现金",
        "李收款",
        moment,
        "整户重复缴费",
        "王审核",
        moment,
        moment,
    )
    for paper in ("a5", "roll80"):
        result = build_void_slip(data, chain, paper=paper)  # type: ignore[arg-type]
        words = compact(pdftotext(result.pdf, tmp_path))
        assert result.pages == 1
        assert all(compact(n) in words for n in names)
        assert "¥2,400.00" in words and "贰仟肆佰元整" in words

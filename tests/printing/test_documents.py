"""Documents from a real encrypted store, read back field by field from the PDF text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from caseworker.domain.ids import mask_id_number
from caseworker.printing.enrolment_form import qr_payload
from caseworker.services import documents
from caseworker.services.errors import NotFound, PermissionDenied, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.store.models import AuditEntry
from tests.conftest import TODAY
from tests.printing.conftest import LONG_ADDRESS, NOW, compact, pdffonts, pdftotext


def text_of(result, tmp_path) -> str:
    return compact(pdftotext(result.pdf, tmp_path))


def test_enrolment_form_prints_every_field(paid, tmp_path):
    db = paid.clerk.database
    result = documents.enrolment_form_pdf(db, paid.id_number, now=NOW)
    assert result.missing == () and result.pages == 1
    text = text_of(result, tmp_path)
    detail = documents.enrolment_form_data(db, paid.id_number, now=NOW)
    expected = [
        "社会保险参保登记表（个人）",
        "玉山镇社会保障服务中心",
        "单雄信",
        "320583198001010016",
        "居民身份证",
        "男",
        "汉族",
        "1980-01-01",
        "农业户口",
        "13912345678",
        "江苏省苏州市昆山市",
        "玉山镇新乡村3组12号",
        compact(LONG_ADDRESS),  # wrapped over lines, nothing lost
        "务农人员",
        "6222020200112345678",
        str(paid.person_id),
        "城乡居民基本养老保险",
        "档次500.00元/年",
        "城乡居民基本医疗保险",
        "已核验的证件材料",
        "居民身份证",
        "户口簿",
        "本人承诺",
        "参保人签字（或按手印）",
        "经办人签字",
        f"校验码{qr_payload(detail)[1]}",
        "clerk",
    ]
    for field in expected:
        assert compact(field) in text, field
    assert detail.documents[:2] == (("居民身份证", True), ("户口簿", True))
    fonts = pdffonts(result.pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts


def test_enrolment_form_bytes_are_deterministic(paid):
    db = paid.clerk.database
    first = documents.enrolment_form_pdf(db, str(paid.person_id), now=NOW).pdf
    assert documents.enrolment_form_pdf(db, paid.id_number, now=NOW).pdf == first


def test_unknown_person_is_a_clear_not_found(paid):
    with pytest.raises(NotFound) as caught:
        documents.enrolment_form_pdf(paid.clerk.database, "110105194912310021")
    assert "无法打印参保登记表" in caught.value.message


@pytest.mark.parametrize("paper", ["a5", "roll80"])
def test_receipt_prints_every_field(paid, tmp_path, paper):
    db = paid.clerk.database
    number = paid.receipts[0]
    result = documents.receipt_pdf(db, number, paper=paper, now=NOW)
    text = text_of(result, tmp_path)
    data = documents.receipt_data(db, [number], now=NOW)[0]
    for field in [
        number,
        "单雄信",
        mask_id_number(paid.id_number),
        "城乡居民基本养老保险",
        "2026年度",
        "500.00元/年",
        "¥500.00",
        "人民币伍佰元整",
        f"¥{data.subsidy_fen // 100}.00",
        "现金",
        "经办员" if data.operator == "经办员" else data.operator,
        "玉山镇社会保障服务中心",
        data.paid_at.strftime("%Y-%m-%d%H:%M"),
        "校验码",
    ]:
        assert compact(field) in text, field
    assert "副本" not in text and "作废" not in text
    page = PdfReader(io.BytesIO(result.pdf)).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert round(width_mm) == (210 if paper == "a5" else 80)


def test_reprint_says_copy_and_void_says_void_with_reason(paid, tmp_path):
    db = paid.clerk.database
    copy = text_of(documents.receipt_pdf(db, paid.receipts[0], reprint=True, now=NOW), tmp_path)
    assert "副本" in copy and "补打于" in copy
    void = text_of(documents.receipt_pdf(db, paid.receipts[1], now=NOW), tmp_path)
    assert "作废" in void and "金额录错" in void and "supervisor" in void
    roll = documents.receipt_pdf(db, paid.receipts[1], paper="roll80", now=NOW)
    assert "金额录错" in text_of(roll, tmp_path)


def test_receipt_errors_are_specific(paid):
    db = paid.clerk.database
    with pytest.raises(NotFound) as caught:
        documents.receipt_pdf(db, "320583101-01-2026-999999")
    assert "320583101-01-2026-999999" in caught.value.message
    with pytest.raises(ValidationFailed) as bad:
        documents.receipt_pdf(db, paid.receipts[0], paper="a4")
    assert "a5 或 roll80" in bad.value.message


def test_receipt_paper_is_an_audited_centre_setting(centre, paid):
    db = centre.database
    assert documents.receipt_paper(db) == "a5"
    with pytest.raises(PermissionDenied):
        documents.set_receipt_paper(db, paid.clerk.actor, "roll80")
    with pytest.raises(ValidationFailed):
        documents.set_receipt_paper(db, centre.actor, "a4")
    documents.set_receipt_paper(db, centre.actor, "roll80")
    assert documents.receipt_paper(db) == "roll80"
    result = documents.receipt_pdf(db, paid.receipts[0], now=NOW)
    width = float(PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox.width)
    assert round(width / 72 * 25.4) == 80
    with db.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "setting.change")
        ).one()
        assert entry.detail["after"] == {"paper": "roll80"}
        assert verify_audit_chain(session).ok


def test_font_setting_refuses_a_file_that_is_not_a_font(centre, tmp_path):
    bad = tmp_path / "font.ttf"
    bad.write_text("not a font")
    with pytest.raises(ValidationFailed) as caught:
        documents.set_font_path(centre.database, centre.actor, str(bad))
    assert "无法使用" in caught.value.message
    assert documents.font_path(centre.database) is None


def test_daily_report_totals_exclude_voids(paid, tmp_path):
    db = paid.clerk.database
    result = documents.daily_report_pdf(db, TODAY, now=NOW)
    text = pdftotext(result.pdf, tmp_path, layout=True)
    flat = compact(text)
    assert "社会保险费收缴日报表" in flat and TODAY.isoformat() in flat
    assert all(number in flat for number in paid.receipts)
    assert "作废：金额录错" in flat
    total = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    assert total.split()[2:4] == ["1", "500.00"]  # the voided medical receipt is left out
    void_line = next(line for line in text.splitlines() if line.strip().startswith("作废收据"))
    assert void_line.split()[2] == "1"
    empty = documents.daily_report_pdf(db, date(2026, 1, 1), now=NOW)
    assert "共0张" in text_of(empty, tmp_path)


def test_survey_sheet_blank_and_unknown_village(paid, tmp_path):
    db = paid.clerk.database
    blank = documents.survey_pdf(db, "320583101201", blank=True, now=NOW)
    text = text_of(blank, tmp_path)
    assert "全民参保登记入户调查表" in text and "320583101201" in text
    assert "不了解参保政策" in text
    with pytest.raises(NotFound) as caught:
        documents.survey_pdf(db, "320583101201", now=NOW)
    assert "--blank" in caught.value.message
    with pytest.raises(Exception) as bad:
        documents.survey_pdf(db, "3205831012")
    assert "12位数字" in str(bad.value)


def test_transmittal_from_plain_rows_and_from_a_batch(paid, tmp_path):
    db = paid.clerk.database
    import uuid

    from caseworker.store.models import OutboxEntry

    batch = uuid.uuid4()
    with db.writing() as session:  # the sync engine's part, done by hand for the test
        for entry in session.scalars(select(OutboxEntry)):
            entry.batch_id = batch
    rows = documents.transmittal_rows(db, batch)
    assert {r.kind for r in rows} == {"人员", "参保", "缴费", "参保状态"}
    # A status row names its person, its line and what it now says.
    status = next(r for r in rows if r.kind == "参保状态")
    assert status.subject == "单雄信" and status.reference.startswith("养老保险：")
    result = documents.transmittal_pdf(db, batch, rows, sha256="ab" * 32, now=NOW)
    text = text_of(result, tmp_path)
    assert str(batch) in text and "ab" * 32 in text
    assert "单雄信" in text and paid.receipts[0] in text and "作废" in text
    assert f"共{len(rows)}条" in text and "接收人（县级经办机构）签字" in text

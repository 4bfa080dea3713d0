"""The remittance list (解缴清单): whose receipts, voids apart, totals read back from the PDF."""

from __future__ import annotations

import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import NotFound, PermissionDenied
from caseworker.services.payments import record_payment
from caseworker.services.remittance import operator_by_username, remittance_list, remittance_pdf
from caseworker.services.tax_payments import record_tax_payment
from tests.conftest import SUPERVISOR_PASSWORD, TODAY
from tests.printing.conftest import NOW, Paid, compact, need
from tests.services.test_enrolment import farmer


@pytest.fixture
def day(centre: OpenSession, paid: Paid) -> Paid:
    """The clerk's two receipts (one voided), the admin's receipt for someone else, and a
    tax-channel payment recorded the same day (not cash: never remitted)."""
    other = enrol(
        centre.database,
        centre.actor,
        farmer(id_number=make_id_number("320583", date(1975, 5, 5), 21), name="欧阳娜娜"),
        [EnrolmentChoice("resident_pension", tier_fen=30_000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    record_payment(
        centre.database, centre.actor, person_id=other, scheme="resident_pension", today=TODAY
    )
    record_tax_payment(
        centre.database,
        centre.actor,
        person_id=other,
        scheme="resident_medical",
        period_start=date(2026, 1, 1),
        method="alipay",
        voucher_number="332026112700000042",
        paid_on=TODAY,
        today=TODAY,
    )
    return paid


def test_a_clerk_lists_their_own_receipts_with_voids_apart(day: Paid):
    clerk = day.clerk
    data = remittance_list(clerk.database, clerk.actor, TODAY, now=NOW)
    assert data.operator == "clerk"
    assert [r.receipt_number for r in data.live] == [day.receipts[0]]
    assert [(r.receipt_number, r.void_reason) for r in data.voided] == [
        (day.receipts[1], "金额录错")
    ]
    assert data.total_fen == 50_000
    assert remittance_list(clerk.database, clerk.actor, date(2026, 11, 26)).receipts == ()


def test_a_clerk_cannot_read_another_operators_list(day: Paid, centre: OpenSession):
    clerk = day.clerk
    with pytest.raises(PermissionDenied):
        remittance_list(clerk.database, clerk.actor, TODAY, centre.actor.operator_id)
    with pytest.raises(PermissionDenied):
        remittance_pdf(clerk.database, clerk.actor, TODAY, centre.actor.operator_id)


def test_a_supervisor_reads_anyones_or_everyones(day: Paid, centre: OpenSession):
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        everyone = remittance_list(supervisor.database, supervisor.actor, TODAY)
        assert everyone.operator == ""
        assert sorted(r.operator for r in everyone.live) == ["admin", "clerk"]
        assert everyone.total_fen == 80_000  # 500 + 300 yuan; the void and the tax payment out
        admin = operator_by_username(supervisor.database, "admin")
        theirs = remittance_list(supervisor.database, supervisor.actor, TODAY, admin)
        assert [r.name for r in theirs.receipts] == ["欧阳娜娜"] and theirs.total_fen == 30_000
        with pytest.raises(NotFound):
            operator_by_username(supervisor.database, "nobody")
    finally:
        supervisor.close()


def test_the_pdf_says_the_totals_in_figures_and_capitals(day: Paid, centre: OpenSession, tmp_path):
    result = remittance_pdf(centre.database, centre.actor, TODAY, now=NOW)
    assert result.missing == () and result.pages == 1
    text = compact("".join(page.extract_text() for page in PdfReader(BytesIO(result.pdf)).pages))
    assert "社会保险费现金解缴清单" in text
    assert "应解缴金额（大写）：捌佰元整（小写）¥800.00" in text
    assert "应解缴合计不含作废2800.00" in text
    assert f"作废收据不计入解缴1{day.receipts[1]}" not in text  # the void is its own row
    assert "作废收据不计入解缴1" in text and "金额录错（supervisor）" in text
    assert "332026112700000042" not in text  # the tax-channel payment is not cash here
    assert "业务日期：2026-11-27收款人：全部收款人" in text
    # It renders: poppler draws the page without complaint.
    source = tmp_path / "remittance.pdf"
    source.write_bytes(result.pdf)
    subprocess.run(
        [need("pdftoppm"), "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5_000


def test_a_long_day_runs_over_pages_that_say_so(centre: OpenSession, tmp_path: Path):
    people = [
        enrol(
            centre.database,
            centre.actor,
            farmer(id_number=make_id_number("320583", date(1960, 1, 1 + n % 28), 100 + n)),
            [EnrolmentChoice("resident_medical")],
            today=TODAY,
        ).person_id
        for n in range(70)
    ]
    for person_id in people:
        record_payment(
            centre.database,
            centre.actor,
            person_id=person_id,
            scheme="resident_medical",
            today=TODAY,
        )
    data = remittance_list(centre.database, centre.actor, TODAY)
    result = remittance_pdf(centre.database, centre.actor, TODAY, now=NOW)
    assert result.pages >= 2
    reader = PdfReader(BytesIO(result.pdf))
    last = compact(reader.pages[-1].extract_text())
    assert f"第{result.pages}页共{result.pages}页" in last
    assert "收款人签字" in last
    assert data.total_fen == 70 * data.live[0].personal_fen

"""The Payments page with tax-channel payments: listed with their voucher, the remittance list
previewed, and the tax authority's list matched by a supervisor (hidden from clerks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QApplication, QMessageBox

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.tax_payments import record_tax_payment
from caseworker.ui.views.payments_view import PaymentsPage
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD
from tests.services.test_enrolment import farmer

SHAN = "320583198001010016"
STRANGER = make_id_number("320583", date(1990, 9, 9), 61)


@pytest.fixture
def today_paid(centre: OpenSession):
    """单雄信 paid pension at the desk and medical by WeChat through the tax channel, today."""
    today = date.today()
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    person = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
        today=today,
    ).person_id
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=person, scheme="resident_pension", today=today
    )
    tax = record_tax_payment(
        clerk.database,
        clerk.actor,
        person_id=person,
        scheme="resident_medical",
        period_start=date(today.year, 1, 1),
        method="wechat",
        voucher_number="332026120100000001",
        paid_on=today,
        today=today,
    )
    clerk.close()
    return receipt, tax


def page_for(qtbot, runner, session: OpenSession) -> PaymentsPage:
    page = PaymentsPage(session, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def previews() -> list:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "printPreview" and w.isVisible()
    ]


def test_a_clerk_sees_the_voucher_and_their_remittance_but_no_tax_list_button(
    qtbot, qtmodeltester, runner, centre, today_paid
):
    receipt, _tax = today_paid
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        page = page_for(qtbot, runner, clerk)
        qtmodeltester.check(page.model)
        shown = {
            page.model.data(page.model.index(row, 1)): page.model.data(page.model.index(row, 8))
            for row in range(page.model.rowCount())
        }
        assert shown == {receipt.receipt_number: "柜台", "税务凭证 332026120100000001": "税务渠道"}
        assert "其中柜台收取 500.00 元待解缴" in page.summary.text()
        assert page.tax_list_button.isHidden()  # matching the tax list is a supervisor's job
        assert not page.remittance_button.isHidden()
        page.remittance()  # built on the runner, previewed when ready
        qtbot.waitUntil(lambda: any("解缴" in p.result.title for p in previews()), timeout=10_000)
        (preview,) = [p for p in previews() if "解缴" in p.result.title]
        assert preview.result.title.endswith("clerk")
        preview.close()
        # The tax-channel row has no receipt of ours to reprint: said, not attempted.
        tax_row = next(
            r for r in range(page.model.rowCount()) if page.model.row(r).channel == "tax"
        )
        # Explicit flags: selectRow toggles when a modifier is still down from another test.
        page.table.selectionModel().select(
            page.model.index(tax_row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        page.reprint()
        box = page.reprint_problem
        assert box is not None and "税务凭证为准" in box.text()
        box.close()
        assert not [p for p in previews() if "缴费凭证" in p.result.title]
    finally:
        clerk.close()


def choose(qtbot, page: PaymentsPage, path: Path) -> None:
    page.import_tax_list()
    dialog = page.file_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(page.matched, timeout=20_000):
        dialog.selectFile(str(path))
        dialog.accept()


def test_a_supervisor_matches_the_tax_list_and_sees_three_groups(
    qtbot, runner, centre, today_paid, tmp_path: Path
):
    receipt, _tax = today_paid
    today = date.today()
    path = tmp_path / "清单.csv"
    path.write_text(
        "证件号码,姓名,征收品目,费款所属期,缴费金额,入库日期\n"
        f"{SHAN},单雄信,城乡居民基本养老保险,{today.year},500.00,{today}\n"
        f"{STRANGER},钱多多,居民养老,{today.year},200,{today}\n"
        f"{SHAN[:-1]}7,单雄信,居民医保,{today.year},400,{today}\n",
        encoding="gb18030",
    )
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        page = page_for(qtbot, runner, supervisor)
        assert not page.tax_list_button.isHidden()
        choose(qtbot, page, path)
        dialog = page.match_dialog
        assert dialog is not None and dialog.isVisible()
        assert "相符 1 笔，仅税务清单有 1 笔，仅本地有 1 笔，无法读取 1 行" in dialog.summary.text()
        # The differences side by side; the pairs and the unreadable rows in tabs below.
        assert dialog.captions["taxOnlyInList"] == "仅税务清单有（1）"
        assert dialog.captions["taxOnlyHere"] == "仅本地有（1）"
        tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert tabs == ["相符（1）", "无法读取的行（1）"]
        assert dialog.tabs.currentIndex() == 1  # what needs attention first
        matched = dialog.tables["taxMatched"].model()
        assert matched.data(matched.index(0, 6)) == f"收据 {receipt.receipt_number}"
        only_here = dialog.tables["taxOnlyHere"].model()
        assert only_here.data(only_here.index(0, 0)) == "税务凭证 332026120100000001"
        bad = dialog.tables["taxBadRows"].model()
        assert bad.data(bad.index(0, 0)) == "4" and "校验" in bad.data(bad.index(0, 1))
        dialog.accept()
    finally:
        supervisor.close()


def test_an_unusable_file_is_said_on_the_page(qtbot, runner, centre, today_paid, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("姓名,电话\n张三,1\n", encoding="utf-8")
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    try:
        page = page_for(qtbot, runner, supervisor)
        choose(qtbot, page, path)
        assert page.match_dialog is None
        box = page.match_problem
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert box.windowTitle() == "无法核对税务缴费清单"
        assert "找不到表头" in box.text()
        box.close()
    finally:
        supervisor.close()

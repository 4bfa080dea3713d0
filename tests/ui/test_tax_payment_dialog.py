"""Recording a tax-channel payment through the real dialog, from the person view: the amount
shown, each field's own message, nothing typed lost, duplicates refused."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.store.models import Payment
from caseworker.ui.dialogs.tax_payment_dialog import TaxPaymentDialog, period_choices
from caseworker.ui.i18n import install_language
from caseworker.ui.views.front_desk import FrontDeskPage
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer
from tests.ui.helpers import type_chinese

VOUCHER = "332026112000000001"


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def farmer_id(clerk: OpenSession):
    choices = [
        EnrolmentChoice("resident_pension", tier_fen=50_000),
        EnrolmentChoice("resident_medical"),
    ]
    return enrol(clerk.database, clerk.actor, farmer(), choices, today=TODAY).person_id


def open_dialog(qtbot, session, runner, person_id) -> TaxPaymentDialog:
    dialog = TaxPaymentDialog(session, runner, person_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=5000)
    return dialog


def confirm(qtbot, dialog: TaxPaymentDialog) -> None:
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def tax_payments(session: OpenSession) -> list[tuple[str, str, str]]:
    with session.database.reading() as db:
        return [
            (p.scheme, p.voucher_number, p.method)
            for p in db.scalars(select(Payment).where(Payment.channel == "tax"))
        ]


def test_a_tax_payment_is_recorded_with_its_voucher(qtbot, clerk, runner, farmer_id):
    dialog = open_dialog(qtbot, clerk, runner, farmer_id)
    assert "单雄信" in dialog.who.text()
    assert dialog.scheme.currentText() == "城乡居民基本养老保险"
    assert dialog.period.currentText() == "2026"
    assert [dialog.period.itemText(i) for i in range(dialog.period.count())] == [
        "2027",
        "2026",
        "2025",
    ]
    assert not dialog.months.isVisibleTo(dialog)  # a yearly scheme
    assert dialog.due.text() == "¥500.00（2026-01-01 至 2026-12-31）"
    assert [dialog.channel.itemText(i) for i in range(4)] == ["银行", "微信", "支付宝", "税务APP"]
    for widget in (dialog.scheme, dialog.period, dialog.channel, dialog.voucher, dialog.paid_on):
        assert widget.accessibleName()
    dialog.channel.setCurrentIndex(dialog.channel.findData("tax_app"))
    qtbot.keyClicks(dialog.voucher, VOUCHER)
    dialog.paid_on.setDate(QDate(2026, 11, 20))
    qtbot.keyClicks(dialog.amount, "500")
    confirm(qtbot, dialog)
    assert dialog.recorded is not None
    assert dialog.banner.kind == "success" and VOUCHER in dialog.banner.label.text()
    assert not dialog.voucher.isEnabled() and not dialog.confirm_button.isEnabled()
    assert tax_payments(clerk) == [("resident_pension", VOUCHER, "tax_app")]


def test_each_field_says_what_is_wrong_and_nothing_typed_is_lost(qtbot, clerk, runner, farmer_id):
    dialog = open_dialog(qtbot, clerk, runner, farmer_id)
    dialog.paid_on.setDate(QDate(2026, 12, 25))  # after "today"
    qtbot.keyClicks(dialog.amount, "400")
    type_chinese(dialog.voucher, "凭证")
    confirm(qtbot, dialog)
    boxes = dialog.boxes
    assert "凭" in boxes["voucher_number"].text()
    assert "晚于今天" in boxes["paid_on"].text()
    assert "400.00" in boxes["amount"].text() and "500.00" in boxes["amount"].text()
    assert dialog.banner.kind == "error"
    assert dialog.voucher.text() == "凭证" and dialog.amount.text() == "400"  # kept
    assert tax_payments(clerk) == []
    # A typed amount that is not an amount is caught before anything is sent.
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "5OO")
    confirm(qtbot, dialog)
    assert "O" in boxes["amount"].text()
    # Changing a field clears its message; fixed, the payment goes through.
    dialog.voucher.clear()
    qtbot.keyClicks(dialog.voucher, VOUCHER)
    assert boxes["voucher_number"].text() == ""
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "500")
    dialog.paid_on.setDate(QDate(2026, 11, 26))
    confirm(qtbot, dialog)
    assert dialog.recorded is not None


def test_a_used_voucher_and_a_paid_period_are_refused_in_words(qtbot, clerk, runner, farmer_id):
    record_payment(
        clerk.database, clerk.actor, person_id=farmer_id, scheme="resident_pension", today=TODAY
    )
    dialog = open_dialog(qtbot, clerk, runner, farmer_id)
    qtbot.keyClicks(dialog.voucher, VOUCHER)
    confirm(qtbot, dialog)
    assert dialog.banner.kind == "error"
    assert "已缴费" in dialog.banner.label.text() and "收据" in dialog.banner.label.text()
    # The medical scheme is not paid: recorded; then the same voucher again is refused.
    dialog.scheme.setCurrentIndex(1)
    assert "2026-01-01 至 2026-12-31" in dialog.due.text()
    confirm(qtbot, dialog)
    assert dialog.recorded is not None
    again = open_dialog(qtbot, clerk, runner, farmer_id)
    again.period.setCurrentIndex(again.period.findText("2027"))
    qtbot.keyClicks(again.voucher, VOUCHER)
    confirm(qtbot, again)
    assert "已于" in again.banner.label.text() and again.voucher.text() == VOUCHER


def test_monthly_schemes_offer_months(qtbot):
    months = period_choices(False, date(2026, 11, 27))
    assert months[0] == date(2026, 12, 1) and months[1] == date(2026, 11, 1)
    assert months[-1] == date(2025, 11, 1) and len(months) == 14


def test_the_person_view_opens_the_dialog_for_the_clerk(qtbot, clerk, runner, farmer_id):
    page = FrontDeskPage(clerk, runner)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.person.loaded):
        page.open_person(farmer_id)
    button = page.person.tax_pay_button
    assert button.isVisibleTo(page) and button.isEnabled()
    assert button.shortcut().toString() == "Ctrl+Shift+J"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert isinstance(page.payment_dialog, TaxPaymentDialog)
    assert page.payment_dialog.isVisible()
    with qtbot.waitSignal(page.person.loaded):
        page.payment_dialog.reject()  # closing reloads the person


def test_in_english(qtbot, qapp, clerk, runner, farmer_id):
    assert install_language(qapp, "en")
    dialog = open_dialog(qtbot, clerk, runner, farmer_id)
    assert dialog.windowTitle() == "Record a tax-channel payment"
    assert dialog.channel.itemText(3) == "Tax app"
    confirm(qtbot, dialog)
    assert "voucher" in dialog.boxes["voucher_number"].text().lower()

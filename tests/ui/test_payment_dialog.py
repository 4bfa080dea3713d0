"""Taking a payment through the real dialog: what is shown, the receipt number, failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.actor import ROLE_PERMISSIONS, Permission, Role
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.registry import person_detail
from caseworker.store.models import Payment
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.tasks import TaskRunner
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

FLEXIBLE_ID = make_id_number("320281", date(1990, 3, 15), 33)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def farmer_id(centre: OpenSession):
    return enrol(
        centre.database,
        centre.actor,
        farmer(),
        [
            EnrolmentChoice("resident_pension", tier_fen=50_000),
            EnrolmentChoice("resident_medical"),
        ],
        today=TODAY,
    ).person_id


def open_dialog(qtbot, centre, runner, person_id) -> PaymentDialog:
    dialog = PaymentDialog(centre, runner, person_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=5000)
    return dialog


def pay(qtbot, dialog: PaymentDialog) -> str:
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10_000)
    return dialog.receipt.receipt_number


def test_payment_shows_the_amount_and_gives_gapless_receipt_numbers(
    qtbot, centre, runner, farmer_id
):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    assert "单雄信" in dialog.who.text()
    assert dialog.enrolment.count() == 2
    assert dialog.enrolment.currentText() == "城乡居民基本养老保险"
    assert dialog.values["choice"].text() == "500元档"
    assert dialog.values["period"].text() == "2026-01-01 至 2026-12-31"
    assert dialog.values["amount"].text() == "¥500.00"
    assert dialog.values["capitals"].text() == "伍佰元整"
    assert dialog.values["subsidy"].text() == "60.00元"
    assert not dialog.months.isVisibleTo(dialog)  # yearly scheme
    dialog.method.setCurrentIndex(dialog.method.findText("微信"))
    first = pay(qtbot, dialog)
    assert first == "320583101-01-2026-000001"
    assert "320583101-01-2026-000001" in dialog.receipt_label.text()
    assert not dialog.confirm_button.isEnabled()
    assert not dialog.enrolment.isEnabled()
    assert dialog.print_button.isEnabled()

    second = open_dialog(qtbot, centre, runner, farmer_id)
    second.enrolment.setCurrentIndex(second.enrolment.findText("城乡居民基本医疗保险"))
    assert second.values["amount"].text() == "¥400.00"
    assert second.values["capitals"].text() == "肆佰元整"
    assert pay(qtbot, second) == "320583101-01-2026-000002"
    payments = person_detail(centre.database, str(farmer_id)).payments
    assert sorted((p.scheme, p.method, p.personal_fen) for p in payments) == [
        ("resident_medical", "cash", 40_000),
        ("resident_pension", "wechat", 50_000),
    ]


def test_flexible_pension_is_paid_by_the_month(qtbot, centre, runner):
    person_id = enrol(
        centre.database,
        centre.actor,
        farmer(id_number=FLEXIBLE_ID, name="李灵活", employment_category="flexible"),
        [EnrolmentChoice("employee_pension_flexible", base_fen=500_000)],
        today=TODAY,
    ).person_id
    dialog = open_dialog(qtbot, centre, runner, person_id)
    assert dialog.months.isVisibleTo(dialog)
    assert dialog.months.maximum() == 12
    assert dialog.values["choice"].text() == "月缴费基数5,000.00元"
    assert dialog.values["amount"].text() == "¥1,000.00"
    dialog.months.setValue(3)
    assert dialog.values["amount"].text() == "¥3,000.00"
    assert dialog.values["capitals"].text() == "叁仟元整"
    assert dialog.values["period"].text() == "2026-11-01 至 2027-01-31"
    pay(qtbot, dialog)
    (payment,) = person_detail(centre.database, str(person_id)).payments
    assert payment.amount_fen == 300_000


def test_a_person_without_enrolments_cannot_pay(qtbot, centre, runner):
    person_id = enrol(centre.database, centre.actor, farmer(), [], today=TODAY).person_id
    dialog = open_dialog(qtbot, centre, runner, person_id)
    assert "没有有效的参保险种" in dialog.banner.text()
    assert not dialog.confirm_button.isEnabled()


def test_a_refused_payment_keeps_the_dialog_and_burns_no_number(
    qtbot, centre, runner, farmer_id, monkeypatch
):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ADMIN, frozenset({Permission.VIEW}))
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=10_000)
    assert "无权" in dialog.banner.text()
    assert dialog.receipt is None and dialog.confirm_button.isEnabled()
    with centre.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == 0
    monkeypatch.undo()
    assert pay(qtbot, dialog) == "320583101-01-2026-000001"


def test_an_unknown_person_is_reported(qtbot, centre, runner):
    import uuid

    dialog = PaymentDialog(centre, runner, uuid.uuid4(), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=5000)
    assert "没有" in dialog.banner.text()
    assert not dialog.confirm_button.isEnabled()


def test_the_form_opens_the_payment_dialog_after_saving(qtbot, centre, runner, farmer_id):
    from caseworker.ui.views.enrolment_form import EnrolmentForm

    form = EnrolmentForm(centre, runner, today=lambda: TODAY)
    qtbot.addWidget(form)
    form.edit(farmer_id)
    qtbot.waitUntil(lambda: form.pay_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(form.pay_button, Qt.MouseButton.LeftButton)
    dialog = form.payment_dialog
    assert isinstance(dialog, PaymentDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=5000)
    assert dialog.person.id == farmer_id
    dialog.reject()


def test_the_receipt_can_be_previewed_for_printing(qtbot, centre, runner, farmer_id):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    assert not dialog.print_button.isEnabled()  # nothing to print before the payment
    number = pay(qtbot, dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    preview = dialog.findChild(QDialog, "printPreview")
    assert preview is not None and preview.isVisible()
    assert preview.result.title == f"缴费凭证 {number}"
    preview.close()

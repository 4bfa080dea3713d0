"""Taking a payment through the real dialog: what is shown, the receipt number, failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.actor import ROLE_PERMISSIONS, Permission, Role
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
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
def household(centre: OpenSession):
    """单雄信 (pension + medical) and his wife 秦琼 (medical), one household."""
    from tests.services.test_contribution_periods import _household

    home = _household(centre)
    head = enrol(
        centre.database,
        centre.actor,
        farmer(household_id=home, relationship_to_head="02"),
        [
            EnrolmentChoice("resident_pension", tier_fen=50_000),
            EnrolmentChoice("resident_medical"),
        ],
        today=TODAY,
    ).person_id
    wife = enrol(
        centre.database,
        centre.actor,
        farmer(
            id_number="320583198202020245",
            name="秦琼",
            household_id=home,
            relationship_to_head="10",
        ),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    return head, wife


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


def lines_of(dialog: PaymentDialog) -> list[tuple[str, str, bool, bool, str]]:
    """(line, period shown, enabled, ticked, amount) per line."""
    return [
        (
            row.check.text().replace("&", ""),
            row.period.currentText(),
            row.check.isEnabled(),
            row.check.isChecked(),
            row.amount.text(),
        )
        for row in dialog.rows
    ]


def test_one_confirm_takes_every_open_scheme_on_one_receipt(qtbot, centre, runner, farmer_id):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    assert "单雄信" in dialog.who.text()
    # On 27 November the medical insurance being collected is next year's.
    assert lines_of(dialog) == [
        ("1 单雄信 · 城乡居民基本养老保险", "2026年度", True, True, "¥500.00"),
        ("2 单雄信 · 城乡居民基本医疗保险", "2027年度", True, True, "¥400.00"),
    ]
    assert dialog.rows[0].choice.text() == "500元档"
    assert [dialog.rows[0].period.itemText(i) for i in range(3)] == [
        "2024年度（补缴）",  # the demo province lets two past years be paid
        "2025年度（补缴）",
        "2026年度",
    ]
    assert dialog.total.text() == "¥900.00（2项）"
    assert dialog.capitals.text() == "玖佰元整"
    assert not dialog.rows[0].months.isVisibleTo(dialog)  # yearly scheme
    dialog.method.setCurrentIndex(dialog.method.findText("微信"))
    assert pay(qtbot, dialog) == "320583101-01-2026-000001"
    assert "320583101-01-2026-000001" in dialog.receipt_label.text()
    assert len(dialog.receipt.lines) == 2
    assert not dialog.confirm_button.isEnabled()
    assert not any(row.check.isEnabled() for row in dialog.rows)
    assert dialog.print_button.isEnabled()
    payments = person_detail(centre.database, str(farmer_id)).payments
    assert sorted((p.scheme, p.method, p.personal_fen, p.receipt_number) for p in payments) == [
        ("resident_medical", "wechat", 40_000, "320583101-01-2026-000001"),
        ("resident_pension", "wechat", 50_000, "320583101-01-2026-000001"),
    ]

    # Opened again: nothing paid is offered or ticked; the paid periods name their receipt.
    again = open_dialog(qtbot, centre, runner, farmer_id)
    pension, medical = again.rows
    assert not medical.check.isEnabled() and not medical.check.isChecked()
    assert medical.period.currentText() == "2027年度 已缴费（收据 320583101-01-2026-000001）"
    assert medical.amount.text() == "已缴费"
    # The pension's open periods are now only the arrears, none ticked.
    assert pension.check.isEnabled() and not pension.check.isChecked()
    assert [pension.period.itemText(i) for i in range(pension.period.count())] == [
        "2024年度（补缴）",
        "2025年度（补缴）",
    ]
    assert not again.confirm_button.isEnabled()


def test_arrears_are_chosen_by_the_clerk_and_marked(qtbot, centre, runner, farmer_id):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    dialog.rows[1].check.setChecked(False)
    dialog.rows[0].period.setCurrentIndex(1)  # 2025, paid late
    assert dialog.total.text() == "¥500.00（1项）"
    pay(qtbot, dialog)
    (line,) = dialog.receipt.lines
    assert line.arrears and line.period_start == date(2025, 1, 1)


def test_household_members_are_offered_and_paid_on_the_same_receipt(
    qtbot, centre, runner, household
):
    head, wife = household
    dialog = open_dialog(qtbot, centre, runner, head)
    assert [row[:4] for row in lines_of(dialog)] == [
        ("1 单雄信 · 城乡居民基本养老保险", "2026年度", True, True),
        ("2 单雄信 · 城乡居民基本医疗保险", "2027年度", True, True),
        ("3 秦琼 · 城乡居民基本医疗保险", "2027年度", True, False),  # not ticked for them
    ]
    dialog.rows[2].check.setChecked(True)
    assert dialog.total.text() == "¥1,300.00（3项）"
    # Keyboard: Ctrl+Enter confirms.
    dialog.show()
    dialog.activateWindow()  # shortcuts fire only in the active window, as on a real desk
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    qtbot.keyClick(dialog.rows[2].check, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10_000)
    assert [(line.person_id, line.receipt_line) for line in dialog.receipt.lines] == [
        (head, 1),
        (head, 2),
        (wife, 3),
    ]


def test_a_period_paid_meanwhile_is_refused_naming_the_receipt(qtbot, centre, runner, farmer_id):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    other = record_payment(
        centre.database, centre.actor, person_id=farmer_id, scheme="resident_pension", today=TODAY
    )
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=10_000)
    assert other.receipt_number in dialog.banner.text() and "已缴费" in dialog.banner.text()
    assert dialog.receipt is None and dialog.confirm_button.isEnabled()
    with centre.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == 1


def test_flexible_pension_is_paid_by_the_month(qtbot, centre, runner):
    person_id = enrol(
        centre.database,
        centre.actor,
        farmer(id_number=FLEXIBLE_ID, name="李灵活", employment_category="flexible"),
        [EnrolmentChoice("employee_pension_flexible", base_fen=500_000)],
        today=TODAY,
    ).person_id
    dialog = open_dialog(qtbot, centre, runner, person_id)
    (row,) = dialog.rows
    assert row.months.isVisibleTo(dialog)
    assert row.months.maximum() == 12
    assert row.choice.text() == "月缴费基数5,000.00元"
    assert row.amount.text() == "¥1,000.00"
    row.months.setValue(3)
    assert row.amount.text() == "¥3,000.00"
    assert dialog.capitals.text() == "叁仟元整"
    assert row.period.currentText() == "2026年11月至2027年1月"
    pay(qtbot, dialog)
    (payment,) = person_detail(centre.database, str(person_id)).payments
    assert payment.amount_fen == 300_000
    assert (payment.period_start, payment.period_end) == (date(2026, 11, 1), date(2027, 1, 31))


def test_outside_the_window_nothing_is_offered(qtbot, centre, runner, farmer_id):
    dialog = PaymentDialog(centre, runner, farmer_id, today=lambda: date(2026, 6, 1))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=5000)
    medical = dialog.rows[1]
    assert not medical.check.isEnabled()
    assert medical.period.currentText() == "今天不在征缴期"
    assert dialog.total.text() == "¥500.00（1项）"


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
    assert "找不到" in dialog.banner.text()
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
    assert dialog.person.payer_id == farmer_id
    dialog.reject()


def test_the_receipt_can_be_previewed_for_printing(qtbot, centre, runner, farmer_id):
    dialog = open_dialog(qtbot, centre, runner, farmer_id)
    assert not dialog.print_button.isEnabled()  # nothing to print before the payment
    number = pay(qtbot, dialog)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QDialog, "printPreview") is not None, timeout=10_000)
    preview = dialog.findChild(QDialog, "printPreview")
    assert preview.isVisible()
    assert preview.result.title == f"缴费凭证 {number}"
    assert preview.result.pages == 1  # both schemes on one receipt
    preview.close()

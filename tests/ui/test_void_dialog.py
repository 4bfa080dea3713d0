"""Voiding through the real dialog at a clerk's session: the supervisor types their own
credentials, the clerk stays logged in; a clerk's credentials or a wrong password change
nothing; the void slip is offered; the Payments page and the person view reach the dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.store.models import AuditEntry, OutboxEntry, Payment
from caseworker.ui.dialogs.void_dialog import VoidDialog
from caseworker.ui.views.payments_view import PaymentsPage
from caseworker.ui.views.person_view import PersonView
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD
from tests.services import test_voids
from tests.services.test_enrolment import farmer
from tests.ui.helpers import type_chinese

clerk = test_voids.clerk  # the clerk's own session, as in the service tests


@pytest.fixture
def paid(clerk: OpenSession) -> tuple[object, str]:
    person_id = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=date.today(),
    ).person_id
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension"
    )
    return person_id, receipt.receipt_number


def open_dialog(qtbot, session, runner, number) -> VoidDialog:
    dialog = VoidDialog(session, runner, number)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=5000)
    return dialog


def fill(qtbot, dialog: VoidDialog, reason: str, username: str, password: str) -> None:
    type_chinese(dialog.reason, reason)
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)


def confirm_and_wait(qtbot, dialog: VoidDialog) -> None:
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy and dialog.banner.kind != "info", timeout=10_000)


def untouched(session: OpenSession, number: str) -> bool:
    with session.database.reading() as db:
        payment = db.scalars(select(Payment).where(Payment.receipt_number == number)).one()
        voids = db.scalars(select(OutboxEntry).where(OutboxEntry.operation == "void")).all()
    return payment.voided_at is None and not voids


def refusals(session: OpenSession) -> list[str]:
    with session.database.reading() as db:
        entries = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "operator.reauth_refused")
        )
        return [e.detail["reason"] for e in entries]


def test_the_supervisor_voids_at_the_clerks_session_and_the_slip_is_offered(
    qtbot, clerk, runner, paid
):
    _, number = paid
    before = clerk.actor
    dialog = open_dialog(qtbot, clerk, runner, number)
    assert "单雄信" in dialog.lines.text() and "¥500.00" in dialog.lines.text()
    assert dialog.username.text() == ""  # a clerk may not void: nobody is filled in
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert dialog.reason.accessibleName() == "作废原因"
    fill(qtbot, dialog, "档次录错，应为300元档", "supervisor", SUPERVISOR_PASSWORD)
    with qtbot.waitSignal(dialog.voided, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert signal.args == [number]
    assert dialog.banner.kind == "success" and number in dialog.banner.label.text()
    assert dialog.password.text() == "" and not dialog.reason.isEnabled()
    assert dialog.slip_button.isVisible() and dialog.slip_button.isDefault()
    with clerk.database.reading() as db:
        payment = db.scalars(select(Payment).where(Payment.receipt_number == number)).one()
        void = db.scalars(select(AuditEntry).where(AuditEntry.action == "payment.void")).one()
    assert payment.void_reason == "档次录错，应为300元档"
    assert void.operator_name == "supervisor"
    assert clerk.actor == before  # the clerk's session is the clerk's still

    qtbot.mouseClick(dialog.slip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.slip_preview is not None, timeout=10_000)
    preview = dialog.slip_preview
    assert preview.isVisible()
    qtbot.addWidget(preview)
    assert number in preview.result.title and preview.result.pages == 1


def test_a_clerks_credentials_typed_in_the_dialog_change_nothing(qtbot, clerk, runner, paid):
    _, number = paid
    dialog = open_dialog(qtbot, clerk, runner, number)
    fill(qtbot, dialog, "档次录错，应为300元档", "clerk", CLERK_PASSWORD)
    confirm_and_wait(qtbot, dialog)
    assert dialog.banner.kind == "error"
    assert "经办员" in dialog.banner.label.text() and "无权作废收据" in dialog.banner.label.text()
    assert dialog.reason.text() == "档次录错，应为300元档"  # nothing typed is lost
    assert dialog.password.text() == "" and dialog.confirm_button.isEnabled()
    assert dialog.focusWidget() is dialog.username
    assert untouched(clerk, number) and refusals(clerk) == ["not_permitted"]


def test_a_wrong_password_is_refused_and_audited(qtbot, clerk, runner, paid):
    _, number = paid
    dialog = open_dialog(qtbot, clerk, runner, number)
    fill(qtbot, dialog, "档次录错，应为300元档", "supervisor", "guess guess")
    confirm_and_wait(qtbot, dialog)
    assert "用户名或密码不正确" in dialog.banner.label.text()
    assert dialog.password.text() == "" and dialog.focusWidget() is dialog.password
    assert untouched(clerk, number) and refusals(clerk) == ["wrong_password"]
    # The same dialog then succeeds with the right password.
    qtbot.keyClicks(dialog.password, SUPERVISOR_PASSWORD)
    with qtbot.waitSignal(dialog.voided, timeout=10_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)


def test_a_short_reason_is_told_before_any_password_is_checked(qtbot, clerk, runner, paid):
    _, number = paid
    dialog = open_dialog(qtbot, clerk, runner, number)
    fill(qtbot, dialog, "错", "supervisor", SUPERVISOR_PASSWORD)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.kind == "error" and "至少4个字" in dialog.banner.label.text()
    assert dialog.focusWidget() is dialog.reason
    assert untouched(clerk, number) and refusals(clerk) == []


def test_an_already_void_receipt_is_said_and_cannot_be_confirmed(qtbot, clerk, runner, paid):
    _, number = paid
    first = open_dialog(qtbot, clerk, runner, number)
    fill(qtbot, first, "档次录错，应为300元档", "supervisor", SUPERVISOR_PASSWORD)
    with qtbot.waitSignal(first.voided, timeout=10_000):
        qtbot.mouseClick(first.confirm_button, Qt.MouseButton.LeftButton)
    again = open_dialog(qtbot, clerk, runner, number)
    assert again.banner.kind == "warning" and "不能再次作废" in again.banner.label.text()
    assert not again.confirm_button.isEnabled() and again.slip_button.isVisible()


def test_the_payments_page_and_the_person_view_open_the_void_dialog(qtbot, clerk, runner, paid):
    person_id, number = paid
    page = PaymentsPage(clerk, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert page.void_button.isEnabled() and page.void_button.accessibleName() == "作废收据"
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    dialog = page.void_dialog
    assert dialog is not None and dialog.receipt_number == number
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=5000)
    fill(qtbot, dialog, "缴费人重复缴费", "supervisor", SUPERVISOR_PASSWORD)
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # the page reloads after the void
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert page.model.row(0).voided and not page.void_button.isEnabled()
    dialog.close()

    view = PersonView(clerk, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded):
        view.show_person(person_id)
    view.payment_table.selectRow(0)
    assert not view.void_button.isEnabled()  # already void
    for box in QApplication.topLevelWidgets():
        if box.objectName() == "voidDialog":
            box.close()


def test_the_person_view_voids_a_live_receipt(qtbot, clerk, runner, paid):
    person_id, number = paid
    view = PersonView(clerk, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded):
        view.show_person(person_id)
    assert not view.void_button.isEnabled()  # nothing selected yet
    view.payment_table.selectRow(0)
    assert view.void_button.isEnabled()
    qtbot.mouseClick(view.void_button, Qt.MouseButton.LeftButton)
    dialog = view.void_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=5000)
    fill(qtbot, dialog, "缴费人重复缴费", "supervisor", SUPERVISOR_PASSWORD)
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # the person reloads after the void
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert view.payment_model.row(0).voided
    assert not untouched(clerk, number)
    dialog.close()

"""The 审核 page, the daily close dialog and the sent-back list on the clerk's front page,
as real widgets on a real runner and a real encrypted centre."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.day_close import day_overview
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.review import review_items
from caseworker.store.models import DayClose, OutboxReview, Payment
from caseworker.ui.dialogs.day_close_dialog import DayCloseDialog
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.views.front_desk import FrontDeskPage
from caseworker.ui.views.review_view import ReviewPage
from tests.services.test_enrolment import farmer


def enrol_and_pay(clerk: OpenSession, n: int, *, pay: bool = True):
    number = make_id_number("320583", date(1971 + n, 5, 6), 301 + 2 * n)
    person_id = enrol(
        clerk.database,
        clerk.actor,
        farmer(id_number=number, name=["王秀英", "李建国", "张桂兰"][n % 3]),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
    ).person_id
    if pay:
        record_payment(clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension")
    return person_id


def open_page(qtbot, session, runner) -> ReviewPage:
    page = ReviewPage(session, runner)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    return page


def test_a_clerk_cannot_reach_the_review_page(qtbot, clerk, runner):
    window = MainWindow(clerk, runner)
    qtbot.addWidget(window)
    position = PAGES.index("review")
    assert window.nav.item(position).text().startswith("审核")
    assert window.nav.item(position).isHidden()
    assert not window.page_actions[position].isEnabled()
    window.show_page(position)
    assert window.current_page_name() == "home"
    page = ReviewPage(clerk, runner)
    qtbot.addWidget(page)
    assert not page.allowed and page.findChild(object, "approveSelected") is None


def test_the_supervisor_approves_and_sends_back_and_the_clerk_sees_it(
    qtbot, clerk, supervisor, runner
):
    first = enrol_and_pay(clerk, 0)
    enrol_and_pay(clerk, 1, pay=False)
    window = MainWindow(supervisor, runner)
    qtbot.addWidget(window)
    page = window.review_page  # built here (on first use); it reads when shown
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # both its lists, not only the first
        window.show_page(PAGES.index("review"))
    assert window.current_page_name() == "review"
    assert page.model.rowCount() == 7
    assert "待审 7 条" in page.summary.text()

    # Send back the first person's creation, with a comment (Enter in the comment box).
    page.table.selectRow(0)
    page.comment.setText("户籍地址与户口簿不符，请核对")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.comment.returnPressed.emit()
    assert page.model.row(0).state == "returned"
    assert "已退回" in page.banner.text()

    # Approve the rest: select everything still undecided but the returned one.
    page.select_undecided()
    page.table.selectionModel().select(
        page.model.index(0, 0),
        page.table.selectionModel().SelectionFlag.Deselect
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.approve_button.click()
    states = [page.model.row(r).state for r in range(page.model.rowCount())]
    assert states == ["returned"] + ["approved"] * 6
    with supervisor.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(OutboxReview)) == 7

    # The clerk's front page shows it, with the comment; Enter opens the person.
    desk = FrontDeskPage(clerk, runner)
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitUntil(lambda: desk.returned.list.count() == 1, timeout=10_000)
    assert desk.returned.isVisible()
    text = desk.returned.list.item(0).text()
    assert "户籍地址与户口簿不符" in text and "新增人员" in text
    desk.returned.list.setCurrentRow(0)
    desk.returned.list.itemActivated.emit(desk.returned.list.item(0))
    assert desk.stack.currentWidget() is desk.person
    assert desk.person._wanted == first

    # The correction (saved through the same service the form calls) clears the list.
    enrol(
        clerk.database,
        clerk.actor,
        farmer(id_number=make_id_number("320583", date(1971, 5, 6), 301), name="王秀英"),
        [],
    )
    with qtbot.waitSignal(desk.returned.loaded, timeout=10_000):
        desk.refresh()
    assert desk.returned.list.count() == 0 and not desk.returned.isVisible()
    items = review_items(supervisor.database, supervisor.actor, date.today())
    assert items[0].state == "corrected"


def test_the_close_dialog_computes_the_difference_live_and_needs_a_note(
    qtbot, clerk, supervisor, runner
):
    enrol_and_pay(clerk, 0)
    page = open_page(qtbot, supervisor, runner)
    page.tabs.setCurrentIndex(1)
    assert page.close_model.rowCount() == 1
    page.close_table.selectRow(0)
    page.close_button.click()
    qtbot.waitUntil(lambda: page.close_dialog is not None, timeout=10_000)
    dialog: DayCloseDialog = page.close_dialog  # type: ignore[assignment]
    assert dialog.values["expected"].text() == "500.00 元"
    assert not dialog.confirm_button.isEnabled()  # nothing counted yet
    qtbot.keyClicks(dialog.counted, "4a")
    assert "“a”" in dialog.counted_box.text() and dialog.difference.text() == "—"
    assert not dialog.confirm_button.isEnabled()
    dialog.counted.clear()
    qtbot.keyClicks(dialog.counted, "490.50")  # typed as the supervisor types it
    assert dialog.difference.text() == "-9.50 元（不符）"
    assert not dialog.confirm_button.isEnabled() and dialog.note_box.text()
    with supervisor.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(DayClose)) == 0
    dialog.note.setText("少9.50元，经办员补交")
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.record is not None and dialog.record.difference_fen == -950
    row = page.close_model.row(0)
    assert row.close is not None and row.close.note == "少9.50元，经办员补交"
    (overview,) = day_overview(supervisor.database, supervisor.actor, date.today())
    assert overview.close is not None


def test_the_payment_dialog_refuses_a_closed_day_naming_who_closed_it(
    qtbot, clerk, supervisor, runner
):
    from caseworker.services.day_close import close_day

    person = enrol_and_pay(clerk, 0)
    close_day(
        supervisor.database,
        supervisor.actor,
        operator_id=clerk.actor.operator_id,
        day=date.today(),
        counted_cash_fen=50_000,
    )
    dialog = PaymentDialog(clerk, runner, person)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=10_000)
    # The pension is paid for this year; what is still open (the medical insurance) is ticked.
    assert any(row.check.isChecked() for row in dialog.rows)
    with clerk.database.reading() as db:
        before = db.scalar(select(func.count()).select_from(Payment))
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "日结" in dialog.banner.text(), timeout=10_000)
    assert date.today().isoformat() in dialog.banner.text()
    assert supervisor.actor.display_name in dialog.banner.text()
    assert dialog.receipt is None
    with clerk.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == before


def test_reopening_from_the_page_needs_a_reason(qtbot, clerk, supervisor, runner):
    from caseworker.services.day_close import close_day

    enrol_and_pay(clerk, 0)
    close_day(
        supervisor.database,
        supervisor.actor,
        operator_id=clerk.actor.operator_id,
        day=date.today(),
        counted_cash_fen=50_000,
    )
    page = open_page(qtbot, supervisor, runner)
    page.tabs.setCurrentIndex(1)
    page.close_table.selectRow(0)
    page.close_button.click()  # already closed: said, no dialog
    assert "已日结" in page.banner.text() and page.close_dialog is None
    page.reopen_button.click()  # no reason typed
    qtbot.waitUntil(lambda: "原因" in page.banner.text() and "撤销日结必须" in page.banner.text())
    assert page.close_model.row(0).close is not None
    page.reopen_reason.setText("漏录一笔现金")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reopen_button.click()
    assert page.close_model.row(0).close is None and page.reopen_reason.text() == ""

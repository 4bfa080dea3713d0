"""Fewer keystrokes at the desk, on real widgets, the real runner and a real store: Ctrl+N
from a search, Enter in the payment dialog, the region cascade from a village code or name,
the tier list, and the person found once by an ID tail."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseworker.services.enrolment import enrol
from caseworker.services.registry import person_detail
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer
from tests.ui import test_payment_dialog

farmer_id = test_payment_dialog.farmer_id  # the fixture: a farmer with pension and medical


@pytest.mark.parametrize("focus", ["first line", "period", "method", "close"])
def test_enter_confirms_the_payment_dialog(qtbot, centre, runner, farmer_id, focus):
    dialog = PaymentDialog(centre, runner, farmer_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    target = {
        "first line": dialog.rows[0].check,
        "period": dialog.rows[0].period,
        "method": dialog.method,
        "close": dialog.close_button,  # tabbed past the method: Enter still confirms
    }[focus]
    target.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10_000)
    assert len(person_detail(centre.database, str(farmer_id)).payments) == 2
    # A second Enter (the receipt is on screen) pays nothing more.
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
    assert len(person_detail(centre.database, str(farmer_id)).payments) == 2


def test_enter_confirms_the_payment_dialog_as_opened_from_the_person_page(
    qtbot, centre, runner, farmer_id
):
    from caseworker.ui.views.front_desk import FrontDeskPage

    page = FrontDeskPage(centre, runner)
    qtbot.addWidget(page)
    page.show()
    page.open_person(farmer_id)
    page.record_payment(farmer_id)
    dialog = page.payment_dialog
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10_000)


UNKNOWN_VALID_ID = "11010519491231002X"  # the standard's published example


def _searched(qtbot, search, text: str) -> None:
    search.search_box.clear()
    with qtbot.waitSignal(search.searched, timeout=10_000):
        qtbot.keyClicks(search.search_box, text)


def _active_window(qtbot, centre, runner):
    """The main window, active (shortcuts fire only in the active window, as on a desk)."""
    from caseworker.ui.main_window import MainWindow

    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.focus_search()  # Ctrl+F from 今日, where the window opens: the desk's keys begin here
    return window


def test_ctrl_n_from_a_search_for_an_unknown_valid_id_fills_it_in(qtbot, centre, runner):
    window = _active_window(qtbot, centre, runner)
    search = window.front_desk.search
    _searched(qtbot, search, UNKNOWN_VALID_ID)
    assert search.offer.isVisibleTo(search)
    qtbot.keyClick(search.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.front_desk.form
    assert form is not None
    qtbot.waitUntil(lambda: form.isVisibleTo(window))
    assert form.person.id_number.text() == UNKNOWN_VALID_ID
    assert form.person.identity is not None  # read: birth date, sex, age filled from it


def test_ctrl_n_after_a_search_that_found_someone_opens_an_empty_form(
    qtbot, centre, runner, farmer_id
):
    window = _active_window(qtbot, centre, runner)
    search = window.front_desk.search
    _searched(qtbot, search, "0016")
    assert search.model.rowCount() == 1 and search.unknown_id is None
    qtbot.keyClick(search.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.front_desk.form.person.id_number.text() == ""


def test_a_person_whose_phone_and_id_share_the_tail_is_listed_once(qtbot, centre, runner):
    from caseworker.ui.views.search_view import SearchView

    enrol(
        centre.database,
        centre.actor,
        farmer(phone="139 1234 0016"),  # ID number ends 0016 too
        [],
        today=TODAY,
    )
    view = SearchView(centre, runner)
    qtbot.addWidget(view)
    for text in ("0016", "shanxiong", "sxx", "s"):
        _searched(qtbot, view, text)
        ids = [view.model.rows[i].id for i in range(view.model.rowCount())]
        assert len(ids) == 1, (text, ids)
        assert "找到 1 人" in view.hint.text()


def test_the_person_page_names_the_operator_and_masks_the_id_for_a_clerk(
    qtbot, centre, runner, farmer_id
):
    from caseworker.services.centre import login
    from caseworker.services.payments import record_payment
    from caseworker.ui.views.person_view import PersonView
    from tests.conftest import CLERK_PASSWORD

    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        record_payment(clerk.database, clerk.actor, person_id=farmer_id, scheme="resident_medical")
        view = PersonView(clerk, runner)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.show_person(farmer_id)
        masked = "3205**********0016"
        assert masked in view.title.text() and "320583198001010016" not in view.title.text()
        assert view.fact_labels["id_number"].text() == masked  # the same as the header
        paid_by = view.payment_model.data(view.payment_model.index(0, 6))
        assert paid_by.endswith("（经办员）") and paid_by != "clerk"
        who = {
            view.history_model.data(view.history_model.index(row, 1))
            for row in range(view.history_model.rowCount())
        }
        assert any(w.endswith("（管理员）") for w in who) and "admin" not in who
    finally:
        clerk.close()

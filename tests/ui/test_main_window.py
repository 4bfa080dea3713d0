"""The main window: who is logged in, navigation and shortcuts, status bar, remembered layout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.registry import pending_uploads_in
from caseworker.ui.main_window import PAGE_SHORTCUTS, PAGES, MainWindow
from tests.conftest import CLERK_PASSWORD
from tests.services.test_enrolment import farmer


def pending_upload_count(database) -> int:
    """What the status bar counts (``front_page``'s figure), read on its own."""
    with database.reading() as session:
        return pending_uploads_in(session)


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def open_window(qtbot, session, runner) -> MainWindow:
    window = MainWindow(session, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.status_refreshed), qtbot.waitActive(window):
        window.show()
    return window


def test_title_and_status_bar_show_centre_operator_role_and_pending(qtbot, clerk, runner):
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=date.today(),
    )
    window = open_window(qtbot, clerk, runner)
    assert "玉山镇社会保障服务中心" in window.windowTitle()
    assert "clerk" in window.windowTitle() and "经办员" in window.windowTitle()
    assert "320583101" in window.who_label.text()
    pending = pending_upload_count(clerk.database)
    # The person, the enrolment and the medical status it decides (enrolled, not paid).
    assert pending == 3
    assert window.pending_label.text() == "待上传 3 条"
    assert window.sync_label.text() == "从未同步"
    assert window.network_label.text() in {"在线", "离线", "仅局域网", "网络状态未知"}
    # A payment elsewhere, then F5: the count follows.
    record_payment(
        clerk.database, clerk.actor, person_id=result.person_id, scheme="resident_medical"
    )
    with qtbot.waitSignal(window.status_refreshed):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    after = pending_upload_count(clerk.database)
    assert after > pending  # the payment (and the status it may decide)
    assert window.pending_label.text() == f"待上传 {after} 条"


def test_ctrl_digits_switch_pages_and_ctrl_f_finds(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    for position, name in enumerate(PAGES[:9]):  # Ctrl+1..9; later pages have their own keys
        before = window.stack.currentIndex()
        keys = QKeySequence(PAGE_SHORTCUTS[name])[0]
        qtbot.keyClick(window, keys.key(), keys.keyboardModifiers())
        # A page the clerk may not see (review, audit, operators) is hidden in the navigation
        # and not reached by its shortcut either.
        shown = position if window.may_see(name) else before
        assert window.current_page_name() == PAGES[shown]
        assert window.nav.currentRow() == shown
        assert window.nav.item(position).isHidden() is not window.may_see(name)
    assert not any(window.may_see(page) for page in ("review", "audit", "operators"))
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_F, shift)
    assert window.current_page_name() == "visits"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "front_desk"
    assert window.search_box.hasFocus()


def test_payments_page_lists_todays_payments(qtbot, clerk, runner):
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=date.today(),
    )
    receipt = record_payment(
        clerk.database, clerk.actor, person_id=result.person_id, scheme="resident_medical"
    )
    window = open_window(qtbot, clerk, runner)
    with qtbot.waitSignal(window.payments.loaded):
        window.show_page(PAGES.index("payments"))
    model = window.payments.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, 1)) == receipt.receipt_number
    assert model.data(model.index(0, 2)) == "单雄信"
    assert "共 1 笔" in window.payments.summary.text()


def test_ctrl_n_opens_a_new_enrolment(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    window.show_page(PAGES.index("reports"))
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "front_desk"
    assert window.front_desk.stack.currentWidget() is window.front_desk.form_holder
    assert window.front_desk.form.person_id is None  # a fresh, empty form


def test_layout_is_remembered_and_the_window_opens_on_today(
    qtbot, clerk, runner, _isolated_preferences
):
    window = open_window(qtbot, clerk, runner)
    window.resize(QSize(700, 520))
    window.move(QPoint(40, 30))
    window.show_page(PAGES.index("employers"))
    window.close()
    assert list(_isolated_preferences.rglob("*.ini"))  # written in the test's folder only
    again = open_window(qtbot, clerk, runner)
    assert again.current_page_name() == "home"  # 今日 after every login, whatever was last
    assert again.size() == QSize(700, 520)


def test_sync_page_is_the_sync_view_and_feeds_the_status_bar(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    window.show_page(PAGES.index("sync"))
    assert window.stack.currentWidget() is window.sync_page
    assert window.sync_page.objectName() == "syncView"
    with qtbot.waitSignal(window.sync_page.status_changed):
        window.sync_page.refresh()
    assert "从未同步" in window.sync_label.text()
    window.sync_page.status_changed.emit(7, datetime.now(UTC) - timedelta(minutes=5))
    assert "待上传 7 条" in window.pending_label.text()
    assert "5 分钟前" in window.sync_label.text()


def test_every_input_has_an_object_name_and_an_accessible_name(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    for name in PAGES:
        window.page(name)  # pages not shown yet count too: built here
    window.front_desk.person.show()  # hidden pages count too
    inputs = [
        widget
        for kind in (QLineEdit, QComboBox, QCheckBox, QAbstractItemView)
        for widget in window.findChildren(kind)
        if widget.window() is window  # not the popups Qt makes for combo boxes
        and not isinstance(widget, QHeaderView)
        and type(widget).__module__.startswith(("caseworker", "PySide6"))
    ]
    assert len(inputs) > 8
    missing = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in inputs
        if not (w.objectName() and w.accessibleName()) and not _inside_other_modules(w)
    ]
    assert missing == []


def _inside_other_modules(widget: QWidget) -> bool:
    """The enrolment form is checked by its own tests."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.objectName() == "enrolmentForm":
            return True
        parent = parent.parentWidget()
    return False


def built(window: MainWindow) -> list[str]:
    return [name for name in PAGES if window.built_page(name) is not None]


def test_a_page_is_built_when_first_reached_by_its_key_and_refreshes_after_a_write(
    qtbot, clerk, runner
):
    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_medical"), EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=date.today(),
    )
    record_payment(
        clerk.database, clerk.actor, person_id=result.person_id, scheme="resident_medical"
    )
    window = open_window(qtbot, clerk, runner)
    assert built(window) == ["home"]  # the launch built the landing page only
    assert window.stack.widget(PAGES.index("payments")).objectName() == "page_payments_unbuilt"
    with qtbot.waitSignal(window.page_built) as building:
        qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert building.args == ["payments"] and built(window) == ["home", "payments"]
    payments = window.built_page("payments")
    assert window.stack.currentWidget() is payments and window.nav.currentRow() == 3
    qtbot.waitUntil(lambda: payments.model.rowCount() == 1, timeout=10_000)
    # Written elsewhere (another desk, the command line): F5 reads again, as on any page.
    record_payment(
        clerk.database, clerk.actor, person_id=result.person_id, scheme="resident_pension"
    )
    with qtbot.waitSignal(payments.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert payments.model.rowCount() == 2
    assert "共 2 笔" in payments.summary.text()
    # Shown again, nothing is built twice.
    window.show_page(0)
    window.show_page(PAGES.index("payments"))
    assert window.built_page("payments") is payments and window.stack.count() == len(PAGES)


def test_a_save_before_a_page_is_built_is_not_lost(qtbot, clerk, runner):
    """The front desk saves (data_changed): the status bar and the desk's counts follow at
    once; the worklists page, not built yet, shows the saved person when first shown."""
    window = open_window(qtbot, clerk, runner)
    with qtbot.waitSignal(window.status_refreshed):
        strip = window.front_desk.worklist_strip  # built now, it reads again (sent back)
    before = {code: button.text() for code, button in strip.buttons.items()}
    assert not any("…" in text for text in before.values())  # the front page's reading
    enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=date.today(),
    )
    with qtbot.waitSignal(window.status_refreshed, timeout=10_000):
        window.front_desk.data_changed.emit()  # what the desk's form does once it saved
    assert window.pending_label.text() == f"待上传 {pending_upload_count(clerk.database)} 条"
    assert {code: button.text() for code, button in strip.buttons.items()} != before
    assert window.built_page("worklists") is None
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_L, shift)
    worklists = window.built_page("worklists")
    assert worklists is not None and window.current_page_name() == "worklists"
    qtbot.waitUntil(lambda: worklists.figures == window.figures.worklist_counts, timeout=10_000)
    assert worklists.figures["not_covered"] >= 1
    # Built now, the page hears of the next save (its open list reloads when next shown).
    window.front_desk.data_changed.emit()
    assert worklists.needs_loading


def test_a_window_remembered_on_a_larger_screen_opens_inside_this_one(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    room = window.screen().availableGeometry()
    # As saved on a 1920×1080 desk: larger than this screen, and partly off it.
    window.setGeometry(room.width() // 2, room.height() // 2, room.width() * 2, room.height() * 2)
    window.close()
    again = open_window(qtbot, clerk, runner)
    assert room.contains(again.frameGeometry()), (again.frameGeometry(), room)
    assert again.size().width() < room.width() * 2


def test_a_new_window_is_no_larger_than_the_screen(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    room = window.screen().availableGeometry()  # the test screen is smaller than 1180×760
    assert window.width() <= min(1180, room.width()) and window.height() <= room.height()
    assert room.contains(window.frameGeometry())

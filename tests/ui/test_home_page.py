"""今日, the home page: the day's figures for a seeded store (a clerk's own, a supervisor's
centre), each item of what needs attention leading to its page, Ctrl+1, a calm empty day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select, update

from caseworker.domain.money import format_yuan
from caseworker.services import review
from caseworker.services.worklists import KINDS
from caseworker.store.models import OutboxEntry, SyncLink
from caseworker.ui.drafts import ENROLMENT, DraftStore
from caseworker.ui.main_window import PAGES, MainWindow
from tests.home_data import seed_day
from tests.ui.test_main_window import open_window


def home_of(window: MainWindow):
    home = window.built_page("home")
    assert home is not None and window.current_page_name() == "home"
    return home


def texts(home, scope: str) -> list[str]:
    return [cell.text() for cell in home.work_cells[scope]]


def attention(home) -> dict[str, QWidget]:
    return {b.objectName().removeprefix("homeAttention_"): b for b in home.attention}


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_clerk_lands_on_today_with_their_own_figures(qtbot, clerk, supervisor, runner):
    seeded = seed_day(clerk, supervisor, date.today())
    window = open_window(qtbot, clerk, runner)
    home = home_of(window)
    assert window.built_page("front_desk") is None  # the launch built the home page only
    # enrolments, payments, receipts, voids, cash, other methods — cash in yuan, to the fen
    other = seeded.clerk_collected_fen - seeded.clerk_cash_fen
    assert texts(home, "mine") == [
        "5",
        "2",
        "3",
        "1",
        format_yuan(seeded.clerk_cash_fen, symbol=True),
        format_yuan(other, symbol=True),
    ]
    assert "centre" not in home.work_cells  # a clerk sees their own day only
    assert "unclosed" not in attention(home)  # closing days is a supervisor's
    assert not home.work_empty.isVisible()
    # The worklists' counts are the reading's, each a button to its list.
    counts = window.figures.worklist_counts
    for kind in KINDS:
        assert home.worklist_buttons[kind.code].text().endswith(f"  {counts[kind.code]}")
    click(qtbot, home.worklist_buttons["not_covered"])
    assert window.current_page_name() == "worklists"


def test_a_supervisor_sees_the_centre_and_the_day_left_unclosed(qtbot, clerk, supervisor, runner):
    seeded = seed_day(clerk, supervisor, date.today())
    window = open_window(qtbot, supervisor, runner)
    home = home_of(window)
    assert texts(home, "mine")[:2] == ["2", "1"]
    assert texts(home, "centre")[:4] == ["7", "3", "4", "1"]
    assert texts(home, "centre")[4] == format_yuan(
        seeded.clerk_cash_fen + seeded.supervisor_cash_fen, symbol=True
    )
    unclosed = attention(home)["unclosed"]
    assert seeded.yesterday.isoformat() in unclosed.text()
    assert clerk.actor.display_name in unclosed.text()
    assert unclosed.text().endswith("\tAlt+1")
    # Its key leads to the review page's 日结 tab on that day, the clerk's takings listed.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current_page_name() == "review")  # a key animates a click
    page = window.built_page("review")
    assert page.tabs.currentIndex() == 1
    assert page.chosen_day() == seeded.yesterday
    qtbot.waitUntil(lambda: page.close_model.rowCount() == 1, timeout=10_000)


@pytest.fixture
def troubles(clerk, supervisor):
    """What needs a clerk's attention: a record sent back, a conflict and a refusal in the
    sync queue, a sync three weeks late (guardrail), a draft left in the form."""
    today = date.today()
    seed_day(clerk, supervisor, today)
    item = next(
        i
        for i in review.review_items(supervisor.database, supervisor.actor, today)
        if i.entity_type == "payment" and i.operator_id == clerk.actor.operator_id
    )
    review.send_back(supervisor.database, supervisor.actor, item.seq, "收费方式请核对")
    with clerk.database.writing() as session:
        # What the county's answers leave behind (the sync tests make them for real).
        first, second = session.scalars(select(OutboxEntry.seq).order_by(OutboxEntry.seq).limit(2))
        session.execute(
            update(OutboxEntry).where(OutboxEntry.seq == first).values(sync_state="conflict")
        )
        session.execute(
            update(OutboxEntry).where(OutboxEntry.seq == second).values(sync_state="rejected")
        )
        link = session.get(SyncLink, 1) or SyncLink(id=1)
        link.registered_at = datetime.now(UTC) - timedelta(days=21)
        session.add(link)
    return item


def test_each_attention_item_leads_to_the_page_that_handles_it(qtbot, clerk, runner, troubles):
    window = open_window(qtbot, clerk, runner)
    home = home_of(window)
    items = attention(home)
    assert list(items) == ["guardrail", "returned", "sync_issues"]  # the most pressing first
    assert "21天未成功同步" in items["guardrail"].text()
    assert "冲突 1，被拒 1" in items["sync_issues"].text()
    for name, page in (("guardrail", "sync"), ("returned", "front_desk"), ("sync_issues", "sync")):
        window.show_page(PAGES.index("home"))
        click(qtbot, attention(home_of(window))[name])
        assert window.current_page_name() == page, name
    desk = window.built_page("front_desk")
    assert troubles.person_id in [i.person_id for i in desk.returned.items]

    # A draft left in the form: read when the page is shown, it offers the drafts dialog.
    DraftStore(clerk.database.paths, clerk.database_key).save(
        uuid.uuid4(), kind=ENROLMENT, operator=clerk.actor.username, summary="李四", data={}
    )
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "drafts" in attention(home), timeout=10_000)
    drafts = attention(home)["drafts"]
    assert "李四" in drafts.text() and drafts.text().endswith("\tAlt+4")
    with qtbot.waitSignal(window.drafts_offered):
        qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert window.drafts_dialog.isVisible()
    window.drafts_dialog.reject()


def test_ctrl_1_comes_back_to_today_and_the_search_stays_one_key_away(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    home = home_of(window)
    assert window.nav.item(0).text().startswith("今日") and "Ctrl+1" in window.nav.item(0).text()
    window.show_page(PAGES.index("payments"))
    with qtbot.waitSignal(window.status_refreshed):  # shown again, it reads again
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "home" and window.stack.currentWidget() is home
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_name() == "front_desk" and window.search_box.hasFocus()
    window.show_page(PAGES.index("home"))
    click(qtbot, home.search_button)
    assert window.current_page_name() == "front_desk" and window.search_box.hasFocus()
    window.show_page(PAGES.index("home"))
    click(qtbot, home.new_button)
    assert window.front_desk.stack.currentWidget() is window.front_desk.form_holder


def test_an_empty_day_is_calm(qtbot, clerk, runner):
    window = open_window(qtbot, clerk, runner)
    home = home_of(window)
    assert texts(home, "mine") == ["0", "0", "0", "0", "¥0.00", "¥0.00"]
    assert home.work_empty.isVisible() and home.work_empty.text() == "今天还没有办理业务。"
    assert home.attention == [] and home.attention_calm.isVisible()
    assert "今日" in home.title.text() and clerk.actor.display_name in home.title.text()


def test_figures_follow_a_save(qtbot, clerk, supervisor, runner):
    window = open_window(qtbot, clerk, runner)
    home = home_of(window)
    assert texts(home, "mine")[0] == "0"
    seed_day(clerk, supervisor, date.today())  # written elsewhere: the next reading shows it
    with qtbot.waitSignal(window.status_refreshed):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert texts(home, "mine")[:2] == ["5", "2"] and not home.work_empty.isVisible()

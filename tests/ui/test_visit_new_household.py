"""A household the registry does not have, created from the field visit page with its head
(onto the open trip, then walked); a bad field refused with nothing typed lost; a new head
named from the walk. A real centre, the real background runner."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from caseworker.store.models import Household, Person, TripHousehold
from caseworker.ui.dialogs.change_head_dialog import ChangeHeadDialog
from caseworker.ui.dialogs.new_household_dialog import NewHouseholdDialog
from caseworker.ui.views.field_visit_view import FieldVisitPage
from tests.ui.test_field_visit import _plan, activate, choose, type_text
from tests.visit_data import TODAY, VILLAGE_B, field_clerk, known_households, person_id_number

HEAD_ID = person_id_number(date(1970, 4, 8), 81)


@pytest.fixture
def clerk(data_paths):
    session = field_clerk(data_paths)
    yield session
    session.close()


@pytest.fixture
def page(qtbot, clerk, runner):
    known = known_households(clerk)
    page = FieldVisitPage(clerk, runner, today=lambda: TODAY)
    page.known = known
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=5000)
    qtbot.waitUntil(lambda: bool(page._villages), timeout=10_000)
    return page


def _households(clerk) -> int:
    with clerk.database.reading() as session:
        return session.scalar(select(func.count()).select_from(Household))


def _open_dialog(qtbot, page) -> NewHouseholdDialog:
    qtbot.keyClick(page.table, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(page.dialog, NewHouseholdDialog), timeout=2000)
    return page.dialog


def test_a_household_found_on_the_way_is_created_with_its_head_and_walked(qtbot, page, clerk):
    _plan(qtbot, page)
    trip_id = page.progress.trip.id
    dialog = _open_dialog(qtbot, page)
    choose(dialog.village, VILLAGE_B)
    # A bad ID number and no address: both said next to their fields, nothing written.
    bad = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
    qtbot.keyClicks(dialog.person.id_number, bad)
    type_text(dialog.person.name, "孙大海")
    before = _households(clerk)
    dialog.ok.click()
    assert dialog.isVisible()
    assert dialog.address_box.kind == "error"
    assert dialog.person.box_for("id_number").kind == "error"
    assert dialog.banner.kind == "error"
    assert _households(clerk) == before
    assert dialog.person.name.text() == "孙大海" and dialog.village.currentData() == VILLAGE_B

    # Fixed: saved on the runner, onto the open trip, and the walk of the new household opens.
    dialog.person.id_number.clear()
    qtbot.keyClicks(dialog.person.id_number, HEAD_ID)
    type_text(dialog.address, "4组9号")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.ok.click()
    activate(qtbot, page)
    walk = page.walk
    qtbot.waitUntil(lambda: walk.model.rowCount() == 1, timeout=10_000)
    assert page.stack.currentWidget() is walk
    assert walk.model.rows[0].name == "孙大海"
    assert "4组9号" in walk.title.text() and "孙大海" in walk.title.text()
    with clerk.database.reading() as session:
        head = session.scalar(select(Person).where(Person.id_number == HEAD_ID))
        assert head.relationship_to_head == "02"
        household = session.get(Household, head.household_id)
        assert (household.village_code, household.address_detail) == (VILLAGE_B, "4组9号")
        assert session.get(TripHousehold, (trip_id, household.id)).position == 3
    assert _households(clerk) == before + 1


def test_a_refused_address_keeps_what_was_typed(qtbot, page, clerk):
    dialog = _open_dialog(qtbot, page)  # no trip yet: the household is created all the same
    assert dialog.trip_id is None
    qtbot.keyClicks(dialog.person.id_number, HEAD_ID)
    type_text(dialog.person.name, "孙大海")
    type_text(dialog.address, "4组9号")
    before = _households(clerk)
    dialog.ok.click()  # no village chosen: the registry refuses, said next to the chooser
    qtbot.waitUntil(lambda: dialog.village_box.kind == "error", timeout=10_000)
    assert dialog.isVisible() and dialog.ok.isEnabled()
    assert _households(clerk) == before
    assert (dialog.address.text(), dialog.person.name.text()) == ("4组9号", "孙大海")
    choose(dialog.village, VILLAGE_B)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.ok.click()
    qtbot.waitUntil(lambda: page.banner.kind == "success", timeout=5000)
    assert "孙大海" in page.banner.label.text()


def test_a_new_head_is_named_from_the_walk(qtbot, page, clerk):
    known = page.known
    _plan(qtbot, page)
    page.walk_household(known.h1)
    walk = page.walk
    qtbot.waitUntil(lambda: walk.model.rowCount() == 3, timeout=10_000)
    walk.table.selectRow(0)
    assert not walk.head_button.isEnabled()  # 王建国 is head already
    walk.table.selectRow(2)  # 王小明
    walk.table.setFocus()
    qtbot.keyClick(
        walk.table,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(walk.dialog, ChangeHeadDialog), timeout=2000)
    dialog = walk.dialog
    dialog.ok.click()  # what the present head becomes is not chosen yet
    assert dialog.isVisible() and dialog.relationship_box.kind == "error"
    choose(dialog.relationship, "50")  # 王建国 is 王小明's father
    dialog.ok.click()
    qtbot.waitUntil(lambda: walk.banner.kind == "success", timeout=10_000)
    qtbot.waitUntil(lambda: "户主：王小明" in walk.title.text(), timeout=10_000)
    relationships = {r.name: r.member.relationship_to_head for r in walk.model.rows}
    assert relationships == {"王小明": "02", "王建国": "50", "李秀英": "10"}
    with clerk.database.reading() as session:
        assert session.get(Person, known.people["王小明"]).relationship_to_head == "02"
        assert session.get(Person, known.people["王建国"]).relationship_to_head == "50"


def test_a_member_who_moved_away_is_refused_as_head_in_words(qtbot, page, clerk):
    from caseworker.services import household_members

    known = page.known
    household_members.mark_moved_away(
        clerk.database, clerk.actor, known.people["王小明"], date(2026, 6, 1), day=TODAY
    )
    _plan(qtbot, page)
    page.walk_household(known.h1)
    walk = page.walk
    qtbot.waitUntil(lambda: walk.model.rowCount() == 3, timeout=10_000)
    row = next(i for i, r in enumerate(walk.model.rows) if r.name == "王小明")
    walk.table.selectRow(row)
    walk.make_head()
    dialog = walk.dialog
    choose(dialog.relationship, "50")
    dialog.ok.click()
    qtbot.waitUntil(lambda: walk.banner.kind == "error", timeout=10_000)
    assert "王小明已迁出" in walk.banner.label.text()
    with clerk.database.reading() as session:
        assert session.get(Person, known.people["王建国"]).relationship_to_head == "02"

"""The person view on a real store: details, coverage, payments, household, history."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.services.registry import household_members, search
from caseworker.store.models import new_id
from caseworker.ui.views.front_desk import FrontDeskPage
from caseworker.ui.views.person_view import PersonView
from tests.services.test_enrolment import farmer
from tests.ui.helpers import demo_session


@pytest.fixture
def enrolled(centre: OpenSession):
    today = date.today()
    result = enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=today,
    )
    receipt = record_payment(
        centre.database, centre.actor, person_id=result.person_id, scheme="resident_medical"
    )
    return result.person_id, receipt


def shown(qtbot, view: PersonView, person_id) -> None:
    with qtbot.waitSignal(view.loaded):
        view.show_person(person_id)


def test_person_details_coverage_payments_and_history(
    qtbot, qtmodeltester, centre, runner, enrolled
):
    person_id, receipt = enrolled
    view = PersonView(centre, runner)
    qtbot.addWidget(view)
    shown(qtbot, view, person_id)
    assert "单雄信" in view.title.text()
    # The administrator may see personal data unmasked: the whole number, in both places.
    assert "320583198001010016" in view.title.text()
    assert view.fact_labels["id_number"].text() == "320583198001010016"
    assert view.fact_labels["sex"].text() == "男"
    assert view.fact_labels["hukou_nature"].text() == "农业户口"
    assert view.fact_labels["coverage"].text() == "居民医保"
    assert view.enrolment_model.rowCount() == 1
    assert view.enrolment_model.data(view.enrolment_model.index(0, 1)) == "参保中"
    assert view.payment_model.rowCount() == 1
    assert view.payment_model.data(view.payment_model.index(0, 0)) == receipt.receipt_number
    history = [
        view.history_model.data(view.history_model.index(row, 2))
        for row in range(view.history_model.rowCount())
    ]
    assert {"登记人员", "参保", "缴费"} <= set(history)
    who = {
        view.history_model.data(view.history_model.index(row, 1))
        for row in range(view.history_model.rowCount())
    }
    assert who == {"admin（管理员）"}  # the name and the role, as the audit page says it
    assert view.edit_button.isEnabled() and view.pay_button.isEnabled()
    for model in (
        view.enrolment_model,
        view.payment_model,
        view.history_model,
        view.household_model,
    ):
        qtmodeltester.check(model)


def test_household_members_with_relationship_names(qtbot, qtmodeltester, tmp_path, runner):
    session = demo_session(tmp_path / "demo")
    try:
        person = next(
            p
            for p in search(session.database, "w", limit=200)
            if len(household_members(session.database, p.id)) > 1
        )
        members = household_members(session.database, person.id)
        view = PersonView(session, runner)
        qtbot.addWidget(view)
        shown(qtbot, view, person.id)
        model = view.household_model
        assert model.rowCount() == len(members)
        relationships = {model.data(model.index(row, 0)) for row in range(model.rowCount())}
        assert "户主" in relationships
        qtmodeltester.check(model)
        # Enter on another member opens that member.
        other = next(row for row in range(model.rowCount()) if members[row].id != person.id)
        with qtbot.waitSignal(view.open_person) as blocker:
            view._open_member(model.index(other, 1))
        assert blocker.args == [members[other].id]
    finally:
        session.close()


def test_an_unknown_person_is_a_clear_message(qtbot, centre, runner):
    view = PersonView(centre, runner)
    qtbot.addWidget(view)
    shown(qtbot, view, new_id())
    assert view.error.isVisibleTo(view)
    assert "本地登记库中没有" in view.error.text()
    assert not view.edit_button.isEnabled()


def test_front_desk_flow_search_person_and_back(qtbot, centre, runner, enrolled):
    page = FrontDeskPage(centre, runner)
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
    with qtbot.waitSignal(page.search.searched):
        qtbot.keyClicks(page.search.search_box, "0016")
    with qtbot.waitSignal(page.person.loaded):
        qtbot.keyClick(page.search.search_box, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.person
    # Record payment opens the payment dialog over the page for this person.
    qtbot.mouseClick(page.person.pay_button, Qt.MouseButton.LeftButton)
    assert page.payment_dialog is not None and page.payment_dialog.isVisible()
    page.payment_dialog.reject()
    # A button's shortcut "animates" a click, so the signal arrives a moment later.
    with qtbot.waitSignal(page.person.back_requested):
        qtbot.keyClick(page.person.pay_button, Qt.Key.Key_Escape)
    assert page.stack.currentWidget() is page.search
    assert page.search.search_box.text() == "0016"  # the search is still there


def test_a_person_managed_by_another_centre_says_so(qtbot, centre, runner, enrolled):
    from caseworker.store.models import OutboxEntry, Person
    from caseworker.sync.protocol import RegistryFeed, RegistryItem
    from caseworker.sync.pull import apply_registry_page

    person_id, _ = enrolled
    view = PersonView(centre, runner)
    qtbot.addWidget(view)
    shown(qtbot, view, person_id)
    assert view.owner.isHidden()
    # The registry feed says another centre manages the person now (after a transfer).
    with centre.database.reading() as session:
        person = session.get_one(Person, person_id)
        payload = {"id": str(person_id), "id_number": person.id_number, "name": person.name}
        version = person.version + 1
    with centre.database.writing() as session:
        # The clerk's own changes are settled (as after a sync) so the pull may apply.
        for entry in session.query(OutboxEntry):
            entry.sync_state = "accepted"
        item = RegistryItem(
            seq=1,
            entity_type="person",
            entity_id=person_id,
            version=version,
            centre_code="320583102",
            payload=payload,
        )
        page = RegistryFeed(township_code=None, items=[item], cursor=1, more=False)
        assert apply_registry_page(session, page).applied == 1
    shown(qtbot, view, person_id)
    assert not view.owner.isHidden()
    assert "320583102" in view.owner.text() and "申请转入" in view.owner.text()


def test_an_employees_scheme_pulled_without_its_base_shows_a_dash(qtbot, centre, runner, enrolled):
    """Another centre's employee comes through the township feed without the wage base: the
    enrolment table says “—”, not an empty cell and not 0.00."""
    from caseworker.store.models import OutboxEntry
    from caseworker.sync.protocol import RegistryFeed, RegistryItem
    from caseworker.sync.pull import apply_registry_page

    person_id, _ = enrolled
    enrolment_id = new_id()
    payload = {
        "id": str(enrolment_id),
        "version": 1,
        "person_id": str(person_id),
        "scheme": "employee_pension",
        "status": "active",
        "tier_fen": None,
        "start_date": "2026-12-01",
        "documents": [],
    }
    with centre.database.writing() as session:
        for entry in session.query(OutboxEntry):
            entry.sync_state = "accepted"
        item = RegistryItem(
            seq=1,
            entity_type="enrolment",
            entity_id=enrolment_id,
            version=1,
            centre_code="3205831019",
            payload=payload,
        )
        page = RegistryFeed(township_code=None, items=[item], cursor=1, more=False)
        assert apply_registry_page(session, page).applied == 1
    view = PersonView(centre, runner)
    qtbot.addWidget(view)
    shown(qtbot, view, person_id)
    cells = {
        view.enrolment_model.data(view.enrolment_model.index(row, 0)): view.enrolment_model.data(
            view.enrolment_model.index(row, 2)
        )
        for row in range(view.enrolment_model.rowCount())
    }
    assert cells == {"职工养老": "—", "居民医保": ""}

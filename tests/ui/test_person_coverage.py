"""The person view's 参保状态 section and the dialog that records survey answers, on a real
store with the real clerk."""

from __future__ import annotations

from datetime import date

import pytest

from caseworker.services.centre import OpenSession
from caseworker.services.coverage import person_statuses
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.ui.views.person_view import PersonView
from tests.services.test_enrolment import farmer


@pytest.fixture
def person_id(centre: OpenSession):
    return enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=30000)],
        today=date.today(),
    ).person_id


def shown(qtbot, view: PersonView, person_id) -> None:
    with qtbot.waitSignal(view.loaded):
        view.show_person(person_id)


def choose(combo, code) -> None:
    combo.setCurrentIndex(combo.findData(code))


def test_section_shows_statuses_and_the_dialog_records_an_answer(
    qtbot, clerk: OpenSession, runner, person_id
):
    view = PersonView(clerk, runner)
    qtbot.addWidget(view)
    shown(qtbot, view, person_id)
    pension = view.coverage_labels["pension"].text()
    assert "本地参保" in pension and "参保登记" in pension
    assert "未核实" in view.coverage_labels["medical"].text()
    button = view.coverage_button
    assert button.objectName() == "personRecordCoverage" and button.isEnabled()
    assert "记录参保状态" in button.accessibleName()

    button.click()
    dialog = view.coverage_dialog
    assert dialog is not None
    choose(dialog.statuses["medical"], "not_insured")
    dialog.notes["medical"].setText("外出打工")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["medical.reason"].isVisibleTo(dialog))
    assert "原因" in dialog.errors["medical.reason"].text()
    assert dialog.notes["medical"].text() == "外出打工"  # nothing typed is lost
    assert dialog.statuses["medical"].currentData() == "not_insured"
    assert person_statuses(clerk.database, clerk.actor, person_id)["medical"].status == "unknown"

    choose(dialog.reasons["medical"], "cannot_afford")
    with qtbot.waitSignal(view.loaded):
        dialog.save()
    assert not dialog.errors["medical.reason"].isVisibleTo(dialog)
    saved = person_statuses(clerk.database, clerk.actor, person_id)["medical"]
    assert (saved.status, saved.reason, saved.source) == ("not_insured", "cannot_afford", "survey")
    medical = view.coverage_labels["medical"].text()
    assert "未参保" in medical and "缴费困难" in medical and "入户调查" in medical
    assert "外出打工" in medical

"""A household visit walked through in the UI: plan a trip, members confirmed, a newborn
added, a person moved away, statuses recorded, an enrolment on the spot with the front
desk's own enrolment form. A real centre, the real background runner, no network."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.models import Enrolment, Person, TripPerson
from caseworker.ui.dialogs.newcomer_dialog import NewcomerDialog
from caseworker.ui.dialogs.spot_enrolment_dialog import SpotEnrolmentDialog
from caseworker.ui.models.field_visit import (
    TripHouseholdsModel,
    WalkMembersModel,
    change_label,
)
from caseworker.ui.views.field_visit_view import FieldVisitPage
from tests.visit_data import TODAY, VILLAGE_A, field_clerk, known_households, person_id_number

NEWBORN = person_id_number(date(2026, 9, 1), 71)


def type_text(widget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def choose(combo, code) -> None:
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


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
    page.activateWindow()  # shortcuts fire in the active window only, as on a laptop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=5000)
    qtbot.waitUntil(lambda: bool(page._villages), timeout=10_000)
    return page


def _plan(qtbot, page) -> None:
    page.plan_button.click()
    dialog = page.dialog
    type_text(dialog.name, "青阳一村十一月")
    dialog.check(VILLAGE_A)
    dialog.ok.click()
    qtbot.waitUntil(
        lambda: page.progress is not None and page.model.rowCount() == 2, timeout=10_000
    )
    activate(qtbot, page)


def activate(qtbot, page) -> None:
    """A dialog closed: the page's window is the active one again (shortcuts need it)."""
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=5000)


def test_a_household_is_walked_through_and_a_member_enrolled_on_the_spot(qtbot, page, clerk):
    known = page.known
    _plan(qtbot, page)
    assert "已走访 0/2 户" in page.figures.text()
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    walk = page.walk
    qtbot.waitUntil(lambda: walk.model.rowCount() == 3, timeout=10_000)
    assert [r.name for r in walk.model.rows] == ["王建国", "李秀英", "王小明"]
    editor = walk.editor

    # 王建国: here (Alt+A confirms everyone), injury not applicable (not working).
    qtbot.keyClick(walk.all_here, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    # A button's shortcut clicks it as the mouse would: a moment later.
    qtbot.waitUntil(lambda: all(r.change == "confirmed" for r in walk.model.rows), timeout=2000)
    walk.table.selectRow(0)
    injury = editor.lines[2]
    choose(injury.status, "not_applicable")
    choose(injury.reason, "not_working")
    # 李秀英 (Ctrl+Down: the next member): not insured in the pension line, cannot afford it;
    # medical insured elsewhere (Alt+2 jumps to the medical line's status).
    qtbot.keyClick(injury.reason, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert editor.title.text() == "李秀英"
    qtbot.keyClick(walk.table, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert editor.lines[1].status.hasFocus()
    pension, medical = editor.lines[0], editor.lines[1]
    choose(pension.status, "not_insured")
    choose(pension.reason, "cannot_afford")
    choose(medical.status, "insured_elsewhere")
    type_text(medical.where, "江苏省苏州市")
    medical.where.textEdited.emit(medical.where.text())
    # 王小明 moved away in June.
    walk.table.selectRow(2)
    editor.away.click()
    editor.on.setDate(QDate(2026, 6, 1))
    assert walk.model.rows[2].change == "moved_away"
    assert walk.model.rows[2].on == date(2026, 6, 1)

    # A newborn, with the front desk's person fields.
    walk.add_button.click()
    dialog = walk.dialog
    assert isinstance(dialog, NewcomerDialog)
    qtbot.keyClicks(dialog.person.id_number, NEWBORN)
    type_text(dialog.person.name, "王小宝")
    assert dialog.joined.date().toPython() == date(2026, 9, 1)  # a newborn joins at birth
    dialog.ok.click()
    assert dialog.isVisible()  # the relationship is missing: said, nothing lost
    assert dialog.relationship_box.kind == "error"
    choose(dialog.relationship, "41")
    dialog.ok.click()
    qtbot.waitUntil(lambda: walk.model.rowCount() == 4, timeout=5000)
    activate(qtbot, page)
    assert walk.current_row().name == "王小宝"
    choose(editor.lines[0].status, "not_applicable")
    choose(editor.lines[0].reason, "under_16")
    choose(editor.lines[1].status, "not_insured")
    choose(editor.lines[1].reason, "unaware")

    # Enter saves the visit.
    walk.table.setFocus()
    with qtbot.waitSignal(walk.saved, timeout=15_000) as saved:
        qtbot.keyClick(walk.table, Qt.Key.Key_Return)
    assert saved.args[0].recorded == 4
    shown = {r.name: change_label(r) for r in walk.model.rows}
    assert shown["王建国"] == "已记录" and shown["王小宝"] == "已记录"
    assert shown["王小明"].startswith("已迁出")
    assert "走访已保存" in walk.banner.label.text()
    with clerk.database.reading() as session:
        moved = session.get(Person, known.people["王小明"])
        born = session.scalar(select(Person).where(Person.id_number == NEWBORN))
        assert moved.moved_away_on == date(2026, 6, 1)
        assert (born.household_id, born.relationship_to_head) == (known.h1, "41")
        assert born.moved_in_on == date(2026, 9, 1)
        assert session.query(TripPerson).count() == 4
    statuses = {m.name: m.statuses for m in walk.household.members}
    assert statuses["李秀英"]["pension"].reason == "cannot_afford"
    assert statuses["李秀英"]["medical"].insured_where == "江苏省苏州市"
    assert statuses["王建国"]["injury"].status == "not_applicable"
    assert statuses["王小宝"]["medical"].status == "not_insured"

    # Enrol 李秀英 on the spot: the front desk's form, pre-filled.
    position = next(i for i, r in enumerate(walk.model.rows) if r.name == "李秀英")
    walk.table.selectRow(position)
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(walk.dialog, SpotEnrolmentDialog), timeout=2000)
    spot = walk.dialog
    assert isinstance(spot, SpotEnrolmentDialog)
    form = spot.form
    qtbot.waitUntil(lambda: form.person_id == known.people["李秀英"], timeout=10_000)
    assert form.person.name.text() == "李秀英"
    form.schemes.rows["resident_medical"].check.setChecked(True)
    form.documents.set_ticked({i.key for i in form.documents.items})
    with qtbot.waitSignal(form.saved, timeout=15_000):
        form.save()
        box = form.confirm_box
        if isinstance(box, QMessageBox) and box.isVisible():
            next(b for b in box.buttons() if b.objectName() == "saveAnyway").click()
    with qtbot.waitSignal(spot.finished, timeout=5000):
        spot.close_form()
    activate(qtbot, page)
    # Closing the form reloads the household: her status now follows the enrolment.
    qtbot.waitUntil(
        lambda: any(
            m.name == "李秀英" and m.statuses["medical"].source == "enrolment"
            for m in walk.household.members
        ),
        timeout=5000,
    )
    with clerk.database.reading() as session:
        enrolled = session.scalar(
            select(Enrolment).where(Enrolment.person_id == known.people["李秀英"])
        )
        again = session.get(Person, known.people["李秀英"])
        assert enrolled.scheme == "resident_medical"
        # The front desk's form kept her in the household.
        assert (again.household_id, again.relationship_to_head) == (known.h1, "10")

    # Back to the households: the progress moved.
    qtbot.keyClick(walk.back_button, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "已走访 1/2 户" in page.figures.text(), timeout=10_000)
    assert "已记录 4 人" in page.figures.text()


def test_a_refused_visit_keeps_everything_typed(qtbot, page):
    _plan(qtbot, page)
    page.walk_household(page.progress.rows[0].household_id)
    walk = page.walk
    qtbot.waitUntil(lambda: walk.model.rowCount() == 3, timeout=10_000)
    walk.table.selectRow(2)
    walk.editor.died.click()
    walk.editor.on.setDate(QDate(1950, 1, 1))  # before birth
    with qtbot.waitSignal(walk.runner._relay.completed, timeout=10_000):
        walk.save()
    qtbot.waitUntil(lambda: walk.banner.kind == "error", timeout=5000)
    assert "王小明" in walk.banner.label.text() and "早于出生日期" in walk.banner.label.text()
    assert walk.model.rows[2].change == "deceased"  # still there, to fix and save again


def test_planning_from_a_worklist_and_the_models(qtbot, page, qtmodeltester):
    people = page.known.people
    page.plan_from_worklist([people["赵六一"]], WorklistSpec("not_covered"))
    dialog = page.dialog
    assert "1人" in dialog.source.text()
    type_text(dialog.name, "未参保回访")
    dialog.ok.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.rows[0].head_name == "赵六一"
    qtmodeltester.check(page.model)
    assert isinstance(page.model, TripHouseholdsModel)
    page.walk_household(page.model.rows[0].household_id)
    qtbot.waitUntil(lambda: page.walk.model.rowCount() == 2, timeout=10_000)
    assert isinstance(page.walk.model, WalkMembersModel)
    qtmodeltester.check(page.walk.model)
    # Take a payment: the front desk's payment dialog, on the member chosen.
    from caseworker.ui.dialogs.payment_dialog import PaymentDialog

    page.walk.table.selectRow(0)
    page.walk.pay_button.click()
    assert isinstance(page.walk.dialog, PaymentDialog)
    assert page.walk.dialog.person_id == people["赵六一"]
    page.walk.dialog.reject()

"""The audit screen with real widgets over a real store: pages as the view scrolls, filters,
nothing personal in full in any cell, hidden from clerks, and the chain verified from here
(intact, then with a row rewritten through SQL by someone holding the database key)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, text

from caseworker.services.centre import OpenSession, login
from caseworker.services.demo import DEMO_PASSWORD
from caseworker.store.models import AuditEntry, Person
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.models.audit import AuditTableModel
from caseworker.ui.views.audit_view import AuditView
from tests.ui.helpers import AUDIT_BANK_CARD, AUDIT_ID_NUMBER, AUDIT_PHONES, audit_demo_centre

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ToolTipRole,
)


@pytest.fixture
def trail(tmp_path: Path):
    return audit_demo_centre(tmp_path / "centre", persons=40)


@pytest.fixture
def supervisor(trail) -> OpenSession:
    session = login(trail, "supervisor", DEMO_PASSWORD)
    yield session
    session.close()


def _seqs(session: OpenSession) -> list[int]:
    with session.database.reading() as db:
        return list(db.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())))


def _view(qtbot, session: OpenSession, runner) -> AuditView:
    view = AuditView(session, runner)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.refresh()
    return view


def _load_all(qtbot, model: AuditTableModel) -> None:
    while model.canFetchMore():
        with qtbot.waitSignal(model.page_loaded):
            model.fetchMore()


def test_the_supervisor_reaches_it_and_scrolls_through_every_entry(
    qtbot, runner, supervisor, qtmodeltester
):
    window = MainWindow(supervisor, runner)
    qtbot.addWidget(window)
    position = PAGES.index("audit")
    assert not window.nav.item(position).isHidden()
    window.page_actions[position].trigger()  # Ctrl+9
    view = window.audit_page
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    assert view.model.rowCount() == 100  # one page, more on scrolling
    assert view.model.canFetchMore()
    total = len(_seqs(supervisor))
    assert f"共 {total} 条" in view.summary.text()
    _load_all(qtbot, view.model)
    assert [row.seq for row in view.model.rows] == _seqs(supervisor)
    assert "已全部显示" in view.summary.text()
    qtmodeltester.check(view.model)


def test_no_cell_shows_a_full_id_number_phone_or_bank_card(qtbot, runner, supervisor):
    view = _view(qtbot, supervisor, runner)
    _load_all(qtbot, view.model)
    with supervisor.database.reading() as db:
        secrets = set(db.scalars(select(Person.id_number)))
        secrets |= {p for p in db.scalars(select(Person.phone)) if p}
    secrets |= {*AUDIT_PHONES, AUDIT_BANK_CARD, AUDIT_ID_NUMBER}
    model = view.model
    cells = [
        str(model.data(model.index(row, column), role) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for role in ROLES
    ]
    assert len(cells) == model.rowCount() * 5 * len(ROLES)
    assert [(s, c) for c in cells for s in secrets if s in c] == []
    shown = " ".join(cells)
    assert AUDIT_ID_NUMBER[:4] + "*" * 10 + AUDIT_ID_NUMBER[-4:] in shown
    assert "138****5678 → 139****4321" in shown
    assert "欧阳娜娜" in shown  # the person is named, only their numbers are masked


def test_filters_by_person_action_and_operator(qtbot, runner, supervisor):
    view = _view(qtbot, supervisor, runner)
    qtbot.waitUntil(lambda: view.action.count() > 1)
    # The person: their ID number typed in the filter box, Enter.
    qtbot.keyClicks(view.person, AUDIT_ID_NUMBER)
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClick(view.person, Qt.Key.Key_Return)
    actions = [row.action for row in view.model.rows]
    assert actions == [
        "payment.void",
        "person.update",
        "payment.record",
        "enrolment.create",
        "person.create",
    ]
    assert "共 5 条" in view.summary.text()
    with qtbot.waitSignal(view.loaded):
        view.clear_button.click()
    # The action, chosen from what the trail holds, with the keyboard.
    view.action.setFocus()
    view.action.setCurrentIndex(view.action.findData("payment.void") - 1)
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClick(view.action, Qt.Key.Key_Down)
    assert [row.action for row in view.model.rows] == ["payment.void"]
    assert view.model.data(view.model.index(0, AuditTableModel.ACTION)) == "作废收据"
    assert view.model.data(view.model.index(0, AuditTableModel.OPERATOR)) == "审核员（审核员）"
    # And the operator on top of it: the administrator voided nothing.
    view.operator.setCurrentIndex(view.operator.findData("admin") - 1)
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClick(view.operator, Qt.Key.Key_Down)
    assert view.model.rows == [] and "共 0 条" in view.summary.text()


def test_a_day_range_with_nothing_in_it_shows_nothing(qtbot, runner, supervisor):
    view = _view(qtbot, supervisor, runner)
    view.day_from.setDate(view.day_from.date().addDays(-30))
    view.day_to.setDate(view.day_to.date().addDays(-10))
    with qtbot.waitSignal(view.loaded):
        view.by_day.click()
    assert view.model.rows == []
    with qtbot.waitSignal(view.loaded):
        view.day_to.setDate(view.day_to.date().addDays(10))
        view.apply_filter()
    assert [row.seq for row in view.model.rows][:3] == _seqs(supervisor)[:3]


def test_hidden_from_a_clerk_who_cannot_open_it_either(qtbot, runner, trail):
    clerk = login(trail, "clerk", DEMO_PASSWORD)
    try:
        window = MainWindow(clerk, runner)
        qtbot.addWidget(window)
        position = PAGES.index("audit")
        assert window.nav.item(position).isHidden()
        assert not window.page_actions[position].isEnabled()
        window.show_page(position)
        assert window.current_page_name() == "home"  # the first page, which everyone sees
        view = window.audit_page
        view.refresh()
        view.verify()
        assert view.model.rows == [] and view.model.loader is None
        assert not view.table.isEnabled() and not view.verify_button.isEnabled()
        assert "只有审核员和管理员" in view.summary.text()
    finally:
        clerk.close()


def test_verify_from_the_screen_says_intact_with_count_and_head(qtbot, runner, supervisor):
    view = _view(qtbot, supervisor, runner)
    with qtbot.waitSignal(view.verified) as answer:
        qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    found = answer.args[0]
    assert found.ok
    seqs = _seqs(supervisor)
    words = view.verify_result.text()
    assert f"审计链完整、签名有效：共 {len(seqs)} 条记录，链头为第 {seqs[0]} 条" in words
    assert found.local.head_hash[:12] in words
    assert "县级尚未确认" in words  # never synced: nothing to compare with, said so


def test_verify_names_the_entry_a_key_holder_rewrote(qtbot, runner, supervisor):
    with supervisor.database.writing() as db:
        target = db.scalar(select(AuditEntry).where(AuditEntry.action == "person.update"))
        seq = target.seq
        # Someone with the database key hides the phone change, straight through SQL.
        db.execute(
            text("UPDATE audit_entry SET detail = :detail WHERE seq = :seq"),
            {"detail": json.dumps({"changes": {}}), "seq": seq},
        )
    view = _view(qtbot, supervisor, runner)
    with qtbot.waitSignal(view.verified) as answer:
        view.verify_button.click()
    assert not answer.args[0].ok
    words = view.verify_result.text()
    assert "审计链有问题：内容被修改：哈希值不符" in words
    assert f"第一条有问题的记录：第 {seq} 条" in words
    assert "操作员 clerk，修改人员信息" in words
    assert view.verify_result.property("tone") == "error"

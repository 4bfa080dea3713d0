"""The operator management page, driven as an administrator would (real widgets, real
centre, services on the runner), and what a clerk is shown instead."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from caseworker.services.centre import OpenSession, login
from caseworker.store.keys import KeyFile
from caseworker.ui.main_window import PAGE_SHORTCUTS, PAGES, MainWindow
from caseworker.ui.views.operators_view import OperatorsPage
from tests.conftest import CLERK_PASSWORD
from tests.ui.test_enrolment_form import type_chinese

AGENCY = "昆山外包服务公司"


@pytest.fixture
def page(qtbot, centre: OpenSession, runner) -> OperatorsPage:
    page = OperatorsPage(centre, runner)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def texts(page: OperatorsPage) -> dict[str, list[str]]:
    model = page.proxy
    return {
        model.index(r, 0).data(): [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    }


def submit(qtbot, page: OperatorsPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)


def test_the_list_shows_role_agency_state_and_last_login(qtbot, page, centre, qtmodeltester):
    qtmodeltester.check(page.model)
    login(centre.database.paths, "clerk", CLERK_PASSWORD).close()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    rows = texts(page)
    assert list(rows) == ["admin", "clerk", "supervisor"]
    assert rows["admin"][2:5] == ["管理员", "本中心", "启用"]
    assert rows["clerk"][5] != "—" and rows["supervisor"][5] == "—"  # last login
    assert rows["clerk"][6] == "—"  # no failed logins
    page.select("admin")
    assert not page.disable_button.isEnabled()  # not one's own account
    page.select("clerk")
    assert page.disable_button.isEnabled() and page.role_button.isEnabled()


def test_add_a_contractors_clerk_and_a_refused_supervisor(qtbot, page, centre):
    page.add()
    dialog = page.dialog
    qtbot.keyClicks(dialog.username, "wang")
    type_chinese(dialog.display_name, "王芳")
    dialog.agency.setEditText(AGENCY)
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    qtbot.keyClicks(dialog.password, "contract pass 1")
    qtbot.keyClicks(dialog.confirm, "contract pass 1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "只能担任经办员" in dialog.error.text()  # caught here
    dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
    submit(qtbot, page)
    row = texts(page)["wang"]
    assert row[1:5] == ["王芳", "经办员", AGENCY, "启用"]
    assert KeyFile.load(centre.database.paths.key_file).has_operator("wang")


def test_a_refusal_from_the_service_comes_back_into_the_dialog(qtbot, page):
    page.add()
    dialog = page.dialog
    qtbot.keyClicks(dialog.username, "CLERK")  # exists, in another case
    qtbot.keyClicks(dialog.password, "another pass 1")
    qtbot.keyClicks(dialog.confirm, "another pass 1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已存在" in dialog.error.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.username.text() == "CLERK"  # nothing typed is lost


def test_change_role_reset_password_and_disable(qtbot, page, centre):
    paths = centre.database.paths
    page.select("supervisor")
    page.change_role()
    page.dialog.role.setCurrentIndex(page.dialog.role.findData("clerk"))
    page.dialog.agency.setEditText(AGENCY)
    submit(qtbot, page)
    assert texts(page)["supervisor"][2:4] == ["经办员", AGENCY]

    page.select("clerk")
    page.reset_password()
    assert "新的签名密钥" in page.dialog.note.text()
    qtbot.keyClicks(page.dialog.password, "fresh clerk pass 1")
    qtbot.keyClicks(page.dialog.confirm, "fresh clerk pass 2")
    qtbot.mouseClick(page.dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不一致" in page.dialog.error.text()
    page.dialog.confirm.clear()
    qtbot.keyClicks(page.dialog.confirm, "fresh clerk pass 1")
    submit(qtbot, page)
    login(paths, "clerk", "fresh clerk pass 1").close()

    page.select("clerk")
    page.disable()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(
            page.confirm_box.findChild(QWidget, "disableConfirmed"), Qt.MouseButton.LeftButton
        )
    assert texts(page)["clerk"][4] == "已停用"
    assert not KeyFile.load(paths.key_file).has_operator("clerk")
    page.select("clerk")
    assert not page.disable_button.isEnabled() and not page.password_button.isEnabled()


def test_a_clerk_is_not_offered_the_page(qtbot, centre, runner):
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        page = OperatorsPage(clerk, runner)
        qtbot.addWidget(page)
        assert not page.table.isVisibleTo(page) and not page.add_button.isVisibleTo(page)
        assert "只有管理员" in page.notice.text()
        window = MainWindow(clerk, runner)
        qtbot.addWidget(window)
        position = PAGES.index("operators")
        assert window.nav.item(position).isHidden()
        assert not window.page_actions[position].isEnabled()
    finally:
        clerk.close()


def test_an_administrator_reaches_it_with_its_shortcut(qtbot, centre, runner):
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    with qtbot.waitSignal(window.operators_page.loaded):
        keys = QKeySequence(PAGE_SHORTCUTS["operators"])[0]  # Ctrl+0
        qtbot.keyClick(window, keys.key(), keys.keyboardModifiers())
    assert window.current_page_name() == "operators"
    assert window.operators_page.model.rowCount() == 3

"""Employers: register (credit code checked by its field), list, search, employees."""

from __future__ import annotations

from PySide6.QtCore import Qt

from caseworker.domain.ids import make_uscc
from caseworker.services.employers import EmployerInput, register_employer, search_employer_ids
from caseworker.ui.dialogs.employer_dialog import EmployerDialog
from caseworker.ui.models.employers import EmployerTableModel
from caseworker.ui.views.employers_view import EmployersPage
from tests.ui.helpers import demo_session, type_chinese

GOOD_CODE = make_uscc("91", "320583", "MA1234567")


def fill(qtbot, dialog: EmployerDialog, code: str) -> None:
    dialog.credit_code.setText(code)
    type_chinese(dialog.name, "昆山小蜜蜂网络科技有限公司")
    dialog.employer_type.setCurrentIndex(dialog.employer_type.findData("internet_startup"))
    type_chinese(dialog.industry, "软件和信息技术服务业")
    type_chinese(dialog.contact_name, "李娜")
    qtbot.keyClicks(dialog.contact_phone, "13912345678")


def test_register_with_a_bad_code_shows_it_by_the_field_and_keeps_everything(qtbot, centre, runner):
    dialog = EmployerDialog(centre, runner)
    qtbot.addWidget(dialog)
    bad = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    fill(qtbot, dialog, bad)
    # Choosing a sample industry set the work-injury risk class for the clerk.
    assert dialog.risk_class.currentData() == 1
    with qtbot.waitSignal(dialog.save_failed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.errors["credit_code"]
    assert error.isVisibleTo(dialog)
    assert "校验位" in error.text()
    assert dialog.result() == 0  # still open
    # Nothing typed is lost.
    assert dialog.credit_code.text() == bad
    assert dialog.name.text() == "昆山小蜜蜂网络科技有限公司"
    assert dialog.contact_phone.text() == "13912345678"
    assert search_employer_ids(centre.database, "") == []
    # Corrected, it saves.
    dialog.credit_code.setText(GOOD_CODE)
    with qtbot.waitSignal(dialog.saved) as blocker:
        dialog.save()
    assert search_employer_ids(centre.database, "小蜜蜂") == [blocker.args[0]]
    assert not error.isVisibleTo(dialog)


def test_a_complete_code_is_checked_as_you_type(qtbot, centre, runner):
    dialog = EmployerDialog(centre, runner)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.credit_code, GOOD_CODE[:-1] + "I")
    assert dialog.errors["credit_code"].isVisibleTo(dialog)
    assert "可能是数字1" in dialog.errors["credit_code"].text()
    dialog.credit_code.clear()
    qtbot.keyClicks(dialog.credit_code, GOOD_CODE)
    assert not dialog.errors["credit_code"].isVisibleTo(dialog)


def test_other_field_errors_are_shown_by_their_fields(qtbot, centre, runner):
    dialog = EmployerDialog(centre, runner)
    qtbot.addWidget(dialog)
    dialog.credit_code.setText(GOOD_CODE)
    dialog.name.setText("店")
    dialog.contact_phone.setText("12345")
    with qtbot.waitSignal(dialog.save_failed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "2至200个字" in dialog.errors["name"].text()
    assert dialog.errors["contact_phone"].isVisibleTo(dialog)
    assert not dialog.errors["credit_code"].isVisibleTo(dialog)


def test_employer_list_search_and_employees(qtbot, qtmodeltester, tmp_path, runner):
    session = demo_session(tmp_path / "demo")
    try:
        page = EmployersPage(session, runner)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.employees_listed), qtbot.waitSignal(page.listed):
            page.refresh()
        total = len(search_employer_ids(session.database, ""))
        assert page.model.total == total > 0
        assert page.current is not None
        assert page.current.name in page.detail.text()
        assert page.employees.total == page.current.employees
        qtmodeltester.check(page.model)
        qtmodeltester.check(page.employees)
        # Search by a part of a name, typed with an input method.
        fragment = page.current.name[2:4]
        with qtbot.waitSignal(page.listed):
            type_chinese(page.search_box, fragment)
        names = [page.model.rows[i].name for i in range(page.model.rowCount())]
        assert names and all(fragment in name for name in names)
        # Enrol an employee: the employer's id goes to the enrolment form.
        with qtbot.waitSignal(page.enrol_employee) as blocker:
            qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
        assert blocker.args == [page.current.id]
    finally:
        session.close()


def test_registering_from_the_page_refreshes_the_list(qtbot, centre, runner):
    page = EmployersPage(centre, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.listed):
        page.refresh()
    assert page.model.total == 0
    page.register()
    dialog = page.dialog
    assert dialog is not None
    fill(qtbot, dialog, GOOD_CODE)
    with qtbot.waitSignal(page.listed):
        dialog.save()
    assert page.model.total == 1
    assert (
        page.model.data(page.model.index(0, EmployerTableModel.NAME))
        == "昆山小蜜蜂网络科技有限公司"
    )
    assert page.model.data(page.model.index(0, EmployerTableModel.TYPE)) == "互联网创业企业"


def test_service_lookup_by_code_prefix(centre):
    employer_id = register_employer(
        centre.database,
        centre.actor,
        EmployerInput(credit_code=GOOD_CODE, name="昆山某某商店", employer_type="company"),
    )
    assert search_employer_ids(centre.database, GOOD_CODE[:8].lower()) == [employer_id]
    assert search_employer_ids(centre.database, "某某") == [employer_id]
    assert search_employer_ids(centre.database, "%") == []

"""The employers page: 单位参保登记, 增员, 减员 and 缴费基数申报 with real widgets, the real
runner and a real store; each refusal shown by its field with nothing typed lost."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from caseworker.domain.ids import make_uscc
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.store.models import BaseDeclaration, Employer, Enrolment
from caseworker.ui.dialogs.base_declaration_dialog import BaseDeclarationDialog
from caseworker.ui.dialogs.employment_dialogs import EmployerEnrolmentDialog, JoinDialog
from caseworker.ui.models.declaration import DeclarationModel
from caseworker.ui.views.employers_view import EmployersPage
from tests.conftest import TODAY

CODE = make_uscc("91", "320583", "MA1234567")
WORKER = "320583199001010010"


def page_with_employer(qtbot, centre, runner) -> EmployersPage:
    register_employer(
        centre.database,
        centre.actor,
        EmployerInput(
            credit_code=CODE,
            name="昆山小蜜蜂网络科技有限公司",
            employer_type="internet_startup",
            risk_class=2,
        ),
    )
    page = EmployersPage(centre, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.employees_listed):
        page.refresh()
    return page


def enrol_employer_through_the_dialog(qtbot, page: EmployersPage) -> None:
    assert not page.join_button.isEnabled()  # no 增员 before the employer is enrolled
    assert "尚未办理单位参保登记" in page.detail.text()
    page.enrol_employer()
    dialog = page.dialog
    assert isinstance(dialog, EmployerEnrolmentDialog)
    dialog.insured_from.setDate(QDate(2026, 1, 1))
    assert dialog.risk_class.currentData() == 2  # from the registration
    dialog.float_step.setCurrentIndex(dialog.float_step.findData(12000))
    assert dialog.rate.text().startswith("0.48%")  # class 2 benchmark 0.40 % × 120 %
    with qtbot.waitSignal(page.employees_listed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "参保险种" in page.detail.text() and "2026-01-01" in page.detail.text()
    assert page.join_button.isEnabled()


def test_employer_enrolment_refused_then_saved(qtbot, centre, runner):
    page = page_with_employer(qtbot, centre, runner)
    page.enrol_employer()
    dialog = page.dialog
    for box in dialog.schemes.values():
        box.setChecked(False)
    assert not dialog.risk_class.isEnabled()
    with qtbot.waitSignal(dialog.save_failed):
        dialog.save()
    assert dialog.errors["schemes"].isVisibleTo(dialog)
    assert "至少选择一个险种" in dialog.errors["schemes"].text()
    dialog.reject()
    enrol_employer_through_the_dialog(qtbot, page)
    with centre.database.reading() as session:
        employer = session.scalar(select(Employer))
        assert employer.schemes == [
            "employee_pension",
            "employee_medical",
            "unemployment",
            "work_injury",
        ]
        assert employer.work_injury_float_bp == 12000


def test_join_with_a_base_out_of_range_then_leave(qtbot, centre, runner):
    enrol(
        centre.database,
        centre.actor,
        PersonInput(id_number=WORKER, name="林小燕", employment_category="farmer"),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    )
    page = page_with_employer(qtbot, centre, runner)
    enrol_employer_through_the_dialog(qtbot, page)
    page.join()
    dialog = page.dialog
    assert isinstance(dialog, JoinDialog)
    assert "4,386.00 至 21,930.00" in dialog.range.text()
    qtbot.keyClicks(dialog.id_number, WORKER)
    dialog.start.setDate(QDate(2026, 12, 1))
    qtbot.keyClicks(dialog.base, "30000")
    with qtbot.waitSignal(dialog.save_failed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "4,386元至21,930元" in dialog.errors["base"].text()
    assert dialog.id_number.text() == WORKER and dialog.result() == 0  # nothing lost
    dialog.base.setText("6,000")
    with qtbot.waitSignal(page.employees_listed):
        dialog.save()
    assert "城乡居民基本养老保险已于2026-11-30终止" in page.notice.text()
    assert page.employees.total == 1
    # 减员 needs the employee chosen in the list first.
    page.leave()
    assert "请先在职工列表中选择" in page.notice.text()
    page.employee_table.setCurrentIndex(page.employees.index(0, 0))
    page.leave()
    qtbot.waitUntil(
        lambda: page.dialog is not None and page.dialog.windowTitle().startswith("减员")
    )
    leave = page.dialog
    leave.end.setDate(QDate(2027, 3, 31))
    with qtbot.waitSignal(leave.save_failed):
        leave.save()
    assert "减员原因" in leave.errors["end_reason"].text()
    assert leave.reason_note.text() == ""  # no reason chosen: nothing to say yet
    leave.reason.setCurrentIndex(leave.reason.findData("dismissed"))
    assert "非因本人意愿中断就业" in leave.reason_note.text()
    leave.reason.setCurrentIndex(leave.reason.findData("other"))
    assert leave.reason_note.text() == ""
    leave.reason.setCurrentIndex(leave.reason.findData("resigned"))
    assert "不符合申领失业保险金的条件" in leave.reason_note.text()
    with qtbot.waitSignal(page.employees_listed):
        leave.save()
    assert page.employees.total == 0
    assert "城乡居民险种" in page.notice.text()
    with centre.database.reading() as session:
        statuses = {e.scheme: (e.status, e.end_date) for e in session.scalars(select(Enrolment))}
    assert statuses["employee_pension"] == ("ended", date(2027, 3, 31))
    assert statuses["resident_pension"] == ("ended", date(2026, 11, 30))


def test_base_declaration_shows_bases_reasons_and_amounts_before_saving(
    qtbot, qtmodeltester, centre, runner
):
    page = page_with_employer(qtbot, centre, runner)
    enrol_employer_through_the_dialog(qtbot, page)
    from caseworker.services.employment import JoinInput, join_employee

    enrol(
        centre.database, centre.actor, PersonInput(id_number=WORKER, name="林小燕"), [], today=TODAY
    )
    join_employee(
        centre.database,
        centre.actor,
        page.current.id,
        JoinInput(WORKER, date(2026, 3, 1), ["employee_pension", "work_injury"], 500_000),
    )
    dialog = BaseDeclarationDialog(centre, runner, page.current, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    qtmodeltester.check(dialog.model)
    assert "4,386.00 至 21,930.00" in dialog.range.text()
    wage = dialog.model.index(0, DeclarationModel.WAGE)
    assert not dialog.model.setData(wage, "三千")  # not an amount: refused, said
    assert dialog.error.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.previewed):
        assert dialog.model.setData(wage, "3000")
    row = dialog.model
    assert row.data(row.index(0, DeclarationModel.BASE)) == "4,386.00"
    assert "低于下限" in row.data(row.index(0, DeclarationModel.REASON))
    # 4,386 × (16 % + 0.48 %) = 701.76 + 21.05 = 722.81 a month for the employer, 8 % = 350.88.
    assert row.data(row.index(0, DeclarationModel.EMPLOYER)) == "722.81"
    assert row.data(row.index(0, DeclarationModel.EMPLOYEE)) == "350.88"
    assert "单位 722.81 元，个人 350.88 元" in dialog.totals.text()
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with centre.database.reading() as session:
        saved = session.scalar(select(BaseDeclaration))
    assert (saved.wage_fen, saved.base_fen, saved.clamp) == (300_000, 438_600, "raised_to_floor")


def test_the_change_list_prints_from_the_page(qtbot, centre, runner):
    page = page_with_employer(qtbot, centre, runner)
    assert page.print_button.isEnabled()
    enrol_employer_through_the_dialog(qtbot, page)
    from caseworker.services.employment import JoinInput, join_employee

    enrol(
        centre.database, centre.actor, PersonInput(id_number=WORKER, name="林小燕"), [], today=TODAY
    )
    join_employee(
        centre.database,
        centre.actor,
        page.current.id,
        JoinInput(WORKER, TODAY, ["employee_pension"], 500_000),
    )
    with qtbot.waitSignal(page.paper_ready, timeout=60_000):  # reportlab loads on first paper
        page.print_paper("changes", today=TODAY)
    preview = page.preview
    assert preview is not None and preview.isVisible()
    assert "增减变动表" in preview.result.title
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(preview.result.pdf)).pages)
    assert "林小燕" in text and "2026年11月" in text
    preview.reject()


def test_the_left_out_filter_lists_employers_whose_known_workers_are_not_insured(
    qtbot, centre, runner
):
    page = page_with_employer(qtbot, centre, runner)
    other = register_employer(
        centre.database,
        centre.actor,
        EmployerInput(
            credit_code=make_uscc("91", "320583", "MA7654321"),
            name="玉山镇小林面馆",
            employer_type="company",
        ),
    )
    enrol(
        centre.database,
        centre.actor,
        PersonInput(
            id_number=WORKER, name="林小燕", employment_category="employee", employer_id=other
        ),
        [],
        today=TODAY,
    )
    with qtbot.waitSignal(page.listed):
        page.refresh()
    assert page.model.total == 2
    with qtbot.waitSignal(page.listed):
        page.left_out_only.setChecked(True)
    assert page.model.total == 1
    assert page.model.data(page.model.index(0, page.model.LEFT_OUT)) == "1"
    qtbot.waitUntil(lambda: "未参加职工险种" in page.detail.text())
    assert "玉山镇小林面馆" in page.detail.text()


def test_a_platform_links_a_worker_from_the_page(qtbot, centre, runner):
    register_employer(
        centre.database,
        centre.actor,
        EmployerInput(
            credit_code=make_uscc("91", "320583", "MA7654321"),
            name="快送同城配送平台有限公司",
            employer_type="platform",
        ),
    )
    enrol(
        centre.database, centre.actor, PersonInput(id_number=WORKER, name="林小燕"), [], today=TODAY
    )
    page = EmployersPage(centre, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.employees_listed):
        page.refresh()
    assert page.join_button.text() == "关联从业人员" and page.join_button.isEnabled()
    assert not page.declare_button.isEnabled()  # no bases: the platform pays per order
    page.join()
    dialog = page.dialog
    qtbot.keyClicks(dialog.id_number, WORKER)
    dialog.start.setDate(QDate(2026, 11, 1))
    with qtbot.waitSignal(page.employees_listed):
        dialog.save()
    assert page.employees.total == 1
    with centre.database.reading() as session:
        injury = session.scalar(select(Enrolment))
    assert (injury.scheme, injury.status) == ("occupational_injury", "active")


def test_another_centres_employer_from_the_feed_is_shown_as_theirs_and_not_changed_here(
    qtbot, centre, runner
):
    """An employer that came in the township feed from centre 3205831019: the page says whose
    it is and offers no 单位参保登记; the services refuse a change to it (the same credit code
    registered again, or enrolled) with nothing written — the county would say not_owner."""
    from caseworker.services.employer_enrolment import EmployerEnrolmentInput, enrol_employer
    from caseworker.services.errors import PermissionDenied
    from caseworker.store.models import OutboxEntry, new_id
    from caseworker.sync.protocol import RegistryFeed, RegistryItem
    from caseworker.sync.pull import apply_registry_page

    employer_id = new_id()
    item = RegistryItem(
        seq=1,
        entity_type="employer",
        entity_id=employer_id,
        version=3,
        centre_code="3205831019",
        payload={
            "id": str(employer_id),
            "version": 3,
            "credit_code": CODE,
            "name": "昆山小蜜蜂网络科技有限公司",
            "employer_type": "internet_startup",
            "risk_class": 2,
            "schemes": ["employee_pension"],
            "insured_from": "2026-01-01",
        },
    )
    with centre.database.writing() as session:
        page_of = RegistryFeed(township_code=None, items=[item], cursor=1, more=False)
        assert apply_registry_page(session, page_of).applied == 1

    def held() -> tuple:
        with centre.database.reading() as session:
            row = session.get_one(Employer, employer_id)
            outbox = session.query(OutboxEntry).count()
            return row.version, row.name, row.contact_name, tuple(row.schemes), outbox

    before = held()
    assert before[0] == 3
    for attempt in (
        lambda: register_employer(
            centre.database,
            centre.actor,
            EmployerInput(
                credit_code=CODE,
                name="改名公司",
                employer_type="internet_startup",
                contact_name="冒名者",
            ),
        ),
        lambda: enrol_employer(
            centre.database,
            centre.actor,
            employer_id,
            EmployerEnrolmentInput(["employee_medical"], date(2026, 6, 1)),
        ),
    ):
        try:
            attempt()
        except PermissionDenied as refused:
            assert refused.code == "not_owner" and "3205831019中心登记管理" in refused.message
        else:
            raise AssertionError("another centre's employer was changed here")
        assert held() == before

    page = EmployersPage(centre, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.employees_listed):
        page.refresh()
    assert page.current is not None and page.current.owner_centre_code == "3205831019"
    assert "由3205831019中心登记管理" in page.detail.text()
    assert not page.enrol_employer_button.isEnabled()
    assert page.join_button.isEnabled()  # its employees this centre manages can still join

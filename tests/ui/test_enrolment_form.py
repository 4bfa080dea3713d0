"""The enrolment form, driven through its real widgets on a real encrypted centre.

Chinese goes in through input-method events (as a Chinese IME delivers it); ASCII through
key clicks. Background work runs on the real TaskRunner; tests wait on signals or states.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QWidget
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.services.actor import ROLE_PERMISSIONS, Permission, Role
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.registry import person_detail
from caseworker.store.models import OutboxEntry, Person
from caseworker.ui.drafts import DraftStore, enrolment_drafts_of
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.enrolment_form import EnrolmentForm
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

ADULT_ID = make_id_number("320281", date(1980, 1, 1), 17)  # a man born 1980, 江阴市
CHILD_ID = make_id_number("320281", date(2016, 5, 20), 22)  # a girl of 10 on TODAY
VILLAGE = "320281103201"  # 青阳镇 青联村村委会, in the shipped demo directory
GOOD_CARD = "6222020200112345679"  # passes Luhn
LUHN_FAILS = "6222020200112345678"


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit ``text`` the way a Chinese input method does (keyClicks would abort)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text, Qt.MatchFlag.MatchContains)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def count(session: OpenSession, model) -> int:
    with session.database.reading() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def form(qtbot, centre: OpenSession, runner: TaskRunner) -> EnrolmentForm:
    form = EnrolmentForm(centre, runner, today=lambda: TODAY)
    qtbot.addWidget(form)
    form.resize(1400, 900)
    return form


def fill_adult(qtbot, form: EnrolmentForm, *, id_number: str = ADULT_ID) -> None:
    person = form.person
    qtbot.keyClicks(person.id_number, id_number)
    type_chinese(person.name, "单雄信")
    choose(person.ethnicity, "回族")
    qtbot.keyClicks(person.phone, "139 1234 5678")
    choose(person.hukou_nature, "农业户口")
    person.cascade.set_code(VILLAGE)
    person.hukou_address.end(False)
    type_chinese(person.hukou_address, "3组12号")
    type_chinese(person.residence_address, "青阳镇文化路8号")
    choose(person.category, "务农人员")
    qtbot.keyClicks(person.bank_account, GOOD_CARD)


def tick_pension_and_medical(form: EnrolmentForm, tier: str = "500元") -> None:
    rows = form.schemes.rows
    rows["resident_pension"].check.setChecked(True)
    choose(rows["resident_pension"].tier, tier)
    rows["resident_medical"].check.setChecked(True)


def show(qtbot, form: EnrolmentForm) -> None:
    """Shortcuts only fire in the active window, as on a real desk."""
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form.window(), timeout=5000)


def save_and_wait(qtbot, form: EnrolmentForm) -> uuid.UUID:
    show(qtbot, form)
    with qtbot.waitSignal(form.saved, timeout=10_000) as blocker:
        qtbot.keyClick(form.person.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[0]


def test_id_number_validates_as_typed_and_fills_what_it_implies(qtbot, form):
    person = form.person
    qtbot.keyClicks(person.id_number, ADULT_ID[:10])
    assert person.boxes["id_number"].text() == "已输入10位，共18位"
    assert person.boxes["id_number"].kind == "hint"
    assert form.schemes.note.isVisibleTo(form)
    qtbot.keyClicks(person.id_number, ADULT_ID[10:])
    assert person.boxes["id_number"].text() == ""
    assert person.birth_date.text() == "1980年1月1日"
    assert person.sex.text() == "男"
    assert person.age.text() == "46岁"
    assert person.issuing_region.text() == "江苏省无锡市江阴市"
    assert person.birth_date.isReadOnly() and person.issuing_region.isReadOnly()
    # A wrong last digit is an error in words, under the field; the text stays as typed.
    person.id_number.backspace()
    qtbot.keyClicks(person.id_number, "9")
    assert "校验位" in person.boxes["id_number"].text()
    assert person.boxes["id_number"].kind == "error"
    assert person.birth_date.text() == ""
    assert person.id_number.text() == ADULT_ID[:17] + "9"


def test_full_new_enrolment_is_typed_in_and_saved(qtbot, form, centre):
    fill_adult(qtbot, form)
    tick_pension_and_medical(form)
    assert [i.key for i in form.documents.items] == ["id_card", "hukou_book", "bank_card"]
    for box in form.documents.boxes.values():
        box.setChecked(True)
    person_id = save_and_wait(qtbot, form)

    detail = person_detail(centre.database, str(person_id))
    assert detail.id_number == ADULT_ID
    assert detail.name == "单雄信"
    assert detail.ethnicity == "03"
    assert detail.phone == "13912345678"
    assert detail.hukou_nature == "family_farm"
    assert detail.hukou_village_code == VILLAGE
    assert detail.hukou_address == "江苏省无锡市江阴市青阳镇青联村村委会3组12号"
    assert detail.residence_address == "青阳镇文化路8号"
    assert detail.employment_category == "farmer"
    assert detail.bank_account == GOOD_CARD
    enrolments = {e.scheme: e for e in detail.enrolments}
    assert set(enrolments) == {"resident_pension", "resident_medical"}
    assert enrolments["resident_pension"].tier_fen == 50_000
    assert enrolments["resident_pension"].documents == ("bank_card", "hukou_book", "id_card")
    # After saving: the banner says so, the draft is gone, payment and printing are offered.
    assert form.banner.kind == "success"
    assert form.pay_button.isEnabled()
    assert form.person.id_number.isReadOnly()
    assert DraftStore(centre.database.paths, centre.database_key).pending() == []
    assert form.print_button.isEnabled()
    assert count(centre, Person) == 1


def test_a_registered_id_number_is_offered_instead_of_a_duplicate(qtbot, form, centre):
    enrol(centre.database, centre.actor, farmer(id_number=ADULT_ID), [], today=TODAY)
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    banner = form.person.duplicate
    qtbot.waitUntil(lambda: banner.kind == "warning", timeout=5000)
    assert "此身份证号已登记：单雄信" in banner.text()
    assert not form.save_button.isEnabled()
    with qtbot.waitSignal(form.open_person_requested) as opened:
        qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    assert opened.args[0] == person_detail(centre.database, ADULT_ID).id
    # Ctrl+S does not create a second record either.
    show(qtbot, form)
    qtbot.keyClick(form.person.id_number, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "已登记" in form.banner.text()
    assert count(centre, Person) == 1
    # Another number clears the offer.
    form.person.id_number.clear()
    assert banner.isHidden() and form.save_button.isEnabled()


def test_errors_are_shown_next_to_their_fields_and_nothing_typed_is_lost(qtbot, form, centre):
    fill_adult(qtbot, form)
    form.person.name.clear()
    type_chinese(form.person.name, "张")
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "2345")
    for box in form.documents.boxes.values():
        box.setChecked(True)
    typed = form.person.state()

    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error", timeout=10_000)
    assert "姓名只有一个字" in form.person.boxes["name"].text()
    assert (
        "手机号" in form.person.boxes["phone"].text() or "电话" in form.person.boxes["phone"].text()
    )
    assert form.person.boxes["ethnicity"].text() == ""
    assert "2处" in form.banner.text()
    assert form.person.state() == typed
    assert count(centre, Person) == 0 and count(centre, OutboxEntry) == 0

    # Fixing a field clears its message; a scheme ticked without a tier is the next error.
    type_chinese(form.person.name, "信")
    assert form.person.boxes["name"].text() == ""
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "13912345678")
    form.schemes.rows["resident_pension"].check.setChecked(True)
    form.save()
    qtbot.waitUntil(lambda: form.schemes.error.text() != "", timeout=10_000)
    assert "缴费档次" in form.schemes.error.text()
    assert form.schemes.focus_target("tier") is form.schemes.rows["resident_pension"].tier
    assert count(centre, Person) == 0


def test_the_first_bad_field_gets_the_focus(qtbot, form):
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    fill_adult(qtbot, form)
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "2345")
    for box in form.documents.boxes.values():
        box.setChecked(True)
    form.person.bank_account.setFocus()
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error", timeout=10_000)
    qtbot.waitUntil(lambda: form.person.phone.hasFocus(), timeout=5000)


def test_schemes_follow_age_and_category(qtbot, form):
    rows = form.schemes.rows
    qtbot.keyClicks(form.person.id_number, CHILD_ID)
    choose(form.person.category, "学龄前儿童")
    assert form.person.age.text() == "10岁"
    assert rows["resident_medical"].check.isEnabled()
    assert not rows["resident_pension"].check.isEnabled()
    assert "未满16周岁" in rows["resident_pension"].detail.text()
    assert "个人缴费400元" in rows["resident_medical"].detail.text()
    assert [r for r, row in rows.items() if row.check.isEnabled()] == ["resident_medical"]

    form.person.id_number.clear()
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    choose(form.person.category, "务农人员")
    assert rows["resident_pension"].check.isEnabled()
    assert not rows["employee_pension_flexible"].check.isEnabled()
    tier = rows["resident_pension"].tier
    assert tier.isVisibleTo(form) and "政府补贴" in tier.itemText(1)
    rows["resident_pension"].check.setChecked(True)
    choose(tier, "500元")

    choose(form.person.category, "灵活就业人员")
    flexible = rows["employee_pension_flexible"]
    assert flexible.check.isEnabled() and flexible.base.isVisibleTo(form)
    flexible.base.setValue(5000)
    assert "每月缴费1,000.00元" in flexible.detail.text()
    assert flexible.base.minimum() == 4386  # 60% of the provincial average wage

    choose(form.person.category, "在校学生")
    assert not rows["resident_pension"].check.isEnabled()
    assert "在校学生" in rows["resident_pension"].detail.text()
    assert [c.scheme for c in form.schemes.chosen()] == []
    # Back to farmer: the tier the clerk chose is still there.
    choose(form.person.category, "务农人员")
    assert [(c.scheme, c.tier_fen) for c in form.schemes.chosen()] == [("resident_pension", 50_000)]
    # A hardship group changes what the person pays.
    form.person.groups["severe_disability"].setChecked(True)
    assert "政府代缴" in rows["resident_pension"].detail.text()
    assert "document_special_group_proof_severe_disability" in {
        box.objectName() for box in form.documents.boxes.values()
    }


def test_unticked_documents_ask_before_saving(qtbot, form, centre):
    fill_adult(qtbot, form)
    tick_pension_and_medical(form)
    form.documents.boxes["id_card"].setChecked(True)
    form.save()
    box = form.confirm_box
    assert box is not None and box.isVisible()
    assert "户口簿" in box.informativeText()
    qtbot.mouseClick(box.findChild(QWidget, "backToChecklist"), Qt.MouseButton.LeftButton)
    assert count(centre, Person) == 0
    form.save()
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.mouseClick(
            form.confirm_box.findChild(QWidget, "saveAnyway"), Qt.MouseButton.LeftButton
        )
    pension = next(
        e
        for e in person_detail(centre.database, ADULT_ID).enrolments
        if e.scheme == "resident_pension"
    )
    assert pension.documents == ("id_card",)


def test_employee_needs_an_employer_found_by_name(qtbot, form, centre):
    code = make_uscc("91", "320281", "MA1M00001")
    employer_id = register_employer(
        centre.database,
        centre.actor,
        EmployerInput(credit_code=code, name="江阴青阳纺织有限公司", employer_type="company"),
    )
    fill_adult(qtbot, form)
    assert form.person.employer.isHidden() or not form.person.boxes["employer"].isVisibleTo(form)
    choose(form.person.category, "单位职工")
    assert form.person.boxes["employer"].isVisibleTo(form)
    assert [i.key for i in form.documents.items][-2:] == ["labour_contract", "bank_card"]
    for box in form.documents.boxes.values():
        box.setChecked(True)
    form.save()
    assert "须选择用人单位" in form.person.boxes["employer"].text()
    assert count(centre, Person) == 0

    picker = form.person.employer
    with qtbot.waitSignal(picker.searched, timeout=5000):
        type_chinese(picker.search, "纺织")
    assert picker.results.count() == 1
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.employer_id == employer_id
    assert "江阴青阳纺织有限公司" in picker.chosen.text()
    pension = form.schemes.rows["employee_pension"]
    pension.check.setChecked(True)
    pension.base.setValue(6000)
    assert "个人每月480.00元" in pension.detail.text()
    person_id = save_and_wait(qtbot, form)
    detail = person_detail(centre.database, str(person_id))
    assert detail.employer_id == employer_id
    assert {e.scheme: e.base_fen for e in detail.enrolments} == {"employee_pension": 600_000}


def test_an_employer_search_that_finds_nothing_says_so(qtbot, form):
    choose(form.person.category, "单位职工")
    picker = form.person.employer
    with qtbot.waitSignal(picker.searched, timeout=5000):
        type_chinese(picker.search, "不存在的公司")
    assert picker.results.count() == 0
    assert "没有找到" in picker.chosen.text()


def test_a_bank_card_failing_luhn_is_a_warning_not_an_error(qtbot, form, centre):
    fill_adult(qtbot, form)
    form.person.bank_account.clear()
    qtbot.keyClicks(form.person.bank_account, LUHN_FAILS)
    box = form.person.boxes["bank_account"]
    assert box.kind == "warning" and "核对" in box.text()
    for check in form.documents.boxes.values():
        check.setChecked(True)
    save_and_wait(qtbot, form)
    assert person_detail(centre.database, ADULT_ID).bank_account == LUHN_FAILS
    assert form.banner.kind == "warning" and "卡号校验未通过" in form.banner.text()


def test_edit_loads_the_person_and_a_stale_save_is_a_conflict(qtbot, form, centre):
    result = enrol(
        centre.database,
        centre.actor,
        farmer(id_number=ADULT_ID, hukou_village_code=VILLAGE),
        [EnrolmentChoice("resident_pension", tier_fen=30_000, documents=["id_card"])],
        today=TODAY,
    )
    form.edit(result.person_id)
    qtbot.waitUntil(lambda: form.person.name.text() == "单雄信", timeout=5000)
    assert form.person.id_number.isReadOnly()
    assert form.person.cascade.village_code() == VILLAGE
    pension = form.schemes.rows["resident_pension"]
    assert pension.check.isChecked() and not pension.check.isEnabled()  # ending is elsewhere
    assert pension.tier.currentData() == 30_000
    assert form.documents.boxes["id_card"].isChecked()
    assert form.pay_button.isEnabled()
    assert "参保信息修改" in form.title.text()

    # Someone else changes the person meanwhile.
    enrol(
        centre.database,
        centre.actor,
        farmer(id_number=ADULT_ID, phone="13700000000"),
        [],
        today=TODAY,
    )
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "13600000000")
    for box in form.documents.boxes.values():
        box.setChecked(True)
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error", timeout=10_000)
    assert "已被他人修改" in form.banner.text()
    assert form.person.phone.text() == "13600000000"
    assert person_detail(centre.database, ADULT_ID).phone == "13700000000"


def test_an_operator_without_permission_sees_a_banner(qtbot, form, centre, monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ADMIN, frozenset({Permission.VIEW}))
    fill_adult(qtbot, form)
    for box in form.documents.boxes.values():
        box.setChecked(True)
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error", timeout=10_000)
    assert "无权" in form.banner.text()
    assert form.person.name.text() == "单雄信"
    assert count(centre, Person) == 0


def test_draft_survives_a_crash_and_restores_every_field(qtbot, centre, runner):
    form = EnrolmentForm(centre, runner, today=lambda: TODAY)
    fill_adult(qtbot, form)
    tick_pension_and_medical(form, tier="300元")
    form.person.groups["dibao"].setChecked(True)
    form.documents.boxes["id_card"].setChecked(True)
    form.documents.boxes["special_group_proof:dibao"].setChecked(True)
    state = form.draft_data()
    store = DraftStore(centre.database.paths, centre.database_key)
    # Debounced: written a moment after the last change.
    qtbot.waitUntil(lambda: len(store.pending()) == 1, timeout=5000)
    qtbot.waitUntil(lambda: store.load(store.pending()[0].draft_id) == state, timeout=5000)
    raw = next(centre.database.paths.drafts.glob("*.draft")).read_bytes()
    assert ADULT_ID.encode() not in raw and "单雄信".encode() not in raw

    # The crash: the form goes away without saving.
    form.deleteLater()
    del form
    QApplication.processEvents()  # let deleteLater happen, as the event loop would

    drafts = enrolment_drafts_of(centre)
    assert len(drafts) == 1
    assert drafts[0].summary == "单雄信 3202**********0172"
    assert drafts[0].operator == "admin"
    restored = EnrolmentForm(centre, runner, today=lambda: TODAY)
    qtbot.addWidget(restored)
    restored.restore_draft(drafts[0].draft_id)
    assert restored.draft_data() == state
    assert restored.person.name.text() == "单雄信"
    assert restored.person.cascade.village_code() == VILLAGE
    assert restored.schemes.rows["resident_pension"].tier.currentData() == 30_000
    assert restored.documents.boxes["special_group_proof:dibao"].isChecked()
    assert restored.person.birth_date.text() == "1980年1月1日"
    for box in restored.documents.boxes.values():
        box.setChecked(True)
    save_and_wait(qtbot, restored)
    assert enrolment_drafts_of(centre) == []


def test_a_declined_draft_can_be_discarded(qtbot, form, centre):
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    form.write_draft()
    (draft,) = enrolment_drafts_of(centre)
    EnrolmentForm.discard_draft(centre, draft.draft_id)
    assert enrolment_drafts_of(centre) == []


def test_new_with_an_id_number_and_employer(qtbot, form, centre):
    employer_id = register_employer(
        centre.database,
        centre.actor,
        EmployerInput(
            credit_code=make_uscc("92", "320281", "MA1M00002"),
            name="青阳小吃店",
            employer_type="individual_business",
        ),
    )
    form.new(id_number=ADULT_ID, employer_id=employer_id)
    assert form.person.birth_date.text() == "1980年1月1日"
    assert form.person.category.code() == "employee"
    qtbot.waitUntil(lambda: "青阳小吃店" in form.person.employer.chosen.text(), timeout=5000)
    assert form.focusProxy() is form.person.name


def test_tab_order_follows_the_paper_form(qtbot, form):
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    choose(form.person.category, "灵活就业人员")

    def stop(widget: QWidget) -> bool:
        return bool(
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisibleTo(form)
            and widget.focusProxy() is None
        )

    person, schemes = form.person, form.schemes
    expected = [
        person.id_number,
        person.name,
        person.ethnicity,
        person.phone,
        person.hukou_nature,
        *person.cascade.inputs(),
        person.hukou_address,
        person.residence_address,
        person.category,
        *person.groups.values(),
        person.bank_account,
        *schemes.inputs(),
        *form.documents.inputs(),
        form.save_button,
    ]
    expected = [w for w in expected if stop(w)]
    seen = [person.id_number]
    widget = person.id_number
    while widget is not form.save_button and len(seen) < 200:
        widget = widget.nextInFocusChain()
        if stop(widget):
            seen.append(widget)
    names = [w.objectName() for w in seen]
    assert names == [w.objectName() for w in expected]
    assert "base_employee_pension_flexible" in names  # the flexible base follows its box


def test_every_input_has_an_object_name_and_accessible_name(form):
    inputs = [*form.person.inputs(), *form.schemes.inputs(), *form.documents.inputs()]
    inputs += [form.save_button, form.print_button, form.pay_button]
    for widget in inputs:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()


def test_print_previews_the_enrolment_form_once_saved(qtbot, form, centre):
    fill_adult(qtbot, form)
    assert not form.print_button.isEnabled()
    assert form.print_button.toolTip() == "保存后可打印"
    for box in form.documents.boxes.values():
        box.setChecked(True)
    save_and_wait(qtbot, form)
    qtbot.mouseClick(form.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.findChild(QDialog, "printPreview") is not None, timeout=10_000)
    preview = form.findChild(QDialog, "printPreview")
    assert preview.isVisible()
    assert preview.result.pages >= 1 and preview.result.missing == ()
    preview.close()

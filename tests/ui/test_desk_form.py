"""Nothing typed is lost at the desk: the enrolment form says what is wrong before the
documents are asked about, drops its banner once all is fixed and does not move under the
clerk's hands; the region cascade from a code or a name; fields that show their text whole.
Real widgets, the real runner, a real encrypted centre."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QStyleOptionFrame, QWidget

from caseworker.store.models import Person
from caseworker.ui.i18n import install_language
from caseworker.ui.views.enrolment_form import EnrolmentForm
from caseworker.ui.widgets.region_cascade import RegionCascade
from tests.conftest import TODAY
from tests.ui.test_enrolment_form import (
    ADULT_ID,
    GOOD_CARD,
    VILLAGE,
    choose,
    count,
    fill_adult,
    tick_pension_and_medical,
    type_chinese,
)


@pytest.fixture
def form(qtbot, centre, runner) -> EnrolmentForm:
    page = EnrolmentForm(centre, runner, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    return page


def _where(form: EnrolmentForm, widget: QWidget) -> QRect:
    """The widget's rectangle in the form's coordinates (what the clerk sees move)."""
    return QRect(widget.mapTo(form, QPoint(0, 0)), widget.size())


def _inputs(form: EnrolmentForm) -> list[QWidget]:
    return [*form.person.inputs(), *form.schemes.inputs(), *form.documents.inputs()]


def test_wrong_fields_are_said_before_the_documents_are_asked_about(qtbot, form, centre):
    fill_adult(qtbot, form)
    tick_pension_and_medical(form)
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "2345")  # wrong, and no document ticked either
    form.save()
    assert form.confirm_box is None  # not asked about the checklist for a refused save
    assert form.banner.kind == "error" and "1处" in form.banner.text()
    assert form.person.boxes["phone"].text() != ""
    assert count(centre, Person) == 0
    # Fixed: now (and only now) the checklist is asked about.
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "13912345678")
    form.save()
    assert form.confirm_box is not None and form.confirm_box.isVisible()


def test_a_missing_name_and_a_scheme_without_tier_are_both_found_before_saving(qtbot, form):
    fill_adult(qtbot, form)
    form.person.name.clear()
    form.schemes.rows["resident_pension"].check.setChecked(True)  # no tier chosen
    form.save()
    assert form.confirm_box is None
    assert form.banner.kind == "error"
    assert form.person.boxes["name"].text() != ""


def test_the_banner_goes_once_nothing_is_wrong_and_counts_down_before(qtbot, form):
    fill_adult(qtbot, form)
    form.person.name.clear()
    type_chinese(form.person.name, "张")  # one character: wrong
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "2345")
    form.save()
    assert "2处" in form.banner.text()
    type_chinese(form.person.name, "三")
    assert form.banner.kind == "error" and "1处" in form.banner.text()
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "13912345678")
    assert form.banner.kind == "" and form.banner.text() == ""


def test_the_form_does_not_move_when_errors_appear(qtbot, form):
    form.show()
    qtbot.waitExposed(form)
    fill_adult(qtbot, form)
    tick_pension_and_medical(form, tier="（请选择档次）")
    form.person.name.clear()
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "2345")
    form.person.bank_account.clear()
    qtbot.keyClicks(form.person.bank_account, "1234567890123")
    QApplication.processEvents()
    before = {w.objectName(): _where(form, w) for w in _inputs(form)}
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error")
    assert form.person.boxes["name"].text() and form.person.boxes["phone"].text()
    assert form.person.boxes["bank_account"].text()
    QApplication.processEvents()
    assert {w.objectName(): _where(form, w) for w in _inputs(form)} == before
    # The person fixed, the scheme without a tier is next: its message moves nothing either.
    type_chinese(form.person.name, "单雄信")
    form.person.phone.clear()
    qtbot.keyClicks(form.person.phone, "13912345678")
    form.person.bank_account.clear()
    qtbot.keyClicks(form.person.bank_account, GOOD_CARD)
    QApplication.processEvents()
    before = {w.objectName(): _where(form, w) for w in _inputs(form)}
    form.save()
    qtbot.waitUntil(lambda: form.schemes.error.text() != "")
    QApplication.processEvents()
    assert {w.objectName(): _where(form, w) for w in _inputs(form)} == before


def test_new_enrolment_with_an_id_has_an_empty_banner_slot_not_a_gap(qtbot, form):
    form.new(id_number=ADULT_ID)
    assert form.banner.text() == "" and form.banner.kind == ""
    assert form.person.id_number.text() == ADULT_ID


def _cascade_codes(cascade: RegionCascade) -> list[str]:
    return [combo.currentData() or "" for combo in cascade.combos]


def test_a_village_code_selects_the_whole_cascade(qtbot, form):
    cascade = form.person.cascade
    cascade.set_code(None)
    qtbot.keyClicks(cascade.quick, VILLAGE)
    assert _cascade_codes(cascade) == ["320000", "320200", "320281", "320281103", VILLAGE]
    assert form.person.hukou_address.text().startswith(cascade.name_path())


def test_a_village_name_selects_the_whole_cascade_and_a_hand_choice_clears_it(qtbot, form):
    cascade = form.person.cascade
    cascade.set_code(None)
    name = cascade.directory.get(VILLAGE).name  # 青联村村委会
    type_chinese(cascade.quick, name.removesuffix("村委会"))  # written as people say it
    assert cascade.village_code() == VILLAGE
    assert _cascade_codes(cascade)[:3] == ["320000", "320200", "320281"]
    choose(cascade.combos[0], "北京市")
    assert cascade.quick.text() == ""
    assert cascade.village_code() is None


def test_an_unknown_or_partial_code_changes_nothing(qtbot, form):
    cascade = form.person.cascade
    cascade.set_code(VILLAGE[:9])
    qtbot.keyClicks(cascade.quick, VILLAGE[:8])
    assert cascade.code() == VILLAGE[:9]
    cascade.quick.clear()
    qtbot.keyClicks(cascade.quick, "999999999999")
    assert cascade.code() == VILLAGE[:9]


def test_the_completer_offers_villages_by_any_part_of_their_name(qtbot, form):
    cascade = form.person.cascade
    completer = cascade.quick.completer()
    completer.setCompletionPrefix("青联")
    labels = [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionModel().rowCount())
    ]
    assert labels and all("青联" in label for label in labels)
    cascade._quick_chosen(labels[0])  # what activating the popup's entry calls
    assert cascade.village_code() == VILLAGE


def _shows_whole(edit: QLineEdit) -> bool:
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    return contents.width() - 4 >= edit.fontMetrics().horizontalAdvance(edit.text())


def test_the_birth_date_is_shown_whole_in_both_languages(qtbot, centre, runner, qapp):
    for language in ("zh", "en"):
        install_language(qapp, language)
        page = EnrolmentForm(centre, runner, today=lambda: TODAY)
        qtbot.addWidget(page)
        page.resize(1000, 700)  # a small window: the derived fields have the least room
        page.show()
        qtbot.waitExposed(page)
        qtbot.keyClicks(page.person.id_number, ADULT_ID)
        QApplication.processEvents()
        for edit in (page.person.birth_date, page.person.sex, page.person.age):
            assert edit.text() and _shows_whole(edit), (language, edit.text(), edit.width())
    install_language(qapp, "zh")


def test_the_tier_list_fits_its_text_and_the_screen(qtbot, form):
    form.show()
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.person.id_number, ADULT_ID)
    tier = form.schemes.rows["resident_pension"]
    tier.check.setChecked(True)
    combo = tier.tier
    assert combo.count() > 5
    metrics = combo.fontMetrics()
    widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.view().minimumWidth() >= widest
    screen = combo.screen().availableGeometry()
    rows = combo.maxVisibleItems()
    assert rows >= 1 and rows * combo.view().sizeHintForRow(0) <= screen.height()
    # The combo itself shows the chosen tier whole.
    choose(combo, "500元")
    assert combo.width() >= metrics.horizontalAdvance(combo.currentText())

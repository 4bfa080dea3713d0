"""The front-desk search box: real widgets, the real runner, a real encrypted store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import ServiceError
from caseworker.services.registry import search_ids
from caseworker.ui.models.people import PersonResultsModel
from caseworker.ui.views import search_view
from caseworker.ui.views.search_view import SearchView
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer
from tests.ui.helpers import demo_session, type_chinese

UNKNOWN_VALID_ID = "11010519491231002X"  # the standard's published example


@pytest.fixture
def view(qtbot, centre: OpenSession, runner) -> SearchView:
    enrol(
        centre.database,
        centre.actor,
        farmer(),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,
    )
    enrol(
        centre.database,
        centre.actor,
        farmer(id_number="320583199002020026", name="曾小芳", phone="13812340000"),
        [],
        today=TODAY,
    )
    widget = SearchView(centre, runner)
    qtbot.addWidget(widget)
    return widget


def typed(qtbot, view: SearchView, text: str, *, chinese: bool = False) -> None:
    """Type like a clerk and wait for the debounced search's answer."""
    view.search_box.clear()
    with qtbot.waitSignal(view.searched):
        if chinese:
            type_chinese(view.search_box, text)
        else:
            qtbot.keyClicks(view.search_box, text)


def names(view: SearchView) -> list[str]:
    return [view.model.rows[i].name for i in range(view.model.rowCount())]


def test_search_by_id_tail_shows_masked_number_and_coverage(qtbot, view):
    typed(qtbot, view, "0016")
    assert names(view) == ["单雄信"]
    model = view.model
    assert model.data(model.index(0, PersonResultsModel.ID)) == "3205**********0016"
    assert model.data(model.index(0, PersonResultsModel.SEX)) == "男"
    assert model.data(model.index(0, PersonResultsModel.COVERAGE)) == "居民医保"
    assert "找到 1 人" in view.hint.text()
    assert not view.offer.isVisibleTo(view)


def test_search_by_any_part_of_a_chinese_name_typed_with_an_input_method(qtbot, view):
    typed(qtbot, view, "雄信", chinese=True)
    assert view.search_box.text() == "雄信"
    assert names(view) == ["单雄信"]
    typed(qtbot, view, "曾", chinese=True)
    assert names(view) == ["曾小芳"]


def test_search_by_initials_uses_the_surname_reading(qtbot, view):
    typed(qtbot, view, "sxx")  # 单 as a surname reads shan, not dan
    assert names(view) == ["单雄信"]
    typed(qtbot, view, "zengxiao")  # 曾 as a surname reads zeng
    assert names(view) == ["曾小芳"]


def test_search_by_phone_digits(qtbot, view):
    typed(qtbot, view, "13812340000")
    assert names(view) == ["曾小芳"]


def test_a_valid_unknown_id_number_offers_a_new_enrolment(qtbot, view):
    typed(qtbot, view, UNKNOWN_VALID_ID.lower())  # a lower-case x is normalised
    assert view.model.rowCount() == 0
    assert view.offer.isVisibleTo(view)
    assert UNKNOWN_VALID_ID in view.offer_label.text()
    with qtbot.waitSignal(view.new_enrolment) as blocker:
        qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    assert blocker.args == [UNKNOWN_VALID_ID]
    with qtbot.waitSignal(view.new_enrolment) as blocker:
        qtbot.mouseClick(view.offer_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [UNKNOWN_VALID_ID]


def test_an_invalid_id_number_offers_nothing_and_says_the_check_character_is_wrong(qtbot, view):
    typed(qtbot, view, "110105194912310021")  # wrong check character
    assert view.model.rowCount() == 0
    assert not view.offer.isVisibleTo(view)
    assert "校验位" in view.hint.text()
    assert "没有找到" not in view.hint.text()


def test_a_fifteen_digit_residence_permit_number_is_said_to_be_impossible(qtbot, view):
    typed(qtbot, view, "810000900315021")
    assert not view.offer.isVisibleTo(view)
    assert "港澳台居民居住证号码只有18位" in view.hint.text()


def test_a_foreigner_with_a_2017_card_is_enrolled_and_found_by_the_full_number(qtbot, view, centre):
    enrol(
        centre.database,
        centre.actor,
        farmer(id_number="USA310178112357", name="史密斯"),
        [],
        today=TODAY,
    )
    typed(qtbot, view, "usa310178112357")
    assert names(view) == ["史密斯"]
    assert view.hint.text().startswith("找到 1 人")


def test_too_few_digits_says_how_many_are_needed(qtbot, view):
    typed(qtbot, view, "00")
    assert view.model.rowCount() == 0
    assert "至少输入4位数字" in view.hint.text()


def test_enter_opens_the_person_and_down_moves_into_the_results(qtbot, view):
    typed(qtbot, view, "0016")
    with qtbot.waitSignal(view.open_person) as blocker:
        qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    assert blocker.args == [view.model.rows[0].id]
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    typed(qtbot, view, "0016")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    with qtbot.waitSignal(view.open_person):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)


def test_a_stale_answer_is_dropped(qtbot, view):
    view.search_box.setText("0016")
    view.search_now()
    view.search_box.setText("9999")
    with qtbot.waitSignal(view.searched):
        view.search_now()
    # Only the newest search's answer was shown, whichever finished first.
    assert view.model.rowCount() == 0
    assert "没有找到" in view.hint.text()


def test_a_failed_search_is_shown_not_lost(qtbot, view, monkeypatch):
    def broken(database, text, **kwargs):
        raise ServiceError("broken", "数据库暂时无法读取。", "The database cannot be read.")

    monkeypatch.setattr(search_view, "search_ids", broken)
    typed(qtbot, view, "0016")
    assert "查找出错" in view.hint.text()
    assert "数据库暂时无法读取" in view.hint.text()
    assert view.search_box.text() == "0016"


def test_results_load_page_by_page_and_pass_the_model_tester(
    qtbot, qtmodeltester, tmp_path, runner, monkeypatch
):
    monkeypatch.setattr(PersonResultsModel, "PAGE", 7)
    session = demo_session(tmp_path / "demo")
    try:
        expected = search_ids(session.database, "w")
        assert len(expected) > 14  # enough for three pages
        view = SearchView(session, runner)
        qtbot.addWidget(view)
        typed(qtbot, view, "w")
        model = view.model
        assert model.total == len(expected)
        assert model.rowCount() == 7
        assert model.canFetchMore()
        with qtbot.waitSignal(model.page_loaded):
            model.fetchMore()
        assert model.rowCount() == 14
        assert [row.id for row in model.rows] == expected[:14]
        qtmodeltester.check(model)
    finally:
        session.close()

"""A card on the desk's reader, through the real serial reader (pyserial) against the
simulated reader on a pseudo-terminal pair: the front desk finds the person or fills the
enrolment form; Settings tests the reader. Synthetic cards only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from caseworker.devices.card import CardKind
from caseworker.devices.reader import SERIAL
from caseworker.devices.simulator import SimulatedReader, demo_card
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import enrol
from caseworker.services.registry import person_detail
from caseworker.ui import card_desk
from caseworker.ui.card_watcher import CardWatcher, ReaderConfig
from caseworker.ui.preferences import CARD_READER_KIND, CARD_READER_PORT
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.front_desk import FrontDeskPage
from caseworker.ui.widgets.card_reader_settings import CardReaderBox
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer
from tests.ui.test_enrolment_form import choose

VILLAGE = "320281005200"  # 云亭街道 定山村村委会, where the demo card's address lies


@pytest.fixture
def simulator() -> Iterator[SimulatedReader]:
    with SimulatedReader() as sim:
        yield sim


@pytest.fixture
def watcher(qtbot, simulator: SimulatedReader) -> Iterator[CardWatcher]:
    watching = CardWatcher()
    watching.start(ReaderConfig(SERIAL, simulator.port))
    yield watching
    watching.stop()


@pytest.fixture
def desk(qtbot, centre: OpenSession, runner: TaskRunner, watcher: CardWatcher) -> FrontDeskPage:
    page = FrontDeskPage(centre, runner)
    qtbot.addWidget(page)
    page.cards = card_desk.attach(page, watcher, today=lambda: TODAY)
    page.resize(1400, 900)
    page.show()
    return page


def _form_filled(page: FrontDeskPage, number: str) -> bool:
    form = page.form
    return (
        form is not None
        and page.stack.currentWidget() is page.form_holder
        and form.person.id_number.text() == number
        and form.person.name.text() != ""
    )


def test_a_card_on_the_search_fills_a_new_enrolment(qtbot, desk, simulator, centre) -> None:
    card = demo_card()
    simulator.place(card)
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    person = desk.form.person
    assert person.name.text() == "演示样"
    assert person.ethnicity.code() == "01"
    assert person.sex.text() == "男" and "1986" in person.birth_date.text()
    assert person.cascade.village_code() == VILLAGE
    assert person.hukou_address.text() == card.address
    panel = desk.cards.panel
    assert panel is not None and panel.isVisibleTo(desk.form)
    assert panel.authority.text() == "江阴市公安局"
    assert panel.validity.text() == "2018-06-01 – 2038-06-01"
    assert desk.form.banner.kind == "success"

    # What the card filled is saved as typed would be (the clerk picks the rest).
    choose(person.hukou_nature, "农业户口")
    choose(person.category, "务农人员")
    desk.form.schemes.rows["resident_medical"].check.setChecked(True)
    for box in desk.form.documents.boxes.values():
        box.setChecked(True)
    with qtbot.waitSignal(desk.form.saved, timeout=10_000):
        desk.form.save()
    saved = person_detail(centre.database, card.id_number)
    assert (saved.name, saved.ethnicity, saved.hukou_village_code) == ("演示样", "01", VILLAGE)
    assert saved.hukou_address == card.address


def test_a_registered_persons_card_opens_their_page(qtbot, desk, simulator, centre) -> None:
    card = demo_card()
    found = enrol(centre.database, centre.actor, farmer(id_number=card.id_number), [], today=TODAY)
    simulator.place(card)
    qtbot.waitUntil(lambda: desk.stack.currentWidget() is desk.person, timeout=10_000)
    assert desk.person._wanted == found.person_id
    assert desk.form is None  # nothing to fill: the person is already registered


def test_a_registered_persons_expired_card_is_warned_about(qtbot, desk, simulator, centre) -> None:
    card = replace(demo_card(), valid_to=date(2024, 6, 1))
    enrol(centre.database, centre.actor, farmer(id_number=card.id_number), [], today=TODAY)
    simulator.place(card)
    qtbot.waitUntil(lambda: desk.stack.currentWidget() is desk.person, timeout=10_000)
    assert desk.notice.isVisibleTo(desk) and "2024-06-01" in desk.notice.text()


def test_an_expired_card_is_warned_about(qtbot, desk, simulator) -> None:
    card = replace(demo_card(), valid_to=date(2024, 6, 1))
    simulator.place(card)
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    assert desk.form.banner.kind == "warning"
    assert "2024-06-01" in desk.form.banner.text() and "过期" in desk.form.banner.text()


def test_a_different_card_is_refused_while_editing(qtbot, desk, simulator, centre) -> None:
    other = replace(demo_card(), id_number="320281198603140035")
    edited = demo_card()
    result = enrol(
        centre.database, centre.actor, farmer(id_number=edited.id_number), [], today=TODAY
    )
    desk.edit_person(result.person_id)
    qtbot.waitUntil(lambda: desk.form.person_id == result.person_id, timeout=10_000)
    name = desk.form.person.name.text()
    simulator.place(other)
    qtbot.waitUntil(lambda: desk.form.banner.kind == "error", timeout=10_000)
    assert other.id_number in desk.form.banner.text()
    assert "不是正在修改的人员" in desk.form.banner.text()
    assert desk.form.person.name.text() == name  # nothing overwritten
    assert desk.form.person.id_number.text() == edited.id_number


def test_a_form_with_another_typed_number_is_not_overwritten(qtbot, desk, simulator) -> None:
    desk.new_enrolment()
    typed = "320281198001010171"
    qtbot.keyClicks(desk.form.person.id_number, typed)
    simulator.place(demo_card())
    qtbot.waitUntil(lambda: desk.form.banner.kind == "error", timeout=10_000)
    assert desk.form.person.id_number.text() == typed
    assert "未用此卡" in desk.form.banner.text()


def test_the_same_card_left_on_the_reader_fills_once(qtbot, desk, simulator, watcher) -> None:
    card = demo_card()
    simulator.place(card)
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    desk.form.person.name.clear()  # the clerk corrects something
    polls = len(simulator.commands)
    qtbot.waitUntil(lambda: len(simulator.commands) > polls + 8, timeout=10_000)
    assert desk.form.person.name.text() == ""  # the card still lying there changed nothing


def test_a_foreign_card_fills_the_english_name(qtbot, desk, simulator) -> None:
    card = demo_card(CardKind.FOREIGN)
    simulator.place(card)
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    assert desk.form.person.name.text() == "SAMPLE ALEX"


def test_a_read_error_is_told_on_the_page(qtbot, desk, simulator) -> None:
    simulator.place(demo_card(), "read_error")
    qtbot.waitUntil(lambda: desk.notice.isVisible(), timeout=10_000)
    assert "读卡失败" in desk.notice.text()
    assert desk.stack.currentWidget() is desk.search


def test_settings_test_the_reader(qtbot, simulator, tmp_path) -> None:
    watching = CardWatcher()
    box = CardReaderBox()
    qtbot.addWidget(box)
    box.attach(watching)
    assert not box.test_button.isEnabled()  # no reader chosen yet
    box.kind.setCurrentIndex(box.kind.findData(SERIAL))
    box.port.setText(str(tmp_path / "ttyNONE"))
    with qtbot.waitSignal(watching.tested, timeout=10_000):
        box.test_button.click()
    assert "ttyNONE" in box.result.text()

    simulator.place(demo_card())
    box.port.setText(simulator.port)
    with qtbot.waitSignal(watching.tested, timeout=10_000):
        box.test_button.click()
    assert "读卡器正常" in box.result.text() and demo_card().id_number in box.result.text()
    assert "1024" in box.result.text()
    # Saved for this computer, and the desk's poller follows them.
    assert (CARD_READER_KIND.get(), CARD_READER_PORT.get()) == (SERIAL, simulator.port)
    qtbot.waitUntil(lambda: watching.watching, timeout=10_000)
    assert watching.config == ReaderConfig(SERIAL, simulator.port)
    assert simulator.port in box.state.text()  # the box says the desk reads it now
    watching.stop()
    box.kind.setCurrentIndex(box.kind.findData(""))
    assert not watching.watching and not box.test_button.isEnabled()
    assert box.state.text() == "前台没有在读取读卡器。"


def test_the_window_polls_the_reader_this_computer_is_set_to(
    qtbot, centre, runner, simulator
) -> None:
    from tests.ui.test_main_window import open_window

    CARD_READER_KIND.put(SERIAL)
    CARD_READER_PORT.put(simulator.port)
    window = open_window(qtbot, centre, runner)
    assert window.card_watcher.watching
    assert window.card_watcher.config == ReaderConfig(SERIAL, simulator.port)
    card = demo_card()
    simulator.place(card)
    desk = window.front_desk
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    window.card_watcher.stop()  # (closing would first ask about the filled form)
    assert not window.card_watcher.watching


def test_a_card_left_on_the_reader_is_not_announced_again_after_a_restart(
    qtbot, simulator, watcher
) -> None:
    announced: list[str] = []
    watcher.card_placed.connect(lambda card: announced.append(card.id_number))
    simulator.place(demo_card())
    qtbot.waitUntil(lambda: announced == [demo_card().id_number], timeout=10_000)
    watcher.start(ReaderConfig(SERIAL, simulator.port))  # e.g. the settings were touched
    polls = len(simulator.commands)
    qtbot.waitUntil(lambda: len(simulator.commands) > polls + 8, timeout=10_000)
    assert announced == [demo_card().id_number]
    simulator.remove()
    qtbot.waitUntil(lambda: watcher._announced is None, timeout=10_000)
    simulator.place(demo_card())
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=10_000)


def test_an_address_outside_the_directory_asks_for_the_region(qtbot, desk, simulator) -> None:
    card = replace(demo_card(), address="某省某县某乡1号")
    simulator.place(card)
    qtbot.waitUntil(lambda: _form_filled(desk, card.id_number), timeout=10_000)
    assert desk.form.banner.kind == "warning" and "户籍地" in desk.form.banner.text()
    assert desk.form.person.hukou_address.text() == "某省某县某乡1号"  # kept as the card says


def test_a_reader_that_cannot_be_opened_is_told_once(qtbot, tmp_path) -> None:
    failures: list[str] = []
    watching = CardWatcher()
    watching.read_failed.connect(lambda error: failures.append(error.code))
    watching.start(ReaderConfig(SERIAL, str(tmp_path / "ttyGONE")))
    qtbot.waitUntil(lambda: failures == ["port"], timeout=10_000)
    tried = watching.polls
    qtbot.waitUntil(lambda: watching.polls >= tried + 3, timeout=10_000)  # it keeps trying
    watching.stop()
    QApplication.processEvents()
    assert failures == ["port"]  # and said it once


def test_a_card_is_ignored_while_a_dialog_is_open(qtbot, desk, simulator, watcher) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", parent=desk)
    box.setObjectName("someDialog")
    box.open()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is box, timeout=5000)
    simulator.place(demo_card())
    qtbot.waitUntil(lambda: watcher._announced == demo_card().id_number, timeout=10_000)
    polls = watcher.polls
    qtbot.waitUntil(lambda: watcher.polls > polls + 2, timeout=10_000)
    assert desk.stack.currentWidget() is desk.search and desk.form is None
    box.reject()

"""One enrolment in two schemes, its payment and its receipt, with the participant's ID card
on the desk's reader: driven as a clerk would, through the real main window, the real serial
reader against the simulated one, the real store and a roll printer's device file. Every key
press, click and card placed is one action; the issue's bar is twelve, with no identity field
typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QWidget

from caseworker.devices.reader import SERIAL
from caseworker.devices.simulator import SimulatedReader, demo_card
from caseworker.services.registry import person_detail
from caseworker.ui.preferences import CARD_READER_KIND, CARD_READER_PORT, ROLL_PRINTER
from tests.printing.test_roll_printer import decode
from tests.ui.test_main_window import open_window


class Clerk:
    """Does what a clerk does, one action at a time, and keeps count."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.actions: list[str] = []

    def place(self, simulator: SimulatedReader, card, why: str) -> None:
        self.actions.append(why)
        simulator.place(card)

    def click(self, widget: QWidget, why: str) -> None:
        self.actions.append(why)
        # A check box takes a click on its box or its words, not on the empty rest of its row.
        if isinstance(widget, QCheckBox):
            at = QPoint(8, widget.height() // 2)
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def key(self, key: Qt.Key, why: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.actions.append(why)
        target = QApplication.focusWidget()
        assert target is not None, f"no focus for {why!r}"
        self.qtbot.keyClick(target, key, modifier)

    def pick(self, combo: QComboBox, text: str, why: str) -> None:
        """Open the list and click the item: two actions."""
        index = combo.findText(text, Qt.MatchFlag.MatchContains)
        assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
        self.click(combo, f"{why}: open the list")
        view = combo.view()
        self.qtbot.waitUntil(view.isVisible)
        self.actions.append(f"{why}: {text}")
        rect = view.visualRect(view.model().index(index, 0))
        # A release sooner than a double-click after the list opened is taken as the end of a
        # press-drag on the combo and ignored (Qt's rule); no clerk clicks that fast.
        self.qtbot.wait(QApplication.doubleClickInterval() + 50)
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.qtbot.waitUntil(lambda: combo.currentIndex() == index and not view.isVisible())


@pytest.fixture
def simulator() -> Iterator[SimulatedReader]:
    with SimulatedReader() as sim:
        yield sim


def test_one_enrolment_in_two_schemes_paid_and_printed_takes_at_most_twelve_actions(
    qtbot, centre, runner, simulator, tmp_path
) -> None:
    CARD_READER_KIND.put(SERIAL)
    CARD_READER_PORT.put(simulator.port)
    printer = tmp_path / "lp0"  # the desk's 80 mm roll printer (a device file)
    printer.touch()
    ROLL_PRINTER.put(str(printer))
    window = open_window(qtbot, centre, runner)
    desk = window.front_desk
    clerk = Clerk(qtbot)
    card = demo_card()

    clerk.place(simulator, card, "place the ID card on the reader")
    qtbot.waitUntil(
        lambda: desk.form is not None and desk.form.person.id_number.text() == card.id_number,
        timeout=10_000,
    )
    form = desk.form
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets() if w is not window)
    clerk.click(form.schemes.rows["resident_pension"].check, "resident pension")
    clerk.pick(form.schemes.rows["resident_pension"].tier, "200元", "the pension tier")
    clerk.click(form.schemes.rows["resident_medical"].check, "resident medical")
    for document in ("id_card", "hukou_book"):
        clerk.click(form.documents.boxes[document], f"seen: {document}")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        clerk.key(Qt.Key.Key_S, "save", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.stack.currentWidget() is desk.person, timeout=10_000)
    qtbot.waitUntil(desk.person.pay_button.isEnabled, timeout=10_000)  # the person is shown
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=10_000)

    clerk.key(Qt.Key.Key_J, "take the payment", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.payment_dialog is not None, timeout=10_000)
    dialog = desk.payment_dialog
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=10_000)
    clerk.key(Qt.Key.Key_Return, "confirm the payment")
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.print_button, timeout=10_000)
    clerk.key(Qt.Key.Key_Return, "print the receipt")
    qtbot.waitUntil(lambda: dialog.printed == 1, timeout=20_000)

    saved = person_detail(centre.database, card.id_number)
    assert saved.name == card.name and saved.ethnicity == "01"  # from the card, not typed
    assert {e.scheme for e in saved.enrolments} == {"resident_pension", "resident_medical"}
    assert len(saved.payments) == 2
    (page,), _tail = decode(printer.read_bytes())  # the receipt reached the roll printer
    assert page.width == 576
    assert len(clerk.actions) <= 12, clerk.actions  # and the clerk typed nothing at all
    window.card_watcher.stop()


class _WindowsShown(QObject):
    """Every top-level window shown while installed (a stray one steals the focus)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.shown.append(watched.objectName() or type(watched).__name__)
        return False


def test_opening_the_enrolment_form_opens_no_window_of_its_own(qtbot, centre, runner) -> None:
    window = open_window(qtbot, centre, runner)
    spy = _WindowsShown()
    QApplication.instance().installEventFilter(spy)
    try:
        window.front_desk.new_enrolment()
    finally:
        QApplication.instance().removeEventFilter(spy)
    # The form's banner once showed itself before it had a parent: a window of its own for
    # an instant, and the main window lost the keyboard (Ctrl+S went nowhere).
    assert spy.shown == []
    assert window.isActiveWindow() and QApplication.focusWidget() is not None

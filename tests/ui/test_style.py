"""The one visual system on real widgets: the stylesheet renders and parses at every text size,
the palette's pairs pass WCAG contrast, keyboard focus shows on every kind of input, every
navigation item has an icon, and an operator's larger text reaches pages and dialogs at once
and at their next login, and nobody else's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.resources import resource_path
from caseworker.ui import icons
from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog
from caseworker.ui.dialogs.payment_dialog import PaymentDialog
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.preferences import TEXT_SIZE
from caseworker.ui.style import (
    apply_style,
    apply_text_size,
    current_text_size,
    palette,
    set_role,
    set_tone,
    stylesheet,
)
from tests.conftest import TODAY
from tests.ui import test_payment_dialog

QSS = resource_path("style", "caseworker.qss")
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")


# -- contrast (WCAG 2: relative luminance) -------------------------------------------------


def luminance(hex_colour: str) -> float:
    colour = QColor(hex_colour)
    assert colour.isValid(), hex_colour

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def failing_pairs(colours: dict[str, str], pairs: list[list[str]], minimum: float) -> list[str]:
    return [
        f"{fore} on {back}: {contrast(colours[fore], colours[back]):.2f}"
        for fore, back in pairs
        if contrast(colours[fore], colours[back]) < minimum
    ]


def test_the_contrast_formula_matches_wcag_figures():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual grey
    assert failing_pairs({"a": "#777777", "b": "#ffffff"}, [["a", "b"]], 4.5) == ["a on b: 4.48"]


def test_every_text_pair_of_the_palette_reaches_4_5_to_1_and_focus_and_borders_3_to_1():
    tokens = palette()
    assert failing_pairs(tokens.colours, tokens.contrast["text"], 4.5) == []
    assert failing_pairs(tokens.colours, tokens.contrast["non_text"], 3.0) == []


def _rules(text: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) of each rule of the stylesheet template."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\$\{(\w+)\}", r"@\1", text)  # a token's braces are not a rule's
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for item in body.split(";"):
            if ":" in item:
                name, value = item.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append((" ".join(selector.split()), declarations))
    return rules


def _token(value: str) -> str | None:
    match = re.fullmatch(r"@(\w+)", value)
    return match.group(1) if match else None


def unchecked_colours(template: str, checked: set[tuple[str, str]]) -> list[str]:
    """Rules whose text colour (on their background, when they set one) no contrast pair
    of the palette checks (disabled text is left out, as WCAG leaves it out)."""
    checked_text = {fore for fore, _back in checked}
    unchecked = []
    for selector, declarations in _rules(template):
        fore = _token(declarations.get("color", ""))
        back = _token(declarations.get("background", ""))
        if fore is None or fore == "text_disabled":
            continue
        if fore not in checked_text or (back is not None and (fore, back) not in checked):
            unchecked.append(f"{selector}: {fore} on {back}")
    return unchecked


def test_the_stylesheet_names_its_colours_from_the_palette_and_each_text_colour_is_checked():
    template = QSS.read_text(encoding="utf-8")
    assert HEX.findall(template) == []  # one palette: no colour written into the stylesheet
    checked = {(fore, back) for fore, back in palette().contrast["text"]}
    assert unchecked_colours(template, checked) == []


def test_a_colour_pair_missing_from_the_checks_is_found():
    checked = {(fore, back) for fore, back in palette().contrast["text"]}
    template = "QLabel#x { color: ${warning}; background: ${nav}; }"
    assert unchecked_colours(template, checked) == ["QLabel#x: warning on nav"]
    assert unchecked_colours("QLabel { color: ${chart_2}; }", checked) == [
        "QLabel: chart_2 on None"
    ]


# -- the stylesheet parses -------------------------------------------------------------------


@pytest.fixture
def restored_style(qapp: QApplication) -> Iterator[QApplication]:
    """The application's font, stylesheet and text size put back after the test (the other
    tests run on the plain look)."""
    # Windows of earlier tests, closed but not yet deleted (pytest tears them down outside an
    # event loop), deleted now: a new stylesheet restyles every widget, and restyling one of
    # those (its session and runner shut) crashed the process. The app deletes them in its loop.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    font, sheet, size = QFont(qapp.font()), qapp.styleSheet(), qapp.property("textSize")
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setProperty("textSize", size)


def _one_of_each(qtbot) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    for widget in (
        QLineEdit("文字"),
        QComboBox(),
        QSpinBox(),
        QDateEdit(),
        QCheckBox("勾选"),
        QPushButton("确定"),
        QTableWidget(2, 2),
        QListWidget(),
    ):
        layout.addWidget(widget)
    for role in ("title", "heading", "figure", "emphasis", "strong", "small", "code", "key"):
        label = QLabel(role)
        set_role(label, role)
        layout.addWidget(label)
    for tone in ("error", "warning", "success", "hint", "info", "accent"):
        label = QLabel(tone)
        set_tone(label, tone)
        layout.addWidget(label)
    return host


@pytest.mark.parametrize("size", list(palette().text_sizes))
def test_the_stylesheet_renders_every_token_and_parses_without_a_qt_warning(
    qtbot, qtlog, restored_style, size
):
    sheet = stylesheet(palette().text_sizes[size])
    assert "${" not in sheet and "$" not in sheet
    apply_style(restored_style, size)
    host = _one_of_each(qtbot)
    host.show()
    qtbot.waitExposed(host)
    host.grab()  # every rule polished and painted
    assert [r.message for r in qtlog.records if "style" in r.message.lower()] == []


@pytest.mark.qt_log_ignore("Could not parse")
def test_a_broken_stylesheet_is_caught_by_the_same_check(qtbot, qtlog, restored_style):
    restored_style.setStyleSheet("QLineEdit { color: ; border: 2px solid ")
    host = _one_of_each(qtbot)
    host.show()
    qtbot.waitExposed(host)
    assert any("Could not parse" in r.message for r in qtlog.records)


# -- visible focus ---------------------------------------------------------------------------

FOCUSABLE = (
    "QLineEdit",
    "QPlainTextEdit",
    "QTextEdit",
    "QComboBox",
    "QSpinBox",
    "QDoubleSpinBox",
    "QDateEdit",
    "QCheckBox",
    "QRadioButton",
    "QPushButton",
    "QTableView",
    "QTreeView",
    "QListView",
)


def test_the_stylesheet_has_a_focus_rule_for_every_kind_of_input():
    focus_rules = [
        (selector, declarations)
        for selector, declarations in _rules(QSS.read_text(encoding="utf-8"))
        if ":focus" in selector
    ]
    covered = set()
    for selector, declarations in focus_rules:
        if "@focus" not in declarations.get("border", ""):
            continue
        for part in selector.split(","):
            covered.add(part.strip().split(":")[0])
    assert set(FOCUSABLE) - covered == set()


@pytest.mark.parametrize("make", [QLineEdit, QPushButton, QComboBox, QCheckBox, QTableWidget])
def test_keyboard_focus_changes_what_the_widget_looks_like(qtbot, restored_style, make):
    apply_style(restored_style)
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    other = QLineEdit()
    widget = make("确定") if make in (QPushButton, QCheckBox) else make()
    layout.addWidget(other)
    layout.addWidget(widget)
    with qtbot.waitActive(host):
        host.show()
    other.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(other.hasFocus)
    unfocused = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    focused = widget.grab().toImage()
    assert focused != unfocused
    focus = QColor(palette().colours["focus"])
    assert _has_colour(focused, focus) and not _has_colour(unfocused, focus)


def _has_colour(image: QImage, colour: QColor) -> bool:
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).rgb() == colour.rgb():
                return True
    return False


# -- icons -----------------------------------------------------------------------------------


def test_every_page_and_every_meaning_has_a_glyph_of_the_font():
    assert set(PAGES) <= set(icons.GLYPHS)
    assert [glyph for glyph in icons.GLYPHS.values() if glyph not in icons.charmap()] == []
    assert (icons.font_folder() / icons.FONT_FILE).is_file()


def test_qtawesome_is_not_imported_for_the_icons(qapp):
    """Its qtpy layer costs 0.1 s of CPU at launch: the icons use its font, not its code."""
    probe = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from caseworker.ui.icons import icon; assert not icon('front_desk').isNull(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qtawesome', 'qtpy')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert found.stdout.strip() == "[]"


def _drawn(icon, size: int = 20) -> bool:
    image = icon.pixmap(size, size).toImage()
    return any(
        image.pixelColor(x, y).alpha() > 0 for y in range(image.height()) for x in range(size)
    )


def test_every_navigation_item_and_menu_action_with_a_meaning_has_a_drawn_icon(
    qtbot, clerk, runner
):
    window = MainWindow(clerk, runner)
    qtbot.addWidget(window)
    assert window.nav.count() == len(PAGES)
    for row in range(window.nav.count()):
        item = window.nav.item(row)
        assert not item.icon().isNull(), item.text()
        assert _drawn(item.icon()), item.text()
    for action in (window.find_action, window.new_action, window.refresh_action):
        assert _drawn(action.icon()), action.text()


# -- larger text, per operator ---------------------------------------------------------------


def _points(widget: QWidget) -> float:
    widget.ensurePolished()
    return widget.font().pointSizeF()


def test_larger_text_reaches_a_page_and_a_dialog_at_once_and_stays_with_its_operator(
    qtbot, restored_style, clerk, supervisor, runner
):
    apply_style(restored_style)
    body = palette().type_scale["body"]
    window = MainWindow(clerk, runner)
    qtbot.addWidget(window)
    window.show()
    page = window.payments  # a page with a heading of the type scale
    heading = page.title
    assert _points(heading) == pytest.approx(palette().type_scale["heading"])
    normal_nav = window.nav.width()

    window.show_page(PAGES.index("settings"))
    choice = window.settings_page.text_size
    assert choice.accessibleName()
    with qtbot.waitSignal(window.text_size_changed):
        choice.setCurrentIndex(choice.findData("large"))

    assert current_text_size(restored_style) == "large"
    assert TEXT_SIZE.of(clerk.actor.operator_id).get() == "large"
    assert TEXT_SIZE.of(supervisor.actor.operator_id).get() == "normal"
    # The pages are rebuilt at the new size: the heading of the type scale and the body text.
    heading = window.payments.title
    assert _points(heading) == pytest.approx(palette().type_scale["heading"] * 1.25)
    assert _points(window.search_box) == pytest.approx(body * 1.25)
    assert window.nav.width() > normal_nav  # its entries got wider
    # A dialog opened now is at the new size too (the payment dialog's total is a figure).
    from caseworker.ui.dialogs.about_dialog import AboutDialog

    dialog = AboutDialog(clerk.database.paths.root, parent=window)
    qtbot.addWidget(dialog)
    assert _points(dialog) == pytest.approx(body * 1.25)

    # Another operator logs in at the lock screen: their own (normal) size.
    window.take_session(supervisor)
    assert current_text_size(restored_style) == "normal"
    assert _points(window.search_box) == pytest.approx(body)
    window.session = clerk  # the fixtures close both sessions
    window.close()

    # The clerk's next login: large again, before any page is built.
    apply_text_size(restored_style, "normal")
    again = MainWindow(clerk, runner)
    qtbot.addWidget(again)
    assert current_text_size(restored_style) == "large"
    assert _points(again.search_box) == pytest.approx(body * 1.25)
    again.close()


def test_an_unknown_saved_size_is_read_as_normal(qtbot, restored_style, clerk, runner):
    apply_style(restored_style)
    TEXT_SIZE.of(clerk.actor.operator_id).put("gigantic")
    window = MainWindow(clerk, runner)
    qtbot.addWidget(window)
    assert current_text_size(restored_style) == "normal"
    assert _points(window.search_box) == pytest.approx(palette().type_scale["body"])


def test_a_banner_tells_its_status_by_an_icon_and_words_as_well_as_colour(qtbot):
    from caseworker.ui.widgets.common import Banner

    banner = Banner("testBanner", reserve=True)
    qtbot.addWidget(banner)
    banner.show_message("保存失败：缺少身份证号", "error")
    assert banner.property("banner") == "error" and banner.text() == "保存失败：缺少身份证号"
    drawn = banner.glyph.pixmap().toImage()
    inked = [
        drawn.pixelColor(x, y)
        for y in range(drawn.height())
        for x in range(drawn.width())
        if drawn.pixelColor(x, y).alpha() > 0
    ]
    assert inked  # a glyph, drawn in the banner's words' colour (not the muted icon colour)
    darkest = max(inked, key=lambda c: c.alpha())
    assert _distance(darkest, QColor(palette().colours["error_text"])) < 12
    assert _distance(darkest, QColor(palette().colours["text_muted"])) > 40
    banner.clear()
    assert banner.property("banner") == "none" and banner.glyph.pixmap().isNull()


def _distance(first: QColor, second: QColor) -> int:
    return max(
        abs(first.red() - second.red()),
        abs(first.green() - second.green()),
        abs(first.blue() - second.blue()),
    )


# -- dialog buttons in one order -----------------------------------------------------------

farmer_id = test_payment_dialog.farmer_id  # the fixture: a farmer with pension and medical


def _order(box: QDialogButtonBox, confirm: QPushButton, dismiss: QPushButton) -> bool:
    """True when the confirming button comes first in the box's row."""
    assert confirm.parent() is box and dismiss.parent() is box
    return confirm.x() < dismiss.x()


def test_dialogs_put_confirm_and_dismiss_in_one_button_box_in_the_same_order(
    qtbot, centre, runner, farmer_id, tmp_path
):
    consent = ExportConsentDialog(3, tmp_path / "名单.xlsx")
    qtbot.addWidget(consent)
    payment = PaymentDialog(centre, runner, farmer_id, today=lambda: TODAY)
    qtbot.addWidget(payment)
    for dialog in (consent, payment):
        dialog.show()
        qtbot.waitExposed(dialog)
    consent_box = consent.findChild(QDialogButtonBox, "dialogButtons")
    payment_box = payment.findChild(QDialogButtonBox, "dialogButtons")
    first = _order(consent_box, consent.yes, consent.cancel)
    assert _order(payment_box, payment.confirm_button, payment.close_button) == first
    # The default each dialog chose survives the box: Enter cancels the export, and confirms
    # a payment (test_desk_keys presses it).
    assert consent.cancel.isDefault() and not consent.yes.isDefault()
    assert payment.confirm_button.isDefault()
    with qtbot.waitSignal(consent.rejected):
        qtbot.keyClick(consent.cancel, Qt.Key.Key_Return)


def test_the_arrows_beside_the_stylesheet_are_drawn_in_palette_colours_and_found():
    colours = set(palette().colours.values())
    pictures = sorted(QSS.parent.glob("*.svg"))
    assert pictures
    for picture in pictures:
        assert set(HEX.findall(picture.read_text(encoding="utf-8"))) <= colours, picture.name
        assert f'url("{picture.as_posix()}")' in stylesheet(), picture.name


def test_a_new_text_size_asks_about_unsaved_input_first_and_keeps_the_draft(
    qtbot, restored_style, clerk, runner
):
    from tests.ui.test_drafts_offer import click, start_typing
    from tests.ui.test_main_window import open_window

    apply_style(restored_style)
    window = open_window(qtbot, clerk, runner)
    form = start_typing(qtbot, window)
    window.apply_text_size("largest")
    assert form.leave_box.isVisible()
    click(qtbot, form.leave_box, "stayOnForm")
    # Nothing changed: neither on screen nor for the next login.
    assert window.front_desk.form is form
    assert current_text_size(restored_style) == "normal"
    assert TEXT_SIZE.of(clerk.actor.operator_id).get() == "normal"
    with qtbot.waitSignal(window.text_size_changed):
        window.apply_text_size("largest")
        click(qtbot, form.leave_box, "keepDraft")
    rebuilt = window.front_desk.form
    assert rebuilt is not form and rebuilt.person.name.text() == "单雄信"
    assert _points(rebuilt.person.name) == pytest.approx(palette().type_scale["body"] * 1.5)
    assert TEXT_SIZE.of(clerk.actor.operator_id).get() == "largest"

"""Language switch: Qt translators, the saved choice, and error messages by language."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QTabWidget,
    QWidget,
)

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import make_id_number, make_uscc, parse_uscc
from caseworker.services.centre import OpenSession
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from caseworker.ui import i18n
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.models.labels import region_path, village_name
from caseworker.ui.widgets.region_cascade import RegionCascade
from tests.services.test_enrolment import farmer

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context><name>MainWindow</name>
<message><source>前台</source><translation>Front desk</translation></message>
<message><source>社保经办 — %1 — %2（%3）</source><translation>Caseworker — %1 — %2 (%3)</translation></message>
</context>
<context><name>Roles</name>
<message><source>管理员</source><translation>Administrator</translation></message>
</context>
<context><name>SearchView</name>
<message><source>查找人员</source><translation>Find a person</translation></message>
</context>
</TS>
"""


@pytest.fixture
def english_qm(tmp_path: Path, monkeypatch) -> Path:
    """A real .qm built with lrelease from a small .ts (the lead's full one may not exist)."""
    ts = tmp_path / "caseworker_en.ts"
    ts.write_text(TS, encoding="utf-8")
    qm = tmp_path / "caseworker_en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    monkeypatch.setattr(i18n, "translation_file", lambda code: tmp_path / f"caseworker_{code}.qm")
    return qm


def test_switching_language_changes_the_windows_strings_and_is_saved(
    qtbot, centre, runner, english_qm
):
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    assert window.nav.item(PAGES.index("front_desk")).text().startswith("前台")
    window.show_page(PAGES.index("settings"))
    combo = window.settings_page.language
    with qtbot.waitSignal(window.language_changed):
        combo.setCurrentIndex(combo.findData("en"))
    assert window.nav.item(PAGES.index("front_desk")).text().startswith("Front desk")
    assert window.windowTitle().startswith("Caseworker — ")
    assert "(Administrator)" in window.windowTitle()
    assert window.search_box.accessibleName() == "Find a person"
    assert window.current_page_name() == "settings"  # the clerk stays where they were
    assert not window.settings_page.language_warning.isVisibleTo(window)
    assert i18n.saved_language() == "en"
    # And back.
    with qtbot.waitSignal(window.language_changed):
        window.settings_page.language.setCurrentIndex(0)
    assert window.nav.item(PAGES.index("front_desk")).text().startswith("前台")
    assert i18n.saved_language() == "zh"


def test_a_missing_translation_is_said_on_the_settings_page(
    qtbot, centre, runner, tmp_path, monkeypatch
):
    monkeypatch.setattr(i18n, "translation_file", lambda code: tmp_path / "none.qm")
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    window.show_page(PAGES.index("settings"))
    combo = window.settings_page.language
    with qtbot.waitSignal(window.language_changed):
        combo.setCurrentIndex(combo.findData("en"))
    # The window falls back to its Chinese source text, and says why in both languages.
    assert window.nav.item(PAGES.index("front_desk")).text().startswith("前台")
    warning = window.settings_page.language_warning
    assert warning.isVisibleTo(window)
    assert "make translations" in warning.text()


def test_message_for_follows_the_language(qapp):
    try:
        parse_uscc("123")
    except InvalidValue as error:
        caught = error
    assert "18位" in i18n.message_for(caught)
    i18n.install_language(qapp, "en")
    assert "18 characters" in i18n.message_for(caught)
    # An error with only a Chinese message is shown as it is, never as nothing.
    assert i18n.message_for(InvalidValue("x", "y", "只有中文")) == "只有中文"
    i18n.install_language(qapp, "zh")
    assert "18位" in i18n.message_for(caught)


def test_unknown_saved_language_falls_back_to_chinese(qapp):
    i18n.save_language("fr")
    assert i18n.saved_language() == "zh"


# -- English everywhere --------------------------------------------------------------------------

# Ideographs, CJK punctuation (、。「」…) and full-width forms (（）：，): none belongs in English.
CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
REPO = Path(__file__).resolve().parents[2]
EMPLOYER = EmployerInput(
    credit_code=make_uscc("91", "320583", "MA1234567"),
    name="昆山小蜜蜂网络科技有限公司",
    employer_type="internet_startup",
    industry="软件和信息技术服务业",
    risk_class=1,
    address="玉山镇前进路1号",
    contact_name="李娜",
    contact_phone="13912345678",
)


@pytest.fixture
def full_english(tmp_path: Path, monkeypatch) -> Path:
    """The project's own English, built with lrelease from the .ts in the repository."""
    qm = tmp_path / "caseworker_en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    ts = REPO / "resources" / "translations" / "caseworker_en.ts"
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    monkeypatch.setattr(i18n, "translation_file", lambda code: tmp_path / f"caseworker_{code}.qm")
    return qm


@pytest.fixture
def registry(centre: OpenSession) -> tuple[uuid.UUID, EmployerInput]:
    """A farmer in a special group with two schemes and a payment, and an employer with staff."""
    today = date.today()
    farmer_id = enrol(
        centre.database,
        centre.actor,
        farmer(special_groups=["dibao"], residence_address="玉山镇文化路8号"),
        [
            EnrolmentChoice("resident_pension", tier_fen=50_000, documents=["id_card"]),
            EnrolmentChoice("resident_medical", documents=["id_card", "hukou_book"]),
        ],
        today=today,
    ).person_id
    record_payment(centre.database, centre.actor, person_id=farmer_id, scheme="resident_medical")
    employer_id = register_employer(centre.database, centre.actor, EMPLOYER)
    enrol(
        centre.database,
        centre.actor,
        farmer(
            id_number=make_id_number("320583", date(1990, 5, 1), 12),
            name="李小龙",
            employment_category="employee",
            employer_id=employer_id,
        ),
        [],
        today=today,
    )
    return farmer_id, EMPLOYER


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a clerk reads on ``root`` as it is shown now."""
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not (widget is root or widget.isVisibleTo(root)):
            continue
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((where, widget.title()))
        elif isinstance(widget, QTabWidget):
            found += [(where, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QComboBox) and not isinstance(widget.parent(), RegionCascade):
            found.append((where, widget.currentText()))  # place names are data, codes are not
        elif isinstance(widget, QListWidget):
            found += [(where, widget.item(i).text()) for i in range(widget.count())]
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            found += [
                (f"{where} header", str(model.headerData(c, Qt.Orientation.Horizontal)))
                for c in range(model.columnCount())
            ]
        if isinstance(widget, QLineEdit) and not widget.text():
            found.append((f"{where} placeholder", widget.placeholderText()))
    return found


def chinese_left(root: QWidget, data: list[str | None]) -> list[tuple[str, str]]:
    """Shown texts still holding Chinese once the data (names, places, addresses) is taken out."""
    allowed = sorted({d for d in data if d}, key=len, reverse=True)
    left = []
    for where, text in shown_texts(root):
        rest = text
        for item in allowed:
            rest = rest.replace(item, "")
        if CJK.search(rest):
            left.append((where, text))
    return left


def test_english_leaves_no_chinese_but_data(qtbot, centre, runner, full_english, registry):
    farmer_id, employer = registry
    window = MainWindow(centre, runner)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.apply_language("en")
    assert i18n.current_language() == "en"
    actor = centre.actor
    everywhere = [actor.centre_name, actor.display_name]

    desk = window.front_desk
    window.show_page(PAGES.index("front_desk"))
    with qtbot.waitSignal(desk.search.searched):
        desk.search.search_box.setText("单雄信")
    assert desk.search.model.rowCount() == 1
    village = village_name("320583101201")
    assert chinese_left(window, [*everywhere, "单雄信", village]) == []

    with qtbot.waitSignal(desk.person.loaded):
        desk.open_person(farmer_id)
    person = desk.person.person
    assert person is not None
    places = [region_path(person.hukou_village_code), person.hukou_address]
    data = [*everywhere, person.name, *places, person.residence_address]
    assert desk.person.fact_labels["special"].text() == (
        "Minimum living guarantee (dibao) recipient"
    )
    for tab in range(desk.person.tabs.count()):
        desk.person.tabs.setCurrentIndex(tab)
        assert chinese_left(window, data) == [], desk.person.tabs.tabText(tab)

    window.new_enrolment()
    form = desk.form
    form.person.id_number.setText(make_id_number("320583", date(1972, 8, 14), 36))
    form.person.category.set_code("farmer")
    form.person.groups["dibao"].setChecked(True)
    form.person.groups["tekun"].setChecked(True)
    form.schemes.rows["resident_pension"].check.setChecked(True)
    assert form.schemes.rows["employee_pension"].detail.text().startswith("Not eligible: ")
    form_data = [*everywhere, form.person.issuing_region.text(), form.person.hukou_address.text()]
    assert chinese_left(window, form_data) == []

    window.show_page(PAGES.index("employers"))
    page = window.employers
    if not page.model.rowCount():
        with qtbot.waitSignal(page.listed):
            page.refresh()
    with qtbot.waitSignal(page.employees_listed):
        page.table.selectRow(0)
    assert page.employees.rowCount() == 1
    employer_data = [
        *everywhere,
        employer.name,
        employer.industry,
        employer.address,
        employer.contact_name,
        "李小龙",
        village,
    ]
    assert chinese_left(window, employer_data) == []

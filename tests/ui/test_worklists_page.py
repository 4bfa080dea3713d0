"""The worklists page with real widgets over the hand-built township: counts, a list loaded
page by page, filters, a person opened and the place kept on the way back, the front desk's
strip of counts, print and export, the main window's shortcut."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import KINDS, counts
from caseworker.ui.main_window import PAGES, MainWindow
from caseworker.ui.views.worklists_view import WorklistsPage
from tests.services.worklist_data import VILLAGE_B
from tests.services.worklist_town import Town, town_fixture

town = town_fixture()


@pytest.fixture(autouse=True)
def _the_towns_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page asks for today's lists; the township was built for its own day."""
    from tests.services import worklist_data

    class Day(date):
        @classmethod
        def today(cls) -> date:
            return worklist_data.DAY

    monkeypatch.setattr("caseworker.ui.views.worklists_view.date", Day)


def _page(qtbot, town: Town, runner) -> WorklistsPage:
    page = WorklistsPage(town.centre, runner)
    qtbot.addWidget(page)
    page.resize(1100, 520)
    with qtbot.waitActive(page):
        page.show()
    return page


def _load_all(qtbot, page: WorklistsPage) -> None:
    """Scroll to the end: ask for more until every row is there (the view may ask too)."""

    def done() -> bool:
        if page.model.canFetchMore():
            page.model.fetchMore()
        return page.model.rowCount() == page.model.total

    qtbot.waitUntil(done, timeout=20_000)


def _shown(qtbot, page: WorklistsPage, spec: WorklistSpec) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show_spec(spec)


def test_counts_a_list_in_pages_and_the_model_is_sound(qtbot, town: Town, runner, qtmodeltester):
    page = _page(qtbot, town, runner)
    with qtbot.waitSignal(page.counts_loaded, timeout=10_000) as counted:
        page.refresh_counts()
    assert counted.args[0] == counts(town.centre.database, town.centre.actor, date(2026, 11, 27))
    assert page.kinds.item(1).text().endswith("　2")  # renewals due
    page.model.PAGE = 10
    _shown(qtbot, page, WorklistSpec("not_covered"))
    total = page.model.total
    assert total > 20 and page.model.rowCount() == 10
    assert f"共 {total} 条" in page.summary.text()
    _load_all(qtbot, page)
    qtbot.waitUntil(lambda: "已全部显示" in page.summary.text())
    qtmodeltester.check(page.model)


def test_open_a_person_and_come_back_to_the_same_place(qtbot, town: Town, runner):
    page = _page(qtbot, town, runner)
    page.model.PAGE = 15
    _shown(qtbot, page, WorklistSpec("not_covered"))
    _load_all(qtbot, page)  # three pages: enough to scroll
    page.table.setFocus()
    page.table.selectRow(25)
    page.table.scrollTo(page.model.index(25, 0))
    scroll = page.table.verticalScrollBar().value()
    assert scroll > 0
    chosen = page.model.row(25)
    with qtbot.waitSignal(page.person.loaded, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.person
    assert chosen.name in page.person.title.text()
    # A button's shortcut "animates" a click, so the signal arrives a moment later.
    with qtbot.waitSignal(page.person.back_requested):
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Escape)
    assert page.stack.currentIndex() == 0
    assert page.table.selectionModel().selectedRows()[0].row() == 25
    assert page.table.verticalScrollBar().value() == scroll
    assert page.spec.kind == "not_covered"
    # Something was saved meanwhile (a payment from the person page): the list reloads, in
    # place, with the same person selected and the scroll where it was.
    with qtbot.waitSignal(page.person.loaded, timeout=10_000):
        page.open_selected()
    page.mark_stale()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Escape)
    assert page.model.rowCount() == page.model.total
    row = page.table.selectionModel().selectedRows()[0].row()
    assert page.model.row(row).person_id == chosen.person_id
    assert page.table.verticalScrollBar().value() == scroll


def test_filters_and_a_chart_spec_narrow_the_list(qtbot, town: Town, runner):
    page = _page(qtbot, town, runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()  # the village choices come with the first showing
    qtbot.waitUntil(lambda: page.village.findData(VILLAGE_B) >= 0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.village.setCurrentIndex(page.village.findData(VILLAGE_B))
        page.village.activated.emit(page.village.currentIndex())
    assert {r.village_code for r in page.model.rows} == {VILLAGE_B}
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reason.setCurrentIndex(page.reason.findData("unwilling"))
        page.reason.activated.emit(page.reason.currentIndex())
    assert [r.name for r in page.model.rows] == ["未愿意"]
    # From a chart: a category the page has no input for is said above the list.
    _shown(qtbot, page, WorklistSpec("not_covered", category="platform_worker", line="injury"))
    assert page.spec_note.isVisible() and "平台" in page.spec_note.text()
    assert page.line.currentData() == "injury"
    assert [r.name for r in page.model.rows] == ["巳平台"]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.clear_button.click()
    assert page.spec == WorklistSpec("not_covered") and not page.spec_note.isVisible()


def test_print_and_export_from_the_page(qtbot, town: Town, runner, tmp_path: Path):
    page = _page(qtbot, town, runner)
    _shown(qtbot, page, WorklistSpec("renewals_due"))
    with qtbot.waitSignal(page.exported, timeout=10_000) as done:
        page.export_list(str(tmp_path / "due.xlsx"))
    assert done.args[0][1] == 2 and "已导出 2 条" in page.summary.text()
    rows = list(load_workbook(tmp_path / "due.xlsx").active.iter_rows(values_only=True))
    heading = next(n for n, row in enumerate(rows) if row and row[0] == "序号")
    assert len(rows) - heading - 1 == 2 and "已记入审计日志" in page.summary.text()
    assert "待续缴" in rows[0][0]  # the header block says what the file holds
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.export_list(str(tmp_path / "due.txt"))
    assert ".xlsx" in page.summary.text()  # the refusal, in words, where the clerk looks
    with qtbot.waitSignal(page.printed, timeout=20_000) as printed:
        page.print_button.click()
    assert printed.args[0].pages == 1
    from caseworker.ui.printing import PrintPreviewDialog

    for dialog in page.findChildren(PrintPreviewDialog):
        dialog.close()


def test_the_main_window_shortcut_and_the_front_desk_counts(qtbot, town: Town, runner):
    window = MainWindow(town.centre, runner)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    strip = window.front_desk.worklist_strip
    qtbot.waitUntil(lambda: "…" not in strip.buttons["renewals_due"].text(), timeout=10_000)
    assert strip.buttons["renewals_due"].text() == "待续缴 (2)"
    with qtbot.waitSignal(window.worklists.loaded, timeout=10_000):
        strip.buttons["turning_16"].click()
    assert window.current_page_name() == "worklists"
    assert [r.name for r in window.worklists.model.rows] == ["戊十六"]
    window.show_page(PAGES.index("front_desk"))
    qtbot.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.current_page_name() == "worklists"
    assert [k.code for k in KINDS] == [
        window.worklists.kinds.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(KINDS))
    ]


def test_a_worklist_becomes_a_field_trip(qtbot, town: Town, runner):
    """安排走访 on a list: the field visit page opens its plan with the list's people."""
    from caseworker.services.worklists import members, person_ids

    window = MainWindow(town.centre, runner)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    spec = WorklistSpec("turning_16")
    with qtbot.waitSignal(window.worklists.loaded, timeout=10_000):
        window.show_worklist(spec)
    qtbot.waitUntil(window.worklists.trip_button.isEnabled, timeout=10_000)
    window.worklists.trip_button.click()
    assert window.current_page_name() == "visits"
    qtbot.waitUntil(lambda: getattr(window.visits_page, "dialog", None) is not None, timeout=10_000)
    dialog = window.visits_page.dialog
    expected = person_ids(
        members(town.centre.database, town.centre.actor, spec, date(2026, 11, 27), limit=None)
    )
    assert dialog.person_ids == expected and len(expected) == 1
    assert dialog.worklist == spec
    dialog.reject()


def test_full_id_numbers_ask_first_and_cancel_writes_nothing(qtbot, town: Town, runner, tmp_path):
    from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog

    page = _page(qtbot, town, runner)
    _shown(qtbot, page, WorklistSpec("renewals_due"))
    assert page.full_ids.isVisible()  # an administrator may export personal data
    page.full_ids.setChecked(True)
    with qtbot.waitSignal(page.export_declined, timeout=10_000):
        page.export_list(str(tmp_path / "full.xlsx"))
        dialog = page.findChild(ExportConsentDialog)
        assert dialog is not None and dialog.cancel.isDefault()
        assert "完整身份证号" in dialog.what.text() and "full.xlsx" in dialog.where.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter is the default: Cancel
    assert not (tmp_path / "full.xlsx").exists()
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_list(str(tmp_path / "full.xlsx"))
        page.consent.yes.click()
    rows = list(load_workbook(tmp_path / "full.xlsx").active.iter_rows(values_only=True))
    heading = next(n for n, row in enumerate(rows) if row and row[0] == "序号")
    assert rows[heading][2] == "身份证号"
    assert all(len(row[2]) == 18 and "*" not in row[2] for row in rows[heading + 1 :])

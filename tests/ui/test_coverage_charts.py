"""The coverage picture on the Reports page: computed on the runner, drawn with QtCharts, a
click on a bar asks for the worklist of its people; the report previews; the main window
refreshes statuses that ran out after login and opens the worklists page when it exists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.services.centre import OpenSession
from caseworker.services.coverage import UNSEEN, person_statuses
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.models import CoverageStatus
from caseworker.ui.main_window import MainWindow
from caseworker.ui.views.reports_view import ReportsPage
from tests.coverage_data import V1, CountedCentre, build_counted_centre


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> CountedCentre:
    return build_counted_centre(tmp_path_factory.mktemp("picture") / "centre")


@pytest.fixture
def session(counted) -> Iterator[OpenSession]:
    opened = counted.login()
    yield opened
    opened.close()


def shown_page(qtbot, session, runner) -> ReportsPage:
    page = ReportsPage(session, runner)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    with qtbot.waitSignal(page.coverage.loaded, timeout=20_000):
        page.show()  # the picture is computed the first time it is shown
    return page


def bar_centre(view, bar) -> QPointF:
    """Where ``bar`` is drawn, in the chart view's viewport, to click it like a user."""
    chart = view.chart()
    value = (bar.value or 0) / 2
    if view.figure.chart == "bars":
        point = chart.mapToPosition(QPointF(value, view.rows.index(bar)), view.series)
    else:
        index = [key for key, _ in view.categories].index(bar.key)
        keys = [s.key for s in view.figure.series]
        width = 0.5 / len(keys)  # Qt's default bar width is half a category
        offset = (keys.index(bar.series) + 0.5) * width - 0.25
        point = chart.mapToPosition(QPointF(index + offset, value), view.series)
    return view.mapFromScene(chart.mapToScene(point)).toPointF()


def test_the_picture_draws_every_figure_and_says_its_date(qtbot, runner, session, counted):
    page = shown_page(qtbot, session, runner)
    picture = page.coverage
    assert picture.report.line == "pension"
    assert "参保率 44.4%" in picture.summary.text()
    assert set(picture.panels) == {
        "by_village",
        "by_scheme",
        "not_covered_by_reason",
        "by_category",
        "by_age_sex",
        "trend",
    }
    for panel in picture.panels.values():
        assert panel.caption.text().startswith(f"截至 {counted.day.isoformat()}。")
        assert panel.chart.chart().series()
    categories = picture.chart("by_village").chart().axes(Qt.Orientation.Vertical)[0]
    assert "街西村村委会  60.0%" in categories.categories()
    assert "建义村村委会  —" in categories.categories()  # nobody there: no rate, not 0%
    image = picture.grab()
    assert not image.isNull()


def test_clicking_a_bar_asks_for_its_worklist(qtbot, runner, session):
    page = shown_page(qtbot, session, runner)
    picture = page.coverage
    village_chart = picture.chart("by_village")
    bar = picture.report.figure("by_village").bar(V1)
    with qtbot.waitSignal(page.worklist_requested) as asked:
        qtbot.mouseClick(
            village_chart.viewport(),
            Qt.MouseButton.LeftButton,
            pos=bar_centre(village_chart, bar).toPoint(),
        )
    assert asked.args[0] == WorklistSpec(kind="not_covered", line="pension", village_code=V1)

    age_chart = picture.chart("by_age_sex")
    women = picture.report.figure("by_age_sex").bar("30-44", "2")
    with qtbot.waitSignal(page.worklist_requested) as asked:
        qtbot.mouseClick(
            age_chart.viewport(),
            Qt.MouseButton.LeftButton,
            pos=bar_centre(age_chart, women).toPoint(),
        )
    assert asked.args[0] == WorklistSpec(
        kind="not_covered", line="pension", sex="2", age_band="30-44"
    )

    reasons = picture.chart("not_covered_by_reason")
    unknown = picture.report.figure("not_covered_by_reason").bar("unknown")
    with qtbot.waitSignal(page.worklist_requested) as asked:
        qtbot.mouseClick(
            reasons.viewport(),
            Qt.MouseButton.LeftButton,
            pos=bar_centre(reasons, unknown).toPoint(),
        )
    assert asked.args[0] == WorklistSpec(kind="not_covered", line="pension", status="unknown")

    # From the keyboard: arrows pick a bar (said below the chart), Enter opens its list.
    village_chart.setFocus()
    for _ in range(3):
        qtbot.keyClick(village_chart, Qt.Key.Key_Down)
    assert picture.panels["by_village"].current.text().startswith("街西村村委会：60.0%")
    with qtbot.waitSignal(page.worklist_requested) as asked:
        qtbot.keyClick(village_chart, Qt.Key.Key_Return)
    assert asked.args[0] == WorklistSpec(kind="not_covered", line="pension", village_code=V1)


def test_another_line_and_the_printed_report(qtbot, runner, session):
    page = shown_page(qtbot, session, runner)
    picture = page.coverage
    with qtbot.waitSignal(picture.loaded, timeout=20_000):
        picture.line.setCurrentIndex(picture.line.findData("medical"))
    assert picture.report.line == "medical"
    reasons = picture.report.figure("not_covered_by_reason")
    assert [b.key for b in reasons.bars] == ["lapsed", "unknown"]
    picture.print_report()
    with qtbot.waitSignal(picture.batch.succeeded, timeout=60_000) as done:
        pass
    assert done.args[0].missing == ()
    qtbot.waitUntil(lambda: bool(_previews()))
    for dialog in _previews():
        assert "参保覆盖情况报告" in dialog.windowTitle()
        dialog.close()


def _previews() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "printPreview" and w.isVisible()
    ]


def test_the_main_window_refreshes_statuses_after_login_and_opens_worklists(
    qtbot, runner, session, counted, monkeypatch
):
    # A status nobody has looked at (as rows pulled or from before the upgrade are).
    with session.database.writing() as db:
        row = db.get(CoverageStatus, (counted.ids["G"], "pension"))
        row.status, row.reason, row.source, row.valid_until = "unknown", None, None, UNSEEN
    window = MainWindow(session, runner, today=lambda: counted.day)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.coverage_refreshed, timeout=20_000) as refreshed:
        pass
    assert refreshed.args[0] >= 1
    assert person_statuses(session.database, session.actor, counted.ids["G"])["pension"].reason == (
        "under_16"
    )

    # A clicked bar opens the worklists page on the list it names.
    spec = WorklistSpec(kind="not_covered", line="pension", village_code=V1)
    window.reports.worklist_requested.emit(spec)
    assert window.stack.currentWidget() is window.worklists
    assert window.worklists.spec == spec


def test_no_refresh_when_nothing_ran_out(qtbot, runner, session, counted):
    window = MainWindow(session, runner, today=lambda: date(counted.day.year, 1, 1))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.coverage_refreshed, timeout=20_000) as refreshed:
        pass
    assert refreshed.args[0] == 0

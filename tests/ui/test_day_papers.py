"""The day's papers from the Payments and Reports pages: reachable, in the background, previewed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from caseworker.services.centre import OpenSession
from caseworker.ui.views.payments_view import PaymentsPage
from caseworker.ui.views.reports_view import ReportsPage
from tests.ui.helpers import demo_session


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[OpenSession]:
    session = demo_session(tmp_path_factory.mktemp("papers") / "demo", persons=60)
    yield session
    session.close()


def previews() -> list:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "printPreview" and w.isVisible()
    ]


def close_previews() -> None:
    for dialog in previews():
        dialog.close()


def test_payments_page_prints_the_day_reprints_and_reports(qtbot, runner, demo):
    page = PaymentsPage(demo, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert page.model.rowCount() > 0
    assert page.print_day_button.isEnabled()

    page.print_day()
    with qtbot.waitSignal(page.batch.succeeded, timeout=60_000) as done:
        pass
    output = done.args[0].output  # copies (副本), recorded only once printed or saved
    result = output.result
    assert not output.original
    assert result.pages == len({p.receipt_number for p in page.model.rows})
    assert result.missing == ()
    qtbot.waitUntil(lambda: bool(previews()))
    close_previews()

    page.reprint()  # built on the runner, like every preview
    qtbot.waitUntil(lambda: bool(previews()))
    (dialog,) = previews()
    assert dialog.result.pages == 1
    close_previews()

    page.daily_report()
    qtbot.waitUntil(lambda: bool(previews()))
    assert len(previews()) == 1
    close_previews()


def test_reports_page_builds_survey_sheets_for_a_village(qtbot, runner, demo):
    page = ReportsPage(demo, runner)
    qtbot.addWidget(page)
    assert page.village.count() > 0  # the centre's villages from the region directory
    page.print_survey()
    with qtbot.waitSignal(page.batch.succeeded, timeout=60_000) as done:
        pass
    assert done.args[0].pages >= 1
    qtbot.waitUntil(lambda: bool(previews()))
    close_previews()
    page.blank.setChecked(True)
    page.print_survey()
    with qtbot.waitSignal(page.batch.succeeded, timeout=60_000) as done:
        pass
    assert done.args[0].pages == 1
    close_previews()
    page.print_daily()
    qtbot.waitUntil(lambda: bool(previews()))
    assert len(previews()) == 1
    close_previews()

"""The Sync screen on a real runner, a real centre and the real server (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import OutboxEntry
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.sync_view import SyncView
from tests.upstream.harness import connect, enrol_people, new_centre, person


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def test_sync_screen_sends_shows_progress_and_resolves_the_queue(
    qtbot, qtmodeltester, runner, server, tmp_path: Path
):
    a = new_centre(tmp_path / "a", "320583101", "玉山镇")
    b = new_centre(tmp_path / "b", "320583109", "玉山镇二号机")
    try:
        connect(a, server)
        connect(b, server)
        enrol_people(a, 3)
        enrol(b.database, b.actor, person(0), [EnrolmentChoice("resident_medical")], today=None)
        from caseworker.sync.run import run_sync
        from tests.upstream.harness import FAST_RETRY

        run_sync(a.database, retry=FAST_RETRY)

        statuses: list = []
        view = SyncView(b, runner)
        qtbot.addWidget(view)
        view.status_changed.connect(lambda pending, last: statuses.append((pending, last)))
        qtbot.waitUntil(lambda: bool(statuses), timeout=10_000)
        assert statuses[-1] == (2, None)
        assert "待上传 2 条" in view.summary.text()

        with qtbot.waitSignal(view.sync_finished, timeout=60_000) as finished:
            view.sync_button.click()
            assert not view.progress.isHidden() and view.cancel_button.isEnabled()
        assert finished.args[0].counts == {"conflict": 1, "rejected": 1}
        qtbot.waitUntil(lambda: view.issues_model.rowCount() == 2, timeout=10_000)
        qtmodeltester.check(view.issues_model)
        qtmodeltester.check(view.batches_model)
        assert view.batches_model.rowCount() == 1
        assert statuses[-1][0] == 0 and statuses[-1][1] is not None

        # The admin (a supervisor's rights) takes the county's copy of the person…
        view.issues_table.selectRow(0)
        assert view.accept_button.isEnabled()
        with qtbot.waitSignal(view.refreshed, timeout=10_000):
            view.accept_button.click()
        qtbot.waitUntil(lambda: view.issues_model.rowCount() == 1, timeout=10_000)
        # …and resubmits the enrolment, which the next sync delivers.
        view.issues_table.selectRow(0)
        assert not view.accept_button.isEnabled()  # a rejection has no county copy
        with qtbot.waitSignal(view.refreshed, timeout=10_000):
            view.resubmit_button.click()
        qtbot.waitUntil(lambda: view.issues_model.rowCount() == 0, timeout=10_000)
        with qtbot.waitSignal(view.sync_finished, timeout=60_000) as finished:
            view.sync_button.click()
        assert finished.args[0].counts == {"accepted": 1}
        with b.database.reading() as db:
            assert set(db.scalars(select(OutboxEntry.sync_state))) <= {
                "accepted",
                "conflict",
                "rejected",
            }
    finally:
        a.close()
        b.close()


def test_cancel_and_an_unreachable_server_are_reported_not_raised(
    qtbot, runner, tmp_path: Path, upstream_url
):
    from tests.upstream.harness import Server

    server = Server(upstream_url).start()
    session = new_centre(tmp_path / "c")
    try:
        connect(session, server)
        enrol_people(session, 1)
        server.stop()  # the county goes away
        view = SyncView(session, runner)
        qtbot.addWidget(view)
        qtbot.waitSignal(view.refreshed, timeout=10_000)
        with qtbot.waitSignal(view.sync_finished, timeout=60_000) as finished:
            view.sync_button.click()
            view.cancel_sync()
        assert "取消" in view.message.text() or "未完成" in view.message.text()
        assert finished.args[0] is not None
        qtbot.waitUntil(lambda: view.sync_button.isEnabled(), timeout=10_000)
    finally:
        server.stop()
        session.close()

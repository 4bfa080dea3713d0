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
    from tests.sync.test_queue import second_computer

    a = new_centre(tmp_path / "a", "320583101", "玉山镇")
    b = second_computer(a, tmp_path / "b")  # the county's copy comes back within a centre
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
        # The person, the enrolment and the medical status it derives (enrolled, not paid).
        assert statuses[-1] == (3, None)
        assert "待上传 3 条" in view.summary.text()

        with qtbot.waitSignal(view.sync_finished, timeout=60_000) as finished:
            view.sync_button.click()
            assert not view.progress.isHidden() and view.cancel_button.isEnabled()
        assert finished.args[0].counts == {"conflict": 1, "rejected": 2}
        qtbot.waitUntil(lambda: view.issues_model.rowCount() == 3, timeout=10_000)
        kinds = [
            view.issues_model.data(view.issues_model.index(row, column))
            for row in range(3)
            for column in range(view.issues_model.columnCount())
        ]
        assert "参保状态" in kinds and "医疗保险：未参保" in kinds and "居民医保" in kinds
        qtmodeltester.check(view.issues_model)
        qtmodeltester.check(view.batches_model)
        assert view.batches_model.rowCount() == 1
        assert statuses[-1][0] == 0 and statuses[-1][1] is not None

        # The admin (a supervisor's rights) takes the county's copy of the person (its
        # refused status goes up again under the county's person id)…
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
        assert finished.args[0].counts == {"accepted": 2}
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


def test_a_person_registered_elsewhere_is_shown_masked_and_a_transfer_requested(
    qtbot, runner, server, tmp_path: Path
):
    from sqlalchemy import func

    from caseworker.sync.run import run_sync
    from caseworker.upstream.db import open_upstream
    from caseworker.upstream.models import Transfer
    from tests.upstream.harness import FAST_RETRY

    a = new_centre(tmp_path / "a", "320583101", "玉山镇社会保障服务中心")
    b = new_centre(tmp_path / "b", "320583102", "周市镇社会保障服务中心")
    try:
        connect(a, server)
        connect(b, server)
        enrol_people(a, 1)
        run_sync(a.database, retry=FAST_RETRY)
        enrol(b.database, b.actor, person(0), [], today=None)
        run_sync(b.database, retry=FAST_RETRY)

        view = SyncView(b, runner)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.issues_model.rowCount() == 1, timeout=10_000)
        index = view.issues_model.index(0, 3)
        assert view.issues_model.data(index) == (
            "已在玉山镇社会保障服务中心登记（3205**********"
            + person(0).id_number[-4:]
            + " 王**）— 申请转入"
        )
        view.issues_table.selectRow(0)
        assert view.transfer_button.isEnabled() and not view.accept_button.isEnabled()
        view.transfer_button.click()  # no reason yet: asked for one, nothing sent
        assert "转入原因" in view.message.text()
        view.transfer_reason.setText("已迁入周市镇居住")
        with qtbot.waitSignal(view.transfer_requested, timeout=60_000) as sent:
            view.transfer_button.click()
        assert sent.args[0].state == "requested"
        assert "已申请转入" in view.message.text()
        db = open_upstream(server.db_url)
        with db.reading() as up:
            assert up.scalar(select(func.count()).select_from(Transfer)) == 1
        db.close()
    finally:
        a.close()
        b.close()


def test_sync_screen_shows_the_countys_words_when_this_computer_was_revoked(
    qtbot, runner, server, tmp_path: Path
):
    from caseworker.upstream.db import open_upstream
    from caseworker.upstream.revocation import revoke_device

    clerk = new_centre(tmp_path / "a")
    try:
        connect(clerk, server)
        enrol_people(clerk, 1)
        county = open_upstream(server.db_url)
        try:
            revoke_device(county, clerk.actor.device_id, "县社保局 李明", "电脑被盗")
        finally:
            county.close()
        view = SyncView(clerk, runner)
        qtbot.addWidget(view)
        qtbot.waitUntil(view.sync_button.isEnabled, timeout=10_000)
        with qtbot.waitSignal(view.sync_finished, timeout=60_000) as finished:
            view.sync_button.click()
        assert finished.args[0].code == "device_revoked"
        shown = view.message.text()
        assert shown.startswith("同步未完成：") and "停用本机" in shown and "登记令牌" in shown
        # Everything still waits here, counted as it was.
        qtbot.waitUntil(lambda: "待上传 3 条" in view.summary.text(), timeout=10_000)
        assert "停用本机" in view.message.text()  # the refresh after it keeps the words
        with clerk.database.reading() as db:
            states = set(db.scalars(select(OutboxEntry.sync_state)))
        assert "rejected" not in states and "accepted" not in states  # all still here
    finally:
        clerk.close()

"""The Sync page after registering, and its offline buttons (what `caseworker sync export` /
`import-answer` do), on a real centre, a real runner and the real county server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from caseworker.ui.tasks import TaskRunner
from caseworker.ui.views.sync_view import SyncView
from tests.upstream.harness import connect, enrol_people, new_centre

NOT_REGISTERED = "本机尚未在县级服务器登记"


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def _choose(qtbot, view: SyncView, path: Path) -> None:
    """Pick ``path`` in the page's own (Qt, not native) file dialog, as the clerk would."""
    qtbot.waitUntil(lambda: view.files.dialog is not None and view.files.dialog.isVisible())
    dialog = view.files.dialog
    assert isinstance(dialog, QFileDialog)
    dialog.selectFile(str(path))
    dialog.accept()


def test_registering_clears_the_note_and_showing_the_page_refreshes_its_counts(
    qtbot, runner, server, tmp_path: Path
):
    centre = new_centre(tmp_path / "a")
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        view = SyncView(centre, runner, holder)
        readings: list[str] = []
        view.refreshed.connect(lambda: readings.append(view.summary.text()))
        holder.show()  # built (one reading), then shown (another)
        qtbot.waitUntil(lambda: len(readings) == 2, timeout=10_000)
        assert NOT_REGISTERED in view.message.text()
        assert not view.sync_button.isEnabled()
        view.hide()  # the clerk goes to another page; meanwhile the device is registered
        connect(centre, server)
        enrol_people(centre, 3)
        view.show()  # the page comes back into view
        qtbot.waitUntil(lambda: len(readings) == 3, timeout=10_000)
        assert NOT_REGISTERED not in view.message.text()
        assert "待上传 9 条" in view.summary.text()  # person, enrolment, coverage status each
        assert view.sync_button.isEnabled()
    finally:
        centre.close()


def test_export_writes_the_signed_batches_and_a_bad_answer_file_is_named(
    qtbot, runner, tmp_path: Path
):
    centre = new_centre(tmp_path / "a")
    try:
        enrol_people(centre, 2)
        view = SyncView(centre, runner)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: "待上传 6 条" in view.summary.text(), timeout=10_000)
        stick = tmp_path / "stick.json"
        with qtbot.waitSignal(view.files.finished, timeout=10_000) as done:
            view.files.export_button.click()
            _choose(qtbot, view, stick)
        assert "已写出 1 个批次" in done.args[0]
        written = json.loads(stick.read_text("utf-8"))
        assert len(written["batches"]) == 1
        assert view.message.text() == done.args[0]
        qtbot.waitUntil(lambda: view.batches_model.rowCount() == 1, timeout=10_000)

        bad = tmp_path / "not-an-answer.json"
        bad.write_text('{"hello": 1}', "utf-8")
        with qtbot.waitSignal(view.files.finished, timeout=10_000) as done:
            view.files.import_button.click()
            _choose(qtbot, view, bad)
        assert "不是县级答复文件" in done.args[0] and str(bad) in done.args[0]
        assert view.files.import_button.isEnabled() and view.files.export_button.isEnabled()
        assert view.batches_model.rowCount() == 1  # nothing applied, the batch still waits
    finally:
        centre.close()

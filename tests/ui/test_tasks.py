"""The background runner: results and errors come back on the UI thread; cancel works."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from caseworker.ui.tasks import SynchronousRunner, TaskRunner


def test_result_arrives_on_the_ui_thread(qtbot):
    runner = TaskRunner()
    seen = {}

    def job(control):
        seen["worker"] = threading.current_thread().name
        control.report(1, 2, "half")
        return 42

    task = runner.submit(job)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen["worker"].startswith("cw-read")
    assert QThread.currentThread() is runner.thread()
    runner.shutdown()


def test_error_is_delivered_not_lost(qtbot):
    runner = TaskRunner()
    task = runner.submit(lambda control: 1 / 0, lane="write")
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ZeroDivisionError)
    runner.shutdown()


def test_cancel_stops_a_long_job(qtbot):
    runner = TaskRunner()
    started = threading.Event()

    def job(control):
        started.set()
        while True:
            control.check()
            threading.Event().wait(0.01)

    task = runner.submit(job, lane="network")
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    runner.shutdown()


def test_synchronous_runner_runs_inline(qtbot):
    runner = SynchronousRunner()
    results = []
    task = runner.submit(lambda control: "done", on_success=results.append)
    assert task.done and results == ["done"]

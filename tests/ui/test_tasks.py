"""The background runner: results and errors come back on the UI thread; cancel works."""

from __future__ import annotations

import gc
import threading
import weakref

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


def cancel_a_long_job(qtbot, runner):
    """A job that runs until cancelled, cancelled once it runs; the task is returned."""
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
    return task


def test_cancel_stops_a_long_job(qtbot):
    runner = TaskRunner()
    cancel_a_long_job(qtbot, runner)
    runner.shutdown()


def test_synchronous_runner_runs_inline(qtbot):
    runner = SynchronousRunner()
    results = []
    task = runner.submit(lambda control: "done", on_success=results.append)
    assert task.done and results == ["done"]


def _tasks(runner):
    from caseworker.ui.tasks import Task

    return runner.findChildren(Task)


def test_finished_tasks_are_freed(qtbot):
    """200 jobs used to leave 200 Task children on the runner for the whole session; now a
    task the caller does not keep is freed once its result is delivered."""
    runner = TaskRunner()
    results, kept = [], []
    for n in range(200):
        task = runner.submit(
            lambda control, n=n: n, lane=("read", "write")[n % 2], on_success=results.append
        )
        kept.append(weakref.ref(task))
    del task
    assert not _tasks(runner)
    qtbot.waitUntil(lambda: len(results) == 200, timeout=10_000)
    gc.collect()
    assert sorted(results) == list(range(200))
    assert [ref for ref in kept if ref() is not None] == []
    runner.shutdown()


def test_a_kept_task_still_says_how_it_ended(qtbot):
    runner = TaskRunner()
    failed = runner.submit(lambda control: 1 / 0, lane="write")
    cancelled = cancel_a_long_job(qtbot, runner)
    qtbot.waitUntil(lambda: failed.done, timeout=5000)
    gc.collect()
    assert isinstance(failed.error, ZeroDivisionError) and cancelled.done
    assert not _tasks(runner) and not runner._running
    runner.shutdown()


def test_synchronous_runner_keeps_no_tasks(qtbot):
    runner = SynchronousRunner()
    kept = [weakref.ref(runner.submit(lambda control, n=n: n)) for n in range(50)]
    gc.collect()
    assert not _tasks(runner) and all(ref() is None for ref in kept)

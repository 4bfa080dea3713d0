"""Background work for the UI: the window never waits on the database or the network.

Lanes, as Anki's task manager and Picard's thread helpers do it:
- ``write``: one worker, so there is one database writer at a time;
- ``read``: a small pool for searches and look-ups (SQLite in WAL mode reads concurrently);
- ``network``: one worker for sync, apart from the database lanes;
- ``device``: one worker for devices on the desk (a receipt roll printer), which may be slow
  or unplugged.

A job is a callable taking a ``TaskControl`` (for progress and cancellation) and returning
a value. Its result or exception comes back on the UI thread through Qt signals.
``SynchronousRunner`` runs jobs inline, for tests that want no threads.

A ``Task`` has no Qt parent (each used to be a child of the runner for the whole session:
200 jobs left 200 children). The runner holds it while the job runs and until its signals
have gone out, then lets go, so it is freed as soon as no caller keeps it; a caller that
does may read ``done``, ``result`` and ``error`` afterwards. Callers connect to the signals
right after ``submit``, before the task can finish.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from caseworker.logs import is_defect, log_defect
from caseworker.sync.client import Cancelled as SyncCancelled

Job = Callable[["TaskControl"], Any]


class Cancelled(Exception):
    """Raised inside a job by ``TaskControl.check()`` once the user has cancelled."""


class TaskControl:
    """Handed to the job: report progress, notice cancellation. Thread-safe."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int, text: str = "") -> None:
        self._task.progress.emit(done, total, text)


class Task(QObject):
    """One submitted job; signals arrive on the UI thread (queued across threads)."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control = TaskControl(self)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False

    def cancel(self) -> None:
        self.control._cancel.set()

    def _complete(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error, self.done = result, error, True
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        elif error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted from a worker is delivered there."""

    completed = Signal(object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.completed.connect(lambda task, result, error: task._complete(result, error))


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._relay.completed.connect(self._one_done)
        self._running: set[Task] = set()  # submitted, results not yet on the UI thread
        self._active = 0  # submitted jobs whose results have not reached the UI thread yet
        self._when_idle: list[Callable[[], None]] = []
        self._lanes = {
            "write": ThreadPoolExecutor(1, thread_name_prefix="cw-write"),
            "read": ThreadPoolExecutor(2, thread_name_prefix="cw-read"),
            "network": ThreadPoolExecutor(1, thread_name_prefix="cw-net"),
            "device": ThreadPoolExecutor(1, thread_name_prefix="cw-device"),
        }

    def submit(
        self,
        job: Job,
        *,
        lane: str = "read",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Task:
        task = self._new_task(on_success, on_failure)

        def work() -> None:
            result, error = _run(job, task)
            self._relay.completed.emit(task, result, error)

        self._active += 1
        self._running.add(task)
        self._lanes[lane].submit(work)
        return task

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call back (on the UI thread) once no submitted job is running or waiting: the idle
        lock closes the database only when nothing still uses it."""
        if self._active == 0:
            callback()
        else:
            self._when_idle.append(callback)

    def _one_done(self, task: Task, *_completed: object) -> None:
        self._running.discard(task)
        self._active -= 1
        if self._active == 0:
            callbacks, self._when_idle = self._when_idle, []
            for callback in callbacks:
                callback()

    def _new_task(
        self,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> Task:
        task = Task()
        if on_success:
            task.succeeded.connect(on_success)
        if on_failure:
            task.failed.connect(on_failure)
        return task

    def shutdown(self) -> None:
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)


class SynchronousRunner(TaskRunner):
    """Runs each job inline on the calling thread (tests)."""

    def submit(
        self,
        job: Job,
        *,
        lane: str = "read",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Task:
        task = self._new_task(on_success, on_failure)
        task._complete(*_run(job, task))
        return task


def _run(job: Job, task: Task) -> tuple[Any, BaseException | None]:
    """The job's result, or the exception it raised (delivered to the UI thread, never lost).

    A defect (an exception without words for the operator) is also logged, redacted."""
    try:
        return job(task.control), None
    except BaseException as caught:
        if not isinstance(caught, Cancelled | SyncCancelled) and is_defect(caught):
            log_defect(caught, f"background task failed ({type(caught).__name__})")
        return None, caught

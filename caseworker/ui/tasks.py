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
right after ``submit``, before the task can finish. The worker threads see only the job, its
``TaskControl`` and a number, never the Task: its last reference is always dropped on the UI
thread, where a QObject must be freed (a worker dropping it crashed the process now and then).
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from caseworker.logs import is_defect, log_defect

Job = Callable[["TaskControl"], Any]


class Cancelled(Exception):
    """Raised inside a job by ``TaskControl.check()`` once the user has cancelled."""


class TaskControl:
    """Handed to the job: report progress, notice cancellation. Thread-safe. It holds no
    reference to its ``Task``, so a worker thread never owns the last one (a QObject must be
    freed on the thread it lives on)."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int, text: str = "") -> None:
        self._report(done, total, text)


class Task(QObject):
    """One submitted job; signals arrive on the UI thread (queued across threads)."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, control: TaskControl) -> None:
        super().__init__()
        self.control = control
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
    """Lives on the UI thread; a signal emitted from a worker is delivered there. Tasks are
    named by a number: the worker threads never hold the Task itself."""

    progress = Signal(int, int, int, str)
    completed = Signal(int, object, object)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._relay.progress.connect(self._progress)
        self._relay.completed.connect(self._one_done)
        self._running: dict[int, Task] = {}  # submitted, results not yet on the UI thread
        self._numbers = itertools.count()
        self._active = 0  # submitted jobs whose results have not reached the UI thread yet
        self._when_idle: list[Callable[[], None]] = []
        self._held: list[tuple[str, Callable[[], None]]] | None = None  # see hold()
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
        number = next(self._numbers)
        relay = self._relay
        control = TaskControl(
            lambda done, total, text: relay.progress.emit(number, done, total, text)
        )
        task = self._new_task(control, on_success, on_failure)

        def work() -> None:
            result, error = _run(job, control)
            relay.completed.emit(number, result, error)

        self._active += 1
        self._running[number] = task
        if self._held is not None:
            self._held.append((lane, work))
        else:
            self._lanes[lane].submit(work)
        return task

    def hold(self) -> None:
        """Keep the jobs submitted from now on until ``release``. The launch builds every
        page, and each page asks for its first reading (counts over the whole registry):
        started at once, those readings take the interpreter from the building (at 100,000
        people the window took three times as long to appear)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the held jobs, in the order they were submitted."""
        held, self._held = self._held or [], None
        for lane, work in held:
            self._lanes[lane].submit(work)

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call back (on the UI thread) once no submitted job is running or waiting: the idle
        lock closes the database only when nothing still uses it."""
        if self._active == 0:
            callback()
        else:
            self._when_idle.append(callback)

    def _progress(self, number: int, done: int, total: int, text: str) -> None:
        task = self._running.get(number)
        if task is not None:
            task.progress.emit(done, total, text)

    def _one_done(self, number: int, result: Any, error: BaseException | None) -> None:
        task = self._running.pop(number)
        task._complete(result, error)
        self._active -= 1
        if self._active == 0:
            callbacks, self._when_idle = self._when_idle, []
            for callback in callbacks:
                callback()

    def _new_task(
        self,
        control: TaskControl,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> Task:
        task = Task(control)
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
        holder: list[Task] = []
        control = TaskControl(lambda done, total, text: holder[0].progress.emit(done, total, text))
        task = self._new_task(control, on_success, on_failure)
        holder.append(task)
        task._complete(*_run(job, control))
        return task


def _cancellation(error: BaseException) -> bool:
    """The operator's cancel, ours or the sync client's (looked up, not imported: the client
    loads httpx, which the launch skips; until it is loaded no job can raise its Cancelled)."""
    client = sys.modules.get("caseworker.sync.client")
    return isinstance(error, Cancelled) or (
        client is not None and isinstance(error, client.Cancelled)
    )


def _run(job: Job, control: TaskControl) -> tuple[Any, BaseException | None]:
    """The job's result, or the exception it raised (delivered to the UI thread, never lost).

    A defect (an exception without words for the operator) is also logged, redacted."""
    try:
        return job(control), None
    except BaseException as caught:
        if not _cancellation(caught) and is_defect(caught):
            log_defect(caught, f"background task failed ({type(caught).__name__})")
        return None, caught

"""The desktop app's defects reach the data folder's log, redacted: a failed background job
and an exception nobody caught (a thread, a Qt slot)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker.logs import install_exception_hooks, install_logging, uninstall_logging
from caseworker.paths import DataPaths
from caseworker.services.errors import ServiceError
from caseworker.ui.tasks import SynchronousRunner
from tests.cli.test_logs import assert_clean

SECRETS = ["110105194912310021", "张三", "13800138000"]


@pytest.fixture
def app_log(data_paths: DataPaths) -> Iterator[Path]:
    hooks = sys.excepthook, threading.excepthook
    path = install_logging(data_paths.logs, "app")
    yield path
    uninstall_logging()
    sys.excepthook, threading.excepthook = hooks


def test_a_failed_job_is_logged_without_its_values(qtbot, app_log: Path, data_paths: DataPaths):
    runner = SynchronousRunner()

    def job(_control: object) -> None:
        raise RuntimeError("110105194912310021 张三 13800138000")

    def refused(_control: object) -> None:
        raise ServiceError("taken", "张三已登记", "already registered")

    task = runner.submit(job)
    assert isinstance(task.error, RuntimeError)  # the view still gets the error itself
    # An operator's mistake has words of its own and is not a defect: not logged.
    assert isinstance(runner.submit(refused).error, ServiceError)
    assert assert_clean(data_paths.logs, SECRETS) == [app_log]
    log = app_log.read_text(encoding="utf-8")
    assert log.count("ERROR") == 1
    assert "RuntimeError: <digits> <cjk> <digits>" in log
    assert 'File "caseworker/ui/tasks.py"' in log


def test_an_uncaught_thread_exception_is_logged(app_log: Path, data_paths: DataPaths, capsys):
    install_exception_hooks()

    def work() -> None:
        raise ValueError("110105194912310021 张三 13800138000")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert str(app_log) in capsys.readouterr().err
    assert assert_clean(data_paths.logs, SECRETS) == [app_log]
    assert "ValueError: <digits> <cjk> <digits>" in app_log.read_text(encoding="utf-8")

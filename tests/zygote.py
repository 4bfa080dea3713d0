"""The fork server behind ``tests/procs.py``: a fresh interpreter that imports our two
command lines once, then forks a child for each ``python -m MODULE ARGS`` a test asks for.

Run by file path (not as part of the ``tests`` package) with one argument, the number of the
control socket it inherits. Each request on it is one SOCK_SEQPACKET message: a JSON header
(module, args, env, cwd) and four descriptors (a status socket, stdin, stdout, stderr). The
child takes the descriptors as 0/1/2, the environment, the folder and ``sys.argv`` of that
command, and runs the module as ``__main__`` exactly as ``python -m`` does; the interpreter
then exits as any other would (atexit, flushing, exit code, a traceback for an uncaught
error). This process writes the child's pid to the status socket, then its wait status.

It holds no thread, no open database and no connection when it forks (it checks), and it
exits when the test process that started it closes the control socket.
"""

from __future__ import annotations

import array
import contextlib
import gc
import json
import os
import select
import socket
import sys
import tempfile
import threading
import time

# Everything a command needs that takes long to import: the command lines, the server app and
# what their commands import lazily. Only imported, never run: no cache is filled here.
PRELOAD = (
    "caseworker.cli",
    "caseworker.cli.common",
    "caseworker.upstream.cli",
    "caseworker.upstream.app",
    "caseworker.upstream.db",
    "caseworker.upstream.devices",
    "caseworker.upstream.admin",
    "caseworker.sync.run",
    "uvicorn",
    "alembic.command",
    "alembic.runtime.migration",
)
MODULES = ("caseworker", "caseworker.upstream.cli")
MAX_MESSAGE = 1 << 20


def _reply(status: socket.socket, text: str) -> None:
    with contextlib.suppress(OSError):  # the test side gave up on this process
        status.sendall(text.encode() + b"\n")


def _serve(control: socket.socket) -> tuple[dict, list[int]]:
    """Answer requests until the test process goes; returns only in a forked child."""
    children: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, status socket)
    while True:
        readable, _, _ = select.select([control, *children], [], [])
        for pidfd in [fd for fd in readable if fd in children]:
            pid, status = children.pop(pidfd)
            _, wait_status = os.waitpid(pid, 0)
            os.close(pidfd)
            _reply(status, f"exit {os.waitstatus_to_exitcode(wait_status)}")
            status.close()
        if control not in readable:
            continue
        fds_array = array.array("i")
        message, ancillary, _, _ = control.recvmsg(
            MAX_MESSAGE, socket.CMSG_SPACE(4 * fds_array.itemsize)
        )
        if not message:
            sys.exit(0)  # the test process closed its end
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds_array.frombytes(data[: len(data) - (len(data) % fds_array.itemsize)])
        fds = list(fds_array)
        request = json.loads(message)
        status = socket.socket(fileno=fds[0])
        if threading.active_count() != 1:
            _reply(status, "refused: the fork server has threads")
            status.close()
            for fd in fds[1:]:
                os.close(fd)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            control.close()
            for pidfd, (_, other) in children.items():
                os.close(pidfd)
                other.close()
            status.close()
            return request, fds
        for fd in fds[1:]:
            os.close(fd)
        children[os.pidfd_open(pid)] = (pid, status)
        _reply(status, f"pid {pid}")


def _become(request: dict, fds: list[int]) -> str:
    """In the child: take the command's descriptors, environment, folder and argv."""
    for target, fd in zip((0, 1, 2), fds[1:], strict=True):
        os.dup2(fd, target)
    for fd in set(fds[1:]):
        if fd > 2:
            os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # what a fresh interpreter reads from TZ at start-up
    tempfile.tempdir = None  # and TMPDIR, at first use
    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # what ``python -m`` puts first
    sys.argv = [request["module"], *request["args"]]  # runpy sets argv[0] to the file
    return request["module"]


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    sys.path[0] = os.getcwd()  # not this file's folder: imports resolve as under ``python -m``
    for name in PRELOAD:
        __import__(name)
    from caseworker.cli import COMMAND_MODULES  # each command's module, imported lazily

    for name in set(COMMAND_MODULES.values()):
        __import__(f"caseworker.cli.{name}")
    # What is imported lives as long as the process: kept out of the collector's sight, a
    # child's collections and exit do not copy every page it shares with this process.
    gc.freeze()
    control.send(b"ready")
    request, fds = _serve(control)
    module = _become(request, fds)
    import runpy

    # Run as ``__main__`` from its source, as ``python -m`` does, not the preloaded copy.
    sys.modules.pop(module, None)

    runpy._run_module_as_main(module, alter_argv=True)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

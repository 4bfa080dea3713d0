"""Our command lines as real processes, without paying Python's start-up for each one.

``run`` and ``Popen`` take what ``subprocess.run`` and ``subprocess.Popen`` take. A command
``[sys.executable, "-m", M, ...]`` with M ``caseworker`` or ``caseworker.upstream.cli`` (the
desktop app's command line and the county's, the server included) is forked from a fork
server (``tests/zygote.py``): a separate interpreter of this worker that has imported those
modules once. The child is a process of its own, with its own pid, environment, folder,
stdin/stdout/stderr and exit code; it runs the module as ``__main__`` as ``python -m`` does,
and can be signalled and killed. What is saved is the import (~1.5 s of CPU per command).
Anything else (another module, another program) is started with ``subprocess`` as before.

Set ``CASEWORKER_TEST_FRESH_PROCESSES=1`` to start every command as a fresh interpreter
instead (slower; the same tests must pass). tests/cli/test_cli.py::test_version and the
layering tests start fresh interpreters on purpose, so start-up itself stays tested.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

PIPE = subprocess.PIPE
DEVNULL = subprocess.DEVNULL
STDOUT = subprocess.STDOUT
ZYGOTE = Path(__file__).with_name("zygote.py")
FORKED_MODULES = ("caseworker", "caseworker.upstream.cli")
FRESH_ENV = "CASEWORKER_TEST_FRESH_PROCESSES"


class _Zygote:
    """This process's fork server, started on first use, gone when this process exits."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, str(ZYGOTE), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        self.lock = threading.Lock()
        ready = ours.recv(16)
        if ready != b"ready":
            raise RuntimeError(f"the fork server did not start ({self.process.wait()})")

    def fork(self, module: str, args: list[str], env: dict[str, str], cwd: str, fds: list[int]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        header = json.dumps({"module": module, "args": args, "env": env, "cwd": cwd}).encode()
        with self.lock:
            socket.send_fds(self.control, [header], [theirs.fileno(), *fds])
        theirs.close()
        return ours

    def close(self) -> None:
        self.control.close()
        self.process.wait(timeout=30)


_zygote: _Zygote | None = None
_zygote_lock = threading.Lock()


def _the_zygote() -> _Zygote:
    global _zygote
    with _zygote_lock:
        if _zygote is None:
            _zygote = _Zygote()
            atexit.register(_zygote.close)
        return _zygote


def _forked_module(args: Any) -> str | None:
    if os.environ.get(FRESH_ENV) or isinstance(args, (str, bytes)):
        return None
    args = [os.fspath(a) for a in args]
    if len(args) >= 3 and args[0] == sys.executable and args[1] == "-m":
        return args[2] if args[2] in FORKED_MODULES else None
    return None


def _target_fd(spec: Any, which: int, opened: list[int], mine: dict[int, int]) -> int:
    """The descriptor the child gets as ``which`` (0, 1, 2), opening pipes as asked."""
    if spec is None:
        return which  # inherited, as subprocess does
    if spec == DEVNULL:
        fd = os.open(os.devnull, os.O_RDWR)
        opened.append(fd)
        return fd
    if spec == PIPE:
        read, write = os.pipe()
        if which == 0:
            mine[0], child = write, read
        else:
            mine[which], child = read, write
        opened.append(child)
        return child
    if isinstance(spec, int):
        return spec
    return spec.fileno()


class Popen:
    """The part of ``subprocess.Popen`` our tests use, for a forked command."""

    def __init__(
        self,
        args: list[Any],
        *,
        stdin: Any = None,
        stdout: Any = None,
        stderr: Any = None,
        env: dict[str, str] | None = None,
        cwd: Any = None,
        text: bool = False,
        **unsupported: Any,
    ) -> None:
        module = _forked_module(args)
        self.args = args
        self._real: subprocess.Popen | None = None
        if module is None or unsupported:
            self._real = subprocess.Popen(
                args,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                env=env,
                cwd=cwd,
                text=text,
                **unsupported,
            )
            self.pid = self._real.pid
            self.stdin, self.stdout, self.stderr = (
                self._real.stdin,
                self._real.stdout,
                self._real.stderr,
            )
            return
        opened: list[int] = []
        mine: dict[int, int] = {}
        try:
            fds = [
                _target_fd(stdin, 0, opened, mine),
                _target_fd(stdout, 1, opened, mine),
                -1,
            ]
            fds[2] = fds[1] if stderr == STDOUT else _target_fd(stderr, 2, opened, mine)
            self._status = _the_zygote().fork(
                module,
                [os.fspath(a) for a in args[3:]],
                dict(os.environ if env is None else env),
                os.fspath(cwd) if cwd is not None else os.getcwd(),
                fds,
            )
        finally:
            for fd in opened:
                os.close(fd)
        self._buffer = b""
        first = self._line(None) or "the fork server closed"
        if not first.startswith("pid "):
            for fd in mine.values():
                os.close(fd)
            raise RuntimeError(f"the fork server refused to start {args[2]}: {first}")
        self.pid = int(first.split()[1])
        self.returncode: int | None = None

        def wrap(which: int, mode: str) -> IO[Any] | None:
            if which not in mine:
                return None
            raw = open(mine[which], mode + "b", buffering=0 if mode == "w" else -1)  # noqa: SIM115
            if text:
                return io.TextIOWrapper(raw, write_through=mode == "w")  # type: ignore[arg-type]
            return raw

        self.stdin, self.stdout, self.stderr = wrap(0, "w"), wrap(1, "r"), wrap(2, "r")

    # -- waiting ---------------------------------------------------------------------------

    @property
    def returncode(self) -> int | None:  # type: ignore[override]
        return self._real.returncode if self._real is not None else self._returncode

    @returncode.setter
    def returncode(self, value: int | None) -> None:
        self._returncode = value

    def _line(self, timeout: float | None) -> str | None:
        """The fork server's next line about this process; None if none came in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._status], [], [], left)
            if not ready:
                return None
            chunk = self._status.recv(4096)
            if not chunk:
                raise RuntimeError(f"the fork server went away while running {self.args[2]}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def _collect(self, timeout: float | None) -> int | None:
        if self._returncode is not None:
            return self._returncode
        line = self._line(timeout)
        if line is None:
            return None
        if not line.startswith("exit "):
            raise RuntimeError(f"the fork server lost {self.args[2]}: {line!r}")
        self._returncode = int(line.split()[1])
        self._status.close()
        return self._returncode

    def poll(self) -> int | None:
        if self._real is not None:
            return self._real.poll()
        return self._collect(0)

    def wait(self, timeout: float | None = None) -> int:
        if self._real is not None:
            return self._real.wait(timeout)
        code = self._collect(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout)  # type: ignore[arg-type]
        return code

    def send_signal(self, signal_number: int) -> None:
        if self._real is not None:
            self._real.send_signal(signal_number)
        elif self.poll() is None:
            # It may have ended just now: subprocess.Popen lets that pass too.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal_number)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def communicate(self, input: Any = None, timeout: float | None = None) -> tuple[Any, Any]:
        if self._real is not None:
            return self._real.communicate(input, timeout)
        if self.stdin is not None:
            if input:
                self.stdin.write(input)
            self.stdin.close()
        deadline = None if timeout is None else time.monotonic() + timeout
        readers = {s: [] for s in (self.stdout, self.stderr) if s is not None}
        pending = dict(readers)
        while pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([s.fileno() for s in pending], [], [], left)
            if not ready:
                raise subprocess.TimeoutExpired(self.args, timeout)  # type: ignore[arg-type]
            for stream in [s for s in pending if s.fileno() in ready]:
                chunk = os.read(stream.fileno(), 65536)
                if chunk:
                    pending[stream].append(chunk)
                else:
                    del pending[stream]
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        outputs = []
        for stream in (self.stdout, self.stderr):
            if stream is None:
                outputs.append(None)
                continue
            data = b"".join(readers[stream])
            stream.close()
            outputs.append(_decode(data) if isinstance(stream, io.TextIOWrapper) else data)
        return outputs[0], outputs[1]

    def __enter__(self) -> Popen:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self.stdout, self.stderr, self.stdin):
            if stream is not None:
                stream.close()
        self.wait()


def _decode(data: bytes) -> str:
    """As ``text=True`` decodes: the locale's encoding, universal newlines."""
    stream = io.TextIOWrapper(io.BytesIO(data))
    return stream.read()


def run(
    args: list[Any],
    *,
    input: Any = None,
    capture_output: bool = False,
    timeout: float | None = None,
    check: bool = False,
    **kwargs: Any,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run``, forking our command lines (see the module's docstring)."""
    if _forked_module(args) is None:
        return subprocess.run(
            args, input=input, capture_output=capture_output, timeout=timeout, check=check, **kwargs
        )
    if input is not None:
        kwargs["stdin"] = PIPE
    if capture_output:
        kwargs["stdout"] = kwargs["stderr"] = PIPE
    with Popen(args, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    if check:
        result.check_returncode()
    return result

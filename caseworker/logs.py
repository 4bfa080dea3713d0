"""One logging setup for the command line, the desktop app and the county server.

Logs hold no personal data. They live in a private folder (0700) of the data folder, files
0600, rotated at 1 MB × 5, and they are created only when something is written. Whatever
reaches them goes through ``RedactingFormatter``: a message, and an exception's message,
keep their words but lose digit runs (ID numbers, phones, bank cards, dates), Chinese text
(names, addresses) and anything quoted (values in ``repr``, JSON, pydantic errors). An
exception is logged as its type, its redacted message and its frames (file, line,
function), never its source lines or locals. SQL parameters never get this far: every
engine is created with ``hide_parameters=True``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

LOG_FILE_BYTES = 1_000_000
LOG_BACKUPS = 5
FOLDER_MODE = 0o700
FILE_MODE = 0o600

# Digits, possibly grouped by single spaces, dots, slashes or hyphens ("138 0013 8000",
# "1949-12-31"), six or more in all; an ID number's check character X goes with them.
_DIGITS = re.compile(r"\d(?:[ ./-]?\d){5,}[Xx]?")
# Han ideographs (all planes), compatibility ideographs, the middle dot of minority names,
# kana and hangul: any run of them is a name or an address until proven otherwise.
_CJK = re.compile(
    "[\u00b7\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]+"
)
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")

DIGITS_MARK = "<digits>"
CJK_MARK = "<cjk>"
QUOTED_MARK = "'<text>'"


def redact(text: str) -> str:
    """``text`` without the values that could identify a person (a best effort on free
    text: the frames, not the message, are what finds a defect)."""
    text = _QUOTED.sub(QUOTED_MARK, text)
    text = _CJK.sub(CJK_MARK, text)
    return _DIGITS.sub(DIGITS_MARK, text)


def _short_path(filename: str) -> str:
    """From the package down (``caseworker/cli/common.py``): a home folder can be a name."""
    parts = Path(filename).parts
    for anchor in ("caseworker", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index + (anchor == "site-packages") :])
    return redact(Path(filename).name)


def _message_of(error: BaseException) -> str:
    try:
        text = str(error)
    except Exception:  # a broken __str__ must not lose the log line
        text = "<message unavailable>"
    notes = getattr(error, "__notes__", None) or []
    return redact(" ".join([text, *map(str, notes)]).strip())


def describe_exception(error: BaseException) -> str:
    """Type, redacted message and frames of ``error`` and of what caused it, oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        current = (
            cause if cause is not None or current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for index, exc in enumerate(reversed(chain)):
        if index:
            lines.append("which led to:")
        kind = type(exc)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        lines.append(f"{module}{kind.__qualname__}: {_message_of(exc)}")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(
                f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
            )
    return "\n".join(lines)


class RedactingFormatter(logging.Formatter):
    """Time, level, logger, process, redacted message; then the exception, described."""

    def __init__(self) -> None:
        super().__init__(datefmt="%Y-%m-%dT%H:%M:%S%z")

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = redact(record.getMessage())
        except Exception:  # a bad %-format must not lose the log line
            message = redact(str(record.msg))
        lines = [
            f"{self.formatTime(record, self.datefmt)} {record.levelname} {record.name} "
            f"[{record.process}]: {message}"
        ]
        if record.exc_info and record.exc_info[1] is not None:
            lines.append(describe_exception(record.exc_info[1]))
        if record.stack_info:
            lines.append(redact(record.stack_info))
        return "\n".join(lines)


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.chmod(folder, FOLDER_MODE)  # mkdir's mode is cut by the umask; an old folder may be wider


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating file created 0600 in a 0700 folder, on the first record only."""

    def __init__(
        self, path: Path, formatter: logging.Formatter | None = None, *, rotate: bool = True
    ) -> None:
        # rotate=False: several processes write the file (the county server's workers), and
        # each rotating on its own would shuffle the others' lines; logrotate's copytruncate
        # (or the service manager) rotates it instead.
        super().__init__(
            path,
            maxBytes=LOG_FILE_BYTES if rotate else 0,
            backupCount=LOG_BACKUPS,
            encoding="utf-8",
            delay=True,
        )
        self.setFormatter(formatter or RedactingFormatter())
        self.write_failed = False

    def _open(self) -> Any:
        path = Path(self.baseFilename)
        _private_folder(path.parent)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.chmod(path, FILE_MODE)  # a file left by an older version may be wider
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)

    def doRollover(self) -> None:
        super().doRollover()
        for n in range(1, self.backupCount + 1):
            rotated = Path(f"{self.baseFilename}.{n}")
            if rotated.exists():
                os.chmod(rotated, FILE_MODE)

    def handleError(self, record: logging.LogRecord) -> None:
        # logging's own report would print the record's raw arguments: say only what failed.
        self.write_failed = True
        error = sys.exc_info()[1]
        print(
            f"caseworker: 无法写入日志 / cannot write the log {self.baseFilename} "
            f"({type(error).__name__})",
            file=sys.stderr,
        )


_installed: dict[str, PrivateRotatingFileHandler] = {}


def log_file(folder: Path, program: str) -> Path:
    return folder / f"{program}.log"


def install_logging(
    folder: Path,
    program: str,
    *,
    level: int = logging.INFO,
    formatter: logging.Formatter | None = None,
    rotate: bool = True,
) -> Path:
    """Send every logger's records (ours at ``level``, libraries' at WARNING) to
    ``folder/program.log``; replaces an earlier installation. Returns the file's path.
    ``formatter`` must redact as ``RedactingFormatter`` does (the county's JSON lines do)."""
    uninstall_logging()
    path = log_file(folder, program)
    handler = PrivateRotatingFileHandler(path, formatter, rotate=rotate)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("caseworker").setLevel(level)
    # SQLAlchemy logs statements with their parameters at INFO: never let it reach INFO.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    _installed["handler"] = handler
    return path


def uninstall_logging() -> None:
    handler = _installed.pop("handler", None)
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def installed_log_file() -> Path | None:
    handler = _installed.get("handler")
    return Path(handler.baseFilename) if handler else None


def is_defect(error: BaseException) -> bool:
    """An error meant for the operator carries words (``message``); anything else is ours."""
    if isinstance(error, KeyboardInterrupt | SystemExit):
        return False
    return not getattr(error, "message", None)


def log_defect(error: BaseException, what: str = "internal error") -> Path | None:
    """Log ``error`` with its frames; the log file's path, or None if it could not be written.

    Nothing is logged before ``install_logging``: Python's fallback would print the raw
    traceback, message and all, to stderr."""
    handler = _installed.get("handler")
    if handler is None:
        return None
    handler.write_failed = False
    logging.getLogger("caseworker").error(what, exc_info=(type(error), error, error.__traceback__))
    return None if handler.write_failed else Path(handler.baseFilename)


def install_exception_hooks() -> None:
    """Uncaught exceptions (a Qt slot, a thread) go to the log, redacted, not to stderr raw."""

    def on_uncaught(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if not isinstance(error, BaseException):
            return
        error.__traceback__ = trace
        where = log_defect(error, "uncaught exception")
        print(
            f"程序内部错误（{kind.__name__}）/ internal error; log: {where or '-'}",
            file=sys.stderr,
        )

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            on_uncaught(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = on_uncaught
    threading.excepthook = on_thread

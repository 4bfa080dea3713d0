"""Failed logins kept beside the key file until the next successful login audits them.

A wrong password or an unknown name is typed while the database is still locked, so the
failure cannot go into the audit chain then. It is kept in ``caseworker.logins`` (JSON,
0600, written atomically): the name as typed, why it failed and when — nothing else — plus
each name's run of failures in a row, which the login lockout reads. The next successful
login moves the failures into the audit chain and removes them from the file.

The file is not authenticated (no key exists before a login): whoever can write the data
folder can delete it and so clear a lockout or hide failures that were not yet audited. It
slows down guessing at the keyboard; it does not stop someone who has copied the folder
(argon2id and the password do that).
"""

from __future__ import annotations

import json
import logging
import threading
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from caseworker.store.files import atomic_write

FORMAT = "caseworker-failed-logins"
VERSION = 1
log = logging.getLogger(__name__)
_lock = threading.Lock()  # the login runs on the write lane; the lock screen may too


def name_key(username: str) -> str:
    """How names are told apart, as the key file does: NFC, trimmed, case folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", username).strip().casefold())


@dataclass(frozen=True)
class FailedLogin:
    id: str
    username: str  # as typed (trimmed)
    reason: str  # "wrong_password" | "unknown_user" | "inactive"
    at: datetime


@dataclass(frozen=True)
class Streak:
    """Failures in a row for one name, and the time of the last one."""

    count: int
    last_at: datetime


@dataclass
class FailedLogins:
    failures: list[FailedLogin] = field(default_factory=list)  # not yet in the audit chain
    streaks: dict[str, Streak] = field(default_factory=dict)  # by name_key

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "failures": [
                {"id": f.id, "username": f.username, "reason": f.reason, "at": f.at.isoformat()}
                for f in self.failures
            ],
            "streaks": {
                key: {"count": s.count, "last_at": s.last_at.isoformat()}
                for key, s in self.streaks.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FailedLogins:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a failed-logins file of this version")
        failures = [
            FailedLogin(
                str(f["id"]), str(f["username"]), str(f["reason"]), datetime.fromisoformat(f["at"])
            )
            for f in data["failures"]
        ]
        streaks = {
            str(key): Streak(int(s["count"]), datetime.fromisoformat(s["last_at"]))
            for key, s in data["streaks"].items()
        }
        return cls(failures, streaks)


def load(path: Path) -> FailedLogins:
    """What the file holds; a missing or unreadable file is an empty record (logged)."""
    try:
        return FailedLogins.from_json(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        return FailedLogins()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("failed-logins file unreadable, starting afresh: %s", type(error).__name__)
        return FailedLogins()


def _save(path: Path, record: FailedLogins) -> None:
    if not record.failures and not record.streaks:
        path.unlink(missing_ok=True)
        return
    # mkstemp creates the temporary file 0600 and os.replace keeps that mode.
    atomic_write(path, (json.dumps(record.to_json(), ensure_ascii=False) + "\n").encode())


def add_failure(path: Path, username: str, reason: str, at: datetime) -> Streak:
    """Keep one failure and lengthen that name's run; returns the run."""
    with _lock:
        record = load(path)
        name = username.strip()
        record.failures.append(FailedLogin(str(uuid.uuid4()), name, reason, at))
        previous = record.streaks.get(name_key(name))
        streak = Streak((previous.count if previous else 0) + 1, at)
        record.streaks[name_key(name)] = streak
        _save(path, record)
        return streak


def streak_of(path: Path, username: str) -> Streak | None:
    return load(path).streaks.get(name_key(username))


def forget(path: Path, audited: list[FailedLogin], username: str) -> None:
    """After a successful login: drop the failures now in the audit chain and the run of the
    operator who got in (failures typed meanwhile, on another window, stay)."""
    with _lock:
        record = load(path)
        done = {f.id for f in audited}
        record.failures = [f for f in record.failures if f.id not in done]
        record.streaks.pop(name_key(username), None)
        _save(path, record)

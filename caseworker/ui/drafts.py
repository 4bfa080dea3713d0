"""Unsaved form work kept on disk, encrypted, so a crash or a power cut loses nothing typed.

Drafts hold personal data (names, ID numbers, bank accounts) next to a database that is
encrypted whole, so they are encrypted too: AES-256-GCM under a key derived (HKDF-SHA256)
from the centre's database key, which only a logged-in operator holds. Each file is
``drafts/<uuid>.draft`` = version byte + 12-byte nonce + ciphertext; the draft id and the
version are the associated data, so a file renamed to another draft's name does not open.

No Qt here: the form debounces and calls ``DraftStore.save``; this module only reads and
writes files (atomically, through a temporary file and ``os.replace``).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker.paths import DataPaths

FORMAT_VERSION = 1
if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession

ENROLMENT = "enrolment"  # the kind of the enrolment form's drafts
SUFFIX = ".draft"
_HKDF_INFO = b"caseworker/drafts/v1"
_NONCE_BYTES = 12


class DraftError(Exception):
    """A draft file that cannot be read with this key (damaged, or another centre's)."""


@dataclass(frozen=True)
class DraftInfo:
    """What the login screen shows when offering a draft back."""

    draft_id: uuid.UUID
    kind: str  # the form that wrote it, e.g. "enrolment"
    saved_at: datetime
    operator: str
    summary: str  # e.g. "单雄信 3205**********0016"; never the full ID number


def draft_key(database_key: bytes) -> bytes:
    """A key used for nothing but drafts: a leaked draft key reveals no database page."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        database_key
    )


class DraftStore:
    def __init__(self, paths: DataPaths, database_key: bytes) -> None:
        self.folder = paths.drafts
        self._aead = AESGCM(draft_key(database_key))

    def _path(self, draft_id: uuid.UUID) -> Path:
        return self.folder / f"{draft_id}{SUFFIX}"

    @staticmethod
    def _aad(draft_id: uuid.UUID) -> bytes:
        return bytes([FORMAT_VERSION]) + draft_id.bytes

    def save(
        self,
        draft_id: uuid.UUID,
        *,
        kind: str,
        operator: str,
        summary: str,
        data: dict[str, Any],
    ) -> Path:
        """Write (or replace) one draft; a reader never sees half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        document = {
            "kind": kind,
            "saved_at": datetime.now(UTC).isoformat(),
            "operator": operator,
            "summary": summary,
            "data": data,
        }
        plain = json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = (
            bytes([FORMAT_VERSION]) + nonce + self._aead.encrypt(nonce, plain, self._aad(draft_id))
        )
        path = self._path(draft_id)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())  # the point of a draft is to outlive a power cut
        os.replace(temporary, path)
        return path

    def _read(self, draft_id: uuid.UUID) -> dict[str, Any]:
        try:
            sealed = self._path(draft_id).read_bytes()
        except FileNotFoundError:
            raise DraftError(f"no draft {draft_id}") from None
        if len(sealed) < 1 + _NONCE_BYTES or sealed[0] != FORMAT_VERSION:
            raise DraftError(f"draft {draft_id} is not in a format this version reads")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, body, self._aad(draft_id))
        except InvalidTag:
            raise DraftError(f"draft {draft_id} is damaged or belongs to another centre") from None
        return json.loads(plain)

    def load(self, draft_id: uuid.UUID) -> dict[str, Any]:
        """The form data saved in the draft; raises DraftError."""
        return self._read(draft_id)["data"]

    def info(self, draft_id: uuid.UUID) -> DraftInfo:
        document = self._read(draft_id)
        return DraftInfo(
            draft_id=draft_id,
            kind=document["kind"],
            saved_at=datetime.fromisoformat(document["saved_at"]),
            operator=document["operator"],
            summary=document["summary"],
        )

    def pending_of(self, kind: str, operator: str) -> list[DraftInfo]:
        """One operator's drafts of one kind, newest first (every operator's drafts share the
        centre's key: the name tells them apart)."""
        mine = operator.casefold()
        return [d for d in self.pending(kind) if d.operator.casefold() == mine]

    def pending(self, kind: str | None = None) -> list[DraftInfo]:
        """Readable drafts, newest first. Unreadable files are skipped, not deleted: they may
        belong to a restored backup of another key, and deleting evidence helps nobody."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                draft_id = uuid.UUID(path.stem)
                info = self.info(draft_id)
            except (ValueError, DraftError, KeyError, json.JSONDecodeError):
                continue
            if kind is None or info.kind == kind:
                found.append(info)
        return sorted(found, key=lambda info: info.saved_at, reverse=True)

    def delete(self, draft_id: uuid.UUID) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(draft_id).unlink()


def enrolment_drafts_of(session: OpenSession) -> list[DraftInfo]:
    """The logged-in operator's enrolment drafts left by a crash, a closed window or the idle
    lock, newest first (offered back after login)."""
    store = DraftStore(session.database.paths, session.database_key)
    return store.pending_of(ENROLMENT, session.actor.username)

"""The key file beside the database: one random database key in several key slots, and
each operator's own audit signing key.

The SQLCipher database key is 32 random bytes nobody ever types. It is wrapped with
AES-256-GCM once per operator, under a key derived from that operator's password with
argon2id, and once under the recovery key shown at setup (as LUKS key slots do). Logging in
unwraps one slot; changing a password rewraps one slot. Changes are made in memory and
written by ``save()``, atomically, keeping the previous file as ``<name>.bak``.

Since version 2 an operator's slot also holds that operator's Ed25519 audit signing key: a
second AES-GCM ciphertext under the same password-derived key, with its own nonce and
associated data of kind ``signing``. It is never derivable from the database key, so holding
the database key is not enough to sign as an operator. The slot's public key and the audit
sequence it signs from (``valid_from_seq``) are bound into the associated data of both
ciphertexts: replacing either in the file makes that operator's login fail.

File format (JSON, UTF-8; binary fields are standard base64)::

    {"format": "caseworker-keyfile", "version": 2,
     "file_id": "<uuid4>", "created_at": "2024-05-01T08:00:00Z",
     "centre": {"code": "...", "name": "..."},          # public, shown before login
     "key_check": "<b64 HMAC-SHA256(db key, header)>",  # proves an unwrapped key is ours
     "slots": [
       {"kind": "recovery", "kdf": {"name": "hkdf-sha256"},
        "salt": "<16 bytes>", "nonce": "<12 bytes>", "wrapped_key": "<32 + 16 tag>"},
       {"kind": "password", "username": "张三",
        "kdf": {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2},
        "salt": "...", "nonce": "...", "wrapped_key": "...",
        "public_key": "<32 bytes>", "valid_from_seq": 1,              # since version 2
        "signing_nonce": "<12 bytes>", "wrapped_signing_key": "<32 + 16 tag>"}]}

The GCM associated data of a slot is ``[format, 1, file_id, kind, username casefolded]``
(version-1 slots and the recovery slot) or ``[format, 2, file_id, kind, username casefolded,
public key, valid_from_seq]`` (slots with a signing key; kind ``signing`` for the signing
key), so a slot copied to another operator or into another file does not open. A version-1
file loads; its slots get a signing key when their operator next logs in.
``key_check`` covers the header (file id, centre, created_at), so an edited header is
reported as damage once any slot is opened. Passwords are NFC-normalised, then UTF-8.
The recovery key carries ~200 random bits, so a fast KDF (HKDF) is enough for it.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker.store.files import atomic_write as _atomic_write
from caseworker.store.key_errors import (
    DamagedKeyFile,
    InvalidUsername,
    KeyFileError,
    KeyFileExists,
    KeyFileMissing,
    OperatorExists,
    UnknownOperator,
    WeakPassword,
    WrongDatabaseKey,
    WrongPassword,
    WrongRecoveryKey,
)
from caseworker.store.recovery_key import (
    CROCKFORD,
    RECOVERY_DATA_CHARS,
    RECOVERY_GROUPS,
    new_recovery_key,
    normalise_recovery_key,
)

__all__ = [  # the errors and the recovery key live apart; callers import them from here
    "CROCKFORD",
    "RECOVERY_DATA_CHARS",
    "RECOVERY_GROUPS",
    "DamagedKeyFile",
    "InvalidUsername",
    "KeyFileError",
    "KeyFileExists",
    "KeyFileMissing",
    "OperatorExists",
    "UnknownOperator",
    "WeakPassword",
    "WrongDatabaseKey",
    "WrongPassword",
    "WrongRecoveryKey",
    "new_recovery_key",
    "normalise_recovery_key",
]

FORMAT = "caseworker-keyfile"
VERSION = 2
READABLE_VERSIONS = (1, 2)
# The header check and the slots without a signing key keep the version-1 binding, so files
# written before signing keys existed open unchanged.
_V1 = 1
# Measured ~0.11 s per derivation on a 2-core build machine. Tests lower this.
DEFAULT_ARGON2: dict[str, int] = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2}
# Upper bounds keep an edited file from making the app allocate or spin without end.
_ARGON2_LIMITS = {"time_cost": 64, "memory_cost": 1024 * 1024, "parallelism": 16}
_SLOT_KEYS = {"kind", "username", "kdf", "salt", "nonce", "wrapped_key"}
_SIGNING_KEYS = {"public_key", "valid_from_seq", "signing_nonce", "wrapped_signing_key"}


def new_database_key() -> bytes:
    return secrets.token_bytes(32)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _clean_username(username: str) -> str:
    name = _nfc(username).strip()
    # Categories C* (control, format, unassigned) and Z* other than the plain space.
    bad = any(unicodedata.category(c)[0] in "CZ" and c != " " for c in name)
    if bad or not 1 <= len(name) <= 32:
        raise InvalidUsername()
    return name


def _lookup(username: str) -> str:
    return _nfc(_nfc(username).strip().casefold())


def password_problem(password: str, username: str | None = None) -> str | None:
    """The minimum password policy: a Chinese message saying what is wrong, or None."""
    password = _nfc(password)
    if len(password) < 8:
        return "密码至少需要8个字符。"
    if len(set(password)) == 1:
        return "密码不能全是同一个字符。"
    if username is not None and _lookup(password) == _lookup(username):
        return "密码不能与用户名相同。"
    return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def raw_public_key(key: Ed25519PrivateKey) -> bytes:
    # The *_raw methods need no import of the serialization package (its SSH support is a
    # good part of the key slot's import at every login).
    return key.public_key().public_bytes_raw()


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes_raw()


@dataclass
class Slot:
    kind: str  # "password" or "recovery"
    username: str | None
    kdf: dict[str, Any]
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    # The operator's audit signing key (password slots since version 2; None before).
    public_key: bytes | None = None
    valid_from_seq: int | None = None
    signing_nonce: bytes | None = None
    wrapped_signing_key: bytes | None = None

    @property
    def has_signing_key(self) -> bool:
        return self.public_key is not None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "username": self.username, "kdf": self.kdf}
        data |= {k: _b64(getattr(self, k)) for k in ("salt", "nonce", "wrapped_key")}
        if self.has_signing_key:
            data["valid_from_seq"] = self.valid_from_seq
            data |= {
                k: _b64(getattr(self, k))
                for k in ("public_key", "signing_nonce", "wrapped_signing_key")
            }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        if not isinstance(data, dict) or not set(data) <= _SLOT_KEYS | _SIGNING_KEYS:
            raise ValueError("slot")
        kind, username, kdf = data["kind"], data.get("username"), data["kdf"]
        if not isinstance(kdf, dict):
            raise ValueError("kdf")
        if kind == "password" and isinstance(username, str) and kdf.get("name") == "argon2id":
            if set(kdf) != {"name", *_ARGON2_LIMITS} or not all(
                type(kdf[k]) is int and 1 <= kdf[k] <= top for k, top in _ARGON2_LIMITS.items()
            ):
                raise ValueError("argon2 parameters")
            if kdf["memory_cost"] < 8 * kdf["parallelism"]:
                raise ValueError("argon2 memory")
            _clean_username(username)
        elif not (kind == "recovery" and username is None and kdf == {"name": "hkdf-sha256"}):
            raise ValueError("slot kind")
        raw = {
            k: base64.b64decode(data[k], validate=True) for k in ("salt", "nonce", "wrapped_key")
        }
        if [len(raw[k]) for k in ("salt", "nonce", "wrapped_key")] != [16, 12, 48]:
            raise ValueError("slot sizes")
        slot = cls(kind, username, kdf, **raw)
        present = set(data) & _SIGNING_KEYS
        if present:
            if present != _SIGNING_KEYS or kind != "password":
                raise ValueError("signing key fields")
            seq = data["valid_from_seq"]
            if type(seq) is not int or not 1 <= seq < 2**62:
                raise ValueError("valid_from_seq")
            signing = {
                k: base64.b64decode(data[k], validate=True)
                for k in ("public_key", "signing_nonce", "wrapped_signing_key")
            }
            if [len(v) for v in signing.values()] != [32, 12, 48]:
                raise ValueError("signing key sizes")
            slot.valid_from_seq = seq
            slot.public_key = signing["public_key"]
            slot.signing_nonce = signing["signing_nonce"]
            slot.wrapped_signing_key = signing["wrapped_signing_key"]
        return slot


@dataclass(frozen=True)
class Unlocked:
    """What an operator's password opens: the database key and (since v2) the signing key."""

    username: str
    database_key: bytes = field(repr=False)
    signing_key: Ed25519PrivateKey | None = field(repr=False)
    public_key: bytes | None
    valid_from_seq: int | None
    # Kept so a version-1 slot can be given a signing key at login without a second argon2.
    _wrapping_key: bytes = field(repr=False, compare=False)


@dataclass
class KeyFile:
    path: Path
    file_id: str
    centre_code: str
    centre_name: str
    created_at: str
    key_check: bytes
    slots: list[Slot] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        database_key: bytes,
        recovery_key: str,
        centre_code: str,
        centre_name: str,
    ) -> KeyFile:
        """Write a new key file with only the recovery slot; never overwrites one."""
        path = Path(path)
        if path.exists():
            raise KeyFileExists(message_en=f"The key file {path} already exists.")
        if len(database_key) != 32:
            raise ValueError("the database key must be 32 bytes")
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        kf = cls(path, str(uuid.uuid4()), centre_code, centre_name, created, b"")
        kf.key_check = kf._key_check(database_key)
        kf.replace_recovery_key(recovery_key, database_key)
        kf.save()
        return kf

    @classmethod
    def load(cls, path: Path | str) -> KeyFile:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise KeyFileMissing(message_en=f"The key file {path} is missing.") from None
        try:
            data = json.loads(raw.decode("utf-8"))
            if data["format"] != FORMAT or type(data["version"]) is not int:
                raise ValueError("not a key file")
            if data["version"] not in READABLE_VERSIONS:
                raise ValueError("format or version")
            kf = cls(
                path,
                str(uuid.UUID(data["file_id"])),
                data["centre"]["code"],
                data["centre"]["name"],
                data["created_at"],
                base64.b64decode(data["key_check"], validate=True),
                [Slot.from_json(s) for s in data["slots"]],
            )
            texts = (kf.file_id, kf.centre_code, kf.centre_name, kf.created_at)
            if data["file_id"] != kf.file_id or not all(isinstance(t, str) for t in texts):
                raise ValueError("header")
            _canonical(texts)  # lone surrogates would only fail later, at unlock
            names = [_lookup(s.username or "") for s in kf.slots]
            if len(kf.key_check) != 32 or len(set(names)) != len(names) or "" not in names:
                raise ValueError("slots")  # exactly one recovery slot, no duplicate operators
        except (ValueError, KeyError, TypeError, AttributeError, KeyFileError) as error:
            raise DamagedKeyFile(message_en=f"The key file {path} is damaged: {error}") from error
        return kf

    # -- reading ---------------------------------------------------------------------------

    def operators(self) -> list[str]:
        return [s.username for s in self.slots if s.username is not None]

    def has_operator(self, username: str) -> bool:
        """Whether a slot of that name exists (for the audit of a failed login, never shown)."""
        return self._find(username) is not None

    def unlock(self, username: str, password: str) -> bytes:
        """The database key; WrongPassword alike for an unknown name and a wrong password."""
        return self.unlock_operator(username, password).database_key

    def unlock_operator(self, username: str, password: str) -> Unlocked:
        """The database key and the operator's signing key (None in a version-1 slot)."""
        slot = self._find(username)
        if slot is None:
            # Spend the same time as a real attempt so timing does not tell names apart.
            self._derive("argon2id", password, secrets.token_bytes(16), self._kdf_like())
            raise WrongPassword()
        wrapping_key = self._derive(slot.kdf["name"], password, slot.salt, slot.kdf)
        database_key = self._open(slot, wrapping_key)
        signing_key = None
        if slot.has_signing_key:
            assert slot.signing_nonce is not None and slot.wrapped_signing_key is not None
            try:
                raw = AESGCM(wrapping_key).decrypt(
                    slot.signing_nonce, slot.wrapped_signing_key, self._aad("signing", slot)
                )
                signing_key = Ed25519PrivateKey.from_private_bytes(raw)
            except (InvalidTag, ValueError):
                raise DamagedKeyFile(
                    message_en="The operator's signing key does not open."
                ) from None
            if raw_public_key(signing_key) != slot.public_key:
                raise DamagedKeyFile(message_en="The signing key does not match its public key.")
        return Unlocked(
            slot.username or "",
            database_key,
            signing_key,
            slot.public_key,
            slot.valid_from_seq,
            wrapping_key,
        )

    def public_key(self, username: str) -> tuple[bytes, int] | None:
        """The operator's public signing key and the audit seq it signs from (None: v1 slot).

        Bound into the slot's associated data: a key replaced here no longer opens the slot,
        so what this returns for an operator who can log in is that operator's key.
        """
        slot = self._require(username)
        if slot.public_key is None or slot.valid_from_seq is None:
            return None
        return slot.public_key, slot.valid_from_seq

    def signing_key_floor(self) -> int | None:
        """The lowest audit seq any slot signs from: entries from there on must be signed."""
        seqs = [s.valid_from_seq for s in self.slots if s.valid_from_seq is not None]
        return min(seqs) if seqs else None

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        text = normalise_recovery_key(recovery_key)
        slot = next(s for s in self.slots if s.kind == "recovery")
        try:
            return self._open(slot, self._derive("hkdf-sha256", text, slot.salt, slot.kdf))
        except WrongPassword:
            raise WrongRecoveryKey() from None

    # -- changing (in memory; call save()) -------------------------------------------------

    def add_operator(
        self,
        username: str,
        password: str,
        database_key: bytes,
        *,
        valid_from_seq: int = 1,
        signing_key: Ed25519PrivateKey | None = None,
        allow_weak: bool = False,
    ) -> bytes:
        """A slot with a signing key (new unless given) that signs from ``valid_from_seq``;
        returns its public key."""
        name = _clean_username(username)
        if self._find(name) is not None:
            raise OperatorExists(message_en=f"The operator {name} already exists.")
        self._check_key(database_key)
        self._check_password(password, name, allow_weak)
        signing = signing_key or Ed25519PrivateKey.generate()
        self.slots.append(
            self._wrap("password", name, password, database_key, (signing, valid_from_seq))
        )
        return raw_public_key(signing)

    def change_password(
        self, username: str, old_password: str, new_password: str, *, allow_weak: bool = False
    ) -> None:
        """The operator's own change: the same signing key, rewrapped under the new password."""
        unlocked = self.unlock_operator(username, old_password)
        slot = self._require(username)
        self._check_password(new_password, slot.username or "", allow_weak)
        signing = None
        if unlocked.signing_key is not None and unlocked.valid_from_seq is not None:
            signing = (unlocked.signing_key, unlocked.valid_from_seq)
        new = self._wrap("password", slot.username, new_password, unlocked.database_key, signing)
        self.slots[self.slots.index(slot)] = new

    def reset_password(
        self,
        username: str,
        new_password: str,
        database_key: bytes,
        *,
        valid_from_seq: int = 1,
        signing_key: Ed25519PrivateKey | None = None,
        allow_weak: bool = False,
    ) -> bytes:
        """An administrator sets another operator's password: the old signing key cannot be
        recovered without the old password, so the operator gets a new key pair, signing from
        ``valid_from_seq``. Returns the new public key (the old one stays in the database's
        key history to verify older entries)."""
        slot = self._require(username)
        self._check_key(database_key)
        self._check_password(new_password, slot.username or "", allow_weak)
        signing = signing_key or Ed25519PrivateKey.generate()
        new = self._wrap(
            "password", slot.username, new_password, database_key, (signing, valid_from_seq)
        )
        self.slots[self.slots.index(slot)] = new
        return raw_public_key(signing)

    def give_signing_key(self, unlocked: Unlocked, valid_from_seq: int) -> Ed25519PrivateKey:
        """Upgrade a version-1 slot at login: a new signing key under the same password."""
        slot = self._require(unlocked.username)
        if slot.has_signing_key:
            raise ValueError("the slot already holds a signing key")
        signing = Ed25519PrivateKey.generate()
        self.slots[self.slots.index(slot)] = self._seal(
            slot, unlocked._wrapping_key, unlocked.database_key, (signing, valid_from_seq)
        )
        return signing

    def remove_operator(self, username: str) -> None:
        self.slots.remove(self._require(username))

    def replace_recovery_key(self, recovery_key: str, database_key: bytes) -> None:
        self._check_key(database_key)
        new = self._wrap("recovery", None, normalise_recovery_key(recovery_key), database_key)
        self.slots = [new, *(s for s in self.slots if s.kind != "recovery")]

    def save(self) -> None:
        """Atomic: previous file to ``<name>.bak``, then temp file, fsync, os.replace."""
        data = {
            "format": FORMAT,
            "version": VERSION,
            "file_id": self.file_id,
            "created_at": self.created_at,
            "centre": {"code": self.centre_code, "name": self.centre_name},
            "key_check": _b64(self.key_check),
            "slots": [s.to_json() for s in self.slots],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if self.path.exists():
            # Both names hold a complete file at every moment, so a crash loses nothing.
            _atomic_write(self.path.with_name(self.path.name + ".bak"), self.path.read_bytes())
        _atomic_write(self.path, text.encode("utf-8"))

    # -- internals -------------------------------------------------------------------------

    def _find(self, username: str) -> Slot | None:
        key = _lookup(username)
        return next((s for s in self.slots if s.username and _lookup(s.username) == key), None)

    def _require(self, username: str) -> Slot:
        slot = self._find(username)
        if slot is None:
            raise UnknownOperator(message_en=f"No operator named {username}.")
        return slot

    def _kdf_like(self) -> dict[str, Any]:
        return next((s.kdf for s in self.slots if s.kind == "password"), _argon2_kdf())

    def _key_check(self, database_key: bytes) -> bytes:
        header = [FORMAT, _V1, self.file_id, self.centre_code, self.centre_name]
        return hmac.digest(database_key, _canonical([*header, self.created_at]), "sha256")

    def _check_key(self, database_key: bytes) -> None:
        if not hmac.compare_digest(self._key_check(database_key), self.key_check):
            raise WrongDatabaseKey()

    @staticmethod
    def _check_password(password: str, username: str, allow_weak: bool) -> None:
        problem = password_problem(password, username)
        if problem and not allow_weak:
            raise WeakPassword(problem)

    def _aad(self, kind: str, slot: Slot) -> bytes:
        name = _lookup(slot.username or "")
        if slot.public_key is None:
            return _canonical([FORMAT, _V1, self.file_id, kind, name])
        binding = [_b64(slot.public_key), slot.valid_from_seq]
        return _canonical([FORMAT, 2, self.file_id, kind, name, *binding])

    @staticmethod
    def _derive(kdf: str, secret: str, salt: bytes, params: dict[str, Any]) -> bytes:
        data = _nfc(secret).encode("utf-8")
        if kdf == "hkdf-sha256":
            return HKDF(hashes.SHA256(), 32, salt, b"caseworker recovery slot").derive(data)
        p = {k: params[k] for k in _ARGON2_LIMITS}
        try:
            return hash_secret_raw(data, salt, hash_len=32, type=Type.ID, **p)
        except HashingError as error:  # e.g. memory_cost this machine cannot give
            raise DamagedKeyFile(message_en=f"Cannot derive the key: {error}") from error

    def _wrap(
        self,
        kind: str,
        username: str | None,
        secret: str,
        database_key: bytes,
        signing: tuple[Ed25519PrivateKey, int] | None = None,
    ) -> Slot:
        kdf = _argon2_kdf() if kind == "password" else {"name": "hkdf-sha256"}
        salt = secrets.token_bytes(16)
        wrapping_key = self._derive(kdf["name"], secret, salt, kdf)
        empty = Slot(kind, username, kdf, salt, b"", b"")
        return self._seal(empty, wrapping_key, database_key, signing)

    def _seal(
        self,
        slot: Slot,
        wrapping_key: bytes,
        database_key: bytes,
        signing: tuple[Ed25519PrivateKey, int] | None,
    ) -> Slot:
        """A slot with the same name, KDF and salt, freshly encrypted under new nonces."""
        new = Slot(slot.kind, slot.username, slot.kdf, slot.salt, secrets.token_bytes(12), b"")
        aead = AESGCM(wrapping_key)
        if signing is not None:
            key, new.valid_from_seq = signing
            new.public_key = raw_public_key(key)
            new.signing_nonce = secrets.token_bytes(12)
            new.wrapped_signing_key = aead.encrypt(
                new.signing_nonce, _raw_private(key), self._aad("signing", new)
            )
        new.wrapped_key = aead.encrypt(new.nonce, database_key, self._aad(new.kind, new))
        return new

    def _open(self, slot: Slot, wrapping_key: bytes) -> bytes:
        try:
            aad = self._aad(slot.kind, slot)
            database_key = AESGCM(wrapping_key).decrypt(slot.nonce, slot.wrapped_key, aad)
        except InvalidTag:
            raise WrongPassword() from None
        try:
            self._check_key(database_key)
        except WrongDatabaseKey:
            # The slot opened but holds another key, or the header was edited.
            raise DamagedKeyFile(message_en="The key check does not match the header.") from None
        return database_key


def _argon2_kdf() -> dict[str, Any]:
    return {"name": "argon2id", **DEFAULT_ARGON2}

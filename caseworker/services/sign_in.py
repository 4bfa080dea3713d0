"""Logging in, the part both ways in share: the key slot, then one write transaction on a
DB-API connection.

``centre.login`` (the desktop app and most commands) runs ``sign_in`` on the connection under
a SQLAlchemy write session; the command line's quick look-up (``caseworker find``) runs it on
``store/direct.py``'s connection, without SQLAlchemy. Either way the same rules hold: a name
in its lockout wait is refused before any key derivation, a wrong password or an unknown name
is kept as a failed login, a disabled or unknown operator too; the kept failures go into the
audit chain (signed by the device) and the login itself is an audit entry signed by the
operator, whose version-1 key slot gets its signing key now.
"""

from __future__ import annotations

import base64
import unicodedata
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseworker.domain.audit_chain import DEVICE_SIGNER, new_entry
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Role
from caseworker.services.errors import ServiceError
from caseworker.services.login_guard import (
    FAILED_ACTION,
    FAILED_SIGNER_NAME,
    forget_failures,
    record_failure,
)
from caseworker.store import failed_logins
from caseworker.store.direct import DirectStore, audit_head, dbapi_of, insert_audit, open_direct
from caseworker.store.failed_logins import FailedLogin
from caseworker.store.keys import KeyFile, Unlocked, raw_public_key
from caseworker.store.marks import note_written
from caseworker.store.rows import datetime_value, new_id, uuid_of, uuid_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from caseworker.services.centre import OpenSession


class InactiveOperator(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "inactive",
            "该操作员账号已停用或不存在，请联系管理员。",
            "This operator account is disabled or unknown; ask an administrator.",
        )


def actor_of(
    operator: Any, centre: Any, device: Any, signing_key: Ed25519PrivateKey | None
) -> Actor:
    """Who acts, from the operator's, centre's and device's rows (models or plain rows)."""
    return Actor(
        operator_id=operator.id,
        username=operator.username,
        display_name=operator.display_name,
        role=Role(operator.role),
        centre_id=centre.id,
        centre_code=centre.code,
        centre_name=centre.name,
        device_id=device.id,
        device_number=device.device_number,
        signing_key=signing_key,
        agency=operator.agency,
    )


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    failures: list[FailedLogin]  # audited in the transaction: forgotten once it committed
    slot_changed: bool  # a version-1 slot got its signing key: save the key file


def complete_login(
    paths: DataPaths,
    username: str,
    attempted_at: datetime,
    key_file: KeyFile,
    unlocked: Unlocked,
    writing: Callable[[], AbstractContextManager[Any]],
    close: Callable[[], None],
) -> Actor:
    """``sign_in`` in the transaction ``writing()`` gives (a DB-API connection), then what
    follows the commit; on any failure ``close()`` the store, and a disabled operator is a
    failed login."""
    try:
        with writing() as connection:
            done = sign_in(connection, paths, key_file, unlocked, username)
        if done.slot_changed:
            key_file.save()  # the upgraded slot, once the database has its public key
    except BaseException as error:
        close()
        if isinstance(error, InactiveOperator):
            record_failure(paths, username, "inactive", attempted_at)
        raise
    forget_failures(paths, done.failures, username)
    return done.actor


def audit_kept_failures(
    connection: Any, paths: DataPaths, head: str
) -> tuple[list[FailedLogin], str]:
    """Move the kept failures into the audit chain after ``head``, on a DB-API connection in
    the caller's write transaction; returns them and the new head."""
    failures = failed_logins.load(paths.failed_logins).failures
    if not failures:
        return failures, head
    row = connection.execute("SELECT signing_key FROM device ORDER BY created_at LIMIT 1")
    found = row.fetchone()
    if found is None:
        raise ValueError("no device key to sign with")
    device_key = Ed25519PrivateKey.from_private_bytes(bytes(found[0]))
    for failure in failures:
        entry = new_entry(
            device_key,
            DEVICE_SIGNER,
            id=new_id(),
            prev_hash=head,
            operator_id=None,
            operator_name=FAILED_SIGNER_NAME,
            action=FAILED_ACTION,
            entity_type="operator",
            entity_id=None,
            detail={
                "username": failure.username,
                "reason": failure.reason,
                "failed_at": failure.at.isoformat(),
                "failure_id": failure.id,
            },
        )
        insert_audit(connection, entry)
        head = entry["hash"]
    return failures, head


def audit_failures(session: Session, paths: DataPaths) -> list[FailedLogin]:
    """``audit_kept_failures`` in an ORM write session (the recovery key's login)."""
    connection = dbapi_of(session)
    head = session.info.get("audit_head") or audit_head(connection)
    failures, head = audit_kept_failures(connection, paths, head)
    if failures:
        session.info["audit_head"] = head
        note_written(session)
    return failures


def _one(connection: Any, sql: str, parameters: tuple[Any, ...]) -> SimpleNamespace | None:
    cursor = connection.execute(sql, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    return SimpleNamespace(**dict(zip((c[0] for c in cursor.description), row, strict=True)))


def sign_in(
    connection: Any, paths: DataPaths, key_file: KeyFile, unlocked: Unlocked, username: str
) -> SignedIn:
    """The login's writes, in the caller's write transaction on ``connection``."""
    operator = _one(
        connection,
        "SELECT id, centre_id, username, display_name, role, agency, active FROM operator "
        "WHERE lower(username) = ?",
        (unicodedata.normalize("NFC", username).lower(),),
    )
    if operator is None or not operator.active:
        raise InactiveOperator()
    operator.id, operator.centre_id = uuid_of(operator.id), uuid_of(operator.centre_id)
    failures, head = audit_kept_failures(connection, paths, audit_head(connection))
    centre = _one(
        connection, "SELECT id, code, name FROM centre WHERE id = ?", (operator.centre_id.hex,)
    )
    if centre is None:
        raise LookupError("the operator's centre is missing")
    centre.id = uuid_of(centre.id)
    devices = connection.execute(
        "SELECT id, device_number FROM device WHERE centre_id = ?", (centre.id.hex,)
    ).fetchall()
    if len(devices) != 1:
        raise LookupError(f"expected one device of the centre, found {len(devices)}")
    device = SimpleNamespace(id=uuid_of(devices[0][0]), device_number=devices[0][1])
    signing_key, new_key = _signing_key(connection, key_file, unlocked, operator.id)
    actor = actor_of(operator, centre, device, signing_key)
    if new_key:  # the upgrade's own entry, the first signed with the new key
        head = _append(
            connection,
            actor,
            head,
            "operator.signing_key",
            {"public_key": b64(raw_public_key(signing_key))},
        )
    _append(connection, actor, head, "operator.login", {})
    return SignedIn(actor, failures, slot_changed=new_key)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _append(connection: Any, actor: Actor, head: str, action: str, detail: dict[str, Any]) -> str:
    assert actor.signing_key is not None
    entry = new_entry(
        actor.signing_key,
        str(actor.operator_id),
        id=new_id(),
        prev_hash=head,
        operator_id=actor.operator_id,
        operator_name=actor.username,
        action=action,
        entity_type="operator",
        entity_id=actor.operator_id,
        detail=detail,
    )
    insert_audit(connection, entry)
    return str(entry["hash"])


def _record_key(
    connection: Any, operator_id: uuid.UUID, public_key: bytes, valid_from: int
) -> None:
    connection.execute(
        "INSERT INTO operator_key (operator_id, valid_from_seq, public_key, created_at) "
        "VALUES (?, ?, ?, ?)",
        (uuid_value(operator_id), valid_from, public_key, datetime_value(datetime.now(UTC))),
    )


def _signing_key(
    connection: Any, key_file: KeyFile, unlocked: Unlocked, operator_id: uuid.UUID
) -> tuple[Ed25519PrivateKey, bool]:
    """The operator's signing key, and whether it is new (a version-1 slot gets one now: the
    password is known). Entries before it stay unsigned and ``audit verify`` reports them as
    written before signing keys. The key file is saved after the commit."""
    known = connection.execute(
        "SELECT valid_from_seq FROM operator_key WHERE operator_id = ? LIMIT 1",
        (operator_id.hex,),
    ).fetchone()
    if unlocked.signing_key is not None:
        if known is None and unlocked.public_key and unlocked.valid_from_seq:
            # The key file was saved but the database commit was lost: the slot (which only
            # this operator's password opens) is the authority on its own public key.
            _record_key(connection, operator_id, unlocked.public_key, unlocked.valid_from_seq)
        return unlocked.signing_key, False
    last = connection.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()[0]
    signing_key = key_file.give_signing_key(unlocked, int(last) + 1)
    _record_key(connection, operator_id, raw_public_key(signing_key), int(last) + 1)
    return signing_key, True


@dataclass
class DirectSession:
    """A login on the direct store (``store/direct.py``): what ``caseworker find`` works in."""

    store: DirectStore
    actor: Actor

    @property
    def database(self) -> DirectStore:  # what the store's warnings read (loss, marks_note)
        return self.store

    def close(self) -> None:
        self.store.close()


def login_direct(
    paths: DataPaths, username: str, attempted_at: datetime, key_file: KeyFile, unlocked: Unlocked
) -> DirectSession | OpenSession:
    """The login once the slot is open (``login_guard.unlock``), on the direct store; a file
    to be migrated is opened the full way instead (``centre.login_unlocked``)."""
    store = open_direct(paths, unlocked.database_key, key_file.file_id)
    if store is None:
        from caseworker.services.centre import login_unlocked

        return login_unlocked(paths, username, attempted_at, key_file, unlocked)
    actor = complete_login(
        paths, username, attempted_at, key_file, unlocked, store.writing, store.close
    )
    return DirectSession(store, actor)

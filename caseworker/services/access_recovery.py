"""Regaining access with the printed recovery key: an administrator who has lost their
password opens the store with it and sets a new one.

The recovery slot gives the database key, not the administrator's signing key (that was
wrapped under the forgotten password), so recovery rotates it: a new Ed25519 key in a new
slot, its public key appended to the key history (older entries verify with the old one).
No operator can sign the rotation — nobody's key is unlocked — so it is the device's
bookkeeping, signed with the device key, naming the recovery. From there the administrator
resets other operators' passwords as usual (each a rotation they sign).

What the county makes of it: a new key for a known operator is taken only with a rotation
entry signed by another pinned operator, or, signed by the device, once a county officer has
confirmed that very key out of band. So the recovery shows the new key's fingerprint
(``new_key_notice``) for the administrator to give the county by phone or on paper; until the
county runs ``device accept-key`` with it, batches are refused (``operator_key_changed``).
See docs/architecture.md ("Recovery").
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import func, select

from caseworker.domain.audit_chain import key_fingerprint
from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, actor_of
from caseworker.services.errors import PermissionDenied
from caseworker.services.journal import audit
from caseworker.services.login_guard import (
    Clock,
    check_not_locked,
    forget_failures,
    record_failure,
    utc_now,
)
from caseworker.services.operators import rotate_signing_key
from caseworker.services.sign_in import audit_failures
from caseworker.store.database import open_database
from caseworker.store.keys import KeyFile, WrongRecoveryKey
from caseworker.store.models import Centre, Device, Operator

RECOVERY_SIGNER_NAME = "recovery"


@dataclass(frozen=True)
class NewKeyNotice:
    """What the administrator gives the county after a recovery, for it to accept the key."""

    device_id: UUID
    username: str
    fingerprint: str
    message: str
    message_en: str


def new_key_notice(session: OpenSession) -> NewKeyNotice:
    """The recovered administrator's new signing key, as the county confirms it."""
    actor = session.actor
    assert actor.signing_key is not None  # recovery always gives one
    raw = actor.signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    fingerprint = key_fingerprint(raw)
    return NewKeyNotice(
        actor.device_id,
        actor.username,
        fingerprint,
        f"管理员 {actor.username} 的签名密钥已换发。新密钥指纹：{fingerprint}，设备编号："
        f"{actor.device_id}。请用电话或书面把这三项告知县级：县级核对后确认这把密钥，"
        "本机才能继续同步。",
        f"Administrator {actor.username} has a new signing key. Its fingerprint: "
        f"{fingerprint}; device id: {actor.device_id}. Give these three to the county by "
        "phone or on paper: this computer syncs again once the county has confirmed the key.",
    )


def recover_access(
    paths: DataPaths,
    recovery_key: str,
    username: str,
    new_password: str,
    *,
    allow_weak_password: bool = False,
    now: Clock = utc_now,
) -> OpenSession:
    """Open the store with the recovery key and give the named administrator a new password
    and a new signing key; returns their session. A wrong recovery key is a failed login."""
    attempted_at = now()
    check_not_locked(paths, username, attempted_at)
    key_file = KeyFile.load(paths.key_file)
    try:
        database_key = key_file.unlock_with_recovery(recovery_key)
    except WrongRecoveryKey:
        record_failure(paths, username, "wrong_recovery_key", attempted_at)
        raise
    database = open_database(paths, database_key, file_id=key_file.file_id)
    try:
        with database.writing() as session:
            operator = session.scalar(
                select(Operator).where(func.lower(Operator.username) == username.strip().lower())
            )
            if operator is None or not operator.active or operator.role != Role.ADMIN.value:
                raise PermissionDenied(
                    "not_admin",
                    f"恢复密钥只能用于管理员账号，“{username}”不是在用的管理员。"
                    "请填写一位管理员的用户名。",
                    f"The recovery key is for an administrator; {username} is not an active one.",
                )
            failures = audit_failures(session, paths)
            centre = session.get_one(Centre, operator.centre_id)
            device = session.scalars(select(Device).where(Device.centre_id == centre.id)).one()
            signing_key, valid_from = rotate_signing_key(
                session, None, operator, reason="recovery_key", signer_name=RECOVERY_SIGNER_NAME
            )
            actor = actor_of(operator, centre, device, signing_key)
            audit(
                session,
                actor,
                action="operator.recovered",
                entity_type="operator",
                entity_id=operator.id,
                detail={},
            )
            # The slot last, saved before the commit: if it fails, nothing changed.
            # The slot itself may have been lost with the password: then a new one.
            write_slot = (
                key_file.reset_password
                if key_file.has_operator(operator.username)
                else key_file.add_operator
            )
            write_slot(
                operator.username,
                new_password,
                database_key,
                valid_from_seq=valid_from,
                signing_key=signing_key,
                allow_weak=allow_weak_password,
            )
            key_file.save()
    except BaseException:
        database.close()
        raise
    forget_failures(paths, failures, username)
    return OpenSession(database, actor, database_key, key_file)

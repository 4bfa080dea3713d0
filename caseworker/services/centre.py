"""Setting up a centre, adding operators, and the database half of logging in (``login_unlocked``)."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.errors import InvalidValue
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Permission, Role
from caseworker.services.agency import check_agency_role, clean_agency
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.journal import audit, next_audit_seq, record_operator_key

# Logging in is ``services.login`` (the key half needs no SQLAlchemy); callers reach it here too.
from caseworker.services.login import login as login
from caseworker.services.sign_in import actor_of, b64, complete_login
from caseworker.store.database import Database, create_database, open_database
from caseworker.store.direct import dbapi_of
from caseworker.store.keys import (
    KeyFile,
    Unlocked,
    new_database_key,
    new_recovery_key,
    raw_public_key,
)
from caseworker.store.marks import note_written
from caseworker.store.models import Centre, Device, Operator


class SessionLocked(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "locked",
            "屏幕已锁定：请先输入密码解锁。",
            "The screen is locked; unlock it with your password first.",
        )


class _LockedStore:
    """Stands in for the database while a session is locked: nothing can reopen the file
    (the closed engine would, with the key it was made with), and a late background job
    is told why it cannot read."""

    loss = None

    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths

    def reading(self) -> Any:
        raise SessionLocked()

    writing = reading

    def close(self) -> None:
        pass


@dataclass
class OpenSession:
    """What logging in gives: the open database, who is acting, and the unwrapped key."""

    database: Database
    actor: Actor
    database_key: bytes
    key_file: KeyFile
    locked: bool = False

    def close(self) -> None:
        self.database.close()

    def lock(self) -> None:
        """The idle lock: close the store and let go of the keys this process can let go of
        (Python cannot wipe bytes; what is no longer referenced is freed)."""
        if self.locked:
            return
        paths = self.database.paths
        self.database.close()
        self.database = cast(Database, _LockedStore(paths))
        self.database_key = b""
        self.actor = replace(self.actor, signing_key=None)
        self.locked = True

    def resume(self, other: OpenSession) -> None:
        """The same operator back at the lock screen: take the freshly opened store in place,
        so every view holding this session carries on with it."""
        if other.actor.operator_id != self.actor.operator_id:
            raise ValueError("only the operator who locked the session resumes it")
        self.database, self.actor = other.database, other.actor
        self.database_key, self.key_file = other.database_key, other.key_file
        self.locked = False


@dataclass(frozen=True)
class SetupResult:
    session: OpenSession
    recovery_key: str


def _check_centre(code: str, name: str, device_number: int) -> list[InvalidValue]:
    errors = []
    if not 1 <= device_number <= 99:
        errors.append(
            InvalidValue(
                "device_number",
                "range",
                "本机编号应为1至99：同一服务中心的每台电脑各用一个编号，它是收据号的一部分。",
            )
        )
    if not (code.isascii() and code.isdigit() and 6 <= len(code) <= 12):
        errors.append(
            InvalidValue(
                "centre_code",
                "format",
                "服务中心代码应为6至12位数字（通常为乡镇街道的统计区划代码前9位）。",
            )
        )
    if not name.strip():
        errors.append(InvalidValue("centre_name", "empty", "请填写服务中心名称。"))
    return errors


def _new_device(centre: Centre, device_number: int) -> Device:
    signing = Ed25519PrivateKey.generate()
    return Device(
        centre_id=centre.id,
        device_number=device_number,
        name="本机",
        signing_key=signing.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        ),
        public_key=signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ),
    )


def setup_centre(
    paths: DataPaths,
    *,
    centre_code: str,
    centre_name: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str | None = None,
    township_code: str | None = None,
    allow_weak_password: bool = False,
    device_number: int = 1,
) -> SetupResult:
    """Create the key file, the encrypted database, the centre, this device and the first admin.

    ``device_number`` tells this computer apart from the centre's others (01–99): it is part of
    every receipt number, so two computers of one centre must not share it.
    """
    errors = _check_centre(centre_code, centre_name, device_number)
    if errors:
        raise ValidationFailed(errors)
    if paths.exists():
        raise ServiceError(
            "exists",
            f"数据文件夹 {paths.root} 中已有服务中心数据，不会覆盖。",
            f"The data folder {paths.root} already holds a centre; it will not be overwritten.",
        )
    paths.root.mkdir(parents=True, exist_ok=True)
    database_key = new_database_key()
    # The first administrator signs from the very first entry (the setup itself).
    admin_key = Ed25519PrivateKey.generate()
    recovery_key = new_recovery_key()
    key_file = KeyFile.create(
        paths.key_file,
        database_key=database_key,
        recovery_key=recovery_key,
        centre_code=centre_code,
        centre_name=centre_name.strip(),
    )
    try:
        key_file.add_operator(
            admin_username,
            admin_password,
            database_key,
            valid_from_seq=1,
            signing_key=admin_key,
            allow_weak=allow_weak_password,
        )
        key_file.save()
        database = create_database(paths, database_key)
    except BaseException:
        # Leave nothing half made: a key file without its database would block a retry.
        for leftover in (paths.key_file, paths.database):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    with database.writing() as session:
        centre = Centre(code=centre_code, name=centre_name.strip(), township_code=township_code)
        session.add(centre)
        session.flush()
        device = _new_device(centre, device_number)
        admin = Operator(
            centre_id=centre.id,
            username=unicodedata.normalize("NFC", admin_username.strip()),
            display_name=admin_display_name or admin_username,
            role=Role.ADMIN.value,
        )
        session.add_all([device, admin])
        session.flush()
        record_operator_key(session, admin.id, raw_public_key(admin_key), 1)
        actor = actor_of(admin, centre, device, admin_key)
        audit(
            session,
            actor,
            action="centre.setup",
            entity_type="centre",
            entity_id=centre.id,
            detail={
                "code": centre_code,
                "name": centre.name,
                "admin": admin.username,
                "public_key": b64(raw_public_key(admin_key)),
            },
        )
    return SetupResult(OpenSession(database, actor, database_key, key_file), recovery_key)


def login_unlocked(
    paths: DataPaths, username: str, attempted_at: datetime, key_file: KeyFile, unlocked: Unlocked
) -> OpenSession:
    """``login`` once the operator's key slot is open."""
    # A damaged file or a wrong key raises here, before any file is touched; a file behind
    # its high-water marks opens restricted (``database.loss``) so the operator can be told.
    database = open_database(paths, unlocked.database_key, file_id=key_file.file_id)
    actor = complete_login(
        paths, username, attempted_at, key_file, unlocked, lambda: _sql_of(database), database.close
    )
    return OpenSession(database, actor, unlocked.database_key, key_file)


@contextlib.contextmanager
def _sql_of(database: Database) -> Iterator[Any]:
    """A write session's DB-API connection; the marks follow what is written on it."""
    with database.writing() as session:
        yield dbapi_of(session)
        note_written(session)


def add_operator(
    session_: OpenSession,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    agency: str | None = None,
    allow_weak_password: bool = False,
) -> None:
    """A new operator: a key slot (with their own signing key) and a row, audited.

    ``agency`` is None for the centre's own staff, or the contracted agency's name; an
    agency's staff may only be clerks (``check_agency_role``)."""
    session_.actor.require(Permission.MANAGE_OPERATORS)
    username = unicodedata.normalize("NFC", username.strip())
    agency = clean_agency(agency)
    check_agency_role(role, agency)
    with session_.database.writing() as session:
        exists = session.scalar(
            select(Operator.id).where(func.lower(Operator.username) == username.lower())
        )
        if exists is not None:
            raise ValidationFailed(
                [InvalidValue("username", "exists", f"操作员“{username}”已存在，请换一个用户名。")]
            )
        operator = Operator(
            centre_id=session_.actor.centre_id,
            username=username,
            display_name=display_name or username,
            role=role.value,
            agency=agency,
        )
        session.add(operator)
        session.flush()
        signing_key = Ed25519PrivateKey.generate()
        public_key = raw_public_key(signing_key)
        audit(
            session,
            session_.actor,
            action="operator.add",
            entity_type="operator",
            entity_id=operator.id,
            detail={
                "username": username,
                "role": role.value,
                "agency": agency,
                "public_key": b64(public_key),
            },
        )
        valid_from = next_audit_seq(session)
        record_operator_key(session, operator.id, public_key, valid_from)
        # The key slot last: if it fails, the transaction rolls back and nothing is half added.
        session_.key_file.add_operator(
            username,
            password,
            session_.database_key,
            valid_from_seq=valid_from,
            signing_key=signing_key,
            allow_weak=allow_weak_password,
        )
        session_.key_file.save()


def find_operator(session: Session, username: str) -> Operator:
    """The operator of that name (case as the key file ignores it), or ``NotFound``."""
    operator = session.scalar(
        select(Operator).where(func.lower(Operator.username) == username.strip().lower())
    )
    if operator is None:
        raise NotFound("operator", f"找不到操作员“{username}”。", f"No operator {username!r}.")
    return operator


def get_operator(database: Database, username: str) -> Operator:
    with database.reading() as session:
        return find_operator(session, username)

"""Setting up a centre, adding operators, and logging in (which opens the database)."""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from caseworker.domain.errors import InvalidValue
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Permission, Role
from caseworker.services.errors import NotFound, ServiceError, ValidationFailed
from caseworker.services.journal import audit
from caseworker.store.database import Database, create_database, open_database
from caseworker.store.keys import KeyFile, new_database_key, new_recovery_key
from caseworker.store.models import Centre, Device, Operator


@dataclass
class OpenSession:
    """What logging in gives: the open database, who is acting, and the unwrapped key."""

    database: Database
    actor: Actor
    database_key: bytes
    key_file: KeyFile

    def close(self) -> None:
        self.database.close()


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


def _actor(session_operator: Operator, centre: Centre, device: Device) -> Actor:
    return Actor(
        operator_id=session_operator.id,
        username=session_operator.username,
        display_name=session_operator.display_name,
        role=Role(session_operator.role),
        centre_id=centre.id,
        centre_code=centre.code,
        centre_name=centre.name,
        device_id=device.id,
        device_number=device.device_number,
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
            admin_username, admin_password, database_key, allow_weak=allow_weak_password
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
        actor = _actor(admin, centre, device)
        audit(
            session,
            actor,
            action="centre.setup",
            entity_type="centre",
            entity_id=centre.id,
            detail={"code": centre_code, "name": centre.name, "admin": admin.username},
        )
    return SetupResult(OpenSession(database, actor, database_key, key_file), recovery_key)


def login(paths: DataPaths, username: str, password: str) -> OpenSession:
    """Unlock the database key with the operator's password and open (and migrate) the store."""
    key_file = KeyFile.load(paths.key_file)
    database_key = key_file.unlock(username, password)
    # A damaged file or a wrong key raises here, before any file is touched; a file behind
    # its high-water marks opens restricted (``database.loss``) so the operator can be told.
    database = open_database(paths, database_key, file_id=key_file.file_id)
    try:
        with database.writing() as session:
            operator = session.scalar(
                select(Operator).where(
                    func.lower(Operator.username) == unicodedata.normalize("NFC", username).lower()
                )
            )
            if operator is None or not operator.active:
                raise ServiceError(
                    "inactive",
                    "该操作员账号已停用或不存在，请联系管理员。",
                    "This operator account is disabled or unknown; ask an administrator.",
                )
            centre = session.get_one(Centre, operator.centre_id)
            device = session.scalars(select(Device).where(Device.centre_id == centre.id)).one()
            actor = _actor(operator, centre, device)
            audit(
                session,
                actor,
                action="operator.login",
                entity_type="operator",
                entity_id=operator.id,
                detail={},
            )
    except BaseException:
        database.close()
        raise
    return OpenSession(database, actor, database_key, key_file)


def add_operator(
    session_: OpenSession,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    allow_weak_password: bool = False,
) -> None:
    """A new operator: a key slot in the key file and a row in the database, audited."""
    session_.actor.require(Permission.MANAGE_OPERATORS)
    username = unicodedata.normalize("NFC", username.strip())
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
        )
        session.add(operator)
        session.flush()
        audit(
            session,
            session_.actor,
            action="operator.add",
            entity_type="operator",
            entity_id=operator.id,
            detail={"username": username, "role": role.value},
        )
        # The key slot last: if it fails, the transaction rolls back and nothing is half added.
        session_.key_file.add_operator(
            username, password, session_.database_key, allow_weak=allow_weak_password
        )
        session_.key_file.save()


def get_operator(database: Database, username: str) -> Operator:
    with database.reading() as session:
        operator = session.scalar(
            select(Operator).where(func.lower(Operator.username) == username.lower())
        )
    if operator is None:
        raise NotFound("operator", f"找不到操作员“{username}”。", f"No operator {username!r}.")
    return operator

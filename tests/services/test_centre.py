"""Setting up a centre and logging in: the key file opens the database, nothing else does."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login, setup_centre
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.store.keys import DamagedKeyFile, KeyFile, WrongPassword
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_login_opens_the_database_and_names_the_operator(centre: OpenSession):
    paths = centre.database.paths
    centre.close()
    session = login(paths, "CLERK", CLERK_PASSWORD)  # usernames are case-insensitive
    assert session.actor.username == "clerk"
    assert session.actor.role is Role.CLERK
    assert session.actor.centre_name == "玉山镇社会保障服务中心"
    session.close()


def test_wrong_password_changes_nothing(centre: OpenSession):
    paths = centre.database.paths
    centre.close()
    before = (_digest(paths.key_file), _digest(paths.database))
    for username, password in (("clerk", "wrong password"), ("nobody", CLERK_PASSWORD)):
        with pytest.raises(WrongPassword) as caught:
            login(paths, username, password)
        assert caught.value.message.startswith("用户名或密码不正确")
    assert (_digest(paths.key_file), _digest(paths.database)) == before


def test_damaged_key_file_is_reported_and_the_database_is_untouched(centre: OpenSession):
    paths = centre.database.paths
    centre.close()
    database_digest = _digest(paths.database)
    paths.key_file.write_text(paths.key_file.read_text()[:-40])
    with pytest.raises(DamagedKeyFile) as caught:
        login(paths, "admin", ADMIN_PASSWORD)
    assert "恢复密钥" in caught.value.message
    assert _digest(paths.database) == database_digest


def test_recovery_key_opens_the_database(data_paths: DataPaths):
    result = setup_centre(
        data_paths,
        centre_code="320281103",
        centre_name="青阳镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
    )
    result.session.close()
    key = KeyFile.load(data_paths.key_file).unlock_with_recovery(result.recovery_key.lower())
    assert key == result.session.database_key


def test_setup_refuses_an_existing_centre_and_bad_codes(centre: OpenSession, tmp_path):
    with pytest.raises(ServiceError) as caught:
        setup_centre(
            centre.database.paths,
            centre_code="320583101",
            centre_name="x",
            admin_username="admin2",
            admin_password=ADMIN_PASSWORD,
        )
    assert caught.value.code == "exists"
    with pytest.raises(ValidationFailed) as caught:
        setup_centre(
            DataPaths(tmp_path / "other"),
            centre_code="32A",
            centre_name=" ",
            admin_username="admin",
            admin_password=ADMIN_PASSWORD,
        )
    assert set(caught.value.by_field()) == {"centre_code", "centre_name"}
    assert not (tmp_path / "other" / "caseworker.keys").exists()


def test_device_number_is_checked_and_carried_into_receipts(tmp_path):
    with pytest.raises(ValidationFailed) as caught:
        setup_centre(
            DataPaths(tmp_path / "bad"),
            centre_code="320281103",
            centre_name="青阳镇社会保障服务中心",
            admin_username="admin",
            admin_password=ADMIN_PASSWORD,
            device_number=100,
        )
    assert set(caught.value.by_field()) == {"device_number"}
    assert not (tmp_path / "bad" / "caseworker.keys").exists()
    result = setup_centre(
        DataPaths(tmp_path / "second"),
        centre_code="320281103",
        centre_name="青阳镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
        device_number=2,
    )
    assert result.session.actor.device_number == 2
    result.session.close()


def test_only_admins_add_operators_and_names_are_unique(centre: OpenSession):
    with pytest.raises(ValidationFailed):
        add_operator(centre, username="Clerk", password="another pass 1", role=Role.CLERK)
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            add_operator(clerk, username="eve", password="eve password 1", role=Role.ADMIN)
    finally:
        clerk.close()
    assert "eve" not in KeyFile.load(centre.database.paths.key_file).operators()


def test_tampered_audit_entry_is_detected(centre: OpenSession):
    with centre.database.writing() as db:
        assert verify_audit_chain(db).ok
        db.execute(text("UPDATE audit_entry SET operator_name = 'mallory' WHERE seq = 2"))
    with centre.database.reading() as db:
        report = verify_audit_chain(db)
    assert not report.ok
    assert report.first_bad_seq == 2

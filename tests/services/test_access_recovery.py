"""Recovery with the printed key, end to end on a real centre: the administrator gets a new
password and a new signing key, the trail still verifies, and they reset the others."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from caseworker.domain.audit_chain import DEVICE_SIGNER
from caseworker.paths import DataPaths
from caseworker.services.access_recovery import recover_access
from caseworker.services.actor import Role
from caseworker.services.centre import login
from caseworker.services.errors import PermissionDenied
from caseworker.services.journal import verify_audit_chain
from caseworker.services.operators import reset_password
from caseworker.store.keys import KeyFile, WrongPassword, WrongRecoveryKey, new_recovery_key
from caseworker.store.models import AuditEntry, Operator, OperatorKey
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, ClosedCentre

NEW_ADMIN_PASSWORD = "recovered admin 1"


def _fingerprint(paths: DataPaths) -> str:
    return hashlib.sha256(paths.key_file.read_bytes()).hexdigest()


def test_the_recovery_key_gives_the_admin_a_new_password_and_key(closed_centre: ClosedCentre):
    paths = closed_centre.paths
    old_key = KeyFile.load(paths.key_file).public_key("admin")
    session = recover_access(paths, closed_centre.recovery_key, "Admin", NEW_ADMIN_PASSWORD)
    try:
        assert session.actor.username == "admin" and session.actor.role is Role.ADMIN
        with session.database.reading() as db:
            admin = db.scalar(select(Operator).where(Operator.username == "admin"))
            keys = db.scalars(select(OperatorKey).where(OperatorKey.operator_id == admin.id)).all()
            rotation, recovered = db.scalars(
                select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)
            ).all()[::-1]
            report = verify_audit_chain(db, KeyFile.load(paths.key_file))
        assert len(keys) == 2  # the old key stays to verify what it signed
        new_key = KeyFile.load(paths.key_file).public_key("admin")
        assert new_key != old_key and new_key[1] == recovered.seq
        assert (rotation.action, rotation.signer) == ("operator.key_rotated", DEVICE_SIGNER)
        assert rotation.detail["reason"] == "recovery_key"
        assert recovered.action == "operator.recovered" and recovered.signer == str(admin.id)
        assert report.ok, report.problem_en  # the clerk's entries and the admin's old ones

        # The administrator now sets the clerk's forgotten password too.
        reset_password(session, username="clerk", new_password="clerk again 12")
    finally:
        session.close()
    with pytest.raises(WrongPassword):
        login(paths, "admin", ADMIN_PASSWORD)
    login(paths, "admin", NEW_ADMIN_PASSWORD).close()
    login(paths, "clerk", "clerk again 12").close()


def test_a_wrong_recovery_key_is_a_failed_login_and_changes_nothing(closed_centre: ClosedCentre):
    paths = closed_centre.paths
    before = _fingerprint(paths)
    with pytest.raises(WrongRecoveryKey):
        recover_access(paths, new_recovery_key(), "admin", NEW_ADMIN_PASSWORD)
    assert _fingerprint(paths) == before
    session = login(paths, "admin", ADMIN_PASSWORD)
    try:
        with session.database.reading() as db:
            failed = db.scalar(
                select(AuditEntry).where(AuditEntry.action == "operator.login_failed")
            )
        assert failed.detail["reason"] == "wrong_recovery_key"
    finally:
        session.close()


def test_the_recovery_key_does_not_make_a_clerk_an_administrator(closed_centre: ClosedCentre):
    paths = closed_centre.paths
    before = _fingerprint(paths)
    with pytest.raises(PermissionDenied):
        recover_access(paths, closed_centre.recovery_key, "clerk", "taken over 1234")
    with pytest.raises(PermissionDenied):
        recover_access(paths, closed_centre.recovery_key, "nobody", "taken over 1234")
    assert _fingerprint(paths) == before
    login(paths, "clerk", CLERK_PASSWORD).close()  # the clerk's own password still works

"""The signed audit trail, played by someone who holds the database key (real SQLCipher files).

Every operator holds the database key; what they do not hold is another operator's signing
key, which only that operator's password unwraps from the key file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text, update

from caseworker.domain.audit_chain import entry_hash, sign_entry
from caseworker.paths import DataPaths
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login
from caseworker.services.errors import ServiceError
from caseworker.services.journal import audit_hash, verify_audit_chain
from caseworker.services.operators import change_password, reset_password
from caseworker.store import keys
from caseworker.store.database import Database
from caseworker.store.engine import open_engine
from caseworker.store.keys import KeyFile, WrongPassword, new_database_key, new_recovery_key
from caseworker.store.models import AuditEntry, OperatorKey
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from tests.upstream.harness import enrol_people


def _verify(session: OpenSession):
    with session.database.reading() as db:
        return verify_audit_chain(db, KeyFile.load(session.database.paths.key_file))


def _rehash_from(db, seq: int, sign=None) -> None:
    """What an attacker with the database key does after an edit: re-chain everything after."""
    entries = db.scalars(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq))
    previous = db.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq - 1))
    for entry in list(entries):
        entry.prev_hash = previous or entry.prev_hash
        entry.hash = audit_hash(entry)
        if sign is not None:
            entry.signature = sign(entry)
        previous = entry.hash


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


def test_every_entry_is_signed_and_verifies(centre: OpenSession, clerk: OpenSession):
    enrol_people(clerk, 2)
    report = _verify(clerk)
    assert report.ok and report.unsigned == 0 and report.entries >= 8
    with clerk.database.reading() as db:
        rows = db.execute(select(AuditEntry.signer, AuditEntry.operator_id)).all()
    assert all(signer == str(operator) for signer, operator in rows)


def test_an_entry_edited_with_the_database_key_and_rehashed_is_named(
    centre: OpenSession, clerk: OpenSession
):
    enrol_people(clerk, 3)
    with clerk.database.reading() as db:
        assert verify_audit_chain(db).ok
        target = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.create").order_by(AuditEntry.seq)
        ).first()
        seq, at = target.seq, target.at
    # The database key is all it takes to open the file and rewrite it through SQL.
    with clerk.database.writing() as db:
        db.execute(
            text("UPDATE audit_entry SET operator_name = 'admin' WHERE seq = :seq"), {"seq": seq}
        )
        _rehash_from(db, seq)
    report = _verify(clerk)
    assert not report.ok
    assert report.first_bad_seq == seq
    assert report.first_bad_at == at and report.first_bad_action == "person.create"
    assert report.problem.startswith("签名无效：此记录不是该操作员签署的")
    assert "database key" in report.problem_en


def test_stripping_signatures_is_no_way_out(centre: OpenSession, clerk: OpenSession):
    enrol_people(clerk, 1)
    with clerk.database.writing() as db:
        db.execute(update(AuditEntry).values(signature=None, signer=None))
    report = _verify(clerk)
    # Seq 1 was signed by the first administrator's key (bound to the key file): not "before keys".
    assert not report.ok and report.first_bad_seq == 1
    assert report.problem.startswith("签名缺失")


def test_resigned_with_the_attackers_key_is_found_against_the_key_file(
    centre: OpenSession, clerk: OpenSession
):
    enrol_people(clerk, 2)
    with clerk.database.reading() as db:
        tail = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(3)).all()
        assert {e.operator_name for e in tail} == {"clerk"}
        seq = tail[-1].seq
    forger = Ed25519PrivateKey.generate()
    with clerk.database.writing() as db:
        db.execute(
            text("UPDATE audit_entry SET detail = :detail WHERE seq = :seq"),
            {"detail": json.dumps({"note": "forged"}), "seq": seq},
        )
        _rehash_from(db, seq, sign=lambda e: sign_entry(forger, e.hash))
        for entry in db.scalars(
            select(AuditEntry).where(AuditEntry.operator_id == clerk.actor.operator_id)
        ):
            entry.signature = sign_entry(forger, entry.hash)  # all the clerk's entries
        # ... and the clerk's public key in the database replaced with the forger's.
        db.execute(
            update(OperatorKey)
            .where(OperatorKey.operator_id == clerk.actor.operator_id)
            .values(public_key=keys.raw_public_key(forger))
        )
    with clerk.database.reading() as db:
        # Signatures and keys in the database agree with each other now ...
        assert verify_audit_chain(db).ok
    # ... and the key file, which only the clerk's password could rewrite, says whose key it is.
    report = _verify(clerk)
    assert not report.ok and report.first_bad_seq is not None
    assert "密钥文件中的公钥不符" in report.problem
    assert report.first_bad_operator == "clerk"


def test_admin_password_reset_rotates_the_key_and_old_entries_still_verify(
    centre: OpenSession, clerk: OpenSession
):
    enrol_people(clerk, 1)
    old_public = KeyFile.load(centre.database.paths.key_file).public_key("clerk")
    clerk.close()
    with pytest.raises(ServiceError):
        reset_password(centre, username="admin", new_password="another admin 1")
    reset_password(centre, username="clerk", new_password="new clerk pass 1")
    key_file = KeyFile.load(centre.database.paths.key_file)
    new_public = key_file.public_key("clerk")
    assert new_public[0] != old_public[0] and new_public[1] > old_public[1]
    with pytest.raises(WrongPassword):
        key_file.unlock("clerk", CLERK_PASSWORD)
    again = login(centre.database.paths, "clerk", "new clerk pass 1")
    try:
        enrol_people(again, 1, start=5)
        report = _verify(again)
        assert report.ok, report.problem
        with again.database.reading() as db:
            history = db.execute(
                select(OperatorKey.valid_from_seq, OperatorKey.public_key)
                .where(OperatorKey.operator_id == again.actor.operator_id)
                .order_by(OperatorKey.valid_from_seq)
            ).all()
            rotation = db.scalar(
                select(AuditEntry).where(AuditEntry.action == "operator.key_rotated")
            )
        assert [h.public_key for h in history] == [old_public[0], new_public[0]]
        assert rotation.operator_name == "admin" and rotation.seq == new_public[1] - 1
        # The old key (kept in the .bak key file, with the old password) signs nothing new.
        backup = KeyFile.load(centre.database.paths.key_file.with_name("caseworker.keys.bak"))
        old_key = backup.unlock_operator("clerk", CLERK_PASSWORD).signing_key
        with again.database.writing() as db:
            last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
            last.signature = sign_entry(old_key, last.hash)
            seq = last.seq
        bad = _verify(again)
        assert not bad.ok and bad.first_bad_seq == seq
    finally:
        again.close()


def test_changing_ones_own_password_keeps_the_key(centre: OpenSession, clerk: OpenSession):
    before = KeyFile.load(centre.database.paths.key_file).public_key("clerk")
    change_password(clerk, old_password=CLERK_PASSWORD, new_password="changed pass 22")
    with pytest.raises(WrongPassword):
        change_password(clerk, old_password="wrong one 1", new_password="whatever 123")
    key_file = KeyFile.load(centre.database.paths.key_file)
    assert key_file.public_key("clerk") == before
    assert key_file.unlock_operator("clerk", "changed pass 22").public_key == before[0]
    assert _verify(clerk).ok


def test_a_public_key_replaced_in_the_key_file_breaks_that_login(
    centre: OpenSession, data_paths: DataPaths
):
    path = data_paths.key_file
    data = json.loads(path.read_text("utf-8"))
    slot = next(s for s in data["slots"] if s.get("username") == "clerk")
    slot["public_key"] = keys.base64.b64encode(
        keys.raw_public_key(Ed25519PrivateKey.generate())
    ).decode()
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(WrongPassword):
        KeyFile.load(path).unlock("clerk", CLERK_PASSWORD)
    assert KeyFile.load(path).unlock("admin", ADMIN_PASSWORD)


def _version_one_centre(paths: DataPaths, password: str) -> None:
    """A key file and database as written before signing keys: format 1, schema 0003."""
    paths.root.mkdir(parents=True)
    db_key = new_database_key()
    key_file = KeyFile.create(
        paths.key_file,
        database_key=db_key,
        recovery_key=new_recovery_key(),
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
    )
    key_file.slots.append(key_file._wrap("password", "admin", password, db_key))
    saved = keys.VERSION
    keys.VERSION = 1
    try:
        key_file.save()
    finally:
        keys.VERSION = saved
    database = Database(paths, open_engine(paths.database, db_key, create=True))
    database.upgrade("0003")
    centre_id, device_id, admin_id = (keys.uuid.uuid4() for _ in range(3))
    device_key = Ed25519PrivateKey.generate()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    with database.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO centre (id, code, name, created_at) VALUES (:id, :c, :n, :t)"),
            {"id": centre_id.hex, "c": "320583101", "n": "玉山镇", "t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO device (id, centre_id, device_number, name, signing_key, public_key,"
                " last_hlc, created_at) VALUES (:id, :c, 1, '本机', :sk, :pk, 0, :t)"
            ),
            {
                "id": device_id.hex,
                "c": centre_id.hex,
                "sk": keys._raw_private(device_key),
                "pk": keys.raw_public_key(device_key),
                "t": stamp,
            },
        )
        conn.execute(
            text(
                "INSERT INTO operator (id, centre_id, username, display_name, role, active,"
                " created_at) VALUES (:id, :c, 'admin', 'admin', 'admin', 1, :t)"
            ),
            {"id": admin_id.hex, "c": centre_id.hex, "t": stamp},
        )
        previous = "0" * 64
        for action in ("centre.setup", "operator.login"):
            entry = {
                "id": keys.uuid.uuid4(),
                "at": now,
                "operator_id": admin_id,
                "operator_name": "admin",
                "action": action,
                "entity_type": "centre",
                "entity_id": centre_id,
                "detail": {},
                "prev_hash": previous,
            }
            digest = entry_hash(**entry)
            conn.execute(
                text(
                    "INSERT INTO audit_entry (id, at, operator_id, operator_name, action,"
                    " entity_type, entity_id, detail, prev_hash, hash) VALUES (:id, :at, :op,"
                    " 'admin', :action, 'centre', :entity, '{}', :prev, :hash)"
                ),
                {
                    "id": entry["id"].hex,
                    "at": stamp,
                    "op": admin_id.hex,
                    "action": action,
                    "entity": centre_id.hex,
                    "prev": previous,
                    "hash": digest,
                },
            )
            previous = digest
    database.close()


def test_a_version_one_key_file_is_upgraded_at_login(data_paths: DataPaths):
    _version_one_centre(data_paths, ADMIN_PASSWORD)
    assert json.loads(data_paths.key_file.read_text("utf-8"))["version"] == 1
    session = login(data_paths, "admin", ADMIN_PASSWORD)
    try:
        data = json.loads(data_paths.key_file.read_text("utf-8"))
        assert data["version"] == 2
        slot = next(s for s in data["slots"] if s.get("username") == "admin")
        assert slot["valid_from_seq"] == 3 and "wrapped_signing_key" in slot
        add_operator(session, username="clerk", password=CLERK_PASSWORD, role=Role.CLERK)
        report = _verify(session)
        assert report.ok, report.problem
        assert report.unsigned == 2  # written before keys: reported as such, not as forged
        with session.database.reading() as db:
            actions = db.scalars(select(AuditEntry.action).where(AuditEntry.seq >= 3)).all()
        assert actions[:2] == ["operator.signing_key", "operator.login"]
    finally:
        session.close()
    # Logging in again keeps the same key (no second upgrade).
    again = login(data_paths, "admin", ADMIN_PASSWORD)
    try:
        assert KeyFile.load(data_paths.key_file).public_key("admin")[1] == 3
        assert _verify(again).ok
    finally:
        again.close()

"""Batches carry the audit trail; the county keeps each device's chain head and refuses a
batch that does not continue it. Real server over HTTP, SQLite and PostgreSQL; the attacker
holds the database key of a centre's own computer."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, func, select

from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login
from caseworker.services.journal import audit_hash, verify_audit_chain
from caseworker.services.operators import reset_password
from caseworker.store.keys import raw_public_key
from caseworker.store.models import AuditEntry, OutboxEntry, SyncBatch
from caseworker.sync.audit_check import compare_with_county
from caseworker.sync.batches import SyncError, audit_part, load_signer, seal_one
from caseworker.sync.protocol import (
    DEVICE_HEADER,
    SIGNATURE_HEADER,
    AuditSegment,
    BatchAnswer,
    BatchUpload,
    OperatorKeyWire,
)
from caseworker.sync.run import run_sync
from caseworker.upstream.admin import stats
from caseworker.upstream.db import open_upstream
from caseworker.upstream.intake import Refused, receive_batch
from caseworker.upstream.models import DeviceAuditEntry, DeviceAuditHead, OperatorKey
from tests.upstream.harness import (
    FAST_RETRY,
    Server,
    connect,
    enrol_people,
    new_centre,
    register_in_process,
)


def county(server: Server, session: OpenSession) -> dict:
    """What the county holds for this device: counts, its head, its entries, pinned keys."""
    db = open_upstream(server.db_url)
    try:
        counts = stats(db)
        with db.reading() as s:
            device = session.actor.device_id
            head = s.get(DeviceAuditHead, device)
            counts["head"] = (head.seq, head.hash) if head else None
            counts["entries"] = s.scalar(
                select(func.count()).where(DeviceAuditEntry.device_id == device)
            )
            counts["keys"] = sorted(
                (str(k.operator_id), k.valid_from_seq)
                for k in s.scalars(select(OperatorKey).where(OperatorKey.device_id == device))
            )
    finally:
        db.close()
    return counts


def holds_local_chain(session: OpenSession, head: tuple[int, str]) -> bool:
    """The county's head is an entry of the local chain (a pull may have added one since)."""
    with session.database.reading() as db:
        return db.scalar(select(AuditEntry.hash).where(AuditEntry.seq == head[0])) == head[1]


def test_the_county_follows_the_chain_and_finds_it_cut(server: Server, tmp_path: Path):
    admin = new_centre(tmp_path / "a")
    clerk = None
    try:
        connect(admin, server)
        add_operator(admin, username="clerk", password="clerk pass 22", role=Role.CLERK)
        clerk = login(admin.database.paths, "clerk", "clerk pass 22")
        enrol_people(clerk, 3)
        # Each person, its enrolment and the pension status it derives.
        assert run_sync(clerk.database, retry=FAST_RETRY).counts == {"accepted": 9}
        held = county(server, clerk)
        with clerk.database.reading() as db:
            batch = db.scalars(select(SyncBatch).order_by(SyncBatch.sealed_at)).first()
        # The county holds every entry up to the one sealed, and said so in its answer.
        assert held["head"][0] == batch.audit_last_seq
        assert held["entries"] == batch.audit_last_seq
        assert len(held["keys"]) == 2  # the administrator's and the clerk's, pinned
        assert compare_with_county(clerk.database, retry=FAST_RETRY).ok
        # The same bytes again get the stored answer, byte for byte, and change nothing.
        replay = httpx.put(
            f"{server.base}/v1/batches/{batch.id}",
            content=batch.body,
            headers={
                DEVICE_HEADER: str(clerk.actor.device_id),
                SIGNATURE_HEADER: base64.b64encode(batch.signature).decode(),
                "Content-Type": "application/json",
            },
        )
        assert replay.status_code == 200 and replay.content == batch.answer
        assert county(server, clerk) == held

        # An administrator resets the clerk's password: a new key, taken by the county as a
        # rotation signed by the administrator; the clerk's older entries keep their key.
        clerk.close()
        reset_password(admin, username="clerk", new_password="new clerk pass 1")
        clerk = login(admin.database.paths, "clerk", "new clerk pass 1")
        enrol_people(clerk, 1, start=10)
        assert run_sync(clerk.database, retry=FAST_RETRY).counts == {"accepted": 3}
        held = county(server, clerk)
        assert len(held["keys"]) == 3
        assert holds_local_chain(clerk, held["head"])
        assert compare_with_county(clerk.database, retry=FAST_RETRY).ok

        # Someone with the database key cuts the uploaded tail off. The chain that is left is
        # consistent in itself; only the county's head shows the cut, online and offline.
        county_seq = held["head"][0]
        with clerk.database.writing() as db:
            db.execute(delete(AuditEntry).where(AuditEntry.seq > county_seq - 3))
        with clerk.database.reading() as db:
            assert verify_audit_chain(db).ok
        for offline in (False, True):
            check = compare_with_county(clerk.database, offline=offline, retry=FAST_RETRY)
            assert not check.ok and check.mode == ("offline" if offline else "online")
            assert check.first_bad_seq == county_seq - 2  # the first entry gone
            assert check.message.startswith(f"记录被截断：县级已确认到第{county_seq}条")
    finally:
        if clerk is not None:
            clerk.close()
        admin.close()


def test_a_batch_that_does_not_continue_the_head_is_refused_whole(server: Server, tmp_path: Path):
    admin = new_centre(tmp_path / "a")
    try:
        connect(admin, server)
        enrol_people(admin, 2)
        run_sync(admin.database, retry=FAST_RETRY)
        held = county(server, admin)
        with admin.database.reading() as db:  # 2 persons, enrolments and pension statuses
            sent = db.scalar(select(func.max(OutboxEntry.seq)))
        assert sent == 6

        # 1. An unsent entry altered and re-hashed: the hash recomputes, the signature fails.
        enrol_people(admin, 1, start=5)
        with admin.database.writing() as db:
            last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
            original = (last.detail, last.hash)
            last.detail = {**last.detail, "note": "changed"}
            last.hash = audit_hash(last)
        with pytest.raises(SyncError) as stopped:
            run_sync(admin.database, retry=FAST_RETRY)
        assert stopped.value.code == "audit_signature_invalid"
        with admin.database.reading() as db:
            codes = set(db.scalars(select(OutboxEntry.result_code).where(OutboxEntry.seq > sent)))
            refused = db.scalars(select(SyncBatch).where(SyncBatch.state == "refused")).one()
        assert codes == {"audit_signature_invalid"}
        assert f"第{last.seq}条" in refused.last_error
        assert county(server, admin) == held  # no record, no entry, no head moved

        # Put back, the same entries go again (a refused batch's entries were not kept).
        with admin.database.writing() as db:
            entry = db.get_one(AuditEntry, last.seq)
            entry.detail, entry.hash = original
        run_sync(admin.database, retry=FAST_RETRY)
        held = county(server, admin)
        assert holds_local_chain(admin, held["head"]) and held["head"][0] >= last.seq

        # 2. An uploaded entry rewritten and the rest re-chained: the next batch does not
        #    continue the head the county holds.
        with admin.database.writing() as db:
            rows = db.scalars(
                select(AuditEntry).where(AuditEntry.seq >= 2).order_by(AuditEntry.seq)
            )
            previous = db.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 1))
            for row in list(rows):
                if row.seq == 2:
                    row.detail = {**row.detail, "note": "rewritten"}
                row.prev_hash = previous
                row.hash = audit_hash(row)
                previous = row.hash
        enrol_people(admin, 1, start=7)
        with pytest.raises(SyncError) as stopped:
            run_sync(admin.database, retry=FAST_RETRY)
        assert stopped.value.code == "audit_chain_broken"
        assert f"不接续县级已确认的链头（第{held['head'][0]}条）" in stopped.value.message
        assert "caseworker-upstream device accept-loss" in stopped.value.message
        with admin.database.reading() as db:
            waiting = set(
                db.scalars(
                    select(OutboxEntry.result_code).where(OutboxEntry.sync_state == "pending")
                )
            )
        # Not the records' fault: they wait, pending, for the chain to be put right.
        assert waiting == {"audit_chain_broken"}
        assert county(server, admin) == held
        check = compare_with_county(admin.database, retry=FAST_RETRY)
        assert not check.ok and check.first_bad_seq == 2
        assert check.message.startswith("第2条与县级确认的不一致")
        offline = compare_with_county(admin.database, offline=True)
        assert not offline.ok and offline.mode == "offline"
    finally:
        admin.close()


def _send(db, session: OpenSession, upload: BatchUpload | None = None) -> bytes:
    """Seal (or take the given upload, signed with the device key) and hand it to intake."""
    with session.database.writing() as local:
        signer = load_signer(local)
        if upload is None:
            batch = seal_one(local, signer)
            body, batch_id = batch.body, batch.id
        else:
            body, batch_id = upload.model_dump_json().encode(), upload.batch_id
        signature = base64.b64encode(signer.sign(body)).decode()
    return receive_batch(db, batch_id, body, str(session.actor.device_id), signature)


def test_a_changed_operator_key_is_refused(upstream_url: str, tmp_path: Path):
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        answer = BatchAnswer.model_validate_json(_send(db, admin))
        assert answer.audit_head is not None and answer.audit_head.seq >= 1
        enrol_people(admin, 1)
        with admin.database.reading() as local:
            segment = AuditSegment.model_validate_json(audit_part(local, 500_000).json)
        forged = base64.b64encode(raw_public_key(Ed25519PrivateKey.generate())).decode()
        admin_key = OperatorKeyWire(
            operator_id=admin.actor.operator_id,
            username="admin",
            public_key=forged,
            valid_from_seq=1,
        )
        later_key = admin_key.model_copy(update={"valid_from_seq": segment.entries[0].seq})
        for key, words in ((admin_key, "另一把"), (later_key, "另一位已登记的操作员")):
            before = county_state(db, admin)
            upload = BatchUpload(
                batch_id=uuid.uuid4(),
                device_id=admin.actor.device_id,
                centre_code=admin.actor.centre_code,
                sealed_at=datetime.now(UTC),
                records=[],
                audit=segment.model_copy(update={"operator_keys": [key]}),
            )
            with pytest.raises(Refused) as refused:
                _send(db, admin, upload)
            assert refused.value.status == 409 and refused.value.code == "operator_key_changed"
            assert words in refused.value.message
            assert county_state(db, admin) == before
        # The genuine segment goes through.
        good = BatchUpload(
            batch_id=uuid.uuid4(),
            device_id=admin.actor.device_id,
            centre_code=admin.actor.centre_code,
            sealed_at=datetime.now(UTC),
            records=[],
            audit=segment,
        )
        head = BatchAnswer.model_validate_json(_send(db, admin, good)).audit_head
        assert head == segment.head
    finally:
        db.close()
        admin.close()


def county_state(db, session: OpenSession) -> tuple:
    with db.reading() as s:
        device = session.actor.device_id
        head = s.get(DeviceAuditHead, device)
        return (
            (head.seq, head.hash) if head else None,
            s.scalar(select(func.count()).where(DeviceAuditEntry.device_id == device)),
            s.scalar(select(func.count()).where(OperatorKey.device_id == device)),
            stats(db)["batches"],
        )


def test_an_unsigned_entry_after_signing_began_is_refused(upstream_url: str, tmp_path: Path):
    admin = new_centre(tmp_path / "a")
    db = register_in_process(admin, upstream_url)
    try:
        _send(db, admin)  # the signed setup entry: from here on the county wants signatures
        enrol_people(admin, 1)
        with admin.database.reading() as local:
            segment = AuditSegment.model_validate_json(audit_part(local, 500_000).json)
        first = segment.entries[0].model_copy(update={"signature": None, "signer": None})
        stripped = segment.model_copy(update={"entries": [first, *segment.entries[1:]]})
        before = county_state(db, admin)
        upload = BatchUpload(
            batch_id=uuid.uuid4(),
            device_id=admin.actor.device_id,
            centre_code=admin.actor.centre_code,
            sealed_at=datetime.now(UTC),
            records=[],
            audit=stripped,
        )
        with pytest.raises(Refused) as refused:
            _send(db, admin, upload)
        assert refused.value.code == "audit_signature_invalid"
        assert f"审计记录第{first.seq}条没有签名" in refused.value.message
        assert county_state(db, admin) == before
    finally:
        db.close()
        admin.close()

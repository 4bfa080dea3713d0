"""A computer loses commits it had already uploaded (an old copy of its file put back), its
administrator accepts the loss, and the county re-anchors the device's audit chain: the
device syncs again, its chain continues from the shared entry, and no receipt number the
county holds is issued twice. Real SQLCipher files, the real server and both command lines;
SQLite and PostgreSQL counties."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.errors import ServiceError
from caseworker.services.journal import audit_hash
from caseworker.services.payments import record_payment
from caseworker.services.recovery import accept_loss
from caseworker.store.models import AuditEntry, OutboxEntry, SyncBatch
from caseworker.sync import batches
from caseworker.sync.audit_check import compare_with_county
from caseworker.sync.batches import SyncError
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import (
    CountyAudit,
    DeviceAuditEntry,
    DeviceAuditHead,
    DeviceAuditSuperseded,
    Payment,
)
from tests.conftest import TODAY
from tests.sync.test_cli_transfer import client, upstream
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, new_centre

PASSWORD = "admin password 1"
FILES = ("caseworker.db", "caseworker.db-wal", "caseworker.db-shm")


def _enrol_and_pay(session: OpenSession, count: int, start: int) -> list[str]:
    return [
        record_payment(
            session.database,
            session.actor,
            person_id=person,
            scheme="resident_pension",
            today=TODAY,
        ).receipt_number
        for person in enrol_people(session, count, start=start)
    ]


def _copy_store(source: Path, target: Path) -> None:
    """The database file and its WAL as they are (the engine closed), marks left alone."""
    target.mkdir(exist_ok=True)
    for name in FILES:
        (target / name).unlink(missing_ok=True)
        if (source / name).exists():
            shutil.copy2(source / name, target / name)


def _county(server: Server, device_id: uuid.UUID) -> dict:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as s:
            head = s.get(DeviceAuditHead, device_id)
            return {
                "head": (head.seq, head.hash) if head else None,
                "entries": dict(
                    s.execute(
                        select(DeviceAuditEntry.seq, DeviceAuditEntry.hash).where(
                            DeviceAuditEntry.device_id == device_id
                        )
                    ).all()
                ),
                "superseded": s.scalars(
                    select(DeviceAuditSuperseded.seq)
                    .where(DeviceAuditSuperseded.device_id == device_id)
                    .order_by(DeviceAuditSuperseded.seq)
                ).all(),
                "receipts": sorted(s.scalars(select(Payment.receipt_number)).all()),
                "county_audit": s.scalar(select(func.count()).select_from(CountyAudit)),
            }
    finally:
        db.close()


def _local_hashes(session: OpenSession) -> dict[int, str]:
    with session.database.reading() as db:
        return dict(db.execute(select(AuditEntry.seq, AuditEntry.hash)).all())


@pytest.mark.slow
@pytest.mark.parametrize("anchor", ["shared", "earlier"])
def test_a_device_that_lost_uploaded_commits_syncs_again_once_the_county_reanchors(
    server: Server, tmp_path: Path, anchor: str
):
    """``earlier``: the county re-anchors below what the device last sent; the device
    resends from the county's head (entries it holds again with the same hashes)."""
    home = tmp_path / "centre"
    paths = DataPaths(home)
    admin = new_centre(home)
    device_id = admin.actor.device_id
    connect(admin, server)
    _enrol_and_pay(admin, 2, start=0)
    run_sync(admin.database, retry=FAST_RETRY)
    first_head = _county(server, device_id)["head"][0]
    admin.close()
    _copy_store(home, tmp_path / "old copy")  # taken between the two syncs

    admin = login(paths, "admin", PASSWORD)
    lost_receipts = _enrol_and_pay(admin, 2, start=10)
    run_sync(admin.database, retry=FAST_RETRY)
    admin.close()
    before = _county(server, device_id)
    assert before["head"][0] > first_head
    assert set(lost_receipts) <= set(before["receipts"])

    # The old copy put back over the file; the marks outside it still hold the later state.
    _copy_store(tmp_path / "old copy", home)
    admin = login(paths, "admin", PASSWORD)
    try:
        assert admin.database.loss is not None
        with pytest.raises(ServiceError) as behind:
            _enrol_and_pay(admin, 1, start=20)
        assert behind.value.code == "store_behind"
        accept_loss(admin)
        after_loss = _enrol_and_pay(admin, 1, start=21)
    finally:
        admin.close()

    # The county refuses: the chain no longer continues its head. The operator is told
    # where the chains part and that the county must confirm and re-anchor.
    refused = client(home, "run")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "caseworker-upstream device accept-loss" in refused.stderr
    assert "ask the county" in refused.stderr
    shared = int(re.search(r"--from-seq (\d+)", refused.stderr).group(1))
    assert first_head <= shared < before["head"][0]
    assert f"第{shared + 1}条" in refused.stderr  # the first entry that differs, by number
    assert _county(server, device_id) == before  # nothing of the refused batch was kept
    admin = login(paths, "admin", PASSWORD)
    try:
        local = _local_hashes(admin)
        # Up to ``shared`` both hold the same entries; the next one differs.
        assert all(before["entries"][seq] == local[seq] for seq in range(1, shared + 1))
        assert before["entries"][shared + 1] != local[shared + 1]
        with admin.database.reading() as db:
            states = set(db.scalars(select(OutboxEntry.sync_state)))
        assert "rejected" not in states  # the records wait; they were not at fault
    finally:
        admin.close()

    # County staff find the device and re-anchor its chain at the shared entry (or before).
    from_seq = shared if anchor == "shared" else first_head - 1
    listing = upstream("device", "list", db=server.db_url)
    assert listing.returncode == 0
    assert str(device_id) in listing.stdout
    assert f"audit head {before['head'][0]} {before['head'][1][:12]}" in listing.stdout
    reanchored = upstream(
        "device",
        "accept-loss",
        str(device_id),
        "--from-seq",
        str(from_seq),
        "--by",
        "县社保局 李明",
        "--note",
        "玉山镇报告：恢复旧备份，第二次同步后的记录丢失",
        db=server.db_url,
    )
    assert reanchored.returncode == 0, reanchored.stderr
    assert f"第{from_seq + 1}条接续" in reanchored.stdout
    county = _county(server, device_id)
    assert county["head"] == (from_seq, before["entries"][from_seq])
    # The entries above it are kept for the record, out of the chain.
    assert county["superseded"] == list(range(from_seq + 1, before["head"][0] + 1))
    assert county["county_audit"] == before["county_audit"] + 1
    assert county["receipts"] == before["receipts"]

    synced = client(home, "run")
    assert synced.returncode == 0, synced.stderr
    admin = login(paths, "admin", PASSWORD)
    try:
        local = _local_hashes(admin)
        county = _county(server, device_id)
        head_seq, head_hash = county["head"]
        assert head_seq > shared and local[head_seq] == head_hash
        assert all(county["entries"][seq] == local[seq] for seq in range(1, head_seq + 1))
        assert compare_with_county(admin.database, retry=FAST_RETRY).ok
        with admin.database.reading() as db:
            states = set(db.scalars(select(OutboxEntry.sync_state)))
        assert states == {"accepted"}
    finally:
        admin.close()
    # The receipt issued after the loss reached the county, past every number it held.
    assert set(after_loss) <= set(county["receipts"])
    assert min(after_loss) > max(before["receipts"])
    assert len(county["receipts"]) == len(set(county["receipts"]))


def test_the_county_refuses_a_bad_reanchor_and_changes_nothing(server: Server, tmp_path: Path):
    admin = new_centre(tmp_path / "centre")
    device_id = admin.actor.device_id
    try:
        connect(admin, server)
        enrol_people(admin, 1)
        run_sync(admin.database, retry=FAST_RETRY)
    finally:
        admin.close()
    before = _county(server, device_id)
    head = before["head"][0]
    for device, from_seq, words in (
        (str(device_id), head + 3, f"须小于县级为该设备保存的链头（第{head}条）"),
        (str(device_id), head, f"must be below the head the county holds for this device ({head})"),
        (str(device_id), -1, "不小于0"),
        (str(uuid.uuid4()), 1, "县级没有登记编号为"),
        ("not-a-device", 1, "设备编号格式不对"),
    ):
        result = upstream(
            "device",
            "accept-loss",
            device,
            "--from-seq",
            str(from_seq),
            "--by",
            "李明",
            "--note",
            "test",
            db=server.db_url,
        )
        assert result.returncode == 1, (device, from_seq, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert _county(server, device_id) == before
    no_reason = upstream(
        "device",
        "accept-loss",
        str(device_id),
        "--from-seq",
        "1",
        "--by",
        "李明",
        "--note",
        " ",
        db=server.db_url,
    )
    assert no_reason.returncode == 1 and "--note" in no_reason.stderr
    assert _county(server, device_id) == before


def test_after_an_audit_refusal_every_unsent_batch_waits_and_goes_again(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The records of the refused batch and of the batches sealed after it go back to
    pending (not to the clerk's queue as rejected) and are sent once the chain is right."""
    admin = new_centre(tmp_path / "centre")
    try:
        connect(admin, server)
        enrol_people(admin, 1)
        run_sync(admin.database, retry=FAST_RETRY)
        with admin.database.reading() as db:  # the person, its enrolment and pension status
            sent = db.scalar(select(func.max(OutboxEntry.seq)))
        assert sent == 3
        before = _county(server, admin.actor.device_id)
        monkeypatch.setattr(batches, "MAX_BATCH_BYTES", 8_000)  # several batches
        enrol_people(admin, 4, start=5)
        first_unsent = before["head"][0] + 1
        with admin.database.writing() as db:  # the next entry no longer follows the head
            entry = db.get_one(AuditEntry, first_unsent)
            original = (entry.prev_hash, entry.hash)
            entry.prev_hash = "0" * 64
            entry.hash = audit_hash(entry)
        with pytest.raises(SyncError) as refused:
            run_sync(admin.database, retry=FAST_RETRY)
        assert refused.value.code == "audit_chain_broken"
        with admin.database.reading() as db:
            batch_states = db.scalars(select(SyncBatch.state)).all()
            waiting = db.execute(
                select(OutboxEntry.sync_state, OutboxEntry.batch_id).where(OutboxEntry.seq > sent)
            ).all()
        assert batch_states.count("refused") >= 2 and "sealed" not in batch_states
        assert waiting and all(row == ("pending", None) for row in waiting)
        assert _county(server, admin.actor.device_id) == before

        with admin.database.writing() as db:
            entry = db.get_one(AuditEntry, first_unsent)
            entry.prev_hash, entry.hash = original
        run_sync(admin.database, retry=FAST_RETRY)
        with admin.database.reading() as db:
            assert set(db.scalars(select(OutboxEntry.sync_state))) == {"accepted"}
    finally:
        admin.close()

"""Lost commits: a damaged WAL frame after acknowledged payments, found at open, never a reused
receipt number. Real SQLCipher files; the crash is a copy of the folder taken while the
engine is still open, as power loss would leave it."""

from __future__ import annotations

import shutil
import struct
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment
from caseworker.services.recovery import accept_loss, list_backups, restore_backup
from caseworker.store.models import AuditEntry, Payment
from tests.conftest import ADMIN_PASSWORD, CENTRE_CODE, CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

ID_NUMBERS = [make_id_number("320583", date(1960 + n, 1 + n, 1 + n), 11 + n) for n in range(6)]
NEW_ID_NUMBER = ID_NUMBERS.pop()


def _wal_size(paths: DataPaths) -> int:
    wal = paths.database.with_name("caseworker.db-wal")
    return wal.stat().st_size if wal.exists() else 0


def _enrol_and_pay(session: OpenSession, id_number: str) -> str:
    person = enrol(
        session.database,
        session.actor,
        farmer(id_number=id_number),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    ).person_id
    receipt = record_payment(
        session.database, session.actor, person_id=person, scheme="resident_pension", today=TODAY
    )
    return receipt.receipt_number


@dataclass
class Crash:
    paths: DataPaths
    kept: list[str]  # receipt numbers the damaged copy still holds
    lost: list[str]  # acknowledged, printed, and gone
    audit_kept: int
    audit_written: int


def _crash_with_damaged_wal(centre: OpenSession, target: Path, *, keep_shm: bool) -> Crash:
    """Commit 5 enrolments + payments, copy the folder with the WAL, damage the frame that
    starts the third, and return the copy."""
    database = centre.database
    with database.engine.connect() as connection:  # start the WAL afresh: offsets below hold
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    receipts = [_enrol_and_pay(centre, ID_NUMBERS[0]), _enrol_and_pay(centre, ID_NUMBERS[1])]
    with database.reading() as session:
        audit_kept = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
    damage_at = _wal_size(database.paths)
    receipts += [_enrol_and_pay(centre, number) for number in ID_NUMBERS[2:]]
    with database.reading() as session:
        audit_written = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))

    shutil.copytree(database.paths.root, target)  # the engine is open: this is the crash
    if not keep_shm:
        (target / "caseworker.db-shm").unlink(missing_ok=True)
    wal = target / "caseworker.db-wal"
    data = bytearray(wal.read_bytes())
    page_size = struct.unpack(">I", data[8:12])[0]
    assert damage_at + 24 + page_size <= len(data), "the later commits must be in the WAL"
    data[damage_at + 24 + page_size // 2] ^= 0x40  # one bit, in the page of the next frame
    wal.write_bytes(bytes(data))
    return Crash(DataPaths(target), receipts[:2], receipts[2:], audit_kept, audit_written)


@pytest.fixture(params=[True, False], ids=["with-shm", "without-shm"])
def crash(request, centre: OpenSession, tmp_path: Path) -> Crash:
    return _crash_with_damaged_wal(centre, tmp_path / "crashed", keep_shm=request.param)


def test_open_reports_what_was_lost_and_no_number_is_issued(crash: Crash):
    damaged_wal = crash.paths.database.with_name("caseworker.db-wal").read_bytes()
    clerk = login(crash.paths, "clerk", CLERK_PASSWORD)
    # The file and its WAL as found are kept before the first write overwrites the frames.
    [kept] = crash.paths.backups.glob("*-found-behind.db")
    assert kept.with_name(kept.name + "-wal").read_bytes() == damaged_wal
    try:
        loss = clerk.database.loss
        assert loss is not None and loss.reason == "behind"
        assert loss.missing_audit == (crash.audit_kept + 1, crash.audit_written)
        [gap] = loss.receipts
        assert (gap.held, gap.marked, gap.year, gap.device_number) == (2, 5, 2026, 1)
        with clerk.database.reading() as session:
            assert session.scalars(select(Payment.receipt_number)).all() == crash.kept
        with pytest.raises(ServiceError) as caught:
            with clerk.database.reading() as session:
                person = session.scalar(select(Payment.person_id))
            record_payment(
                clerk.database,
                clerk.actor,
                person_id=person,
                scheme="resident_pension",
                today=TODAY,
            )
        assert caught.value.code == "store_behind"
        assert f"{crash.lost[0]} 至 {crash.lost[-1]}" in caught.value.message
        assert "caseworker db restore" in caught.value.message
        assert "accept-loss" in caught.value.message_en
        with pytest.raises(ServiceError) as refused:
            enrol(
                clerk.database,
                clerk.actor,
                farmer(id_number=NEW_ID_NUMBER),
                [EnrolmentChoice("resident_medical")],
                today=TODAY,
            )
        assert refused.value.code == "store_behind"
        with clerk.database.reading() as session:
            assert session.scalars(select(Payment.receipt_number)).all() == crash.kept
        with pytest.raises(PermissionDenied):
            accept_loss(clerk)  # a clerk cannot wave the loss through
    finally:
        clerk.close()

    # Logging in again (which writes an audit entry) does not hide the range.
    again = login(crash.paths, "clerk", CLERK_PASSWORD)
    assert again.database.loss.missing_audit == (crash.audit_kept + 1, crash.audit_written)
    again.close()
    assert len(list(crash.paths.backups.glob("*-found-behind.db"))) == 1


def test_after_accept_loss_the_next_number_is_past_every_number_issued(crash: Crash):
    admin = login(crash.paths, "admin", ADMIN_PASSWORD)
    report = accept_loss(admin)
    assert report.receipts[0].marked == 5
    assert admin.database.loss is None
    number = _enrol_and_pay(admin, NEW_ID_NUMBER)
    admin.close()
    assert number == f"{CENTRE_CODE}-01-2026-000006"
    assert number not in crash.kept + crash.lost

    clerk = login(crash.paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.loss is None  # the marks were rewritten: the store is whole
        with clerk.database.reading() as session:
            accepted = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "store.accept_loss")
            ).one()
            assert accepted.detail["receipts"][0]["lost_from"] == 3
            assert accepted.detail["receipts"][0]["lost_to"] == 5
            assert verify_audit_chain(session).ok
    finally:
        clerk.close()


def test_restoring_a_backup_keeps_the_current_file_and_reports_what_is_still_missing(
    centre: OpenSession, tmp_path: Path
):
    backup = centre.database.backup(reason="manual")  # before any payment
    crash = _crash_with_damaged_wal(centre, tmp_path / "crashed", keep_shm=True)
    key, file_id = centre.database_key, centre.key_file.file_id
    statuses = list_backups(crash.paths, key, file_id)
    assert [(s.opens, s.behind_marks) for s in statuses] == [(True, True)]

    result = restore_backup(crash.paths, key, file_id, "admin", crash.paths.backups / backup.name)
    assert result.kept_copy is not None and result.kept_copy.exists()
    assert result.kept_copy.with_name(result.kept_copy.name + "-wal").exists()
    assert not crash.paths.database.with_name("caseworker.db-wal").exists()
    assert result.loss is not None and result.loss.receipts[0].held == 0

    admin = login(crash.paths, "admin", ADMIN_PASSWORD)
    try:
        assert admin.database.loss.receipts[0].marked == 5
        with admin.database.reading() as session:
            assert session.scalars(select(Payment.receipt_number)).all() == []
    finally:
        admin.close()

    # The kept copy (file + WAL, raw) restores too: the damaged file's two payments are back.
    again = restore_backup(crash.paths, key, file_id, "admin", result.kept_copy)
    assert again.loss is not None and again.loss.receipts[0].held == 2
    admin = login(crash.paths, "admin", ADMIN_PASSWORD)
    try:
        with admin.database.reading() as session:
            assert session.scalars(select(Payment.receipt_number)).all() == crash.kept
    finally:
        admin.close()


def test_only_an_administrator_restores(centre: OpenSession, tmp_path: Path):
    backup = centre.database.backup(reason="manual")
    before = centre.database.paths.database.read_bytes()
    with pytest.raises(PermissionDenied):
        restore_backup(
            centre.database.paths, centre.database_key, centre.key_file.file_id, "clerk", backup
        )
    assert centre.database.paths.database.read_bytes() == before

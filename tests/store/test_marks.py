"""High-water marks and failed opens, on real SQLCipher files: a failed open changes no file,
a damaged page is named as such, and the marks cannot be edited or swapped unnoticed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login, setup_centre
from caseworker.services.errors import ServiceError
from caseworker.services.payments import next_receipt_sequence, record_payment
from caseworker.services.recovery import accept_loss
from caseworker.store.database import open_database
from caseworker.store.engine import StoreOpenError
from caseworker.store.marks import load_marks
from caseworker.store.models import AuditEntry, Payment, ReceiptCounter
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, TODAY
from tests.services.test_recovery import ID_NUMBERS, _enrol_and_pay


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _copy_while_open(centre: OpenSession, target: Path, *, keep_shm: bool) -> DataPaths:
    _enrol_and_pay(centre, ID_NUMBERS[0])
    shutil.copytree(centre.database.paths.root, target)
    assert (target / "caseworker.db-wal").stat().st_size > 0
    if not keep_shm:
        (target / "caseworker.db-shm").unlink()
    return DataPaths(target)


@pytest.mark.parametrize("keep_shm", [True, False], ids=["with-shm", "without-shm"])
def test_a_wrong_key_changes_no_file_even_with_a_wal(
    centre: OpenSession, tmp_path: Path, keep_shm: bool
):
    paths = _copy_while_open(centre, tmp_path / "copy", keep_shm=keep_shm)
    before = _digests(paths.root)
    with pytest.raises(StoreOpenError) as caught:
        open_database(paths, os.urandom(32))
    assert caught.value.code == "wrong_key"
    assert _digests(paths.root) == before


def test_a_key_file_of_another_database_is_refused_and_changes_no_file(
    centre: OpenSession, tmp_path: Path
):
    paths = _copy_while_open(centre, tmp_path / "copy", keep_shm=True)
    other = setup_centre(
        DataPaths(tmp_path / "other"),
        centre_code="320583102",
        centre_name="周庄镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
    )
    other.session.close()
    shutil.copy(tmp_path / "other" / "caseworker.keys", paths.key_file)
    before = _digests(paths.root)
    with pytest.raises(StoreOpenError) as caught:
        login(paths, "admin", ADMIN_PASSWORD)
    assert caught.value.code == "wrong_key"
    assert _digests(paths.root) == before


def test_a_successful_open_reads_what_only_the_wal_holds(centre: OpenSession, tmp_path: Path):
    paths = _copy_while_open(centre, tmp_path / "copy", keep_shm=False)
    session = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert session.database.loss is None
        with session.database.reading() as db:
            assert db.scalar(select(ReceiptCounter.last_sequence)) == 1
    finally:
        session.close()


def _damage_a_page(centre: OpenSession) -> DataPaths:
    centre.database.backup(reason="manual")
    centre.close()  # a clean close: everything is in the main file, no WAL
    paths = centre.database.paths
    assert not paths.database.with_name("caseworker.db-wal").exists()
    data = bytearray(paths.database.read_bytes())
    page = 4096
    data[2 * page + 100] ^= 0xFF  # page 3: inside the schema's first tables
    paths.database.write_bytes(bytes(data))
    return paths


def test_a_damaged_page_refuses_login_with_words_naming_the_backups(centre: OpenSession):
    paths = _damage_a_page(centre)
    before = _digests(paths.root)
    with pytest.raises(StoreOpenError) as caught:
        login(paths, "clerk", CLERK_PASSWORD)
    error = caught.value
    assert error.code == "damaged"
    [backup] = list(paths.backups.glob("*.db"))
    assert backup.name in error.message and backup.name in error.message_en
    assert "caseworker db restore" in error.message
    assert "内部错误" not in error.message
    assert _digests(paths.root) == before


def test_marks_are_written_after_each_commit_and_never_for_a_rollback(centre: OpenSession):
    paths, key = centre.database.paths, centre.database_key
    number = _enrol_and_pay(centre, ID_NUMBERS[0])
    marks = load_marks(paths.marks, key, centre.key_file.file_id)
    assert marks.receipts == {(centre.actor.device_id, 2026): 1}
    written = paths.marks.read_bytes()

    with pytest.raises(RuntimeError), centre.database.writing() as session:
        next_receipt_sequence(session, centre.actor.device_id, 2026)
        session.flush()
        raise RuntimeError("the payment failed after taking a number")
    assert paths.marks.read_bytes() == written
    assert number.endswith("-000001")
    assert _enrol_and_pay(centre, ID_NUMBERS[1]).endswith("-000002")
    assert load_marks(paths.marks, key, None).receipts[(centre.actor.device_id, 2026)] == 2


def test_concurrent_payments_leave_marks_equal_to_the_database(centre: OpenSession):
    for id_number in ID_NUMBERS[:4]:
        _enrol_and_pay(centre, id_number)
    with centre.database.reading() as session:
        people = session.scalars(select(Payment.person_id)).all()

    def pay(person) -> None:
        # This year is paid: the two past years the demo province lets be paid late.
        for year in (2024, 2025):
            record_payment(
                centre.database,
                centre.actor,
                person_id=person,
                scheme="resident_pension",
                today=TODAY,
                period_start=date(year, 1, 1),
            )

    threads = [threading.Thread(target=pay, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    marks = load_marks(centre.database.paths.marks, centre.database_key, None)
    assert marks.receipts[(centre.actor.device_id, 2026)] == 4 + 8
    with centre.database.reading() as session:
        head = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())
        ).first()
    assert (marks.audit_seq, marks.audit_hash) == tuple(head)


def _refused(paths: DataPaths, reason: str) -> None:
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.loss is not None and clerk.database.loss.reason == reason
        with pytest.raises(ServiceError) as caught:
            _enrol_and_pay(clerk, ID_NUMBERS[2])
        assert caught.value.code == "store_behind"
        assert "caseworker.marks" in caught.value.message
    finally:
        clerk.close()


def test_marks_edited_without_the_key_are_detected(centre: OpenSession):
    _enrol_and_pay(centre, ID_NUMBERS[0])
    _enrol_and_pay(centre, ID_NUMBERS[1])
    centre.close()
    paths = centre.database.paths
    raw = paths.marks.read_bytes()
    half = len(raw) // 2
    edited = b""
    for slot in (raw[:half], raw[half:]):  # both slots, or the other one would still count
        data = json.loads(slot)
        data["receipts"][0]["last_sequence"] = 0  # hide the receipts
        edited += json.dumps(data).encode().ljust(half, b" ")
    paths.marks.write_bytes(edited)
    _refused(paths, "marks_edited")
    _refused(paths, "marks_edited")  # and it stays so until an administrator acts
    admin = login(paths, "admin", ADMIN_PASSWORD)
    accept_loss(admin)
    admin.close()
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.loss is None
        assert _enrol_and_pay(clerk, ID_NUMBERS[2]).endswith("-000003")
    finally:
        clerk.close()


def test_marks_of_another_database_are_detected(centre: OpenSession, tmp_path: Path):
    other_paths = DataPaths(tmp_path / "other")
    other = setup_centre(
        other_paths,
        centre_code="320583102",
        centre_name="周庄镇社会保障服务中心",
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
    )
    other.session.close()
    centre.close()
    shutil.copy(other_paths.marks, centre.database.paths.marks)
    _refused(centre.database.paths, "marks_foreign")


def test_missing_marks_are_recreated_with_a_warning_and_do_not_block(centre: OpenSession):
    _enrol_and_pay(centre, ID_NUMBERS[0])
    centre.close()
    paths = centre.database.paths
    paths.marks.unlink()
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.loss is None
        assert clerk.database.marks_note == "created"
        marks = load_marks(paths.marks, clerk.database_key, clerk.key_file.file_id)
        assert marks.receipts == {(clerk.actor.device_id, 2026): 1}
    finally:
        clerk.close()


def test_a_write_cut_short_spoils_one_slot_and_the_other_still_counts(centre: OpenSession):
    paths, key = centre.database.paths, centre.database_key
    _enrol_and_pay(centre, ID_NUMBERS[0])
    _enrol_and_pay(centre, ID_NUMBERS[1])
    newest = load_marks(paths.marks, key, None)
    raw = bytearray(paths.marks.read_bytes())
    half = len(raw) // 2
    start = (newest.generation % 2) * half
    raw[start : start + 40] = b"\x00" * 40  # power lost while this slot was being written
    paths.marks.write_bytes(bytes(raw))
    previous = load_marks(paths.marks, key, None)
    assert previous.generation == newest.generation - 1
    assert previous.audit_seq < newest.audit_seq
    centre.close()
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.loss is None  # older marks than the file: nothing is missing
        # The login's commit wrote the spoiled slot again, with its own audit entry.
        assert load_marks(paths.marks, key, None).audit_seq == newest.audit_seq + 1
    finally:
        clerk.close()

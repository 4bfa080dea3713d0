"""A data folder written by release 0.1.0 (tests/upgrade/data-0.1.0, made by
make_release_fixture.py and kept as it was written) opened by today's code: backed up and
migrated when the code's schema is newer, and then it keeps working: the audit chain verifies
and continues, the next receipt number follows the old ones. A folder written by a newer
release than this code is refused in words, with every file left as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.domain.regions import demo_centre
from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, demo_villages
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment
from caseworker.store.engine import StoreOpenError, open_engine
from caseworker.store.keys import KeyFile
from caseworker.store.models import AuditEntry, Payment
from caseworker.store.revisions import head_revision
from tests.services.test_enrolment import farmer
from tests.upgrade.make_release_fixture import DAY, fixture_folder

RELEASE = "0.1.0"
RELEASE_REVISION = "0017"  # the schema 0.1.0 shipped with


@pytest.fixture
def old_folder(tmp_path: Path) -> DataPaths:
    source = fixture_folder(RELEASE)
    assert (source / "caseworker.db").is_file(), f"the {RELEASE} fixture is missing: {source}"
    target = tmp_path / "data"
    shutil.copytree(source, target)
    return DataPaths(target)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _receipt_sequences(session) -> list[int]:
    numbers = session.scalars(
        select(Payment.receipt_number).where(Payment.receipt_number.is_not(None))
    )
    return sorted(
        {int(number.rsplit("-", 1)[1]) for number in numbers if f"-{DAY.year}-" in number}
    )


def test_the_release_folder_opens_migrates_and_keeps_working(old_folder: DataPaths):
    clerk = login(old_folder, "clerk", DEMO_PASSWORD)
    try:
        database = clerk.database
        assert database.current_revision() == head_revision()
        backups = sorted(old_folder.backups.glob(f"*before-upgrade-from-{RELEASE_REVISION}*.db"))
        if head_revision() == RELEASE_REVISION:
            assert backups == []  # nothing to migrate, nothing to back up
        else:
            assert len(backups) == 1, "a migration runs only after a backup of the old file"
        with database.reading() as session:
            before = verify_audit_chain(session, clerk.key_file)
            old_sequences = _receipt_sequences(session)
            old_head = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
        assert before.ok, before.problem_en
        assert old_sequences, "the fixture has receipts of its year"
        assert old_sequences == list(range(1, len(old_sequences) + 1))

        village = demo_villages(demo_centre()["township_code"])[0].code12
        person = enrol(
            database,
            clerk.actor,
            farmer(id_number="11010519491231002X", name="柳叶", hukou_village_code=village),
            [EnrolmentChoice("resident_medical")],
            today=DAY,
        ).person_id
        receipt = record_payment(
            database, clerk.actor, person_id=person, scheme="resident_medical", today=DAY
        )
        sequence = int(receipt.receipt_number.rsplit("-", 1)[1])
        assert sequence == old_sequences[-1] + 1, receipt.receipt_number

        with database.reading() as session:
            after = verify_audit_chain(session, clerk.key_file)
        assert after.ok, after.problem_en
        assert after.head_seq > old_head  # the chain went on from the release's entries
    finally:
        clerk.close()


def test_a_folder_from_a_newer_release_is_refused_and_left_as_it_was(old_folder: DataPaths):
    # A newer release's schema: the file stamped with a revision this code does not know.
    key = KeyFile.load(old_folder.key_file).unlock_operator("clerk", DEMO_PASSWORD).database_key
    engine = open_engine(old_folder.database, key)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
    engine.dispose()
    for stamp in old_folder.root.glob("*.checked"):
        stamp.unlink()
    before = _hashes(old_folder.root)

    with pytest.raises(StoreOpenError) as caught:
        login(old_folder, "clerk", DEMO_PASSWORD)

    assert caught.value.code == "newer_schema"
    assert "0099_future" in caught.value.message and "更新版本" in caught.value.message
    assert "install the newer version" in caught.value.message_en
    assert _hashes(old_folder.root) == before
    assert not old_folder.backups.exists()

"""The full integrity check at open runs unless the file is exactly as a clean close left it
after a recent check: a crash, a changed byte or a day's age make the next open check."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.checked import last_full_check, stamp_path
from caseworker.store.engine import StoreOpenError
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer


def _closed(centre: OpenSession) -> DataPaths:
    enrol(
        centre.database, centre.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    )
    centre.close()
    return centre.database.paths


def test_a_clean_close_lets_the_next_open_skip_the_check(centre: OpenSession):
    paths = _closed(centre)
    checked = last_full_check(paths.database)
    assert checked is not None and stamp_path(paths.database).stat().st_mode & 0o077 == 0
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.checked_at == checked  # not checked again: the file is unchanged
        assert not stamp_path(paths.database).exists()  # open for writing: no stamp meanwhile
    finally:
        clerk.close()
    assert last_full_check(paths.database) == checked  # carried over, not refreshed


def test_a_page_changed_after_the_close_is_found(centre: OpenSession):
    paths = _closed(centre)
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    with clerk.database.reading() as session:
        page = max(session.execute(text("SELECT rootpage FROM sqlite_master")).scalars())
    clerk.close()
    data = bytearray(paths.database.read_bytes())
    data[(page - 1) * 4096 + 2048] ^= 0xFF  # a table page the key check never reads
    paths.database.write_bytes(bytes(data))
    assert last_full_check(paths.database) is None
    with pytest.raises(StoreOpenError) as caught:
        login(paths, "clerk", CLERK_PASSWORD)
    assert caught.value.code == "damaged"


def test_a_day_old_check_is_done_again(centre: OpenSession):
    paths = _closed(centre)
    stamp = stamp_path(paths.database)
    data = json.loads(stamp.read_text())
    data["checked_at"] = (datetime.now(UTC) - timedelta(hours=25)).isoformat()
    stamp.write_text(json.dumps(data))
    before = datetime.now(UTC)
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.checked_at is not None and clerk.database.checked_at >= before
    finally:
        clerk.close()


def test_a_crash_leaves_no_stamp_and_the_next_open_checks(centre: OpenSession, tmp_path: Path):
    enrol(
        centre.database, centre.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY
    )
    crashed = tmp_path / "crashed"
    shutil.copytree(centre.database.paths.root, crashed)  # the engine is open: a crash
    paths = DataPaths(crashed)
    assert last_full_check(paths.database) is None
    before = datetime.now(UTC)
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    try:
        assert clerk.database.checked_at is not None and clerk.database.checked_at >= before
    finally:
        clerk.close()

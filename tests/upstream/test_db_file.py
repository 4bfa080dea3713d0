"""The county's SQLite file holds every centre's people: only its owner may read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import add_centre


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_wal_and_shm_are_created_owner_only(tmp_path: Path):
    path = tmp_path / "county" / "upstream.db"
    previous = os.umask(0o002)  # a permissive umask, as on many servers' service accounts
    try:
        db = open_upstream(f"sqlite:///{path}")
        try:
            add_centre(db, "320583101", "玉山镇社会保障服务中心")  # a write: -wal and -shm exist
            files = [path, path.with_name("upstream.db-wal"), path.with_name("upstream.db-shm")]
            assert [mode(file) for file in files] == [0o600, 0o600, 0o600]
            assert mode(path.parent) == 0o700
        finally:
            db.close()
    finally:
        os.umask(previous)


def test_an_existing_database_keeps_the_permissions_it_was_given(tmp_path: Path):
    path = tmp_path / "upstream.db"
    open_upstream(f"sqlite:///{path}").close()
    path.chmod(0o640)  # the administrator let a backup group read it

    open_upstream(f"sqlite:///{path}").close()

    assert mode(path) == 0o640

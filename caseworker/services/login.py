"""Logging in: the operator's password unlocks the database key, which opens the store.

The key half (the failure guard, the key file, the argon2id derivation) needs neither
SQLAlchemy nor the models, so this module loads without them: at launch the key is derived
while they load on another thread (``ui/launch.preload``; argon2 releases the interpreter).
The database half is ``services.centre.open_session``, imported once the key is unlocked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.paths import DataPaths
from caseworker.services.login_guard import Clock, check_not_locked, record_failure, utc_now
from caseworker.store.keys import KeyFile, WrongPassword

if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession


def login(paths: DataPaths, username: str, password: str, *, now: Clock = utc_now) -> OpenSession:
    """Unlock the database key with the operator's password and open (and migrate) the store.

    A failure is kept beside the key file and audited at the next successful login; after
    five in a row that name must wait (``LoginLocked``) before the password is even tried.
    """
    attempted_at = now()
    check_not_locked(paths, username, attempted_at)
    key_file = KeyFile.load(paths.key_file)
    try:
        unlocked = key_file.unlock_operator(username, password)
    except WrongPassword:
        known = key_file.has_operator(username)
        record_failure(paths, username, "wrong_password" if known else "unknown_user", attempted_at)
        raise
    from caseworker.services.centre import open_session

    return open_session(paths, username, key_file, unlocked, attempted_at)

"""Logging in: the operator's password unlocks the database key, which opens the store.

The key half (the failure guard, the key file, the argon2id derivation:
``login_guard.unlock``) needs neither SQLAlchemy nor the models, so this module loads without
them: at launch the key is derived while they load on another thread (``ui/launch.preload``;
argon2 releases the interpreter). The database half is ``services.centre.login_unlocked``,
imported once the key is unlocked; its writes are ``sign_in``'s, shared with the command
line's quick path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.paths import DataPaths
from caseworker.services.login_guard import Clock, unlock, utc_now

if TYPE_CHECKING:
    from caseworker.services.centre import OpenSession


def login(paths: DataPaths, username: str, password: str, *, now: Clock = utc_now) -> OpenSession:
    """Unlock the database key with the operator's password and open (and migrate) the store.

    A failure is kept beside the key file and audited at the next successful login; after
    five in a row that name must wait (``LoginLocked``) before the password is even tried.
    """
    attempted_at = now()
    key_file, unlocked = unlock(paths, username, password, attempted_at)
    from caseworker.services.centre import login_unlocked

    return login_unlocked(paths, username, attempted_at, key_file, unlocked)

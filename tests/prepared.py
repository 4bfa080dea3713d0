"""Centres set up once per test process, then copied into each test's own data folder.

Setting up a centre runs every migration of an empty SQLCipher file (about a quarter of a
second); copying the files of a centre set up the same way, and opening the copy with its
key, takes a few milliseconds. ``prepared_centre`` sets up the centre the first time it is
asked for with a given recipe, closes it, and keeps its folder; each call then copies the
database, the key file (with its ``.bak``) and the marks into the test's folder, and opens
that copy with the same database key and the same administrator's actor (signing key
included) that ``setup_centre`` handed back. The test gets a session as the recipe left it:
the same audit trail, no extra login. What it does to the copy is its own.

``prepared_folder`` does the same for a data folder that its recipe leaves closed (a demo
centre): the files are copied as they are, and the test logs in as it would have.

Copies of one recipe share their ids (centre, device, operators, key file, keys). Tests never
share a county, so that only matters when one test asks for the same recipe twice (two
computers of one centre): the second time it is set up for real (see ``_handed_out``).

A recipe is made the first time a test asks for it, under that test's patches: a fixture
that patches what setting up a centre uses (key parameters, clocks, id makers) sets up its
centre with ``setup_centre`` itself instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from caseworker.paths import DataPaths
from caseworker.services.actor import Actor
from caseworker.services.centre import OpenSession, SetupResult
from caseworker.store.checked import stamp_path
from caseworker.store.database import open_database
from caseworker.store.keys import KeyFile


@dataclass(frozen=True)
class _Prepared:
    folder: Path
    database_key: bytes
    actor: Actor
    recovery_key: str


_prepared: dict[Hashable, _Prepared] = {}
_prepared_folders: dict[Hashable, Path] = {}
_handed_out: set[Hashable] = set()  # recipes copied in the running test (see forget_handed_out)
_workshop: tempfile.TemporaryDirectory[str] | None = None


def forget_handed_out() -> None:
    """A new test begins: each recipe may be copied once more."""
    _handed_out.clear()


def _folder() -> Path:
    global _workshop
    if _workshop is None:
        _workshop = tempfile.TemporaryDirectory(prefix="cw-prepared-")
    return Path(_workshop.name) / str(len(_prepared) + len(_prepared_folders))


def prepared_centre(
    paths: DataPaths, recipe: Hashable, build: Callable[[DataPaths], SetupResult]
) -> SetupResult:
    """What ``build(paths)`` returns, from a copy of what it made the first time.

    ``build`` sets up a centre in the folder it is given and returns its ``SetupResult``
    (the session open, logged in as its administrator); ``recipe`` names what it makes."""
    if recipe in _handed_out or paths.exists():
        return build(paths)  # a second centre of the same recipe in one test: its own ids
    prepared = _prepared.get(recipe)
    if prepared is None:
        folder = _folder()
        made = build(DataPaths(folder))
        prepared = _Prepared(
            folder, made.session.database_key, made.session.actor, made.recovery_key
        )
        made.session.close()
        # Closing stamps the file as checked; a copy is opened as a file not seen before.
        stamp_path(DataPaths(folder).database).unlink(missing_ok=True)
        _prepared[recipe] = prepared
    _handed_out.add(recipe)
    shutil.copytree(prepared.folder, paths.root, dirs_exist_ok=True)
    key_file = KeyFile.load(paths.key_file)
    database = open_database(paths, prepared.database_key, file_id=key_file.file_id)
    session = OpenSession(database, prepared.actor, prepared.database_key, key_file)
    return SetupResult(session, prepared.recovery_key)


def prepared_folder(root: Path, recipe: Hashable, build: Callable[[DataPaths], object]) -> None:
    """The data folder ``build`` leaves at ``root`` (every session closed), from a copy of
    what it left the first time: files, modification times and clean-close stamps alike."""
    paths = DataPaths(root)
    if recipe in _handed_out or paths.exists():
        build(paths)
        return
    folder = _prepared_folders.get(recipe)
    if folder is None:
        folder = _folder()
        build(DataPaths(folder))
        _prepared_folders[recipe] = folder
    _handed_out.add(recipe)
    shutil.copytree(folder, root, dirs_exist_ok=True)

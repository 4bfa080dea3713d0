"""Encrypted drafts: round trip, and every way a file can fail to open."""

from __future__ import annotations

import os
import uuid

import pytest

from caseworker.paths import DataPaths
from caseworker.ui.drafts import DraftError, DraftStore, draft_key

KEY = bytes(range(32))
DATA = {"person": {"name": "买买提·艾力", "id_number": "11010519491231002X"}, "n": [1, 2]}


@pytest.fixture
def store(data_paths: DataPaths) -> DraftStore:
    return DraftStore(data_paths, KEY)


def save(store: DraftStore, draft_id: uuid.UUID, **data) -> None:
    store.save(
        draft_id, kind="enrolment", operator="clerk", summary="买买提·艾力", data=data or DATA
    )


def test_round_trip_and_listing(store: DraftStore, data_paths: DataPaths):
    first, second = uuid.uuid4(), uuid.uuid4()
    save(store, first)
    save(store, second, other=True)
    assert store.load(first) == DATA
    assert store.load(second) == {"other": True}
    listed = store.pending()
    assert [d.draft_id for d in listed] == [second, first]  # newest first
    assert listed[0].operator == "clerk" and listed[0].kind == "enrolment"
    assert store.pending("survey") == []
    raw = (data_paths.drafts / f"{first}.draft").read_bytes()
    assert "买买提".encode() not in raw and b"11010519491231002X" not in raw
    assert not list(data_paths.drafts.glob("*.tmp"))  # written through a temporary file
    save(store, first, replaced=1)
    assert store.load(first) == {"replaced": 1}
    store.delete(first)
    store.delete(first)  # deleting twice is harmless
    assert [d.draft_id for d in store.pending()] == [second]


def test_the_draft_key_is_not_the_database_key():
    assert draft_key(KEY) != KEY and len(draft_key(KEY)) == 32
    assert draft_key(KEY) == draft_key(KEY)


def test_another_centres_key_cannot_read_it(store: DraftStore, data_paths: DataPaths):
    draft_id = uuid.uuid4()
    save(store, draft_id)
    other = DraftStore(data_paths, bytes(32))
    with pytest.raises(DraftError):
        other.load(draft_id)
    assert other.pending() == []  # skipped, not deleted
    assert store.load(draft_id) == DATA


def test_a_damaged_or_renamed_file_does_not_open(store: DraftStore, data_paths: DataPaths):
    draft_id, renamed = uuid.uuid4(), uuid.uuid4()
    save(store, draft_id)
    path = data_paths.drafts / f"{draft_id}.draft"
    os.replace(path, data_paths.drafts / f"{renamed}.draft")
    with pytest.raises(DraftError):
        store.load(renamed)  # the id is bound into the ciphertext
    save(store, draft_id)
    sealed = bytearray(path.read_bytes())
    sealed[-1] ^= 1
    path.write_bytes(bytes(sealed))
    with pytest.raises(DraftError):
        store.load(draft_id)
    path.write_bytes(b"\x07short")
    with pytest.raises(DraftError):
        store.load(draft_id)
    (data_paths.drafts / "not-a-uuid.draft").write_bytes(b"x")
    assert store.pending() == []
    with pytest.raises(DraftError):
        store.load(uuid.uuid4())

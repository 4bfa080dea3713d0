"""What opening the store does before any connection that writes: the one sequence both
opens follow (SQLAlchemy's ``database.open_database`` and the command line's
``direct.open_direct``), without SQLAlchemy.

``examine`` checks the file without changing it (key, integrity unless a recent clean close
vouches for it, the high-water marks, the schema revision); ``claim`` then takes the file
for writing: the full-check stamp is forgotten until a clean close, a file found behind its
marks for the first time is kept as found, and the marks keeper is set up (frozen while
behind).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from caseworker.paths import DataPaths
from caseworker.store import revisions
from caseworker.store.backups import keep_raw_copy
from caseworker.store.checked import forget as forget_check
from caseworker.store.checked import last_full_check
from caseworker.store.inspect import LossReport, find_loss, inspect_store, marks_of
from caseworker.store.marks import MarkKeeper, Marks, MarksProblem, load_marks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Examined:
    """What the file holds against its marks, found without changing a byte."""

    marks: Marks | None
    loss: LossReport | None  # not None: behind its marks, or marks that cannot be trusted
    note: str | None  # "created": no marks file for a file with audit entries
    checked_at: datetime  # the last full integrity check (now, or before a clean close)
    revision: str | None  # the migration the file is at

    @property
    def at_head(self) -> bool:
        return self.revision == revisions.head_revision()


def examine(paths: DataPaths, key: bytes, file_id: str | None) -> Examined:
    """Check the file without changing it; a file a newer program wrote is refused here."""
    checked_before = last_full_check(paths.database)
    problem: str | None = None
    try:
        marks = load_marks(paths.marks, key, file_id)
    except MarksProblem as error:
        log.warning("the high-water marks cannot be trusted (%s): %s", error.kind, error)
        marks, problem = None, error.kind
    state = inspect_store(
        paths.database,
        key,
        audit_seq_of_interest=marks.audit_seq if marks else None,
        full_check=checked_before is None,
    )
    refusal = revisions.newer_schema_error(state.revision)
    if refusal is not None:
        raise refusal
    checked_at = checked_before or datetime.now(UTC)
    if problem is not None:
        loss = LossReport(f"marks_{problem}", state.audit_seq)
        return Examined(marks_of(state, file_id), loss, None, checked_at, state.revision)
    if marks is None:
        note = "created" if state.audit_seq else None
        if note:
            log.warning("no high-water marks for a database with audit entries: created them")
        return Examined(marks_of(state, file_id), None, note, checked_at, state.revision)
    return Examined(marks, find_loss(marks, state), None, checked_at, state.revision)


def claim(paths: DataPaths, key: bytes, file_id: str | None, examined: Examined) -> MarkKeeper:
    """The file is ours to write from here: until a clean close, the next open checks it."""
    marks, loss = examined.marks, examined.loss
    forget_check(paths.database)
    if loss is not None and marks is not None and marks.audit_held_when_found is None:
        # Found behind for the first time: the first write (the login) overwrites the WAL
        # frames after the damage, so keep the file and its WAL as found, for a technician.
        keep_raw_copy(paths, reason="found-behind")
    keeper = MarkKeeper(paths.marks, key, file_id, marks)
    keeper.frozen = loss is not None
    if loss is not None:
        if loss.reason == "behind":  # untrusted marks stay as found, for the administrator
            keeper.note_loss(loss.audit_held)
    elif marks is not None and (
        examined.note == "created" or marks.audit_held_when_found is not None
    ):
        # First marks for this file, or a loss that a restore has made good.
        keeper.replace(dataclasses.replace(marks, audit_held_when_found=None))
    return keeper

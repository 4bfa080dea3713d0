"""Which reviewed outbox entries may go upstream now, without overtaking what they depend on.

An entry goes once it is approved *and* nothing it depends on is still held back. It depends
on every earlier change to the record it changes (the county applies one record's changes
in order) and on every earlier change to a record it names (a person's enrolment names the
person; a payment names the person and the enrolment; a survey entry and a coverage status
name the person; a person may name an employer or a household). A coverage status derived from
the records needs no approval of its own: it follows them, held while anything held back
names its person. "Held back" is transitive: an approved enrolment waiting for its unapproved
person holds back the approved payment for that enrolment too.

Pure logic over plain values, so the rule is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# The payload fields that name another record (every id is a UUID: unique across types).
REFERENCE_FIELDS = ("person_id", "enrolment_id", "employer_id", "household_id")


@dataclass(frozen=True)
class Pending:
    """One outbox entry waiting to go: its seq, the record it changes, the records it names."""

    seq: int
    record: str
    references: frozenset[str]
    approved: bool
    # A consequence of other records (a coverage status the records decide): it needs no
    # approval of its own, but waits while anything held back names the same records.
    follows: bool = False


def references_of(payload: dict[str, object]) -> frozenset[str]:
    return frozenset(str(payload[f]) for f in REFERENCE_FIELDS if payload.get(f))


def releasable(entries: Iterable[Pending]) -> Iterator[int]:
    """The seqs that may go now, in order; ``entries`` must come in seq order."""
    held: set[str] = set()
    named_by_held: set[str] = set()
    for entry in entries:
        waits = entry.follows and bool(entry.references & named_by_held)
        if not entry.approved or entry.record in held or entry.references & held or waits:
            held.add(entry.record)
            named_by_held |= entry.references | {entry.record}
            continue
        yield entry.seq

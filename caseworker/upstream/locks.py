"""Lock what a batch will write, in one stable order, before writing it (PostgreSQL).

Why: two batches that create the same people in different record orders each insert an
ID number the other then needs; every unique index entry waits for the transaction that
wrote it, so batch 1 waits for batch 2 and batch 2 for batch 1, and PostgreSQL kills one
(``deadlock detected``, answered 503). Taking a transaction-scoped advisory lock on each
unique thing a batch writes, all of them up front and in ascending order, turns those
crossing waits into a queue: the second batch waits at the first key it shares with the
first, holding nothing the first still needs.

The keys, from the records as sent (one lock per distinct key, usually one per record):

- ``person:<uuid>`` for a person record and for every enrolment, payment, survey entry
  and coverage status that names the person. One key for a person and all that hangs off it covers the
  person's row, one enrolment per person and scheme, and the foreign-key checks that
  wait on a person or enrolment row another batch is updating;
- ``id_number:<number>``, ``receipt_number:<number>``, ``credit_code:<code>``: the unique
  business keys (the same normalisation the appliers store);
- ``employer:<uuid>``, ``household:<uuid>``: rows that hang off no person.

A key is the first 8 bytes of SHA-256 of ``caseworker:<kind>:<value>`` as a signed bigint,
computed here: the same in every server process and PostgreSQL version (Python's ``hash``
is salted per process; ``hashtext`` is internal, 32-bit, and so collides 4 billion times
more often). A collision only makes two unrelated batches queue; it never deadlocks,
because every holder takes its keys in the same order.

The keys are taken in one statement, ``... FROM unnest(keys) ORDER BY k``: PostgreSQL
evaluates a volatile output expression after the sort (the SELECT reference, "SELECT
List", since 9.6), so the locks are taken in ascending order.

The lock order of an upload (each step waits only on things later in the list, or on a
transaction that is already past the step, so waits form no cycle):

1. the batch row (``INSERT INTO batch``: a concurrent upload of the same id waits here,
   holding nothing);
2. these advisory keys, ascending;
3. the rows themselves: ``BatchStore`` reads them ``FOR UPDATE`` per table in key order,
   the writes follow per table (set-based), the record-by-record fallback in record order;
   every row and unique entry written is covered by a key of step 2, so these never wait
   on another upload;
4. ``applied_record`` (record ids are one device's own, never in two uploads at once);
5. the ``feed_counter`` row, held to commit so cursors commit in order; after it only
   rows of this batch and of its own device (``batch``, ``device.last_seen_at``).

The locks go into the outer transaction, not the savepoint: rolling back to a savepoint
releases locks taken after it, and the record-by-record fallback needs them too.

What stays uncovered: a record that moves a unique value away from a row (an ID number
corrected, an enrolment given another person) is locked under its new value only; a
concurrent insert of the old value waits for it, a wait that closes a cycle only if two
such moves cross in two batches at once. PostgreSQL then still detects it, answers 503,
and the client resends.

Sizing: advisory locks live in PostgreSQL's shared lock table (about
``max_locks_per_transaction`` × ``max_connections`` entries, 6,400 by default, in practice
some 12,000 here). A 500-record batch takes 250–1,000 keys, so the defaults hold about a
dozen full batches at once; a county expecting more concurrent uploads raises
``max_locks_per_transaction`` (256 holds some 50).

SQLite needs none of this: every writer starts with ``BEGIN IMMEDIATE`` and they queue.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_uscc
from caseworker.sync.protocol import Record
from caseworker.upstream.apply_checks import id_number_of

_LOCK_IN_ORDER = text(
    "SELECT count(*) FROM ("
    " SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k ORDER BY k"
    ") AS taken"
)
# Records that name a person (enrolment, payment, survey entry, coverage) lock that person.
NAMES_A_PERSON = ("enrolment", "payment", "survey_entry", "coverage", "employment")


def lock_key(kind: str, value: str) -> int:
    """The advisory lock key of one thing a batch writes: a stable signed 64-bit integer."""
    digest = hashlib.sha256(f"caseworker:{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def person_named_by(record: Record) -> str | None:
    """The person (UUID as text) an enrolment, payment or survey entry names, if valid."""
    try:
        return str(uuid.UUID(str(record.payload.get("person_id"))))
    except (ValueError, TypeError):
        return None  # the applier rejects the record; nothing to lock


def _normalised(parse: Callable[[str], str], value: object) -> str | None:
    """The value as the applier stores it, or None when the applier rejects it (no write)."""
    try:
        return parse(str(value or ""))
    except InvalidValue:
        return None


def _id_number(text: str) -> str:
    return id_number_of(text).number


def normalised_id_number(payload: dict) -> str | None:
    """A person payload's ID number as the registry stores it, or None if invalid."""
    return _normalised(_id_number, payload.get("id_number"))


def _credit_code(text: str) -> str:
    return parse_uscc(text).code


def _things(record: Record) -> Iterator[tuple[str, str]]:
    """What one record writes or checks against, as (kind, value)."""
    payload = record.payload
    kind = record.entity_type
    if kind == "person":
        yield "person", str(record.entity_id)
        number = normalised_id_number(payload)
        if number is not None:
            yield "id_number", number
    elif kind in NAMES_A_PERSON:
        person = person_named_by(record)
        if person is not None:
            yield "person", person
        if kind == "payment" and isinstance(payload.get("receipt_number"), str):
            yield "receipt_number", payload["receipt_number"]
    elif kind == "employer":
        yield "employer", str(record.entity_id)
        code = _normalised(_credit_code, payload.get("credit_code"))
        if code is not None:
            yield "credit_code", code
    elif kind == "household":
        yield "household", str(record.entity_id)


def batch_keys(records: Iterable[Record]) -> list[int]:
    """Every key the records need, once each, ascending."""
    return sorted({lock_key(kind, value) for r in records for kind, value in _things(r)})


def lock_keys(conn: Connection, keys: Iterable[int]) -> int:
    """Take transaction-scoped advisory locks on ``keys``, once each and in ascending order
    (PostgreSQL only); held until commit or rollback. Returns how many were taken."""
    if conn.dialect.name != "postgresql":
        return 0
    ordered = sorted(set(keys))
    if not ordered:
        return 0
    taken = conn.scalar(_LOCK_IN_ORDER, {"keys": ordered})
    assert taken == len(ordered)
    return len(ordered)


def lock_for_records(conn: Connection, records: Iterable[Record]) -> int:
    """Lock everything ``records`` will write (see the module docstring), before writing."""
    if conn.dialect.name != "postgresql":
        return 0  # SQLite: BEGIN IMMEDIATE already lets one writer in at a time
    return lock_keys(conn, batch_keys(records))

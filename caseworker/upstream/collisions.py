"""Which records of a batch will collide with the registry, guessed before applying it, so
the batch is cut around them instead of applied record by record from start to end.

A person whose ID number the registry (or an earlier record of the same batch) holds
under another UUID will be answered as a conflict; an enrolment, payment or survey entry
of that person then finds no person. One such record used to send the whole batch down
the slow path (a savepoint and a few round trips per record); cut around, the rest goes
through in a few set-based parts.

Read under the batch's advisory locks (``caseworker.upstream.locks``): no other upload
writes these ID numbers before this transaction ends, so what is read stays true. A wrong
guess costs only speed, never an answer: the batch is still applied in record order, each
part together or, if it collides after all, in halves down to single records.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.engine import Connection

from caseworker.sync.protocol import Record
from caseworker.upstream.apply_stores import PERSON, among
from caseworker.upstream.locks import NAMES_A_PERSON, normalised_id_number, person_named_by

CHUNK = 500


def likely_to_collide(conn: Connection, records: list[Record]) -> set[uuid.UUID]:
    """The ids of the records that will probably be answered by a collision."""
    claims: dict[str, list[Record]] = {}
    for record in records:
        if record.entity_type == "person":
            number = normalised_id_number(record.payload)
            if number is not None:
                claims.setdefault(number, []).append(record)
    if not claims:
        return set()
    numbers = sorted(claims)
    held: dict[str, uuid.UUID] = {}
    for start in range(0, len(numbers), CHUNK):
        rows = conn.execute(
            select(PERSON.c.id_number, PERSON.c.id).where(
                among(conn, PERSON.c.id_number, numbers[start : start + CHUNK])
            )
        )
        held.update((row.id_number, row.id) for row in rows)
    colliding: set[uuid.UUID] = set()
    turned_away: set[str] = set()  # people (UUIDs) whose record collides
    for number, claimants in claims.items():
        holder = held.get(number)
        for record in claimants:
            if holder is None:
                holder = record.entity_id  # the first in the batch creates it
            elif record.entity_id != holder:
                colliding.add(record.id)
                turned_away.add(str(record.entity_id))
    for record in records:
        if record.entity_type in NAMES_A_PERSON and person_named_by(record) in turned_away:
            colliding.add(record.id)
    return colliding

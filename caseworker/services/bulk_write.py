"""Many changes in one transaction, with the rules of one change at a time.

Imports and the demo write thousands of people at once. Through the ORM each person costs a
few milliseconds (objects, identity map, a flush per look-up); here rows are plain dicts sent
with ``executemany`` a few thousand at a time. What a change must carry is the same as
``journal.record_change``: the outbox row that goes upstream, the audit entry that links into
the hash chain and is signed by the operator, a hybrid logical clock that never goes
backwards, and the person's search keys. The chain is built in memory in order and the rows
are inserted in that order, so seqs are contiguous exactly as one-at-a-time writes leave them.

The caller owns the transaction (``database.writing()``): a failure or a cancel anywhere rolls
back everything the writer sent.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from caseworker.domain.audit_chain import GENESIS_HASH, new_entry, to_jsonable
from caseworker.services.actor import Actor
from caseworker.services.journal import change_detail
from caseworker.store.models import (
    AuditEntry,
    CoverageStatus,
    CoverageSurveyEntry,
    Device,
    Enrolment,
    Household,
    ImportHousehold,
    ImportRow,
    OutboxEntry,
    Payment,
    Person,
    PersonSearchKey,
    new_id,
)
from caseworker.store.search_index import search_columns

FLUSH_EVERY = 2_000  # changes held before they are sent: memory stays flat, round trips few

# Inserts are sent parents first (foreign keys are on), then the journal.
_INSERT_ORDER: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[attr-defined]
    for model in (
        Household,
        Person,
        PersonSearchKey,
        Enrolment,
        Payment,
        CoverageSurveyEntry,
        OutboxEntry,
        AuditEntry,
        ImportRow,
        ImportHousehold,
    )
)


class BulkWriter:
    """Rows and changes queued in memory and sent in large batches inside the caller's
    transaction. Call :meth:`close` (or use it as a context manager) before the commit."""

    def __init__(self, session: Session, actor: Actor, *, flush_every: int = FLUSH_EVERY) -> None:
        actor_key = actor.signing_key
        if actor_key is None:
            raise ValueError(f"operator {actor.username} has no signing key unwrapped")
        session.flush()  # anything the ORM holds goes first: the chain head is read after it
        self.session, self.actor, self._key = session, actor, actor_key
        self._flush_every = flush_every
        self._inserts: dict[Table, list[dict[str, Any]]] = {t: [] for t in _INSERT_ORDER}
        self._updates: dict[tuple[Table, frozenset[str]], list[dict[str, Any]]] = {}
        self._drop_keys: list[uuid.UUID] = []
        self._pending = 0
        self._head = session.info.get("audit_head") or session.scalar(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        )
        self._head = self._head or GENESIS_HASH
        self._device = session.get_one(Device, actor.device_id)
        self._hlc = self._device.last_hlc
        self.changes = 0

    # -- rows ----------------------------------------------------------------------------

    def insert(self, model: type[Any], values: dict[str, Any]) -> None:
        """A new row of ``model`` (a dict of column values; defaults fill the rest)."""
        self._inserts[model.__table__].append(values)
        self._count()

    def update(self, model: type[Any], row_id: Any, values: dict[str, Any]) -> None:
        """New values for an existing row, by primary key ``id``."""
        table = model.__table__
        self._updates.setdefault((table, frozenset(values)), []).append({"_id": row_id, **values})
        self._count()

    def add_person(self, values: dict[str, Any], *, is_new: bool) -> None:
        """A person row with its search columns and name keys (an update re-keys the name)."""
        columns = search_columns(values["name"], values["id_number"], values.get("phone"))
        values = values | {
            "id_number_reversed": columns.id_number_reversed,
            "phone_reversed": columns.phone_reversed,
        }
        person_id = values["id"]
        if is_new:
            self.insert(Person, values)
        else:
            self.update(Person, person_id, {k: v for k, v in values.items() if k != "id"})
            self._drop_keys.append(person_id)
        for key in sorted(columns.name_keys):
            self._inserts[PersonSearchKey.__table__].append({"key": key, "person_id": person_id})

    def update_coverage(self, person_id: uuid.UUID, line: str, values: dict[str, Any]) -> None:
        table = CoverageStatus.__table__
        self._updates.setdefault((table, frozenset(values)), []).append(
            {"_person": person_id, "_line": line, **values}
        )
        self._count()

    # -- the journal ---------------------------------------------------------------------

    def change(
        self,
        *,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID,
        operation: str,
        payload: Mapping[str, Any],
        detail: dict[str, Any] | None = None,
    ) -> None:
        """The outbox row and the signed audit entry of one change, as ``record_change``."""
        payload = to_jsonable(payload if type(payload) is dict else dict(payload))
        outbox_id = new_id()
        self._hlc = max(int(time.time() * 1000) << 16, self._hlc + 1)
        self._inserts[OutboxEntry.__table__].append(
            {
                "id": outbox_id,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "operation": operation,
                "payload": payload,
                "hlc": self._hlc,
                "operator_id": self.actor.operator_id,
            }
        )
        self.audit(
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            detail=change_detail(outbox_id, payload, detail),
        )

    def audit(
        self,
        *,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | None,
        detail: dict[str, Any],
    ) -> None:
        entry = new_entry(
            self._key,
            str(self.actor.operator_id),
            id=new_id(),
            prev_hash=self._head,
            operator_id=self.actor.operator_id,
            operator_name=self.actor.username,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            detail=detail,
        )
        self._head = entry["hash"]
        self._inserts[AuditEntry.__table__].append(entry)
        self.changes += 1
        self._count()

    # -- sending ---------------------------------------------------------------------------

    def _count(self) -> None:
        self._pending += 1
        if self._pending >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        """Send everything queued, parents first; the journal last, in chain order."""
        session = self.session
        if self._drop_keys:
            session.execute(
                delete(PersonSearchKey).where(PersonSearchKey.person_id.in_(self._drop_keys))
            )
            self._drop_keys = []
        # Updates before inserts of search keys and journal, after inserts of parents.
        for table in _INSERT_ORDER[:2]:
            self._send_inserts(table)
        for (table, names), rows in self._updates.items():
            if table is CoverageStatus.__table__:
                where = (table.c.person_id == bindparam("_person")) & (
                    table.c.line == bindparam("_line")
                )
            else:
                where = table.c.id == bindparam("_id")
            statement = update(table).where(where).values({n: bindparam(n) for n in names})
            session.execute(statement, rows)
        self._updates = {}
        for table in _INSERT_ORDER[2:]:
            self._send_inserts(table)
        self._pending = 0

    def _send_inserts(self, table: Table) -> None:
        rows = self._inserts[table]
        if table is PersonSearchKey.__table__:
            rows.sort(key=lambda row: row["key"])  # in index order: fewer pages touched
        if rows:
            self.session.execute(insert(table), rows)
            self._inserts[table] = []

    def close(self) -> None:
        """Send the rest; leave the device clock and chain head where the writes left them."""
        self.flush()
        self._device.last_hlc = self._hlc
        self.session.info["audit_head"] = self._head

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.close()


def rows_by(session: Session, column: Any, values: Iterable[Any], *columns: Any) -> dict[Any, Any]:
    """Rows whose ``column`` is one of ``values`` (looked up 500 at a time), by that value."""
    wanted = list(dict.fromkeys(values))
    found: dict[Any, Any] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in session.execute(select(column, *columns).where(column.in_(chunk))):
            found[row[0]] = row
    return found

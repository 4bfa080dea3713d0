"""Many changes in one transaction, with the rules of one change at a time.

Imports and the demo write thousands of people at once. Through the ORM each person costs a
few milliseconds (objects, identity map, a flush per look-up); here rows are plain dicts sent
with ``executemany`` a few thousand at a time. What a change must carry is the same as
``journal.record_change``: the outbox row that goes upstream, the audit entry that links into
the hash chain and is signed by the operator (in runs of up to ``RUN_MAX`` entries, each
closed by one signed checkpoint: see ``audit_chain.SignedRuns``), a hybrid logical clock that
never goes backwards, and the person's search keys. The chain is built in memory in order and the rows
are inserted in that order, so seqs are contiguous exactly as one-at-a-time writes leave them.

The caller owns the transaction (``database.writing()``): a failure or a cancel anywhere rolls
back everything the writer sent.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from caseworker.domain.audit_chain import (
    CHECKPOINT_ACTION,
    GENESIS_HASH,
    RUN_MAX,
    checkpoint_detail,
    new_entry,
    to_jsonable,
)
from caseworker.services.actor import Actor
from caseworker.services.journal import change_detail
from caseworker.store.counters import count_bulk_people
from caseworker.store.models import (
    AuditEntry,
    BulkPerson,
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

FLUSH_EVERY = 8_000  # changes held before they are sent: memory stays flat, round trips few

# Inserts are sent parents first (foreign keys are on), then the journal; the new people's
# list before the people, so that their status rows' triggers leave them to the send's count.
_INSERT_ORDER: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[attr-defined]
    for model in (
        BulkPerson,
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

    def __init__(
        self,
        session: Session,
        actor: Actor,
        *,
        flush_every: int = FLUSH_EVERY,
        set_based_counters: bool = True,
    ) -> None:
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
        self._sender = RowSender(session)
        self._run = 0  # entries since the last signed one
        # New people's status rows are counted once per send (``store.counters``), not by
        # the triggers at each insert and update.
        self._set_based_counters, self._new_people = set_based_counters, False
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
            if self._set_based_counters:
                self._inserts[BulkPerson.__table__].append({"id": person_id})
                self._new_people = True
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
        self._append_entry(action, entity_type, entity_id, detail, signed=False)
        self.changes += 1
        self._run += 1
        if self._run >= RUN_MAX:
            self._checkpoint()
        self._count()

    def _append_entry(
        self,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | None,
        detail: dict[str, Any],
        *,
        signed: bool,
    ) -> None:
        entry = new_entry(
            self._key,
            str(self.actor.operator_id),
            signed=signed,
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

    def _checkpoint(self) -> None:
        """Close the open run: one entry, signed by the operator, that counts the run's
        entries before it (``SignedRuns`` says why that signs each of them)."""
        if not self._run:
            return
        self._append_entry(
            CHECKPOINT_ACTION, "audit_entry", None, checkpoint_detail(self._run), signed=True
        )
        self._run = 0

    # -- sending ---------------------------------------------------------------------------

    def _count(self) -> None:
        self._pending += 1
        if self._pending >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        """Send everything queued, parents first; the journal last, in chain order."""
        session = self.session
        self._checkpoint()  # nothing unsigned is left in the store between sends
        if self._drop_keys:
            session.execute(
                delete(PersonSearchKey).where(PersonSearchKey.person_id.in_(self._drop_keys))
            )
            self._drop_keys = []
        # Updates before inserts of search keys and journal, after inserts of parents.
        for table in _INSERT_ORDER[:3]:
            self._send_inserts(table)
        for (table, names), rows in self._updates.items():
            self._sender.update(table, names, rows)
        self._updates = {}
        for table in _INSERT_ORDER[3:]:
            self._send_inserts(table)
        if self._new_people:
            count_bulk_people(session)
            self._new_people = False
        self._pending = 0
        session.info["audit_head"] = self._head  # an ORM entry between sends links on

    def _send_inserts(self, table: Table) -> None:
        rows = self._inserts[table]
        if table is PersonSearchKey.__table__:
            rows.sort(key=lambda row: row["key"])  # in index order: fewer pages touched
        if rows:
            self._sender.insert(table, rows)
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


class RowSender:
    """Rows sent with the driver's own ``executemany``, each statement compiled once per table
    and set of columns: SQLAlchemy's per-row parameter processing costs as much as SQLite's
    own insert. Values go through the very bind processors SQLAlchemy would apply (UUIDs,
    dates, JSON), and the columns a row leaves out get their Python-side defaults (and, for
    an update, their ``onupdate``), so what is stored is what ``insert(table)`` would store.
    Other databases than SQLite go through SQLAlchemy unchanged."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self._raw = self.dialect.name == "sqlite"
        self._plans: dict[tuple[Any, ...], _Plan] = {}

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not self._raw:
            self.session.execute(insert(table), rows)
            return
        start = 0
        for end in range(1, len(rows) + 1):  # consecutive rows of one column set at a time
            if end == len(rows) or rows[end].keys() != rows[start].keys():
                plan = self._insert_plan(table, tuple(rows[start]))
                self._executemany(plan, rows[start:end])
                start = end

    def update(self, table: Table, names: frozenset[str], rows: list[dict[str, Any]]) -> None:
        """``rows`` carry the new values by name and the key as ``_id`` (or, for coverage
        status, ``_person`` and ``_line``)."""
        if not self._raw:
            keys = _update_keys(table)
            where = and_(*(table.c[column] == bindparam(param) for param, column in keys))
            statement = update(table).where(where).values({n: bindparam(n) for n in names})
            self.session.execute(statement, rows)
            return
        self._executemany(self._update_plan(table, names), rows)

    def _insert_plan(self, table: Table, names: tuple[str, ...]) -> _Plan:
        key = ("insert", table.name, names)
        plan = self._plans.get(key)
        if plan is None:
            given = set(names)
            defaulted = tuple(c for c in table.c if c.name not in given and c.default is not None)
            columns = [table.c[name] for name in names] + list(defaulted)
            sql = (
                f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)})"
                f" VALUES ({', '.join('?' * len(columns))})"
            )
            plan = self._plans[key] = _Plan(
                sql, names, self._processors(columns), _defaults(defaulted)
            )
        return plan

    def _update_plan(self, table: Table, names: frozenset[str]) -> _Plan:
        key = ("update", table.name, names)
        plan = self._plans.get(key)
        if plan is None:
            ordered = tuple(c.name for c in table.c if c.name in names)
            stamped = tuple(c for c in table.c if c.name not in names and c.onupdate is not None)
            keys = _update_keys(table)
            sets = [table.c[n] for n in ordered] + list(stamped)
            sql = (
                f"UPDATE {table.name} SET {', '.join(f'{c.name} = ?' for c in sets)}"
                f" WHERE {' AND '.join(f'{column} = ?' for _, column in keys)}"
            )
            # Parameters in statement order: the values, the stamps, then the key.
            columns = sets + [table.c[column] for _, column in keys]
            plan = self._plans[key] = _Plan(
                sql,
                ordered + tuple(param for param, _ in keys),
                self._processors(columns),
                _defaults(stamped, onupdate=True),
                stamps_before=len(ordered),
            )
        return plan

    def _processors(self, columns: list[Any]) -> tuple[Any, ...]:
        return tuple(c.type._cached_bind_processor(self.dialect) for c in columns)

    def _executemany(self, plan: _Plan, rows: list[dict[str, Any]]) -> None:
        take, processed, defaults, cut = (
            plan.take,
            plan.processed,
            plan.defaults,
            plan.stamps_before,
        )
        params = []
        append = params.append
        for row in rows:
            values = list(take(row))
            if defaults:
                stamps = [make() for make in defaults]
                if cut is None:
                    values += stamps
                else:
                    values[cut:cut] = stamps
            for index, process, keeps_none in processed:
                value = values[index]
                if value is not None or not keeps_none:
                    values[index] = process(value)
            append(values)
        cursor = self.session.connection().connection.driver_connection.cursor()
        try:
            cursor.executemany(plan.sql, params)
        finally:
            cursor.close()


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # what each row gives, in the statement's order
    processors: tuple[Any, ...]  # one per parameter: SQLAlchemy's bind processor, or None
    defaults: tuple[Callable[[], Any], ...]  # the columns a row leaves out
    stamps_before: int | None = None  # an update's stamps go between its values and its key
    # Per row, the given values in one C call and only the parameters that have a processor
    # visited (most columns are plain text and numbers), and a None passed by where the
    # processor itself leaves None as it is (all but JSON's, which stores 'null').
    take: Callable[[dict[str, Any]], tuple[Any, ...]] = field(init=False)
    processed: tuple[tuple[int, Any, bool], ...] = field(init=False)

    def __post_init__(self) -> None:
        names = self.names
        take = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        object.__setattr__(self, "take", take)
        processed = tuple(
            (i, p, p(None) is None) for i, p in enumerate(self.processors) if p is not None
        )
        object.__setattr__(self, "processed", processed)


def _defaults(columns: Iterable[Any], *, onupdate: bool = False) -> tuple[Callable[[], Any], ...]:
    made = []
    for column in columns:
        default = column.onupdate if onupdate else column.default
        if default.is_callable:
            made.append(partial(default.arg, None))  # SQLAlchemy wraps it to take a context
        elif default.is_scalar:
            made.append(partial(lambda value: value, default.arg))
        else:
            raise ValueError(f"{column} has a default the bulk path cannot compute")
    return tuple(made)


def _update_keys(table: Table) -> tuple[tuple[str, str], ...]:
    """(parameter, column) pairs an update finds its row by."""
    if table is CoverageStatus.__table__:
        return (("_person", "person_id"), ("_line", "line"))
    return (("_id", "id"),)

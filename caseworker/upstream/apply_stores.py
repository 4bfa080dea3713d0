"""The ``Store`` the appliers of ``caseworker.upstream.apply`` read and write through.

``DirectStore`` asks the database for every row it needs (locking it), one record at a
time. ``BatchStore`` reads, in a few queries, every row a whole batch will touch
(locked, in key order) and then answers from memory, updating what it holds as records
are written. Its writes are held and sent set-based when the part ends (``flush``): per
table, one COPY of the new rows (a multi-row INSERT off PostgreSQL) and one
``UPDATE … FROM (VALUES …)`` of the changed ones (executemany off PostgreSQL), tables in
foreign-key order. A part applied through it ends as if applied record by record, as
long as no constraint fires (the caller then starts over, record by record).

Why sending the writes grouped by table cannot change an answer: a held write is one
whose success does not depend on its place in the record order. An insert is held only
when the rows it refers to exist already (in the registry, or inserted earlier in the
batch, and so earlier in the flush); an update only when it leaves its row's unique and
foreign-key columns (``KEY_COLUMNS``) as they were. Any other write (an ID number
corrected, an enrolment moved to another scheme, an enrolment whose person is not known)
flushes what is held and goes out alone at its place, so everything before it is written
before it, as record by record. Held inserts of one table keep their record order; a
row's later updates are folded into its held insert or update (its final values, as
record by record leaves them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import ARRAY, JSON, Table, TypeDecorator, any_, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from caseworker.sync.protocol import Record
from caseworker.upstream.models import (
    Centre,
    Coverage,
    Employer,
    Employment,
    Enrolment,
    Household,
    Payment,
    Person,
    SurveyEntry,
)

PERSON = Person.__table__
ENROLMENT = Enrolment.__table__
PAYMENT = Payment.__table__
EMPLOYER = Employer.__table__
HOUSEHOLD = Household.__table__
SURVEY = SurveyEntry.__table__
COVERAGE = Coverage.__table__
EMPLOYMENT = Employment.__table__
TABLES: dict[str, Table] = {
    "person": PERSON,  # type: ignore[dict-item]
    "enrolment": ENROLMENT,  # type: ignore[dict-item]
    "payment": PAYMENT,  # type: ignore[dict-item]
    "employer": EMPLOYER,  # type: ignore[dict-item]
    "household": HOUSEHOLD,  # type: ignore[dict-item]
    "survey_entry": SURVEY,  # type: ignore[dict-item]
    "coverage": COVERAGE,  # type: ignore[dict-item]
    "employment": EMPLOYMENT,  # type: ignore[dict-item]
}


@dataclass(frozen=True)
class PaidRow:
    """A live payment the county holds, as the one-per-period check needs it."""

    id: uuid.UUID
    scheme: str
    period_start: date
    period_end: date
    reference: str  # the receipt number, or the tax voucher for the tax channel
    centre_code: str


_PAID_COLUMNS = (
    PAYMENT.c.id,
    PAYMENT.c.person_id,
    PAYMENT.c.scheme,
    PAYMENT.c.period_start,
    PAYMENT.c.period_end,
    PAYMENT.c.receipt_number,
    PAYMENT.c.centre_code,
    PAYMENT.c.payload,
)


def among(conn: Connection, column: Any, values: list[Any]) -> Any:
    """``column IN (values)``; on PostgreSQL ``column = ANY(array)``: one short statement
    whatever the count, which psycopg parses and prepares once (an IN list of 500 is a new
    statement text for every length)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def _paid_row(row: Any) -> PaidRow:
    voucher = row.payload.get("voucher_number") if isinstance(row.payload, dict) else None
    return PaidRow(
        row.id,
        row.scheme,
        row.period_start,
        row.period_end,
        row.receipt_number or str(voucher or ""),
        row.centre_code,
    )


def _query_paid(conn: Connection, person_ids: list[uuid.UUID]) -> list[tuple[uuid.UUID, PaidRow]]:
    """Live payments with a period of these persons (read under the persons' locks)."""
    found = conn.execute(
        select(*_PAID_COLUMNS).where(
            among(conn, PAYMENT.c.person_id, person_ids),
            PAYMENT.c.voided.is_(False),
            PAYMENT.c.period_start.is_not(None),
        )
    )
    return [(row.person_id, _paid_row(row)) for row in found]


def _first_overlap(rows: list[PaidRow], scheme: str, start: date, end: date) -> PaidRow | None:
    return next(
        (r for r in rows if r.scheme == scheme and r.period_start <= end and start <= r.period_end),
        None,
    )


def _query_overlap(
    conn: Connection, person_id: uuid.UUID | None, scheme: str, start: date, end: date
) -> PaidRow | None:
    if person_id is None:
        return None
    rows = [row for _, row in _query_paid(conn, [person_id])]
    return _first_overlap(rows, scheme, start, end)


# The columns a constraint watches besides the primary key (unique or foreign key): an
# update that changes one of them is written at its place in the record order.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("id_number",),
    "employer": ("credit_code",),
    "enrolment": ("person_id", "scheme"),
    "payment": ("receipt_number", "receipt_line", "person_id", "enrolment_id"),
    "survey_entry": ("person_id",),
    "employment": ("person_id",),
    "coverage": ("person_id",),
    "household": (),
}
# Parents before children: a held row's parent is written by an earlier statement.
WRITE_ORDER = (
    "person",
    "household",
    "employer",
    "enrolment",
    "survey_entry",
    "coverage",
    "employment",
    "payment",
)


@dataclass
class Current:
    """What the registry holds for an entity (as ``BatchStore`` remembers it)."""

    version: int
    payload: dict[str, Any]
    voided: bool = False
    centre_code: str = ""
    keys: dict[str, Any] = field(default_factory=dict)  # the KEY_COLUMNS' values


def _row_columns(table: Table) -> list[Any]:
    columns = [table.c.version, table.c.payload, table.c.centre_code]
    if table is PAYMENT:
        columns.append(PAYMENT.c.voided)
    return columns + [table.c[name] for name in KEY_COLUMNS[table.name]]


def _current(table: Table, row: Any) -> Current:
    voided = bool(row.voided) if table is PAYMENT else False
    keys = {name: getattr(row, name) for name in KEY_COLUMNS[table.name]}
    return Current(row.version, row.payload, voided, row.centre_code, keys)


_UPDATES = {
    name: update(table).where(table.c.id == bindparam("entity_key"))
    for name, table in TABLES.items()
}


class Store:
    """Where appliers read current rows and write new ones; subclasses say how they read."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.writes = 0
        self._centre_names: dict[str, str] = {}

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        """The entity's version, payload (and ``voided`` for payments), locked; or None."""
        raise NotImplementedError

    def township(self, person_id: uuid.UUID | None) -> str | None:
        raise NotImplementedError

    def owner(self, person_id: uuid.UUID | None) -> str | None:
        """The centre that owns the person (None: no such person)."""
        raise NotImplementedError

    def employer(self, employer_id: uuid.UUID | None) -> Any:
        """The employer a stay names (version, payload, owner), read without a lock; or None."""
        raise NotImplementedError

    def paid(
        self, person_id: uuid.UUID | None, scheme: str, start: date, end: date
    ) -> PaidRow | None:
        """A live payment of the person and scheme covering any day of the period."""
        raise NotImplementedError

    def centre_name(self, code: str) -> str:
        if code not in self._centre_names:
            self._centre_names[code] = query_centre_name(self.conn, code)
        return self._centre_names[code]

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        self.writes += 1
        self.conn.execute(insert(table), values)

    def update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        self.writes += 1
        self.conn.execute(_UPDATES[table.name], {**values, "entity_key": entity_id})


def _query_row(conn: Connection, table: Table, entity_id: uuid.UUID) -> Any:
    return conn.execute(
        select(*_row_columns(table)).where(table.c.id == entity_id).with_for_update()
    ).first()


def _query_township(conn: Connection, person_id: uuid.UUID | None) -> str | None:
    return conn.scalar(select(PERSON.c.township_code).where(PERSON.c.id == person_id))


def _query_owner(conn: Connection, person_id: uuid.UUID | None) -> str | None:
    return conn.scalar(select(PERSON.c.centre_code).where(PERSON.c.id == person_id))


def _query_employers(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, Current]:
    found = conn.execute(
        select(EMPLOYER.c.id, EMPLOYER.c.version, EMPLOYER.c.payload, EMPLOYER.c.centre_code).where(
            among(conn, EMPLOYER.c.id, ids)
        )
    )
    return {row.id: Current(row.version, row.payload, False, row.centre_code) for row in found}


def query_centre_name(conn: Connection, code: str) -> str:
    return conn.scalar(select(Centre.name).where(Centre.code == code)) or code


class DirectStore(Store):
    """One query per read: what the record-by-record path (and its savepoints) needs."""

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        return _query_row(self.conn, table, entity_id)

    def township(self, person_id: uuid.UUID | None) -> str | None:
        return _query_township(self.conn, person_id)

    def owner(self, person_id: uuid.UUID | None) -> str | None:
        return _query_owner(self.conn, person_id)

    def employer(self, employer_id: uuid.UUID | None) -> Any:
        return _query_employers(self.conn, [employer_id]).get(employer_id) if employer_id else None

    def paid(
        self, person_id: uuid.UUID | None, scheme: str, start: date, end: date
    ) -> PaidRow | None:
        return _query_overlap(self.conn, person_id, scheme, start, end)


class WriteWouldFail(Exception):
    """The write would break a constraint for certain, so it was not sent."""


class AloneStore(DirectStore):
    """``DirectStore`` for a record applied alone: its savepoint opens at its first write,
    and a write certain to break a constraint (its person is not in the registry; its ID
    number is another person's) is not sent but raises ``WriteWouldFail``. Either way the
    caller then explains the record from the registry as it stood before it, as it would
    after a failed write and the savepoint's rollback; a record that collides costs no
    savepoint and no failed statement. (Certain: the batch holds the locks on both.)"""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self.savepoint: Any = None
        self._owners: dict[uuid.UUID | None, str | None] = {}

    def owner(self, person_id: uuid.UUID | None) -> str | None:
        if person_id not in self._owners:
            self._owners[person_id] = _query_owner(self.conn, person_id)
        return self._owners[person_id]

    def _certain_to_fail(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> bool:
        person = values.get("person_id")
        if "person_id" in table.c and person is not None and self.owner(person) is None:
            return True
        if table is PERSON and "id_number" in values:
            holder = self.conn.scalar(
                select(PERSON.c.id).where(PERSON.c.id_number == values["id_number"])
            )
            return holder is not None and holder != entity_id
        return False

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        if self._certain_to_fail(table, values["id"], values):
            raise WriteWouldFail
        self.savepoint = self.savepoint or self.conn.begin_nested()
        super().insert(table, values)

    def update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        if self._certain_to_fail(table, entity_id, values):
            raise WriteWouldFail
        self.savepoint = self.savepoint or self.conn.begin_nested()
        super().update(table, entity_id, values)

    def commit(self) -> None:
        if self.savepoint is not None:
            self.savepoint.commit()

    def rollback(self) -> None:
        if self.savepoint is not None:
            self.savepoint.rollback()


# Records that belong to a person: the person's owner decides whether they are accepted.
PERSON_REFERENCES = ("enrolment", "payment", "survey_entry", "coverage", "employment")


def _person_ref(record: Record) -> uuid.UUID | None:
    if record.entity_type not in PERSON_REFERENCES:
        return None
    return _uuid_or_none(record.payload.get("person_id"))


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


class _Plan:
    """How SQLAlchemy would fill and bind one table's row: Python-side column defaults
    (``updated_at``, ``voided``), ``TypeDecorator`` binds (``UtcDateTime`` as naive UTC),
    JSON through ``json.dumps`` (None as JSON null, as SQLAlchemy's JSON does)."""

    def __init__(self, table: Table, dialect: Any) -> None:
        from psycopg.types.json import Json

        self.defaults: list[tuple[str, Any]] = []
        self.binders: dict[str, Any] = {}
        for column in table.columns:
            default = column.default
            if default is not None and default.is_callable:
                self.defaults.append((column.name, partial(default.arg, None)))  # type: ignore[attr-defined]
            elif default is not None and default.is_scalar:
                self.defaults.append((column.name, partial(_same, default.arg)))  # type: ignore[attr-defined]
            kind = column.type
            if isinstance(kind, TypeDecorator):
                self.binders[column.name] = partial(kind.process_bind_param, dialect=dialect)
            elif isinstance(kind, JSON):
                self.binders[column.name] = partial(_json, Json, kind.none_as_null)

    def fill(self, values: dict[str, Any]) -> dict[str, Any]:
        row = dict(values)
        for name, make in self.defaults:
            if name not in row:
                row[name] = make()
        return row

    def bind(self, row: dict[str, Any]) -> dict[str, Any]:
        binders = self.binders
        return {
            name: (binders[name](value) if name in binders else value)
            for name, value in row.items()
        }


def _same(value: Any) -> Any:
    return value


def _json(wrap: Any, none_as_null: bool, value: Any) -> Any:
    return None if value is None and none_as_null else wrap(value)


class _PsycopgWriter:
    """The same rows as SQLAlchemy would send, straight to a psycopg cursor: a table's new
    rows as one COPY, its changed rows as one ``UPDATE … FROM (VALUES …)``, and single
    INSERTs and UPDATEs for the writes sent at their place. Rows are filled and bound as
    SQLAlchemy would (see ``_Plan``); going through SQLAlchemy per row would cost more than
    the statements.
    """

    _plans: dict[str, _Plan] = {}
    _sql: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def __init__(self, conn: Connection) -> None:
        self._dialect = conn.dialect
        self._quote = conn.dialect.identifier_preparer.quote
        self._cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def _plan(self, table: Table) -> _Plan:
        plan = self._plans.get(table.name)
        if plan is None:
            plan = self._plans[table.name] = _Plan(table, self._dialect)
        return plan

    def copy(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Many rows at once with COPY (what an INSERT of each would do, in one stream)."""
        plan = self._plan(table)
        full = [plan.bind(plan.fill(row)) for row in rows]
        names = list(full[0])
        columns = ", ".join(self._quote(name) for name in names)
        with self._cursor.copy(f"COPY {self._quote(table.name)} ({columns}) FROM STDIN") as copy:
            for row in full:
                copy.write_row([row[name] for name in names])

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        plan = self._plan(table)
        row = plan.fill(values)
        key = (table.name, "insert", tuple(row))
        sql = self._sql.get(key)
        if sql is None:
            names = ", ".join(self._quote(name) for name in row)
            marks = ", ".join(f"%({name})s" for name in row)
            sql = self._sql[key] = (
                f"INSERT INTO {self._quote(table.name)} ({names}) VALUES ({marks})"
            )
        self._cursor.execute(sql, plan.bind(row))

    def update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        key = (table.name, "update", tuple(values))
        sql = self._sql.get(key)
        if sql is None:
            sets = ", ".join(f"{self._quote(name)} = %({name})s" for name in values)
            sql = self._sql[key] = (
                f"UPDATE {self._quote(table.name)} SET {sets} WHERE id = %(entity_key)s"
            )
        self._cursor.execute(sql, {**self._plan(table).bind(values), "entity_key": entity_id})

    def update_many(self, table: Table, changes: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
        """Many rows (distinct ids, the same columns) changed by one statement: each row of
        ``VALUES`` cast to its column's type, joined to the table by id."""
        plan = self._plan(table)
        names = list(changes[0][1])
        casts = ["UUID"] + [table.c[name].type.compile(dialect=self._dialect) for name in names]
        one = "(" + ", ".join(f"CAST(%s AS {cast})" for cast in casts) + ")"
        sets = ", ".join(f"{self._quote(name)} = v.{self._quote(name)}" for name in names)
        columns = ", ".join(["entity_key", *(self._quote(name) for name in names)])
        sql = (
            f"UPDATE {self._quote(table.name)} AS t SET {sets} "
            f"FROM (VALUES {', '.join([one] * len(changes))}) AS v({columns}) "
            "WHERE t.id = v.entity_key"
        )
        params: list[Any] = []
        for entity_id, values in changes:
            bound = plan.bind(values)
            params.append(entity_id)
            params.extend(bound[name] for name in names)
        self._cursor.execute(sql, params)

    def close(self) -> None:
        self._cursor.close()


@contextmanager
def raw_errors(conn: Connection) -> Iterator[None]:
    """psycopg's own errors (from ``_PsycopgWriter``) as SQLAlchemy would raise them."""
    dbapi = conn.dialect.dbapi
    try:
        yield
    except dbapi.Error as error:  # type: ignore[union-attr]
        raise DBAPIError.instance(None, None, error, dbapi.Error, dialect=conn.dialect) from error


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows of the same shape: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.driver != "psycopg":
        conn.execute(insert(table), rows)
        return
    writer = _PsycopgWriter(conn)
    try:
        with raw_errors(conn):
            writer.copy(table, rows)
    finally:
        writer.close()


class BatchStore(Store):
    """Reads a batch's rows up front (a few queries, locks taken in key order), then from
    memory; holds its writes and sends them set-based (``flush``; see the module's words
    on why the answers stay those of record by record)."""

    CHUNK = 500

    def __init__(self, conn: Connection, records: list[Record]) -> None:
        super().__init__(conn)
        self._writer = _PsycopgWriter(conn) if conn.dialect.driver == "psycopg" else None
        self._rows: dict[tuple[str, uuid.UUID], Current | None] = {}
        self._townships: dict[uuid.UUID, str | None] = {}
        self._owners: dict[uuid.UUID, str | None] = {}
        # Held writes by table, in record order: new rows, and changes to existing ones.
        self._inserts: dict[str, dict[uuid.UUID, dict[str, Any]]] = {n: {} for n in TABLES}
        self._updates: dict[str, dict[uuid.UUID, dict[str, Any]]] = {n: {} for n in TABLES}
        self._centre_names = {row.code: row.name for row in conn.execute(select(Centre))}
        for name, table in TABLES.items():
            ids = sorted({r.entity_id for r in records if r.entity_type == name})
            for key in ids:
                self._rows[(name, key)] = None
                if table is PERSON:
                    self._townships[key] = None
                    self._owners[key] = None
            extra = [PERSON.c.township_code] if table is PERSON else []
            for chunk in self._chunks(ids):
                found = conn.execute(
                    select(table.c.id, *_row_columns(table), *extra)
                    .where(among(conn, table.c.id, chunk))
                    .order_by(table.c.id)
                    .with_for_update()
                )
                for row in found:
                    self._rows[(name, row.id)] = _current(table, row)
                    if table is PERSON:
                        self._townships[row.id] = row.township_code
                        self._owners[row.id] = row.centre_code
        # The townships of the persons enrolments name (for the registry feed); one that is
        # missing here is either written earlier in the batch (remembered then) or missing
        # for good, and then the enrolment's insert fails its foreign key.
        wanted = {ref for r in records if (ref := _person_ref(r)) is not None}
        wanted -= self._townships.keys()
        self._townships.update(dict.fromkeys(wanted))
        self._owners.update(dict.fromkeys(wanted))
        for chunk in self._chunks(sorted(wanted)):
            found = conn.execute(
                select(PERSON.c.id, PERSON.c.township_code, PERSON.c.centre_code).where(
                    among(conn, PERSON.c.id, chunk)
                )
            )
            for row in found:
                self._townships[row.id] = row.township_code
                self._owners[row.id] = row.centre_code

        # The employers the batch's stays name, for a stay filed in another township's feed.
        named = sorted(
            {
                employer
                for r in records
                if r.entity_type == "employment"
                and (employer := _uuid_or_none(r.payload.get("employer_id"))) is not None
            }
        )
        self._employers: dict[uuid.UUID, Current] = {}
        for chunk in self._chunks(named):
            self._employers.update(_query_employers(conn, chunk))

        # The enrolments the batch's payments name and the registry holds (their foreign
        # key is then met wherever the payment's insert goes).
        enrolments = sorted(
            {
                ref
                for r in records
                if r.entity_type == "payment"
                and (ref := _uuid_or_none(r.payload.get("enrolment_id"))) is not None
            }
        )
        self._enrolments_held: set[uuid.UUID] = set()
        for chunk in self._chunks(enrolments):
            self._enrolments_held.update(
                conn.scalars(select(ENROLMENT.c.id).where(among(conn, ENROLMENT.c.id, chunk)))
            )

        # The live payments of the persons the batch's payments name, for the one-per-period
        # check; kept up to date as the batch writes and voids payments.
        self._paid: dict[uuid.UUID, list[PaidRow]] = {}
        paying = sorted(
            {ref for r in records if r.entity_type == "payment" and (ref := _person_ref(r))}
        )
        for chunk in self._chunks(paying):
            for person_id, paid in _query_paid(conn, chunk):
                self._paid.setdefault(person_id, []).append(paid)
        self._paid_loaded = set(paying)

    def _chunks(self, ids: list[uuid.UUID]) -> list[list[uuid.UUID]]:
        return [ids[start : start + self.CHUNK] for start in range(0, len(ids), self.CHUNK)]

    # Reads of rows the batch does not name (appliers never do this) ask the database,
    # after sending what is held, so they see the batch's own writes.

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        key = (table.name, entity_id)
        if key not in self._rows:
            self.flush()
            found = _query_row(self.conn, table, entity_id)
            self._rows[key] = None if found is None else _current(table, found)
        return self._rows[key]

    def township(self, person_id: uuid.UUID | None) -> str | None:
        if person_id not in self._townships:
            self.flush()
            return _query_township(self.conn, person_id)
        return self._townships[person_id]

    def owner(self, person_id: uuid.UUID | None) -> str | None:
        if person_id not in self._owners:
            self.flush()
            return _query_owner(self.conn, person_id)
        return self._owners[person_id]

    def employer(self, employer_id: uuid.UUID | None) -> Any:
        written = self._rows.get(("employer", employer_id))  # this batch's own, newest
        return written or self._employers.get(employer_id)  # type: ignore[arg-type]

    def paid(
        self, person_id: uuid.UUID | None, scheme: str, start: date, end: date
    ) -> PaidRow | None:
        if person_id is None:
            return None
        if person_id not in self._paid_loaded:
            self.flush()
            return _query_overlap(self.conn, person_id, scheme, start, end)
        return _first_overlap(self._paid.get(person_id, []), scheme, start, end)

    def _remember_paid(self, values: dict[str, Any]) -> None:
        if values.get("voided") or values.get("period_start") is None:
            return
        self._paid.setdefault(values["person_id"], []).append(
            PaidRow(
                values["id"],
                values["scheme"],
                values["period_start"],
                values["period_end"],
                values.get("receipt_number")
                or str(values.get("payload", {}).get("voucher_number") or ""),
                values["centre_code"],
            )
        )

    def _forget_paid(self, payment_id: uuid.UUID) -> None:
        """A void frees the period."""
        for rows in self._paid.values():
            rows[:] = [row for row in rows if row.id != payment_id]

    def _remember(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        key = (table.name, entity_id)
        held = self._rows.get(key)
        names = KEY_COLUMNS[table.name]
        if held is None:
            self._rows[key] = Current(
                values.get("version", 0),
                values.get("payload", {}),
                values.get("voided", False),
                values.get("centre_code", ""),
                {name: values.get(name) for name in names},
            )
        else:  # what the appliers read is always the newest, so changed in place
            held.version = values.get("version", held.version)
            held.payload = values.get("payload", held.payload)
            held.voided = values.get("voided", held.voided)
            held.centre_code = values.get("centre_code", held.centre_code)
            held.keys.update((name, values[name]) for name in names if name in values)
        if table is PERSON and "township_code" in values:
            self._townships[entity_id] = values["township_code"]
        if table is PERSON and "centre_code" in values:
            self._owners[entity_id] = values["centre_code"]

    def _parents_known(self, table: Table, values: dict[str, Any]) -> bool:
        """Whether the rows a new row refers to are in the registry or written before it."""
        if "person_id" in table.c and self._owners.get(values.get("person_id")) is None:
            return False
        if table is PAYMENT:
            enrolment = values.get("enrolment_id")
            return enrolment in self._enrolments_held or (
                self._rows.get(("enrolment", enrolment)) is not None
            )
        return True

    def _moves_a_key(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> bool:
        held = self._rows.get((table.name, entity_id))
        if held is None:
            return True  # (appliers update only rows they read)
        return any(
            name in values and values[name] != held.keys.get(name)
            for name in KEY_COLUMNS[table.name]
        )

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        self.writes += 1
        if self._parents_known(table, values):
            self._inserts[table.name][values["id"]] = dict(values)
        else:  # it may fail its foreign key: at its place, as record by record
            self.flush()
            self._write_insert(table, values)
        self._remember(table, values["id"], values)
        if table is PAYMENT:
            self._remember_paid(values)

    def update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        self.writes += 1
        new_rows, changes = self._inserts[table.name], self._updates[table.name]
        if self._moves_a_key(table, entity_id, values):
            self.flush()
            self._write_update(table, entity_id, values)
        elif entity_id in new_rows:
            new_rows[entity_id].update(values)  # written once, as it ends
        elif entity_id in changes:
            changes[entity_id].update(values)
        else:
            changes[entity_id] = dict(values)
        self._remember(table, entity_id, values)
        if table is PAYMENT and values.get("voided"):
            self._forget_paid(entity_id)

    def _write_insert(self, table: Table, values: dict[str, Any]) -> None:
        if self._writer is None:
            self.conn.execute(insert(table), values)
        else:
            self._writer.insert(table, values)

    def _write_update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        if self._writer is None:
            self.conn.execute(_UPDATES[table.name], {**values, "entity_key": entity_id})
        else:
            self._writer.update(table, entity_id, values)

    def flush(self) -> None:
        """Send the held writes: per table (parents first) one statement for the new rows
        and one for the changed ones (per set of columns)."""
        for name in WRITE_ORDER:
            table = TABLES[name]
            for rows in _same_columns(list(self._inserts[name].values())):
                if self._writer is None:
                    self.conn.execute(insert(table), rows)
                else:
                    self._writer.copy(table, rows)
            self._inserts[name].clear()
            changes = list(self._updates[name].items())
            for group in _same_columns([values for _, values in changes]):
                chosen = changes[: len(group)]
                changes = changes[len(group) :]
                if self._writer is None:
                    self.conn.execute(
                        _UPDATES[name], [{**v, "entity_key": key} for key, v in chosen]
                    )
                else:
                    self._writer.update_many(table, chosen)
            self._updates[name].clear()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _same_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Consecutive rows with the same columns, grouped (one statement each), order kept."""
    groups: list[list[dict[str, Any]]] = []
    for row in rows:
        if groups and groups[-1][0].keys() == row.keys():
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups

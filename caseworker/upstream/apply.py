"""Apply one client record to the county registry, inside the caller's savepoint.

Each entity kind is an upsert by the client's UUID with optimistic versions: a higher
version updates, the same version with the same snapshot was already applied, anything
else is a conflict answered with the server's copy. Uniqueness across centres (ID number,
credit code, person+scheme, receipt number) is left to the database's constraints; when
one fires, the savepoint is rolled back and ``explain_integrity`` says which record won.

The appliers read and write through a ``Store``. ``DirectStore`` asks the database for
every row it needs (locking it), one record at a time. ``BatchStore`` reads, in a few
queries, every row a whole batch will touch (locked, in key order) and then answers from
memory, updating what it holds as records are written; its writes are the very same
statements in the same order, so a batch applied through it ends as if applied record by
record, as long as no constraint fires (the caller then starts over, record by record).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import JSON, Table, TypeDecorator, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_id_number, parse_uscc
from caseworker.sync.protocol import Record
from caseworker.upstream.models import (
    Employer,
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
TABLES: dict[str, Table] = {
    "person": PERSON,  # type: ignore[dict-item]
    "enrolment": ENROLMENT,  # type: ignore[dict-item]
    "payment": PAYMENT,  # type: ignore[dict-item]
    "employer": EMPLOYER,  # type: ignore[dict-item]
    "household": HOUSEHOLD,  # type: ignore[dict-item]
    "survey_entry": SURVEY,  # type: ignore[dict-item]
}
UPSERT_ONLY = {"person", "enrolment", "employer", "household", "survey_entry"}


class Rejected(Exception):
    """The record cannot be applied as sent: the clerk must fix it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Outcome:
    status: str
    code: str | None = None
    message: str | None = None
    server_version: int | None = None
    server_copy: dict[str, Any] | None = None
    # (entity_type, entity_id, version, township, payload) for the registry feed
    registry: list[tuple[str, uuid.UUID, int, str | None, dict[str, Any]]] = field(
        default_factory=list
    )


@dataclass(frozen=True)
class Origin:
    centre_code: str
    township_code: str | None


@dataclass
class Current:
    """What the registry holds for an entity (as ``BatchStore`` remembers it)."""

    version: int
    payload: dict[str, Any]
    voided: bool = False


def _row_columns(table: Table) -> list[Any]:
    columns = [table.c.version, table.c.payload]
    if table is PAYMENT:
        columns.append(PAYMENT.c.voided)
    return columns


_UPDATES = {
    name: update(table).where(table.c.id == bindparam("entity_key"))
    for name, table in TABLES.items()
}


class Store:
    """Where appliers read current rows and write new ones; subclasses say how they read."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.writes = 0

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        """The entity's version, payload (and ``voided`` for payments), locked; or None."""
        raise NotImplementedError

    def township(self, person_id: uuid.UUID | None) -> str | None:
        raise NotImplementedError

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


class DirectStore(Store):
    """One query per read: what the record-by-record path (and its savepoints) needs."""

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        return _query_row(self.conn, table, entity_id)

    def township(self, person_id: uuid.UUID | None) -> str | None:
        return _query_township(self.conn, person_id)


def _person_ref(record: Record) -> uuid.UUID | None:
    if record.entity_type != "enrolment":
        return None
    try:
        return uuid.UUID(str(record.payload.get("person_id")))
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
    """The same INSERTs and UPDATEs as SQLAlchemy would send, straight to a psycopg cursor.

    In pipeline mode a statement costs little more than building it, so SQLAlchemy's own
    per-statement work would be most of the batch; rows are filled and bound as SQLAlchemy
    would (see ``_Plan``).
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
    memory; writes go out at once, in record order, and update what it remembers."""

    CHUNK = 500

    def __init__(self, conn: Connection, records: list[Record]) -> None:
        super().__init__(conn)
        self._writer = _PsycopgWriter(conn) if conn.dialect.driver == "psycopg" else None
        self._rows: dict[tuple[str, uuid.UUID], Current | None] = {}
        self._townships: dict[uuid.UUID, str | None] = {}
        for name, table in TABLES.items():
            ids = sorted({r.entity_id for r in records if r.entity_type == name})
            for key in ids:
                self._rows[(name, key)] = None
                if table is PERSON:
                    self._townships[key] = None
            extra = [PERSON.c.township_code] if table is PERSON else []
            for chunk in self._chunks(ids):
                found = conn.execute(
                    select(table.c.id, *_row_columns(table), *extra)
                    .where(table.c.id.in_(chunk))
                    .order_by(table.c.id)
                    .with_for_update()
                )
                for row in found:
                    voided = bool(row.voided) if table is PAYMENT else False
                    self._rows[(name, row.id)] = Current(row.version, row.payload, voided)
                    if table is PERSON:
                        self._townships[row.id] = row.township_code
        # The townships of the persons enrolments name (for the registry feed); one that is
        # missing here is either written earlier in the batch (remembered then) or missing
        # for good, and then the enrolment's insert fails its foreign key.
        wanted = {ref for r in records if (ref := _person_ref(r)) is not None}
        wanted -= self._townships.keys()
        self._townships.update(dict.fromkeys(wanted))
        for chunk in self._chunks(sorted(wanted)):
            found = conn.execute(
                select(PERSON.c.id, PERSON.c.township_code).where(PERSON.c.id.in_(chunk))
            )
            self._townships.update((row.id, row.township_code) for row in found)

    def _chunks(self, ids: list[uuid.UUID]) -> list[list[uuid.UUID]]:
        return [ids[start : start + self.CHUNK] for start in range(0, len(ids), self.CHUNK)]

    def row(self, table: Table, entity_id: uuid.UUID) -> Any:
        key = (table.name, entity_id)
        if key not in self._rows:  # not named by the batch (appliers never do this): ask
            self._rows[key] = _query_row(self.conn, table, entity_id)
        return self._rows[key]

    def township(self, person_id: uuid.UUID | None) -> str | None:
        if person_id not in self._townships:
            return _query_township(self.conn, person_id)
        return self._townships[person_id]

    def _remember(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        key = (table.name, entity_id)
        held = self._rows.get(key)
        self._rows[key] = Current(
            values.get("version", held.version if held else 0),
            values.get("payload", held.payload if held else {}),
            values.get("voided", held.voided if held else False),
        )
        if table is PERSON and "township_code" in values:
            self._townships[entity_id] = values["township_code"]

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        if self._writer is None:
            super().insert(table, values)
        else:
            self.writes += 1
            self._writer.insert(table, values)
        self._remember(table, values["id"], values)

    def update(self, table: Table, entity_id: uuid.UUID, values: dict[str, Any]) -> None:
        if self._writer is None:
            super().update(table, entity_id, values)
        else:
            self.writes += 1
            self._writer.update(table, entity_id, values)
        self._remember(table, entity_id, values)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _conflict(code: str, message: str, row: Any) -> Outcome:
    return Outcome("conflict", code, message, row.version, dict(row.payload))


def _uuid(payload: dict[str, Any], name: str, *, required: bool = True) -> uuid.UUID | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise Rejected(f"invalid_{name}", f"{name} 不是有效的标识 / {name} is not a UUID") from None


def _text(payload: dict[str, Any], name: str, limit: int) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Rejected(
            f"invalid_{name}", f"{name} 缺失或过长 / {name} is missing or longer than {limit}"
        )
    return value


def _version(payload: dict[str, Any], *, default: int | None = None) -> int:
    value = payload.get("version", default)
    if value is None:
        value = default
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**31:
        raise Rejected("invalid_version", "版本号无效 / version must be a positive integer")
    return value


def _township(payload: dict[str, Any], origin: Origin) -> str | None:
    village = payload.get("hukou_village_code")
    if isinstance(village, str) and len(village) >= 9 and village[:9].isdigit():
        return village[:9]
    return origin.township_code


def _upsert(
    store: Store,
    table: Table,
    record: Record,
    version: int,
    columns: dict[str, Any],
    origin: Origin,
) -> tuple[Outcome, bool]:
    """Insert or version-checked update; returns the outcome and whether a row was written."""
    row = store.row(table, record.entity_id)
    values = {"version": version, "payload": record.payload, "centre_code": origin.centre_code}
    if row is None:
        store.insert(table, {"id": record.entity_id, **values, **columns})
        return Outcome("created"), True
    if version > row.version:
        store.update(table, record.entity_id, {**values, **columns})
        return Outcome("updated"), True
    if version == row.version and row.payload == record.payload:
        return Outcome("already_applied"), False
    return (
        _conflict(
            "stale_version",
            f"县级库中该记录已是第{row.version}版，与本机修改冲突 / the county holds version "
            f"{row.version}, changed elsewhere",
            row,
        ),
        False,
    )


def _person(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    try:
        identity = parse_id_number(_text(p, "id_number", 18))
    except InvalidValue as error:
        raise Rejected("invalid_id_number", error.message) from None
    name = _text(p, "name", 60)
    township = _township(p, origin)
    outcome, written = _upsert(
        store,
        PERSON,
        record,
        _version(p),
        {"id_number": identity.number, "name": name, "township_code": township},
        origin,
    )
    if written:
        outcome.registry.append(("person", record.entity_id, _version(p), township, p))
    return outcome


def _enrolment(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    person_id = _uuid(p, "person_id")
    scheme = _text(p, "scheme", 40)
    outcome, written = _upsert(
        store, ENROLMENT, record, _version(p), {"person_id": person_id, "scheme": scheme}, origin
    )
    if written:
        township = store.township(person_id)
        outcome.registry.append(("enrolment", record.entity_id, _version(p), township, p))
    return outcome


def _employer(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    try:
        code = parse_uscc(_text(p, "credit_code", 18)).code
    except InvalidValue as error:
        raise Rejected("invalid_credit_code", error.message) from None
    return _upsert(store, EMPLOYER, record, _version(p), {"credit_code": code}, origin)[0]


def _household(store: Store, record: Record, origin: Origin) -> Outcome:
    # Households were snapshotted before their first flush, so version 1 may arrive as null.
    return _upsert(store, HOUSEHOLD, record, _version(record.payload, default=1), {}, origin)[0]


def _survey(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    columns = {"person_id": _uuid(p, "person_id")}
    return _upsert(store, SURVEY, record, _version(p, default=1), columns, origin)[0]


def _payment(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    receipt = _text(p, "receipt_number", 40)
    amount = p.get("amount_fen")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount < 2**40:
        raise Rejected("invalid_amount_fen", "金额无效 / amount_fen must be a whole number of fen")
    row = store.row(PAYMENT, record.entity_id)
    voided = p.get("voided_at") is not None
    if record.operation == "create":
        if row is None:
            store.insert(
                PAYMENT,
                {
                    "id": record.entity_id,
                    "version": 1,
                    "centre_code": origin.centre_code,
                    "payload": p,
                    "receipt_number": receipt,
                    "person_id": _uuid(p, "person_id"),
                    "enrolment_id": _uuid(p, "enrolment_id"),
                    "amount_fen": amount,
                    "voided": voided,
                },
            )
            return Outcome("created")
        if row.payload == p:
            return Outcome("already_applied")
        return _conflict(
            "payment_differs",
            "县级库中该缴费记录内容不同 / the county holds a different payment",
            row,
        )
    # void
    if not voided:
        raise Rejected("void_without_reason", "作废记录缺少作废时间 / a void must carry voided_at")
    if row is None:
        raise Rejected(
            "unknown_payment", "县级库中没有这笔缴费，无法作废 / the county has no such payment"
        )
    if row.voided:
        return Outcome("already_applied")
    store.update(
        PAYMENT, record.entity_id, {"voided": True, "payload": p, "version": row.version + 1}
    )
    return Outcome("updated")


APPLIERS = {
    "person": _person,
    "enrolment": _enrolment,
    "employer": _employer,
    "household": _household,
    "survey_entry": _survey,
    "payment": _payment,
}


def apply_record(store: Store, record: Record, origin: Origin) -> Outcome:
    """Check the record's shape, then apply it. Raises ``Rejected``; IntegrityError passes up."""
    applier = APPLIERS.get(record.entity_type)
    if applier is None:
        raise Rejected(
            "unknown_entity_type", f"未知的记录类型 / unknown entity type {record.entity_type!r}"
        )
    allowed = ("create", "void") if record.entity_type == "payment" else ("upsert",)
    if record.operation not in allowed:
        raise Rejected(
            "unknown_operation",
            f"{record.entity_type} 不支持操作 {record.operation!r} / operation not allowed",
        )
    if str(record.payload.get("id")) != str(record.entity_id):
        raise Rejected(
            "id_mismatch", "记录内容的id与entity_id不一致 / payload id differs from entity_id"
        )
    return applier(store, record, origin)


def explain_integrity(conn: Connection, record: Record) -> Outcome:
    """After a constraint fired and the savepoint was rolled back: who holds what we wanted."""
    p = record.payload
    kind = record.entity_type
    if kind == "person":
        row = conn.execute(
            select(PERSON.c.version, PERSON.c.payload).where(
                PERSON.c.id_number == str(p.get("id_number", "")).upper()
            )
        ).first()
        if row is not None:
            return _conflict(
                "duplicate_id_number",
                "该身份证号码已由其他服务中心登记，请核对后采用县级记录 / another centre already "
                "registered this ID number",
                row,
            )
    elif kind == "employer":
        row = conn.execute(
            select(EMPLOYER.c.version, EMPLOYER.c.payload).where(
                EMPLOYER.c.credit_code == str(p.get("credit_code", "")).upper()
            )
        ).first()
        if row is not None:
            return _conflict(
                "duplicate_credit_code",
                "该统一社会信用代码已由其他服务中心登记 / another centre registered this employer",
                row,
            )
    elif kind == "enrolment":
        person_id = _uuid(p, "person_id")
        if conn.scalar(select(PERSON.c.id).where(PERSON.c.id == person_id)) is None:
            raise Rejected(
                "unknown_person",
                "县级库中没有该参保人（人员记录被退回或冲突），请先处理人员记录 / the person "
                "of this enrolment is not in the county registry",
            )
        row = conn.execute(
            select(ENROLMENT.c.version, ENROLMENT.c.payload).where(
                ENROLMENT.c.person_id == person_id, ENROLMENT.c.scheme == p.get("scheme")
            )
        ).first()
        if row is not None:
            return _conflict(
                "duplicate_enrolment",
                "该人员已在其他服务中心参加此险种 / already enrolled in this scheme elsewhere",
                row,
            )
    elif kind == "payment":
        row = conn.execute(
            select(PAYMENT.c.version, PAYMENT.c.payload).where(
                PAYMENT.c.receipt_number == p.get("receipt_number")
            )
        ).first()
        if row is not None:
            return _conflict(
                "duplicate_receipt", "收据号已被另一笔缴费使用 / receipt number already used", row
            )
        raise Rejected(
            "unknown_enrolment",
            "县级库中没有对应的人员或参保记录，请先处理它们 / the person or enrolment of this "
            "payment is not in the county registry",
        )
    elif kind == "survey_entry":
        raise Rejected(
            "unknown_person", "县级库中没有该人员 / the person is not in the county registry"
        )
    # The same entity id written concurrently by another upload: report it as a conflict.
    table = TABLES[kind]
    row = conn.execute(
        select(table.c.version, table.c.payload).where(table.c.id == record.entity_id)
    ).first()
    if row is not None:
        return _conflict(
            "concurrent_change", "同一记录同时被另一批次修改 / changed concurrently", row
        )
    raise Rejected("constraint", "记录违反县级库的约束 / the record breaks a registry constraint")

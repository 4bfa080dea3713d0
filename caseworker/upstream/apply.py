"""Apply one client record to the county registry, inside the caller's savepoint.

Each entity kind is an upsert by the client's UUID with optimistic versions: a higher
version updates, the same version with the same snapshot was already applied, anything
else is a conflict answered with the server's copy. Uniqueness across centres (ID number,
credit code, person+scheme, receipt number) is left to the database's constraints; when
one fires, the savepoint is rolled back and ``explain_integrity`` says which record won.

The appliers read and write through a ``Store`` (see ``caseworker.upstream.apply_stores``).
``DirectStore`` asks the database for every row it needs (locking it), one record at a
time. ``BatchStore`` reads, in a few queries, every row a whole batch will touch
(locked, in key order) and then answers from memory, updating what it holds as records
are written; it sends the writes set-based at the end of the part (only those whose place
in the record order cannot matter; the others at their place), so a batch applied through
it ends as if applied record by record, as long as no constraint fires (the caller then
starts over, record by record).

Ownership (``caseworker.upstream.ownership``): a row keeps the centre that created it; a
record from another centre that would change it, or that enrols, pays for, surveys or
records the coverage of a person another centre owns, is refused ``not_owner`` before
anything is written, and an answer never carries another centre's record. A coverage status
belongs to its person's owner (see ``_coverage``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from caseworker.domain.codes import label_or_code
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_uscc
from caseworker.domain.periods import Period
from caseworker.domain.wire import SHAPES
from caseworker.sync.protocol import OwnerInfo, Record, RegisteredElsewhere
from caseworker.upstream.apply_checks import Rejected as Rejected
from caseworker.upstream.apply_checks import coverage_key, id_number_of
from caseworker.upstream.apply_checks import text_field as _text
from caseworker.upstream.apply_checks import uuid_field as _uuid
from caseworker.upstream.apply_checks import version_field as _version
from caseworker.upstream.apply_stores import (
    COVERAGE,
    EMPLOYER,
    EMPLOYMENT,
    ENROLMENT,
    HOUSEHOLD,
    PAYMENT,
    PERSON,
    SURVEY,
    TABLES,
    PaidRow,
    Store,
)
from caseworker.upstream.ownership import not_owner_message, owner_info, registered_elsewhere

UPSERT_ONLY = {kind for kind, shape in SHAPES.items() if shape.operations == ("upsert",)}


@dataclass
class Outcome:
    status: str
    code: str | None = None
    message: str | None = None
    server_version: int | None = None
    server_copy: dict[str, Any] | None = None
    owner: OwnerInfo | None = None
    elsewhere: RegisteredElsewhere | None = None
    # (entity_type, entity_id, version, township, payload) for the registry feed
    registry: list[tuple[str, uuid.UUID, int, str | None, dict[str, Any]]] = field(
        default_factory=list
    )


@dataclass(frozen=True)
class Origin:
    centre_code: str
    township_code: str | None


def _conflict(code: str, message: str, row: Any) -> Outcome:
    return Outcome("conflict", code, message, row.version, dict(row.payload))


def _refused_for(owner: OwnerInfo, kind: str, *, of_person: bool) -> Outcome:
    """Refused: the record (or its person) belongs to another centre. Nothing is written."""
    message = not_owner_message(kind, owner, of_person=of_person)
    return Outcome("rejected", "not_owner", message, owner=owner)


def _not_owner(store: Store, kind: str, centre_code: str, *, of_person: bool) -> Outcome:
    owner = OwnerInfo(centre_code=centre_code, centre_name=store.centre_name(centre_code))
    return _refused_for(owner, kind, of_person=of_person)


def _foreign_person(
    store: Store, kind: str, person_id: uuid.UUID | None, origin: Origin
) -> Outcome | None:
    """A not_owner answer when the record's person belongs to another centre."""
    owner = store.owner(person_id)
    if owner is not None and owner != origin.centre_code:
        return _not_owner(store, kind, owner, of_person=True)
    return None


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
    values = {"version": version, "payload": record.payload}
    if row is None:
        # The owner is set here, once; an update never writes it (only a transfer does).
        store.insert(
            table, {"id": record.entity_id, **values, "centre_code": origin.centre_code, **columns}
        )
        return Outcome("created"), True
    if row.centre_code != origin.centre_code:
        kind = record.entity_type
        return _not_owner(store, kind, row.centre_code, of_person=kind == "person"), False
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
        identity = id_number_of(_text(p, "id_number", 18))
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
    refused = _foreign_person(store, "enrolment", person_id, origin)
    if refused is not None:
        return refused
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
    version = _version(p)
    outcome, written = _upsert(store, EMPLOYER, record, version, {"credit_code": code}, origin)
    if written:
        # Filed under the sending centre's township: the stays of its centres name it.
        outcome.registry.append(("employer", record.entity_id, version, origin.township_code, p))
    return outcome


def _household_township(payload: dict[str, Any], origin: Origin) -> str | None:
    """A household has no person to take a township from: its village's (the first nine
    digits of the 12-digit village code), else the sending centre's."""
    village = payload.get("village_code")
    if isinstance(village, str) and len(village) >= 9 and village[:9].isdigit():
        return village[:9]
    return origin.township_code


def _household(store: Store, record: Record, origin: Origin) -> Outcome:
    # Households were snapshotted before their first flush, so version 1 may arrive as null.
    p = record.payload
    version = _version(p, default=1)
    outcome, written = _upsert(store, HOUSEHOLD, record, version, {}, origin)
    if written:
        township = _household_township(p, origin)
        outcome.registry.append(("household", record.entity_id, version, township, p))
    return outcome


def _survey(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    columns = {"person_id": _uuid(p, "person_id")}
    refused = _foreign_person(store, "survey_entry", columns["person_id"], origin)
    if refused is not None:
        return refused
    return _upsert(store, SURVEY, record, _version(p, default=1), columns, origin)[0]


def _employment(store: Store, record: Record, origin: Origin) -> Outcome:
    """A stay at an employer: the person's owner decides, as for survey entries. Each
    accepted 增员, 减员 or base change goes into the person's township feed (the wage base
    only to the owning centre: ``WireShape.owner_only``, applied as the feed is read)."""
    p = record.payload
    columns = {"person_id": _uuid(p, "person_id"), "employer_id": _uuid(p, "employer_id")}
    refused = _foreign_person(store, "employment", columns["person_id"], origin)
    if refused is not None:
        return refused
    version = _version(p)
    outcome, written = _upsert(store, EMPLOYMENT, record, version, columns, origin)
    if written:
        township = store.township(columns["person_id"])
        if township is not None and township != origin.township_code:
            # A migrant worker's stay goes to the township of their hukou, which the
            # employer's own feed rows never reach: its employer goes first, with it (feed
            # rows carry the sender as their centre, so only when the sender owns it).
            employer = store.employer(columns["employer_id"])
            if employer is not None and employer.centre_code == origin.centre_code:
                employer_row = ("employer", columns["employer_id"], employer.version)
                outcome.registry.append((*employer_row, township, employer.payload))
        outcome.registry.append(("employment", record.entity_id, version, township, p))
    return outcome


def _coverage(store: Store, record: Record, origin: Origin) -> Outcome:
    """A person's status in one line. The person's owner decides, as for survey entries;
    since the row is the person's, it follows the person: after a transfer the new owner
    writes it (and is then the row's centre), the old one no longer may."""
    p = record.payload
    person_id, line = coverage_key(p, record.entity_id)
    version = _version(p)
    owner = store.owner(person_id)
    if owner is None:
        raise Rejected(
            "unknown_person",
            "县级库中没有该人员（人员记录被退回或冲突），请先处理人员记录 / the person of this "
            "coverage status is not in the county registry",
        )
    if owner != origin.centre_code:
        return _not_owner(store, "coverage", owner, of_person=True)
    row = store.row(COVERAGE, record.entity_id)
    values = {"version": version, "payload": p, "centre_code": origin.centre_code}
    if row is None:
        store.insert(
            COVERAGE, {"id": record.entity_id, **values, "person_id": person_id, "line": line}
        )
        outcome = Outcome("created")
    elif version > row.version:
        store.update(COVERAGE, record.entity_id, values)
        outcome = Outcome("updated")
    elif version == row.version and row.payload == p:
        return Outcome("already_applied")
    else:
        return _conflict(
            "stale_version",
            f"县级库中该参保状态已是第{row.version}版，与本机修改冲突 / the county holds version "
            f"{row.version} of this status, changed elsewhere",
            row,
        )
    township = store.township(person_id)
    outcome.registry.append(("coverage", record.entity_id, version, township, p))
    return outcome


def _receipt_line(p: dict[str, Any]) -> tuple[str | None, int]:
    """Cash at the desk carries a centre receipt and its line; the tax channel a voucher."""
    channel = p.get("channel", "desk")
    if channel == "tax":
        _text(p, "voucher_number", 40)
        return None, 1
    if channel != "desk":
        raise Rejected("invalid_channel", "缴费渠道无效 / channel must be desk or tax")
    line = p.get("receipt_line", 1)
    if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= 999:
        raise Rejected("invalid_receipt_line", "收据行号无效 / receipt_line must be 1…999")
    return _text(p, "receipt_number", 40), line


def _period(p: dict[str, Any]) -> tuple[str, date, date]:
    scheme = _text(p, "scheme", 40)
    try:
        start = date.fromisoformat(str(p.get("period_start")))
        end = date.fromisoformat(str(p.get("period_end")))
    except ValueError:
        raise Rejected(
            "invalid_period", "缴费期间无效 / period_start and period_end must be dates"
        ) from None
    if end < start:
        raise Rejected("invalid_period", "缴费期间结束早于开始 / period_end before period_start")
    return scheme, start, end


def _already_paid(store: Store, held: PaidRow) -> Outcome:
    """Refused: the period is paid. Named: the other receipt and its centre, nothing more."""
    owner = OwnerInfo(centre_code=held.centre_code, centre_name=store.centre_name(held.centre_code))
    period = Period(held.period_start, held.period_end)
    scheme_zh, scheme_en = (
        label_or_code("scheme", held.scheme),
        label_or_code("scheme", held.scheme, "en"),
    )
    message = (
        f"该人员{scheme_zh}{period.label}已缴费（{owner.centre_name}，收据 {held.reference}），"
        f"同一期间不能重复缴费，请核对后作废本机这笔收据 / already paid: {scheme_en} for "
        f"{period.label_en}, receipt {held.reference} at {owner.centre_name}; void this one"
    )
    return Outcome("rejected", "already_paid", message, owner=owner)


def _payment(store: Store, record: Record, origin: Origin) -> Outcome:
    p = record.payload
    receipt, line = _receipt_line(p)
    amount = p.get("amount_fen")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount < 2**40:
        raise Rejected("invalid_amount_fen", "金额无效 / amount_fen must be a whole number of fen")
    row = store.row(PAYMENT, record.entity_id)
    voided = p.get("voided_at") is not None
    if record.operation == "create":
        if row is not None and row.centre_code != origin.centre_code:
            return _not_owner(store, "payment", row.centre_code, of_person=False)
        refused = _foreign_person(store, "payment", _uuid(p, "person_id"), origin)
        if refused is not None:
            return refused
        if row is None:
            person_id = _uuid(p, "person_id")
            scheme, start, end = _period(p)
            # One contribution per person, scheme and period, whichever device or centre
            # took the other one (a voided payment frees its period).
            held = None if voided else store.paid(person_id, scheme, start, end)
            if held is not None:
                return _already_paid(store, held)
            store.insert(
                PAYMENT,
                {
                    "id": record.entity_id,
                    "version": 1,
                    "centre_code": origin.centre_code,
                    "payload": p,
                    "receipt_number": receipt,
                    "receipt_line": line,
                    "person_id": person_id,
                    "enrolment_id": _uuid(p, "enrolment_id"),
                    "amount_fen": amount,
                    "voided": voided,
                    "scheme": scheme,
                    "period_start": start,
                    "period_end": end,
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
    # Money stays where it was taken: the collecting centre voids, even after a transfer.
    if row.centre_code != origin.centre_code:
        return _not_owner(store, "payment", row.centre_code, of_person=False)
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
    "coverage": _coverage,
    "employment": _employment,
}


def apply_record(store: Store, record: Record, origin: Origin) -> Outcome:
    """Check the record's shape, then apply it. Raises ``Rejected``; IntegrityError passes up."""
    applier = APPLIERS.get(record.entity_type)
    if applier is None:
        raise Rejected(
            "unknown_entity_type", f"未知的记录类型 / unknown entity type {record.entity_type!r}"
        )
    if record.operation not in SHAPES[record.entity_type].operations:
        raise Rejected(
            "unknown_operation",
            f"{record.entity_type} 不支持操作 {record.operation!r} / operation not allowed",
        )
    if str(record.payload.get("id")) != str(record.entity_id):
        raise Rejected(
            "id_mismatch", "记录内容的id与entity_id不一致 / payload id differs from entity_id"
        )
    return applier(store, record, origin)


def _held_elsewhere(conn: Connection, code: str, message: str, row: Any) -> Outcome:
    """A conflict over another centre's record: who holds it, never what it holds."""
    owner = owner_info(conn, row.centre_code)
    return Outcome("conflict", code, message, owner=owner)


def _refused_foreign(conn: Connection, kind: str, row: Any, *, of_person: bool) -> Outcome:
    return _refused_for(owner_info(conn, row.centre_code), kind, of_person=of_person)


def explain_integrity(conn: Connection, record: Record, origin: Origin) -> Outcome:
    """After a constraint fired and the savepoint was rolled back: who holds what we wanted.

    The holder's full record goes back only to its own centre; another centre learns who
    holds it (and, for a person, the masked identity a clerk needs to ask for a transfer).
    """
    p = record.payload
    kind = record.entity_type
    mine = origin.centre_code
    if kind == "person":
        row = conn.execute(
            select(
                PERSON.c.id,
                PERSON.c.id_number,
                PERSON.c.name,
                PERSON.c.centre_code,
                PERSON.c.version,
                PERSON.c.payload,
            ).where(PERSON.c.id_number == str(p.get("id_number", "")).upper())
        ).first()
        if row is not None and row.centre_code != mine:
            message, elsewhere = registered_elsewhere(conn, row)
            return Outcome(
                "conflict",
                "registered_elsewhere",
                message,
                owner=OwnerInfo(
                    centre_code=elsewhere.centre_code, centre_name=elsewhere.centre_name
                ),
                elsewhere=elsewhere,
            )
        if row is not None:
            return _conflict(
                "duplicate_id_number",
                "该身份证号码已由本中心另一台电脑登记，请核对后采用县级记录 / another computer of "
                "this centre already registered this ID number",
                row,
            )
    elif kind == "employer":
        row = conn.execute(
            select(EMPLOYER.c.centre_code, EMPLOYER.c.version, EMPLOYER.c.payload).where(
                EMPLOYER.c.credit_code == str(p.get("credit_code", "")).upper()
            )
        ).first()
        message = "该统一社会信用代码已由其他服务中心登记 / another centre registered this employer"
        if row is not None and row.centre_code != mine:
            return _held_elsewhere(conn, "duplicate_credit_code", message, row)
        if row is not None:
            return _conflict("duplicate_credit_code", message, row)
    elif kind == "enrolment":
        person_id = _uuid(p, "person_id")
        person = conn.execute(select(PERSON.c.centre_code).where(PERSON.c.id == person_id)).first()
        if person is None:
            raise Rejected(
                "unknown_person",
                "县级库中没有该参保人（人员记录被退回或冲突），请先处理人员记录 / the person "
                "of this enrolment is not in the county registry",
            )
        if person.centre_code != mine:
            return _refused_foreign(conn, kind, person, of_person=True)
        row = conn.execute(
            select(ENROLMENT.c.centre_code, ENROLMENT.c.version, ENROLMENT.c.payload).where(
                ENROLMENT.c.person_id == person_id, ENROLMENT.c.scheme == p.get("scheme")
            )
        ).first()
        message = "该人员已参加此险种 / already enrolled in this scheme"
        if row is not None and row.centre_code != mine:
            return _held_elsewhere(conn, "duplicate_enrolment", message, row)
        if row is not None:
            return _conflict("duplicate_enrolment", message, row)
    elif kind == "payment":
        row = conn.execute(
            select(PAYMENT.c.centre_code, PAYMENT.c.version, PAYMENT.c.payload).where(
                PAYMENT.c.receipt_number == p.get("receipt_number"),
                PAYMENT.c.receipt_line == p.get("receipt_line", 1),
            )
        ).first()
        message = "收据号已被另一笔缴费使用 / receipt number already used"
        if row is not None and row.centre_code != mine:
            return _held_elsewhere(conn, "duplicate_receipt", message, row)
        if row is not None:
            return _conflict("duplicate_receipt", message, row)
        raise Rejected(
            "unknown_enrolment",
            "县级库中没有对应的人员或参保记录，请先处理它们 / the person or enrolment of this "
            "payment is not in the county registry",
        )
    elif kind in ("survey_entry", "coverage", "employment"):
        raise Rejected(
            "unknown_person", "县级库中没有该人员 / the person is not in the county registry"
        )
    # The same entity id written concurrently by another upload: report it as a conflict.
    table = TABLES[kind]
    row = conn.execute(
        select(table.c.centre_code, table.c.version, table.c.payload).where(
            table.c.id == record.entity_id
        )
    ).first()
    if row is not None and row.centre_code != mine:
        return _refused_foreign(conn, kind, row, of_person=kind == "person")
    if row is not None:
        return _conflict(
            "concurrent_change", "同一记录同时被另一批次修改 / changed concurrently", row
        )
    raise Rejected("constraint", "记录违反县级库的约束 / the record breaks a registry constraint")

"""One person with enrolments, payments and history, read on a DB-API connection:
``registry.person_detail`` (the app) runs it under a session, ``caseworker show`` on the
direct store (``store/direct.py``), without SQLAlchemy."""

from __future__ import annotations

import json
import uuid
from typing import Any

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_id_number
from caseworker.services.errors import NotFound
from caseworker.services.records import EnrolmentRecord, HistoryRecord, PaymentRecord, PersonDetail
from caseworker.store.rows import date_of, datetime_of, uuid_of

_PERSON = (
    "id, id_number, id_kind, name, sex, birth_date, ethnicity, phone, hukou_nature, "
    "hukou_region_code, hukou_village_code, hukou_address, residence_address, "
    "employment_category, employer_id, special_groups, bank_account, household_id, "
    "relationship_to_head, version, owner_centre_code"
)
_PAYMENT = (
    "id, receipt_number, scheme, period_start, period_end, amount_fen, subsidy_fen, "
    "paid_by_government_fen, personal_fen, tier_fen, base_fen, method, paid_at, business_date, "
    "operator_id, voided_at, void_reason, channel, voucher_number"
)


def resolve_on(connection: Any, reference: str) -> uuid.UUID | None:
    """The person a reference names: a UUID, else an ID number (any accepted form)."""
    reference = reference.strip()
    try:
        key = uuid.UUID(reference).hex
        row = connection.execute("SELECT id FROM person WHERE id = ?", (key,)).fetchone()
    except ValueError:
        try:
            number = parse_id_number(reference).number
        except InvalidValue:
            number = reference.upper()
        row = connection.execute("SELECT id FROM person WHERE id_number = ?", (number,)).fetchone()
    return uuid_of(row[0]) if row else None


def _rows(connection: Any, sql: str, parameters: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, parameters)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def person_detail_on(connection: Any, reference: str) -> PersonDetail:
    """One person by ID number or UUID, with enrolments, payments and change history."""
    person_id = resolve_on(connection, reference)
    if person_id is None:
        raise NotFound(
            "person",
            f"本地登记库中没有“{reference}”对应的人员。",
            f"No person {reference!r} in the local registry.",
        )
    (p,) = _rows(connection, f"SELECT {_PERSON} FROM person WHERE id = ?", (person_id.hex,))
    employer = None
    if p["employer_id"] is not None:
        found = connection.execute(
            "SELECT name FROM employer WHERE id = ?", (p["employer_id"],)
        ).fetchone()
        employer = found[0] if found else None
    staff = {
        row["id"]: row
        for row in _rows(connection, "SELECT id, username, display_name, role FROM operator")
    }

    def who(operator_id: str | None) -> dict[str, str | None]:
        found = staff.get(operator_id) if operator_id else None
        return {
            "operator_display_name": found["display_name"] if found else None,
            "operator_role": found["role"] if found else None,
        }

    enrolments = _rows(
        connection,
        "SELECT id, scheme, status, tier_fen, base_fen, start_date, documents FROM enrolment "
        "WHERE person_id = ? ORDER BY scheme",
        (person_id.hex,),
    )
    payments = _rows(
        connection,
        f"SELECT {_PAYMENT} FROM payment WHERE person_id = ? ORDER BY paid_at",
        (person_id.hex,),
    )
    related = [person_id.hex, *(e["id"] for e in enrolments), *(x["id"] for x in payments)]
    history = _rows(
        connection,
        "SELECT at, operator_name, action, detail, operator_id FROM audit_entry "
        f"WHERE entity_id IN ({', '.join('?' * len(related))}) ORDER BY seq",
        tuple(related),
    )
    return PersonDetail(
        id=person_id,
        id_number=p["id_number"],
        id_kind=p["id_kind"],
        name=p["name"],
        sex=p["sex"],
        birth_date=date_of(p["birth_date"]),
        ethnicity=p["ethnicity"],
        phone=p["phone"],
        hukou_nature=p["hukou_nature"],
        hukou_region_code=p["hukou_region_code"],
        hukou_village_code=p["hukou_village_code"],
        hukou_address=p["hukou_address"],
        residence_address=p["residence_address"],
        employment_category=p["employment_category"],
        employer_id=uuid_of(p["employer_id"]),
        employer_name=employer,
        special_groups=tuple(json.loads(p["special_groups"])),
        bank_account=p["bank_account"],
        household_id=uuid_of(p["household_id"]),
        relationship_to_head=p["relationship_to_head"],
        version=p["version"],
        owner_centre_code=p["owner_centre_code"],
        enrolments=tuple(
            EnrolmentRecord(
                uuid.UUID(e["id"]),
                e["scheme"],
                e["status"],
                e["tier_fen"],
                e["base_fen"],
                date_of(e["start_date"]),
                tuple(json.loads(e["documents"])),
            )
            for e in enrolments
        ),
        payments=tuple(
            PaymentRecord(
                id=uuid.UUID(x["id"]),
                receipt_number=x["receipt_number"],
                scheme=x["scheme"],
                period_start=date_of(x["period_start"]),
                period_end=date_of(x["period_end"]),
                amount_fen=x["amount_fen"],
                subsidy_fen=x["subsidy_fen"],
                paid_by_government_fen=x["paid_by_government_fen"],
                personal_fen=x["personal_fen"],
                tier_fen=x["tier_fen"],
                base_fen=x["base_fen"],
                method=x["method"],
                paid_at=datetime_of(x["paid_at"]),
                business_date=date_of(x["business_date"]),
                operator_name=staff[x["operator_id"]]["username"]
                if x["operator_id"] in staff
                else "?",
                voided=x["voided_at"] is not None,
                void_reason=x["void_reason"],
                channel=x["channel"],
                voucher_number=x["voucher_number"],
                **who(x["operator_id"]),
            )
            for x in payments
        ),
        history=tuple(
            HistoryRecord(
                datetime_of(h["at"]),
                h["operator_name"],
                h["action"],
                json.loads(h["detail"]),
                **who(h["operator_id"]),
            )
            for h in history
        ),
    )

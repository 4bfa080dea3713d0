"""The wire shape of every entity that travels between a centre and the county.

Pure data, no models and no I/O, so that both sides read the same table: the client's
services, pull and conflict queue through ``caseworker.store.wire`` (which adds the store
model of each shape, and how to snapshot and apply a row), the county directly (which
operations each entity takes). A snapshot is the named fields plus ``id`` (and ``version``
for versioned entities), made plain JSON by ``to_jsonable``; ``from_wire`` turns a field of a
received payload back into the value the store keeps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

PERSON_FIELDS = (
    "id_number",
    "id_kind",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "phone",
    "hukou_nature",
    "hukou_region_code",
    "hukou_village_code",
    "hukou_address",
    "residence_address",
    "employment_category",
    "employer_id",
    "special_groups",
    "bank_account",
    "household_id",
    "relationship_to_head",
    "moved_in_on",
    "moved_away_on",
    "deceased_on",
)
ENROLMENT_FIELDS = (
    "person_id",
    "scheme",
    "status",
    "tier_fen",
    "base_fen",
    "employer_id",
    "start_date",
    "end_date",  # 减员, or a residents' scheme ended by an employer's (issue 13)
    "documents",
)
PAYMENT_FIELDS = (
    "receipt_number",
    "receipt_line",
    "channel",
    "voucher_number",
    "person_id",
    "enrolment_id",
    "scheme",
    "period_start",
    "period_end",
    "tier_fen",
    "base_fen",
    "amount_fen",
    "subsidy_fen",
    "paid_by_government_fen",
    "personal_fen",
    "method",
    "operator_id",
    "paid_at",
    "business_date",
    "voided_at",
    "voided_by",
    "void_reason",
)
EMPLOYER_FIELDS = (
    "credit_code",
    "name",
    "employer_type",
    "industry",
    "risk_class",
    "address",
    "contact_name",
    "contact_phone",
    # 单位参保登记 (issue 13): the schemes, since when, the work-injury floating step.
    "schemes",
    "insured_from",
    "work_injury_float_bp",
)
# 增员 / 减员 and platform links (issue 13): one stay of a person at an employer.
EMPLOYMENT_FIELDS = (
    "person_id",
    "employer_id",
    "kind",
    "start_date",
    "end_date",
    "end_reason",
    "schemes",
    "base_fen",
)
HOUSEHOLD_FIELDS = ("village_code", "address_detail")
SURVEY_ENTRY_FIELDS = (
    "person_id",
    "scheme",
    "status",
    "not_insured_reason",
    "insured_where",
    "surveyed_on",
    "note",
)
# A person's coverage in one insurance line; its id is coverage_id(person_id, line).
COVERAGE_FIELDS = (
    "person_id",
    "line",
    "status",
    "scheme",
    "reason",
    "insured_where",
    "as_of",
    "source",
    "note",
)


@dataclass(frozen=True)
class WireShape:
    entity_type: str
    fields: tuple[str, ...]
    # What a record of this type may ask the county to do.
    operations: tuple[str, ...] = ("upsert",)
    # Payments are never edited, only voided: their snapshot carries no version.
    versioned: bool = True
    # Least disclosure: fields the registry feed gives only to the record's own centre
    # (a wage base); the township's other centres get the record without them.
    owner_only: tuple[str, ...] = ()

    def disclosed(self, payload: dict[str, Any], *, to_owner: bool) -> dict[str, Any]:
        """What a centre may read of a payload: all of it if the record is its own."""
        if to_owner or not self.owner_only:
            return payload
        return {k: v for k, v in payload.items() if k not in self.owner_only}


SHAPES: dict[str, WireShape] = {
    shape.entity_type: shape
    for shape in (
        WireShape("person", PERSON_FIELDS),
        WireShape("enrolment", ENROLMENT_FIELDS, owner_only=("base_fen",)),
        WireShape("payment", PAYMENT_FIELDS, operations=("create", "void"), versioned=False),
        WireShape("employer", EMPLOYER_FIELDS),
        WireShape("household", HOUSEHOLD_FIELDS),
        WireShape("survey_entry", SURVEY_ENTRY_FIELDS),
        WireShape("coverage", COVERAGE_FIELDS),
        WireShape("employment", EMPLOYMENT_FIELDS, owner_only=("base_fen",)),
    )
}
ENTITY_TYPES = tuple(SHAPES)
OPERATIONS = ("upsert", "create", "void")

# Received payloads are JSON: these fields come back as dates and UUIDs.
DATE_FIELDS = {
    "birth_date",
    "start_date",
    "end_date",
    "insured_from",
    "moved_in_on",
    "moved_away_on",
    "deceased_on",
    "as_of",
}
UUID_FIELDS = {"employer_id", "household_id", "person_id"}


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    """UUIDs, dates and datetimes as strings, so payloads and hashes are plain JSON."""
    # Exact types first: most values are plain, and every change of a bulk import passes
    # here several times (payload, its hash, the audit entry's hash).
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN else to_jsonable(v)
            for k, v in value.items()
        }
    if kind is list:
        return [v if type(v) in _PLAIN else to_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


def from_wire(name: str, value: Any) -> Any:
    """A payload field as the store keeps it (dates and UUIDs parsed, the rest as sent)."""
    if value is None:
        return None
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    if name in UUID_FIELDS:
        return uuid.UUID(value)
    return value

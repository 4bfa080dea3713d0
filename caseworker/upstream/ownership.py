"""Who owns a record at the county, and what another centre is told about it.

Every person, enrolment, payment, survey entry, employer and household belongs to the
centre that created it (a coverage status to the person's owner) (``centre_code``, set on insert, never rewritten by an update). A
change from another centre is refused (``not_owner``) with the owning centre named; a
duplicate ID number is answered ``registered_elsewhere`` with the owning centre, a masked
ID number, the surname with the given name masked and the schemes held: never a phone,
address, bank account or birth date. Only a transfer approved at the county
(``caseworker.upstream.transfers``) moves a person to another centre.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from caseworker.domain.ids import mask_id_number
from caseworker.domain.names import mask_name
from caseworker.sync.protocol import OwnerInfo, RegisteredElsewhere
from caseworker.upstream.apply_stores import ENROLMENT, query_centre_name

# What the refused centre tried to do, for the message: (Chinese, English).
_WHAT = {
    "person": ("修改该人员", "change this person"),
    "enrolment": ("为该人员办理参保", "enrol this person"),
    "payment": ("为该人员缴费或作废缴费", "record or void this person's payments"),
    "survey_entry": ("登记该人员的参保调查", "record this person's coverage survey"),
    "coverage": ("记录该人员的参保状态", "record this person's coverage status"),
    "employment": ("为该人员办理增员或减员", "add or remove this person as an employee"),
}


def not_owner_message(entity_type: str, owner: OwnerInfo, *, of_person: bool) -> str:
    """Chinese for the clerk, then English, as every record answer carries them."""
    where = f"{owner.centre_name}（{owner.centre_code}）"
    where_en = f"{owner.centre_name} ({owner.centre_code})"
    if of_person:
        what, what_en = _WHAT.get(entity_type, _WHAT["person"])
        return (
            f"该人员由{where}管理，本中心不能{what}；如已迁入，请申请转入。 / This person is "
            f"managed by {where_en}; this centre cannot {what_en}. If the person moved here, "
            "request a transfer."
        )
    return (
        f"该记录由{where}登记，本中心不能修改。 / This record belongs to {where_en}; this "
        "centre cannot change it."
    )


def owner_info(conn: Connection, centre_code: str, name: str | None = None) -> OwnerInfo:
    return OwnerInfo(
        centre_code=centre_code, centre_name=name or query_centre_name(conn, centre_code)
    )


def registered_elsewhere(conn: Connection, person: Any) -> tuple[str, RegisteredElsewhere]:
    """The least a clerk of another centre needs about ``person`` (a row with id, id_number,
    name, centre_code): read from the indexed columns, never from the payload."""
    person_id: uuid.UUID = person.id
    schemes = sorted(
        set(conn.scalars(select(ENROLMENT.c.scheme).where(ENROLMENT.c.person_id == person_id)))
    )
    owner = owner_info(conn, person.centre_code)
    elsewhere = RegisteredElsewhere(
        centre_code=owner.centre_code,
        centre_name=owner.centre_name,
        id_number_masked=mask_id_number(person.id_number),
        name_masked=mask_name(person.name),
        schemes=schemes,
        person_id=person_id,
    )
    message = (
        f"该身份证号码已在{owner.centre_name}（{owner.centre_code}）登记"
        f"（{elsewhere.id_number_masked} {elsewhere.name_masked}）；如该人员已迁入本中心，请申请转入。"
        f" / This ID number is registered at {owner.centre_name} ({owner.centre_code}); if "
        "the person moved here, request a transfer."
    )
    return message, elsewhere

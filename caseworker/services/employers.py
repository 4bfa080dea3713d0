"""Register employers (unified social credit code checked) and look them up."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.contact import parse_phone
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import parse_uscc
from caseworker.domain.wire import EMPLOYER_FIELDS as EMPLOYER_FIELDS  # its old home
from caseworker.services.actor import Actor, Permission
from caseworker.services.errors import NotFound, PermissionDenied
from caseworker.services.journal import record_change
from caseworker.services.left_out import left_out_counts, left_out_people
from caseworker.services.validation import Collector, check_code
from caseworker.store.database import Database
from caseworker.store.models import Employer, Employment, Person, new_id
from caseworker.store.wire import WIRE


@dataclass
class EmployerInput:
    credit_code: str
    name: str
    employer_type: str
    industry: str | None = None
    risk_class: int | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


def _validate(data: EmployerInput) -> dict[str, object]:
    collector = Collector()
    code = collector.check(lambda: parse_uscc(data.credit_code))
    name = data.name.strip()
    if not 2 <= len(name) <= 200:
        collector.add(InvalidValue("employer_name", "length", "单位名称应为2至200个字。"))
    employer_type = check_code("employer_type", data.employer_type, "employer_type", collector)
    if data.risk_class is not None and not 1 <= data.risk_class <= 8:
        collector.add(InvalidValue("risk_class", "range", "工伤风险类别应为一类至八类（1–8）。"))
    phone = None
    if data.contact_phone and data.contact_phone.strip():
        parsed = collector.check(lambda: parse_phone(data.contact_phone or ""))
        phone = parsed.number if parsed else None
    collector.raise_if_any()
    assert code is not None
    return {
        "credit_code": code.code,
        "name": name,
        "employer_type": employer_type,
        "industry": (data.industry or "").strip() or None,
        "risk_class": data.risk_class,
        "address": (data.address or "").strip() or None,
        "contact_name": (data.contact_name or "").strip() or None,
        "contact_phone": phone,
    }


def employer_managed_here(employer: Employer) -> Employer:
    """Refuse a change to an employer another centre registered (the county would refuse it
    too, as ``not_owner``); its employees' stays are still each person's centre's to make."""
    if employer.owner_centre_code is not None:
        raise PermissionDenied(
            "not_owner",
            f"{employer.name}由{employer.owner_centre_code}中心登记管理，本中心不能修改其单位信息"
            "或参保登记；可为本中心管理的人员办理增员。",
            f"{employer.name} is managed by centre {employer.owner_centre_code}: its details and "
            "enrolment cannot be changed here (employees this centre manages can still join).",
        )
    return employer


def save_employer(session: Session, actor: Actor, data: EmployerInput) -> uuid.UUID:
    values = _validate(data)
    employer = session.scalar(select(Employer).where(Employer.credit_code == values["credit_code"]))
    created = employer is None
    if employer is not None:
        employer_managed_here(employer)  # the same credit code, another centre's record
    if employer is None:
        employer = Employer(id=new_id(), created_by=actor.operator_id, version=0, schemes=[])
        session.add(employer)
    for name, value in values.items():
        setattr(employer, name, value)
    employer.version += 1
    employer.updated_by = actor.operator_id
    record_change(
        session,
        actor,
        action="employer.create" if created else "employer.update",
        entity_type="employer",
        entity_id=employer.id,
        operation="upsert",
        payload=WIRE["employer"].snapshot(employer),
    )
    return employer.id


def register_employer(database: Database, actor: Actor, data: EmployerInput) -> uuid.UUID:
    actor.require(Permission.ENROL)
    with database.writing() as session:
        return save_employer(session, actor, data)


def find_employers(database: Database, text: str, *, limit: int = 50) -> list[Employer]:
    text = text.strip().upper()
    with database.reading() as session:
        if not text:
            return []
        statement = select(Employer).where(
            (Employer.credit_code == text) | Employer.name.contains(text)
        )
        return list(session.scalars(statement.order_by(Employer.name).limit(limit)))


# --- read functions for the desktop screens ------------------------------------------------

EMPLOYER_ID_LIMIT = 10000


@dataclass(frozen=True)
class EmployerSummary:
    id: uuid.UUID
    credit_code: str
    name: str
    employer_type: str
    industry: str | None
    risk_class: int | None
    address: str | None
    contact_name: str | None
    contact_phone: str | None
    employees: int = 0
    schemes: tuple[str, ...] = ()  # 单位参保登记: the employees' schemes it takes part in
    insured_from: date | None = None
    work_injury_float_bp: int | None = None
    left_out: int = 0  # known workers without any employees' scheme (services/left_out.py)
    owner_centre_code: str | None = None  # another centre's, from the township feed


def search_employer_ids(
    database: Database,
    text: str = "",
    *,
    limit: int = EMPLOYER_ID_LIMIT,
    left_out_only: bool = False,
) -> list[uuid.UUID]:
    """Employers by name (any part) or credit code (full or leading part), ordered by name.

    An empty text lists them all. A township registers hundreds of employers, not hundreds
    of thousands, so a name ``LIKE`` over ids only stays fast; rows load page by page.
    """
    text = text.strip()
    statement = select(Employer.id).order_by(Employer.name, Employer.credit_code)
    if text:
        upper = text.upper()
        statement = statement.where(
            Employer.name.contains(text, autoescape=True)
            | Employer.credit_code.startswith(upper, autoescape=True)
        )
    if left_out_only:  # the enforcement worklist: employers with known workers not insured
        statement = statement.where(
            Employer.id.in_(select(Person.employer_id).where(Person.id.in_(left_out_people())))
        )
    with database.reading() as session:
        return list(session.scalars(statement.limit(limit)))


def employer_summaries(database: Database, ids: Sequence[uuid.UUID]) -> list[EmployerSummary]:
    """One page of employers, in the order given, each with its number of employees."""
    if not ids:
        return []
    with database.reading() as session:
        counts = dict(
            session.execute(
                select(Person.employer_id, func.count())
                .where(Person.employer_id.in_(list(ids)))
                .group_by(Person.employer_id)
            ).all()
        )
        left_out = left_out_counts(session, ids)
        rows = session.scalars(select(Employer).where(Employer.id.in_(list(ids)))).all()
        by_id = {
            e.id: EmployerSummary(
                e.id,
                e.credit_code,
                e.name,
                e.employer_type,
                e.industry,
                e.risk_class,
                e.address,
                e.contact_name,
                e.contact_phone,
                int(counts.get(e.id, 0)),
                tuple(e.schemes),
                e.insured_from,
                e.work_injury_float_bp,
                left_out.get(e.id, 0),
                e.owner_centre_code,
            )
            for e in rows
        }
    return [by_id[employer_id] for employer_id in ids if employer_id in by_id]


def get_employer(database: Database, employer_id: uuid.UUID) -> EmployerSummary:
    found = employer_summaries(database, [employer_id])
    if not found:
        raise NotFound("employer", "找不到该单位。", "No such employer.")
    return found[0]


def employee_ids(database: Database, employer_id: uuid.UUID) -> list[uuid.UUID]:
    """People whose employer is this one, and a platform's linked workers (no labour
    relationship), by name; load their rows with registry.summaries."""
    linked = select(Employment.person_id).where(
        Employment.employer_id == employer_id, Employment.end_date.is_(None)
    )
    with database.reading() as session:
        return list(
            session.scalars(
                select(Person.id)
                .where((Person.employer_id == employer_id) | Person.id.in_(linked))
                .order_by(Person.name)
            )
        )

"""缴费基数申报: each employee's base for a year from last year's wage, clamped into the year's
range with the reason, and the monthly amounts of employer and employee per scheme — shown
before saving (``preview_declaration``) and written in one transaction (``declare_bases``).

The year's figures are the parameters in force on 1 January of that year in the centre's
province; the work-injury rate is the employer's class and floating step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.employment import (
    ClampedBase,
    SchemeAmount,
    base_range,
    clamp_base,
    monthly_amounts,
    work_injury_rate_bp,
)
from caseworker.domain.households import problem
from caseworker.domain.ids import mask_id_number
from caseworker.domain.wire import ENROLMENT_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.employment import employer_row, province_of, spell_changed
from caseworker.services.errors import ValidationFailed
from caseworker.services.journal import audit, record_change
from caseworker.services.parameters import parameters_for
from caseworker.store.database import Database
from caseworker.store.models import BaseDeclaration, Employer, Employment, Enrolment, Person
from caseworker.store.wire import snapshot


@dataclass(frozen=True)
class DeclarationRow:
    employment_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    id_number: str
    masked_id_number: str
    current_base_fen: int
    wage_fen: int | None  # None: not given yet (nothing computed)
    clamped: ClampedBase | None
    amounts: tuple[SchemeAmount, ...]

    @property
    def employer_fen(self) -> int:
        return sum(a.employer_fen for a in self.amounts)

    @property
    def employee_fen(self) -> int:
        return sum(a.employee_fen for a in self.amounts)


@dataclass(frozen=True)
class Declaration:
    employer_id: uuid.UUID
    employer_name: str
    year: int
    floor_fen: int
    ceiling_fen: int
    rows: tuple[DeclarationRow, ...]

    @property
    def employer_fen(self) -> int:
        return sum(r.employer_fen for r in self.rows)

    @property
    def employee_fen(self) -> int:
        return sum(r.employee_fen for r in self.rows)


def injury_rate(employer: Employer, params: object) -> int:
    if "work_injury" not in employer.schemes or employer.risk_class is None:
        return 0
    return work_injury_rate_bp(params, employer.risk_class, employer.work_injury_float_bp)  # type: ignore[arg-type]


def current_spells(
    session: Session, employer_id: uuid.UUID, day: date, *, own: bool = False
) -> list[Employment]:
    """The employer's employees on ``day`` (joined by then, not left before); platform
    workers (no labour relationship, no base) are not among them. ``own``: only the stays
    of people this centre manages — another centre's employee came through the township
    feed without a base, and that centre declares it."""
    query = (
        select(Employment)
        .join(Person, Person.id == Employment.person_id)
        .where(
            Employment.employer_id == employer_id,
            Employment.kind == "employee",
            Employment.start_date <= day,
            (Employment.end_date.is_(None)) | (Employment.end_date >= day),
        )
        .order_by(Person.name, Person.id_number)
    )
    if own:
        query = query.where(Person.owner_centre_code.is_(None), Employment.base_fen.is_not(None))
    return list(session.scalars(query))


def _build(
    session: Session,
    actor: Actor,
    employer_id: uuid.UUID,
    year: int,
    wages: dict[uuid.UUID, int],
    on: date | None,
) -> Declaration:
    employer = employer_row(session, employer_id)
    params = parameters_for(date(year, 1, 1), province_of(actor))
    rate = injury_rate(employer, params)
    floor, ceiling = base_range(params)
    rows = []
    for spell in current_spells(session, employer_id, on or date(year, 1, 1), own=True):
        person = session.get_one(Person, spell.person_id)
        wage = wages.get(spell.id)
        clamped = clamp_base(wage, params) if wage is not None else None
        amounts = (
            tuple(monthly_amounts(clamped.base_fen, spell.schemes, params, rate)) if clamped else ()
        )
        rows.append(
            DeclarationRow(
                spell.id,
                person.id,
                person.name,
                person.id_number,
                mask_id_number(person.id_number),
                spell.base_fen,
                wage,
                clamped,
                amounts,
            )
        )
    return Declaration(employer.id, employer.name, year, floor, ceiling, tuple(rows))


def preview_declaration(
    database: Database,
    actor: Actor,
    employer_id: uuid.UUID,
    year: int,
    wages: dict[uuid.UUID, int] | None = None,
    *,
    on: date | None = None,
) -> Declaration:
    """The declaration as it would be saved (``wages`` by employment id, fen a month)."""
    actor.require(Permission.VIEW)
    with database.reading() as session:
        return _build(session, actor, employer_id, year, wages or {}, on)


def declare_bases(
    database: Database,
    actor: Actor,
    employer_id: uuid.UUID,
    year: int,
    wages: dict[uuid.UUID, int],
    *,
    on: date | None = None,
) -> Declaration:
    """Save the year's bases: every current employee needs last year's wage."""
    actor.require(Permission.ENROL)
    with database.writing() as session:
        declaration = _build(session, actor, employer_id, year, wages, on)
        missing = [row.name for row in declaration.rows if row.clamped is None]
        if not declaration.rows:
            raise ValidationFailed(
                [problem("wage", "no_employees", "该单位没有在职职工。", "No current employees.")]
            )
        if missing:
            names = "、".join(missing)
            raise ValidationFailed(
                [
                    problem(
                        "wage",
                        "required",
                        f"请填写以下职工上年度月平均工资：{names}。",
                        f"Enter last year's average monthly wage of: {names}.",
                    )
                ]
            )
        for row in declaration.rows:
            assert row.clamped is not None
            _write_row(session, actor, employer_id, year, row)
        audit(
            session,
            actor,
            action="employer.declare_bases",
            entity_type="employer",
            entity_id=employer_id,
            detail={
                "year": year,
                "employees": len(declaration.rows),
                "employer_fen": declaration.employer_fen,
                "employee_fen": declaration.employee_fen,
            },
        )
        return declaration


def _write_row(
    session: Session, actor: Actor, employer_id: uuid.UUID, year: int, row: DeclarationRow
) -> None:
    assert row.clamped is not None
    existing = session.scalar(
        select(BaseDeclaration).where(
            BaseDeclaration.employer_id == employer_id,
            BaseDeclaration.person_id == row.person_id,
            BaseDeclaration.year == year,
        )
    )
    if existing is None:
        existing = BaseDeclaration(
            employer_id=employer_id,
            person_id=row.person_id,
            year=year,
            operator_id=actor.operator_id,
        )
        session.add(existing)
    existing.wage_fen = row.clamped.wage_fen
    existing.base_fen = row.clamped.base_fen
    existing.clamp = row.clamped.clamp
    existing.operator_id = actor.operator_id
    spell = session.get_one(Employment, row.employment_id)
    if spell.base_fen != row.clamped.base_fen:
        spell.base_fen = row.clamped.base_fen
        spell_changed(session, actor, spell, "employee.base", {"name": row.name, "year": year})
    for enrolment in session.scalars(
        select(Enrolment).where(
            Enrolment.person_id == row.person_id,
            Enrolment.employer_id == employer_id,
            Enrolment.status == "active",
        )
    ):
        if enrolment.base_fen != row.clamped.base_fen:
            enrolment.base_fen = row.clamped.base_fen
            enrolment.version += 1
            enrolment.updated_by = actor.operator_id
            record_change(
                session,
                actor,
                action="enrolment.update",
                entity_type="enrolment",
                entity_id=enrolment.id,
                operation="upsert",
                payload=snapshot(enrolment, ENROLMENT_FIELDS),
            )

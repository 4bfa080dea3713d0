"""单位参保登记: the employees' schemes an employer takes part in, since when, and its
work-injury class with the floating step; the figures the dialogs show (rates, base range)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseworker.domain.employment import work_injury_rate_bp
from caseworker.domain.households import problem
from caseworker.services.actor import Actor, Permission
from caseworker.services.employers import employer_managed_here
from caseworker.services.employment import (
    chosen_schemes,
    employer_row,
    province_of,
)
from caseworker.services.journal import record_change
from caseworker.services.parameters import parameters_for
from caseworker.services.validation import Collector
from caseworker.store.database import Database
from caseworker.store.wire import WIRE


@dataclass(frozen=True)
class InjuryRates:
    """The work-injury benchmark of each class and the floating steps a class may take."""

    risk_class_bp: tuple[int, ...]
    steps_by_class: tuple[tuple[int, ...], ...]


def injury_rates(actor: Actor, day: date) -> InjuryRates:
    wi = parameters_for(day, province_of(actor)).work_injury
    classes = range(1, len(wi.risk_class_bp) + 1)
    return InjuryRates(wi.risk_class_bp, tuple(wi.steps_for(c) for c in classes))


def base_range_on(actor: Actor, day: date) -> tuple[int, int] | None:
    """The allowed monthly base on ``day`` in the centre's province (None: no average wage)."""
    return parameters_for(day, province_of(actor)).wage_base.bounds_fen


@dataclass
class EmployerEnrolmentInput:
    schemes: list[str]
    insured_from: date | None
    risk_class: int | None = None
    work_injury_float_bp: int | None = None  # None: the benchmark itself (10000)


def enrol_employer(
    database: Database, actor: Actor, employer_id: uuid.UUID, data: EmployerEnrolmentInput
) -> int | None:
    """The employer takes part in ``schemes`` from ``insured_from``; returns its work-injury
    rate in basis points (None without work injury)."""
    actor.require(Permission.ENROL)
    collector = Collector()
    schemes = chosen_schemes(data.schemes, collector)
    if data.insured_from is None:
        collector.add(
            problem(
                "insured_from",
                "required",
                "请填写参保日期。",
                "Enter the date the employer's insurance starts.",
            )
        )
    rate = None
    if "work_injury" in schemes:
        if data.risk_class is None:
            collector.add(
                problem(
                    "risk_class",
                    "required",
                    "参加工伤保险须选择行业风险类别（一类至八类）。",
                    "Work injury insurance needs the industry's risk class (1–8).",
                )
            )
        else:
            params = parameters_for(data.insured_from or date.today(), province_of(actor))
            rate = collector.check(
                lambda: work_injury_rate_bp(params, data.risk_class, data.work_injury_float_bp)
            )
    collector.raise_if_any()
    with database.writing() as session:
        employer = employer_managed_here(employer_row(session, employer_id))
        employer.schemes = schemes
        employer.insured_from = data.insured_from
        employer.risk_class = (
            data.risk_class if data.risk_class is not None else employer.risk_class
        )
        employer.work_injury_float_bp = data.work_injury_float_bp if rate is not None else None
        employer.version += 1
        employer.updated_by = actor.operator_id
        record_change(
            session,
            actor,
            action="employer.enrol",
            entity_type="employer",
            entity_id=employer.id,
            operation="upsert",
            payload=WIRE["employer"].snapshot(employer),
            detail={
                "schemes": schemes,
                "insured_from": data.insured_from,
                "work_injury_rate_bp": rate,
            },
        )
    return rate

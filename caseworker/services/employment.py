"""单位参保登记 and 增员 / 减员: an employer's schemes, and its employees joining and leaving.

Each call is one write transaction. Enrolment rows (one per person and scheme, the current
state, what travels upstream) follow the spells in ``employment`` (the history). Joining an
employees' scheme ends the residents' scheme covering the same risk the day before, so one
period is never in both; a residents' contribution already paid for days after that is
warned about, never silently kept or dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import label_or_code
from caseworker.domain.contributions import eligible_schemes
from caseworker.domain.employment import (
    EMPLOYEE_SCHEMES,
    RESIDENT_COUNTERPART,
    check_base,
    day_before,
    overlaps,
    unknown_scheme,
)
from caseworker.domain.households import problem
from caseworker.domain.ids import parse_id_number
from caseworker.domain.wire import ENROLMENT_FIELDS, PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import follow_records
from caseworker.services.enrolment import person_facts, record_person_change
from caseworker.services.errors import NotFound, ValidationFailed
from caseworker.services.journal import record_change
from caseworker.services.parameters import parameters_for
from caseworker.services.validation import Collector, check_code
from caseworker.store.database import Database
from caseworker.store.models import Employer, Employment, Enrolment, Payment, Person, new_id
from caseworker.store.wire import WIRE, snapshot

FLEXIBLE = "employee_pension_flexible"  # a flexible worker taken on stops paying alone


def scheme_words(scheme: str) -> tuple[str, str]:
    return label_or_code("scheme", scheme), label_or_code("scheme", scheme, "en")


def province_of(actor: Actor) -> str:
    return actor.centre_code[:2] + "0000"


def employer_row(session: Session, employer_id: uuid.UUID) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound("employer", "找不到该单位。", "No such employer.")
    return employer


def chosen_schemes(schemes: list[str] | tuple[str, ...], collector: Collector) -> list[str]:
    chosen = []
    for scheme in schemes:
        if scheme not in EMPLOYEE_SCHEMES:
            collector.add(unknown_scheme(scheme))
        elif scheme not in chosen:
            chosen.append(scheme)
    if not chosen and not collector.errors:
        collector.add(
            problem(
                "schemes",
                "required",
                "请至少选择一个险种。",
                "Choose at least one scheme.",
            )
        )
    return sorted(chosen, key=EMPLOYEE_SCHEMES.index)


# --- 增员 ----------------------------------------------------------------------------------


@dataclass
class JoinInput:
    id_number: str
    start_date: date
    schemes: list[str]
    base_fen: int | None


@dataclass(frozen=True)
class JoinResult:
    employment_id: uuid.UUID
    person_id: uuid.UUID
    warnings: tuple[tuple[str, str], ...] = field(default=())  # (Chinese, English)


def person_by_number(session: Session, text: str) -> Person:
    number = parse_id_number(text).number
    person = session.scalar(select(Person).where(Person.id_number == number))
    if person is None:
        raise problem(
            "id_number",
            "not_registered",
            "登记库中没有该身份证号码的人员：请先在前台登记该人员，再办理增员。",
            "No one with this ID number in the registry: register the person at the front "
            "desk first, then add them here.",
        )
    return person


def refuse_overlap(
    session: Session, person: Person, start: date, end: date | None, kind: str = "employee"
) -> None:
    spells = session.scalars(
        select(Employment).where(Employment.person_id == person.id, Employment.kind == kind)
    )
    for spell in spells:
        if overlaps(start, end, spell.start_date, spell.end_date):
            other = session.get_one(Employer, spell.employer_id)
            until = spell.end_date.isoformat() if spell.end_date else "至今"
            until_en = spell.end_date.isoformat() if spell.end_date else "now"
            raise ValidationFailed(
                [
                    problem(
                        "start_date",
                        "overlaps",
                        f"{person.name}在{other.name}的参保期（{spell.start_date}—{until}）"
                        "与此重叠：同一时段不能重复参保，请先办理减员或改正日期。",
                        f"{person.name} is insured by {other.name} from {spell.start_date} to "
                        f"{until_en}, which overlaps: remove them there first or fix the date.",
                    )
                ]
            )


def _check_join(session: Session, actor: Actor, employer: Employer, data: JoinInput) -> Person:
    collector = Collector()
    schemes = chosen_schemes(data.schemes, collector)
    if not employer.schemes:
        collector.add(
            problem(
                "schemes",
                "employer_not_enrolled",
                f"{employer.name}尚未办理单位参保登记，请先登记其参保险种。",
                f"{employer.name} is not enrolled yet: record its schemes first.",
            )
        )
    for scheme in schemes:
        if employer.schemes and scheme not in employer.schemes:
            collector.add(
                problem(
                    "schemes",
                    "employer_not_in_scheme",
                    f"{employer.name}未参加{scheme_words(scheme)[0]}，请先变更单位参保登记。",
                    f"{employer.name} does not take part in {scheme_words(scheme)[1]}.",
                )
            )
    if employer.insured_from and data.start_date < employer.insured_from:
        collector.add(
            problem(
                "start_date",
                "before_employer",
                f"增员日期早于单位参保日期（{employer.insured_from}）。",
                f"The start date is before the employer's insurance began "
                f"({employer.insured_from}).",
            )
        )
    params = parameters_for(data.start_date, province_of(actor))
    if data.base_fen is None:
        collector.add(problem("base", "required", "请填写月缴费基数。", "Enter the monthly base."))
    else:
        collector.check(lambda: check_base(data.base_fen or 0, params))
    person = collector.check(lambda: person_by_number(session, data.id_number))
    if person is not None:
        facts = replace(person_facts(person, province_of(actor)), employment_category="employee")
        options = {o.scheme: o for o in eligible_schemes(facts, data.start_date, params)}
        for scheme in schemes:
            option = options[scheme]
            if not option.eligible:
                collector.add(
                    problem(
                        "schemes",
                        "not_eligible",
                        f"{person.name}不能参加{scheme_words(scheme)[0]}：{option.reason_zh}。",
                        f"{person.name} cannot join {scheme_words(scheme)[1]}: {option.reason_en}.",
                    )
                )
    collector.raise_if_any()
    assert person is not None
    data.schemes = schemes
    return person


def _paid_after(session: Session, person_id: uuid.UUID, scheme: str, day: date) -> Payment | None:
    return session.scalar(
        select(Payment).where(
            Payment.person_id == person_id,
            Payment.scheme == scheme,
            Payment.voided_at.is_(None),
            Payment.period_end >= day,
        )
    )


def _end_enrolment(session: Session, actor: Actor, enrolment: Enrolment, end: date) -> None:
    enrolment.status = "ended"
    enrolment.end_date = end
    enrolment_changed(session, actor, enrolment, "enrolment.update")


def enrolment_changed(session: Session, actor: Actor, enrolment: Enrolment, action: str) -> None:
    enrolment.version += 1
    enrolment.updated_by = actor.operator_id
    record_change(
        session,
        actor,
        action=action,
        entity_type="enrolment",
        entity_id=enrolment.id,
        operation="upsert",
        payload=snapshot(enrolment, ENROLMENT_FIELDS),
    )


def _close_other_schemes(
    session: Session, actor: Actor, person: Person, schemes: list[str], start: date
) -> list[tuple[str, str]]:
    """End the residents' (and flexible) enrolments the new schemes replace; say what."""
    warnings = []
    current = {e.scheme: e for e in person.enrolments}
    replaced = [RESIDENT_COUNTERPART[s] for s in schemes if s in RESIDENT_COUNTERPART]
    if "employee_pension" in schemes:
        replaced.append(FLEXIBLE)
    for scheme in replaced:
        enrolment = current.get(scheme)
        if enrolment is None or enrolment.status != "active":
            continue
        # A late 增员 may start before the residents' enrolment did: that enrolment then
        # ends on its own first day, its whole period overlapping (said below).
        end = max(day_before(start), enrolment.start_date)
        _end_enrolment(session, actor, enrolment, end)
        zh, en = scheme_words(scheme)
        if end >= start:
            warnings.append(
                (
                    f"注意：{zh}自{enrolment.start_date}起参保，晚于职工险种起始日{start}，"
                    "整段重复参保，请核实并按规定处理。",
                    f"Note: {en} began on {enrolment.start_date}, after the employees' scheme "
                    f"starts ({start}): the whole period overlaps; check and settle it.",
                )
            )
        warnings.append(
            (
                f"{zh}已于{end}终止（自{start}起由单位参加职工险种），参保记录连续。",
                f"{en} ended on {end} (the employer insures them from {start}); "
                "the record stays continuous.",
            )
        )
        paid = _paid_after(session, person.id, scheme, start)
        if paid is not None:
            warnings.append(
                (
                    f"注意：{zh}已缴至{paid.period_end}，与{start}起的职工险种重叠，"
                    "重叠期间属重复参保，请按规定办理退费或转移接续。",
                    f"Note: {en} is paid up to {paid.period_end}, overlapping the employees' "
                    f"scheme from {start}: refund or transfer the overlapping period as the "
                    "rules say.",
                )
            )
    return warnings


def spell_changed(
    session: Session, actor: Actor, spell: Employment, action: str, detail: dict[str, object]
) -> None:
    """A stay written: its version moves on; outbox (the employment wire shape) and audit."""
    spell.version += 1
    spell.updated_by = actor.operator_id
    record_change(
        session,
        actor,
        action=action,
        entity_type="employment",
        entity_id=spell.id,
        operation="upsert",
        payload=WIRE["employment"].snapshot(spell),
        detail=detail,
    )


def activate_enrolment(
    session: Session,
    actor: Actor,
    person: Person,
    scheme: str,
    start: date,
    employer_id: uuid.UUID,
    base_fen: int | None,
) -> Enrolment:
    """The person's one enrolment in ``scheme`` made (or made again) active from ``start``,
    paid through ``employer_id``; the earlier stay stays in ``employment``."""
    enrolment = next((e for e in person.enrolments if e.scheme == scheme), None)
    is_new = enrolment is None
    if enrolment is None:
        enrolment = Enrolment(
            id=new_id(), person_id=person.id, scheme=scheme, version=0, created_by=actor.operator_id
        )
        session.add(enrolment)
    enrolment.status, enrolment.start_date, enrolment.end_date = "active", start, None
    enrolment.employer_id, enrolment.base_fen, enrolment.tier_fen = employer_id, base_fen, None
    session.flush()
    enrolment_changed(
        session, actor, enrolment, "enrolment.create" if is_new else "enrolment.update"
    )
    return enrolment


def join_employee(
    database: Database, actor: Actor, employer_id: uuid.UUID, data: JoinInput
) -> JoinResult:
    """增员: the person joins the employer's schemes from ``start_date`` at ``base_fen``."""
    actor.require(Permission.ENROL)
    with database.writing() as session:
        employer = employer_row(session, employer_id)
        person = _check_join(session, actor, employer, data)
        refuse_overlap(session, person, data.start_date, None)
        warnings = _close_other_schemes(session, actor, person, data.schemes, data.start_date)
        spell = Employment(
            id=new_id(),
            employer_id=employer.id,
            person_id=person.id,
            kind="employee",
            start_date=data.start_date,
            schemes=list(data.schemes),
            base_fen=data.base_fen,
            created_by=actor.operator_id,
            version=0,
        )
        session.add(spell)
        for scheme in data.schemes:
            activate_enrolment(
                session, actor, person, scheme, data.start_date, employer.id, data.base_fen
            )
        before = snapshot(person, PERSON_FIELDS)
        person.employer_id = employer.id
        person.employment_category = "employee"
        record_person_change(session, actor, person, before, action="person.update")
        spell_changed(session, actor, spell, "employee.join", {"name": person.name})
        follow_records(session, actor, person.id, data.start_date)
        return JoinResult(spell.id, person.id, tuple(warnings))


# --- 减员 ----------------------------------------------------------------------------------


def leave_employee(
    database: Database,
    actor: Actor,
    employment_id: uuid.UUID,
    end_date: date | None,
    reason: str | None,
) -> tuple[tuple[str, str], ...]:
    """减员: the spell ends on ``end_date`` (paid through that month) for ``reason``."""
    actor.require(Permission.ENROL)
    with database.writing() as session:
        spell = session.get(Employment, employment_id)
        if spell is None:
            raise NotFound("employment", "找不到该职工的参保记录。", "No such employment.")
        collector = Collector()
        code = check_code("employment_end_reason", reason, "end_reason", collector)
        if code is None and not collector.errors:
            collector.add(
                problem("end_reason", "required", "请选择减员原因。", "Choose the reason.")
            )
        if spell.end_date is not None:
            collector.add(
                problem(
                    "end_date",
                    "already_ended",
                    f"该职工已于{spell.end_date}减员。",
                    f"This employee already left on {spell.end_date}.",
                )
            )
        if end_date is None:
            collector.add(
                problem("end_date", "required", "请填写减员日期。", "Enter the end date.")
            )
        elif end_date < spell.start_date:
            collector.add(
                problem(
                    "end_date",
                    "before_start",
                    f"减员日期不能早于增员日期（{spell.start_date}）。",
                    f"The end date cannot be before the start date ({spell.start_date}).",
                )
            )
        collector.raise_if_any()
        assert end_date is not None
        spell.end_date = end_date
        spell.end_reason = code
        person = session.get_one(Person, spell.person_id)
        for enrolment in person.enrolments:
            if (
                enrolment.scheme in spell.schemes
                and enrolment.employer_id == spell.employer_id
                and enrolment.status == "active"
            ):
                _end_enrolment(session, actor, enrolment, end_date)
        if person.employer_id == spell.employer_id:
            before = snapshot(person, PERSON_FIELDS)
            person.employer_id = None
            person.employment_category = "unemployed"
            record_person_change(session, actor, person, before, action="person.update")
        spell_changed(session, actor, spell, "employee.leave", {"name": person.name})
        follow_records(session, actor, person.id, end_date)
        platform = spell.kind == "platform"
    if platform:
        return (
            (
                f"职业伤害保障已于{end_date}终止（平台不再为其按单缴费）。",
                f"The occupational injury protection ended on {end_date} (the platform no "
                "longer pays for this worker).",
            ),
        )
    return (
        (
            f"职工险种已于{end_date}终止；如不再就业，可在前台参加城乡居民险种或以灵活就业人员身份续保。",
            f"The employees' schemes ended on {end_date}; if not employed again the person may "
            "join the residents' schemes or continue as a flexible worker at the front desk.",
        ),
    )

"""Enrol a person: create or update the person and their scheme enrolments in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.contributions import contribution, eligible_schemes
from caseworker.domain.errors import InvalidValue
from caseworker.domain.schemes import PersonFacts
from caseworker.domain.wire import ENROLMENT_FIELDS, PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import follow_records
from caseworker.services.errors import Conflict, ValidationFailed
from caseworker.services.journal import record_change
from caseworker.services.parameters import parameters_for
from caseworker.services.store_guard import refuse_if_behind
from caseworker.services.sync_guard import enforce_sync_guardrails
from caseworker.services.validation import PersonInput, ValidPerson, validate_person
from caseworker.store.database import Database
from caseworker.store.models import Enrolment, Person, new_id
from caseworker.store.search_index import index_person
from caseworker.store.wire import snapshot


@dataclass
class EnrolmentChoice:
    """One scheme the person joins, with the tier (residents' pension) or base (flexible)."""

    scheme: str
    tier_fen: int | None = None
    base_fen: int | None = None
    documents: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EnrolResult:
    person_id: uuid.UUID
    created: bool
    version: int
    enrolment_ids: dict[str, uuid.UUID]
    warnings: tuple[str, ...]
    # The written rows, for callers in the same transaction (imports); not for the UI.
    person: Person | None = field(default=None, repr=False, compare=False)
    enrolments: dict[str, Enrolment] = field(default_factory=dict, repr=False, compare=False)


def person_facts(valid: ValidPerson | Person, province_code: str) -> PersonFacts:
    if isinstance(valid, ValidPerson):
        birth, sex = valid.identity.birth_date, valid.identity.sex.value
    else:
        birth, sex = valid.birth_date, valid.sex
    return PersonFacts(
        birth_date=birth,
        sex=sex,
        employment_category=valid.employment_category or "unemployed",
        special_groups=frozenset(valid.special_groups),
        province_code=province_code,
    )


def check_choices(
    facts: PersonFacts, choices: list[EnrolmentChoice], day: date, province_code: str
) -> None:
    """Each chosen scheme must be open to the person, with an allowed tier or base."""
    params = parameters_for(day, province_code)
    options = {option.scheme: option for option in eligible_schemes(facts, day, params)}
    errors: list[InvalidValue] = []
    for choice in choices:
        option = options.get(choice.scheme)
        if option is None or not option.eligible:
            reason = option.reason_zh if option else "未知险种"
            errors.append(
                InvalidValue("scheme", "not_eligible", f"不能参加{choice.scheme}：{reason}。")
            )
            continue
        try:
            contribution(
                choice.scheme,
                facts,
                day,
                params,
                tier_fen=choice.tier_fen,
                base_fen=choice.base_fen,
            )
        except InvalidValue as error:
            errors.append(error)
    if errors:
        raise ValidationFailed(errors)


_TYPED_FIELDS = (
    "ethnicity",
    "phone",
    "hukou_nature",
    "hukou_village_code",
    "hukou_address",
    "residence_address",
    "employment_category",
    "employer_id",
    "bank_account",
    "household_id",
    "relationship_to_head",
)


def person_values(valid: ValidPerson) -> dict[str, Any]:
    """The person's columns a checked input sets (one place for the form and the imports)."""
    identity = valid.identity
    values: dict[str, Any] = {
        "id_number": identity.number,
        "id_kind": identity.kind.value,
        "name": valid.name,
        "sex": identity.sex.value,
        "birth_date": identity.birth_date,
        "hukou_region_code": identity.region_code,
        **{name: getattr(valid, name) for name in _TYPED_FIELDS},
        "special_groups": list(valid.special_groups),
    }
    if valid.moved_in_on is not None:  # the front desk does not ask: keep what a visit said
        values["moved_in_on"] = valid.moved_in_on
    return values


def _apply_person(person: Person, valid: ValidPerson) -> None:
    for name, value in person_values(valid).items():
        setattr(person, name, value)


def choice_values(choice: EnrolmentChoice, employer_id: uuid.UUID | None) -> dict[str, Any]:
    """An enrolment's columns a choice sets (the form's write and the bulk path's)."""
    return {
        "status": "active",
        "end_date": None,  # joining again after an employer's scheme ended it (employment.py)
        "tier_fen": choice.tier_fen,
        "base_fen": choice.base_fen,
        "documents": sorted(set(choice.documents)),
        # The employer pays into employees' schemes only.
        "employer_id": employer_id if choice.scheme.startswith("employee") else None,
    }


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), v] for k, v in after.items() if before.get(k) != v and k != "version"
    }


def record_person_change(
    session: Session,
    actor: Actor,
    person: Person,
    before: dict[str, Any],
    *,
    action: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """A person changed in place (``before``: their snapshot until now): the version moves on
    and the change goes to the outbox and the audit trail with what differs."""
    person.version += 1
    person.updated_by = actor.operator_id
    after = snapshot(person, PERSON_FIELDS)
    record_change(
        session,
        actor,
        action=action,
        entity_type="person",
        entity_id=person.id,
        operation="upsert",
        payload=after,
        detail={**(detail or {}), "changes": changes_between(before, after)},
    )


def save_person(
    session: Session,
    actor: Actor,
    valid: ValidPerson,
    choices: list[EnrolmentChoice],
    *,
    day: date,
    expected_version: int | None = None,
) -> EnrolResult:
    """The write half of ``enrol``, inside the caller's transaction (also used by imports)."""
    person = session.scalar(select(Person).where(Person.id_number == valid.identity.number))
    created = person is None
    if person is None:
        person = Person(id=new_id(), created_by=actor.operator_id, version=0)
        session.add(person)
        before: dict[str, Any] = {}
    else:
        if expected_version is not None and person.version != expected_version:
            raise Conflict(
                "stale",
                "该人员信息已被他人修改，请重新打开后再保存（您的输入仍保留在表单中）。",
                "Someone else changed this person since you opened it; reopen and save again.",
            )
        before = snapshot(person, PERSON_FIELDS)
    _apply_person(person, valid)
    person.version += 1
    person.updated_by = actor.operator_id
    index_person(session, person, is_new=created)
    after = snapshot(person, PERSON_FIELDS)
    record_change(
        session,
        actor,
        action="person.create" if created else "person.update",
        entity_type="person",
        entity_id=person.id,
        operation="upsert",
        payload=after,
        detail={"name": person.name} if created else {"changes": changes_between(before, after)},
    )
    enrolment_ids = {}
    written: dict[str, Enrolment] = {}
    existing = {e.scheme: e for e in person.enrolments} if not created else {}
    for choice in choices:
        enrolment = existing.get(choice.scheme)
        is_new = enrolment is None
        if enrolment is None:
            enrolment = Enrolment(
                id=new_id(),
                person_id=person.id,
                scheme=choice.scheme,
                start_date=day,
                version=0,
                created_by=actor.operator_id,
            )
            session.add(enrolment)
        for name, value in choice_values(choice, valid.employer_id).items():
            setattr(enrolment, name, value)
        enrolment.version += 1
        enrolment.updated_by = actor.operator_id
        record_change(
            session,
            actor,
            action="enrolment.create" if is_new else "enrolment.update",
            entity_type="enrolment",
            entity_id=enrolment.id,
            operation="upsert",
            payload=snapshot(enrolment, ENROLMENT_FIELDS),
        )
        enrolment_ids[choice.scheme] = enrolment.id
        written[choice.scheme] = enrolment
    follow_records(session, actor, person.id, day)
    return EnrolResult(
        person.id, created, person.version, enrolment_ids, valid.warnings, person, written
    )


def check_enrolment(
    actor: Actor, data: PersonInput, choices: list[EnrolmentChoice], *, today: date
) -> ValidPerson:
    """Everything ``enrol`` checks before writing, without the database: the form runs it
    before asking about unticked documents, so a wrong field is said first (and the banner
    goes once nothing is wrong). Raises ``ValidationFailed``."""
    valid = validate_person(data, today=today)
    province = actor.centre_code[:2] + "0000"
    check_choices(person_facts(valid, province), choices, today, province)
    return valid


def enrol(
    database: Database,
    actor: Actor,
    data: PersonInput,
    choices: list[EnrolmentChoice],
    *,
    today: date | None = None,
    expected_version: int | None = None,
) -> EnrolResult:
    """Validate everything, then write person, enrolments, outbox and audit in one transaction."""
    actor.require(Permission.ENROL)
    refuse_if_behind(database, actor)
    day = today or date.today()
    valid = check_enrolment(actor, data, choices, today=day)
    with database.writing() as session:
        enforce_sync_guardrails(session)
        return save_person(
            session, actor, valid, choices, day=day, expected_version=expected_version
        )

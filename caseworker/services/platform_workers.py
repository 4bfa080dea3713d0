"""Platform workers (新就业形态人员职业伤害保障): a platform enterprise links a worker, without a
labour relationship, to the occupational injury protection — only where and while the pilot
runs in the centre's province (``occupational_injury.pilot_provinces``). The platform pays
per order, so there is no base and nothing due from the worker."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from caseworker.domain.contributions import eligible_schemes
from caseworker.domain.households import problem
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.actor import Actor, Permission
from caseworker.services.coverage import follow_records
from caseworker.services.employment import (
    JoinResult,
    activate_enrolment,
    employer_row,
    person_by_number,
    province_of,
    refuse_overlap,
    spell_changed,
)
from caseworker.services.enrolment import person_facts, record_person_change
from caseworker.services.errors import ValidationFailed
from caseworker.services.parameters import parameters_for
from caseworker.store.database import Database
from caseworker.store.models import Employment, new_id
from caseworker.store.wire import snapshot

SCHEME = "occupational_injury"
PLATFORM = "platform"


def link_platform_worker(
    database: Database, actor: Actor, employer_id: uuid.UUID, id_number: str, start: date
) -> JoinResult:
    """The worker is covered from ``start`` through the platform; refused outside the pilot."""
    actor.require(Permission.ENROL)
    with database.writing() as session:
        employer = employer_row(session, employer_id)
        if employer.employer_type != PLATFORM:
            raise ValidationFailed(
                [
                    problem(
                        "employer_type",
                        "not_platform",
                        f"{employer.name}不是平台企业：职业伤害保障只由平台企业为其从业人员办理。",
                        f"{employer.name} is not a platform enterprise: only platforms link "
                        "workers to the occupational injury protection.",
                    )
                ]
            )
        try:
            person = person_by_number(session, id_number)
        except ValueError as error:  # InvalidValue: a bad or unregistered number
            raise ValidationFailed([error]) from None  # type: ignore[list-item]
        facts = replace(
            person_facts(person, province_of(actor)), employment_category="platform_worker"
        )
        params = parameters_for(start, province_of(actor))
        option = next(o for o in eligible_schemes(facts, start, params) if o.scheme == SCHEME)
        if not option.eligible:
            raise ValidationFailed(
                [
                    problem(
                        "scheme",
                        "not_eligible",
                        f"{person.name}不能参加新就业形态人员职业伤害保障：{option.reason_zh}。",
                        f"{person.name} cannot join the occupational injury protection: "
                        f"{option.reason_en}.",
                    )
                ]
            )
        refuse_overlap(session, person, start, None, kind="platform")
        spell = Employment(
            id=new_id(),
            employer_id=employer.id,
            person_id=person.id,
            kind="platform",
            start_date=start,
            schemes=[SCHEME],
            base_fen=0,
            created_by=actor.operator_id,
            version=0,
        )
        session.add(spell)
        activate_enrolment(session, actor, person, SCHEME, start, employer.id, None)
        if person.employment_category != "platform_worker":
            before = snapshot(person, PERSON_FIELDS)
            person.employment_category = "platform_worker"
            record_person_change(session, actor, person, before, action="person.update")
        spell_changed(session, actor, spell, "platform.link", {"name": person.name})
        follow_records(session, actor, person.id, start)
        return JoinResult(spell.id, person.id)

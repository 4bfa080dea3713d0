"""A demo centre full of realistic synthetic people, built through the real services.

Households, employers, people, enrolments and this year's payments go through the same
validation and write paths as the front desk (outbox and audit included), in transactions of
a few hundred people so that 100,000 people take minutes, not hours.

So that the coverage picture looks like a real township's: residents' medical insurance for
the current year was paid last autumn through the tax channels (recorded with its voucher),
as well as the year being collected at the desk; and three households in four have been
visited over the last half year, their answers recorded as a survey
(``services.coverage.record_answers_in``): migrants insured where they work, students,
retirees, people who cannot afford or see no need; the rest stay 未核实.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.domain.coverage import line_codes
from caseworker.domain.demo_coverage import answer, visit_day
from caseworker.domain.demo_people import DemoData, DemoPerson, DemoVillage, generate_demo
from caseworker.domain.demo_work import Picker
from caseworker.domain.regions import demo_centre, load_region_directory
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.coverage import StatusAnswer, record_answers_in
from caseworker.services.employers import EmployerInput, save_employer
from caseworker.services.enrolment import EnrolmentChoice, save_person
from caseworker.services.journal import record_change
from caseworker.services.payments import collecting, write_payment
from caseworker.services.review import approve_all_pending
from caseworker.services.tax_payments import write_tax_payment
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import CoverageStatus, Household, Person, new_id
from caseworker.store.wire import WIRE

DEMO_PASSWORD = "demo"
CHUNK = 500
DOCUMENTS = {"resident_pension": ["id_card", "hukou_book"], "resident_medical": ["id_card"]}
_TAX_CHANNEL = Picker(["wechat", "alipay", "tax_app", "bank"], [45, 30, 15, 10])


@dataclass(frozen=True)
class DemoSummary:
    centre_code: str
    centre_name: str
    persons: int
    households: int
    employers: int
    payments: int


def demo_villages(township_code: str) -> list[DemoVillage]:
    regions = load_region_directory()
    return [DemoVillage(r.code, r.name) for r in regions.children(township_code)]


def build_demo_centre(
    paths: DataPaths,
    *,
    persons: int,
    centre_code: str | None = None,
    seed: int = 1,
    today: date | None = None,
) -> DemoSummary:
    centre = demo_centre()
    day = today or date.today()
    setup = setup_centre(
        paths,
        centre_code=centre_code or centre["code"],
        centre_name=centre["name"],
        township_code=centre["township_code"],
        admin_username="admin",
        admin_display_name="管理员",
        admin_password=DEMO_PASSWORD,
        allow_weak_password=True,
    )
    for username, name, role in (
        ("supervisor", "审核员", Role.SUPERVISOR),
        ("clerk", "经办员", Role.CLERK),
    ):
        add_operator(
            setup.session,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            role=role,
            allow_weak_password=True,
        )
    setup.session.close()
    session = login(paths, "clerk", DEMO_PASSWORD)
    try:
        data = generate_demo(
            persons, seed=seed, today=day, villages=demo_villages(centre["township_code"])
        )
        payments = _import(session.database, session.actor, data, day, seed)
    finally:
        session.close()
    # The demo's history counts as reviewed: its supervisor approves it, so a sync sends it
    # as a real centre's reviewed work would go, and review stays on for what is done next.
    supervisor = login(paths, "supervisor", DEMO_PASSWORD)
    try:
        approve_all_pending(supervisor.database, supervisor.actor)
    finally:
        supervisor.close()
    return DemoSummary(
        centre_code=session.actor.centre_code,
        centre_name=session.actor.centre_name,
        persons=sum(len(h.members) for h in data.households),
        households=len(data.households),
        employers=len(data.employers),
        payments=payments,
    )


def _import(database: Database, actor: Actor, data: DemoData, day: date, seed: int) -> int:
    with database.writing() as session:
        employer_ids = [
            save_employer(
                session,
                actor,
                EmployerInput(
                    credit_code=e.credit_code,
                    name=e.name,
                    employer_type=e.employer_type,
                    industry=e.industry,
                    risk_class=e.risk_class,
                    address=e.address,
                    contact_name=e.contact_name,
                    contact_phone=e.contact_phone,
                ),
            )
            for e in data.employers
        ]
    payments = 0
    # Apart from the people's generator, so the people stay what they were for a seed.
    rng = random.Random(seed * 7919 + 17)
    for start in range(0, len(data.households), CHUNK // 3):
        answers: list[tuple[date, list[StatusAnswer]]] = []
        # Every ID number is new and unique, so nothing needs flushing before the commit:
        # one flush per chunk lets SQLAlchemy batch the inserts.
        with database.writing() as session, session.no_autoflush:
            people: list[tuple[DemoPerson, Person]] = []
            for demo_household in data.households[start : start + CHUNK // 3]:
                household = Household(
                    id=new_id(),
                    village_code=demo_household.village_code,
                    address_detail=demo_household.address_detail,
                    created_by=actor.operator_id,
                )
                session.add(household)
                record_change(
                    session,
                    actor,
                    action="household.create",
                    entity_type="household",
                    entity_id=household.id,
                    operation="upsert",
                    payload=WIRE["household"].snapshot(household),
                )
                for member in demo_household.members:
                    valid = validate_person(
                        PersonInput(
                            id_number=member.id_number_as_typed,
                            name=member.name,
                            ethnicity=member.ethnicity,
                            phone=member.phone,
                            hukou_nature=member.hukou_nature,
                            hukou_village_code=demo_household.village_code,
                            hukou_address=demo_household.address_detail,
                            employment_category=member.employment_category,
                            employer_id=(
                                employer_ids[member.employer_index]
                                if member.employer_index is not None
                                else None
                            ),
                            special_groups=list(member.special_groups),
                            bank_account=member.bank_account,
                            household_id=household.id,
                            relationship_to_head=member.relationship,
                        ),
                        today=day,
                    )
                    choices = [
                        EnrolmentChoice(
                            e.scheme, e.tier_fen, e.base_fen, DOCUMENTS.get(e.scheme, ["id_card"])
                        )
                        for e in member.enrolments
                    ]
                    result = save_person(session, actor, valid, choices, day=day)
                    assert result.person is not None
                    for enrolment in member.enrolments:
                        paid = enrolment.last_paid_year == day.year
                        born_before = member.birth_date < date(day.year, 1, 1)
                        if paid and enrolment.scheme == "resident_medical" and born_before:
                            _paid_last_autumn(session, actor, rng, result.person, day, payments)
                            payments += 1
                        # About one payer in five has not yet paid the year being collected:
                        # the renewals a centre chases in the window (待续缴).
                        renews_later = enrolment.scheme == "resident_medical" and (
                            int(result.person.id_number[-2]) < 2
                        )
                        if (
                            paid
                            and enrolment.scheme.startswith("resident")
                            and collecting(enrolment.scheme, day, actor)
                            and not renews_later
                        ):
                            row = result.enrolments[enrolment.scheme]
                            write_payment(session, actor, result.person, row, "cash", 1, day)
                            payments += 1
                    people.append((member, result.person))
                visited = visit_day(rng, day)
                if visited is not None:
                    told = _survey(session, rng, people, day)
                    if told:
                        answers.append((visited, told))
                people = []
            for visited, told in answers:
                record_answers_in(session, actor, told, day=visited)
    return payments


def _paid_last_autumn(
    session, actor: Actor, rng: random.Random, person: Person, day: date, number: int
) -> None:
    """This year's residents' medical insurance, paid in last year's collection window
    through the tax channels (as most residents pay it), recorded with its voucher."""
    paid_on = date(day.year - 1, 9, 1) + timedelta(days=rng.randrange(122))
    write_tax_payment(
        session,
        actor,
        person_id=person.id,
        scheme="resident_medical",
        period_start=date(day.year, 1, 1),
        method=_TAX_CHANNEL(rng),
        voucher_number=f"DEMO{day.year - 1}{number:08d}",
        paid_on=paid_on,
        day=day,
    )


def _survey(
    session, rng: random.Random, people: list[tuple[DemoPerson, Person]], day: date
) -> list[StatusAnswer]:
    """A visit's answers for the lines the centre's records leave open (still unknown)."""
    told = []
    for member, person in people:
        for line in line_codes():
            row = session.get(CoverageStatus, (person.id, line))
            if row is None or row.status != "unknown":
                continue
            said = answer(rng, line, age=member.age_on(day), category=member.employment_category)
            told.append(
                StatusAnswer(
                    person.id,
                    line,
                    said.status,
                    reason=said.reason,
                    insured_where=said.insured_where,
                    scheme=said.scheme,
                )
            )
    return told

"""A demo centre full of realistic synthetic people, built through the real services.

Households, employers, people, enrolments and this year's payments go through the same
validation and write paths as the front desk (outbox and audit included), in transactions of
a few hundred people so that 100,000 people take minutes, not hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker.domain.demo_people import DemoData, DemoVillage, generate_demo
from caseworker.domain.regions import demo_centre, load_region_directory
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Role
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.employers import EmployerInput, save_employer
from caseworker.services.enrolment import EnrolmentChoice, save_person
from caseworker.services.journal import record_change
from caseworker.services.payments import collecting, write_payment
from caseworker.services.review import approve_all_pending
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import Household, new_id
from caseworker.store.wire import WIRE

DEMO_PASSWORD = "demo"
CHUNK = 500
DOCUMENTS = {"resident_pension": ["id_card", "hukou_book"], "resident_medical": ["id_card"]}


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
        payments = _import(session.database, session.actor, data, day)
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


def _import(database: Database, actor: Actor, data: DemoData, day: date) -> int:
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
    for start in range(0, len(data.households), CHUNK // 3):
        # Every ID number is new and unique, so nothing needs flushing before the commit:
        # one flush per chunk lets SQLAlchemy batch the inserts.
        with database.writing() as session, session.no_autoflush:
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
                        if (
                            paid
                            and enrolment.scheme.startswith("resident")
                            and collecting(enrolment.scheme, day, actor)
                        ):
                            row = result.enrolments[enrolment.scheme]
                            write_payment(session, actor, result.person, row, "cash", 1, day)
                            payments += 1
    return payments

"""A demo centre full of realistic synthetic people, built by the rules of the real services.

Employers go through ``save_employer``. Households, people, enrolments, this year's payments
and the survey answers go through the bulk write path (``services.bulk_write``) in
transactions of about 10,000 people: each is checked and computed by the same functions as
the front desk (``validate_person``, ``check_choices``, ``person_values``, the desk's
``desk_payment_values`` with its receipt numbers from ``next_receipt_sequence``, the tax
channel's ``tax_payment_values``, ``follow_line`` for what the records say of coverage after
each record, ``check_answer``/``apply_answer`` for the answers), and each change carries its
outbox row and signed audit entry in chain order, so a seed gives the very rows, changes and
statuses the one-at-a-time services gave, a few times faster.

So that the coverage picture looks like a real township's: residents' medical insurance for
the current year was paid last autumn through the tax channels (recorded with its voucher),
as well as the year being collected at the desk; and three households in four have been
visited over the last half year, their answers recorded as a survey
(``services.coverage.record_answers_in``): migrants insured where they work, students,
retirees, people who cannot afford or see no need; the rest stay 未核实.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from caseworker.domain.coverage import (
    EnrolmentFact,
    PaymentFact,
    coverage_id,
    derive,
    line_codes,
)
from caseworker.domain.demo_coverage import answer, visit_day
from caseworker.domain.demo_people import (
    DemoData,
    DemoHousehold,
    DemoPerson,
    DemoVillage,
    generate_demo,
)
from caseworker.domain.demo_work import Picker
from caseworker.domain.errors import InvalidValue
from caseworker.domain.periods import Period
from caseworker.domain.regions import demo_centre, load_region_directory
from caseworker.domain.wire import ENROLMENT_FIELDS, PERSON_FIELDS
from caseworker.paths import DataPaths
from caseworker.services.actor import Actor, Permission, Role
from caseworker.services.bulk_write import BulkWriter
from caseworker.services.centre import add_operator, login, setup_centre
from caseworker.services.coverage import (
    UNSEEN,
    StatusAnswer,
    apply_answer,
    check_answer,
    follow_line,
    refuse_unless_answerable,
    stamp_written,
    survey_entry_values,
)
from caseworker.services.day_close import refuse_if_day_closed
from caseworker.services.employers import EmployerInput, save_employer
from caseworker.services.enrolment import (
    EnrolmentChoice,
    check_choices,
    choice_values,
    person_facts,
    person_values,
)
from caseworker.services.errors import ValidationFailed
from caseworker.services.form_support import province_of_centre
from caseworker.services.parameters import parameters_for
from caseworker.services.payments import (
    collecting,
    desk_payment_values,
    next_receipt_sequence,
    open_period_of,
)
from caseworker.services.review import approve_all_pending
from caseworker.services.store_guard import refuse_if_behind
from caseworker.services.tax_payments import tax_payment_values
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.database import Database
from caseworker.store.models import CoverageSurveyEntry, Enrolment, Household, Payment, new_id
from caseworker.store.wire import WIRE, snapshot

DEMO_PASSWORD = "demo"
HOUSEHOLDS_PER_TRANSACTION = 3_000  # about 10,000 people: large sends, a bounded journal
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
    # Apart from the people's generator, so the people stay what they were for a seed.
    rng = random.Random(seed * 7919 + 17)
    demo = _BulkDemo(actor, day, employer_ids, rng)
    for start in range(0, len(data.households), HOUSEHOLDS_PER_TRANSACTION):
        with database.writing() as session:
            demo.start(session)
            for household in data.households[start : start + HOUSEHOLDS_PER_TRANSACTION]:
                demo.household(household)
            demo.close()
    return demo.payments


def _status_row(person_id: uuid.UUID, line: str) -> SimpleNamespace:
    """A status row as the person's insert trigger leaves it (unknown, never sent, unseen)."""
    return SimpleNamespace(
        id=coverage_id(person_id, line),
        person_id=person_id,
        line=line,
        status="unknown",
        scheme=None,
        reason=None,
        insured_where=None,
        as_of=None,
        valid_until=UNSEEN,
        source=None,
        note=None,
        version=0,
        operator_id=None,
        updated_at=None,
    )


_STATUS_COLUMNS = (
    "status",
    "scheme",
    "reason",
    "insured_where",
    "as_of",
    "valid_until",
    "source",
    "note",
    "version",
    "operator_id",
    "updated_at",
)


@dataclass
class _Member:
    """A person being written: its columns, its records so far and its status rows."""

    demo: DemoPerson
    row: SimpleNamespace
    enrolments: list[EnrolmentFact]
    payments: list[PaymentFact]
    statuses: dict[str, SimpleNamespace]


class _BulkDemo:
    """The demo's people through ``BulkWriter``: each rule of the one-at-a-time services
    (validation, eligibility, the desk's and the tax channel's arithmetic, receipt numbers,
    what the records say of coverage, the checks of an answer) called on values held in
    memory, the rows and changes sent in large batches."""

    def __init__(
        self, actor: Actor, day: date, employer_ids: list[uuid.UUID], rng: random.Random
    ) -> None:
        for permission in (
            Permission.ENROL,
            Permission.RECORD_PAYMENT,
            Permission.RECORD_TAX_PAYMENT,
            Permission.RECORD_COVERAGE,
        ):
            actor.require(permission)
        self.actor, self.day, self.employer_ids, self.rng = actor, day, employer_ids, rng
        self.province = province_of_centre(actor)
        params = parameters_for(day, self.province)
        self.min_age = params.resident_pension.min_age
        self.collecting = {s: collecting(s, day, actor) for s in DOCUMENTS}
        self.payments = 0
        self.vouchers: set[str] = set()

    def start(self, session: Session) -> None:
        """A new transaction: the checks a payment's transaction makes, a writer for it."""
        refuse_if_behind(session.info.get("database"), self.actor)
        refuse_if_day_closed(session, self.actor.operator_id, self.day)
        self.session = session
        self.writer = BulkWriter(session, self.actor)

    def close(self) -> None:
        self.writer.close()

    # -- one household -----------------------------------------------------------------

    def household(self, demo_household: DemoHousehold) -> None:
        actor, writer = self.actor, self.writer
        values = {
            "id": new_id(),
            "village_code": demo_household.village_code,
            "address_detail": demo_household.address_detail,
            "created_by": actor.operator_id,
            "version": 1,
        }
        writer.insert(Household, values)
        writer.change(
            action="household.create",
            entity_type="household",
            entity_id=values["id"],
            operation="upsert",
            payload=WIRE["household"].snapshot(SimpleNamespace(**values)),
        )
        members = [self._person(demo_household, values["id"], m) for m in demo_household.members]
        visited = visit_day(self.rng, self.day)
        if visited is not None:
            told = self._survey(members)
            if told:
                self._answers(members, told, visited)
        for member in members:
            for line, row in member.statuses.items():
                # A row never written keeps what the trigger gave it but the look it had:
                # its valid_until alone, which leaves the tallies' trigger asleep.
                names = _STATUS_COLUMNS if row.version else ("valid_until",)
                writer.update_coverage(
                    row.person_id, line, {name: getattr(row, name) for name in names}
                )

    def _person(
        self, demo_household: DemoHousehold, household_id: uuid.UUID, member: DemoPerson
    ) -> _Member:
        actor, day, writer = self.actor, self.day, self.writer
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
                    self.employer_ids[member.employer_index]
                    if member.employer_index is not None
                    else None
                ),
                special_groups=list(member.special_groups),
                bank_account=member.bank_account,
                household_id=household_id,
                relationship_to_head=member.relationship,
            ),
            today=day,
        )
        choices = [
            EnrolmentChoice(e.scheme, e.tier_fen, e.base_fen, DOCUMENTS.get(e.scheme, ["id_card"]))
            for e in member.enrolments
        ]
        check_choices(person_facts(valid, self.province), choices, day, self.province)
        person_id = new_id()
        values = (
            {name: None for name in PERSON_FIELDS}
            | person_values(valid)
            | {
                "id": person_id,
                "version": 1,
                "created_by": actor.operator_id,
                "updated_by": actor.operator_id,
            }
        )
        writer.add_person(values, is_new=True)
        row = SimpleNamespace(**values, owner_centre_code=None)
        writer.change(
            action="person.create",
            entity_type="person",
            entity_id=person_id,
            operation="upsert",
            payload=snapshot(row, PERSON_FIELDS),
            detail={"name": valid.name},
        )
        person = _Member(
            member, row, [], [], {line: _status_row(person_id, line) for line in line_codes()}
        )
        enrolments: dict[str, SimpleNamespace] = {}
        for choice in choices:
            enrolment = {
                "id": new_id(),
                "person_id": person_id,
                "scheme": choice.scheme,
                "start_date": day,
                "version": 1,
                "created_by": actor.operator_id,
                "updated_by": actor.operator_id,
                **choice_values(choice, valid.employer_id),
            }
            writer.insert(Enrolment, enrolment)
            enrolments[choice.scheme] = SimpleNamespace(**enrolment)
            writer.change(
                action="enrolment.create",
                entity_type="enrolment",
                entity_id=enrolment["id"],
                operation="upsert",
                payload=snapshot(enrolments[choice.scheme], ENROLMENT_FIELDS),
            )
            person.enrolments.append(EnrolmentFact(choice.scheme, "active", day))
        for demo_enrolment in member.enrolments:
            scheme = demo_enrolment.scheme
            paid = demo_enrolment.last_paid_year == day.year
            born_before = member.birth_date < date(day.year, 1, 1)
            if paid and scheme == "resident_medical" and born_before:
                self._paid_last_autumn(person, enrolments[scheme])
            # About one payer in five has not yet paid the year being collected: the
            # renewals a centre chases in the window (待续缴).
            renews_later = scheme == "resident_medical" and int(row.id_number[-2]) < 2
            desk = paid and scheme.startswith("resident") and not renews_later
            if desk and self.collecting[scheme]:
                self._paid_at_desk(person, enrolments[scheme])
        # What the records say of coverage, once they are all written: at a desk the status
        # would be derived after the enrolment and again after the payment of the same visit,
        # the first value overwritten before anyone could see it, so the demo journals only
        # the second.
        self._follow(person)
        return person

    # -- payments ------------------------------------------------------------------------

    def _paid_last_autumn(self, person: _Member, enrolment: SimpleNamespace) -> None:
        """This year's residents' medical insurance, paid in last year's collection window
        through the tax channels (as most residents pay it), recorded with its voucher."""
        day = self.day
        paid_on = date(day.year - 1, 9, 1) + timedelta(days=self.rng.randrange(122))
        values, _ = tax_payment_values(
            self.actor,
            person.row,
            enrolment,
            period_start=date(day.year, 1, 1),
            method=_TAX_CHANNEL(self.rng),
            voucher_number=f"DEMO{day.year - 1}{self.payments:08d}",
            paid_on=paid_on,
            day=day,
        )
        if values["voucher_number"] in self.vouchers:
            raise ValueError(f"voucher {values['voucher_number']} twice")
        self.vouchers.add(values["voucher_number"])
        self._payment(person, values, "payment.record_tax")

    def _paid_at_desk(self, person: _Member, enrolment: SimpleNamespace) -> None:
        """The year being collected, in cash at the desk: one line, one receipt."""
        found = open_period_of(enrolment.scheme, self.day, self.province)
        if found is None:  # ``collecting`` said there is one
            raise ValueError(f"no period of {enrolment.scheme} collected on {self.day}")
        sequence = next_receipt_sequence(self.session, self.actor.device_id, self.day.year)
        values, _ = desk_payment_values(
            self.actor, person.row, enrolment, found, 1, "cash", self.day, sequence, 1
        )
        self._payment(person, values, "payment.record")

    def _payment(self, person: _Member, values: dict[str, Any], action: str) -> None:
        period = Period(values["period_start"], values["period_end"])
        for fact in person.payments:  # ``refuse_if_paid`` on what this build wrote
            if fact.scheme == values["scheme"] and period.overlaps(
                fact.period_start, fact.period_end
            ):
                raise ValueError(f"{values['scheme']} {period.label} paid twice")
        self.writer.insert(Payment, values)
        self.writer.change(
            action=action,
            entity_type="payment",
            entity_id=values["id"],
            operation="create",
            payload=WIRE["payment"].snapshot(SimpleNamespace(**values)),
        )
        person.payments.append(
            PaymentFact(
                values["scheme"],
                values["period_start"],
                values["period_end"],
                values["business_date"],
                False,
            )
        )
        self.payments += 1

    # -- coverage ------------------------------------------------------------------------

    def _follow(self, person: _Member) -> None:
        """``follow_records`` on the person's records held in memory."""
        for line, row in person.statuses.items():
            derived = derive(
                line,
                birth_date=person.row.birth_date,
                enrolments=person.enrolments,
                payments=person.payments,
                day=self.day,
                pension_min_age=self.min_age,
            )
            if follow_line(row, derived, self.day):
                self._status_change(row, "coverage.derive")

    def _status_change(self, row: SimpleNamespace, action: str) -> None:
        payload, detail = stamp_written(row, self.actor)
        self.writer.change(
            action=action,
            entity_type="coverage",
            entity_id=row.id,
            operation="upsert",
            payload=payload,
            detail=detail,
        )

    def _survey(self, members: list[_Member]) -> list[StatusAnswer]:
        """A visit's answers for the lines the centre's records leave open (still unknown)."""
        told = []
        for member in members:
            age = member.demo.age_on(self.day)
            for line in line_codes():
                if member.statuses[line].status != "unknown":
                    continue
                said = answer(self.rng, line, age=age, category=member.demo.employment_category)
                told.append(
                    StatusAnswer(
                        member.row.id,
                        line,
                        said.status,
                        reason=said.reason,
                        insured_where=said.insured_where,
                        scheme=said.scheme,
                    )
                )
        return told

    def _answers(self, members: list[_Member], told: list[StatusAnswer], day: date) -> None:
        """``record_answers_in`` on the rows held in memory: the same checks, then each
        answer's survey entry and the status it sets."""
        by_id = {member.row.id: member for member in members}
        problems: list[InvalidValue] = []
        for said in told:
            member = by_id[said.person_id]
            refuse_unless_answerable(member.row)
            problems.extend(check_answer(said, member.statuses[said.line]))
        if problems:
            raise ValidationFailed(problems)
        for said in told:
            row = by_id[said.person_id].statuses[said.line]
            entry = survey_entry_values(said, self.actor, day) | {"version": 1}
            self.writer.insert(CoverageSurveyEntry, entry)
            self.writer.change(
                action="survey_entry.create",
                entity_type="survey_entry",
                entity_id=entry["id"],
                operation="upsert",
                payload=WIRE["survey_entry"].snapshot(SimpleNamespace(**entry)),
            )
            if apply_answer(row, said, "survey", day):
                self._status_change(row, "coverage.record")

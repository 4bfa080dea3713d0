"""One contribution per person × scheme × period: the check every payment path calls, and
what may be paid today (open periods with their amounts) for the payment dialog.

A period is paid when a live (not voided) payment of any channel — cash at the desk or the
tax authority's channels — covers any day of it. ``refuse_if_paid`` is the one check; the desk
(``services.payments``) and the tax channel call it inside their write transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.codes import label_or_code
from caseworker.domain.contributions import Contribution, period_contribution
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number
from caseworker.domain.periods import OpenPeriod, Period, collected_periods, open_periods
from caseworker.domain.schemes import SCHEME_CODES
from caseworker.services.actor import Actor
from caseworker.services.enrolment import person_facts
from caseworker.services.errors import NotFound, ServiceError
from caseworker.services.form_support import province_of_centre
from caseworker.services.parameters import parameters_for
from caseworker.services.records import EnrolmentRecord
from caseworker.store.database import Database
from caseworker.store.models import Enrolment, Operator, Payment, Person


@dataclass(frozen=True)
class EarlierPayment:
    """The live payment that already covers a period: what the clerk is told about it."""

    payment_id: uuid.UUID
    channel: str  # "desk" or "tax"
    receipt_number: str | None
    voucher_number: str | None
    business_date: date
    operator_name: str
    period: Period

    @property
    def reference(self) -> str:
        """The receipt number, or the tax voucher for the tax channel."""
        return self.receipt_number or self.voucher_number or ""


def scheme_label(scheme: str, lang: str = "zh") -> str:
    return label_or_code("scheme", scheme, lang)


def earlier_payments(
    session: Session, person_id: uuid.UUID, scheme: str, period_start: date, period_end: date
) -> list[EarlierPayment]:
    """Live payments of the person and scheme covering any day of the period, oldest first."""
    rows = session.execute(
        select(Payment, Operator.display_name)
        .join(Operator, Operator.id == Payment.operator_id)
        .where(
            Payment.person_id == person_id,
            Payment.scheme == scheme,
            Payment.voided_at.is_(None),
            Payment.period_start <= period_end,
            Payment.period_end >= period_start,
        )
        .order_by(Payment.paid_at)
    ).all()
    return [
        EarlierPayment(
            p.id,
            p.channel,
            p.receipt_number,
            p.voucher_number,
            p.business_date,
            name,
            Period(p.period_start, p.period_end),
        )
        for p, name in rows
    ]


def already_paid_error(
    person_name: str, scheme: str, period: Period, earlier: EarlierPayment
) -> ServiceError:
    if earlier.channel == "tax":
        where_zh = f"税务凭证 {earlier.reference}"
        where_en = f"tax voucher {earlier.reference}"
    else:
        where_zh = f"收据 {earlier.reference}"
        where_en = f"receipt {earlier.reference}"
    return ServiceError(
        "already_paid",
        f"{person_name}的{scheme_label(scheme)}{period.label}已缴费（{where_zh}，"
        f"{earlier.business_date.isoformat()}，收款人 {earlier.operator_name}）。"
        "同一期间不能重复缴费；如原收据有误，请主管先作废原收据。",
        f"{person_name} has already paid {scheme_label(scheme, 'en')} for {period.label_en} "
        f"({where_en}, {earlier.business_date.isoformat()}, taken by "
        f"{earlier.operator_name}). A period is paid once; if that receipt is wrong, a "
        "supervisor voids it first.",
    )


def refuse_if_paid(
    session: Session, person_id: uuid.UUID, scheme: str, period_start: date, period_end: date
) -> None:
    """Raise ``ServiceError("already_paid")`` naming the earlier receipt (number, date,
    operator) when a live payment of any channel covers any day of the period."""
    period = Period(period_start, period_end)
    # Lines added earlier in the same transaction count too (a visit naming one period twice),
    # flushed or not: bulk writers run without autoflush.
    pending = [
        p
        for p in session.new
        if isinstance(p, Payment)
        and p.person_id == person_id
        and p.scheme == scheme
        and p.voided_at is None
        and period.overlaps(p.period_start, p.period_end)
    ]
    if pending:
        raise ServiceError(
            "already_paid",
            f"同一次收费中{scheme_label(scheme)}{period.label}选了两次，请只保留一行。",
            f"{scheme_label(scheme, 'en')} for {period.label_en} is on this visit twice; "
            "keep one line.",
        )
    found = earlier_payments(session, person_id, scheme, period_start, period_end)
    if found:
        person = session.get(Person, person_id)
        raise already_paid_error(person.name if person else "", scheme, period, found[0])


# -- what may be paid today ----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodOption:
    """An open period with what it would cost; ``problem`` when that cannot be worked out."""

    open: OpenPeriod
    due: Contribution | None
    problem: str | None = None
    problem_en: str | None = None

    @property
    def period(self) -> Period:
        return self.open.period


@dataclass(frozen=True)
class SchemePeriods:
    """One active enrolment of one person: its open periods and the paid ones being collected."""

    person_id: uuid.UUID
    person_name: str
    masked_id_number: str
    enrolment: EnrolmentRecord
    period_kind: str  # "year" or "month"
    max_months: int  # 1 for yearly schemes
    open: tuple[PeriodOption, ...]
    paid: tuple[EarlierPayment, ...]  # the periods being collected today that are paid

    @property
    def scheme(self) -> str:
        return self.enrolment.scheme


def is_arrears(scheme: str, period: Period, day: date, province: str) -> bool:
    """Whether a payment made on ``day`` for ``period`` was arrears (补缴): its period was not
    one being collected that day, by the rules in force that day."""
    rule = parameters_for(day, province).collection.rules[scheme]
    return not any(
        collected.overlaps(period.start, period.end) for collected in collected_periods(rule, day)
    )


def period_due(
    person: Person,
    enrolment: Enrolment,
    day: date,
    province: str,
    open_period: OpenPeriod,
    months: int = 1,
) -> Contribution:
    """What ``open_period`` costs this person: that period's figures, today's eligibility."""
    return period_contribution(
        enrolment.scheme,
        person_facts(person, province),
        day,
        parameters_for(open_period.period.start, province),
        open_period,
        tier_fen=enrolment.tier_fen,
        base_fen=enrolment.base_fen,
        months=months,
    )


def _live_periods(session: Session, person_id: uuid.UUID, scheme: str) -> list[tuple[date, date]]:
    return [
        (start, end)
        for start, end in session.execute(
            select(Payment.period_start, Payment.period_end).where(
                Payment.person_id == person_id,
                Payment.scheme == scheme,
                Payment.voided_at.is_(None),
            )
        )
    ]


def open_for(
    session: Session, person_id: uuid.UUID, scheme: str, day: date, province: str
) -> list[OpenPeriod]:
    """The periods of the person's scheme that may be paid on ``day`` and are not paid."""
    return open_periods(
        scheme, day, parameters_for(day, province), _live_periods(session, person_id, scheme)
    )


def _scheme_periods(
    session: Session, person: Person, enrolment: Enrolment, day: date, province: str
) -> SchemePeriods:
    params = parameters_for(day, province)
    rule = params.collection.rules[enrolment.scheme]
    options = []
    for found in open_for(session, person.id, enrolment.scheme, day, province):
        try:
            options.append(PeriodOption(found, period_due(person, enrolment, day, province, found)))
        except InvalidValue as error:
            message_en = getattr(error, "message_en", None)
            options.append(PeriodOption(found, None, error.message, message_en))
    paid = [
        earlier
        for period in collected_periods(rule, day)
        for earlier in earlier_payments(
            session, person.id, enrolment.scheme, period.start, period.end
        )
    ]
    return SchemePeriods(
        person_id=person.id,
        person_name=person.name,
        masked_id_number=mask_id_number(person.id_number),
        enrolment=EnrolmentRecord(
            enrolment.id,
            enrolment.scheme,
            enrolment.status,
            enrolment.tier_fen,
            enrolment.base_fen,
            enrolment.start_date,
            tuple(enrolment.documents),
        ),
        period_kind=rule.period,
        max_months=params.employee_pension_flexible.max_months if rule.period == "month" else 1,
        open=tuple(options),
        paid=tuple(dict.fromkeys(paid)),
    )


def household_of(session: Session, person: Person) -> list[Person]:
    """The person first, then the other members of their household (head first, by age)."""
    if person.household_id is None:
        return [person]
    others = session.scalars(
        select(Person)
        .where(Person.household_id == person.household_id, Person.id != person.id)
        .order_by(Person.birth_date)
    ).all()
    return [person, *sorted(others, key=lambda p: (p.relationship_to_head != "02", p.birth_date))]


@dataclass(frozen=True)
class VisitOptions:
    """What the payment dialog offers: the payer, and each active enrolment of the payer and
    of the payer's household members with its open and paid periods."""

    payer_id: uuid.UUID
    payer_name: str
    payer_masked_id_number: str
    schemes: tuple[SchemePeriods, ...]


def visit_periods(
    database: Database, actor: Actor, payer_id: uuid.UUID, *, day: date
) -> VisitOptions:
    """For the payment dialog (read lane): payer first, each person's schemes in the fixed
    scheme order."""
    province = province_of_centre(actor)
    with database.reading() as session:
        payer = session.get(Person, payer_id)
        if payer is None:
            raise NotFound("person", "找不到该参保人员。", "No such person.")
        found = []
        for person in household_of(session, payer):
            enrolments = sorted(
                (e for e in person.enrolments if e.status == "active"),
                key=lambda e: SCHEME_CODES.index(e.scheme),
            )
            found += [_scheme_periods(session, person, e, day, province) for e in enrolments]
        return VisitOptions(payer.id, payer.name, mask_id_number(payer.id_number), tuple(found))

"""Read-only helpers for the enrolment form and the payment dialog.

Nothing here writes: the form asks which schemes a person may join (and on what terms),
and which documents the clerk must see (what a payment would come to is
``contribution_periods.visit_periods``). The figures come from the same domain rules and
parameters the writing services use, so what the form shows is what ``enrol`` will accept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseworker.domain.codes import load_code_table
from caseworker.domain.contributions import (
    Contribution,
    SchemeOption,
    contribution,
    eligible_schemes,
)
from caseworker.domain.errors import InvalidValue
from caseworker.domain.schemes import SCHEME_CODES, PersonFacts
from caseworker.services.actor import Actor
from caseworker.services.parameters import parameters_for
from caseworker.services.records import EnrolmentRecord, PersonDetail
from caseworker.services.registry import person_detail
from caseworker.store.database import Database
from caseworker.store.models import Employer

# The document a special group's proof is filed under in the document code table.
GROUP_PROOF = "special_group_proof"
# Categories whose situation is proven by a document of their own.
_CATEGORY_DOCUMENTS = {
    "employee": "labour_contract",
    "self_employed": "business_licence",
    "student": "student_certificate",
}
YEARLY_SCHEMES = frozenset({"resident_pension", "resident_medical"})


def province_of_centre(actor: Actor) -> str:
    return actor.centre_code[:2] + "0000"


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the documents checklist.

    ``key`` is unique on the form (one line per special group's proof); ``document`` is the
    code stored with the enrolment, from the document code table.
    """

    key: str
    document: str
    label_zh: str
    label_en: str
    required: bool


def document_checklist(
    *,
    employment_category: str | None,
    special_groups: list[str] | tuple[str, ...],
    schemes: list[str] | tuple[str, ...],
    has_bank_account: bool,
    hukou_province: str | None,
    centre_province: str,
) -> list[ChecklistItem]:
    """The documents to see for this enrolment, in the order a clerk asks for them."""
    table = load_code_table("document")

    def item(code: str, required: bool = True) -> ChecklistItem:
        entry = table.get(code)
        return ChecklistItem(code, code, entry.name_zh, entry.name_en, required)

    items = [item("id_card"), item("hukou_book")]
    # People whose hukou is in another province join local resident schemes on a permit.
    if hukou_province and hukou_province != centre_province and set(schemes) & YEARLY_SCHEMES:
        items.append(item("residence_permit"))
    groups = load_code_table("special_group")
    for code in special_groups:
        entry = groups.get(code)
        items.append(
            ChecklistItem(
                f"{GROUP_PROOF}:{code}",
                GROUP_PROOF,
                str(entry.extra.get("proof_zh") or table.get(GROUP_PROOF).name_zh),
                str(entry.extra.get("proof_en") or table.get(GROUP_PROOF).name_en),
                True,
            )
        )
    category_document = _CATEGORY_DOCUMENTS.get(employment_category or "")
    if category_document:
        items.append(item(category_document))
    if has_bank_account:
        items.append(item("bank_card"))
    return items


def documents_seen(items: list[ChecklistItem], ticked: set[str]) -> list[str]:
    """Document codes to store with the enrolment.

    A document that stands for several lines (each group's proof) counts only when every one
    of its lines is ticked: storing "proof seen" when one of two proofs is missing would lie.
    """
    by_code: dict[str, bool] = {}
    for entry in items:
        by_code[entry.document] = by_code.get(entry.document, True) and entry.key in ticked
    return sorted(code for code, seen in by_code.items() if seen)


def scheme_options(
    *,
    birth_date: date,
    sex: str,
    employment_category: str | None,
    special_groups: list[str] | tuple[str, ...],
    centre_province: str,
    day: date,
) -> list[SchemeOption]:
    """Every scheme with whether this person may join it today, and the choices or reason."""
    facts = PersonFacts(
        birth_date=birth_date,
        sex=sex,
        employment_category=employment_category or "unemployed",
        special_groups=frozenset(special_groups),
        province_code=centre_province,
    )
    return eligible_schemes(facts, day, parameters_for(day, centre_province))


def employer_name(database: Database, employer_id: uuid.UUID) -> str | None:
    """The employer's name, for a form opened with an employer already chosen."""
    with database.reading() as session:
        employer = session.get(Employer, employer_id)
        return employer.name if employer else None


@dataclass(frozen=True)
class PaymentOption:
    """An active enrolment a payment can be taken for, with what one period would cost."""

    enrolment: EnrolmentRecord
    max_months: int  # 1 for yearly schemes
    due: Contribution | None  # None when the amount cannot be worked out (see ``problem``)
    problem: str | None = None


def _facts(person: PersonDetail, province: str) -> PersonFacts:
    return PersonFacts(
        birth_date=person.birth_date,
        sex=person.sex,
        employment_category=person.employment_category or "unemployed",
        special_groups=frozenset(person.special_groups),
        province_code=province,
    )


def payment_due(
    person: PersonDetail,
    enrolment: EnrolmentRecord,
    *,
    months: int,
    day: date,
    centre_province: str,
) -> Contribution:
    """What one period of this enrolment comes to (the tax-channel dialog); raises InvalidValue."""
    return contribution(
        enrolment.scheme,
        _facts(person, centre_province),
        day,
        parameters_for(day, centre_province),
        tier_fen=enrolment.tier_fen,
        base_fen=enrolment.base_fen,
        months=months,
    )


def payment_options(
    database: Database, actor: Actor, person_id: uuid.UUID, *, day: date
) -> tuple[PersonDetail, list[PaymentOption]]:
    """The person and each active enrolment with one period's amount (read lane)."""
    person = person_detail(database, str(person_id))
    province = province_of_centre(actor)
    params = parameters_for(day, province)
    options = []
    # The fixed scheme order (pension first), as on the form, not the alphabetical one.
    ordered = sorted(person.enrolments, key=lambda e: SCHEME_CODES.index(e.scheme))
    for enrolment in ordered:
        if enrolment.status != "active":
            continue
        max_months = (
            1 if enrolment.scheme in YEARLY_SCHEMES else params.employee_pension_flexible.max_months
        )
        try:
            due = payment_due(person, enrolment, months=1, day=day, centre_province=province)
        except InvalidValue as error:
            options.append(PaymentOption(enrolment, max_months, None, error.message))
            continue
        options.append(PaymentOption(enrolment, max_months, due))
    return person, options

"""Turn what an operator typed into checked values, collecting every field's problem at once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from caseworker.domain.bank import parse_bank_card
from caseworker.domain.codes import load_code_table
from caseworker.domain.contact import parse_phone
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import check_event_date
from caseworker.domain.ids import IdNumber, parse_id_number
from caseworker.domain.names import normalise_person_name
from caseworker.services.errors import ValidationFailed

T = TypeVar("T")


@dataclass
class PersonInput:
    """A person as typed on the enrolment form; free text, checked by ``validate_person``."""

    id_number: str
    name: str
    ethnicity: str | None = "01"
    phone: str | None = None
    hukou_nature: str | None = None
    hukou_village_code: str | None = None
    hukou_address: str | None = None
    residence_address: str | None = None
    employment_category: str | None = None
    employer_id: uuid.UUID | None = None
    special_groups: list[str] = field(default_factory=list)
    bank_account: str | None = None
    household_id: uuid.UUID | None = None
    relationship_to_head: str | None = None
    # The day they joined the household (newborns: the birth date); None: not told.
    moved_in_on: date | None = None


@dataclass(frozen=True)
class ValidPerson:
    identity: IdNumber
    name: str
    ethnicity: str | None
    phone: str | None
    hukou_nature: str | None
    hukou_village_code: str | None
    hukou_address: str | None
    residence_address: str | None
    employment_category: str | None
    employer_id: uuid.UUID | None
    special_groups: tuple[str, ...]
    bank_account: str | None
    household_id: uuid.UUID | None
    relationship_to_head: str | None
    warnings: tuple[str, ...] = ()
    moved_in_on: date | None = None


class Collector:
    """Runs each check, keeps the first problem per field, and raises them all together."""

    def __init__(self) -> None:
        self.errors: list[InvalidValue] = []

    def check(self, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except InvalidValue as error:
            self.errors.append(error)
            return None

    def add(self, error: InvalidValue) -> None:
        self.errors.append(error)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def _blank(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def check_code(table: str, value: str | None, field_name: str, collector: Collector) -> str | None:
    value = _blank(value)
    if value is None:
        return None
    entries = load_code_table(table)
    if value not in entries:
        collector.add(
            InvalidValue(
                field_name,
                "unknown_code",
                f"“{value}”不是有效的{entries.title_zh}代码，请从列表中选择。",
            )
        )
        return None
    return value


def _village(value: str | None, collector: Collector) -> str | None:
    value = _blank(value)
    if value is not None and not (len(value) == 12 and value.isascii() and value.isdigit()):
        collector.add(
            InvalidValue("hukou_village_code", "format", "村（居）委会代码应为12位统计用区划代码。")
        )
        return None
    return value


def _text(value: str | None, field_name: str, limit: int, collector: Collector) -> str | None:
    value = _blank(value)
    if value is not None and len(value) > limit:
        collector.add(
            InvalidValue(
                field_name, "length", f"内容过长：最多{limit}个字，现在是{len(value)}个字。"
            )
        )
        return None
    return value


def validate_person(data: PersonInput, *, today: date | None = None) -> ValidPerson:
    """Every field checked; raises ValidationFailed naming each wrong field."""
    collector = Collector()
    identity = collector.check(lambda: parse_id_number(data.id_number, today=today))
    name = collector.check(lambda: normalise_person_name(data.name))
    phone = None
    if _blank(data.phone):
        parsed_phone = collector.check(lambda: parse_phone(data.phone or ""))
        phone = parsed_phone.number if parsed_phone else None
    warnings: list[str] = []
    bank_account = None
    if _blank(data.bank_account):
        card = collector.check(lambda: parse_bank_card(data.bank_account or ""))
        if card is not None:
            bank_account = card.number
            if card.warning:
                warnings.append(card.warning)
    groups = []
    for group in data.special_groups:
        checked = check_code("special_group", group, "special_groups", collector)
        if checked:
            groups.append(checked)
    valid = dict(
        ethnicity=check_code("ethnic_group", data.ethnicity, "ethnicity", collector),
        hukou_nature=check_code("hukou_nature", data.hukou_nature, "hukou_nature", collector),
        employment_category=check_code(
            "employment_category", data.employment_category, "employment_category", collector
        ),
        relationship_to_head=check_code(
            "relationship", data.relationship_to_head, "relationship_to_head", collector
        ),
        hukou_village_code=_village(data.hukou_village_code, collector),
        hukou_address=_text(data.hukou_address, "hukou_address", 200, collector),
        residence_address=_text(data.residence_address, "residence_address", 200, collector),
    )
    if identity is not None and data.moved_in_on is not None:
        late = check_event_date(
            "moved_in_on",
            data.moved_in_on,
            birth_date=identity.birth_date,
            today=today or date.today(),
        )
        if late is not None:
            collector.add(late)
    collector.raise_if_any()
    assert identity is not None and name is not None
    return ValidPerson(
        identity=identity,
        name=name,
        phone=phone,
        employer_id=data.employer_id,
        special_groups=tuple(dict.fromkeys(groups)),
        bank_account=bank_account,
        household_id=data.household_id,
        warnings=tuple(warnings),
        moved_in_on=data.moved_in_on,
        **valid,
    )

"""Plain read models handed to the UI and the CLI (never live ORM objects)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker.domain.dates import completed_years
from caseworker.domain.ids import mask_id_number


@dataclass(frozen=True)
class PersonSummary:
    id: uuid.UUID
    id_number: str
    name: str
    sex: str
    birth_date: date
    village_code: str | None
    schemes: tuple[str, ...]
    phone: str | None = None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age(self, day: date) -> int:
        return completed_years(self.birth_date, day)


@dataclass(frozen=True)
class EnrolmentRecord:
    id: uuid.UUID
    scheme: str
    status: str
    tier_fen: int | None
    base_fen: int | None
    start_date: date
    documents: tuple[str, ...]


@dataclass(frozen=True)
class PaymentRecord:
    id: uuid.UUID
    receipt_number: str | None  # None for a tax-channel payment (it has a voucher)
    scheme: str
    period_start: date
    period_end: date
    amount_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    personal_fen: int
    tier_fen: int | None
    base_fen: int | None
    method: str
    paid_at: datetime
    business_date: date
    operator_name: str
    voided: bool
    void_reason: str | None
    channel: str = "desk"  # or "tax": paid through the tax authority's channels
    voucher_number: str | None = None
    # Who took it, as screens name an operator: display name and role (operator_name is
    # the user name, for files and the command line).
    operator_display_name: str | None = None
    operator_role: str | None = None


@dataclass(frozen=True)
class HistoryRecord:
    at: datetime
    operator_name: str
    action: str
    detail: dict
    operator_display_name: str | None = None  # as PaymentRecord's
    operator_role: str | None = None


@dataclass(frozen=True)
class PersonDetail:
    id: uuid.UUID
    id_number: str
    id_kind: str
    name: str
    sex: str
    birth_date: date
    ethnicity: str | None
    phone: str | None
    hukou_nature: str | None
    hukou_region_code: str | None
    hukou_village_code: str | None
    hukou_address: str | None
    residence_address: str | None
    employment_category: str | None
    employer_id: uuid.UUID | None
    employer_name: str | None
    special_groups: tuple[str, ...]
    bank_account: str | None
    household_id: uuid.UUID | None
    relationship_to_head: str | None
    version: int
    enrolments: tuple[EnrolmentRecord, ...] = ()
    payments: tuple[PaymentRecord, ...] = ()
    history: tuple[HistoryRecord, ...] = field(default=())
    # The centre that manages the person at the county (None: this centre).
    owner_centre_code: str | None = None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

"""What each document prints, as plain values with every code already turned into words.

The services fill these from the store; the builders only lay them out. Nothing here knows
of the database, so the same builders print from a sync batch, an import or a test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker.domain.receipts import LineTotals


@dataclass(frozen=True)
class CentreInfo:
    code: str
    name: str


@dataclass(frozen=True)
class SchemeLine:
    """One scheme on the enrolment form: the choice made and what it costs a year/month."""

    scheme: str  # the scheme's Chinese name
    status: str
    start_date: date
    tier_fen: int | None = None
    base_fen: int | None = None
    amount_fen: int | None = None
    personal_fen: int | None = None
    subsidy_fen: int | None = None
    paid_by_government_fen: int | None = None
    period: str = ""  # e.g. 按年 / 按月


@dataclass(frozen=True)
class EnrolmentFormData:
    record_id: uuid.UUID
    centre: CentreInfo
    printed_at: datetime
    operator: str
    name: str
    id_number: str
    id_kind: str
    sex: str
    birth_date: date
    ethnicity: str
    phone: str
    hukou_nature: str
    hukou_region: str  # the place named by the ID number's address code
    hukou_village: str
    hukou_address: str
    residence_address: str
    employment: str
    employer: str  # name and unified social credit code, or ""
    special_groups: tuple[str, ...]
    bank_account: str
    relationship: str
    household_address: str
    version: int
    schemes: tuple[SchemeLine, ...]
    documents: tuple[tuple[str, bool], ...]  # the checklist: (document, presented)
    enrolled_on: date | None = None


@dataclass(frozen=True)
class VoidInfo:
    reason: str
    voided_at: datetime
    voided_by: str


@dataclass(frozen=True)
class ReceiptLineData:
    """One line of a receipt: one person's contribution to one scheme for one period."""

    name: str
    masked_id_number: str
    scheme: str  # the scheme's Chinese name
    period_start: date
    period_end: date
    tier_fen: int | None
    base_fen: int | None
    amount_fen: int
    personal_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    arrears: bool = False  # a past period paid late (补缴)


@dataclass(frozen=True)
class ReceiptData(LineTotals):
    """A receipt: who paid (the first line's person), its lines, and the totals of them."""

    record_id: uuid.UUID  # the first line's payment
    receipt_number: str
    centre: CentreInfo
    name: str
    masked_id_number: str
    lines: tuple[ReceiptLineData, ...]
    method: str
    operator: str
    paid_at: datetime  # local time
    printed_at: datetime
    reprint: bool = False
    void: VoidInfo | None = None


@dataclass(frozen=True)
class SurveyMember:
    name: str = ""
    relationship: str = ""
    sex: str = ""
    id_number: str = ""
    phone: str = ""
    employment: str = ""
    pension: str | None = None  # coverage_status code, or None when not yet known
    medical: str | None = None
    reason: str = ""  # reason code (not insured)


@dataclass(frozen=True)
class SurveyHousehold:
    address: str
    head: str
    members: tuple[SurveyMember, ...]
    household_id: uuid.UUID | None = None
    # Sheets for chosen households (a trip) span villages: each names its own.
    village_code: str = ""
    village_name: str = ""


@dataclass(frozen=True)
class SurveySheetData:
    centre: CentreInfo
    village_code: str
    village_name: str
    printed_at: datetime
    households: tuple[SurveyHousehold, ...]  # empty: one blank sheet
    reasons: tuple[tuple[str, str], ...] = ()  # (code, label) legend of not-insured reasons


@dataclass(frozen=True)
class TransmittalRow:
    """One record of an upload batch, as the county's archive wants it on paper."""

    kind: str  # 人员 / 参保 / 缴费 ...
    subject: str  # the person's name, the employer's name ...
    reference: str  # masked ID number, receipt number ...
    operation: str  # 新增 / 变更 / 作废
    record_id: uuid.UUID
    recorded_at: datetime | None = None
    state: str = ""


@dataclass(frozen=True)
class TransmittalData:
    centre: CentreInfo
    batch_id: str
    printed_at: datetime
    rows: tuple[TransmittalRow, ...]
    created_at: datetime | None = None
    sha256: str = ""


@dataclass(frozen=True)
class DailyReceipt:
    receipt_number: str
    paid_at: datetime  # local time
    name: str
    scheme: str
    operator: str
    method: str
    amount_fen: int
    personal_fen: int
    paid_by_government_fen: int
    subsidy_fen: int
    void_reason: str | None = None
    voided_by: str = ""
    masked_id_number: str = ""  # shown on the remittance list

    @property
    def voided(self) -> bool:
        return self.void_reason is not None


@dataclass(frozen=True)
class DailyClose:
    """A supervisor's close (日结) of one operator's day, as recorded when it was made."""

    operator: str
    receipts: int
    voids: int
    expected_cash_fen: int
    counted_cash_fen: int
    difference_fen: int
    note: str
    closed_by: str
    closed_at: datetime  # local time
    reopened: str = ""  # who reopened it, when and why; "" while in force
    matches_audit: bool = True  # False: the stored figures differ from the signed audit entry


@dataclass(frozen=True)
class DailyReportData:
    centre: CentreInfo
    day: date
    printed_at: datetime
    receipts: tuple[DailyReceipt, ...] = field(default=())
    closes: tuple[DailyClose, ...] = field(default=())


@dataclass(frozen=True)
class RemittanceData:
    """解缴清单: a day's desk receipts of one operator (or every operator), voids apart."""

    centre: CentreInfo
    day: date
    printed_at: datetime
    operator: str  # the operator's name, or "" for every operator of the day
    receipts: tuple[DailyReceipt, ...] = ()

    @property
    def live(self) -> tuple[DailyReceipt, ...]:
        return tuple(r for r in self.receipts if not r.voided)

    @property
    def voided(self) -> tuple[DailyReceipt, ...]:
        return tuple(r for r in self.receipts if r.voided)

    @property
    def total_fen(self) -> int:
        """What is remitted: every live receipt, never a voided one."""
        return sum(r.personal_fen for r in self.live)


@dataclass(frozen=True)
class VoidSlipLine:
    """One line of a voided receipt: who paid for which scheme and period, and how much."""

    name: str
    masked_id_number: str
    scheme: str
    period_start: date
    period_end: date
    personal_fen: int
    amount_fen: int
    scheme_code: str = ""  # for screens that name the scheme in their own language


@dataclass(frozen=True)
class VoidSlipData:
    """作废凭证: the receipt voided as a whole, why, by whom and when, and who collected it."""

    centre: CentreInfo
    receipt_number: str
    lines: tuple[VoidSlipLine, ...]
    method: str
    collector: str  # the operator who took the money and issued the original
    paid_at: datetime  # local time
    reason: str  # "" while the receipt is live (the void dialog shows what it would void)
    voided_by: str
    voided_at: datetime | None  # local time
    printed_at: datetime

    @property
    def personal_fen(self) -> int:
        return sum(line.personal_fen for line in self.lines)

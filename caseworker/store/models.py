"""Typed SQLAlchemy models of the local store.

Every entity has a client-generated UUIDv7 key (time-ordered, the sync identity). Money is
integer fen. Timestamps are UTC; business dates (enrolment date, receipt date) are the
operator's local date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, configure_mappers, mapped_column, relationship

from caseworker.dbtypes import NAMING_CONVENTION, UtcDateTime, utc_now
from caseworker.domain.coverage import coverage_id
from caseworker.store.rows import new_id

# Partial indexes of migration 0014; the worklists' queries name the same terms literally
# (SQLite takes a partial index only when the query's WHERE says what the index's does).
EMPLOYEE_PENSION_WHERE = (
    "status = 'active' AND scheme IN ('employee_pension', 'employee_pension_flexible')"
)
RECEIVING_PENSION_WHERE = (
    "line = 'pension' AND status = 'not_applicable' AND reason = 'receiving_pension'"
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Stamped:
    """Who created and last changed a row, and when (UTC)."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Centre(Base):
    __tablename__ = "centre"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    township_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Operator(Base):
    __tablename__ = "operator"
    __table_args__ = (
        CheckConstraint("role IN ('clerk', 'supervisor', 'admin')", name="role"),
        # A contracted agency's staff are clerks: supervision stays with the centre.
        CheckConstraint("agency IS NULL OR role = 'clerk'", name="agency_clerk_only"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    centre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("centre.id"))
    username: Mapped[str] = mapped_column(String(32, collation="NOCASE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(12))
    # None: staff of the centre itself; else the name of the contracted agency (外包机构).
    agency: Mapped[str | None] = mapped_column(String(60), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Device(Base):
    """This installation: its number within the centre and its Ed25519 signing key."""

    __tablename__ = "device"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    centre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("centre.id"))
    device_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    signing_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    last_hlc: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Employer(Stamped, Base):
    __tablename__ = "employer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    employer_type: Mapped[str] = mapped_column(String(30))
    industry: Mapped[str | None] = mapped_column(String(100))
    risk_class: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # 单位参保登记 (migration 0017): the employees' schemes it takes part in, since when, and
    # the floating step of its work-injury rate (10000 = the class's benchmark).
    schemes: Mapped[list[str]] = mapped_column(default=list)
    insured_from: Mapped[date | None] = mapped_column(Date)
    work_injury_float_bp: Mapped[int | None] = mapped_column(Integer)
    # Set when the employer came in the township feed from another centre (migration 0018):
    # only its own centre changes it. None: this centre's.
    owner_centre_code: Mapped[str | None] = mapped_column(String(12))


class Household(Stamped, Base):
    __tablename__ = "household"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    village_code: Mapped[str | None] = mapped_column(String(12), index=True)
    address_detail: Mapped[str | None] = mapped_column(String(200))
    members: Mapped[list[Person]] = relationship(back_populates="household")


class Person(Stamped, Base):
    __tablename__ = "person"
    __table_args__ = (
        # The worklists: birthdays in a range (all a pension-age count asks of a person, read
        # from the index alone), and the few people in a special group.
        Index(
            "ix_person_birth_date",
            "birth_date",
            "sex",
            "employment_category",
            "moved_away_on",
            "deceased_on",
            "id",
        ),
        Index("ix_person_special_groups", "id", sqlite_where=text("special_groups <> '[]'")),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    id_kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    hukou_nature: Mapped[str | None] = mapped_column(String(30))
    hukou_region_code: Mapped[str | None] = mapped_column(String(6))
    hukou_village_code: Mapped[str | None] = mapped_column(String(12), index=True)
    hukou_address: Mapped[str | None] = mapped_column(String(200))
    residence_address: Mapped[str | None] = mapped_column(String(200))
    employment_category: Mapped[str | None] = mapped_column(String(30))
    employer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employer.id"), index=True)
    special_groups: Mapped[list[str]] = mapped_column(default=list)
    bank_account: Mapped[str | None] = mapped_column(String(19))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    relationship_to_head: Mapped[str | None] = mapped_column(String(2))
    # Household events (GB/T 4761 membership): the day they joined (newborns, moved in),
    # moved away, or died. Someone moved away or deceased leaves the coverage count.
    moved_in_on: Mapped[date | None] = mapped_column(Date)
    moved_away_on: Mapped[date | None] = mapped_column(Date)
    deceased_on: Mapped[date | None] = mapped_column(Date)
    # The centre that manages the person at the county, as the registry feed last said;
    # None: this centre (a person created here, or not yet heard of upstream).
    owner_centre_code: Mapped[str | None] = mapped_column(String(12))
    # Search columns, precomputed at write time: reversed strings make tails into prefixes.
    id_number_reversed: Mapped[str] = mapped_column(String(18), index=True)
    phone_reversed: Mapped[str | None] = mapped_column(String(20), index=True)

    household: Mapped[Household | None] = relationship(back_populates="members")
    employer: Mapped[Employer | None] = relationship()
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="person", order_by="Enrolment.scheme"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="person", order_by="Payment.paid_at"
    )
    search_keys: Mapped[list[PersonSearchKey]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class SpecialGroupMembership(Base):
    """A person in a special group as one of civil affairs' lists says (民政 低保/特困/残疾 …):
    the dates and issuing office the list gives, and which list (file name and SHA-256).

    One row per person, group and list, so importing the same list again writes nothing. Local
    bookkeeping: what goes upstream is the person's ``special_groups`` (changed through the
    normal person change) and the audit entry of the list. A later list without the person
    removes nothing (civil affairs' lists are not complete registers)."""

    __tablename__ = "special_group_membership"
    __table_args__ = (
        UniqueConstraint("person_id", "group_code", "source_sha256"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until",
            name="dates_in_order",
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    group_code: Mapped[str] = mapped_column(String(30))  # a special_group code (dibao, tekun …)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(100))  # the issuing office (XX县民政局)
    certificate_number: Mapped[str | None] = mapped_column(String(60))
    source_file: Mapped[str] = mapped_column(String(255))
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_row: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))


class PersonSearchKey(Base):
    """Name keys (character suffixes, pinyin, initials) matched by indexed prefix."""

    __tablename__ = "person_search_key"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Enrolment(Stamped, Base):
    """A person in one scheme, with the tier (residents' pension) or base (flexible pension)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("person_id", "scheme"),
        CheckConstraint("status IN ('active', 'suspended', 'ended')", name="status"),
        # The few in an employees' pension, for the pension-age count (migration 0014).
        Index(
            "ix_enrolment_employee_pension",
            "person_id",
            sqlite_where=text(EMPLOYEE_PENSION_WHERE),
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    scheme: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="active")
    tier_fen: Mapped[int | None] = mapped_column(Integer)
    base_fen: Mapped[int | None] = mapped_column(Integer)
    employer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employer.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(default=list)

    person: Mapped[Person] = relationship(back_populates="enrolments")


class ReceiptCounter(Base):
    """Last receipt sequence per device and year; bumped in the payment's transaction."""

    __tablename__ = "receipt_counter"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (
        # A receipt may carry several lines (one visit: several schemes or household members).
        UniqueConstraint("receipt_number", "receipt_line"),
        UniqueConstraint("device_id", "receipt_year", "receipt_sequence", "receipt_line"),
        CheckConstraint("amount_fen >= 0", name="amount_non_negative"),
        CheckConstraint("channel IN ('desk', 'tax')", name="channel_known"),
        # Cash at the desk has a centre receipt; a tax-channel payment has the tax voucher.
        CheckConstraint(
            "(channel = 'desk' AND receipt_number IS NOT NULL)"
            " OR (channel = 'tax' AND voucher_number IS NOT NULL)",
            name="receipt_or_voucher",
        ),
        # The worklists: who paid a period of a scheme, and whether one person paid it.
        Index("ix_payment_scheme_period", "scheme", "period_start", "person_id"),
        Index("ix_payment_person_scheme_period", "person_id", "scheme", "period_start"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    receipt_number: Mapped[str | None] = mapped_column(String(40), index=True)
    receipt_line: Mapped[int] = mapped_column(Integer, default=1)
    channel: Mapped[str] = mapped_column(String(10), default="desk")
    voucher_number: Mapped[str | None] = mapped_column(String(40), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    receipt_year: Mapped[int | None] = mapped_column(Integer)
    receipt_sequence: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolment.id"))
    scheme: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    tier_fen: Mapped[int | None] = mapped_column(Integer)
    base_fen: Mapped[int | None] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    subsidy_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_by_government_fen: Mapped[int] = mapped_column(Integer, default=0)
    personal_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    voided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operator.id"))
    void_reason: Mapped[str | None] = mapped_column(String(200))

    person: Mapped[Person] = relationship(back_populates="payments")


class ReceiptOriginal(Base):
    """The original of a receipt went out once (printed or written as a PDF): every later
    output is a copy (副本). Local bookkeeping; the audit trail carries it upstream."""

    __tablename__ = "receipt_original"
    receipt_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    medium: Mapped[str] = mapped_column(String(10))  # printer, file, or earlier (before 0007)


class CoverageSurveyEntry(Stamped, Base):
    """One person's coverage in one scheme, as found on a household visit."""

    __tablename__ = "coverage_survey_entry"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    not_insured_reason: Mapped[str | None] = mapped_column(String(30))
    insured_where: Mapped[str | None] = mapped_column(String(100))
    surveyed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class CoverageStatus(Base):
    """A person's current coverage in one insurance line, with where the answer came from.

    Every person has a row per line from the moment it is written (status ``unknown``,
    version 0, never sent): triggers of migration 0011 add them, copy the person's village,
    sex, birth year, employment category and presence onto them, and keep
    ``coverage_tally`` / ``coverage_month`` counting them, so the coverage picture of half a
    million people is a sum over a few thousand rows and no writer can forget it.
    """

    __tablename__ = "coverage_status"
    __table_args__ = (
        CheckConstraint(
            "status IN ('insured_here', 'insured_elsewhere', 'not_insured', 'not_applicable',"
            " 'unknown')",
            name="status",
        ),
        Index("ix_coverage_status_valid_until", "valid_until"),
        # A worklist's pages in village order, read from the index (migration 0014).
        Index("ix_coverage_status_village", "village_code", "person_id", "line"),
        # Birth year first: only a list that names a birth year (turning 16, an age band) takes it.
        Index("ix_coverage_status_birth_year", "birth_year", "line"),
        # The few receiving a pension, whom the pension-age list leaves out (migration 0014).
        Index(
            "ix_coverage_status_receiving_pension",
            "person_id",
            sqlite_where=text(RECEIVING_PENSION_WHERE),
        ),
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="unknown")
    scheme: Mapped[str | None] = mapped_column(String(40))  # which scheme covers, if told
    reason: Mapped[str | None] = mapped_column(String(30))
    insured_where: Mapped[str | None] = mapped_column(String(100))
    as_of: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # a derived status needs a look
    source: Mapped[str | None] = mapped_column(String(20))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Copied from the person by triggers, for the tallies: never written by services.
    village_code: Mapped[str | None] = mapped_column(String(12))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(30))
    present: Mapped[bool] = mapped_column(default=True)

    @property
    def id(self) -> uuid.UUID:
        """The wire id: the same at every centre and the county (see ``coverage_id``)."""
        return coverage_id(self.person_id, self.line)


class CoverageTally(Base):
    """How many status rows share a key: maintained by triggers, read by the coverage picture."""

    __tablename__ = "coverage_tally"
    line: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    reason: Mapped[str] = mapped_column(String(30), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(40), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    sex: Mapped[str] = mapped_column(String(1), primary_key=True)
    birth_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    present: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class WorklistTally(Base):
    """Status rows per line, status, category, birth year and presence: the front page's
    worklist counts, kept by the triggers of migration 0014 (a missing category is '', a
    missing birth year 0)."""

    __tablename__ = "worklist_tally"
    line: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    birth_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    present: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class WorklistGroupedTally(Base):
    """Present people in a special group (their list as stored) with an active enrolment in
    a scheme (year 0) and, of those, the ones with a live payment of a calendar year (that
    year): the government-paid list, counted by the triggers of migration 0014."""

    __tablename__ = "worklist_grouped_tally"
    scheme: Mapped[str] = mapped_column(String(40), primary_key=True)
    groups: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class WorklistPaidTally(Base):
    """Present people with a live payment for a calendar year of a scheme and none for the
    next: the renewals due, counted by the triggers of migration 0014."""

    __tablename__ = "worklist_paid_tally"
    scheme: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class CoverageMonth(Base):
    """Net change of present people per month, line and status: the trend is a running sum."""

    __tablename__ = "coverage_month"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    line: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class CoverageFacet(Base):
    """The present people's tally rolled up one dimension at a time (village, scheme, reason,
    category, birth year and sex ``YYYY:S``), kept by triggers on ``coverage_tally`` (migration
    0013): each figure of the coverage picture reads a few hundred rows, not the full tally."""

    __tablename__ = "coverage_facet"
    line: Mapped[str] = mapped_column(String(20), primary_key=True)
    facet: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEntry(Base):
    """A change waiting to go upstream, written in the same transaction as the change."""

    __tablename__ = "outbox_entry"
    __table_args__ = (
        CheckConstraint(
            "sync_state IN ('pending', 'sending', 'accepted', 'rejected', 'conflict')",
            name="sync_state",
        ),
        Index("ix_outbox_entry_state_seq", "sync_state", "seq"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    operation: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column()
    hlc: Mapped[int] = mapped_column(Integer)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sync_state: Mapped[str] = mapped_column(String(12), default="pending")
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    result_code: Mapped[str | None] = mapped_column(String(40))
    result_message: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Append-only, hash-chained: each entry's hash covers its content and the previous hash."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    # Indexed for the audit screen's filters (day, operator, action): each index also holds
    # the seq, so a filtered page is read newest first from the index, never a table scan.
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    operator_name: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Ed25519 over the hash, by the operator (their key, wrapped in their key slot) or, for
    # entries with no operator, by the device; None only for entries from before signing keys.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signer: Mapped[str | None] = mapped_column(String(36))


class OperatorKey(Base):
    """Append-only history of operators' public signing keys: a key verifies the entries
    from ``valid_from_seq`` until the operator's next key (a password reset rotates it)."""

    __tablename__ = "operator_key"
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"), primary_key=True)
    valid_from_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReferenceData(Base):
    """Reference data delivered from upstream (code tables, regions, scheme parameters)."""

    __tablename__ = "reference_data"
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Setting(Base):
    """Centre configuration (not operator preferences): changed through audited services."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()


# --- Sync with the county (issue #5) -------------------------------------------------------


class SyncBatch(Base):
    """A sealed batch: the exact bytes sent upstream, their hash and signature, kept until
    answered so a retry after a crash or a lost answer sends the very same bytes."""

    __tablename__ = "sync_batch"
    __table_args__ = (
        CheckConstraint("state IN ('sealed', 'answered', 'refused')", name="state"),
        Index("ix_sync_batch_state_sealed_at", "state", "sealed_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sealed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    record_count: Mapped[int] = mapped_column(Integer)
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(12), default="sealed")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_via: Mapped[str | None] = mapped_column(String(10))
    answer: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The audit entries this batch carried (None: none).
    audit_first_seq: Mapped[int | None] = mapped_column(Integer)
    audit_last_seq: Mapped[int | None] = mapped_column(Integer)


class SyncLink(Base):
    """This installation's link to the county server (one row): where, since when, how it went."""

    __tablename__ = "sync_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    server_url: Mapped[str | None] = mapped_column(String(300))
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    township_code: Mapped[str | None] = mapped_column(String(12))
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    clock_skew_seconds: Mapped[int | None] = mapped_column(Integer)
    # The audit chain head the county last confirmed holding for this device.
    county_audit_seq: Mapped[int | None] = mapped_column(Integer)
    county_audit_hash: Mapped[str | None] = mapped_column(String(64))
    county_audit_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SyncCursor(Base):
    """How far each change feed from the county has been applied (same transaction as the rows)."""

    __tablename__ = "sync_cursor"
    feed: Mapped[str] = mapped_column(String(20), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class SyncResolution(Base):
    """How a rejected or conflicting outbox entry was dealt with, by whom and when."""

    __tablename__ = "sync_resolution"
    __table_args__ = (
        CheckConstraint("action IN ('resubmitted', 'accepted_server', 'dismissed')", name="action"),
    )
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox_entry.seq"), primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    resolved_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    resolved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    new_outbox_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note: Mapped[str | None] = mapped_column(Text)


class TransferRequestRow(Base):
    """A transfer of a person registered by another centre, asked for by this centre.

    Kept from the moment the clerk asks (``unsent``) through the county's decision; the
    exact bytes sent are kept too, so a retry sends the same request."""

    __tablename__ = "transfer_request"
    __table_args__ = (
        CheckConstraint("state IN ('unsent', 'requested', 'approved', 'refused')", name="state"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    outbox_seq: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="unsent")
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    county_person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    from_centre: Mapped[str | None] = mapped_column(String(12))
    from_centre_name: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    adopted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# Answers are applied by batch; the outbox table is older than sync, so its index lives here.
Index("ix_outbox_entry_batch_id", OutboxEntry.batch_id)


# --- Daily close and end-of-day review (issue 9) ---------------------------------------------


class DayClose(Base):
    """A supervisor's close (日结) of one operator's business day: what the store expected,
    the cash counted, the difference and its note. Never edited: reopening stamps the
    ``reopened_*`` columns (an audited action with a reason) and a new close is a new row."""

    __tablename__ = "day_close"
    __table_args__ = (
        Index("ix_day_close_operator_day", "operator_id", "business_date"),
        CheckConstraint("counted_cash_fen >= 0", name="counted_non_negative"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    business_date: Mapped[date] = mapped_column(Date)
    receipts: Mapped[int] = mapped_column(Integer)
    receipt_lines: Mapped[int] = mapped_column(Integer)
    voids: Mapped[int] = mapped_column(Integer)
    voided_fen: Mapped[int] = mapped_column(Integer)
    collected_fen: Mapped[int] = mapped_column(Integer)  # every method, voids excluded
    expected_cash_fen: Mapped[int] = mapped_column(Integer)
    counted_cash_fen: Mapped[int] = mapped_column(Integer)
    difference_fen: Mapped[int] = mapped_column(Integer)  # counted − expected
    note: Mapped[str | None] = mapped_column(String(200))
    closed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopened_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operator.id"))
    reopen_reason: Mapped[str | None] = mapped_column(String(200))


class OutboxReview(Base):
    """A supervisor's decision on one outbox entry: ``approved`` (it may go upstream) or
    ``returned`` to its clerk with a comment. No row: not reviewed yet."""

    __tablename__ = "outbox_review"
    __table_args__ = (
        CheckConstraint("state IN ('approved', 'returned')", name="state"),
        Index("ix_outbox_review_state", "state"),
    )
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox_entry.seq"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    reviewed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    comment: Mapped[str | None] = mapped_column(String(200))


# --- Field visits (issue 10): local planning records, never sent upstream -------------------


class Trip(Base):
    """A planned field visit: the villages (or the worklist) it covers and its households.

    Local to this laptop: a trip is a plan, what it finds (people, households, statuses) is
    written through the usual services and travels upstream on its own."""

    __tablename__ = "trip"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(60))
    villages: Mapped[list[str]] = mapped_column(default=list)
    # The WorklistSpec the trip came from (its fields as a dict), or None for villages.
    worklist: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))
    created_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    closed_on: Mapped[date | None] = mapped_column(Date)


class TripHousehold(Base):
    """One household of a trip, in visiting order, and how its visit went."""

    __tablename__ = "trip_household"
    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('visited', 'nobody_home', 'refused')", name="outcome"
        ),
    )
    trip_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trip.id", ondelete="CASCADE"), primary_key=True
    )
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    visited_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operator.id"))


class TripPerson(Base):
    """A person a trip recorded: confirmed (with or without answers), added, moved away or
    deceased. The trip's "people recorded" count and its summary read these."""

    __tablename__ = "trip_person"
    __table_args__ = (
        CheckConstraint(
            "change IN ('confirmed', 'added', 'moved_away', 'deceased')", name="change"
        ),
    )
    trip_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trip.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    change: Mapped[str] = mapped_column(String(12))
    answered: Mapped[bool] = mapped_column(default=False)
    recorded_on: Mapped[date] = mapped_column(Date)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operator.id"))


# --- Bulk imports (issue 11) ------------------------------------------------------------------


class ImportRow(Base):
    """A row of the file being imported: its person (for the same person twice in one file)
    and its outcome (for the report). Filled and emptied within the import's transaction."""

    __tablename__ = "import_row"
    row: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    status: Mapped[str] = mapped_column(String(12))
    problems: Mapped[list[Any] | None] = mapped_column(JSON)


class BulkPerson(Base):
    """A person a bulk writer is sending: the triggers that count status rows skip them, and
    the writer counts their rows set-based at the end of the send (migration 0019,
    ``store.counters``). Empty outside a send."""

    __tablename__ = "bulk_person"
    __table_args__ = {"sqlite_with_rowid": False}
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class ImportHousehold(Base):
    """The household made (or found) for each household key of the file being imported."""

    __tablename__ = "import_household"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid)


# Employment spells and base declarations live in their own module (this one is long enough);
# imported here so every user of the models has them on the same metadata.
from caseworker.store.employment_models import BaseDeclaration, Employment  # noqa: E402, F401


def configure() -> None:
    """Set up every mapper now rather than at the first query, which is the login's, on
    the thread that is waiting for it: the launch calls this on its preload thread."""
    configure_mappers()

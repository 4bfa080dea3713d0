"""The county server's own tables (its own metadata and migrations, apart from the client's).

Uniqueness that matters across centres lives in constraints, so concurrent uploads cannot
both win: one person per ID number, one employer per credit code, one enrolment per person
and scheme, one payment per receipt number and line, one answer per batch id, one application per
record id.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from caseworker.dbtypes import NAMING_CONVENTION, UtcDateTime, utc_now


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON}


class Centre(Base):
    __tablename__ = "centre"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    township_code: Mapped[str | None] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class EnrolmentToken(Base):
    """A one-time device enrolment token; only its SHA-256 is kept."""

    __tablename__ = "enrolment_token"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centre.code"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class Device(Base):
    __tablename__ = "device"
    # The number is part of every receipt number a device issues: unique within its centre.
    __table_args__ = (UniqueConstraint("centre_code", "device_number"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centre.code"), index=True)
    device_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set once by `device revoke` (never cleared): from then on nothing it signs is taken.
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(60))
    revoke_note: Mapped[str | None] = mapped_column(String(200))


class Batch(Base):
    """One received batch and the exact answer bytes, returned again for the same bytes."""

    __tablename__ = "batch"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    centre_code: Mapped[str] = mapped_column(String(12))
    sha256: Mapped[str] = mapped_column(String(64))
    byte_count: Mapped[int] = mapped_column(Integer)
    record_count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    via: Mapped[str] = mapped_column(String(10), default="http")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answer: Mapped[bytes | None] = mapped_column(LargeBinary)


class AppliedRecord(Base):
    """Each client record applied once: its outbox id is the key."""

    __tablename__ = "applied_record"
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("batch.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(20))


class _Entity:
    """Common columns: the client's UUID, its version, the centre it came from, the snapshot."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    centre_code: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Person(_Entity, Base):
    __tablename__ = "person"
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    township_code: Mapped[str | None] = mapped_column(String(12), index=True)


class Employer(_Entity, Base):
    __tablename__ = "employer"
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)


class Household(_Entity, Base):
    __tablename__ = "household"


class Enrolment(_Entity, Base):
    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("person_id", "scheme"),)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))


class Payment(_Entity, Base):
    __tablename__ = "payment"
    # A centre receipt may carry several lines; a tax-channel payment has no centre receipt.
    # One contribution per person, scheme and period: checked by the applier (periods may
    # overlap without being equal, which no unique index can say) under the person's lock.
    __table_args__ = (
        UniqueConstraint("receipt_number", "receipt_line"),
        Index("ix_payment_person_scheme", "person_id", "scheme"),
    )
    receipt_number: Mapped[str | None] = mapped_column(String(40))
    receipt_line: Mapped[int] = mapped_column(Integer, default=1)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolment.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    # Null only for payments received before the county kept them (migration 0007 fills them
    # from the payload).
    scheme: Mapped[str | None] = mapped_column(String(40))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)


class SurveyEntry(_Entity, Base):
    __tablename__ = "survey_entry"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)


class Employment(_Entity, Base):
    """A person's stay at an employer (增员 … 减员) or a platform link, as its centre sent it."""

    __tablename__ = "employment"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)


class Coverage(_Entity, Base):
    """A person's coverage status in one insurance line; ``id`` is
    ``domain.coverage.coverage_id(person_id, line)`` (checked by the applier), so one row per
    person and line. ``centre_code`` is the centre that last wrote it: the person's owner."""

    __tablename__ = "coverage"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    line: Mapped[str] = mapped_column(String(20))


class FeedCounter(Base):
    """Cursor values are handed out under this row's lock just before commit, so a reader
    never sees a higher cursor committed before a lower one."""

    __tablename__ = "feed_counter"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ReferenceItem(Base):
    __tablename__ = "reference_item"
    __table_args__ = (UniqueConstraint("kind", "name", "version"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RegistryChange(Base):
    """The township registry feed: every accepted person, enrolment, household and coverage
    change, in order, each under the township it belongs to."""

    __tablename__ = "registry_change"
    __table_args__ = (Index("ix_registry_change_township_seq", "township_code", "seq"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    township_code: Mapped[str | None] = mapped_column(String(12))
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    centre_code: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, Any]] = mapped_column()


class Transfer(Base):
    """A person moving to another centre: requested by the new centre's device, decided
    at the county. The request's exact bytes' hash makes a repeat the same request."""

    __tablename__ = "transfer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    from_centre: Mapped[str] = mapped_column(String(12))
    to_centre: Mapped[str] = mapped_column(ForeignKey("centre.code"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    requested_by_device: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"))
    request_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    state: Mapped[str] = mapped_column(String(12), default="requested", index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(200))


class CountyAudit(Base):
    """What the county's own staff and the transfer requests did, in order (append-only)."""

    __tablename__ = "county_audit"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DeviceAuditHead(Base):
    """The last audit entry the county accepted from each device: the next batch's audit
    must continue from here."""

    __tablename__ = "device_audit_head"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    # The first signed entry accepted: from there on, an unsigned entry is refused.
    signed_from_seq: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class DeviceAuditEntry(Base):
    """Each accepted audit entry of a device, by hash: what a later local chain must match."""

    __tablename__ = "device_audit_entry"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class DeviceAuditSuperseded(Base):
    """Entries the county held above a re-anchor (``device accept-loss``): kept for the
    record, out of every continuity check; ``county_audit_seq`` names the decision."""

    __tablename__ = "device_audit_superseded"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    county_audit_seq: Mapped[int] = mapped_column(ForeignKey("county_audit.seq"))
    superseded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class OperatorKey(Base):
    """Operators' public keys per device, pinned at first sight; a later key for the same
    operator is taken only as a rotation signed by another, already pinned operator (or by the
    device, for a key the county accepted: ``KeyAcceptance``)."""

    __tablename__ = "operator_key"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    operator_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    valid_from_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    username: Mapped[str] = mapped_column(String(32))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class KeyAcceptance(Base):
    """A county officer's word that an operator's new key on a device is theirs, confirmed
    out of band (read by phone or on paper) after a recovery: it lets exactly one rotation to
    a key with this fingerprint, signed by the device, be taken (``used_at`` then set)."""

    __tablename__ = "key_acceptance"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    username: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(19))
    accepted_by: Mapped[str] = mapped_column(String(60))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class RequestNonce(Base):
    """Each signed GET's nonce, kept until its time can no longer pass the window check.

    The primary key makes acceptance atomic: of two workers given the same captured request,
    one inserts and the other gets a constraint error (refused as a replay).
    """

    __tablename__ = "request_nonce"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

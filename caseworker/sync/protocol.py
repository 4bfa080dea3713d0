"""The sync wire protocol, version 1: pydantic models shared by the client and the server.

A batch travels as exact bytes (the JSON of ``BatchUpload``) signed with the device's
Ed25519 key; the signature and the device id ride in headers (or beside the bytes in an
offline transfer file), so the server verifies the very bytes the client stored.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Each entity's fields and operations are one table, read by both sides: domain.wire.
from caseworker.domain.wire import ENTITY_TYPES as ENTITY_TYPES
from caseworker.domain.wire import OPERATIONS as OPERATIONS

PROTOCOL_VERSION = "1"
PROTOCOL_VERSIONS = [PROTOCOL_VERSION]

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 1_000_000
MAX_BATCH_AUDIT_ENTRIES = 5000
AUDIT_HASHES_PAGE_MAX = 2000
FEED_PAGE_DEFAULT = 500
FEED_PAGE_MAX = 2000

DEVICE_HEADER = "X-Caseworker-Device"
SIGNATURE_HEADER = "X-Caseworker-Signature"
TIMESTAMP_HEADER = "X-Caseworker-Timestamp"
NONCE_HEADER = "X-Caseworker-Nonce"
# A signed GET may be this old or this far in the future. The client signs with its clock
# corrected by the skew it measured from /v1/meta, so a laptop whose clock drifted offline
# still gets through; the server remembers each nonce for the window, so a captured request
# cannot be sent again, and the window bounds how long it must remember.
REQUEST_SIGNATURE_WINDOW_S = 5 * 60
# The county retired this device's key (stolen or replaced computer): nothing it signs is taken.
DEVICE_REVOKED = "device_revoked"
NONCE_BYTES = 16
# Wire shapes of the signing headers (the OpenAPI declares them; the server checks them).
NONCE_PATTERN = r"^[A-Za-z0-9_-]{22}$"  # 16 bytes, base64url without padding
SIGNATURE_PATTERN = r"^[A-Za-z0-9+/]{86}==$"  # 64 bytes (Ed25519), base64
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=$"  # 32 bytes (Ed25519), base64


RecordStatus = Literal["created", "updated", "already_applied", "conflict", "rejected"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2)``, so versions compare as numbers; ValueError otherwise."""
    parts = version.strip().split(".")
    if not parts or not all(part.isdigit() for part in parts):
        raise ValueError(f"not a version number: {version!r} (digits and dots, e.g. 0.2.0)")
    return tuple(int(part) for part in parts)


class Meta(_Model):
    server: str
    version: str
    protocol_versions: list[str]
    server_time: datetime
    # The lowest desktop app version the county accepts (a county setting); an older app
    # stops its sync there and says so. Servers before 0.1.0's installer sent none.
    min_client_version: str = "0"


class ErrorBody(_Model):
    """Every refusal: a stable code for programs, words for the operator."""

    code: str
    message: str
    message_en: str = ""


class DeviceRegistration(_Model):
    token: str = Field(min_length=8, max_length=200)
    centre_code: str = Field(pattern=r"^[0-9]{6,12}$")
    device_id: uuid.UUID
    device_number: int = Field(ge=1, le=99)
    name: str = Field(default="", max_length=60)
    public_key: str = Field(
        pattern=PUBLIC_KEY_PATTERN, description="Ed25519 public key, 32 raw bytes as base64"
    )


class DeviceRegistered(_Model):
    device_id: uuid.UUID
    centre_code: str
    centre_name: str
    township_code: str | None
    registered_at: datetime


class Record(_Model):
    """One outbox entry: a full snapshot of the entity after the change."""

    id: uuid.UUID = Field(description="the outbox entry id: the record's sync identity")
    seq: int
    entity_type: str = Field(max_length=40)
    entity_id: uuid.UUID
    operation: str = Field(max_length=20)
    hlc: int
    operator_id: uuid.UUID
    created_at: datetime
    payload: dict[str, Any]


class AuditWireEntry(_Model):
    """One entry of the device's audit chain, as hashed and signed on the device."""

    seq: int = Field(ge=1)
    id: uuid.UUID
    at: datetime
    operator_id: uuid.UUID | None
    operator_name: str = Field(max_length=32)
    action: str = Field(max_length=40)
    entity_type: str = Field(max_length=40)
    entity_id: uuid.UUID | None
    detail: dict[str, Any]
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str | None = Field(default=None, description="Ed25519 over the hash, base64")
    signer: str | None = Field(default=None, description='operator id, or "device"')


class ChainHead(_Model):
    """The last entry of a device's audit chain: seq 0 and 64 zeros before the first."""

    seq: int = Field(ge=0)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class OperatorKeyWire(_Model):
    """An operator's public signing key and the first audit seq it signs."""

    operator_id: uuid.UUID
    username: str = Field(max_length=32)
    public_key: str = Field(description="Ed25519 public key, 32 raw bytes as base64")
    valid_from_seq: int = Field(ge=1)


class AuditSegment(_Model):
    """The device's audit entries since its last batch, the head they end at, and the
    operators' keys the county has not been sent yet."""

    entries: list[AuditWireEntry] = Field(min_length=1, max_length=MAX_BATCH_AUDIT_ENTRIES)
    head: ChainHead
    operator_keys: list[OperatorKeyWire] = Field(default_factory=list, max_length=1000)


class BatchUpload(_Model):
    protocol: Literal["1"] = PROTOCOL_VERSION
    batch_id: uuid.UUID
    device_id: uuid.UUID
    centre_code: str
    sealed_at: datetime
    records: list[Record] = Field(max_length=MAX_BATCH_RECORDS)
    audit: AuditSegment | None = None


class OwnerInfo(_Model):
    """The centre that owns a record another centre tried to change (``not_owner``)."""

    centre_code: str
    centre_name: str


class RegisteredElsewhere(_Model):
    """A duplicate ID number held by another centre: what a clerk needs, and no more
    (no phone, address, bank account or birth date)."""

    centre_code: str
    centre_name: str
    id_number_masked: str
    name_masked: str = Field(description="surname and one * per given-name character")
    schemes: list[str] = Field(default_factory=list)
    person_id: uuid.UUID = Field(description="the county's id of the person (for a transfer)")


class RecordResult(_Model):
    record_id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    status: RecordStatus
    code: str | None = None
    message: str | None = None
    server_version: int | None = None
    # Only ever the caller's own centre's record: another centre's is never disclosed.
    server_copy: dict[str, Any] | None = None
    owner: OwnerInfo | None = None
    elsewhere: RegisteredElsewhere | None = None


class BatchAnswer(_Model):
    batch_id: uuid.UUID
    device_id: uuid.UUID
    sha256: str
    received_at: datetime
    results: list[RecordResult]
    audit_head: ChainHead | None = Field(
        default=None, description="the audit chain head the county now holds for this device"
    )


class BatchStatus(_Model):
    """What ``GET /v1/batches/{id}`` says: whether the batch arrived, and its answer."""

    batch_id: uuid.UUID
    state: Literal["answered"]
    sha256: str
    answer: BatchAnswer


class AuditHashes(_Model):
    """A page of the hashes the county holds for the asking device's audit chain."""

    head: ChainHead
    items: list[ChainHead]
    more: bool


class ReferenceItem(_Model):
    seq: int
    kind: str
    name: str
    version: str
    payload: dict[str, Any]


class ReferenceFeed(_Model):
    items: list[ReferenceItem]
    cursor: int = Field(description="pass as ?since= for the next page")
    more: bool


RegistryEntityType = Literal[
    "person", "enrolment", "household", "coverage", "employer", "employment"
]
# Item types a client must ask for (``?include=employer,employment``): a client that does not
# know them (its parser refuses an unknown type) is not sent them, and its cursor still moves
# past them. Employers come with the stays because a stay names its employer.
REGISTRY_OPT_IN = ("employer", "employment")
REGISTRY_INCLUDE_PATTERN = r"^(employer|employment)(,(employer|employment))*$"


class RegistryItem(_Model):
    seq: int
    entity_type: RegistryEntityType
    entity_id: uuid.UUID
    version: int
    centre_code: str
    payload: dict[str, Any]


class RegistryFeed(_Model):
    township_code: str | None
    items: list[RegistryItem]
    cursor: int
    more: bool


class TransferBatch(_Model):
    """One sealed batch in an offline transfer file: the exact bytes, as base64."""

    batch_id: uuid.UUID
    sha256: str
    signature: str
    body: str


class TransferFile(_Model):
    format: Literal["caseworker-batches"] = "caseworker-batches"
    protocol: Literal["1"] = PROTOCOL_VERSION
    device_id: uuid.UUID
    centre_code: str
    written_at: datetime
    batches: list[TransferBatch]


class TransferAnswer(_Model):
    batch_id: uuid.UUID
    answer: BatchAnswer | None = None
    error: ErrorBody | None = None


class AnswerFile(_Model):
    format: Literal["caseworker-answers"] = "caseworker-answers"
    protocol: Literal["1"] = PROTOCOL_VERSION
    written_at: datetime
    answers: list[TransferAnswer]


TRANSFER_REASON_MAX = 200
TransferState = Literal["requested", "approved", "refused"]


class TransferRequest(_Model):
    """A centre asks the county for a person registered by another centre (who moved here).

    Sent as ``POST /v1/transfers``, signed like a batch (exact bytes); the id is the
    client's, so sending the same bytes again is answered with the same transfer.
    """

    id: uuid.UUID
    id_number: str = Field(min_length=15, max_length=18)
    reason: str = Field(min_length=1, max_length=TRANSFER_REASON_MAX)
    requested_at: datetime


class TransferStatus(_Model):
    id: uuid.UUID
    state: TransferState
    person_id: uuid.UUID
    from_centre: str
    from_centre_name: str
    to_centre: str
    requested_at: datetime
    decided_at: datetime | None = None
    note: str | None = None


def new_nonce() -> str:
    """A fresh request nonce: 16 random bytes, base64url without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(NONCE_BYTES)).rstrip(b"=").decode()


def request_signing_bytes(method: str, path: str, timestamp: str, nonce: str) -> bytes:
    """What a device signs to read (GET) from the server: method, path with query exactly as
    sent, time and a nonce the server accepts once."""
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}".encode()

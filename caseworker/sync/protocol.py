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

PROTOCOL_VERSION = "1"
PROTOCOL_VERSIONS = [PROTOCOL_VERSION]

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 1_000_000
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
NONCE_BYTES = 16
# Wire shapes of the signing headers (the OpenAPI declares them; the server checks them).
NONCE_PATTERN = r"^[A-Za-z0-9_-]{22}$"  # 16 bytes, base64url without padding
SIGNATURE_PATTERN = r"^[A-Za-z0-9+/]{86}==$"  # 64 bytes (Ed25519), base64
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=$"  # 32 bytes (Ed25519), base64

ENTITY_TYPES = ("person", "enrolment", "payment", "employer", "household", "survey_entry")
OPERATIONS = ("upsert", "create", "void")

RecordStatus = Literal["created", "updated", "already_applied", "conflict", "rejected"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Meta(_Model):
    server: str
    version: str
    protocol_versions: list[str]
    server_time: datetime


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


class BatchUpload(_Model):
    protocol: Literal["1"] = PROTOCOL_VERSION
    batch_id: uuid.UUID
    device_id: uuid.UUID
    centre_code: str
    sealed_at: datetime
    records: list[Record] = Field(max_length=MAX_BATCH_RECORDS)


class RecordResult(_Model):
    record_id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    status: RecordStatus
    code: str | None = None
    message: str | None = None
    server_version: int | None = None
    server_copy: dict[str, Any] | None = None


class BatchAnswer(_Model):
    batch_id: uuid.UUID
    device_id: uuid.UUID
    sha256: str
    received_at: datetime
    results: list[RecordResult]


class BatchStatus(_Model):
    """What ``GET /v1/batches/{id}`` says: whether the batch arrived, and its answer."""

    batch_id: uuid.UUID
    state: Literal["answered"]
    sha256: str
    answer: BatchAnswer


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


class RegistryItem(_Model):
    seq: int
    entity_type: Literal["person", "enrolment"]
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


def new_nonce() -> str:
    """A fresh request nonce: 16 random bytes, base64url without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(NONCE_BYTES)).rstrip(b"=").decode()


def request_signing_bytes(method: str, path: str, timestamp: str, nonce: str) -> bytes:
    """What a device signs to read (GET) from the server: method, path with query exactly as
    sent, time and a nonce the server accepts once."""
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}".encode()

"""The audit chain's canonical hashing and signing, shared by the client and the county.

An entry's hash covers its content and the previous entry's hash; its Ed25519 signature
covers that hash (with a prefix, so an audit signature can never be mistaken for a signed
batch or a signed request made with the same device key). Both sides import this module,
so the county recomputes exactly the hash the client computed, without the client's store.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseworker.domain.wire import to_jsonable

GENESIS_HASH = "0" * 64
# Who signed an entry that has no operator (sync bookkeeping): the device key.
DEVICE_SIGNER = "device"
_SIGNING_PREFIX = b"caseworker-audit-v1\x00"


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        to_jsonable(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


# What an entry's hash covers, in the client's rows and on the wire alike.
HASHED_FIELDS = (
    "id",
    "at",
    "operator_id",
    "operator_name",
    "action",
    "entity_type",
    "entity_id",
    "detail",
    "prev_hash",
)


def hash_of(entry: Any) -> str:
    """The hash of anything that has the hashed fields as attributes (a row, a wire entry)."""
    return entry_hash(**{name: getattr(entry, name) for name in HASHED_FIELDS})


def entry_hash(
    *,
    id: uuid.UUID,
    at: datetime,
    operator_id: uuid.UUID | None,
    operator_name: str,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    content = {
        "id": id,
        "at": at,
        "operator_id": operator_id,
        "operator_name": operator_name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def signer_of(operator_id: uuid.UUID | None) -> str:
    """Who must have signed an entry: its operator, or the device for bookkeeping entries."""
    return str(operator_id) if operator_id is not None else DEVICE_SIGNER


def sign_entry(key: Ed25519PrivateKey, hash_hex: str) -> bytes:
    return key.sign(_SIGNING_PREFIX + bytes.fromhex(hash_hex))


def new_entry(key: Ed25519PrivateKey, signer: str, **fields: Any) -> dict[str, Any]:
    """A new entry's columns, hashed and signed: the one recipe for the journal (ORM), the
    bulk writer and the login's DB-API writes. ``fields`` are the ``HASHED_FIELDS`` but
    ``at`` (now)."""
    given = {"at": datetime.now(UTC), **fields}
    if set(given) != set(HASHED_FIELDS):
        raise TypeError(f"an audit entry has exactly the fields {HASHED_FIELDS}")
    entry: dict[str, Any] = given | {"detail": to_jsonable(given["detail"])}
    entry["hash"] = entry_hash(**entry)
    entry["signature"] = sign_entry(key, entry["hash"])
    entry["signer"] = signer
    return entry


def signature_valid(public_key: bytes, signature: bytes | None, hash_hex: str) -> bool:
    if not signature or len(signature) != 64 or len(public_key) != 32:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, _SIGNING_PREFIX + bytes.fromhex(hash_hex)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def key_at(history: list[tuple[int, bytes]], seq: int) -> bytes | None:
    """The key that signs ``seq`` in an operator's history of (valid_from_seq, public key),
    oldest first: the latest whose range has started by then."""
    valid = [key for valid_from, key in history if valid_from <= seq]
    return valid[-1] if valid else None


def key_fingerprint(public_key: bytes) -> str:
    """What a person reads aloud or writes down to confirm a raw Ed25519 public key: the
    first 16 hex digits of its SHA-256, grouped 4-4-4-4 (``1a2b-3c4d-5e6f-7a8b``)."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))

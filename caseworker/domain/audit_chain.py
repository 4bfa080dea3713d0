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
# A signed checkpoint: one operator's signature over a run of their consecutive entries.
CHECKPOINT_ACTION = "audit.checkpoint"
# At most this many entries in a run, so a run always fits in one batch's audit segment.
RUN_MAX = 128
# Who signed an entry that has no operator (sync bookkeeping): the device key.
DEVICE_SIGNER = "device"
_SIGNING_PREFIX = b"caseworker-audit-v1\x00"


# One encoder for every hash: json.dumps with these options builds a new one at each call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> bytes:
    return plain_canonical_json(to_jsonable(value))


def plain_canonical_json(plain: Any) -> bytes:
    """``canonical_json`` of a value that is plain JSON already (``to_jsonable``'s result):
    a bulk write hashes each payload and entry without converting it again."""
    return _CANONICAL.encode(plain).encode()


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
_HASHED = frozenset(HASHED_FIELDS)


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
    return _hash(
        id,
        at,
        operator_id,
        operator_name,
        action,
        entity_type,
        entity_id,
        to_jsonable(detail),
        prev_hash,
    )


def _hash(
    id: Any,
    at: Any,
    operator_id: Any,
    operator_name: Any,
    action: Any,
    entity_type: Any,
    entity_id: Any,
    plain_detail: Any,
    prev_hash: Any,
) -> str:
    """``entry_hash`` with the detail plain already: each field made plain as
    ``canonical_json`` would make the whole, the detail not walked twice."""
    content = {
        "id": to_jsonable(id),
        "at": to_jsonable(at),
        "operator_id": to_jsonable(operator_id),
        "operator_name": to_jsonable(operator_name),
        "action": to_jsonable(action),
        "entity_type": to_jsonable(entity_type),
        "entity_id": to_jsonable(entity_id),
        "detail": plain_detail,
        "prev_hash": to_jsonable(prev_hash),
    }
    return hashlib.sha256(_CANONICAL.encode(content).encode()).hexdigest()


def signer_of(operator_id: uuid.UUID | None) -> str:
    """Who must have signed an entry: its operator, or the device for bookkeeping entries."""
    return str(operator_id) if operator_id is not None else DEVICE_SIGNER


def sign_entry(key: Ed25519PrivateKey, hash_hex: str) -> bytes:
    return key.sign(_SIGNING_PREFIX + bytes.fromhex(hash_hex))


def new_entry(
    key: Ed25519PrivateKey, signer: str, *, signed: bool = True, **fields: Any
) -> dict[str, Any]:
    """A new entry's columns, hashed and signed: the one recipe for the journal (ORM), the
    bulk writer and the login's DB-API writes. ``fields`` are the ``HASHED_FIELDS`` but
    ``at`` (now). ``signed=False`` only inside a bulk run, which its checkpoint signs
    (``SignedRuns``)."""
    given = {"at": datetime.now(UTC), **fields}
    if given.keys() != _HASHED:
        raise TypeError(f"an audit entry has exactly the fields {HASHED_FIELDS}")
    entry: dict[str, Any] = given | {"detail": to_jsonable(given["detail"])}
    entry["hash"] = _hash(*(entry[name] for name in HASHED_FIELDS))
    entry["signature"] = sign_entry(key, entry["hash"]) if signed else None
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


def awaits_checkpoint(signature: object, signer: str | None) -> bool:
    """An entry of a signed run: no signature of its own, its operator named as the signer
    (an entry from before signing keys has neither)."""
    return signature is None and signer is not None


def checkpoint_detail(count: int) -> dict[str, Any]:
    return {"count": count}


class SignedRuns:
    """The rule of signed runs, the same for ``audit verify`` and the county.

    A bulk write signs its entries as runs: each entry of a run carries no signature but
    names its operator as signer, and the run is closed by a checkpoint entry
    (``audit.checkpoint``, detail ``{"count": n}``) that the same operator signs. The
    checkpoint's hash covers the hash of the entry before it, and so the whole run (and all
    before it): whoever holds only the database key can alter, insert, remove or reorder an
    entry of a run only by rehashing the checkpoint, whose signature then fails. So a run is
    accepted only when a valid checkpoint of its own operator follows it directly and counts
    exactly its entries; an open run at the end, a run left open before another entry, or a
    run that mixes operators is refused. Call :meth:`see` for each entry in chain order
    (after its hash and link are checked) and :meth:`end` after the last one.
    """

    def __init__(self) -> None:
        self.pending = 0
        self.operator_id: Any = None

    def see(
        self, operator_id: Any, action: str, detail: Any, signature: object, signer: str | None
    ) -> tuple[bool, tuple[str, str] | None]:
        """Whether the entry belongs to a run (its own signature is then not checked: its
        checkpoint's is), and the problem in words (zh, en), if any."""
        if awaits_checkpoint(signature, signer):
            if operator_id is None or signer != str(operator_id):
                return True, (
                    "签名者不符：待签记录的签名者不是记录中的操作员",
                    "An entry awaiting its checkpoint names another signer than its operator",
                )
            if self.pending and self.operator_id != operator_id:
                return True, (
                    "一段待签记录混有不同操作员的记录（可能有人用数据库密钥插入了记录）",
                    "A run of entries awaiting a checkpoint mixes operators",
                )
            if self.pending >= RUN_MAX:
                return True, (
                    f"连续超过{RUN_MAX}条记录没有签名",
                    f"More than {RUN_MAX} entries in a row are not signed",
                )
            self.pending += 1
            self.operator_id = operator_id
            return True, None
        if action == CHECKPOINT_ACTION and signature is not None:
            count = detail.get("count") if isinstance(detail, dict) else None
            pending, self.pending = self.pending, 0
            if not pending or count != pending or self.operator_id != operator_id:
                return False, (
                    f"签名检查点不符：它签署{count}条，其前有{pending}条待签记录"
                    "（可能有人用数据库密钥插入、删除或改写了记录）",
                    f"A checkpoint signs {count} entries but {pending} before it await one "
                    "(entries were inserted, removed or rewritten with the database key)",
                )
            return False, None
        if self.pending:
            return False, self._open()
        return False, None

    def end(self) -> tuple[str, str] | None:
        """The problem if the last entries seen await a checkpoint that never came."""
        return self._open() if self.pending else None

    def _open(self) -> tuple[str, str]:
        return (
            f"{self.pending}条记录没有签名检查点（可能有人用数据库密钥添加或改写了记录）",
            f"{self.pending} entries are not closed by a signed checkpoint (entries were added "
            "or rewritten with the database key)",
        )

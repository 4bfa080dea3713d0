"""Compare the local audit chain with what the county holds for this device.

A chain cut after an upload, or rewritten and re-hashed by someone who could also re-sign
(an operator's own entries at the tail), is consistent in itself; only the county's copy of
the hashes shows it. Online, the county's head and, where they differ, its hashes page by
page name the first divergent entry. Offline, the heads the county confirmed in its answers
(kept locally) stand in for it; the report says so. Those are kept in the database, so they
catch loss and careless restores but not someone who also rewrites them: online is the
authority.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import func, select

from caseworker.services.journal import (
    ChainReport,
    audit_entry_at,
    audit_hashes,
    verify_audit_chain,
)
from caseworker.store.database import Database
from caseworker.store.keys import KeyFile
from caseworker.store.models import AuditEntry, SyncBatch, SyncLink
from caseworker.sync.batches import SyncError, load_signer
from caseworker.sync.client import RetryPolicy, Transport
from caseworker.sync.protocol import AUDIT_HASHES_PAGE_MAX, BatchAnswer, ChainHead


@dataclass(frozen=True)
class CountyCheck:
    ok: bool
    mode: str  # "online", "offline" (heads kept from answers) or "none" (nothing confirmed)
    county_seq: int = 0
    confirmed_at: datetime | None = None
    first_bad_seq: int | None = None
    first_bad_at: datetime | None = None
    first_bad_operator: str | None = None
    first_bad_action: str | None = None
    message: str = ""
    message_en: str = ""


def _local_head(database: Database) -> int:
    with database.reading() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0))))


def _bad(
    database: Database, mode: str, county_seq: int, seq: int, message: str, message_en: str
) -> CountyCheck:
    with database.reading() as session:
        entry = audit_entry_at(session, seq)
    return CountyCheck(
        False,
        mode,
        county_seq,
        None,
        seq,
        entry.at if entry else None,
        entry.operator_name if entry else None,
        entry.action if entry else None,
        message,
        message_en,
    )


def _truncated(database: Database, mode: str, county_seq: int, local: int) -> CountyCheck:
    return _bad(
        database,
        mode,
        county_seq,
        local + 1,
        f"记录被截断：县级已确认到第{county_seq}条，本机只剩{local}条（第{local + 1}条起不见了）",
        f"The chain was cut: the county confirmed {county_seq} entries, this computer has "
        f"{local} (from {local + 1} on they are gone)",
    )


def _diverged(database: Database, mode: str, county_seq: int, seq: int) -> CountyCheck:
    return _bad(
        database,
        mode,
        county_seq,
        seq,
        f"第{seq}条与县级确认的不一致：本机的审计记录在上传后被改写过",
        f"Entry {seq} differs from what the county confirmed: the chain was rewritten "
        "after it was uploaded",
    )


def compare_online(database: Database, transport: Transport) -> CountyCheck:
    county = transport.audit_head()
    local = _local_head(database)
    if county.seq == 0:
        return CountyCheck(
            True, "online", 0, message="县级尚未收到本机的审计记录。", message_en="Nothing yet."
        )
    with database.reading() as session:
        mine = audit_hashes(session, county.seq, county.seq).get(county.seq)
    if mine == county.hash:
        # Each hash covers the one before, so the whole prefix is the county's.
        return CountyCheck(
            True,
            "online",
            county.seq,
            message=f"与县级一致：县级已确认的{county.seq}条记录本机都在且未被改动。",
            message_en=f"Matches the county: all {county.seq} entries it confirmed are intact.",
        )
    start = 1
    end = min(local, county.seq)
    while start <= end:
        page = transport.audit_hashes(start, min(end, start + AUDIT_HASHES_PAGE_MAX - 1))
        with database.reading() as session:
            local_page = audit_hashes(session, start, start + AUDIT_HASHES_PAGE_MAX - 1)
        for item in page.items:
            if local_page.get(item.seq) != item.hash:
                return _diverged(database, "online", county.seq, item.seq)
        if not page.items:
            break
        start = page.items[-1].seq + 1
    return _truncated(database, "online", county.seq, local)


def confirmed_heads(database: Database) -> list[ChainHead]:
    """The heads the county confirmed in its answers, lowest first (the last one in the link)."""
    heads: dict[int, str] = {}
    with database.reading() as session:
        answers = session.scalars(
            select(SyncBatch.answer).where(
                SyncBatch.state == "answered", SyncBatch.audit_last_seq.is_not(None)
            )
        ).all()
        link = session.get(SyncLink, 1)
    for raw in answers:
        try:
            head = BatchAnswer.model_validate_json(raw).audit_head if raw else None
        except ValidationError:
            continue
        if head is not None:
            heads[head.seq] = head.hash
    if link is not None and link.county_audit_seq and link.county_audit_hash:
        heads[link.county_audit_seq] = link.county_audit_hash
    return [ChainHead(seq=seq, hash=heads[seq]) for seq in sorted(heads) if seq > 0]


# Confirmed heads compared offline: the latest few hundred narrow a divergence to a batch.
CHECKED_HEADS = 500


def compare_offline(database: Database) -> CountyCheck:
    heads = confirmed_heads(database)
    with database.reading() as session:
        link = session.get(SyncLink, 1)
    when = link.county_audit_at if link else None
    if not heads:
        return CountyCheck(
            True,
            "none",
            message="县级尚未确认过本机的审计记录，无从比较。",
            message_en="The county has not confirmed any audit entries yet.",
        )
    local = _local_head(database)
    last = heads[-1]
    with database.reading() as session:
        mine = dict(
            session.execute(
                select(AuditEntry.seq, AuditEntry.hash).where(
                    AuditEntry.seq.in_([h.seq for h in heads[-CHECKED_HEADS:]])
                )
            ).all()
        )
    matched = 0
    for head in heads[-CHECKED_HEADS:]:
        if head.seq > local:
            return _truncated(database, "offline", last.seq, local)
        if mine.get(head.seq) != head.hash:
            # Offline the county's hashes in between are not at hand: the first divergent
            # entry lies after the last confirmed head that still matches.
            found = _diverged(database, "offline", last.seq, head.seq)
            return replace(
                found,
                message=found.message
                + f"（分歧始于第{matched + 1}至{head.seq}条之间；联网核验可指出具体哪一条）",
                message_en=found.message_en
                + f" (the first divergent entry is between {matched + 1} and {head.seq}; "
                "verify online to name it)",
            )
        matched = head.seq
    return CountyCheck(
        True,
        "offline",
        last.seq,
        when,
        message=f"与本机保存的县级确认链头一致（第{last.seq}条）。",
        message_en=f"Matches the last head the county confirmed (entry {last.seq}).",
    )


def compare_with_county(
    database: Database, *, offline: bool = False, retry: RetryPolicy | None = None
) -> CountyCheck:
    """Online when registered and reachable, else with the heads the county confirmed."""
    with database.reading() as session:
        link = session.get(SyncLink, 1)
        signer = load_signer(session)
    if offline or link is None or not link.server_url or link.registered_at is None:
        return compare_offline(database)
    transport = Transport(link.server_url, signer, retry or RetryPolicy(attempts=2, base_delay=0.2))
    try:
        return compare_online(database, transport)
    except SyncError as error:
        check = compare_offline(database)
        note = f"无法连接县级服务器（{error.message}），改为与本机保存的县级确认链头比较："
        note_en = f"The county server did not answer ({error.message_en}); compared offline: "
        return replace(check, message=note + check.message, message_en=note_en + check.message_en)
    finally:
        transport.close()


@dataclass(frozen=True)
class AuditVerification:
    """``caseworker audit verify`` and the audit screen's 校验审计链 button: the local chain
    (hashes, signatures, keys against the key file) and the county's copy."""

    local: ChainReport
    county: CountyCheck

    @property
    def ok(self) -> bool:
        return self.local.ok and self.county.ok


def verify_audit(
    database: Database,
    key_file: KeyFile | None,
    *,
    offline: bool = False,
    retry: RetryPolicy | None = None,
) -> AuditVerification:
    with database.reading() as session:
        local = verify_audit_chain(session, key_file)
    return AuditVerification(local, compare_with_county(database, offline=offline, retry=retry))

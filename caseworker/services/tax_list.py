"""Matching the tax authority's list of payments against the payments recorded here.

A line matches a live payment here (cash at the desk, remitted, or recorded from a tax
voucher) with the same ID number, scheme, period and amount (what the person paid); each
payment matches at most one line, one with the same voucher number first. What is left is
shown on both sides: lines the tax authority has and this centre has not, and payments here
(dated within the list's range) the list does not have. Matching changes no payment; it writes
one audit entry saying who matched which file and what came of it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import and_, or_, select

from caseworker.domain.money import format_yuan
from caseworker.services.actor import Actor, Permission
from caseworker.services.journal import audit
from caseworker.services.tax_list_file import BadRow, TaxLine, read_tax_list
from caseworker.store.database import Database
from caseworker.store.models import Payment, Person


@dataclass(frozen=True)
class LocalPayment:
    payment_id: uuid.UUID
    channel: str  # desk or tax
    reference: str  # the receipt number, or the tax voucher number
    person_name: str
    id_number: str
    scheme: str
    period_start: date
    period_end: date
    personal_fen: int
    business_date: date


@dataclass(frozen=True)
class UnmatchedLine:
    line: TaxLine
    note: str  # why nothing here matched, when something nearly did
    note_en: str


@dataclass(frozen=True)
class TaxListMatch:
    file_name: str
    sha256: str
    kind: str
    date_from: date
    date_to: date
    matched: tuple[tuple[TaxLine, LocalPayment], ...]
    only_in_list: tuple[UnmatchedLine, ...]
    only_here: tuple[LocalPayment, ...]
    bad_rows: tuple[BadRow, ...]


Key = tuple[str, str, date, date, int]


def _range(lines: tuple[TaxLine, ...]) -> tuple[date, date, bool]:
    """The days the list covers: its dates paid, or else its periods (then ``by_period``)."""
    paid = [line.paid_on for line in lines if line.paid_on is not None]
    if paid:
        return min(paid), max(paid), False
    return min(x.period_start for x in lines), max(x.period_end for x in lines), True


def _local(payment: Payment, name: str, id_number: str) -> LocalPayment:
    return LocalPayment(
        payment.id,
        payment.channel,
        payment.voucher_number if payment.channel == "tax" else payment.receipt_number or "",
        name,
        id_number,
        payment.scheme,
        payment.period_start,
        payment.period_end,
        payment.personal_fen,
        payment.business_date,
    )


def _note(line: TaxLine, near: list[LocalPayment], known: bool) -> tuple[str, str]:
    if not known:
        return "本地登记库中没有此身份证号。", "No person with this ID number here."
    if near:
        amounts = "、".join(format_yuan(p.personal_fen) for p in near)
        return (
            f"本地同险种同期记录金额为 {amounts} 元，与清单 {format_yuan(line.amount_fen)} 元不符。",
            f"The payment here for this scheme and period is {amounts} yuan, not "
            f"{format_yuan(line.amount_fen)}.",
        )
    return "本地没有该险种该期间的缴费记录。", "No payment here for this scheme and period."


def match_tax_list(database: Database, actor: Actor, path: Path) -> TaxListMatch:
    """Read ``path`` (CSV or XLSX) and match it; raises ``bad_tax_list`` for an unusable file."""
    actor.require(Permission.IMPORT_TAX_LIST)
    listed = read_tax_list(Path(path))
    lines = listed.lines
    if lines:
        date_from, date_to, by_period = _range(lines)
    else:
        date_from = date_to = date.today()
        by_period = True
    numbers = {line.id_number for line in lines}
    with database.writing() as session:
        known = set(session.scalars(select(Person.id_number).where(Person.id_number.in_(numbers))))
        in_range = (
            and_(Payment.period_start <= date_to, Payment.period_end >= date_from)
            if by_period
            else Payment.business_date.between(date_from, date_to)
        )
        # Every live payment of the people listed (whatever its date), and those in range.
        rows = (
            session.execute(
                select(Payment, Person.name, Person.id_number)
                .join(Person, Person.id == Payment.person_id)
                .where(Payment.voided_at.is_(None), or_(Person.id_number.in_(numbers), in_range))
                .order_by(Payment.business_date, Payment.paid_at)
            ).all()
            if lines
            else []
        )
        candidates = [_local(p, name, number) for p, name, number in rows]
        ranged = {
            p.id
            for p, _name, _number in rows
            if (
                p.period_start <= date_to and p.period_end >= date_from
                if by_period
                else date_from <= p.business_date <= date_to
            )
        }
        by_key: dict[Key, list[LocalPayment]] = defaultdict(list)
        by_period_key: dict[tuple[str, str, date, date], list[LocalPayment]] = defaultdict(list)
        for local in candidates:
            key = (local.id_number, local.scheme, local.period_start, local.period_end)
            by_key[(*key, local.personal_fen)].append(local)
            by_period_key[key].append(local)
        matched: list[tuple[TaxLine, LocalPayment]] = []
        unmatched: list[UnmatchedLine] = []
        used: set[uuid.UUID] = set()
        for line in lines:
            key = (line.id_number, line.scheme, line.period_start, line.period_end)
            free = [p for p in by_key[(*key, line.amount_fen)] if p.payment_id not in used]
            # Where the list names a voucher we recorded, that payment is the one.
            free.sort(key=lambda p: p.reference != line.voucher_number)
            if free:
                used.add(free[0].payment_id)
                matched.append((line, free[0]))
                continue
            near = [p for p in by_period_key[key] if p.payment_id not in used]
            note, note_en = _note(line, near, line.id_number in known)
            unmatched.append(UnmatchedLine(line, note, note_en))
        only_here = tuple(
            p for p in candidates if p.payment_id in ranged and p.payment_id not in used
        )
        result = TaxListMatch(
            listed.name,
            listed.sha256,
            listed.kind,
            date_from,
            date_to,
            tuple(matched),
            tuple(unmatched),
            only_here,
            listed.bad_rows,
        )
        # Who matched which file, and what came of it; no ID numbers in the trail.
        audit(
            session,
            actor,
            action="tax_list.match",
            entity_type="tax_list",
            entity_id=None,
            detail={
                "file": listed.name,
                "sha256": listed.sha256,
                "kind": listed.kind,
                "date_from": date_from,
                "date_to": date_to,
                "lines": len(lines),
                "matched": len(matched),
                "only_in_list": len(unmatched),
                "only_here": len(only_here),
                "bad_rows": len(listed.bad_rows),
            },
        )
    return result

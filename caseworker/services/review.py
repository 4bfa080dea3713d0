"""End-of-day review: the supervisor approves each change before it goes upstream, or sends
it back to its clerk with a comment.

Review state is kept per outbox entry (``outbox_review``): one entry is one change by one
operator (a person written, an enrolment, a payment, a void), which is what the supervisor
looks at. No row means not reviewed yet. While the centre setting ``REVIEW_REQUIRED`` is on,
sealing takes only approved entries, and never one that would overtake an earlier entry it
depends on (:mod:`caseworker.domain.review_order`). A returned entry stays local; the clerk
sees it on the front page until a later change to the same record (the correction) exists,
and then the supervisor sees it again, marked corrected, beside the correction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Uuid, bindparam, exists, func, insert, literal, null, select, update
from sqlalchemy.orm import Session

from caseworker.dbtypes import UtcDateTime
from caseworker.domain.coverage import RECORD_SOURCES
from caseworker.domain.review_order import Pending, references_of, releasable
from caseworker.services.actor import Actor, Permission
from caseworker.services.centre_settings import REVIEW_REQUIRED, setting_value
from caseworker.services.errors import NotFound, ServiceError, field_error
from caseworker.services.journal import audit
from caseworker.store.database import Database
from caseworker.store.models import Operator, OutboxEntry, OutboxReview, Person

COMMENT_MIN = 2
CHUNK = 500

UNREVIEWED, APPROVED, RETURNED, CORRECTED, UPLOADED = (
    "unreviewed",
    "approved",
    "returned",
    "corrected",
    "uploaded",
)


# -- what may go upstream ---------------------------------------------------------------------


def review_required(session: Session) -> bool:
    return bool(setting_value(session, REVIEW_REQUIRED))


def _pending_rows(session: Session, columns: Sequence[Any], page: int) -> Iterator[Any]:
    """Pending entries in seq order, a page at a time (read only as far as the caller goes)."""
    last = 0
    while True:
        rows = session.execute(
            select(*columns, OutboxReview.state.label("review_state"))
            .outerjoin(OutboxReview, OutboxReview.outbox_seq == OutboxEntry.seq)
            .where(OutboxEntry.sync_state == "pending", OutboxEntry.seq > last)
            .order_by(OutboxEntry.seq)
            .limit(page)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def is_derived(entity_type: str, payload: dict[str, Any]) -> bool:
    """A coverage status the records decided: nobody's doing, so not on the review list."""
    return entity_type == "coverage" and payload.get("source") in RECORD_SOURCES


def upload_candidates(session: Session, columns: Sequence[Any], limit: int) -> list[Any]:
    """The pending entries that may be sealed now (``columns`` must include seq, entity_id and
    payload), oldest first, at most ``limit``. Review off: simply the oldest pending."""
    if not review_required(session):
        return list(
            session.execute(
                select(*columns)
                .where(OutboxEntry.sync_state == "pending")
                .order_by(OutboxEntry.seq)
                .limit(limit)
            ).all()
        )
    rows: dict[int, Any] = {}

    def pending() -> Iterator[Pending]:
        # Pages of the batch's size: when everything is approved, one page is the batch.
        for row in _pending_rows(session, columns, max(limit, 100)):
            rows[row.seq] = row
            follows = is_derived(row.entity_type, row.payload)
            yield Pending(
                row.seq,
                str(row.entity_id),
                references_of(row.payload),
                row.review_state == APPROVED or follows,
                follows,
            )

    chosen = []
    for seq in releasable(pending()):
        chosen.append(rows[seq])
        if len(chosen) >= limit:
            break
    return chosen


# -- the supervisor's list ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One change as the supervisor (or, sent back, its clerk) sees it."""

    seq: int
    recorded_at: datetime  # local time
    operator_id: uuid.UUID
    operator_name: str
    entity_type: str  # person, enrolment, payment, employer, household, survey_entry
    change: str  # create, update, void
    subject: str  # the person's (or employer's) name
    person_id: uuid.UUID | None
    scheme: str | None
    receipt_number: str | None
    amount_fen: int | None
    state: str  # unreviewed, approved, returned, corrected, uploaded
    comment: str | None = None
    reviewed_by: str = ""
    reviewed_at: datetime | None = None

    @property
    def actionable(self) -> bool:
        return self.state != UPLOADED


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The operator's local day, in UTC (outbox times are UTC)."""
    start = datetime.combine(day, time.min).astimezone()
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _person_of(entry: OutboxEntry) -> uuid.UUID | None:
    if entry.entity_type == "person":
        return entry.entity_id
    person = entry.payload.get("person_id")
    return uuid.UUID(str(person)) if person else None


def _seq_per_record(
    session: Session, entity_ids: Iterable[uuid.UUID], bound: Any
) -> dict[uuid.UUID, int]:
    """``bound`` (``func.min`` or ``func.max``) of each record's outbox seqs: its first change
    tells a create from an update, its newest whether a returned entry has been corrected."""
    ids = list(set(entity_ids))
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            session.execute(
                select(OutboxEntry.entity_id, bound(OutboxEntry.seq))
                .where(OutboxEntry.entity_id.in_(ids[start : start + CHUNK]))
                .group_by(OutboxEntry.entity_id)
            ).all()
        )
    return found


def _items(
    session: Session, pairs: list[tuple[OutboxEntry, OutboxReview | None]]
) -> list[ReviewItem]:
    names = dict(session.execute(select(Operator.id, Operator.display_name)).all())
    entity_ids = [entry.entity_id for entry, _ in pairs]
    first = _seq_per_record(session, entity_ids, func.min)
    newest = _seq_per_record(session, entity_ids, func.max)
    person_ids = {p for entry, _ in pairs if (p := _person_of(entry)) is not None}
    people = (
        dict(
            session.execute(
                select(Person.id, Person.name).where(Person.id.in_(list(person_ids)))
            ).all()
        )
        if person_ids
        else {}
    )
    items = []
    for entry, review in pairs:
        payload = entry.payload
        if is_derived(entry.entity_type, payload):
            continue
        person_id = _person_of(entry)
        if entry.operation == "void":
            change = "void"
        else:
            change = "create" if first.get(entry.entity_id) == entry.seq else "update"
        if entry.sync_state != "pending":
            state = UPLOADED
        elif review is None:
            state = UNREVIEWED
        elif review.state == APPROVED:
            state = APPROVED
        else:
            state = CORRECTED if newest.get(entry.entity_id, 0) > entry.seq else RETURNED
        subject = people.get(person_id, "") if person_id else ""
        subject = subject or str(payload.get("name") or payload.get("address_detail") or "")
        items.append(
            ReviewItem(
                seq=entry.seq,
                recorded_at=entry.created_at.astimezone(),
                operator_id=entry.operator_id,
                operator_name=names.get(entry.operator_id, "?"),
                entity_type=entry.entity_type,
                change=change,
                subject=subject,
                person_id=person_id,
                scheme=payload.get("scheme"),
                receipt_number=payload.get("receipt_number"),
                amount_fen=payload.get("personal_fen") if entry.entity_type == "payment" else None,
                state=state,
                comment=review.comment if review else None,
                reviewed_by=names.get(review.reviewed_by, "?") if review else "",
                reviewed_at=review.reviewed_at.astimezone() if review else None,
            )
        )
    return items


def review_items(
    database: Database, actor: Actor, day: date, operator_id: uuid.UUID | None = None
) -> list[ReviewItem]:
    """Every change recorded on ``day`` (local time), of one operator or all, oldest first."""
    actor.require(Permission.REVIEW)
    start, end = day_bounds(day)
    with database.reading() as session:
        query = (
            select(OutboxEntry, OutboxReview)
            .outerjoin(OutboxReview, OutboxReview.outbox_seq == OutboxEntry.seq)
            .where(OutboxEntry.created_at >= start, OutboxEntry.created_at < end)
            .order_by(OutboxEntry.seq)
        )
        if operator_id is not None:
            query = query.where(OutboxEntry.operator_id == operator_id)
        return _items(session, [(e, r) for e, r in session.execute(query).all()])


def returned_to(database: Database, actor: Actor) -> list[ReviewItem]:
    """What a supervisor sent back to this operator and they have not corrected yet."""
    with database.reading() as session:
        return returned_in(session, actor)


def returned_in(session: Session, actor: Actor) -> list[ReviewItem]:
    """``returned_to`` inside a caller's transaction (the front page's figures)."""
    actor.require(Permission.VIEW)
    # The few returned reviews first (by their state's index), then their entries by key:
    # joined in one statement, SQLite walks every pending entry in seq order instead (1.7 s
    # on a 100,000-person store whose reviews are nearly all approvals).
    returned = list(
        session.scalars(
            select(OutboxReview.outbox_seq)
            .where(OutboxReview.state == RETURNED)
            .order_by(OutboxReview.outbox_seq)
        )
    )
    pairs = [
        pair
        for start in range(0, len(returned), 500)
        for pair in session.execute(
            select(OutboxEntry, OutboxReview)
            .join(OutboxReview, OutboxReview.outbox_seq == OutboxEntry.seq)
            .where(
                OutboxEntry.seq.in_(returned[start : start + 500]),
                OutboxEntry.operator_id == actor.operator_id,
                OutboxEntry.sync_state == "pending",
            )
            .order_by(OutboxEntry.seq)
        ).all()
    ]
    return [item for item in _items(session, list(pairs)) if item.state == RETURNED]


def operators(database: Database) -> list[tuple[uuid.UUID, str]]:
    """Every operator of the centre (id, display name), for the review and close filters."""
    with database.reading() as session:
        return [
            (row.id, row.display_name)
            for row in session.execute(
                select(Operator.id, Operator.display_name).order_by(Operator.display_name)
            )
        ]


# -- deciding -------------------------------------------------------------------------------


def _ranges(seqs: Sequence[int]) -> list[list[int]]:
    """``[3, 4, 5, 9]`` → ``[[3, 5], [9, 9]]``: a bulk approval's audit entry stays small."""
    runs: list[list[int]] = []
    for seq in sorted(seqs):
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return runs


def _reviewable(session: Session, seqs: Sequence[int], *columns: Any) -> list[Any]:
    """The entries (or the named columns of them) of ``seqs``: all must exist, none sent."""
    wanted = sorted(set(seqs))
    shown = columns or (OutboxEntry,)
    rows: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        rows.extend(
            session.execute(
                select(OutboxEntry.seq, OutboxEntry.sync_state, *shown).where(
                    OutboxEntry.seq.in_(wanted[start : start + CHUNK])
                )
            )
        )
    found = {row.seq for row in rows}
    missing = [seq for seq in wanted if seq not in found]
    if missing:
        raise NotFound(
            "outbox_entry", f"找不到第{missing[0]}号记录。", f"No change number {missing[0]}."
        )
    sent = [row.seq for row in rows if row.sync_state != "pending"]
    if sent:
        raise ServiceError(
            "already_uploaded",
            f"第{sent[0]}号记录已上传，不能再审核。",
            f"Change number {sent[0]} has already gone upstream; it can no longer be reviewed.",
        )
    return [row[2] for row in rows] if not columns else rows


def approve(database: Database, actor: Actor, seqs: Sequence[int]) -> int:
    """Approve these changes for upload; returns how many were not approved before.

    Plain rows, not objects: the demo's supervisor approves its whole history at once
    (close to a million changes for 100,000 people)."""
    actor.require(Permission.REVIEW)
    if not seqs:
        return 0
    now = datetime.now(UTC)
    with database.writing() as session:
        wanted = [row.seq for row in _reviewable(session, seqs, OutboxEntry.seq)]
        states: dict[int, str] = {}
        for start in range(0, len(wanted), CHUNK):
            states.update(
                session.execute(  # type: ignore[arg-type]
                    select(OutboxReview.outbox_seq, OutboxReview.state).where(
                        OutboxReview.outbox_seq.in_(wanted[start : start + CHUNK])
                    )
                ).all()
            )
        table = OutboxReview.__table__
        decision = {"state": APPROVED, "reviewed_by": actor.operator_id, "reviewed_at": now}
        first = [seq for seq in wanted if seq not in states]
        again = [seq for seq in wanted if states.get(seq) not in (None, APPROVED)]
        if first:
            session.execute(
                insert(table), [{"outbox_seq": seq, **decision, "comment": None} for seq in first]
            )
        if again:
            session.execute(
                update(table)
                .where(table.c.outbox_seq == bindparam("_seq"))
                .values(**decision, comment=None),
                [{"_seq": seq} for seq in again],
            )
        changed = sorted(first + again)
        _audit_approved(session, actor, changed)
        return len(changed)


def send_back(database: Database, actor: Actor, seq: int, comment: str) -> None:
    """Return one change to its clerk with the supervisor's comment; it stays local."""
    actor.require(Permission.REVIEW)
    comment = comment.strip()
    if len(comment) < COMMENT_MIN:
        raise field_error(
            "comment",
            "required",
            f"退回必须写明意见（至少{COMMENT_MIN}个字），经办员据此更正。",
            f"Sending back needs a comment (at least {COMMENT_MIN} characters) for the clerk.",
        )
    with database.writing() as session:
        (entry,) = _reviewable(session, [seq])
        review = session.get(OutboxReview, seq)
        if review is None:
            review = OutboxReview(outbox_seq=seq)
            session.add(review)
        review.state, review.reviewed_by = RETURNED, actor.operator_id
        review.reviewed_at, review.comment = datetime.now(UTC), comment[:200]
        clerk = session.get(Operator, entry.operator_id)
        audit(
            session,
            actor,
            action="review.return",
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            detail={
                "outbox_id": entry.id,
                "seq": seq,
                "to": clerk.username if clerk else "?",
                "comment": review.comment,
            },
        )


def approve_all_pending(database: Database, actor: Actor) -> int:
    """Approve everything waiting (the demo's imported history, a centre switching review on).

    What ``approve`` does for the seqs it is given, set-based over every pending entry: the
    demo's supervisor approves close to a million changes for 100,000 people at once."""
    actor.require(Permission.REVIEW)
    now = datetime.now(UTC)
    table = OutboxReview.__table__
    review = OutboxReview.outbox_seq == OutboxEntry.seq
    with database.writing() as session:
        changed = list(
            session.scalars(
                select(OutboxEntry.seq)
                .outerjoin(OutboxReview, review)
                .where(
                    OutboxEntry.sync_state == "pending",
                    (OutboxReview.state.is_(None)) | (OutboxReview.state != APPROVED),
                )
                .order_by(OutboxEntry.seq)
            )
        )
        if not changed:
            return 0
        decision = {"state": APPROVED, "reviewed_by": actor.operator_id, "reviewed_at": now}
        session.execute(
            update(table)
            .where(table.c.state != APPROVED, table.c.outbox_seq.in_(_pending_seqs()))
            .values(**decision, comment=None)
        )
        session.execute(
            insert(table).from_select(
                ["outbox_seq", "state", "reviewed_by", "reviewed_at", "comment"],
                select(
                    OutboxEntry.seq,
                    literal(APPROVED),
                    literal(actor.operator_id, Uuid),
                    literal(now, UtcDateTime),
                    null(),
                ).where(OutboxEntry.sync_state == "pending", ~exists().where(review)),
            )
        )
        _audit_approved(session, actor, changed)
        return len(changed)


def _pending_seqs() -> Any:
    return select(OutboxEntry.seq).where(OutboxEntry.sync_state == "pending")


def _audit_approved(session: Session, actor: Actor, changed: list[int]) -> None:
    """One audit entry for the entries a supervisor approved at once (none: no entry)."""
    if changed:
        audit(
            session,
            actor,
            action="review.approve",
            entity_type="outbox_entry",
            entity_id=None,
            detail={"count": len(changed), "seqs": _ranges(changed)},
        )

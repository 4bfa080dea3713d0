"""What the first screen after login shows, in one read: the status bar's pending uploads and
last sync, the worklists' counts on the front desk, and what a supervisor sent back to this
operator. They come inside the home page's one reading (``services.home.home_figures``), which
the main window asks for at launch and again whenever something was saved (and every minute),
instead of one reading per place a figure shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from caseworker.services.actor import Actor
from caseworker.services.registry import pending_uploads_in
from caseworker.services.review import ReviewItem, returned_in
from caseworker.services.worklists import counts_in
from caseworker.store.database import Database
from caseworker.store.models import SyncLink


@dataclass(frozen=True)
class FrontPage:
    pending_uploads: int
    last_sync: datetime | None  # the last successful sync, UTC
    worklist_counts: dict[str, int]  # {kind: rows}, as ``worklists.counts``
    returned: list[ReviewItem]  # as ``review.returned_to``


def front_page_fields(
    session: Session, database: Database, actor: Actor, day: date
) -> dict[str, Any]:
    """The front page's figures inside a caller's transaction (the home page's reading adds
    the day's own to them)."""
    link = session.get(SyncLink, 1)
    return {
        "pending_uploads": pending_uploads_in(session),
        "last_sync": link.last_success_at if link else None,
        "worklist_counts": counts_in(session, database, actor, day),
        "returned": returned_in(session, actor),
    }

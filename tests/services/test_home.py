"""The home page's figures (今日): one reading of the day's work, the operator's and, for a
supervisor, the centre's, and what needs attention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from caseworker.services.front_page import FrontPage, front_page_fields
from caseworker.services.home import DayWork, home_figures
from caseworker.services.sync_queue import sync_status
from caseworker.store.models import OutboxEntry, SyncLink
from tests.home_data import seed_day


def test_a_clerk_sees_their_own_day_and_a_supervisor_the_centres(clerk, supervisor):
    today = date.today()  # enrolments are counted by the audit trail's clock
    seeded = seed_day(clerk, supervisor, today)
    mine = home_figures(clerk.database, clerk.actor, today)
    assert mine.mine == DayWork(
        enrolments=5,
        payments=2,
        receipts=3,
        voids=1,
        cash_fen=seeded.clerk_cash_fen,
        collected_fen=seeded.clerk_collected_fen,
    )
    assert mine.centre is None and mine.unclosed == []  # a clerk closes no days
    # The front page's figures come in the same reading, unchanged.
    with clerk.database.reading() as session:
        front = FrontPage(**front_page_fields(session, clerk.database, clerk.actor, today))
    assert front == FrontPage(
        mine.pending_uploads, mine.last_sync, mine.worklist_counts, mine.returned
    )

    boss = home_figures(supervisor.database, supervisor.actor, today)
    assert boss.mine.enrolments == 2 and boss.mine.payments == 1
    assert boss.mine.cash_fen == seeded.supervisor_cash_fen
    assert boss.centre == DayWork(
        enrolments=7,
        payments=3,
        receipts=4,
        voids=1,
        cash_fen=seeded.clerk_cash_fen + seeded.supervisor_cash_fen,
        collected_fen=seeded.clerk_collected_fen + seeded.supervisor_cash_fen,
    )
    # Yesterday's takings of the clerk wait for a close; the day the supervisor closed does not.
    assert [(u.day, u.operator_name) for u in boss.unclosed] == [
        (seeded.yesterday, clerk.actor.display_name)
    ]
    # Another day is another day: nothing of today's counts for tomorrow.
    tomorrow = home_figures(supervisor.database, supervisor.actor, today + timedelta(days=1))
    assert tomorrow.mine.empty and tomorrow.centre is not None and tomorrow.centre.empty
    assert {u.day for u in tomorrow.unclosed} == {seeded.yesterday, today}


def test_an_empty_day_is_all_zero_and_calm(clerk):
    figures = home_figures(clerk.database, clerk.actor, date.today())
    assert figures.mine == DayWork() and figures.mine.empty
    assert figures.sync_issues == 0 and figures.unclosed == [] and figures.returned == []
    assert figures.guardrail.level == "ok"  # never registered: no sync is owed


def test_sync_queue_issues_and_guardrails_are_counted_as_the_sync_page_counts_them(
    clerk, supervisor
):
    seed_day(clerk, supervisor, date.today())
    with clerk.database.writing() as session:
        # What a county's answers leave behind: one conflict, two refusals, registered a
        # while ago and never synced since.
        seqs = list(session.scalars(select(OutboxEntry.seq).order_by(OutboxEntry.seq).limit(3)))
        session.execute(
            update(OutboxEntry).where(OutboxEntry.seq == seqs[0]).values(sync_state="conflict")
        )
        session.execute(
            update(OutboxEntry).where(OutboxEntry.seq.in_(seqs[1:])).values(sync_state="rejected")
        )
        link = session.get(SyncLink, 1) or SyncLink(id=1)
        link.registered_at = datetime.now(UTC) - timedelta(days=20)
        session.add(link)
    figures = home_figures(clerk.database, clerk.actor, date.today())
    assert (figures.sync_conflicts, figures.sync_rejected) == (1, 2)
    status = sync_status(clerk.database)
    assert figures.sync_issues == status.open_issues
    assert figures.guardrail.level == status.guardrail == "block"
    assert "20天未成功同步" in figures.guardrail.message

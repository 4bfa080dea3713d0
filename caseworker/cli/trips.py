"""`caseworker trip …`: field-visit trips from the command line (the same services as the
入户走访 page): list them, plan one for villages, print its papers."""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import date
from typing import Any

from caseworker.cli.common import fail, open_session, user_option
from caseworker.cli.printing import _output, _write
from caseworker.services import trip_documents, trips
from caseworker.services.centre import OpenSession
from caseworker.services.trips import TripInfo

PAPERS = {
    "sheets": trip_documents.trip_survey_pdf,
    "list": trip_documents.visit_list_pdf,
}


def _trip(session: OpenSession, reference: str) -> TripInfo:
    """A trip by its id, or by its name when one trip has it."""
    found = trips.trips(session.database, session.actor)
    try:
        wanted = uuid.UUID(reference)
        matches = [t for t in found if t.id == wanted]
    except ValueError:
        matches = [t for t in found if t.name == reference.strip()]
    if len(matches) != 1:
        fail(
            f"找不到行程“{reference}”（或有多个同名行程），请用 caseworker trip list 查看行程编号。",
            f"No single trip {reference!r}; see the ids with `caseworker trip list`.",
        )
    return matches[0]


def _row(trip: TripInfo) -> dict[str, Any]:
    return {
        "id": str(trip.id),
        "name": trip.name,
        "villages": list(trip.villages),
        "planned_on": trip.created_on.isoformat(),
        "closed_on": trip.closed_on.isoformat() if trip.closed_on else None,
        "households": trip.households,
        "visited": trip.visited,
    }


def cmd_list(args: Any) -> int:
    session = open_session(args)
    try:
        found = trips.trips(session.database, session.actor)
    finally:
        session.close()
    if args.json:
        print(json.dumps([_row(t) for t in found], ensure_ascii=False, indent=2))
        return 0
    for trip in found:
        state = f"结束于 {trip.closed_on}" if trip.closed_on else "进行中 / open"
        print(
            f"{trip.id}  {trip.name}  {trip.created_on}  "
            f"{trip.visited}/{trip.households} 户 / households  {state}"
        )
    if not found:
        print("还没有走访行程。/ No trips yet.")
    return 0


def cmd_plan(args: Any) -> int:
    session = open_session(args)
    try:
        planned = trips.plan_trip(
            session.database, session.actor, args.name, villages=args.village, day=date.today()
        )
    finally:
        session.close()
    print(
        f"已计划行程 / trip planned: {planned.trip.id}  {planned.trip.name}  "
        f"{planned.households_total} 户 / households, {planned.people_total} 人 / people, "
        f"{planned.people_not_covered} 人尚未覆盖 / not yet covered"
    )
    return 0


def cmd_print(args: Any) -> int:
    session = open_session(args)
    try:
        trip = _trip(session, args.trip)
        if args.paper == "summary":
            result = trip_documents.trip_summary_pdf(
                session.database, session.actor, trip.id, day=date.today()
            )
        else:
            result = PAPERS[args.paper](session.database, session.actor, trip.id)
    finally:
        session.close()
    _write(args, result)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    trip = commands.add_parser("trip", help="field-visit trips (入户走访): list, plan, print")
    sub = trip.add_subparsers(dest="trip_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the trips planned on this computer")
    listing.add_argument("--json", action="store_true")
    user_option(listing)
    listing.set_defaults(handler=cmd_list)
    plan = sub.add_parser("plan", help="a trip to every household of the villages given")
    plan.add_argument("--name", required=True)
    plan.add_argument(
        "--village", action="append", required=True, help="12-digit village code (repeatable)"
    )
    user_option(plan)
    plan.set_defaults(handler=cmd_plan)
    papers = sub.add_parser("print", help="a trip's papers as PDF")
    papers.add_argument("trip", help="trip id or name")
    papers.add_argument(
        "--paper",
        choices=("sheets", "list", "summary"),
        required=True,
        help="sheets: 入户调查表 per household; list: 走访清单; summary: 走访小结",
    )
    _output(papers)
    papers.set_defaults(handler=cmd_print)

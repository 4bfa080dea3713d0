"""`caseworker household …`: households and their members from the command line (the same
one-transaction services as the 家庭户 page): create one, show it, add or attach a member,
record that someone moved away or died."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from typing import Any

from caseworker.cli.common import fail, open_session, print_json, user_option
from caseworker.cli.trips import _trip
from caseworker.domain.codes import load_code_table
from caseworker.services import household_members, households, registry, trips
from caseworker.services.centre import OpenSession
from caseworker.services.households import HouseholdView, MemberView
from caseworker.services.validation import PersonInput


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应写作 YYYY-MM-DD / a date is written YYYY-MM-DD: {text!r}"
        ) from None


def _household_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        fail(
            f"“{text}”不是家庭户编号。",
            f"{text!r} is not a household id (as `caseworker household create` prints it).",
        )


def _relationship(text: str) -> str:
    """A GB/T 4761 code (02) or its Chinese name (户主); unknown text goes to the service."""
    table = load_code_table("relationship")
    text = text.strip()
    if text in table:
        return text
    entry = table.find_by_name(text)
    return entry.code if entry else text


def _person_id(session: OpenSession, id_number: str) -> uuid.UUID:
    found = registry.find_by_id_number(session.database, id_number)
    if found is None:
        fail(
            f"找不到身份证号为 {id_number} 的已登记人员。",
            f"No registered person has the ID number {id_number}.",
        )
    return found.id


def _member_row(member: MemberView) -> dict[str, Any]:
    return {
        "person_id": str(member.person_id),
        "name": member.name,
        "id_number": member.masked_id_number,
        "sex": member.sex,
        "birth_date": member.birth_date.isoformat(),
        "relationship_to_head": member.relationship_to_head,
        "moved_in_on": member.moved_in_on.isoformat() if member.moved_in_on else None,
        "moved_away_on": member.moved_away_on.isoformat() if member.moved_away_on else None,
        "deceased_on": member.deceased_on.isoformat() if member.deceased_on else None,
        "present": member.present,
        "managed_here": member.managed_here,
        "coverage": {line: view.status for line, view in member.statuses.items()},
    }


def _household_row(view: HouseholdView) -> dict[str, Any]:
    return {
        "id": str(view.id),
        "village_code": view.village_code,
        "village_name": view.village_name,
        "address": view.address_detail,
        "head": view.head_name,
        "not_covered": view.not_covered_count,
        "members": [_member_row(m) for m in view.members],
    }


def _relationship_name(code: str | None) -> str:
    if not code:
        return ""
    table = load_code_table("relationship")
    return table.label(code) if code in table else code


def _member_line(member: MemberView) -> str:
    state = ""
    if member.deceased_on:
        state = f"  已故 / deceased {member.deceased_on}"
    elif member.moved_away_on:
        state = f"  已迁出 / moved away {member.moved_away_on}"
    coverage = ", ".join(f"{line}: {v.status}" for line, v in member.statuses.items())
    return (
        f"{member.name}  {member.masked_id_number}  "
        f"{_relationship_name(member.relationship_to_head)}{state}"
        + (f"  [{coverage}]" if coverage else "")
    )


def cmd_create(args: Any) -> int:
    session = open_session(args)
    try:
        trip = _trip(session, args.trip) if args.trip else None
        if trip is not None and trip.closed_on is not None:  # refused before anything is made
            fail(
                f"行程“{trip.name}”已于{trip.closed_on}结束，不能再加入家庭户。",
                f"The trip {trip.name!r} was closed on {trip.closed_on}; no household can join it.",
            )
        view = households.create_household(
            session.database, session.actor, args.village, args.address
        )
        if trip is not None:
            trips.add_household_to_trip(session.database, session.actor, trip.id, view.id)
    finally:
        session.close()
    if args.json:
        print_json(_household_row(view))
        return 0
    print(
        f"已建立家庭户 / household created: {view.id}  {view.village_name}  {view.address_detail}"
    )
    if trip is not None:
        print(f"已加入行程 / added to trip: {trip.name}")
    return 0


def cmd_show(args: Any) -> int:
    session = open_session(args)
    try:
        view = households.household(session.database, session.actor, _household_id(args.household))
    finally:
        session.close()
    if args.json:
        print_json(_household_row(view))
        return 0
    print(f"{view.id}  {view.village_name}  {view.address_detail}")
    print(f"户主 / head: {view.head_name or '（无 / none）'}")
    for member in view.members:
        print(f"  {_member_line(member)}")
    if not view.members:
        print("  还没有成员。/ No members yet.")
    return 0


def _said(member: MemberView, what: str, args: Any) -> int:
    if args.json:
        print_json(_member_row(member))
    else:
        print(f"{what}: {_member_line(member)}")
    return 0


def cmd_add_member(args: Any) -> int:
    session = open_session(args)
    data = PersonInput(id_number=args.id_number, name=args.name, phone=args.phone)
    try:
        member = household_members.add_new_member(
            session.database,
            session.actor,
            _household_id(args.household),
            data,
            _relationship(args.relationship),
            args.moved_in,
            day=date.today(),
        )
    finally:
        session.close()
    return _said(member, "已加入 / added", args)


def cmd_attach(args: Any) -> int:
    session = open_session(args)
    try:
        member = household_members.attach_member(
            session.database,
            session.actor,
            _household_id(args.household),
            _person_id(session, args.id_number),
            _relationship(args.relationship),
            args.moved_in,
            day=date.today(),
        )
    finally:
        session.close()
    return _said(member, "已加入 / attached", args)


def _member_event(args: Any, mark: Any, words: str) -> int:
    """A member moved away or died (``mark``: the service that records it)."""
    session = open_session(args)
    try:
        member = mark(
            session.database,
            session.actor,
            _person_id(session, args.id_number),
            args.date,
            day=date.today(),
        )
    finally:
        session.close()
    return _said(member, words, args)


def cmd_moved_away(args: Any) -> int:
    return _member_event(args, household_members.mark_moved_away, "已登记迁出 / moved away")


def cmd_deceased(args: Any) -> int:
    return _member_event(args, household_members.mark_deceased, "已登记死亡 / deceased")


def register(commands: argparse._SubParsersAction) -> None:
    household = commands.add_parser(
        "household", help="households (家庭户): create, show, members joining and leaving"
    )
    sub = household.add_subparsers(dest="household_command", metavar="ACTION", required=True)

    create = sub.add_parser("create", help="a new household in one of the township's villages")
    create.add_argument("--village", required=True, help="12-digit village code")
    create.add_argument("--address", required=True, help="组, 门牌号")
    create.add_argument("--trip", help="also put it on this open trip (id or name)")
    create.add_argument("--json", action="store_true")
    user_option(create)
    create.set_defaults(handler=cmd_create)

    show = sub.add_parser("show", help="a household, its members and their coverage")
    show.add_argument("household", help="household id")
    show.add_argument("--json", action="store_true")
    user_option(show)
    show.set_defaults(handler=cmd_show)

    relationship_help = "与户主关系: GB/T 4761 code (02) or name (户主)"
    add = sub.add_parser("add-member", help="a person not yet registered joins the household")
    add.add_argument("household", help="household id")
    add.add_argument("--id-number", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--relationship", required=True, help=relationship_help)
    add.add_argument("--moved-in", type=_day, help="YYYY-MM-DD")
    add.add_argument("--phone")
    add.add_argument("--json", action="store_true")
    user_option(add)
    add.set_defaults(handler=cmd_add_member)

    attach = sub.add_parser("attach", help="a registered person joins (or rejoins) the household")
    attach.add_argument("household", help="household id")
    attach.add_argument("id_number", metavar="PERSON_ID_NUMBER")
    attach.add_argument("--relationship", required=True, help=relationship_help)
    attach.add_argument("--moved-in", type=_day, help="YYYY-MM-DD")
    attach.add_argument("--json", action="store_true")
    user_option(attach)
    attach.set_defaults(handler=cmd_attach)

    for name, handler, words in (
        ("moved-away", cmd_moved_away, "the person left their household on --date"),
        ("deceased", cmd_deceased, "the person died on --date"),
    ):
        mark = sub.add_parser(name, help=words)
        mark.add_argument("id_number", metavar="ID_NUMBER")
        mark.add_argument("--date", type=_day, required=True, help="YYYY-MM-DD")
        mark.add_argument("--json", action="store_true")
        user_option(mark)
        mark.set_defaults(handler=handler)

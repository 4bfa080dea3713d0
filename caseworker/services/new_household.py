"""A household the registry does not have, found on a field visit (a family that moved in):
the household, its head as a new person and, when a trip is open, its place on the trip, in
one transaction, so a refused head leaves no empty household behind."""

from __future__ import annotations

import uuid
from datetime import date

from caseworker.domain.households import HEAD
from caseworker.services.actor import Actor, Permission
from caseworker.services.household_members import add_new_member_in
from caseworker.services.households import HouseholdView, create_household_in, view_household
from caseworker.services.trips import add_household_to_trip_in
from caseworker.services.validation import PersonInput
from caseworker.store.database import Database


def create_household_with_head(
    database: Database,
    actor: Actor,
    village_code: str,
    address_detail: str | None,
    head: PersonInput,
    *,
    moved_in_on: date | None = None,
    trip_id: uuid.UUID | None = None,
    day: date,
) -> HouseholdView:
    actor.require(Permission.RECORD_COVERAGE)
    with database.writing() as session:
        household = create_household_in(session, actor, village_code, address_detail)
        session.flush()
        add_new_member_in(session, actor, household.id, head, HEAD, moved_in_on, day=day)
        if trip_id is not None:
            add_household_to_trip_in(session, actor, trip_id, household.id)
        session.flush()
        return view_household(session, household)

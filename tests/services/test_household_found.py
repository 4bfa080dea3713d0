"""A household found on a field visit: created with its head in one transaction, added to
the open trip; a moved-away member cannot become head. A real encrypted centre."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from caseworker.services import household_members, households, trips
from caseworker.services.errors import ValidationFailed
from caseworker.services.new_household import create_household_with_head
from caseworker.store.models import Household, TripHousehold
from tests.visit_data import TODAY, VILLAGE_A, VILLAGE_B, field_clerk, known_households, person


@pytest.fixture
def clerk(data_paths):
    session = field_clerk(data_paths)
    yield session
    session.close()


def _households(clerk) -> int:
    with clerk.database.reading() as session:
        return session.scalar(select(func.count()).select_from(Household))


def test_a_household_with_its_head_joins_the_open_trip_last(clerk):
    known = known_households(clerk)
    trip = trips.plan_trip(clerk.database, clerk.actor, "一村", villages=[VILLAGE_A], day=TODAY)
    head = person("孙大海", date(1970, 4, 8), 81)
    view = create_household_with_head(
        clerk.database, clerk.actor, VILLAGE_B, "4组9号", head, trip_id=trip.trip.id, day=TODAY
    )
    assert (view.village_code, view.address_detail, view.head_name) == (
        VILLAGE_B,
        "4组9号",
        "孙大海",
    )
    assert view.head is not None and view.head.relationship_to_head == "02"
    progress = trips.progress(clerk.database, clerk.actor, trip.trip.id)
    assert [r.household_id for r in progress.rows][-1] == view.id
    assert [r.position for r in progress.rows] == [1, 2, 3]
    # Adding it again leaves it where it is; a closed trip takes no household.
    again = trips.add_household_to_trip(clerk.database, clerk.actor, trip.trip.id, view.id)
    assert again.households_total == 3
    trips.close_trip(clerk.database, clerk.actor, trip.trip.id, day=TODAY)
    with pytest.raises(ValidationFailed) as failed:
        trips.add_household_to_trip(clerk.database, clerk.actor, trip.trip.id, known.h3)
    assert failed.value.errors[0].code == "closed"
    with clerk.database.reading() as session:
        assert session.get(TripHousehold, (trip.trip.id, known.h3)) is None


def test_a_refused_head_leaves_no_empty_household(clerk):
    before = _households(clerk)
    bad = person("孙大海", date(1970, 4, 8), 81)
    bad.id_number = bad.id_number[:-1] + ("0" if bad.id_number[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as failed:
        create_household_with_head(clerk.database, clerk.actor, VILLAGE_A, "5组1号", bad, day=TODAY)
    assert "id_number" in failed.value.by_field()
    assert _households(clerk) == before


def test_a_member_who_moved_away_cannot_become_head(clerk):
    known = known_households(clerk)
    household_members.mark_moved_away(
        clerk.database, clerk.actor, known.people["王小明"], date(2026, 6, 1), day=TODAY
    )
    with pytest.raises(ValidationFailed) as failed:
        household_members.change_head(clerk.database, clerk.actor, known.people["王小明"], "50")
    assert failed.value.errors[0].code == "not_present"
    assert "迁出" in failed.value.errors[0].message
    assert households.household(clerk.database, clerk.actor, known.h1).head_name == "王建国"

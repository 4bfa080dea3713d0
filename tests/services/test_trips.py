"""Trips: planning, a household visit in one transaction, progress on a known data set, the
summary and the papers (read back with pdftotext)."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from caseworker.services import trip_documents, trips
from caseworker.services.errors import ValidationFailed
from caseworker.services.trip_summary import trip_summary
from caseworker.services.trip_visit import LineAnswer, MemberVisit, Newcomer, VisitInput, save_visit
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.store.models import CoverageStatus, OutboxEntry, Person, TripPerson
from tests.visit_data import (
    OTHER_TOWNSHIP_VILLAGE,
    TODAY,
    VILLAGE_A,
    VILLAGE_B,
    field_clerk,
    known_households,
    person,
)

NOW = datetime(2026, 11, 27, 9, 30).astimezone()
NOT_WORKING = LineAnswer("injury", "not_applicable", "not_working")


@pytest.fixture
def clerk(data_paths):
    session = field_clerk(data_paths)
    yield session
    session.close()


@pytest.fixture
def known(clerk):
    return known_households(clerk)


def _plan(clerk, *villages):
    return trips.plan_trip(
        clerk.database, clerk.actor, "青阳一村", villages=villages or (VILLAGE_A,), day=TODAY
    )


def test_planning_by_villages_lists_their_households_with_progress(clerk, known):
    plan = _plan(clerk, VILLAGE_A, VILLAGE_B)
    assert [(r.head_name, r.members, r.not_covered) for r in plan.rows] == [
        ("王建国", 3, 3),
        ("张三丰", 1, 1),
        ("赵六一", 2, 2),
    ]
    assert (plan.households_total, plan.households_visited, plan.people_total) == (3, 0, 6)
    assert (plan.people_recorded, plan.people_not_covered) == (0, 6)
    assert [t.name for t in trips.trips(clerk.database, clerk.actor)] == ["青阳一村"]


def test_planning_refuses_villages_of_another_township_and_empty_trips(clerk, known):
    with pytest.raises(ValidationFailed) as failed:
        _plan(clerk, OTHER_TOWNSHIP_VILLAGE)
    assert failed.value.errors[0].code == "outside_township"
    with pytest.raises(ValidationFailed) as failed:
        _plan(clerk, "320281103201")  # a village of ours with no household registered
    assert failed.value.errors[0].code == "empty"
    with pytest.raises(ValidationFailed) as failed:
        trips.plan_trip(clerk.database, clerk.actor, "", villages=[VILLAGE_A], day=TODAY)
    assert failed.value.errors[0].field == "name"


def test_planning_from_a_worklist_takes_the_households_of_its_people(clerk, known):
    spec = WorklistSpec("not_covered", village_code=VILLAGE_B)
    plan = trips.plan_trip(
        clerk.database,
        clerk.actor,
        "未参保",
        person_ids=[known.people["赵小七"], known.people["赵六一"], known.people["张三丰"]],
        worklist=spec,
        day=TODAY,
    )
    assert [r.head_name for r in plan.rows] == ["张三丰", "赵六一"]
    assert plan.trip.worklist == spec and plan.trip.villages == (VILLAGE_A, VILLAGE_B)


def test_a_household_visit_is_saved_in_one_transaction_and_moves_the_progress(clerk, known):
    plan = _plan(clerk)
    born = date(2026, 9, 1)
    visit = VisitInput(
        known.h1,
        members=(
            MemberVisit(
                known.people["王建国"],
                answers=(
                    LineAnswer("medical", "insured_here", scheme="resident_medical"),
                    NOT_WORKING,
                ),
            ),
            MemberVisit(
                known.people["李秀英"],
                answers=(
                    LineAnswer("pension", "not_insured", "cannot_afford"),
                    LineAnswer("medical", "insured_elsewhere", insured_where="江苏省苏州市"),
                    NOT_WORKING,
                ),
            ),
            MemberVisit(known.people["王小明"], "moved_away", date(2026, 6, 1)),
        ),
        newcomers=(
            Newcomer(
                person("王小宝", born, 71),
                "40",
                born,
                answers=(
                    LineAnswer("pension", "not_applicable", "under_16"),
                    LineAnswer("medical", "not_insured", "unaware"),
                    LineAnswer("injury", "not_applicable", "not_working"),
                ),
            ),
        ),
    )
    result = save_visit(clerk.database, clerk.actor, plan.trip.id, visit, day=TODAY)
    assert result.recorded == 4 and len(result.added) == 1
    by_name = {m.name: m for m in result.household.members}
    assert by_name["王小明"].moved_away_on == date(2026, 6, 1) and not by_name["王小明"].present
    assert by_name["王小宝"].relationship_to_head == "40"
    assert by_name["李秀英"].statuses["medical"].insured_where == "江苏省苏州市"
    after = trips.progress(clerk.database, clerk.actor, plan.trip.id)
    # 王建国 covered on every line now; 李秀英 not insured (pension); 王小宝 not insured
    # (medical); 王小明 left; 张三丰 untouched.
    assert (after.households_visited, after.people_total, after.people_recorded) == (1, 4, 4)
    assert after.people_not_covered == 3
    assert [(r.members, r.not_covered, r.outcome) for r in after.rows] == [
        (3, 2, "visited"),
        (1, 1, None),
    ]
    with clerk.database.reading() as session:
        kinds = dict(
            session.execute(
                select(OutboxEntry.entity_type, func.count()).group_by(OutboxEntry.entity_type)
            ).all()
        )
        assert session.scalar(select(func.count()).select_from(TripPerson)) == 4
    assert kinds["survey_entry"] == 8 and "trip" not in kinds


def test_any_problem_of_the_visit_writes_nothing_and_names_the_person(clerk, known):
    plan = _plan(clerk)
    before = _outbox(clerk)
    visit = VisitInput(
        known.h1,
        members=(
            # Marked deceased, then given a status: refused (a deceased person's status).
            MemberVisit(
                known.people["王小明"],
                "deceased",
                date(2026, 6, 1),
                answers=(LineAnswer("pension", "not_insured", "unwilling"),),
            ),
            MemberVisit(known.people["李秀英"], "moved_away", date(2027, 1, 1)),
            MemberVisit(known.people["王建国"], answers=(LineAnswer("pension", "not_insured"),)),
        ),
        newcomers=(Newcomer(person("王二", date(1988, 1, 1), 91), "02", date(2020, 1, 1)),),
    )
    with pytest.raises(ValidationFailed) as failed:
        save_visit(clerk.database, clerk.actor, plan.trip.id, visit, day=TODAY)
    found = {(e.field.split(".", 1)[1], e.code) for e in failed.value.errors}
    assert found == {
        ("person", "deceased"),
        ("moved_away_on", "in_future"),
        ("pension.reason", "reason_required"),
        ("pension.note", "note_required"),  # the records say insured here
        ("relationship_to_head", "two_heads"),
    }
    assert "王小明：" in failed.value.message and "王二：" in failed.value.message
    assert _outbox(clerk) == before
    with clerk.database.reading() as session:
        assert session.get(Person, known.people["王小明"]).deceased_on is None
    assert trips.progress(clerk.database, clerk.actor, plan.trip.id).households_visited == 0


def test_nobody_home_a_closed_trip_and_a_household_not_on_the_trip(clerk, known):
    plan = _plan(clerk)
    save_visit(
        clerk.database,
        clerk.actor,
        plan.trip.id,
        VisitInput(known.h2, outcome="nobody_home", note="下午再来"),
        day=TODAY,
    )
    row = trips.progress(clerk.database, clerk.actor, plan.trip.id).rows[1]
    assert (row.outcome, row.note, row.visited_on) == ("nobody_home", "下午再来", TODAY)
    with pytest.raises(ValidationFailed) as failed:
        save_visit(clerk.database, clerk.actor, plan.trip.id, VisitInput(known.h3), day=TODAY)
    assert failed.value.errors[0].code == "not_in_trip"
    trips.close_trip(clerk.database, clerk.actor, plan.trip.id, day=TODAY)
    with pytest.raises(ValidationFailed) as failed:
        save_visit(clerk.database, clerk.actor, plan.trip.id, VisitInput(known.h1), day=TODAY)
    assert failed.value.errors[0].code == "closed"


def test_summary_and_papers_read_back(clerk, known):
    plan = _plan(clerk, VILLAGE_A, VILLAGE_B)
    save_visit(
        clerk.database,
        clerk.actor,
        plan.trip.id,
        VisitInput(
            known.h1,
            members=(
                MemberVisit(known.people["王建国"], answers=(NOT_WORKING,)),
                MemberVisit(known.people["王小明"], "deceased", date(2026, 8, 8)),
            ),
        ),
        day=TODAY,
    )
    save_visit(
        clerk.database,
        clerk.actor,
        plan.trip.id,
        VisitInput(known.h2, outcome="refused"),
        day=TODAY,
    )
    summary = trip_summary(clerk.database, clerk.actor, plan.trip.id, day=TODAY)
    assert (summary.visited, summary.refused, summary.nobody_home) == (1, 1, 0)
    assert (summary.people_recorded, summary.answered, summary.deceased) == (2, 1, 1)
    assert [r.head_name for r in summary.not_visited] == ["赵六一"]
    assert summary.statuses[("injury", "not_applicable")] == 1
    assert summary.statuses[("pension", "insured_here")] == 1

    text = _text(trip_documents.visit_list_pdf(clerk.database, clerk.actor, plan.trip.id, now=NOW))
    assert "全民参保登记入户走访清单" in text and "青阳一村" in text
    for expected in ("王建国", "张三丰", "赵六一", "1组1号", "3组5号"):
        assert expected in text
    text = _text(
        trip_documents.trip_summary_pdf(clerk.database, clerk.actor, plan.trip.id, day=TODAY)
    )
    assert "全民参保登记走访小结" in text and "尚未走访的家庭户（1户）" in text
    assert "工伤（职业伤害）保障" in text
    sheets = trip_documents.trip_survey_pdf(clerk.database, clerk.actor, plan.trip.id, now=NOW)
    text = _text(sheets)
    assert text.count("全民参保登记入户调查表") == 3
    assert "王建国" in text and "王小明" not in text  # deceased: no line on the sheet
    assert "320281103200" in text and "320281103001" in text
    with clerk.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(CoverageStatus)) == 18


def _outbox(clerk) -> int:
    with clerk.database.reading() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry))


def _text(result) -> str:
    assert not result.missing
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=result.pdf, capture_output=True, check=True
    ).stdout.decode()


def test_survey_sheets_for_households_not_in_the_registry_are_refused(clerk):
    import uuid

    from caseworker.services import documents
    from caseworker.services.errors import NotFound

    with pytest.raises(NotFound) as refused:
        documents.survey_pdf(clerk.database, household_ids=[uuid.uuid4()])
    assert "所选家庭户不在本地登记库中" in refused.value.message

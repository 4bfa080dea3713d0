"""The bulk writer counts its new people's status rows set-based, once per send (migration
0019, ``store.counters``): every counter ends exactly where the per-row triggers leave it,
and the state tallies equal a full recount of the status rows. Real SQLCipher stores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from caseworker.services.bulk_write import BulkWriter
from caseworker.services.centre import OpenSession
from caseworker.store.counters import STATEMENTS
from caseworker.store.models import BulkPerson
from tests.services.test_bulk_write import _people, _write
from tests.upstream.harness import new_centre

COUNTERS = {
    "coverage_tally": "SELECT line, status, reason, scheme, village_code, sex, birth_year,"
    " category, present, n FROM coverage_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "coverage_facet": "SELECT line, facet, key, status, n FROM coverage_facet WHERE n <> 0"
    " ORDER BY 1, 2, 3, 4",
    "worklist_tally": "SELECT line, status, category, birth_year, present, n FROM worklist_tally"
    " WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5",
    "coverage_month": "SELECT month, line, status, n FROM coverage_month WHERE n <> 0"
    " ORDER BY 1, 2, 3",
}
RECOUNT = {
    "coverage_tally": """SELECT line, status, coalesce(reason, ''), coalesce(scheme, ''),
        coalesce(village_code, ''), coalesce(sex, ''), coalesce(birth_year, 0),
        coalesce(category, ''), present, count(*) FROM coverage_status
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9""",
    "worklist_tally": """SELECT line, status, coalesce(category, ''), coalesce(birth_year, 0),
        present, count(*) FROM coverage_status GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5""",
    # The trend is a running sum: over all months it is today's count of present people.
    "coverage_month": """SELECT line, status, count(*) FROM coverage_status WHERE present
        GROUP BY 1, 2 ORDER BY 1, 2""",
}
ANSWERS = (  # what the rows of a few people are set to, as a survey or the records would
    ("medical", {"status": "insured_here", "scheme": "resident_medical", "source": "payment"}),
    ("pension", {"status": "not_insured", "reason": "cannot_afford", "source": "survey"}),
    ("injury", {"status": "not_applicable", "reason": "not_employed", "source": "survey"}),
)


def _write_people(session: OpenSession, *, set_based: bool) -> None:
    rows = _people(90)
    with session.database.writing() as db:
        # Small sends: a person's insert and its status updates fall in different ones.
        writer = BulkWriter(db, session.actor, flush_every=25, set_based_counters=set_based)
        for index, row in enumerate(rows):
            _write(writer, [row])
            for line, values in ANSWERS[: index % 4]:
                as_of = date(2026, 1 + index % 11, 5)
                writer.update_coverage(row["id"], line, values | {"as_of": as_of, "version": 1})
        writer.close()


def _read(session: OpenSession, queries: dict[str, str]) -> dict[str, list[tuple]]:
    with session.database.reading() as db:
        return {name: [tuple(r) for r in db.execute(text(sql))] for name, sql in queries.items()}


def test_set_based_counters_end_where_the_per_row_triggers_do(tmp_path: Path) -> None:
    bulk, per_row = new_centre(tmp_path / "bulk"), new_centre(tmp_path / "per_row")
    try:
        _write_people(bulk, set_based=True)
        _write_people(per_row, set_based=False)
        counted = _read(bulk, COUNTERS)
        assert counted == _read(per_row, COUNTERS)
        assert len(counted["coverage_tally"]) > 20 and len(counted["coverage_month"]) > 10
        recount = _read(bulk, RECOUNT)
        assert counted["coverage_tally"] == recount["coverage_tally"]
        assert counted["worklist_tally"] == recount["worklist_tally"]
        months: dict[tuple, int] = {}
        for _month, line, status, n in counted["coverage_month"]:
            months[(line, status)] = months.get((line, status), 0) + n
        assert sorted((*k, n) for k, n in months.items() if n) == recount["coverage_month"]
        with bulk.database.reading() as db:
            assert db.scalar(select(func.count()).select_from(BulkPerson)) == 0
    finally:
        bulk.close()
        per_row.close()


def test_a_status_row_outside_a_bulk_write_is_counted_by_its_triggers(tmp_path: Path) -> None:
    """The list is empty after each send: a later change of those people counts per row."""
    session = new_centre(tmp_path / "c")
    try:
        _write_people(session, set_based=True)
        with session.database.writing() as db:
            db.execute(
                text(
                    "UPDATE coverage_status SET status = 'insured_elsewhere', as_of = '2026-11-01'"
                    " WHERE line = 'injury' AND status = 'unknown'"
                )
            )
        counted = _read(session, COUNTERS)
        recount = _read(session, RECOUNT)
        assert counted["coverage_tally"] == recount["coverage_tally"]
        assert counted["worklist_tally"] == recount["worklist_tally"]
    finally:
        session.close()


def test_a_send_is_counted_from_its_own_people_not_by_scanning_every_status_row(
    tmp_path: Path,
) -> None:
    """Each send walks the new people's list and looks their rows up: the cost of a send stays
    that of its own people however large the store has grown (a scan of ``coverage_status``
    per send made a large import quadratic)."""
    session = new_centre(tmp_path / "c")
    try:
        _write_people(session, set_based=True)  # a store with rows, as the planner then sees it
        with session.database.writing() as db:
            for statement in STATEMENTS[:-1]:
                plan = [row[-1] for row in db.execute(text("EXPLAIN QUERY PLAN " + statement))]
                scans = [step for step in plan if step.startswith("SCAN")]
                walked = [s for s in scans if not s.startswith("SCAN (subquery")]
                assert walked and all(step == "SCAN b" for step in walked), plan
                assert any("SEARCH s USING" in step and "person_id=?" in step for step in plan)
    finally:
        session.close()

"""Stays at employers (employment) at the county: the person's owner decides. Centre B's
real device cannot add or end a stay of centre A's person (``not_owner`` naming A), and a
stay naming a person the county does not hold is rejected; nothing changes."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Employment
from tests.upstream.test_ownership import A_CODE, A_NAME, a_person
from tests.upstream.test_ownership import devices as devices


def stay(person_id: str, version: int = 1, **changes) -> dict:
    return {
        "id": changes.pop("id", str(uuid.uuid4())),
        "version": version,
        "person_id": person_id,
        "employer_id": str(uuid.UUID(int=7)),
        "kind": "employee",
        "start_date": "2026-03-01",
        "end_date": None,
        "end_reason": None,
        "schemes": ["employee_pension"],
        "base_fen": 500_000,
        **changes,
    }


def stays(url: str) -> list[tuple]:
    db = open_upstream(url)
    try:
        with db.reading() as session:
            return [
                (row.id, row.version, row.centre_code, row.payload)
                for row in session.scalars(select(Employment).order_by(Employment.id))
            ]
    finally:
        db.close()


def test_only_the_persons_owner_writes_their_stays(devices, server):
    a, b = devices
    person_id = uuid.uuid4()
    held = stay(str(person_id))
    _, results = a.send(a.record("person", a_person(person_id)), a.record("employment", held))
    assert [r["status"] for r in results] == ["created", "created"]
    before = stays(server.db_url)
    assert [(v, centre) for _, v, centre, _ in before] == [(1, A_CODE)]
    _, results = b.send(
        b.record("employment", held | {"version": 2, "end_date": "2026-10-31"}),
        b.record("employment", stay(str(person_id))),
        b.record("employment", stay(str(uuid.uuid4()))),  # a person the county never saw
    )
    assert [r["code"] for r in results[:2]] == ["not_owner", "not_owner"]
    assert all(A_NAME in r["message"] for r in results[:2])
    assert results[2]["status"] == "rejected" and results[2]["code"] == "unknown_person"
    assert stays(server.db_url) == before
    # The owner ends it.
    _, results = a.send(a.record("employment", held | {"version": 2, "end_date": "2026-10-31"}))
    assert results[0]["status"] == "updated"
    [(_, version, _, payload)] = stays(server.db_url)
    assert (version, payload["end_date"]) == (2, "2026-10-31")

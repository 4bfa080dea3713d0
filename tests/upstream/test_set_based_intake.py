"""Intake sends a part's writes set-based (per table one COPY or multi-row INSERT of the new
rows and one UPDATE of the changed ones) and must answer exactly as record by record: the
same batches go to two fresh county databases, one as the server runs and one forced
record by record, on SQLite and PostgreSQL, and answers and registries are compared.

The batches are made of what makes grouping writes by table risky: a row created and
changed in one batch, changed twice, a payment created and voided, an enrolment moved to
another scheme and the scheme it left taken by a new one (and the other way round, which
must fail as record by record does), an enrolment before its person, a duplicate in the
middle of a long run; and a replay, which must answer alike and write nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event

from caseworker.upstream import intake
from tests.upstream.harness import (
    server,  # noqa: F401 (fixture)
    upstream_url,  # noqa: F401 (fixture)
)
from tests.upstream.test_batch_paths import (
    batch,
    county,
    enrolment,
    payment,
    person,
    registry_contents,
    send,
    two_urls,  # noqa: F401 (fixture)
    uid,
)
from tests.upstream.test_ownership import (
    A_CODE,
    B_CODE,
    _a_holdings,
    a_person,
    county_rows,
    devices,  # noqa: F401 (fixture)
)

SEED = [
    item for n in range(1, 9) for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
]
MIXED = [
    # Accepted: new, updated, the same snapshot again.
    ("person", person(20)),
    ("enrolment", enrolment(20, 20)),
    ("person", person(1, 2, village="320583102305")),
    ("person", person(2)),
    # Created, then changed twice in the same batch; changed twice.
    ("person", person(21)),
    ("person", person(21, 2, village="320583102201")),
    ("person", person(21, 3, village="320583102305")),
    ("person", person(3, 2, village="320583102201")),
    ("person", person(3, 3, name="王秀兰")),
    # A payment for an enrolment of this batch, voided in it too.
    ("payment", payment(1, 20, 20), "create"),
    ("payment", payment(1, 20, 20, voided=True), "void"),
    # Enrolment 4 moves to another scheme; a new enrolment takes the scheme it left.
    ("enrolment", enrolment(4, 4, 2, scheme="resident_medical")),
    ("enrolment", enrolment(40, 4)),
    # A new enrolment takes a scheme, then enrolment 5 moves to it: a duplicate.
    ("enrolment", enrolment(50, 5, scheme="resident_medical")),
    ("enrolment", enrolment(5, 5, 2, scheme="resident_medical")),
    # Enrolment 8 moves to a scheme a new enrolment holds until the record after: record by
    # record it finds the scheme taken (grouped, the freed scheme would let it through).
    ("enrolment", enrolment(80, 8, scheme="resident_medical")),
    ("enrolment", enrolment(8, 8, 2, scheme="resident_medical")),
    ("enrolment", enrolment(80, 8, 2, scheme="maternity")),
    # Conflicts and rejections answered from memory.
    ("person", person(6, 1, name="别的名字")),  # same version, other snapshot
    ("person", {**person(22), "id_number": "320583199913130000"}),  # invalid
    ("enrolment", {**enrolment(22, 22), "person_id": "not a uuid"}),
    ("unknown_kind", {"id": uid(7001)}),
    # An enrolment whose person comes later; a duplicate enrolment in a long run.
    ("enrolment", enrolment(23, 23)),
    *[
        item
        for n in range(24, 30)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ],
    ("enrolment", {**enrolment(60, 7)}),  # person 7 holds resident_pension already
    *[
        item
        for n in range(30, 36)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ],
    ("person", person(23)),
]


def _forced_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def forced(conn, records, origin):
        raise intake._StartOver

    monkeypatch.setattr(intake, "_apply_together", forced)


def test_set_based_answers_as_record_by_record(two_urls, monkeypatch):  # noqa: F811
    fast, slow = (county(url) for url in two_urls)
    try:
        fast_answers = [
            send(fast, uid(600), batch(SEED, start=100)),
            send(fast, uid(601), batch(MIXED, start=200)),
        ]
        _forced_alone(monkeypatch)
        slow_answers = [
            send(slow, uid(600), batch(SEED, start=100)),
            send(slow, uid(601), batch(MIXED, start=200)),
        ]
        assert fast_answers == slow_answers
        assert registry_contents(fast) == registry_contents(slow)
    finally:
        fast.close()
        slow.close()
    answers: dict[str, list[tuple[str, str | None]]] = {}
    for result in fast_answers[1]:
        answers.setdefault(result["entity_id"], []).append((result["status"], result.get("code")))
    created, updated = ("created", None), ("updated", None)
    assert answers[uid(1021)] == [created, updated, updated]  # written once, as it ends
    assert answers[uid(1003)] == [updated, updated]
    assert answers[uid(3001)] == [created, updated]  # this batch's own payment, voided
    assert answers[uid(2004)] == [updated]
    assert answers[uid(2040)] == [created]  # the scheme enrolment 4 left
    assert answers[uid(2050)] == [created]
    assert answers[uid(2005)] == [("conflict", "duplicate_enrolment")]
    assert answers[uid(2008)] == [("conflict", "duplicate_enrolment")]
    assert answers[uid(2080)] == [created, updated]
    assert answers[uid(1006)] == [("conflict", "stale_version")]
    assert answers[uid(2023)] == [("rejected", "unknown_person")]
    assert answers[uid(2060)] == [("conflict", "duplicate_enrolment")]
    assert answers[uid(1023)] == [created]
    assert answers[uid(1002)] == [("already_applied", None)]
    assert answers[uid(1022)] == [("rejected", "invalid_id_number")]


def test_a_collision_mid_batch_costs_only_the_records_around_it(two_urls, monkeypatch):  # noqa: F811
    """One enrolment that breaks a constraint in the middle of 60 records: it is answered
    alone, the rest go through together (a few halves), answers as record by record."""
    run = [
        item
        for n in range(40, 70)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ]
    run.insert(31, ("enrolment", enrolment(99, 1)))  # person 1 has this scheme already
    fast, slow = (county(url) for url in two_urls)
    alone = intake._apply_alone
    calls: list[str] = []

    def counted(conn, record, origin):
        calls.append(record.entity_type)
        return alone(conn, record, origin)

    monkeypatch.setattr(intake, "_apply_alone", counted)
    try:
        fast_answers = [
            send(fast, uid(610), batch(SEED, start=100)),
            send(fast, uid(611), batch(run, start=300)),
        ]
        assert 1 <= len(calls) <= intake.ALONE_BELOW
        _forced_alone(monkeypatch)
        slow_answers = [
            send(slow, uid(610), batch(SEED, start=100)),
            send(slow, uid(611), batch(run, start=300)),
        ]
        assert fast_answers == slow_answers
        assert registry_contents(fast) == registry_contents(slow)
    finally:
        fast.close()
        slow.close()
    statuses = [(r["status"], r.get("code")) for r in fast_answers[1]]
    assert statuses.pop(31) == ("conflict", "duplicate_enrolment")
    assert statuses == [("created", None)] * 60


def test_a_replayed_batch_answers_alike_and_writes_nothing(two_urls):  # noqa: F811
    db = county(two_urls[0])
    try:
        first = send(db, uid(620), batch(SEED, start=100))
        second = send(db, uid(621), batch(MIXED, start=200))
        held = registry_contents(db)
        # The same bytes under the same id: the stored answer, nothing applied again.
        assert send(db, uid(620), batch(SEED, start=100)) == first
        assert send(db, uid(621), batch(MIXED, start=200)) == second
        assert registry_contents(db) == held
        # The same records under a new batch id: each already applied, nothing written.
        again = send(db, uid(622), batch(SEED, start=100))
        assert {r["status"] for r in again} == {"already_applied"}
        assert registry_contents(db) == held
    finally:
        db.close()


def test_writes_are_set_based(tmp_path):
    """On SQLite (SQLAlchemy sees every statement there): a batch of 200 records takes as
    many statements as one of 20, since each table's rows go in one statement."""
    db = county(f"sqlite:///{tmp_path / 'county.db'}")
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def cost(name: str, people: range, start: int) -> int:
        records = [
            item for n in people for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
        ]
        statements.clear()
        answers = send(db, uid(630 + start), batch(records, start=start))
        assert {r["status"] for r in answers} == {"created"}, name
        return len(statements)

    try:
        assert cost("small", range(100, 110), 1000) == cost("large", range(200, 300), 2000)
    finally:
        db.close()


def test_another_centre_cannot_overwrite_within_a_set_based_batch(devices, server):  # noqa: F811
    """B's batch mixes its own new people with updates of A's: B's are written together,
    A's refused, and A's rows stay as they were."""
    a, b = devices
    held = _a_holdings(a)
    before = county_rows(server.db_url)
    own = [b.record("person", {**person(n), "id": str(uuid.uuid4())}) for n in range(70, 76)]
    attacks = [
        b.record("person", a_person(uuid.UUID(held["person"]["id"]), version=2, name="欧阳假名")),
        b.record("enrolment", held["enrolment"] | {"version": 2, "status": "ended"}),
    ]
    _, results = b.send(own[0], attacks[0], *own[1:4], attacks[1], *own[4:])
    by_id = {r["record_id"]: r for r in results}
    assert [by_id[r["id"]]["status"] for r in own] == ["created"] * 6
    for attack in attacks:
        assert (by_id[attack["id"]]["status"], by_id[attack["id"]]["code"]) == (
            "rejected",
            "not_owner",
        )
    after = county_rows(server.db_url)
    assert [row for row in after["person"] if B_CODE not in row] == before["person"]
    assert after["enrolment"] == before["enrolment"]
    assert all(A_CODE in row for row in before["person"])


def test_a_write_certain_to_fail_is_answered_as_if_sent(two_urls, monkeypatch):  # noqa: F811
    """Alone, a record whose person is missing or whose ID number another person holds is
    answered without sending its write: exactly as when the write is sent and fails."""
    colliding = [
        ("person", {**person(90), "id_number": person(1)["id_number"]}),  # held by person 1
        ("enrolment", enrolment(90, 90)),  # its person was turned away
        ("survey_entry", {"id": uid(6090), "person_id": uid(1090)}),
        ("person", {**person(2, 2), "id_number": person(3)["id_number"]}),  # an update
        ("person", person(91)),
        ("enrolment", enrolment(91, 91)),
    ]
    fast, slow = (county(url) for url in two_urls)
    sent: list[bool] = []
    certain = intake.AloneStore._certain_to_fail

    def watched(store, table, entity_id, values):
        sent.append(certain(store, table, entity_id, values))
        return sent[-1]

    _forced_alone(monkeypatch)
    monkeypatch.setattr(intake.AloneStore, "_certain_to_fail", watched)
    try:
        fast_answers = [
            send(fast, uid(640 + n), batch(b, start=100 * (n + 1)))
            for n, b in enumerate((SEED, colliding, MIXED))
        ]
        assert sent.count(True) >= 4  # the four writes above were never sent
        monkeypatch.setattr(intake.AloneStore, "_certain_to_fail", lambda *args: False)
        slow_answers = [
            send(slow, uid(640 + n), batch(b, start=100 * (n + 1)))
            for n, b in enumerate((SEED, colliding, MIXED))
        ]
        assert fast_answers == slow_answers
        assert registry_contents(fast) == registry_contents(slow)
    finally:
        fast.close()
        slow.close()
    codes = [(r["status"], r.get("code")) for r in fast_answers[1]]
    assert codes == [
        ("conflict", "duplicate_id_number"),
        ("rejected", "unknown_person"),
        ("rejected", "unknown_person"),
        ("conflict", "duplicate_id_number"),
        ("created", None),
        ("created", None),
    ]

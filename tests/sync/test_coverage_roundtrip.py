"""Coverage statuses travel through the real county server to the other centres of the
township, and nowhere else; the county refuses what a device may not write.

Centre A (320583101) records a household, two members, an enrolment with a payment
(statuses derived from records) and survey answers, and syncs. Centre B of the same
township (3205831019) pulls and sees the same household and the same statuses; centre C
of another township (320583102) gets none of it. Then B's genuine device, and A's, send
hand-made coverage records an attacker or a broken client would: another centre's person,
an id that is not ``coverage_id(person, line)``, a batch sent twice.

One county server and three centres per backend (SQLite, PostgreSQL): the tests of this
module read the state the first fixture built, and each attack checks that it changed
nothing.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from caseworker.domain.coverage import coverage_id, line_codes
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import StatusAnswer, record_answers, statuses_of
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.journal import record_change
from caseworker.services.payments import record_payment
from caseworker.store.models import CoverageStatus, Household, OutboxEntry, Person, new_id
from caseworker.store.wire import WIRE
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER, RegistryFeed, RegistryItem
from caseworker.sync.pull import apply_registry_page, get_cursor
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Coverage, RegistryChange
from tests.upstream.harness import (
    FAST_RETRY,
    TODAY,
    Server,
    connect,
    new_centre,
    person,
    postgres_problem,
)
from tests.upstream.test_ownership import Device as _Device

A_CODE, B_CODE, C_CODE = "320583101", "3205831019", "320583102"
TOWNSHIP = "320583101"
VILLAGE = "320583101201"


class Device(_Device):
    """A centre's registered device sending hand-made records; keeps each batch's exact
    bytes, so the very same batch can be sent again (a retry after a lost answer)."""

    def send(self, *records: dict) -> tuple[bytes, list[dict]]:
        batch_id = uuid.uuid4()
        body = json.dumps(
            {
                "protocol": "1",
                "batch_id": str(batch_id),
                "device_id": str(self.signer.device_id),
                "centre_code": self.signer.centre_code,
                "sealed_at": datetime.now(UTC).isoformat(),
                "records": list(records),
            },
            ensure_ascii=False,
        ).encode()
        self.last = (batch_id, body)
        answer = self.resend()
        return answer, json.loads(answer)["results"]

    def resend(self) -> bytes:
        batch_id, body = self.last
        headers = {
            DEVICE_HEADER: str(self.signer.device_id),
            SIGNATURE_HEADER: base64.b64encode(self.signer.sign(body)).decode(),
        }
        response = httpx.put(
            f"{self.server.base}/v1/batches/{batch_id}", content=body, headers=headers, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.content


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One county server for the whole module, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('county') / 'upstream.db'}"
        schema = None
    else:
        problem = postgres_problem()
        if problem:
            pytest.skip(problem)
        import psycopg

        schema = f"cw_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {schema}")
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    open_upstream(url).close()
    server = Server(url).start()
    yield server
    server.stop()
    if schema is not None:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")


def new_household(session: OpenSession, village: str, address: str) -> uuid.UUID:
    """A household as a visit records it: the row, its outbox entry and audit row."""
    with session.database.writing() as db:
        household = Household(
            id=new_id(),
            village_code=village,
            address_detail=address,
            created_by=session.actor.operator_id,
        )
        db.add(household)
        db.flush()
        record_change(
            db,
            session.actor,
            action="household.create",
            entity_type="household",
            entity_id=household.id,
            operation="upsert",
            payload=WIRE["household"].snapshot(household),
        )
        return household.id


@dataclass
class Township:
    a: OpenSession
    b: OpenSession
    c: OpenSession
    server: Server
    household: uuid.UUID
    paid: uuid.UUID  # enrolled in both residents' schemes, pension paid: derived statuses
    surveyed: uuid.UUID  # no records: what the survey said


@pytest.fixture(scope="module")
def township(county: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Township]:
    root = tmp_path_factory.mktemp("centres")
    a = new_centre(root / "a", A_CODE, "玉山镇社会保障服务中心")
    b = new_centre(root / "b", B_CODE, "玉山镇第二服务点")
    c = new_centre(root / "c", C_CODE, "周市镇社会保障服务中心")
    for centre in (a, b, c):
        connect(centre, county)
    household = new_household(a, VILLAGE, "玉山镇同丰村3组12号")
    paid = enrol(
        a.database,
        a.actor,
        replace(person(1), household_id=household),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    record_payment(a.database, a.actor, person_id=paid, scheme="resident_pension", today=TODAY)
    surveyed = enrol(
        a.database,
        a.actor,
        replace(person(2, name="李建国"), household_id=household),
        [],
        today=TODAY,
    ).person_id
    record_answers(
        a.database,
        a.actor,
        [
            StatusAnswer(surveyed, "pension", "not_insured", reason="unwilling"),
            StatusAnswer(surveyed, "medical", "insured_elsewhere", insured_where="江苏省苏州市"),
            StatusAnswer(surveyed, "injury", "not_applicable", reason="not_working", note="务农"),
        ],
        day=TODAY,
    )
    report = run_sync(a.database, retry=FAST_RETRY)
    assert set(report.counts) == {"accepted"}, report.counts
    yield Township(a, b, c, county, household, paid, surveyed)
    for centre in (a, b, c):
        centre.close()


def _statuses(session: OpenSession, person_id: uuid.UUID) -> dict[str, tuple]:
    """What a status says, without who wrote it here (operator, look-again date)."""
    with session.database.reading() as db:
        return {
            line: (v.status, v.scheme, v.reason, v.insured_where, v.as_of, v.source, v.note)
            for line, v in statuses_of(db, person_id).items()
        }


def _versions(session: OpenSession, person_id: uuid.UUID) -> dict[str, int]:
    with session.database.reading() as db:
        rows = db.scalars(select(CoverageStatus).where(CoverageStatus.person_id == person_id))
        return {row.line: row.version for row in rows}


def _county(server: Server) -> dict[str, Any]:
    """The county's coverage rows and registry feed, to compare before and after an attack."""
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            rows = {
                str(r.id): (r.version, r.centre_code, json.dumps(r.payload, sort_keys=True))
                for r in session.scalars(select(Coverage))
            }
            feed = [
                (r.seq, r.township_code, r.entity_type, str(r.entity_id), r.version)
                for r in session.scalars(select(RegistryChange).order_by(RegistryChange.seq))
            ]
        return {"coverage": rows, "feed": feed}
    finally:
        db.close()


def test_derived_and_surveyed_statuses_went_up(township: Township):
    t = township
    paid = _statuses(t.a, t.paid)
    assert paid["pension"][:3] == ("insured_here", "resident_pension", None)
    assert paid["pension"][5] == "payment"
    assert paid["medical"][:3] == ("not_insured", "resident_medical", "lapsed")  # not paid
    assert _statuses(t.a, t.surveyed)["medical"][3] == "江苏省苏州市"
    county = _county(t.server)
    written = {
        str(coverage_id(p, line)) for p in (t.paid, t.surveyed) for line in ("pension", "medical")
    } | {str(coverage_id(t.surveyed, "injury"))}
    assert set(county["coverage"]) == written  # the injury line of `paid` was never written
    assert all(centre == A_CODE for _, centre, _ in county["coverage"].values())
    with t.a.database.reading() as db:
        waiting = db.scalar(select(func.count()).where(OutboxEntry.sync_state != "accepted"))
        assert waiting == 0
    kinds = {(township, kind) for _, township, kind, _, _ in county["feed"]}
    assert kinds == {
        (TOWNSHIP, "household"),
        (TOWNSHIP, "person"),
        (TOWNSHIP, "enrolment"),
        (TOWNSHIP, "coverage"),
    }


def test_a_centre_of_the_township_sees_the_same_statuses_and_household(township: Township):
    t = township
    report = run_sync(t.b.database, retry=FAST_RETRY)
    # household, 2 persons, 2 enrolments and 6 status changes: 5 statuses, the pension of
    # `paid` twice (enrolled, then paid); the payment itself is A's business.
    assert (report.registry_applied, report.registry_skipped) == (11, 0)
    for person_id in (t.paid, t.surveyed):
        assert _statuses(t.b, person_id) == _statuses(t.a, person_id)
        assert _versions(t.b, person_id) == _versions(t.a, person_id)
    with t.b.database.reading() as db:
        household = db.get(Household, t.household)
        assert (household.village_code, household.address_detail) == (
            VILLAGE,
            "玉山镇同丰村3组12号",
        )
        members = db.scalars(select(Person).where(Person.household_id == t.household)).all()
        assert {m.id for m in members} == {t.paid, t.surveyed}
        assert {m.owner_centre_code for m in members} == {A_CODE}
        # Pulled rows are the county's: nothing goes back up, nobody of B wrote them.
        assert db.scalar(select(func.count()).select_from(OutboxEntry)) == 0
        pulled = db.scalars(select(CoverageStatus).where(CoverageStatus.version > 0)).all()
        assert len(pulled) == 5 and {row.operator_id for row in pulled} == {None}
    # Nothing new: the next pull applies nothing.
    assert run_sync(t.b.database, retry=FAST_RETRY).registry_applied == 0


def test_a_centre_of_another_township_gets_none_of_it(township: Township):
    t = township
    report = run_sync(t.c.database, retry=FAST_RETRY)
    assert report.registry_applied == 0 and report.registry_skipped == 0
    with t.c.database.reading() as db:
        for model in (Person, Household):
            assert db.scalar(select(func.count()).select_from(model)) == 0
        assert db.scalar(select(func.count()).select_from(CoverageStatus)) == 0
    # Every household and status is filed under A's township, none under C's.
    townships = {township for _, township, _, _, _ in _county(t.server)["feed"]}
    assert townships == {TOWNSHIP}


def _status_payload(person_id: uuid.UUID, line: str, version: int, **fields: Any) -> dict:
    return {
        "id": str(coverage_id(person_id, line)),
        "version": version,
        "person_id": str(person_id),
        "line": line,
        "status": "insured_here",
        "scheme": None,
        "reason": None,
        "insured_where": None,
        "as_of": TODAY.isoformat(),
        "source": "survey",
        "note": None,
        **fields,
    }


def test_another_centres_device_cannot_write_a_status(township: Township):
    t = township
    before = _county(t.server)
    attacker = Device(t.b, t.server)
    # Over A's row (a high version, so only ownership stops it) and on a line never written.
    _, results = attacker.send(
        attacker.record("coverage", _status_payload(t.surveyed, "pension", 99)),
        attacker.record("coverage", _status_payload(t.paid, "injury", 1)),
    )
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "not_owner")] * 2
    assert all(r["owner"]["centre_code"] == A_CODE for r in results)
    assert "参保状态" in results[0]["message"] and "coverage status" in results[0]["message"]
    assert "server_copy" not in results[0]  # nothing of A's record goes to B
    assert _county(t.server) == before


def test_a_status_under_another_id_is_rejected(township: Township):
    t = township
    before = _county(t.server)
    device = Device(t.a, t.server)
    wrong_line = _status_payload(t.surveyed, "pension", 5) | {
        "id": str(coverage_id(t.surveyed, "medical"))
    }
    random_id = _status_payload(t.surveyed, "pension", 5) | {"id": str(uuid.uuid4())}
    wrong_reason = _status_payload(t.surveyed, "pension", 5, status="not_insured", reason="student")
    _, results = device.send(
        device.record("coverage", wrong_line),
        device.record("coverage", random_id),
        device.record("coverage", wrong_reason),
    )
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "coverage_id_mismatch"),
        ("rejected", "coverage_id_mismatch"),
        ("rejected", "invalid_reason"),
    ]
    assert str(coverage_id(t.surveyed, "pension")) in results[1]["message"]
    assert "not_insured_reason" in results[2]["message"]
    assert _county(t.server) == before


def test_a_replayed_batch_gets_the_same_answer_and_doubles_nothing(township: Township):
    t = township
    # B up to date first: the module's centres are shared, and this test may run first (or
    # alone, on a worker of its own), when B's first pull would bring everything A sent.
    run_sync(t.b.database, retry=FAST_RETRY)
    device = Device(t.a, t.server)
    version = _versions(t.a, t.surveyed)["pension"] + 1
    record = device.record(
        "coverage",
        _status_payload(
            t.surveyed, "pension", version, status="not_insured", reason="cannot_afford"
        ),
    )
    first, results = device.send(record)
    assert [r["status"] for r in results] == ["updated"]
    after_first = _county(t.server)
    # The same bytes again (a retry after a lost answer): the stored answer, byte for byte.
    assert device.resend() == first
    # The same record in a new batch: already applied; the same version and payload too.
    _, repeat = device.send(record)
    assert [r["status"] for r in repeat] == ["already_applied"]
    _, same = device.send(device.record("coverage", dict(record["payload"])))
    assert [r["status"] for r in same] == ["already_applied"]
    assert _county(t.server) == after_first
    entity = str(coverage_id(t.surveyed, "pension"))
    assert [v for _, _, kind, e, v in after_first["feed"] if e == entity][-1] == version
    # An older version than the county holds: a conflict with the county's copy (A's own).
    _, stale = device.send(
        device.record("coverage", _status_payload(t.surveyed, "pension", version - 1))
    )
    assert stale[0]["status"] == "conflict" and stale[0]["code"] == "stale_version"
    assert stale[0]["server_copy"]["reason"] == "cannot_afford"
    # B's next pull brings the new answer, once.
    assert run_sync(t.b.database, retry=FAST_RETRY).registry_applied == 1
    assert _statuses(t.b, t.surveyed)["pension"][:3] == ("not_insured", None, "cannot_afford")


def test_a_pull_never_overwrites_an_unsent_status(township: Township):
    """B's pull skips a status B has not settled (here: A's own pull of a page naming a
    status A changed and has not sent); the next page once sent applies."""
    t = township
    # A's statuses at the county and B up to date first (the module's centres are shared, and
    # this test may run first, or alone on a worker of its own).
    run_sync(t.a.database, retry=FAST_RETRY)
    run_sync(t.b.database, retry=FAST_RETRY)
    record_answers(
        t.a.database,
        t.a.actor,
        [StatusAnswer(t.surveyed, "medical", "not_insured", reason="working_away")],
        day=TODAY,
    )
    local = _versions(t.a, t.surveyed)["medical"]
    with t.a.database.reading() as db:
        cursor = get_cursor(db, "registry")  # kept: this page is made up
    item = RegistryItem(
        seq=cursor,
        entity_type="coverage",
        entity_id=coverage_id(t.surveyed, "medical"),
        version=local + 5,
        centre_code=A_CODE,
        payload=_status_payload(t.surveyed, "medical", local + 5),
    )
    page = RegistryFeed(township_code=TOWNSHIP, items=[item], cursor=cursor, more=False)
    with t.a.database.writing() as db:
        counts = apply_registry_page(db, page)
        assert (counts.applied, counts.skipped) == (0, 1)
    assert _statuses(t.a, t.surveyed)["medical"][2] == "working_away"
    # An unknown person's status and a status whose id does not match are skipped too.
    stranger = uuid.uuid4()
    odd = [
        item.model_copy(
            update={
                "entity_id": coverage_id(stranger, "pension"),
                "payload": _status_payload(stranger, "pension", 1),
            }
        ),
        item.model_copy(update={"entity_id": coverage_id(t.surveyed, "pension")}),
    ]
    with t.b.database.reading() as db:
        cursor = get_cursor(db, "registry")
    with t.b.database.writing() as db:
        counts = apply_registry_page(db, page.model_copy(update={"items": odd, "cursor": cursor}))
        assert (counts.applied, counts.skipped) == (0, 2)
    assert set(line_codes()) == set(_versions(t.b, t.surveyed))


def test_a_household_is_filed_under_its_villages_township(township: Township):
    """A household has no person to take a township from: its village decides (first nine
    digits of the village code), else the sending centre's township."""
    t = township
    device = Device(t.a, t.server)
    elsewhere, unplaced = uuid.uuid4(), uuid.uuid4()
    _, results = device.send(
        device.record(
            "household",
            {
                "id": str(elsewhere),
                "version": 1,
                "village_code": "320583102203",
                "address_detail": "周市镇",
            },
        ),
        device.record(
            "household",
            {"id": str(unplaced), "version": 1, "village_code": None, "address_detail": "待核实"},
        ),
    )
    assert [r["status"] for r in results] == ["created", "created"]
    filed = {
        entity: township
        for _, township, kind, entity, _ in _county(t.server)["feed"]
        if kind == "household"
    }
    assert filed[str(elsewhere)] == C_CODE and filed[str(unplaced)] == TOWNSHIP
    assert run_sync(t.c.database, retry=FAST_RETRY).registry_applied == 1
    with t.c.database.reading() as db:
        assert [h.id for h in db.scalars(select(Household))] == [elsewhere]

"""Stays at employers (增员 … 减员) come back through the real county server to the township's
other centres, without the wage base; a client that does not ask for them is not sent them
and still moves past them; nothing of them reaches another township.

Centre A (320583101) registers an employer, enrols it, takes on 林小燕 at a base of 5,000.00
and 周大海 at 6,200.00, who then leaves; A syncs. Centre B of the same township
(3205831019) pulls with the current client; centre C of another township (320583102) pulls
too. Raw signed GETs by other registered devices play the older client, A's second computer
and an attacker holding B's or C's device key. One county per backend (SQLite, PostgreSQL):
the tests read the state the fixture built, in order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.services.base_declaration import declare_bases, preview_declaration
from caseworker.services.centre import OpenSession
from caseworker.services.employer_papers import roster_pdf
from caseworker.services.employer_rolls import employment_history, roster
from caseworker.services.employers import EmployerInput, employee_ids, register_employer
from caseworker.services.employment import JoinInput, join_employee, leave_employee
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.left_out import left_out_by_employer
from caseworker.services.registry import person_detail
from caseworker.services.validation import PersonInput
from caseworker.store.models import Employer, Employment, Enrolment, OutboxEntry, Person
from caseworker.sync.batches import Signer
from caseworker.sync.client import Transport
from caseworker.sync.protocol import RegistryFeed
from caseworker.sync.pull import apply_registry_page, get_cursor
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import RegistryChange
from tests.printing.conftest import compact, pdftotext
from tests.services.test_employment import ALL, enrol_all
from tests.sync.test_coverage_roundtrip import A_CODE, B_CODE, C_CODE, TOWNSHIP, Device
from tests.sync.test_coverage_roundtrip import county as county
from tests.upstream.harness import (
    FAST_RETRY,
    TODAY,
    Server,
    connect,
    new_centre,
    register_raw_device,
    signed_get,
)

STAYS = "/v1/feeds/registry?since=0&limit=500&include=employer,employment"
PLAIN = "/v1/feeds/registry?since=0&limit=500"
LIN = "320583199001010010"
ZHOU = make_id_number("320583", date(1988, 5, 5), 211)
LIN_BASE, ZHOU_BASE = 500_000, 620_000


@dataclass
class Township:
    a: OpenSession
    b: OpenSession
    c: OpenSession
    server: Server
    employer: uuid.UUID
    lin: uuid.UUID
    zhou: uuid.UUID
    lin_stay: uuid.UUID
    zhou_stay: uuid.UUID


def _register(session: OpenSession, number: str, name: str) -> uuid.UUID:
    return enrol(
        session.database,
        session.actor,
        PersonInput(id_number=number, name=name, hukou_village_code="320583101201"),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    ).person_id


@pytest.fixture(scope="module")
def township(county: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Township]:
    root = tmp_path_factory.mktemp("centres")
    a = new_centre(root / "a", A_CODE, "玉山镇社会保障服务中心")
    b = new_centre(root / "b", B_CODE, "玉山镇第二服务点")
    c = new_centre(root / "c", C_CODE, "周市镇社会保障服务中心")
    for centre in (a, b, c):
        connect(centre, county)
    lin, zhou = _register(a, LIN, "林小燕"), _register(a, ZHOU, "周大海")
    employer = register_employer(
        a.database,
        a.actor,
        EmployerInput(
            credit_code=make_uscc("91", "320583", "MA1234567"),
            name="昆山小蜜蜂网络科技有限公司",
            employer_type="internet_startup",
            risk_class=2,
            contact_name="陈经理",
            contact_phone="13912345678",
        ),
    )
    enrol_all(a, employer)
    lin_stay = join_employee(
        a.database, a.actor, employer, JoinInput(LIN, date(2026, 12, 1), ALL, LIN_BASE)
    ).employment_id
    zhou_stay = join_employee(
        a.database, a.actor, employer, JoinInput(ZHOU, date(2026, 12, 1), ALL, ZHOU_BASE)
    ).employment_id
    leave_employee(a.database, a.actor, zhou_stay, date(2026, 12, 31), "resigned")
    report = run_sync(a.database, retry=FAST_RETRY)
    assert set(report.counts) == {"accepted"}, report.counts
    yield Township(a, b, c, county, employer, lin, zhou, lin_stay, zhou_stay)
    for centre in (a, b, c):
        centre.close()


def _feed(server: Server, signer: Signer, path: str) -> dict[str, Any]:
    response = httpx.get(f"{server.base}{path}", headers=signed_get(signer, path), timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _values(value: Any) -> Iterator[Any]:
    """Every key and leaf of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield value


def _stays(session: OpenSession) -> dict[uuid.UUID, tuple]:
    with session.database.reading() as db:
        return {
            s.id: (
                s.person_id,
                s.employer_id,
                s.kind,
                s.start_date,
                s.end_date,
                s.end_reason,
                tuple(s.schemes),
                s.base_fen,
                s.version,
            )
            for s in db.scalars(select(Employment))
        }


def test_the_stays_went_into_the_townships_feed_with_their_employer(township: Township):
    db = open_upstream(township.server.db_url)
    try:
        with db.reading() as session:
            rows = session.scalars(
                select(RegistryChange).where(
                    RegistryChange.entity_type.in_(("employer", "employment"))
                )
            ).all()
    finally:
        db.close()
    # The employer (registered, then enrolled), 林's stay, 周's stay twice (增员, 减员).
    kinds = [(r.township_code, r.entity_type, r.entity_id, r.version) for r in rows]
    assert kinds == [
        (TOWNSHIP, "employer", township.employer, 1),
        (TOWNSHIP, "employer", township.employer, 2),
        (TOWNSHIP, "employment", township.lin_stay, 1),
        (TOWNSHIP, "employment", township.zhou_stay, 1),
        (TOWNSHIP, "employment", township.zhou_stay, 2),
    ]
    # The feed keeps the record as sent; what a reader sees is decided as it reads.
    assert {r.payload.get("base_fen") for r in rows if r.entity_type == "employment"} == {
        LIN_BASE,
        ZHOU_BASE,
    }


def test_a_centre_of_the_township_gets_the_stays_without_the_wage(township: Township):
    t = township
    report = run_sync(t.b.database, retry=FAST_RETRY)
    assert report.registry_skipped == 0
    b_stays, a_stays = _stays(t.b), _stays(t.a)
    assert set(b_stays) == {t.lin_stay, t.zhou_stay}
    for stay_id, held in a_stays.items():
        # Everything but the base, which stays at A: None here, never 0.
        assert b_stays[stay_id][:7] == held[:7] and b_stays[stay_id][8] == held[8]
        assert b_stays[stay_id][7] is None and held[7] is not None
    assert b_stays[t.zhou_stay][4:6] == (date(2026, 12, 31), "resigned")
    with t.b.database.reading() as db:
        employer = db.get_one(Employer, t.employer)
        assert (employer.name, employer.schemes, employer.work_injury_float_bp) == (
            "昆山小蜜蜂网络科技有限公司",
            ALL,
            12000,
        )
        assert employer.owner_centre_code == A_CODE  # A's to change, not B's
        # The employees' enrolments came too, without their base either.
        pension = db.scalars(
            select(Enrolment).where(
                Enrolment.person_id == t.lin, Enrolment.scheme == "employee_pension"
            )
        ).one()
        assert (pension.status, pension.employer_id, pension.base_fen) == (
            "active",
            t.employer,
            None,
        )
        assert db.get_one(Person, t.lin).employer_id == t.employer
        # Pulled rows are the county's: nothing goes back up.
        assert db.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    # The next pull brings nothing new.
    assert run_sync(t.b.database, retry=FAST_RETRY).registry_applied == 0


def test_bs_employers_page_person_page_and_papers_show_the_stays_with_no_base(
    township: Township, tmp_path: Path
):
    t = township
    b = t.b
    assert t.lin in employee_ids(b.database, t.employer)  # the employers page lists 林
    assert person_detail(b.database, str(t.lin)).employer_name == "昆山小蜜蜂网络科技有限公司"
    history = employment_history(b.database, b.actor, t.zhou)
    assert [(h.employer_name, h.end_reason, h.base_fen) for h in history] == [
        ("昆山小蜜蜂网络科技有限公司", "resigned", None)
    ]
    on_roll = roster(b.database, b.actor, t.employer, date(2026, 12, 15))
    assert {(r.person_id, r.base_fen) for r in on_roll} == {(t.lin, None), (t.zhou, None)}
    # The printed roster: a dash for the base and the amounts, nothing summed as 0.
    day = date(2026, 12, 15)
    words = compact(pdftotext(roster_pdf(b.database, b.actor, t.employer, day).pdf, tmp_path))
    assert "林小燕" in words and "5,000" not in words and "6,200" not in words
    assert "每月合计：单位0.00元，个人0.00元（另有2人由其他服务中心办理" in words
    assert "—" in words
    # The base declaration is the owning centre's: B has nobody to declare.
    assert preview_declaration(b.database, b.actor, t.employer, 2027, on=day).rows == ()
    # At A, the same papers carry the base.
    at_a = roster_pdf(t.a.database, t.a.actor, t.employer, day).pdf
    assert "5,000" in compact(pdftotext(at_a, tmp_path))
    declared = preview_declaration(t.a.database, t.a.actor, t.employer, 2027, on=day)
    assert {(r.person_id, r.current_base_fen) for r in declared.rows} == {
        (t.lin, LIN_BASE),
        (t.zhou, ZHOU_BASE),
    }
    # 林 is insured through the employer: left out nowhere.
    left_out = left_out_by_employer(b.database, b.actor)
    assert t.lin not in {p.person_id for e in left_out for p in e.people}


def test_another_centres_device_pulling_the_feed_gets_no_wage(township: Township):
    """An attacker holding B's device key (same township) reads the stays and enrolments
    but no wage base of A's, in any field."""
    attacker = register_raw_device(township.server, B_CODE, device_number=2)
    feed = _feed(township.server, attacker, STAYS)
    kinds = {item["entity_type"] for item in feed["items"]}
    assert {"employer", "employment", "enrolment", "person"} <= kinds
    leaves = list(_values(feed))
    assert "base_fen" not in leaves
    assert LIN_BASE not in leaves and ZHOU_BASE not in leaves
    assert all(
        "base_fen" not in item["payload"]
        for item in feed["items"]
        if item["entity_type"] in ("employment", "enrolment")
    )
    stays = [i for i in feed["items"] if i["entity_type"] == "employment"]
    assert {(s["payload"]["kind"], s["payload"]["start_date"]) for s in stays} == {
        ("employee", "2026-12-01")
    }


def test_the_owning_centres_other_computer_gets_the_full_record(township: Township):
    second = register_raw_device(township.server, A_CODE, device_number=2)
    feed = _feed(township.server, second, STAYS)
    bases = {
        uuid.UUID(i["entity_id"]): i["payload"]["base_fen"]
        for i in feed["items"]
        if i["entity_type"] == "employment"
    }
    assert bases == {township.lin_stay: LIN_BASE, township.zhou_stay: ZHOU_BASE}
    enrolled = [
        i["payload"]
        for i in feed["items"]
        if i["entity_type"] == "enrolment" and i["payload"]["scheme"] == "employee_pension"
    ]
    assert {e["base_fen"] for e in enrolled} == {LIN_BASE, ZHOU_BASE}


def test_a_centre_of_another_township_gets_nothing_of_it(township: Township):
    t = township
    report = run_sync(t.c.database, retry=FAST_RETRY)
    assert (report.registry_applied, report.registry_skipped) == (0, 0)
    with t.c.database.reading() as db:
        for model in (Employment, Employer, Person, Enrolment):
            assert db.scalar(select(func.count()).select_from(model)) == 0
    attacker = register_raw_device(t.server, C_CODE, device_number=2)
    assert _feed(t.server, attacker, STAYS)["items"] == []


class _OldItem(BaseModel):
    """The registry item as a client of the previous release reads it: a closed list."""

    seq: int
    entity_type: Literal["person", "enrolment", "household", "coverage"]
    entity_id: uuid.UUID
    version: int
    centre_code: str
    payload: dict[str, Any]


class _OldFeed(BaseModel):
    township_code: str | None
    items: list[_OldItem]
    cursor: int
    more: bool


def test_a_client_that_does_not_ask_gets_no_stay_and_still_moves_past_them(
    township: Township,
):
    t = township
    old = register_raw_device(t.server, B_CODE, device_number=3)
    asked = _feed(t.server, old, STAYS)
    with pytest.raises(ValueError, match="entity_type"):
        _OldFeed.model_validate(asked)  # what an older client would do with them
    plain = _OldFeed.model_validate(_feed(t.server, old, PLAIN))
    assert {i.entity_type for i in plain.items} <= {"person", "enrolment", "coverage"}
    assert plain.cursor == asked["cursor"] == max(i["seq"] for i in asked["items"])
    # Page by page, one row at a time: pages of a stay come empty, the cursor moves on,
    # and the walk ends where the asking client's does, with the same other items.
    transport = Transport(t.server.base, old, FAST_RETRY)
    try:
        since, seen, empty = 0, [], 0
        while True:
            page = transport.registry_feed(since, 1, include=())
            _OldFeed.model_validate(page.model_dump(mode="json"))
            empty += not page.items
            seen += [i.seq for i in page.items]
            assert page.cursor > since or not page.more
            since = page.cursor
            if not page.more:
                break
    finally:
        transport.close()
    assert since == asked["cursor"]
    assert seen == [i.seq for i in plain.items]
    assert empty == 5  # the employer twice and three stay changes, moved past


def test_a_captured_feed_request_cannot_be_replayed_or_widened(township: Township):
    t = township
    attacker = register_raw_device(t.server, B_CODE, device_number=4)
    headers = signed_get(attacker, PLAIN)
    first = httpx.get(f"{t.server.base}{PLAIN}", headers=headers, timeout=30)
    assert first.status_code == 200
    again = httpx.get(f"{t.server.base}{PLAIN}", headers=headers, timeout=30)
    assert (again.status_code, again.json()["code"]) == (403, "replayed_request")
    # The captured signature over the plain path does not cover an include added to it.
    fresh = signed_get(attacker, PLAIN)
    widened = httpx.get(f"{t.server.base}{STAYS}", headers=fresh, timeout=30)
    assert (widened.status_code, widened.json()["code"]) == (403, "bad_signature")
    assert "employment" not in widened.text
    # An include the county does not know is refused, not quietly read as none.
    odd = "/v1/feeds/registry?since=0&include=payment"
    response = httpx.get(f"{t.server.base}{odd}", headers=signed_get(attacker, odd), timeout=30)
    assert response.status_code == 422


def test_a_leave_at_the_owner_comes_to_b_and_a_base_change_does_not(township: Township):
    t = township
    declare_bases(t.a.database, t.a.actor, t.employer, 2027, {t.lin_stay: 800_000})
    leave_employee(t.a.database, t.a.actor, t.lin_stay, date(2027, 3, 31), "contract_ended")
    assert set(run_sync(t.a.database, retry=FAST_RETRY).counts) == {"accepted"}
    run_sync(t.b.database, retry=FAST_RETRY)
    lin = _stays(t.b)[t.lin_stay]
    assert lin[4:6] == (date(2027, 3, 31), "contract_ended") and lin[7] is None
    assert lin[8] == _stays(t.a)[t.lin_stay][8]  # the same version as the owner's
    assert _stays(t.a)[t.lin_stay][7] == 800_000


def test_a_pull_never_overwrites_a_stay_with_unsent_changes(township: Township):
    t = township
    # 周 comes back: a new stay, not yet sent.
    again = join_employee(
        t.a.database, t.a.actor, t.employer, JoinInput(ZHOU, date(2027, 2, 1), ALL, ZHOU_BASE)
    ).employment_id
    local = _stays(t.a)[again]
    with t.a.database.reading() as db:
        cursor = get_cursor(db, "registry")
    item = {
        "seq": cursor,
        "entity_type": "employment",
        "entity_id": str(again),
        "version": local[8] + 5,
        "centre_code": A_CODE,
        "payload": {
            "id": str(again),
            "version": local[8] + 5,
            "person_id": str(t.zhou),
            "employer_id": str(t.employer),
            "kind": "employee",
            "start_date": "2027-02-01",
            "end_date": "2027-02-28",
            "end_reason": None,
            "schemes": ALL,
        },
    }
    page = RegistryFeed.model_validate(
        {"township_code": TOWNSHIP, "items": [item], "cursor": cursor, "more": False}
    )
    with t.a.database.writing() as db:
        counts = apply_registry_page(db, page)
    assert (counts.applied, counts.skipped) == (0, 1)
    assert _stays(t.a)[again] == local
    # A stay naming a person or an employer unknown here is skipped, not half-written.
    stranger = json.loads(json.dumps(item))
    stranger["entity_id"] = stranger["payload"]["id"] = str(uuid.uuid4())
    stranger["payload"]["employer_id"] = str(uuid.uuid4())
    page = RegistryFeed.model_validate(
        {"township_code": TOWNSHIP, "items": [stranger], "cursor": cursor, "more": False}
    )
    with t.b.database.writing() as db:
        assert apply_registry_page(db, page).skipped == 1
    assert uuid.UUID(stranger["entity_id"]) not in _stays(t.b)
    assert set(run_sync(t.a.database, retry=FAST_RETRY).counts) == {"accepted"}


def test_a_replayed_stay_batch_is_answered_again_and_files_nothing_twice(township: Township):
    """A's device sends a stay change, then the very same bytes again (a retry after a lost
    answer, or a listener replaying it): the stored answer, and one feed row, not two."""
    t = township
    device = Device(t.a, t.server)
    version = _stays(t.a)[t.zhou_stay][8] + 1
    payload = {
        "id": str(t.zhou_stay),
        "version": version,
        "person_id": str(t.zhou),
        "employer_id": str(t.employer),
        "kind": "employee",
        "start_date": "2026-12-01",
        "end_date": "2026-12-31",
        "end_reason": "dismissed",
        "schemes": ALL,
        "base_fen": ZHOU_BASE,
    }
    first, results = device.send(device.record("employment", payload))
    assert [r["status"] for r in results] == ["updated"]

    def filed() -> int:
        db = open_upstream(t.server.db_url)
        try:
            with db.reading() as session:
                query = select(func.count()).where(RegistryChange.entity_id == t.zhou_stay)
                return session.scalar(query.select_from(RegistryChange))
        finally:
            db.close()

    before = filed()
    assert device.resend() == first
    assert filed() == before
    # B's next pull brings the new reason, still without the base.
    run_sync(t.b.database, retry=FAST_RETRY)
    zhou = _stays(t.b)[t.zhou_stay]
    assert (zhou[5], zhou[7], zhou[8]) == ("dismissed", None, version)


def test_a_migrant_workers_stay_reaches_the_township_of_their_hukou_with_its_employer(
    township: Township,
):
    """A takes on 吴小军, whose hukou is in C's township: his person record goes to C's feed, and
    so must his stay and, before it, the employer it names (whose own rows go to A's township
    only) — else C would skip the stay for want of the employer. Still without the base."""
    t = township
    wu_number = make_id_number("320583", date(1995, 3, 3), 315)
    wu = enrol(
        t.a.database,
        t.a.actor,
        PersonInput(id_number=wu_number, name="吴小军", hukou_village_code="320583102203"),
        [],
        today=TODAY,
    ).person_id
    stay = join_employee(
        t.a.database, t.a.actor, t.employer, JoinInput(wu_number, date(2026, 12, 1), ALL, LIN_BASE)
    ).employment_id
    assert set(run_sync(t.a.database, retry=FAST_RETRY).counts) == {"accepted"}

    report = run_sync(t.c.database, retry=FAST_RETRY)
    assert report.registry_skipped == 0
    c_stays = _stays(t.c)
    assert set(c_stays) == {stay}
    assert c_stays[stay][:2] == (wu, t.employer) and c_stays[stay][7] is None
    with t.c.database.reading() as db:
        assert db.get_one(Employer, t.employer).name == "昆山小蜜蜂网络科技有限公司"
        assert db.scalar(select(func.count()).select_from(Person)) == 1  # 吴小军 only
    # Nothing of A's other employees came with it.
    attacker = register_raw_device(t.server, C_CODE, device_number=3)
    feed = _feed(t.server, attacker, STAYS)
    assert {i["entity_id"] for i in feed["items"] if i["entity_type"] == "employment"} == {
        str(stay)
    }
    assert "base_fen" not in set(_values(feed))

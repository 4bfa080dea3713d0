"""Intake applies a batch in one go when nothing collides, and record by record (a savepoint
each) when a constraint fires. Both must answer every record alike and leave the same
registry: the same batches go to two fresh county databases, one as the server runs and
one forced record by record, and everything is compared."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.sync.protocol import DeviceRegistration
from caseworker.upstream import intake
from caseworker.upstream.db import UpstreamDb, open_upstream
from caseworker.upstream.devices import add_centre, issue_token, register_device
from caseworker.upstream.models import (
    AppliedRecord,
    Employer,
    Enrolment,
    Household,
    Payment,
    Person,
    RegistryChange,
    SurveyEntry,
)
from tests.upstream.harness import PG_ADMIN_URL, postgres_problem

CENTRE = "320583101"
DEVICE = uuid.UUID("0190a0b0-0000-7000-8000-000000000001")
OPERATOR = uuid.UUID("0190a0b0-0000-7000-8000-000000000002")
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
CREDIT_CODE = make_uscc("91", "320583", "MA1234567")


@pytest.fixture(params=["sqlite", "postgresql"])
def two_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    if request.param == "sqlite":
        yield [f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"]
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    import psycopg

    schemas = [f"cw_test_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield [f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}" for schema in schemas]
    finally:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


def county(url: str) -> UpstreamDb:
    db = open_upstream(url)
    add_centre(db, CENTRE, "玉山镇社会保障服务中心")
    public = KEY.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    register_device(
        db,
        DeviceRegistration(
            token=issue_token(db, CENTRE),
            centre_code=CENTRE,
            device_id=DEVICE,
            device_number=1,
            public_key=base64.b64encode(public).decode(),
        ),
    )
    return db


def uid(n: int) -> str:
    return str(uuid.UUID(int=n))


def person(n: int, version: int = 1, *, village: str = "320583101201", **extra: Any) -> dict:
    born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    return {
        "id": uid(1000 + n),
        "version": version,
        "id_number": make_id_number("320583", born, 100 + n),
        "name": f"王秀英{n}",
        "hukou_village_code": village,
        **extra,
    }


def enrolment(n: int, person_n: int, version: int = 1, scheme: str = "resident_pension") -> dict:
    return {
        "id": uid(2000 + n),
        "version": version,
        "person_id": uid(1000 + person_n),
        "scheme": scheme,
        "tier_fen": 50000,
    }


def payment(n: int, person_n: int, enrolment_n: int, *, voided: bool = False) -> dict:
    return {
        "id": uid(3000 + n),
        "receipt_number": f"R{n:06d}",
        "scheme": "resident_pension",
        "period_start": f"{2000 + n}-01-01",  # a year per payment: none is a second payment
        "period_end": f"{2000 + n}-12-31",
        "amount_fen": 50000,
        "person_id": uid(1000 + person_n),
        "enrolment_id": uid(2000 + enrolment_n),
        "voided_at": "2026-11-28T09:00:00+00:00" if voided else None,
    }


def batch(records: list[tuple[str, dict] | tuple[str, dict, str]], *, start: int) -> list[dict]:
    out = []
    for n, item in enumerate(records):
        kind, payload = item[0], item[1]
        operation = item[2] if len(item) > 2 else "upsert"  # type: ignore[misc]
        out.append(
            {
                "id": uid(900_000 + start + n),
                "seq": start + n,
                "entity_type": kind,
                "entity_id": payload.get("id") or uid(0),
                "operation": operation,
                "hlc": start + n,
                "operator_id": str(OPERATOR),
                "created_at": "2026-11-27T08:00:00+00:00",
                "payload": payload,
            }
        )
    return out


def send(db: UpstreamDb, batch_id: str, records: list[dict]) -> list[dict]:
    body = json.dumps(
        {
            "protocol": "1",
            "batch_id": batch_id,
            "device_id": str(DEVICE),
            "centre_code": CENTRE,
            "sealed_at": datetime(2026, 11, 27, tzinfo=UTC).isoformat(),
            "records": records,
        },
        ensure_ascii=False,
    ).encode()
    answer = intake.receive_batch(
        db,
        uuid.UUID(batch_id),
        body,
        str(DEVICE),
        base64.b64encode(KEY.sign(body)).decode(),
    )
    return json.loads(answer)["results"]


def registry_contents(db: UpstreamDb) -> dict[str, list]:
    tables = (Person, Enrolment, Payment, Employer, Household, SurveyEntry)
    with db.reading() as session:
        contents = {
            model.__tablename__: [
                {k: v for k, v in row._asdict().items() if k != "updated_at"}
                for row in session.execute(select(model.__table__).order_by(model.id))
            ]
            for model in tables
        }
        contents["registry_change"] = [
            row._asdict()
            for row in session.execute(
                select(RegistryChange.__table__).order_by(RegistryChange.seq)
            )
        ]
        contents["applied_record"] = [
            row._asdict()
            for row in session.execute(
                select(AppliedRecord.__table__).order_by(AppliedRecord.record_id)
            )
        ]
    return contents


BATCHES = [
    # Everything new, in a good order: one go.
    (
        "a",
        [
            ("person", person(1)),
            ("enrolment", enrolment(1, 1)),
            ("person", person(2)),
            ("enrolment", enrolment(2, 2)),
            ("person", person(3)),
            ("employer", {"id": uid(4001), "version": 1, "credit_code": CREDIT_CODE}),
            ("household", {"id": uid(5001), "version": None, "members": [uid(1001)]}),
            ("survey_entry", {"id": uid(6001), "person_id": uid(1001), "answers": {"q1": 2}}),
            ("payment", payment(1, 1, 1), "create"),
            ("person", person(9)),
            ("person", person(9, 2, village="320583102201")),  # created, then updated
            ("enrolment", enrolment(9, 9)),
        ],
    ),
    # Updates, repeats, stale versions and plain rejections: still one go.
    (
        "b",
        [
            ("person", person(1, 2, village="320583102305")),
            ("person", person(2)),  # the same snapshot again
            ("person", person(3, 1, name="别的名字")),  # same version, other snapshot
            ("enrolment", enrolment(2, 2, 2)),
            ("person", {**person(20), "id_number": "320583199913130000"}),  # invalid
            ("enrolment", {**enrolment(20, 20), "person_id": "not a uuid"}),
            ("payment", payment(1, 1, 1, voided=True), "void"),
            ("payment", payment(2, 1, 1, voided=True), "void"),  # unknown payment
            ("household", {"id": uid(5001), "version": 2, "members": []}),
            ("unknown_kind", {"id": uid(7001)}),
            ("person", {**person(21), "id": uid(1)}, "create"),
        ],
    ),
    # Constraints fire: the whole batch goes record by record.
    (
        "c",
        [
            ("person", person(4)),
            ("enrolment", enrolment(5, 5)),  # its person comes later: unknown person
            ("person", person(5)),
            ("person", {**person(6), "id_number": person(4)["id_number"]}),  # same ID number
            ("enrolment", {**enrolment(6, 1), "scheme": "resident_pension"}),  # P1 has one
            ("payment", {**payment(3, 2, 2), "receipt_number": "R000001"}, "create"),
            ("survey_entry", {"id": uid(6002), "person_id": uid(1999)}),  # no such person
            ("person", person(7)),
        ],
    ),
    # After a record-by-record batch, one go again; one record was already applied.
    (
        "d",
        [
            ("person", person(8)),
            ("enrolment", enrolment(8, 8)),
            ("enrolment", enrolment(5, 5)),  # its person is there now
            ("person", person(4, 2)),
        ],
    ),
]


def run_all(db: UpstreamDb) -> list[list[dict]]:
    answers = []
    for n, (_name, records) in enumerate(BATCHES):
        answers.append(send(db, uid(800 + n), batch(records, start=100 * (n + 1))))
    # The same records again under a new batch id: each is already applied or answered alike.
    repeat = batch(BATCHES[0][1], start=100)
    answers.append(send(db, uid(899), repeat))
    return answers


def test_one_go_and_record_by_record_agree(two_urls, monkeypatch):
    fast, slow = (county(url) for url in two_urls)
    alone = intake._apply_alone
    calls: list[str] = []

    def counted(conn, record, origin):
        calls.append(record.entity_type)
        return alone(conn, record, origin)

    monkeypatch.setattr(intake, "_apply_alone", counted)
    try:
        fast_answers = []
        for n, (name, records) in enumerate(BATCHES):
            calls.clear()
            fast_answers.append(send(fast, uid(800 + n), batch(records, start=100 * (n + 1))))
            # Only the batch where constraints fire went record by record.
            assert bool(calls) == (name == "c"), name
        calls.clear()
        fast_answers.append(send(fast, uid(899), batch(BATCHES[0][1], start=100)))
        assert not calls

        def forced(conn, records, origin):
            raise intake._StartOver

        monkeypatch.setattr(intake, "_apply_together", forced)
        slow_answers = run_all(slow)
        assert fast_answers == slow_answers
        assert registry_contents(fast) == registry_contents(slow)
    finally:
        fast.close()
        slow.close()

    statuses = [[r["status"] for r in answer] for answer in fast_answers]
    assert statuses[0] == ["created"] * 10 + ["updated", "created"]
    assert statuses[1] == [
        "updated", "already_applied", "conflict", "updated", "rejected", "rejected",
        "updated", "rejected", "updated", "rejected", "rejected",
    ]  # fmt: skip
    codes = [r.get("code") for r in fast_answers[2]]
    assert codes == [
        None, "unknown_person", None, "duplicate_id_number", "duplicate_enrolment",
        "duplicate_receipt", "unknown_person", None,
    ]  # fmt: skip
    assert statuses[3] == ["created", "created", "created", "updated"]
    assert statuses[4] == ["already_applied"] * 12

"""Ownership and least disclosure at the county, played by another centre's device.

Centre B's genuine, registered device signs batches that aim at centre A's records: an
update of A's person, an enrolment, payment and survey entry for A's person, a void of A's
payment, an update of A's enrolment. Each is refused ``not_owner`` naming A, and nothing in
the county database or its feed changes. A duplicate ID number from B is answered
``registered_elsewhere`` with nothing personal in the answer's bytes.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from caseworker.domain.ids import make_id_number
from caseworker.sync.batches import load_signer
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import (
    Employer,
    Enrolment,
    Household,
    Payment,
    Person,
    RegistryChange,
    SurveyEntry,
)
from tests.upstream.harness import Server, connect, new_centre

A_CODE, A_NAME = "320583101", "玉山镇社会保障服务中心"
B_CODE, B_NAME = "320583102", "周市镇社会保障服务中心"
BORN = date(1971, 3, 14)
ID_NUMBER = make_id_number("320583", BORN, 321)
PHONE, ADDRESS, BANK = "13912345678", "玉山镇前进路88号", "6222020200112233445"
TABLES = (Person, Enrolment, Payment, SurveyEntry, Employer, Household, RegistryChange)


def a_person(entity_id: uuid.UUID, version: int = 1, name: str = "欧阳秀英") -> dict[str, Any]:
    return {
        "id": str(entity_id),
        "version": version,
        "id_number": ID_NUMBER,
        "name": name,
        "birth_date": BORN.isoformat(),
        "phone": PHONE,
        "residence_address": ADDRESS,
        "bank_account": BANK,
        "hukou_village_code": "320583101201",
    }


class Device:
    """A centre's real registered device, sending hand-made records (as an attacker would)."""

    def __init__(self, session: Any, server: Server) -> None:
        with session.database.reading() as db:
            self.signer = load_signer(db)
        self.server = server
        self.operator = session.actor.operator_id
        self.seq = 0

    def record(self, kind: str, payload: dict[str, Any], operation: str = "upsert") -> dict:
        self.seq += 1
        return {
            "id": str(uuid.uuid4()),
            "seq": self.seq,
            "entity_type": kind,
            "entity_id": payload["id"],
            "operation": operation,
            "hlc": self.seq,
            "operator_id": str(self.operator),
            "created_at": datetime.now(UTC).isoformat(),
            "payload": payload,
        }

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
        headers = {
            DEVICE_HEADER: str(self.signer.device_id),
            SIGNATURE_HEADER: base64.b64encode(self.signer.sign(body)).decode(),
        }
        answer = httpx.put(
            f"{self.server.base}/v1/batches/{batch_id}", content=body, headers=headers, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.content, answer.json()["results"]


def county_rows(url: str) -> dict[str, list[tuple]]:
    db = open_upstream(url)
    try:
        with db.reading() as session:
            return {
                model.__tablename__: sorted(
                    tuple(str(value) for value in row)
                    for row in session.execute(select(*model.__table__.columns))
                )
                for model in TABLES
            }
    finally:
        db.close()


@pytest.fixture
def devices(server: Server, tmp_path: Path):
    a = new_centre(tmp_path / "a", A_CODE, A_NAME)
    b = new_centre(tmp_path / "b", B_CODE, B_NAME)
    connect(a, server)
    connect(b, server)
    yield Device(a, server), Device(b, server)
    a.close()
    b.close()


def _a_holdings(a: Device) -> dict[str, dict[str, Any]]:
    """A registers a person, enrols them, takes a payment and records a survey entry."""
    person_id, enrolment_id, payment_id, survey_id = (uuid.uuid4() for _ in range(4))
    held = {
        "person": a_person(person_id),
        "enrolment": {
            "id": str(enrolment_id),
            "version": 1,
            "person_id": str(person_id),
            "scheme": "resident_pension",
            "status": "active",
        },
        "payment": {
            "id": str(payment_id),
            "person_id": str(person_id),
            "enrolment_id": str(enrolment_id),
            "receipt_number": f"{A_CODE}-01-2026-000001",
            "scheme": "resident_pension",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "amount_fen": 50_000,
            "voided_at": None,
        },
        "survey_entry": {
            "id": str(survey_id),
            "version": 1,
            "person_id": str(person_id),
            "scheme": "resident_medical",
            "status": "insured_here",
        },
    }
    _, results = a.send(
        a.record("person", held["person"]),
        a.record("enrolment", held["enrolment"]),
        a.record("payment", held["payment"], "create"),
        a.record("survey_entry", held["survey_entry"]),
    )
    assert [r["status"] for r in results] == ["created"] * 4
    return held


@pytest.mark.parametrize("path", ["together", "one_by_one"])
def test_another_centre_cannot_change_anything_of_ours(devices, server, path):
    a, b = devices
    held = _a_holdings(a)
    person_id = held["person"]["id"]
    before = county_rows(server.db_url)
    attacks = [
        b.record("person", a_person(uuid.UUID(person_id), version=2, name="欧阳假名")),
        b.record("enrolment", held["enrolment"] | {"version": 2, "status": "ended"}),
        b.record(
            "enrolment",
            {"id": str(uuid.uuid4()), "version": 1, "person_id": person_id, "scheme": "x"},
        ),
        b.record(
            "payment",
            held["payment"]
            | {"id": str(uuid.uuid4()), "receipt_number": f"{B_CODE}-01-2026-000001"},
            "create",
        ),
        b.record("payment", held["payment"] | {"voided_at": "2026-11-30T08:00:00+00:00"}, "void"),
        b.record("survey_entry", held["survey_entry"] | {"version": 2, "status": "not_insured"}),
        b.record(
            "survey_entry",
            {"id": str(uuid.uuid4()), "person_id": person_id, "scheme": "s", "status": "x"},
        ),
    ]
    if path == "one_by_one":
        # A constraint that fires sends the whole batch down the record-by-record path.
        other = a_person(uuid.uuid4(), name="欧阳重复")
        attacks.append(b.record("person", other))
    raw, results = b.send(*attacks)
    refused = results[:7]
    assert [r["code"] for r in refused] == ["not_owner"] * 7
    assert {r["status"] for r in refused} == {"rejected"}
    for result in refused:
        assert result["owner"] == {"centre_code": A_CODE, "centre_name": A_NAME}
        assert A_NAME in result["message"] and A_CODE in result["message"]
        assert "server_copy" not in result
    assert "该人员由玉山镇社会保障服务中心（320583101）管理" in refused[0]["message"]
    if path == "one_by_one":
        assert results[7]["code"] == "registered_elsewhere"
    # Nothing changed at the county, nothing went into any feed.
    assert county_rows(server.db_url) == before
    for secret in (PHONE, ADDRESS, BANK, BORN.isoformat(), ID_NUMBER, "秀英"):
        assert secret.encode() not in raw


def test_a_duplicate_id_number_from_another_centre_discloses_nothing(devices, server):
    a, b = devices
    held = _a_holdings(a)
    before = county_rows(server.db_url)
    raw, results = b.send(b.record("person", a_person(uuid.uuid4(), name="欧阳秀英")))
    (result,) = results
    assert (result["status"], result["code"]) == ("conflict", "registered_elsewhere")
    assert "server_copy" not in result and "server_version" not in result
    assert result["elsewhere"] == {
        "centre_code": A_CODE,
        "centre_name": A_NAME,
        "id_number_masked": ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:],
        "name_masked": "欧阳**",
        "schemes": ["resident_pension"],
        "person_id": held["person"]["id"],
    }
    assert "已在玉山镇社会保障服务中心（320583101）登记" in result["message"]
    for secret in (PHONE, ADDRESS, BANK, BORN.isoformat(), ID_NUMBER, "秀英", "19710314"):
        assert secret.encode() not in raw, secret
    assert county_rows(server.db_url) == before
    # The owner's own second computer gets its full copy, as before.
    _, results = a.send(a.record("person", a_person(uuid.uuid4())))
    assert results[0]["code"] == "duplicate_id_number"
    assert results[0]["server_copy"]["phone"] == PHONE


def test_an_update_never_rewrites_the_owner(devices, server):
    a, _ = devices
    held = _a_holdings(a)
    _, results = a.send(a.record("person", a_person(uuid.UUID(held["person"]["id"]), version=2)))
    assert results[0]["status"] == "updated"
    db = open_upstream(server.db_url)
    with db.reading() as session:
        assert set(session.scalars(select(Person.centre_code))) == {A_CODE}
    db.close()

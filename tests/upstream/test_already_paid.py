"""One contribution per person × scheme × period at the county.

A second payment for a period already paid — from another computer of the centre, sent
offline — is refused ``rejected`` / ``already_paid`` naming the other receipt and its centre
and nothing else, on the bulk path and the record-by-record path alike; a void frees the
period; another year, or another scheme, is not a second payment.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.upstream import test_ownership as ownership
from tests.upstream.test_ownership import (
    A_CODE,
    A_NAME,
    ADDRESS,
    BANK,
    ID_NUMBER,
    PHONE,
    a_person,
    county_rows,
)

devices = ownership.devices  # two centres' registered devices (fixture)


def _pension(person_id: str, enrolment_id: str, receipt: str, year: int = 2026) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "person_id": person_id,
        "enrolment_id": enrolment_id,
        "receipt_number": receipt,
        "receipt_line": 1,
        "channel": "desk",
        "scheme": "resident_pension",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "amount_fen": 50_000,
        "voided_at": None,
    }


@pytest.fixture
def registered(devices) -> dict[str, str]:
    a, _ = devices
    person_id, enrolment_id = str(uuid.uuid4()), str(uuid.uuid4())
    _, results = a.send(
        a.record("person", a_person(uuid.UUID(person_id))),
        a.record(
            "enrolment",
            {
                "id": enrolment_id,
                "version": 1,
                "person_id": person_id,
                "scheme": "resident_pension",
                "status": "active",
            },
        ),
    )
    assert [r["status"] for r in results] == ["created", "created"]
    return {"person": person_id, "enrolment": enrolment_id}


@pytest.mark.parametrize("path", ["together", "one_by_one"])
def test_the_same_period_twice_is_refused_naming_the_other_receipt(
    devices, registered, server, path
):
    a, _ = devices
    person_id, enrolment_id = registered["person"], registered["enrolment"]
    first = _pension(person_id, enrolment_id, f"{A_CODE}-01-2026-000001")
    _, results = a.send(a.record("payment", first, "create"))
    assert results[0]["status"] == "created"
    before = county_rows(server.db_url)
    records = [
        # The second computer of the centre took the same year offline.
        a.record(
            "payment", _pension(person_id, enrolment_id, f"{A_CODE}-02-2026-000001"), "create"
        ),
        # Another year is not a second payment.
        a.record(
            "payment", _pension(person_id, enrolment_id, f"{A_CODE}-02-2026-000002", 2025), "create"
        ),
        # Within one batch too: the year just accepted cannot be paid again.
        a.record(
            "payment", _pension(person_id, enrolment_id, f"{A_CODE}-02-2026-000003", 2025), "create"
        ),
    ]
    if path == "one_by_one":
        # A receipt number already used fires a constraint: the batch goes record by record.
        records.append(
            a.record(
                "payment",
                _pension(person_id, enrolment_id, first["receipt_number"], 2024),
                "create",
            )
        )
    raw, results = a.send(*records)
    statuses = [(r["status"], r.get("code")) for r in results[:3]]
    assert statuses == [
        ("rejected", "already_paid"),
        ("created", None),
        ("rejected", "already_paid"),
    ]
    refused = results[0]
    assert refused["owner"] == {"centre_code": A_CODE, "centre_name": A_NAME}
    assert first["receipt_number"] in refused["message"]
    assert A_NAME in refused["message"] and "2026年度" in refused["message"]
    assert "server_copy" not in refused
    if path == "one_by_one":
        assert results[3]["code"] == "duplicate_receipt"
    for secret in (PHONE, ADDRESS, BANK, ID_NUMBER):
        assert secret.encode() not in raw
    after = county_rows(server.db_url)
    assert len(after["payment"]) == len(before["payment"]) + 1  # only the 2025 payment


def test_a_void_frees_the_period_and_the_other_centre_is_still_refused(devices, registered):
    a, b = devices
    person_id, enrolment_id = registered["person"], registered["enrolment"]
    first = _pension(person_id, enrolment_id, f"{A_CODE}-01-2026-000001")
    second = _pension(person_id, enrolment_id, f"{A_CODE}-02-2026-000001")
    _, results = a.send(a.record("payment", first, "create"), a.record("payment", second, "create"))
    assert [r.get("code") for r in results] == [None, "already_paid"]
    voided = first | {"voided_at": "2026-11-30T08:00:00+00:00"}
    _, results = a.send(a.record("payment", voided, "void"), a.record("payment", second, "create"))
    assert [r["status"] for r in results] == ["updated", "created"]
    # Another centre is refused for the person's owner first (it cannot pay for A's person).
    _, results = b.send(
        b.record("payment", _pension(person_id, enrolment_id, "320583102-01-2026-000001"), "create")
    )
    assert results[0]["code"] == "not_owner"


def test_a_payment_without_a_period_is_refused(devices, registered):
    a, _ = devices
    bad = _pension(registered["person"], registered["enrolment"], f"{A_CODE}-01-2026-000009")
    for change, code in (
        ({"period_start": "2026-13-01"}, "invalid_period"),
        ({"period_end": "2025-12-31"}, "invalid_period"),
        ({"scheme": None}, "invalid_scheme"),
    ):
        _, results = a.send(a.record("payment", bad | change | {"id": str(uuid.uuid4())}, "create"))
        assert (results[0]["status"], results[0]["code"]) == ("rejected", code)

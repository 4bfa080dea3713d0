"""What the county refuses in a coverage record before touching its database: each field
checked against its code table, the reason against the table its status names, and the id
against ``coverage_id(person, line)``; every refusal a stable code and words in Chinese and
English naming the field."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from caseworker.domain.coverage import coverage_id
from caseworker.upstream.apply_checks import Rejected, coverage_key

PERSON = uuid.UUID("01a23218-ed82-72f1-a4cb-912105cc6150")


def payload(**fields: Any) -> dict[str, Any]:
    return {
        "id": str(coverage_id(PERSON, "pension")),
        "version": 1,
        "person_id": str(PERSON),
        "line": "pension",
        "status": "not_insured",
        "scheme": None,
        "reason": "unwilling",
        "insured_where": None,
        "as_of": "2026-11-27",
        "source": "survey",
        "note": None,
        **fields,
    }


def test_a_well_formed_status_names_its_row():
    assert coverage_key(payload(), coverage_id(PERSON, "pension")) == (PERSON, "pension")
    # Placeholders and derived statuses: no reason, no source yet, a scheme of the line.
    unknown = payload(status="unknown", reason=None, source=None, as_of=None)
    assert coverage_key(unknown, coverage_id(PERSON, "pension"))[1] == "pension"
    paid = payload(
        line="medical",
        status="insured_here",
        reason=None,
        scheme="resident_medical",
        source="payment",
    )
    assert coverage_key(paid, coverage_id(PERSON, "medical")) == (PERSON, "medical")


@pytest.mark.parametrize(
    ("fields", "entity_line", "code", "names"),
    [
        ({"person_id": "someone"}, "pension", "invalid_person_id", "person_id"),
        ({"line": "unemployment"}, "pension", "invalid_line", "coverage_line"),
        ({"status": "insured"}, "pension", "invalid_status", "coverage_status"),
        # A reason from the other table, and a reason on a status that takes none.
        ({"reason": "student"}, "pension", "invalid_reason", "not_insured_reason"),
        (
            {"status": "not_applicable", "reason": "unwilling"},
            "pension",
            "invalid_reason",
            "not_applicable_reason",
        ),
        (
            {"status": "insured_here", "reason": "unwilling"},
            "pension",
            "invalid_reason",
            "insured_here",
        ),
        ({"scheme": "resident_medical"}, "pension", "invalid_scheme", "pension"),
        ({"source": "rumour"}, "pension", "invalid_source", "coverage_source"),
        ({"as_of": "27.11.2026"}, "pension", "invalid_as_of", "as_of"),
        ({"note": "很长" * 300}, "pension", "invalid_note", "500"),
        ({"insured_where": 12}, "pension", "invalid_insured_where", "100"),
        # The id of the person's medical row sent for the pension line.
        ({}, "medical", "coverage_id_mismatch", str(coverage_id(PERSON, "pension"))),
    ],
)
def test_each_wrong_field_is_refused_by_name(fields, entity_line, code, names):
    with pytest.raises(Rejected) as refused:
        coverage_key(payload(**fields), coverage_id(PERSON, entity_line))
    assert refused.value.code == code
    message = refused.value.message
    assert names in message
    zh, en = message.split(" / ", 1)
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert chinese.search(zh) and not chinese.search(en)

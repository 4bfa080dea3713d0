"""A batch with a few colliding records is cut around them (and a part that collides
unforeseen is halved), not applied record by record entire; the answers and the registry
are the same as record by record, right guesses or wrong."""

from __future__ import annotations

from caseworker.upstream import intake
from tests.upstream.test_batch_paths import (
    batch,
    county,
    enrolment,
    person,
    registry_contents,
    send,
    two_urls,  # noqa: F401 (fixture)
    uid,
)

SEED = [item for n in range(12) for item in (("person", person(n)), ("enrolment", enrolment(n, n)))]
MIXED = [
    *[
        item
        for n in range(20, 26)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ],
    # Another UUID with person 3's ID number, and its enrolment: guessed, and right.
    ("person", {**person(40), "id_number": person(3)["id_number"]}),
    ("enrolment", enrolment(40, 40)),
    # Person 4 changes ID number; then a new UUID takes person 4's old one: guessed to
    # collide, but it does not (the cut costs speed only).
    ("person", {**person(4, 2), "id_number": person(41)["id_number"]}),
    ("person", {**person(42), "id_number": person(4)["id_number"]}),
    *[
        item
        for n in range(26, 30)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ],
    # Unforeseen: an enrolment before its person, in a long run (halved down to it).
    ("enrolment", enrolment(31, 31)),
    *[
        item
        for n in range(32, 36)
        for item in (("person", person(n)), ("enrolment", enrolment(n, n)))
    ],
    ("person", person(31)),
]


def test_cut_and_halved_batches_answer_as_record_by_record(two_urls, monkeypatch):  # noqa: F811
    fast, slow = (county(url) for url in two_urls)
    alone = intake._apply_alone
    calls: list[str] = []

    def counted(conn, record, origin):
        calls.append(record.entity_type)
        return alone(conn, record, origin)

    monkeypatch.setattr(intake, "_apply_alone", counted)
    try:
        fast_answers = [send(fast, uid(700), batch(SEED, start=100))]
        assert calls == []
        fast_answers.append(send(fast, uid(701), batch(MIXED, start=200)))
        # The guessed three alone, and the unforeseen one with the few around it.
        assert 3 < len(calls) <= 3 + intake.ALONE_BELOW < len(MIXED)

        def forced(conn, records, origin):
            raise intake._StartOver

        monkeypatch.setattr(intake, "_apply_together", forced)
        slow_answers = [
            send(slow, uid(700), batch(SEED, start=100)),
            send(slow, uid(701), batch(MIXED, start=200)),
        ]
        assert fast_answers == slow_answers
        assert registry_contents(fast) == registry_contents(slow)
    finally:
        fast.close()
        slow.close()

    codes = {(r["entity_id"], r["status"], r.get("code")) for r in fast_answers[1]}
    assert (uid(1040), "conflict", "duplicate_id_number") in codes
    assert (uid(2040), "rejected", "unknown_person") in codes
    assert (uid(1042), "created", None) in codes  # the wrong guess: created all the same
    assert (uid(2031), "rejected", "unknown_person") in codes
    assert (uid(1031), "created", None) in codes

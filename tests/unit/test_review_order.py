"""The hold-back rule: approved entries go, unless they would overtake what they depend on."""

from __future__ import annotations

from caseworker.domain.review_order import Pending, references_of, releasable


def entry(seq: int, record: str, *refs: str, approved: bool = True) -> Pending:
    return Pending(seq, record, frozenset(refs), approved)


def test_all_approved_go_in_order():
    entries = [entry(1, "p"), entry(2, "e", "p"), entry(3, "pay", "p", "e")]
    assert list(releasable(entries)) == [1, 2, 3]


def test_an_unapproved_person_holds_back_its_enrolment_and_payment_transitively():
    entries = [
        entry(1, "p", approved=False),
        entry(2, "e", "p"),
        entry(3, "pay", "e"),  # names only the enrolment, held because the enrolment is
        entry(4, "q"),  # another person: free to go
    ]
    assert list(releasable(entries)) == [4]


def test_a_later_change_of_the_same_record_waits_for_the_earlier_one():
    entries = [entry(1, "p", approved=False), entry(2, "p"), entry(3, "e2", "other")]
    assert list(releasable(entries)) == [3]


def test_an_unapproved_dependant_does_not_hold_back_what_it_depends_on():
    entries = [entry(1, "p"), entry(2, "e", "p", approved=False), entry(3, "pay", "p")]
    assert list(releasable(entries)) == [1, 3]


def test_references_come_from_the_payload_fields_that_name_records():
    payload = {"person_id": "a", "enrolment_id": "b", "employer_id": None, "scheme": "x"}
    assert references_of(payload) == frozenset({"a", "b"})

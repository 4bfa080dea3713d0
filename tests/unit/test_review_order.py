"""The hold-back rule: approved entries go, unless they would overtake what they depend on."""

from __future__ import annotations

import uuid

from caseworker.domain.coverage import coverage_id
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


def test_a_coverage_status_waits_for_its_person_like_a_survey_entry():
    """A status goes up under coverage_id(person, line) and names its person: it never
    overtakes an unapproved person (the county would answer unknown_person)."""
    person = uuid.uuid4()
    status = {"id": str(coverage_id(person, "pension")), "person_id": str(person)}
    survey = {"id": "s1", "person_id": str(person)}
    entries = [
        entry(1, str(person), approved=False),
        entry(2, status["id"], *references_of(status)),
        entry(3, survey["id"], *references_of(survey)),
    ]
    assert list(releasable(entries)) == []
    entries[0] = entry(1, str(person))
    assert list(releasable(entries)) == [1, 2, 3]


def test_a_derived_status_needs_no_approval_but_follows_the_records_of_its_person():
    """A status the records decided goes without review, yet never before the payment that
    decided it: held while anything held back names the same person."""
    derived = Pending(3, "status", frozenset({"p"}), True, follows=True)
    unpaid = [entry(1, "p"), entry(2, "pay", "p", approved=False), derived]
    assert list(releasable(unpaid)) == [1]
    paid = [entry(1, "p"), entry(2, "pay", "p"), derived]
    assert list(releasable(paid)) == [1, 2, 3]
    # Another person's held payment does not hold it.
    other = [entry(1, "p"), entry(2, "pay", "q", approved=False), derived]
    assert list(releasable(other)) == [1, 3]

"""Two computers of one centre take the same person's pension for the same year while
offline; the second to sync gets ``already_paid`` in its queue, naming the first receipt,
and once the first is voided the second goes through when resubmitted."""

from __future__ import annotations

from caseworker.services.actor import Role
from caseworker.services.centre import add_operator, login
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.sync_queue import queue, resubmit
from caseworker.sync.run import run_sync
from tests.sync import test_queue
from tests.upstream.harness import FAST_RETRY, TODAY, enrol_people

computers = test_queue.computers  # two computers of one centre (fixture)


def test_the_second_computer_is_told_the_period_is_paid(server, computers):
    a, b = computers
    (person_id,) = enrol_people(a, 1)
    run_sync(a.database, retry=FAST_RETRY)
    run_sync(b.database, retry=FAST_RETRY)  # B has the person and the enrolment now
    # Both offline: each takes the 2026 pension.
    first = record_payment(
        a.database, a.actor, person_id=person_id, scheme="resident_pension", today=TODAY
    )
    second = record_payment(
        b.database, b.actor, person_id=person_id, scheme="resident_pension", today=TODAY
    )
    assert first.receipt_number != second.receipt_number  # device numbers 01 and 02
    # Each payment moves the pension status from "enrolled" to "paid": A's goes up with
    # A's payment; B's says the very same (same day, same words), so it is already applied.
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"accepted": 2}
    assert run_sync(b.database, retry=FAST_RETRY).counts == {"rejected": 1, "accepted": 1}
    (item,) = queue(b.database)
    assert (item.entity_type, item.state, item.code) == ("payment", "rejected", "already_paid")
    assert first.receipt_number in item.message and "玉山镇" in item.message
    assert item.owner == {"centre_code": "320583101", "centre_name": "玉山镇"}
    assert item.summary.startswith(second.receipt_number)

    # A's receipt was the mistake: its supervisor voids it, and B's goes through.
    add_operator(a, username="supervisor", password="super pass 333", role=Role.SUPERVISOR)
    supervisor = login(a.database.paths, "supervisor", "super pass 333")
    void_payment(
        supervisor.database,
        supervisor.actor,
        receipt_number=first.receipt_number,
        reason="重复收费",
    )
    supervisor.close()
    # The void, and the pension status back to "enrolled".
    assert run_sync(a.database, retry=FAST_RETRY).counts == {"accepted": 2}
    resubmit(b.database, b.actor, item.seq)
    assert run_sync(b.database, retry=FAST_RETRY).counts == {"accepted": 1}
    assert queue(b.database) == []

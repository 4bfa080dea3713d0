"""Voids: a supervisor, re-authenticated at a clerk's session, voids a whole receipt; a clerk's
credentials or a wrong password are refused and audited, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseworker.services.actor import Permission, Role
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import record_change, verify_audit_chain
from caseworker.services.payments import record_payment, void_payment
from caseworker.services.reauth import authorise
from caseworker.store.models import AuditEntry, OutboxEntry, Payment, ReceiptCounter, new_id
from caseworker.store.wire import WIRE
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def receipt(clerk: OpenSession) -> str:
    """A receipt of two lines (pension and medical): the second line added as the multi-line
    payment service will write it, with its own outbox entry."""
    person_id = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000), EnrolmentChoice("resident_medical")],
        today=TODAY,
    ).person_id
    number = record_payment(
        clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension", today=TODAY
    ).receipt_number
    with clerk.database.writing() as session:
        first = session.scalars(select(Payment).where(Payment.receipt_number == number)).one()
        second = Payment(
            **{
                c.key: getattr(first, c.key)
                for c in Payment.__table__.columns
                if c.key not in ("id", "receipt_line", "scheme", "personal_fen", "amount_fen")
            },
            id=new_id(),
            receipt_line=2,
            scheme="resident_medical",
            personal_fen=40_000,
            amount_fen=40_000,
        )
        session.add(second)
        session.flush()
        record_change(
            session,
            clerk.actor,
            action="payment.record",
            entity_type="payment",
            entity_id=second.id,
            operation="create",
            payload=WIRE["payment"].snapshot(second),
        )
    return number


def lines(session: OpenSession, number: str) -> list[Payment]:
    with session.database.reading() as db:
        return list(
            db.scalars(
                select(Payment)
                .where(Payment.receipt_number == number)
                .order_by(Payment.receipt_line)
            )
        )


def void_outbox(session: OpenSession) -> list[OutboxEntry]:
    with session.database.reading() as db:
        return list(db.scalars(select(OutboxEntry).where(OutboxEntry.operation == "void")))


def audit_actions(session: OpenSession, action: str) -> list[AuditEntry]:
    with session.database.reading() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_supervisor_authorised_at_the_clerks_session_voids_every_line(clerk, receipt):
    before = clerk.actor
    supervisor = authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    assert supervisor.username == "supervisor" and supervisor.role == Role.SUPERVISOR
    assert supervisor.device_id == clerk.actor.device_id
    voided = void_payment(
        clerk.database, supervisor, receipt_number=receipt, reason="档次录错，应为300元档"
    )
    assert (voided.receipt_number, voided.lines, voided.personal_fen) == (receipt, 2, 90_000)
    paid = lines(clerk, receipt)
    assert [p.receipt_line for p in paid] == [1, 2]
    assert all(p.voided_at == voided.voided_at for p in paid)
    assert {p.voided_by for p in paid} == {supervisor.operator_id}
    assert {p.void_reason for p in paid} == {"档次录错，应为300元档"}
    # Each line's void goes upstream; the entries are signed by the supervisor, not the clerk.
    outbox = void_outbox(clerk)
    assert sorted(e.entity_id for e in outbox) == sorted(p.id for p in paid)
    assert all(e.payload["voided_at"] for e in outbox)
    voids = audit_actions(clerk, "payment.void")
    assert [v.operator_name for v in voids] == ["supervisor", "supervisor"]
    assert {v.signer for v in voids} == {str(supervisor.operator_id)}
    (authorised,) = audit_actions(clerk, "operator.reauth")
    assert authorised.detail == {"permission": "void_payment", "session_of": "clerk"}
    # The clerk's session is untouched: same actor, still takes payments.
    assert clerk.actor == before and clerk.actor.role == Role.CLERK
    with clerk.database.reading() as db:
        assert verify_audit_chain(db).ok
        # The number stays used: the counter did not move back, no gap is freed.
        assert db.scalar(select(ReceiptCounter.last_sequence)) == 1


def test_the_number_is_never_reused_after_a_void(clerk, receipt):
    supervisor = authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    void_payment(clerk.database, supervisor, receipt_number=receipt, reason="缴费人改缴其他档次")
    person_id = lines(clerk, receipt)[0].person_id
    again = record_payment(
        clerk.database, clerk.actor, person_id=person_id, scheme="resident_pension", today=TODAY
    )
    assert again.receipt_number != receipt and again.receipt_number.endswith("-000002")


def test_a_clerks_credentials_are_refused_audited_and_nothing_changes(clerk, receipt):
    with pytest.raises(PermissionDenied) as caught:
        authorise(clerk, "clerk", CLERK_PASSWORD, Permission.VOID_PAYMENT)
    assert caught.value.code == "reauth_forbidden"
    assert "经办员" in caught.value.message and "无权作废收据" in caught.value.message
    assert "may not void a receipt" in caught.value.message_en
    with pytest.raises(PermissionDenied):
        void_payment(clerk.database, clerk.actor, receipt_number=receipt, reason="想作废这张")
    assert all(p.voided_at is None for p in lines(clerk, receipt))
    assert void_outbox(clerk) == []
    (refused,) = audit_actions(clerk, "operator.reauth_refused")
    assert refused.operator_name == "clerk"
    assert refused.detail == {
        "username": "clerk",
        "permission": "void_payment",
        "reason": "not_permitted",
    }


@pytest.mark.parametrize("username", ["supervisor", "nobody"])
def test_a_wrong_password_or_unknown_name_is_refused_alike_and_audited(clerk, receipt, username):
    with pytest.raises(ServiceError) as caught:
        authorise(clerk, username, "not the password", Permission.VOID_PAYMENT)
    assert caught.value.code == "reauth_failed"
    assert "用户名或密码不正确" in caught.value.message and "审计" in caught.value.message
    (refused,) = audit_actions(clerk, "operator.reauth_refused")
    assert refused.detail["reason"] == "wrong_password" and refused.detail["username"] == username
    assert audit_actions(clerk, "operator.reauth") == []
    assert all(p.voided_at is None for p in lines(clerk, receipt))
    with clerk.database.reading() as db:
        assert verify_audit_chain(db).ok


def test_empty_credentials_are_asked_for_without_spending_a_key_derivation(clerk):
    with pytest.raises(ServiceError) as caught:
        authorise(clerk, " ", "", Permission.VOID_PAYMENT)
    assert caught.value.code == "reauth_missing"


def test_a_disabled_supervisor_cannot_authorise(centre, clerk, receipt):
    from caseworker.store.models import Operator

    with centre.database.writing() as db:
        db.scalars(select(Operator).where(Operator.username == "supervisor")).one().active = False
    with pytest.raises(ServiceError) as caught:
        authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    assert caught.value.code == "reauth_inactive"
    assert audit_actions(clerk, "operator.reauth_refused")[0].detail["reason"] == "inactive"


def test_a_reason_is_required_and_an_already_void_receipt_is_refused(centre, clerk, receipt):
    supervisor = authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    for reason, code in ((" ", "empty"), ("录错", "too_short"), ("错" * 201, "too_long")):
        with pytest.raises(ValidationFailed) as bad:
            void_payment(clerk.database, supervisor, receipt_number=receipt, reason=reason)
        (error,) = bad.value.errors
        assert (error.field, error.code) == ("void_reason", code)
    assert void_outbox(clerk) == []
    void_payment(clerk.database, supervisor, receipt_number=receipt, reason="  档次  录错了 ")
    assert lines(clerk, receipt)[0].void_reason == "档次 录错了"
    with pytest.raises(ServiceError) as again:
        void_payment(clerk.database, supervisor, receipt_number=receipt, reason="再作废一次")
    assert again.value.code == "already_void"
    assert "已于" in again.value.message and "档次 录错了" in again.value.message
    assert len(void_outbox(clerk)) == 2  # the first void's two lines, nothing more
    with pytest.raises(ServiceError) as unknown:
        void_payment(clerk.database, supervisor, receipt_number="no-such", reason="没有这张收据")
    assert unknown.value.code == "receipt"


def test_the_reason_message_says_what_a_reason_needs(clerk, receipt):
    supervisor = authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    with pytest.raises(ValidationFailed) as bad:
        void_payment(clerk.database, supervisor, receipt_number=receipt, reason="错")
    (error,) = bad.value.errors
    assert "至少4个字" in error.message and "at least 4 characters" in error.message_en


def test_guessing_a_supervisors_password_at_the_desk_locks_that_supervisor_out(clerk, receipt):
    """Re-authentication counts towards the same lockout as the login: five wrong passwords
    in a row and even the right one waits, at the desk and at the login alike."""
    from caseworker.services.login_guard import LoginLocked

    for _ in range(5):
        with pytest.raises(ServiceError) as caught:
            authorise(clerk, "supervisor", "a guess", Permission.VOID_PAYMENT)
        assert caught.value.code == "reauth_failed"
    with pytest.raises(LoginLocked):
        authorise(clerk, "supervisor", SUPERVISOR_PASSWORD, Permission.VOID_PAYMENT)
    with pytest.raises(LoginLocked):
        login(clerk.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    assert audit_actions(clerk, "operator.reauth") == []
    assert all(p.voided_at is None for p in lines(clerk, receipt))

"""Operator management on a real centre: agency and role, disabling (slot and signing key
gone, past entries still verify), the list an administrator sees, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.services.operators import (
    change_role,
    disable_operator,
    list_operators,
    reset_password,
)
from caseworker.store.keys import KeyFile, WrongPassword
from caseworker.store.models import AuditEntry, Operator
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer

AGENCY = "昆山市人力资源外包服务有限公司"


def _operators(session: OpenSession) -> dict[str, Operator]:
    with session.database.reading() as db:
        return {o.username: o for o in db.scalars(select(Operator))}


def _actions(session: OpenSession) -> list[str]:
    with session.database.reading() as db:
        return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _verify(session: OpenSession):
    with session.database.reading() as db:
        return verify_audit_chain(db, KeyFile.load(session.database.paths.key_file))


def test_a_contractors_staff_are_clerks_and_carry_their_agency(centre: OpenSession):
    add_operator(
        centre, username="wang", password="contract pass 1", role=Role.CLERK, agency=f" {AGENCY} "
    )
    with pytest.raises(ValidationFailed) as refused:
        add_operator(
            centre, username="li", password="contract pass 2", role=Role.SUPERVISOR, agency=AGENCY
        )
    (error,) = refused.value.errors
    assert error.field == "role" and "只能担任经办员" in error.message
    assert "only be clerks" in refused.value.message_en
    assert "li" not in _operators(centre)
    assert not KeyFile.load(centre.database.paths.key_file).has_operator("li")

    wang = login(centre.database.paths, "wang", "contract pass 1")
    try:
        assert wang.actor.agency == AGENCY
    finally:
        wang.close()
    assert centre.actor.agency is None


def test_role_and_agency_change_audited_and_the_rule_holds(centre: OpenSession):
    change_role(centre, "supervisor", role=Role.CLERK, agency=AGENCY)
    assert (_operators(centre)["supervisor"].role, _operators(centre)["supervisor"].agency) == (
        "clerk",
        AGENCY,
    )
    with pytest.raises(ValidationFailed):
        change_role(centre, "supervisor", role=Role.SUPERVISOR, agency=AGENCY)
    with pytest.raises(ServiceError, match="own account"):
        change_role(centre, "admin", role=Role.CLERK, agency=None)
    change_role(centre, "supervisor", role=Role.SUPERVISOR, agency="  ")  # back to the centre
    assert _operators(centre)["supervisor"].agency is None
    assert _actions(centre).count("operator.role_changed") == 2
    before = len(_actions(centre))
    change_role(centre, "supervisor", role=Role.SUPERVISOR, agency=None)  # no change
    assert len(_actions(centre)) == before
    with pytest.raises(ValidationFailed, match="60"):
        change_role(centre, "clerk", role=Role.CLERK, agency="外" * 61)


def test_a_clerk_or_supervisor_cannot_manage_operators(centre: OpenSession):
    paths = centre.database.paths
    for username, password in (("clerk", CLERK_PASSWORD), ("supervisor", "super pass 333")):
        session = login(paths, username, password)
        try:
            before = (_operators(session), len(_actions(session)))
            for attempt in (
                lambda s=session: disable_operator(s, "admin"),
                lambda s=session: change_role(s, "clerk", role=Role.ADMIN, agency=None),
                lambda s=session: reset_password(
                    s, username="admin", new_password="taken over 123"
                ),
                lambda s=session: list_operators(s, datetime.now(UTC)),
                lambda s=session: add_operator(
                    s, username="mine", password="my own pass 1", role=Role.ADMIN
                ),
            ):
                with pytest.raises(PermissionDenied):
                    attempt()
            after = (_operators(session), len(_actions(session)))
            assert {k: (o.role, o.active) for k, o in before[0].items()} == {
                k: (o.role, o.active) for k, o in after[0].items()
            }
            assert after[1] == before[1]  # nothing audited
        finally:
            session.close()
    assert KeyFile.load(paths.key_file).has_operator("admin")


def test_disabling_removes_the_slot_and_keeps_the_past_verifiable(centre: OpenSession):
    paths = centre.database.paths
    clerk = login(paths, "clerk", CLERK_PASSWORD)
    enrol(clerk.database, clerk.actor, farmer(), [EnrolmentChoice("resident_medical")], today=TODAY)
    clerk.close()

    disable_operator(centre, "clerk")
    assert not _operators(centre)["clerk"].active
    key_file = KeyFile.load(paths.key_file)
    assert not key_file.has_operator("clerk")
    assert "clerk" not in key_file.operators()  # the signing key went with the slot
    with pytest.raises(WrongPassword):
        login(paths, "clerk", CLERK_PASSWORD)
    report = _verify(centre)
    assert report.ok, report.problem_en  # the clerk's enrolment entries still verify
    assert "operator.disabled" in _actions(centre)
    with pytest.raises(ServiceError, match="already disabled"):
        disable_operator(centre, "clerk")
    with pytest.raises(ServiceError, match="is disabled"):
        reset_password(centre, username="clerk", new_password="back again 123")
    with pytest.raises(ServiceError, match="own account"):
        disable_operator(centre, "admin")


def test_the_list_shows_role_agency_last_login_and_lockout(centre: OpenSession):
    paths = centre.database.paths
    change_role(centre, "clerk", role=Role.CLERK, agency=AGENCY)
    login(paths, "clerk", CLERK_PASSWORD).close()
    now = datetime.now(UTC)
    for _ in range(5):
        with pytest.raises(WrongPassword):
            login(paths, "supervisor", "wrong password 9", now=lambda: now)
    rows = {row.username: row for row in list_operators(centre, now)}
    assert list(rows) == ["admin", "clerk", "supervisor"]
    assert rows["clerk"].agency == AGENCY and rows["clerk"].role is Role.CLERK
    assert rows["clerk"].last_login is not None and rows["supervisor"].last_login is None
    assert rows["supervisor"].failures_in_a_row == 5
    assert rows["supervisor"].locked_until == now + timedelta(seconds=30)
    assert rows["clerk"].locked_until is None and rows["admin"].active

"""Operator management: the list, disabling, role and agency, resetting a password (all for
administrators, ``MANAGE_OPERATORS``) and changing one's own password. Every change is audited.

Adding an operator is in ``centre``, beside setting up, which adds the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.services.actor import Actor, Permission, Role
from caseworker.services.agency import check_agency_role, clean_agency
from caseworker.services.centre import OpenSession, b64, find_operator
from caseworker.services.errors import ServiceError
from caseworker.services.journal import audit, next_audit_seq, record_operator_key
from caseworker.services.login_guard import locked_until
from caseworker.store import failed_logins
from caseworker.store.keys import raw_public_key
from caseworker.store.models import AuditEntry, Operator


@dataclass(frozen=True)
class OperatorRow:
    username: str
    display_name: str
    role: Role
    agency: str | None  # None: the centre itself
    active: bool
    last_login: datetime | None
    failures_in_a_row: int
    locked_until: datetime | None  # waiting after repeated failed logins


def list_operators(session_: OpenSession, now: datetime) -> list[OperatorRow]:
    """Every operator with role, agency, active, last login and lockout, by name."""
    session_.actor.require(Permission.MANAGE_OPERATORS)
    paths = session_.database.paths
    with session_.database.reading() as session:
        last_logins = dict(
            session.execute(
                select(AuditEntry.operator_id, func.max(AuditEntry.at))
                .where(AuditEntry.action == "operator.login")
                .group_by(AuditEntry.operator_id)
            ).all()
        )
        operators = session.scalars(select(Operator).order_by(Operator.username)).all()
        rows = []
        for operator in operators:
            streak = failed_logins.streak_of(paths.failed_logins, operator.username)
            rows.append(
                OperatorRow(
                    operator.username,
                    operator.display_name,
                    Role(operator.role),
                    operator.agency,
                    operator.active,
                    last_logins.get(operator.id),
                    streak.count if streak else 0,
                    locked_until(paths, operator.username, now),
                )
            )
    return rows


def rotate_signing_key(
    session: Session,
    actor: Actor | None,
    operator: Operator,
    *,
    reason: str,
    signer_name: str | None = None,
) -> tuple[Ed25519PrivateKey, int]:
    """A new key pair for an operator whose old one is lost with their password: audited as
    ``operator.key_rotated`` (signed by ``actor``, or by the device when nobody can sign),
    appended to the key history from the next seq. Returns the key and that seq; the caller
    wraps it into the operator's slot."""
    signing_key = Ed25519PrivateKey.generate()
    public_key = raw_public_key(signing_key)
    audit(
        session,
        actor,
        action="operator.key_rotated",
        entity_type="operator",
        entity_id=operator.id,
        detail={"username": operator.username, "reason": reason, "public_key": b64(public_key)},
        operator_name=signer_name,
    )
    valid_from = next_audit_seq(session)
    record_operator_key(session, operator.id, public_key, valid_from)
    return signing_key, valid_from


def _not_yourself(session_: OpenSession, operator: Operator, what: str, what_en: str) -> None:
    if operator.id == session_.actor.operator_id:
        raise ServiceError(
            "own_account",
            f"不能{what}自己的账号：请由另一位管理员操作。",
            f"You cannot {what_en} your own account; ask another administrator.",
        )


def disable_operator(session_: OpenSession, username: str) -> None:
    """The operator can no longer log in: their row is inactive, their key slot (and the
    signing key wrapped in it) leaves the key file. Their public keys stay in the database's
    key history, so every entry they signed still verifies."""
    session_.actor.require(Permission.MANAGE_OPERATORS)
    with session_.database.writing() as session:
        operator = find_operator(session, username)
        _not_yourself(session_, operator, "停用", "disable")
        if not operator.active:
            raise ServiceError(
                "already_disabled",
                f"操作员“{operator.username}”已停用。",
                f"Operator {operator.username} is already disabled.",
            )
        operator.active = False
        audit(
            session,
            session_.actor,
            action="operator.disabled",
            entity_type="operator",
            entity_id=operator.id,
            detail={"username": operator.username},
        )
        # The slot last, saved before the commit: if saving fails, nothing changed.
        if session_.key_file.has_operator(operator.username):
            session_.key_file.remove_operator(operator.username)
            session_.key_file.save()


def change_role(session_: OpenSession, username: str, *, role: Role, agency: str | None) -> None:
    """A new role and agency (None: the centre itself); a contractor's staff stay clerks."""
    session_.actor.require(Permission.MANAGE_OPERATORS)
    agency = clean_agency(agency)
    check_agency_role(role, agency)
    with session_.database.writing() as session:
        operator = find_operator(session, username)
        if operator.role == role.value and operator.agency == agency:
            return  # nothing to change, nothing to audit
        _not_yourself(session_, operator, "修改", "change the role of")
        detail = {
            "username": operator.username,
            "role": {"from": operator.role, "to": role.value},
            "agency": {"from": operator.agency, "to": agency},
        }
        operator.role, operator.agency = role.value, agency
        audit(
            session,
            session_.actor,
            action="operator.role_changed",
            entity_type="operator",
            entity_id=operator.id,
            detail=detail,
        )


def reset_password(
    session_: OpenSession, *, username: str, new_password: str, allow_weak_password: bool = False
) -> None:
    """An administrator sets another operator's forgotten password.

    The old signing key is wrapped under the old password and cannot be recovered, so the
    operator gets a new key pair: a key rotation, audited and signed by the administrator.
    The old public key stays in the key history, so the entries it signed still verify; it
    verifies nothing written from now on, even if someone kept the old password and file.
    """
    session_.actor.require(Permission.MANAGE_OPERATORS)
    with session_.database.writing() as session:
        operator = find_operator(session, username)
        if not operator.active:
            raise ServiceError(
                "disabled",
                f"操作员“{operator.username}”已停用，不能重置其密码。",
                f"Operator {operator.username} is disabled; their password cannot be reset.",
            )
        if operator.id == session_.actor.operator_id:
            raise ServiceError(
                "own_password",
                "不能重置自己的密码，请用“修改密码”（需要输入原密码）。",
                "You cannot reset your own password; change it (with the old one) instead.",
            )
        signing_key, valid_from = rotate_signing_key(
            session, session_.actor, operator, reason="password_reset"
        )
        session_.key_file.reset_password(
            operator.username,
            new_password,
            session_.database_key,
            valid_from_seq=valid_from,
            signing_key=signing_key,
            allow_weak=allow_weak_password,
        )
        session_.key_file.save()


def change_password(
    session_: OpenSession, *, old_password: str, new_password: str, allow_weak: bool = False
) -> None:
    """The operator changes their own password: the same signing key, rewrapped."""
    with session_.database.writing() as session:
        audit(
            session,
            session_.actor,
            action="operator.password_changed",
            entity_type="operator",
            entity_id=session_.actor.operator_id,
            detail={},
        )
        session_.key_file.change_password(
            session_.actor.username, old_password, new_password, allow_weak=allow_weak
        )
        session_.key_file.save()

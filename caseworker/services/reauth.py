"""Re-authentication at someone else's keyboard: a supervisor authorises one action in the
clerk's session (a void) with their own username and password.

The clerk's session stays as it is. The password opens the supervisor's own key slot, which
also unwraps the supervisor's signing key, so what the supervisor then does is signed by the
supervisor, not by the clerk whose session it is. A wrong password, an unknown name or an
operator whose role may not do the action is refused with words that say so, and the
attempt is written to the audit trail (signed by the operator at the keyboard).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from caseworker.services.actor import ROLE_LABELS, ROLE_PERMISSIONS, Actor, Permission, Role
from caseworker.services.centre import OpenSession, actor_of
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.journal import audit
from caseworker.services.login_guard import check_not_locked, record_failure, utc_now
from caseworker.store.key_errors import WrongPassword
from caseworker.store.models import Centre, Device, Operator

ACTION_LABELS = {Permission.VOID_PAYMENT: ("作废收据", "void a receipt")}


def _action_words(permission: Permission) -> tuple[str, str]:
    return ACTION_LABELS.get(permission, (permission.value, permission.value))


def _refused(session: OpenSession, username: str, permission: Permission, reason: str) -> None:
    """The failed attempt, audited in the name of the operator at the keyboard."""
    with session.database.writing() as db:
        audit(
            db,
            session.actor,
            action="operator.reauth_refused",
            entity_type="operator",
            entity_id=session.actor.operator_id,
            detail={"username": username, "permission": permission.value, "reason": reason},
        )


def authorise(session: OpenSession, username: str, password: str, permission: Permission) -> Actor:
    """The operator ``username`` acting at this session for one ``permission``.

    Raises ``ServiceError("reauth_failed")`` for a wrong password or an unknown name (alike,
    as at login), ``PermissionDenied("reauth_forbidden")`` when that operator's role may not
    do it; both are audited. On success the authorisation itself is audited, signed by the
    authorising operator.
    """
    name = unicodedata.normalize("NFC", username.strip())
    zh, en = _action_words(permission)
    if not name or not password:
        raise ServiceError(
            "reauth_missing",
            f"请审核员输入自己的用户名和密码以{zh}。",
            f"A supervisor types their own username and password to {en}.",
        )
    # A supervisor's password typed at a clerk's desk is guessable like a login: the same
    # failures in a row and the same growing wait (services.login_guard).
    paths = session.database.paths
    check_not_locked(paths, name, utc_now())
    try:
        unlocked = session.key_file.unlock_operator(name, password)
    except WrongPassword:
        record_failure(paths, name, "reauth_wrong_password", utc_now())
        _refused(session, name, permission, "wrong_password")
        raise ServiceError(
            "reauth_failed",
            f"审核员用户名或密码不正确，未能{zh}。此次尝试已记入审计日志。",
            f"Wrong supervisor username or password; could not {en}. The attempt is audited.",
        ) from None
    with session.database.writing() as db:
        operator = db.scalar(select(Operator).where(func.lower(Operator.username) == name.lower()))
        if operator is None or not operator.active:
            reason = "inactive"
        elif permission not in _permissions(operator.role):
            reason = "not_permitted"
        elif unlocked.signing_key is None:
            reason = "no_signing_key"
        else:
            centre = db.get_one(Centre, operator.centre_id)
            device = db.get_one(Device, session.actor.device_id)
            actor = actor_of(operator, centre, device, unlocked.signing_key)
            audit(
                db,
                actor,
                action="operator.reauth",
                entity_type="operator",
                entity_id=operator.id,
                detail={"permission": permission.value, "session_of": session.actor.username},
            )
            return actor
        role = operator.role if operator is not None else ""
    _refused(session, name, permission, reason)
    if reason == "not_permitted":
        label = ROLE_LABELS.get(Role(role), role)
        raise PermissionDenied(
            "reauth_forbidden",
            f"“{name}”是{label}，无权{zh}。请审核员输入自己的用户名和密码。",
            f"“{name}” is a {role} and may not {en}. A supervisor types their own username "
            "and password.",
        )
    if reason == "no_signing_key":
        raise ServiceError(
            "reauth_no_key",
            f"“{name}”尚未在本机登录过，没有签名密钥；请其先登录一次后再{zh}。",
            f"“{name}” has not logged in on this computer yet and has no signing key; "
            f"they log in once, then {en}.",
        )
    raise ServiceError(
        "reauth_inactive",
        f"操作员“{name}”已停用或不存在，不能{zh}。",
        f"The operator “{name}” is disabled or unknown and cannot {en}.",
    )


def _permissions(role: str) -> frozenset[Permission]:
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()

"""Centre settings: one typed declaration each, changed only through one audited service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseworker.services.centre import OpenSession, login
from caseworker.services.centre_settings import (
    CENTRE_SETTINGS,
    GUARDRAILS,
    IDLE_LOCK_MINUTES,
    RECEIPT_GROUPING,
    RECEIPT_PAPER,
    REVIEW_REQUIRED,
    Guardrails,
    change_setting,
    read_setting,
)
from caseworker.services.errors import PermissionDenied, ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.store.models import AuditEntry, Setting
from tests.conftest import CLERK_PASSWORD


def _changes(session: OpenSession) -> list[dict]:
    with session.database.reading() as db:
        return [
            entry.detail
            for entry in db.scalars(select(AuditEntry).where(AuditEntry.action == "setting.change"))
        ]


def test_every_setting_has_its_default_before_anyone_sets_it(centre: OpenSession):
    assert read_setting(centre.database, RECEIPT_PAPER) == "a5"
    assert read_setting(centre.database, GUARDRAILS) == Guardrails()
    assert read_setting(centre.database, RECEIPT_GROUPING) == "visit"
    assert read_setting(centre.database, REVIEW_REQUIRED) is True
    assert read_setting(centre.database, IDLE_LOCK_MINUTES) == 10
    assert all(setting.label and setting.label_en for setting in CENTRE_SETTINGS.values())


def test_a_change_is_audited_with_before_and_after(centre: OpenSession):
    change_setting(centre.database, centre.actor, IDLE_LOCK_MINUTES, 5)
    change_setting(centre.database, centre.actor, IDLE_LOCK_MINUTES, 5)  # no change, no entry
    change_setting(centre.database, centre.actor, IDLE_LOCK_MINUTES, 15)
    assert read_setting(centre.database, IDLE_LOCK_MINUTES) == 15
    assert _changes(centre) == [
        {"key": "session.idle_lock_minutes", "before": None, "after": {"minutes": 5}},
        {"key": "session.idle_lock_minutes", "before": {"minutes": 5}, "after": {"minutes": 15}},
    ]
    with centre.database.reading() as db:
        assert verify_audit_chain(db).ok


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        (RECEIPT_PAPER, "a4", "a5 或 roll80"),
        (RECEIPT_GROUPING, "household", "visit"),
        (IDLE_LOCK_MINUTES, 0, "1–240"),
        (IDLE_LOCK_MINUTES, True, "1–240"),
        (GUARDRAILS, Guardrails(warn_days=5, block_days=2), "不大于停办阈值"),
    ],
)
def test_a_bad_value_is_refused_by_name_and_nothing_changes(centre, setting, value, words):
    with pytest.raises(ValidationFailed) as caught:
        change_setting(centre.database, centre.actor, setting, value)
    assert setting.key in caught.value.by_field()
    assert words in caught.value.message
    assert caught.value.message_en != caught.value.message
    assert read_setting(centre.database, setting) == setting.default
    assert _changes(centre) == []


def test_a_clerk_may_not_change_centre_settings(centre: OpenSession):
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        with pytest.raises(PermissionDenied):
            change_setting(clerk.database, clerk.actor, REVIEW_REQUIRED, False)
    finally:
        clerk.close()
    assert read_setting(centre.database, REVIEW_REQUIRED) is True
    assert _changes(centre) == []


def test_a_stored_value_that_no_longer_loads_falls_back_to_the_default(centre: OpenSession):
    with centre.database.writing() as db:
        db.add(Setting(key=IDLE_LOCK_MINUTES.key, value={"minutes": "ten"}))
        db.add(Setting(key=GUARDRAILS.key, value={"warn_hours": 3}))
    assert read_setting(centre.database, IDLE_LOCK_MINUTES) == 10
    assert read_setting(centre.database, GUARDRAILS) == Guardrails()

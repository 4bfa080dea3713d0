"""Centre settings as operators type and read them: each kind of value parsed from text, shown
in words, and saved through the checks each setting needs (real stores)."""

from __future__ import annotations

import pytest

from caseworker.services.centre import OpenSession, login
from caseworker.services.centre_settings import (
    CENTRE_SETTINGS,
    FONT_PATH,
    GUARDRAILS,
    IDLE_LOCK_MINUTES,
    RECEIPT_GROUPING,
    RECEIPT_PAPER,
    RECEIPT_PLACEMENT,
    REVIEW_REQUIRED,
    Guardrails,
    read_setting,
)
from caseworker.services.centre_settings_edit import (
    centre_settings_now,
    kind_of,
    parse_value,
    save_setting,
    stored_text,
    value_text,
    who_may_change,
)
from caseworker.services.errors import PermissionDenied, ValidationFailed
from tests.conftest import CLERK_PASSWORD


def test_every_declared_setting_has_a_kind_the_screens_can_edit():
    kinds = {key: kind_of(setting) for key, setting in CENTRE_SETTINGS.items()}
    assert kinds == {
        RECEIPT_PAPER.key: "choice",
        RECEIPT_PLACEMENT.key: "choice",
        FONT_PATH.key: "text",
        GUARDRAILS.key: "record",
        RECEIPT_GROUPING.key: "choice",
        REVIEW_REQUIRED.key: "bool",
        IDLE_LOCK_MINUTES.key: "int",
    }


@pytest.mark.parametrize(
    ("setting", "typed", "value"),
    [
        (RECEIPT_PAPER, "roll80", "roll80"),
        (RECEIPT_PAPER, "80 毫米卷纸", "roll80"),
        (RECEIPT_PLACEMENT, "a4_top", "a4_top"),
        (RECEIPT_PLACEMENT, "A4 纸上半张（实际大小）", "a4_top"),
        (RECEIPT_GROUPING, "scheme", "scheme"),
        (REVIEW_REQUIRED, "否", False),
        (REVIEW_REQUIRED, "YES", True),
        (IDLE_LOCK_MINUTES, " 15 ", 15),
        (GUARDRAILS, "4,20,600,6000", Guardrails(4, 20, 600, 6000)),
        (
            GUARDRAILS,
            "block_days=21， warn_pending=100",
            Guardrails(block_days=21, warn_pending=100),
        ),
        (FONT_PATH, "", None),
    ],
)
def test_text_is_parsed_into_the_value(setting, typed, value):
    assert parse_value(setting, typed) == value


@pytest.mark.parametrize(
    ("setting", "typed", "words"),
    [
        (RECEIPT_PAPER, "a4", "收据纸张应为 a5 / roll80 之一"),
        (RECEIPT_PLACEMENT, "a4_bottom", "A5 收据打印在应为 a5 / a4_top 之一"),
        (REVIEW_REQUIRED, "maybe", "应为 是 或 否"),
        (IDLE_LOCK_MINUTES, "ten", "闲置锁定（分钟）应为整数，不能是“ten”"),
        (GUARDRAILS, "1,2,3", "需要 4 个数"),
        (GUARDRAILS, "block=3", "没有“block”这一项"),
        (GUARDRAILS, "block_days=x", "停办：未同步天数应为整数"),
    ],
)
def test_text_that_is_no_value_is_refused_by_the_settings_key(setting, typed, words):
    with pytest.raises(ValidationFailed) as refused:
        parse_value(setting, typed)
    assert setting.key in refused.value.by_field()
    assert words in refused.value.message and refused.value.message_en != refused.value.message


def test_values_in_words_both_languages():
    assert value_text(RECEIPT_GROUPING, "scheme") == "每个险种各开一张"
    assert value_text(RECEIPT_GROUPING, "scheme", True) == "One receipt per scheme"
    assert value_text(REVIEW_REQUIRED, False, True) == "no"
    assert value_text(FONT_PATH, None) == "（未指定）"
    assert stored_text(IDLE_LOCK_MINUTES.key, None) == "默认（10）"
    assert stored_text(RECEIPT_PAPER.key, {"paper": "roll80"}, True) == "80 mm roll"
    assert who_may_change(RECEIPT_PAPER) == ("管理员", "admins")


def test_the_state_says_who_may_change_and_a_clerk_is_refused(centre: OpenSession):
    assert all(state.may_change for state in centre_settings_now(centre.database, centre.actor))
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    try:
        states = centre_settings_now(clerk.database, clerk.actor)
        assert [s.setting.key for s in states] == list(CENTRE_SETTINGS)
        assert not any(state.may_change for state in states)
        for setting, value in ((IDLE_LOCK_MINUTES, 5), (FONT_PATH, "/no/such/font.ttf")):
            # Refused for the role before any check: a clerk learns nothing about files.
            with pytest.raises(PermissionDenied):
                save_setting(clerk.database, clerk.actor, setting, value)
    finally:
        clerk.close()
    assert read_setting(centre.database, IDLE_LOCK_MINUTES) == 10


def test_a_font_file_is_checked_before_it_is_saved(centre: OpenSession, tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        save_setting(centre.database, centre.actor, FONT_PATH, str(tmp_path / "none.ttf"))
    assert FONT_PATH.key in refused.value.by_field()
    assert "cannot be used" in refused.value.message_en
    assert read_setting(centre.database, FONT_PATH) is None

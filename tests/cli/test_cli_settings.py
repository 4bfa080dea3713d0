"""`caseworker settings show | set` as an operator runs them: real processes, a real store.
(Each run is a process with a real key derivation, so the cases are few; the parsing of every
kind of value is tested in tests/services/test_centre_settings_edit.py.)"""

from __future__ import annotations

import json
from pathlib import Path

from caseworker.services.centre_settings import CENTRE_SETTINGS
from tests.cli.test_cli import assert_clean_failure, run

CLERK = "clerk password 1"


def _settings(home: Path, user: str = "admin", password: str = "admin password 1") -> dict:
    shown = run(["settings", "show", "--json", "--user", user], home, password=password)
    assert shown.returncode == 0, shown.stderr
    return {item["key"]: item for item in json.loads(shown.stdout)}


def test_show_then_set_audited_and_the_old_commands_agree(home: Path):
    shown = run(["settings", "show", "--user", "admin"], home)
    assert shown.returncode == 0, shown.stderr
    for setting in CENTRE_SETTINGS.values():
        assert setting.key in shown.stdout and setting.label in shown.stdout
    assert "A5 纸 / A5 sheet" in shown.stdout and "停办：未同步天数 14" in shown.stdout

    paper = run(["settings", "set", "printing.receipt_paper", "roll80", "--user", "admin"], home)
    assert paper.returncode == 0, paper.stderr
    assert "已保存 / saved: printing.receipt_paper" in paper.stdout
    assert "80 毫米卷纸 / 80 mm roll" in paper.stdout
    rails = run(["settings", "set", "sync.guardrails", "block_days=21", "--user", "admin"], home)
    assert rails.returncode == 0, rails.stderr
    # The commands that always showed these settings read the same place.
    guardrails = run(["sync", "guardrails", "--user", "admin"], home)
    assert "停办新参保：21 天或 5000 条" in guardrails.stdout
    printing = run(["print", "settings", "--user", "admin"], home)
    assert "收据纸张 / receipt paper: roll80" in printing.stdout
    verified = run(["audit", "verify", "--user", "admin", "--offline", "--json"], home)
    assert json.loads(verified.stdout)["local"]["ok"] is True


def test_a_clerk_may_look_but_not_change(home: Path):
    added = run(
        ["operator", "add", "clerk1", "--role", "clerk", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD=CLERK,
    )
    assert added.returncode == 0, added.stderr
    refused = run(
        ["settings", "set", "review.required", "no", "--user", "clerk1"], home, password=CLERK
    )
    assert_clean_failure(refused, "经办员无权执行此操作")
    settings = _settings(home, "clerk1", CLERK)
    assert settings["review.required"] == {
        "key": "review.required",
        "value": {"required": True},  # unchanged: the default
        "may_change": False,
    }


def test_bad_values_and_keys_are_named_and_nothing_changes(home: Path):
    for key, value, words in (
        ("session.idle_lock_minutes", "0", "session.idle_lock_minutes: 闲置锁定时间应为 1–240"),
        ("sync.guardrails", "20,14,500,5000", "sync.guardrails: 同步提醒阈值必须大于0"),
        ("printing.colour", "red", "没有名为“printing.colour”的中心设置"),
    ):
        assert_clean_failure(run(["settings", "set", key, value, "--user", "admin"], home), words)
    defaults = {key: setting.dump(setting.default) for key, setting in CENTRE_SETTINGS.items()}
    assert {key: item["value"] for key, item in _settings(home).items()} == defaults

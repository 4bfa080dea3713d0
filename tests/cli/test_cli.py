"""The command line as an operator uses it: real processes, real files, no traces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from caseworker import __version__
from caseworker.store.database import head_revision
from tests import procs
from tests.conftest import PRODUCTION_ARGON2


def run(args: list[str], home: Path, *, password: str | None = "admin password 1", **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    environment["CASEWORKER_HOME"] = str(home)
    if password is not None:
        environment["CASEWORKER_PASSWORD"] = password
    environment.update(env)
    return procs.run(
        [sys.executable, "-m", "caseworker", *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def assert_clean_failure(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "caseworker", "--version"], capture_output=True, text=True
    )
    assert result.stdout.strip() == f"caseworker {__version__} (source)"  # not frozen


def test_operator_add_then_that_operator_logs_in(home: Path):
    added = run(
        ["operator", "add", "clerk1", "--role", "clerk", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD="clerk password 1",
    )
    assert added.returncode == 0, added.stderr
    found = run(["find", "张", "--user", "clerk1"], home, password="clerk password 1")
    assert found.returncode == 1  # an empty registry: nothing found, said in words
    assert "没有找到" in found.stdout


def test_setup_derives_with_the_production_argon2_parameters(home: Path):
    # In-process fixtures lower the cost (tests/conftest.py); the command line does not.
    stored = json.loads((home / "caseworker.keys").read_text(encoding="utf-8"))
    (slot,) = [s for s in stored["slots"] if s["kind"] == "password"]
    production = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2}
    assert slot["kdf"] == {"name": "argon2id", **production}
    assert production == PRODUCTION_ARGON2


def test_wrong_password_is_one_clear_line(home: Path):
    result = run(["db", "backup", "--user", "admin"], home, password="not it")
    assert_clean_failure(result, "用户名或密码不正确")


def test_missing_user_and_missing_centre(tmp_path: Path, home: Path):
    assert_clean_failure(run(["find", "张"], home), "--user")
    assert_clean_failure(run(["find", "张", "--user", "admin"], tmp_path / "empty"), "setup")


def test_setup_twice_refuses(home: Path):
    again = run(["setup", "--centre-code", "320281103", "--centre-name", "x", "--admin", "a"], home)
    assert_clean_failure(again, "不会覆盖")


def test_weak_password_is_refused_at_setup(tmp_path: Path):
    result = run(
        ["setup", "--centre-code", "320281103", "--centre-name", "x", "--admin", "a"],
        tmp_path / "weak",
        password="123",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "weak" / "caseworker.keys").exists()


def test_db_backup_and_upgrade(home: Path):
    backup = run(["db", "backup", "--user", "admin"], home)
    assert backup.returncode == 0, backup.stderr
    assert len(list((home / "backups").glob("*.db"))) == 1
    upgrade = run(["db", "upgrade", "--user", "admin"], home)
    assert upgrade.returncode == 0, upgrade.stderr
    assert head_revision() in upgrade.stdout


def test_demo_find_show_and_audit(tmp_path: Path):
    home = tmp_path / "demo"
    demo = run(
        ["demo", "--persons", "120", "--data-dir", str(home)], tmp_path / "unused", password=None
    )
    assert demo.returncode == 0, demo.stderr
    assert "clerk" in demo.stdout and "demo" in demo.stdout
    people = run(["find", "w", "--json", "--user", "clerk", "--limit", "5"], home, password="demo")
    assert people.returncode == 0, people.stderr
    found = json.loads(people.stdout)
    assert 1 <= len(found) <= 5
    first = found[0]
    assert "*" in first["masked_id_number"]
    by_tail = json.loads(
        run(
            ["find", first["id_number"][-6:], "--json", "--user", "clerk"], home, password="demo"
        ).stdout
    )
    assert first["id"] in {p["id"] for p in by_tail}
    shown = run(["show", first["id_number"], "--json", "--user", "clerk"], home, password="demo")
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["id"] == first["id"]
    text_view = run(["show", first["id"], "--user", "clerk"], home, password="demo")
    assert first["name"] in text_view.stdout
    verify = run(["audit", "verify", "--user", "supervisor"], home, password="demo")
    assert verify.returncode == 0, verify.stderr
    assert "完整" in verify.stdout
    missing = run(["show", "11010519491231002X", "--user", "clerk"], home, password="demo")
    assert_clean_failure(missing, "没有")


def test_audit_verify_names_an_entry_rewritten_with_the_database_key(home: Path):
    from sqlalchemy import select, text

    from caseworker.paths import DataPaths
    from caseworker.services.centre import login
    from caseworker.services.journal import audit_hash
    from caseworker.store.models import AuditEntry

    added = run(
        ["operator", "add", "clerk", "--role", "clerk", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD="clerk pass 22",
    )
    assert added.returncode == 0, added.stderr
    fine = run(["audit", "verify", "--user", "admin", "--offline"], home)
    assert fine.returncode == 0, fine.stderr
    assert "完整" in fine.stdout and "县级尚未确认" in fine.stdout
    reset = run(
        ["operator", "reset-password", "clerk", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD="new clerk pass 1",
    )
    assert reset.returncode == 0, reset.stderr
    assert (
        run(["audit", "verify", "--user", "clerk"], home, password="new clerk pass 1").returncode
        == 0
    )
    session = login(DataPaths(home), "admin", "admin password 1")
    try:
        with session.database.writing() as db:
            db.execute(text("UPDATE audit_entry SET operator_name = 'clerk' WHERE seq = 1"))
            previous = "0" * 64
            for entry in db.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
                entry.prev_hash = previous
                entry.hash = audit_hash(entry)
                previous = entry.hash
    finally:
        session.close()
    broken = run(["audit", "verify", "--user", "admin"], home)
    assert broken.returncode == 1, broken.stderr
    assert "签名无效" in broken.stdout and "第 1 条" in broken.stdout
    assert "centre.setup" in broken.stdout and "Traceback" not in broken.stderr


def test_sync_guardrails_are_shown_set_and_checked(home: Path):
    shown = run(["sync", "guardrails", "--user", "admin"], home)
    assert shown.returncode == 0, shown.stderr
    assert "Warn after 3 days or 500 records" in shown.stdout
    changed = run(
        ["sync", "guardrails", "--warn-days", "2", "--block-days", "7", "--user", "admin"], home
    )
    assert changed.returncode == 0, changed.stderr
    assert "Warn after 2 days" in changed.stdout and "after 7 days" in changed.stdout
    again = run(["sync", "guardrails", "--user", "admin"], home)
    assert "Warn after 2 days" in again.stdout  # kept in the centre's settings
    assert_clean_failure(
        run(["sync", "guardrails", "--warn-days", "9", "--user", "admin"], home), "提醒阈值"
    )
    assert "Warn after 2 days" in run(["sync", "guardrails", "--user", "admin"], home).stdout
    added = run(
        ["operator", "add", "li", "--role", "clerk", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD="clerk password 1",
    )
    assert added.returncode == 0, added.stderr
    refused = run(
        ["sync", "guardrails", "--block-days", "30", "--user", "li"],
        home,
        password="clerk password 1",
    )
    assert_clean_failure(refused, "无权")


def test_operator_list_set_role_and_disable(home: Path):
    added = run(
        ["operator", "add", "wang", "--role", "clerk", "--agency", "外包公司", "--user", "admin"],
        home,
        CASEWORKER_NEW_PASSWORD="clerk password 1",
    )
    assert added.returncode == 0, added.stderr
    supervisor_at_agency = ["--role", "supervisor", "--agency", "外包公司"]
    refused = run(["operator", "set-role", "wang", *supervisor_at_agency, "--user", "admin"], home)
    assert_clean_failure(refused, "只能担任经办员")
    moved = run(["operator", "set-role", "wang", "--role", "supervisor", "--user", "admin"], home)
    assert moved.returncode == 0, moved.stderr
    listed = run(["operator", "list", "--json", "--user", "admin"], home)
    rows = {row["username"]: row for row in json.loads(listed.stdout)}
    assert (rows["wang"]["role"], rows["wang"]["agency"]) == ("supervisor", None)
    disabled = run(["operator", "disable", "wang", "--user", "admin"], home)
    assert disabled.returncode == 0 and "已停用" in disabled.stdout
    gone = run(["find", "张", "--user", "wang"], home, password="clerk password 1")
    assert_clean_failure(gone, "用户名或密码不正确")
    listed = run(["operator", "list", "--user", "admin"], home)
    assert "已停用 disabled" in listed.stdout


def test_operator_recover_with_the_printed_key(tmp_path: Path):
    home = tmp_path / "centre"
    setup = run(
        ["setup", "--centre-code", "320281103", "--centre-name", "青阳镇", "--admin", "admin"],
        home,
    )
    recovery_key = next(
        line.strip() for line in setup.stdout.splitlines() if line.startswith("    ")
    )
    wrong = run(
        ["operator", "recover", "admin"],
        home,
        password=None,
        CASEWORKER_RECOVERY_KEY="0" * len(recovery_key),
        CASEWORKER_NEW_PASSWORD="recovered pass 1",
    )
    assert_clean_failure(wrong, "恢复密钥")
    recovered = run(
        ["operator", "recover", "admin"],
        home,
        password=None,
        CASEWORKER_RECOVERY_KEY=recovery_key,
        CASEWORKER_NEW_PASSWORD="recovered pass 1",
    )
    assert recovered.returncode == 0, recovered.stderr
    # The new key's fingerprint, for the county to accept (device accept-key).
    from caseworker.domain.audit_chain import key_fingerprint
    from caseworker.paths import DataPaths
    from caseworker.store.keys import KeyFile

    new_key = KeyFile.load(DataPaths(home).key_file).public_key("admin")[0]
    assert f"新密钥指纹：{key_fingerprint(new_key)}" in recovered.stdout
    assert "by phone or on paper" in recovered.stdout
    assert (
        run(["db", "backup", "--user", "admin"], home, password="recovered pass 1").returncode == 0
    )
    old = run(["db", "backup", "--user", "admin"], home)
    assert_clean_failure(old, "用户名或密码不正确")


def test_idle_lock_minutes_shown_set_and_checked(home: Path):
    shown = run(["idle-lock", "--user", "admin"], home)
    assert shown.returncode == 0 and "10 分钟" in shown.stdout
    assert run(["idle-lock", "3", "--user", "admin"], home).returncode == 0
    assert "3 分钟" in run(["idle-lock", "--user", "admin"], home).stdout
    assert_clean_failure(run(["idle-lock", "0", "--user", "admin"], home), "1–240")

"""`caseworker db backups | restore | accept-loss` and a damaged store, as an operator meets
them: real processes, real files, words instead of traces."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from caseworker.cli.common import run_guarded
from caseworker.services.centre import OpenSession
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from tests.services.test_recovery import _crash_with_damaged_wal

PASSWORD = "admin password 1"  # the `home` fixture's administrator


def _damage(database: Path) -> None:
    data = bytearray(database.read_bytes())
    data[2 * 4096 + 100] ^= 0xFF  # page 3
    database.write_bytes(bytes(data))


def test_damaged_store_is_named_with_its_backups_then_restored(home: Path):
    assert run(["db", "backup", "--user", "admin"], home).returncode == 0
    [backup] = (home / "backups").glob("*.db")
    _damage(home / "caseworker.db")

    refused = run(["find", "张", "--user", "admin"], home)
    assert_clean_failure(refused, "已损坏")
    assert backup.name in refused.stderr and "caseworker db restore" in refused.stderr
    assert "内部错误" not in refused.stderr and "Internal error" not in refused.stderr

    listed = run(["db", "backups", "--user", "admin"], home)
    assert listed.returncode == 0, listed.stderr
    assert backup.name in listed.stdout and "complete" in listed.stdout

    restored = run(["db", "restore", backup.name, "--user", "admin"], home)
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    found = run(["find", "张", "--user", "admin"], home)
    assert found.returncode == 1 and "没有找到" in found.stdout  # opens again, empty registry


def test_restore_refuses_a_backup_that_is_not_one(home: Path, tmp_path: Path):
    fake = tmp_path / "fake.db"
    fake.write_bytes(b"not a database" * 500)
    before = (home / "caseworker.db").read_bytes()
    result = run(["db", "restore", str(fake), "--user", "admin"], home)
    assert_clean_failure(result, "无法解密")
    assert (home / "caseworker.db").read_bytes() == before
    assert not (home / "backups").exists()


def test_a_damaged_page_met_during_a_command_is_not_an_internal_error(
    home: Path, capsys: pytest.CaptureFixture[str]
):
    _damage(home / "caseworker.db")

    def command() -> int:
        connection = sqlcipher.connect(str(home / "caseworker.db"))
        try:
            connection.execute("SELECT * FROM person").fetchall()  # no key: every page fails
        finally:
            connection.close()
        return 0

    status = run_guarded(command, str(home))
    error = capsys.readouterr().err
    assert status == 1
    assert "已损坏" in error and "caseworker db restore" in error
    assert "内部错误" not in error


def test_a_behind_store_is_said_at_login_and_accept_loss_continues(
    centre: OpenSession, tmp_path: Path
):
    crash = _crash_with_damaged_wal(centre, tmp_path / "crashed", keep_shm=True)
    home = crash.paths.root
    verify = run(["audit", "verify", "--user", "clerk"], home, password=CLERK_PASSWORD)
    assert f"{crash.lost[0]} 至 {crash.lost[-1]}" in verify.stderr
    assert "accept-loss" in verify.stderr

    by_clerk = run(["db", "accept-loss", "--user", "clerk"], home, password=CLERK_PASSWORD)
    assert_clean_failure(by_clerk, "无权")
    accepted = run(["db", "accept-loss", "--user", "admin"], home, password=ADMIN_PASSWORD)
    assert accepted.returncode == 0, accepted.stderr
    assert "已确认损失" in accepted.stdout and crash.lost[-1] in accepted.stdout

    again = run(["audit", "verify", "--user", "clerk"], home, password=CLERK_PASSWORD)
    assert again.returncode == 0, again.stderr
    assert "注意" not in again.stderr


def test_db_backups_lists_nothing_in_words(home: Path):
    listed = run(["db", "backups", "--user", "admin"], home, password=PASSWORD)
    assert listed.returncode == 0 and "没有备份" in listed.stdout

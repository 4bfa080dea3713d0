"""The command lines as operators use them: offline transfer by file, status, admin commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import procs
from tests.upstream.harness import enrol_people, new_centre


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")} | env
    return procs.run(
        args, capture_output=True, text=True, env=environment, timeout=180, stdin=subprocess.DEVNULL
    )


def upstream(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "caseworker.upstream.cli", *args, "--db", db])


def client(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(
        [sys.executable, "-m", "caseworker", "sync", *args, "--user", "admin"],
        CASEWORKER_HOME=str(home),
        CASEWORKER_PASSWORD="admin password 1",
    )


@pytest.mark.slow
def test_offline_transfer_by_file_and_the_admin_commands(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'county.db'}"
    home = tmp_path / "centre"
    session = new_centre(home)
    enrol_people(session, 5)
    session.close()

    assert upstream("centre", "add", "320583101", "玉山镇", db=db).returncode == 0
    again = upstream("centre", "add", "320583101", "玉山镇", db=db)
    assert again.returncode == 1 and "centre 320583101 exists" in again.stderr.lower()
    token = upstream("token", "issue", "--centre", "320583101", db=db).stdout.strip()
    assert len(token) >= 20

    # Not registered: sync run says what to do, without a trace.
    result = client(home, "run")
    assert (
        result.returncode != 0
        and "sync register" in result.stderr
        and "Traceback" not in result.stderr
    )
    # Export works without any network; the county imports it once the device is known.
    stick = tmp_path / "stick.json"
    assert client(home, "export", "--out", str(stick)).returncode == 0
    refused = upstream("import", str(stick), db=db)
    assert refused.returncode == 1 and "unknown_device" in refused.stderr

    # Register over HTTP needs a server: do it with the same token through a running one.
    from tests.upstream.harness import Server

    server = Server(db).start()
    try:
        bad = client(home, "register", "--server", server.base, "--token", "not-a-real-token")
        assert bad.returncode != 0 and "令牌无效" in bad.stderr
        ok = client(home, "register", "--server", server.base, "--token", token)
        assert ok.returncode == 0, ok.stderr
        reuse = client(tmp_path / "none", "register", "--server", server.base, "--token", token)
        assert reuse.returncode != 0
    finally:
        server.stop()

    answered = upstream("import", str(stick), "--out", str(tmp_path / "answers.json"), db=db)
    assert answered.returncode == 0, answered.stderr
    # Importing the same file twice is harmless: the stored answers come back.
    assert (
        upstream("import", str(stick), "--out", str(tmp_path / "answers2.json"), db=db).returncode
        == 0
    )
    applied = client(home, "import-answer", str(tmp_path / "answers.json"))
    assert applied.returncode == 0, applied.stderr
    # Five persons, their enrolments and the pension status each enrolment derives.
    assert "accepted=15" in applied.stdout
    status = json.loads(client(home, "status", "--json").stdout)
    assert (status["pending"], status["sending"], status["accepted"]) == (0, 0, 15)

    stats = json.loads(upstream("stats", "--json", db=db).stdout)
    assert stats["persons"] == 5 and stats["enrolments"] == 5 and stats["devices"] == 1
    assert stats["coverage_statuses"] == 5
    assert "320583101" in upstream("devices", db=db).stdout
    batches = json.loads(upstream("batches", "--json", db=db).stdout)
    assert batches[0]["via"] == "file" and batches[0]["counts"] == {"created": 15}
    bad_file = tmp_path / "bad.json"
    bad_file.write_text("{}", encoding="utf-8")
    result = upstream("import", str(bad_file), db=db)
    assert result.returncode == 1 and "not a batch transfer file" in result.stderr
    result = client(home, "import-answer", str(bad_file))
    assert result.returncode != 0 and "not a county answer file" in result.stderr
    result = upstream("reference", "load", str(bad_file), db=db)
    assert result.returncode == 1 and "missing or wrong" in result.stderr

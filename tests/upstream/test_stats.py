"""`caseworker-upstream stats` after real syncs, on SQLite and PostgreSQL: records in,
accepted, rejected and conflicts by township, centre and device, each device's last sync,
and the devices silent for more than N days, as JSON and as a table."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from caseworker.sync.run import run_sync
from caseworker.upstream.activity import activity
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Device
from tests import procs
from tests.upstream.harness import (
    FAST_RETRY,
    Server,
    connect,
    enrol_people,
    new_centre,
    register_raw_device,
    signed_get,
)

YUSHAN, ZHOUSHI, YUSHAN_OFFICE = "320583101", "320583102", "320583101001"


def _county(server: Server, tmp_path: Path) -> str:
    """Yushan enrols five people; Zhoushi the first three of them again (conflicts, and their
    enrolments and statuses rejected); a Yushan office registers and is not heard from for
    ten days. Returns the silent device's id."""
    yushan = new_centre(tmp_path / "a", YUSHAN, "玉山镇")
    zhoushi = new_centre(tmp_path / "b", ZHOUSHI, "周市镇")
    try:
        for session, count in ((yushan, 5), (zhoushi, 3)):
            connect(session, server)
            enrol_people(session, count)
            run_sync(session.database, retry=FAST_RETRY)
    finally:
        yushan.close()
        zhoushi.close()
    silent = register_raw_device(server, YUSHAN_OFFICE)
    db = open_upstream(server.db_url)
    try:
        with db.writing() as session:
            session.execute(
                update(Device)
                .where(Device.id == silent.device_id)
                .values(registered_at=datetime.now(UTC) - timedelta(days=10))
            )
    finally:
        db.close()
    return str(silent.device_id)


def _stats(server: Server, *args: str) -> procs.subprocess.CompletedProcess[str]:
    done = procs.run(
        [
            sys.executable,
            "-m",
            "caseworker.upstream.cli",
            "stats",
            "--db",
            server.db_url,
            *args,
            "--log-dir",
            str(server.log_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_stats_by_township_centre_and_device(server: Server, tmp_path: Path):
    silent = _county(server, tmp_path)

    report = _stats(server, "--json", "--silent-days", "7")
    counts = json.loads(report.stdout)
    assert (counts["persons"], counts["devices"], counts["centres"]) == (5, 3, 3)
    assert counts["silent_after_days"] == 7
    assert counts["silent_devices"] == [silent]
    towns = {t["township_code"]: t for t in counts["by_township"]}
    assert set(towns) == {YUSHAN, ZHOUSHI}
    picked = ("centres", "devices", "silent_devices", "records_in", "accepted", "rejected")
    assert [towns[YUSHAN][k] for k in (*picked, "conflicts")] == [2, 2, 1, 15, 15, 0, 0]
    assert [towns[ZHOUSHI][k] for k in (*picked, "conflicts")] == [1, 1, 0, 9, 0, 6, 3]
    centres = {c["centre_code"]: c for c in counts["by_centre"]}
    assert centres[YUSHAN_OFFICE]["township_code"] == YUSHAN
    assert (centres[YUSHAN_OFFICE]["batches"], centres[YUSHAN_OFFICE]["last_sync"]) == (0, None)
    assert centres[ZHOUSHI]["name"] == "周市镇" and centres[ZHOUSHI]["conflicts"] == 3
    devices = {d["device_id"]: d for d in counts["by_device"]}
    assert devices[silent]["silent"] and devices[silent]["silent_days"] == 10
    synced = [d for d in devices.values() if d["device_id"] != silent]
    assert all(d["last_sync"] and not d["silent"] for d in synced)
    assert sum(d["records_in"] for d in synced) == 24

    # Later, with nobody syncing meanwhile, everyone is silent; the same figures in words.
    db = open_upstream(server.db_url)
    try:
        later = activity(db, 7, now=datetime.now(UTC) + timedelta(days=8))
    finally:
        db.close()
    assert all(d.silent for d in later.devices)

    table = _stats(server, "--silent-days", "30").stdout
    assert "persons" in table and "by township" in table and "by device" in table
    header = next(line for line in table.splitlines() if line.startswith("township"))
    assert header.split() == [
        *("township", "centres", "devices", "silent", "batches", "records", "in"),
        *("accepted", "rejected", "conflicts", "last", "sync", "(UTC)"),
    ]
    row = next(line for line in table.splitlines() if line.startswith(ZHOUSHI + " "))
    assert row.split()[:10] == [ZHOUSHI, "1", "1", "0", "1", "9", "0", "6", "3", row.split()[9]]
    assert "silent for more than 30 days: 0" in table
    assert silent in table  # in the device table


def test_stats_refuse_negative_silent_days(tmp_path: Path):
    done = procs.run(
        [
            sys.executable,
            "-m",
            "caseworker.upstream.cli",
            "stats",
            "--silent-days",
            "-1",
            "--db",
            f"sqlite:///{tmp_path / 'c.db'}",
            "--log-dir",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--silent-days" in done.stderr


def test_a_device_that_only_pulls_is_seen(server: Server):
    signer = register_raw_device(server)
    db = open_upstream(server.db_url)
    try:

        def seen() -> datetime | None:
            with db.reading() as session:
                return session.get_one(Device, signer.device_id).last_seen_at

        assert seen() is None
        path = "/v1/feeds/registry?since=0"
        assert httpx.get(server.base + path, headers=signed_get(signer, path)).status_code == 200
        first = seen()
        assert first is not None
        # Again within the minute: the row is left alone (reads do not churn it).
        assert httpx.get(server.base + path, headers=signed_get(signer, path)).status_code == 200
        assert seen() == first
        [row] = activity(db, 7).devices
        assert (row.last_sync, row.silent) == (first, False)
    finally:
        db.close()

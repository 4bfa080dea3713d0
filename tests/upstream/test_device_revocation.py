"""Revoking a device at the county (a stolen or retired computer): from the commit on,
everything it signs is refused with ``device_revoked`` and changes nothing, a request
captured before is refused too, other devices go on, and the decision is in the county
audit and the device listing. The real server and both command lines; SQLite and
PostgreSQL counties."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from caseworker.services.centre import OpenSession
from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import SyncError, seal_pending
from caseworker.sync.client import Transport
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER
from caseworker.sync.run import register, run_sync
from caseworker.upstream.activity import activity
from caseworker.upstream.chain_reset import accept_device_loss
from caseworker.upstream.db import open_upstream
from caseworker.upstream.devices import issue_token
from caseworker.upstream.intake import Refused
from caseworker.upstream.key_acceptance import accept_key
from caseworker.upstream.models import Base, CountyAudit, Device, EnrolmentToken
from caseworker.upstream.revocation import revoke_in
from tests.sync.test_cli_transfer import client, upstream
from tests.upstream.harness import (
    FAST_RETRY,
    Server,
    connect,
    enrol_people,
    new_centre,
    register_raw_device,
    signed_get,
)

B_CODE = "320583102"
FEED = "/v1/feeds/registry?since=0&limit=500"


def county_state(server: Server) -> dict[str, Any]:
    """Every table's row count, and every device row as it is: what "nothing changed" means."""
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            counts = {
                table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables
            }
            devices = [tuple(row) for row in session.execute(select(Device.__table__))]
            return {"counts": counts, "devices": sorted(devices, key=str)}
    finally:
        db.close()


def revoke(server: Server, device_id: uuid.UUID | str, *extra: str) -> Any:
    return upstream(
        "device",
        "revoke",
        str(device_id),
        *(extra or ("--by", "县社保局 李明", "--note", "玉山镇报告：笔记本电脑被盗")),
        db=server.db_url,
    )


def pending_here(session: OpenSession) -> tuple[int, int]:
    """(outbox entries not accepted, sealed batches): what must survive a refusal."""
    with session.database.reading() as db:
        waiting = db.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.sync_state != "accepted")
        )
        sealed = db.scalar(
            select(func.count()).select_from(SyncBatch).where(SyncBatch.state == "sealed")
        )
    return waiting, sealed


@pytest.fixture
def centre(server: Server, tmp_path: Path):
    session = new_centre(tmp_path / "a")
    connect(session, server)
    yield session
    session.close()


def test_a_revoked_device_is_refused_everywhere_and_nothing_changes(
    server: Server, centre: OpenSession, tmp_path: Path
):
    enrol_people(centre, 2)
    first = run_sync(centre.database, retry=FAST_RETRY)
    assert first.counts == {"accepted": 6}
    with centre.database.reading() as db:
        accepted = db.scalars(select(SyncBatch)).one()
    # Captured before the revocation: a signed feed read, and a batch sealed but not sent.
    captured_read = signed_get(centre_signer(centre), FEED)
    enrol_people(centre, 1, start=10)
    seal_pending(centre.database)
    with centre.database.reading() as db:
        unsent = db.scalars(select(SyncBatch).where(SyncBatch.state == "sealed")).one()
    other = new_centre(tmp_path / "b", B_CODE, "新镇社会保障服务中心")
    try:
        connect(other, server)
        enrol_people(other, 1, start=20)

        revoked = revoke(server, centre.actor.device_id)
        assert revoked.returncode == 0, revoked.stderr
        assert "已停用" in revoked.stdout and "permanent" in revoked.stdout
        before = county_state(server)
        local_before = pending_here(centre)

        # The client's own sync stops with the county's words; nothing is lost here.
        with pytest.raises(SyncError) as caught:
            run_sync(centre.database, retry=FAST_RETRY)
        assert caught.value.code == "device_revoked"
        assert "new enrolment token" in caught.value.message_en
        assert "停用本机" in caught.value.message and "登记令牌" in caught.value.message
        assert pending_here(centre) == local_before
        with centre.database.reading() as db:
            assert db.get_one(SyncBatch, unsent.id).state == "sealed"

        # Whoever holds the key: the unsent batch, the accepted one again (its stored
        # answer is not handed out any more), the captured read, fresh signed reads.
        for batch in (unsent, accepted):
            put = httpx.put(
                f"{server.base}/v1/batches/{batch.id}",
                content=batch.body,
                headers={
                    "Content-Type": "application/json",
                    DEVICE_HEADER: str(centre.actor.device_id),
                    SIGNATURE_HEADER: base64.b64encode(batch.signature).decode(),
                },
                timeout=10,
            )
            assert put.status_code == 403 and put.json()["code"] == "device_revoked"
        read = httpx.get(f"{server.base}{FEED}", headers=captured_read, timeout=10)
        assert read.status_code == 403 and read.json()["code"] == "device_revoked"
        signer = centre_signer(centre)
        for path in (FEED, f"/v1/batches/{accepted.id}", "/v1/audit/head"):
            fresh = httpx.get(f"{server.base}{path}", headers=signed_get(signer, path), timeout=10)
            assert fresh.status_code == 403, path
            assert "new enrolment token" in fresh.json()["message_en"]
        body = b'{"id_number": "320583196001010019", "reason": "moved"}'
        transfer = httpx.post(
            f"{server.base}/v1/transfers",
            content=body,
            headers={
                "Content-Type": "application/json",
                DEVICE_HEADER: str(signer.device_id),
                SIGNATURE_HEADER: base64.b64encode(signer.sign(body)).decode(),
            },
            timeout=10,
        )
        assert transfer.status_code == 403 and transfer.json()["code"] == "device_revoked"
        assert county_state(server) == before

        # Another centre's device is not touched.
        assert run_sync(other.database, retry=FAST_RETRY).counts == {"accepted": 3}
        after = county_state(server)
        assert after["counts"]["batch"] == before["counts"]["batch"] + 1
    finally:
        other.close()


def centre_signer(session: OpenSession) -> Any:
    from caseworker.sync.batches import load_signer

    with session.database.reading() as db:
        return load_signer(db)


def test_the_command_line_records_lists_and_refuses_clearly(server: Server):
    signer = register_raw_device(server, device_number=1)
    kept = register_raw_device(server, device_number=2)
    done = revoke(server, signer.device_id)
    assert done.returncode == 0, done.stderr
    assert f"Revoked: device {signer.device_id}" in done.stdout

    listing = upstream("device", "list", db=server.db_url)
    assert listing.returncode == 0
    line = next(row for row in listing.stdout.splitlines() if str(signer.device_id) in row)
    assert "REVOKED" in line and "县社保局 李明" in line and "笔记本电脑被盗" in line
    other = next(row for row in listing.stdout.splitlines() if str(kept.device_id) in row)
    assert "REVOKED" not in other
    rows = json.loads(upstream("device", "list", "--json", db=server.db_url).stdout)
    by_id = {row["device_id"]: row for row in rows}
    assert by_id[str(signer.device_id)]["state"] == "revoked"
    assert by_id[str(signer.device_id)]["revoked_by"] == "县社保局 李明"
    assert by_id[str(kept.device_id)]["state"] == "active"
    assert by_id[str(kept.device_id)]["revoked_at"] is None
    assert "REVOKED" in upstream("devices", db=server.db_url).stdout

    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            decision = session.scalars(
                select(CountyAudit).where(CountyAudit.action == "device.revoked")
            ).one()
        assert decision.actor == "县社保局 李明"
        assert decision.subject_id == signer.device_id
        assert decision.detail["note"] == "玉山镇报告：笔记本电脑被盗"
        assert decision.detail["device_number"] == 1
        # A revoked device is meant to be silent: `stats` does not chase it.
        report = activity(db, silent_days=0)
        silent = {d.device_id: d.silent for d in report.devices}
        assert silent[str(signer.device_id)] is False
    finally:
        db.close()

    before = county_state(server)
    for device, extra, code, words in (
        (signer.device_id, (), 1, "already revoked"),
        (uuid.uuid4(), (), 1, "No device"),
        ("not-a-device", (), 1, "Not a device id"),
        (kept.device_id, ("--by", " ", "--note", "x"), 1, "--by"),
        (kept.device_id, ("--by", "李明", "--note", " "), 1, "--note"),
        (kept.device_id, ("--by", "李" * 61, "--note", "x"), 1, "up to 60"),
    ):
        result = revoke(server, device, *extra)
        assert result.returncode == code, (device, extra, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert county_state(server) == before
    missing = upstream("device", "revoke", str(kept.device_id), "--by", "李明", db=server.db_url)
    assert missing.returncode == 2 and "--note" in missing.stderr
    # No decision can be made for a revoked device any more.
    db = open_upstream(server.db_url)
    try:
        for decide in (
            lambda: accept_key(db, signer.device_id, "admin", "1a2b3c4d5e6f7a8b", "李明"),
            lambda: accept_device_loss(db, signer.device_id, 0, "李明", "x"),
        ):
            with pytest.raises(Refused) as refused:
                decide()
            assert refused.value.code == "device_revoked" and refused.value.status == 409
    finally:
        db.close()
    assert county_state(server) == before


def test_a_new_token_does_not_revive_a_revoked_device(server: Server, centre: OpenSession):
    """The same data folder cannot register again: its id and key are the revoked ones.
    The token is not used up, so the centre can give it to the computer that replaces it."""
    assert revoke(server, centre.actor.device_id).returncode == 0
    db = open_upstream(server.db_url)
    try:
        token = issue_token(db, centre.actor.centre_code)
    finally:
        db.close()
    before = county_state(server)
    with pytest.raises(SyncError) as caught:
        register(centre.database, centre.actor, server.base, token, retry=FAST_RETRY)
    assert caught.value.code == "device_revoked"
    assert county_state(server) == before
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            assert session.scalars(select(EnrolmentToken.used_at)).all().count(None) == 1
    finally:
        db.close()
    replacement = register_raw_device(server, device_number=2)
    assert replacement.device_id != centre.actor.device_id


def test_the_clients_command_line_says_what_to_do_and_keeps_everything(
    server: Server, tmp_path: Path
):
    home = tmp_path / "a"
    session = new_centre(home)
    try:
        connect(session, server)
        enrol_people(session, 2)
        device_id = session.actor.device_id
    finally:
        session.close()
    assert revoke(server, device_id).returncode == 0
    result = client(home, "run")
    assert result.returncode != 0
    assert "停用本机" in result.stderr and "new enrolment token" in result.stderr
    assert "Traceback" not in result.stderr
    status = client(home, "status")
    assert status.returncode == 0 and "device_revoked" in status.stdout
    assert "发送中 sending 6" in status.stdout  # sealed, kept, waiting; not rejected
    assert "退回 rejected 0" in status.stdout


@pytest.mark.parametrize("upstream_url", ["postgresql"], indirect=True)
def test_a_revocation_during_an_upload_keeps_that_upload_out(
    server: Server, centre: OpenSession, upstream_url: str
):
    """PostgreSQL: the revocation holds the device's row uncommitted while an upload whose
    signature was already checked reaches its transaction; the upload waits on the row,
    then sees the revocation and writes nothing. (SQLite serialises every writer whole, so
    an upload cannot be inside its transaction while a revocation is.)"""
    enrol_people(centre, 2)
    seal_pending(centre.database)
    with centre.database.reading() as db:
        batch = db.scalars(select(SyncBatch)).one()
    db = open_upstream(server.db_url)
    answer: list[httpx.Response] = []
    try:
        with db.writing() as session:
            conn = session.connection()
            revoke_in(conn, centre.actor.device_id, "李明", "被盗")
            pid = conn.scalar(text("SELECT pg_backend_pid()"))
            transport = Transport(server.base, centre_signer(centre), FAST_RETRY)
            upload = threading.Thread(
                target=lambda: answer.append(
                    transport.put_batch(batch.id, batch.body, batch.signature)
                )
            )
            upload.start()
            # Wait (on a condition, not a clock) until the upload's transaction waits on us.
            with db.engine.connect() as watcher:
                while not answer and not watcher.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY"
                        "(pg_blocking_pids(pid))"
                    ),
                    {"pid": pid},
                ):
                    watcher.rollback()  # a new snapshot of pg_stat_activity
                    threading.Event().wait(0.01)  # a poll interval, not a wait for timing
            assert not answer  # it had not finished before the revocation
            before = county_state_in(conn)
        upload.join(timeout=60)
        transport.close()
        (response,) = answer
        assert response.status_code == 403 and response.json()["code"] == "device_revoked"
        with db.reading() as session:
            assert county_state_in(session.connection()) == before
    finally:
        db.close()


def county_state_in(conn: Any) -> dict[str, int]:
    return {
        table.name: conn.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_a_revoked_devices_batch_file_is_refused_and_its_records_wait(
    server: Server, centre: OpenSession, tmp_path: Path
):
    """By USB stick too: `caseworker-upstream import` refuses the batches, and the centre's
    import of the answer file keeps them sealed (not the records' fault, not rejected)."""
    from caseworker.sync.files import export_batches, import_answers
    from caseworker.upstream.admin import import_transfer

    enrol_people(centre, 2)
    out = tmp_path / "batches.json"
    assert export_batches(centre.database, out) == 1
    assert revoke(server, centre.actor.device_id).returncode == 0
    before = county_state(server)
    db = open_upstream(server.db_url)
    try:
        answers = import_transfer(db, out)
    finally:
        db.close()
    (answer,) = answers.answers
    assert answer.error is not None and answer.error.code == "device_revoked"
    assert county_state(server) == before
    answer_file = tmp_path / "answers.json"
    answer_file.write_text(answers.model_dump_json(), encoding="utf-8")
    local = pending_here(centre)
    report = import_answers(centre.database, answer_file)
    assert report.refused == 0 and report.batches == 0
    assert pending_here(centre) == local
    with centre.database.reading() as session:
        (batch,) = session.scalars(select(SyncBatch)).all()
        assert batch.state == "sealed" and batch.last_error.startswith("device_revoked")

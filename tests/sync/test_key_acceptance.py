"""After an administrator recovers access with the printed recovery key, the device signs
their key rotation; the county takes it only once its officer has confirmed that exact key
(``caseworker-upstream device accept-key``), once. Real SQLCipher files, the real server and
the county's command line; SQLite and PostgreSQL counties."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.paths import DataPaths
from caseworker.services.access_recovery import NewKeyNotice, new_key_notice, recover_access
from caseworker.services.centre import setup_centre
from caseworker.sync.audit_check import compare_with_county
from caseworker.sync.batches import SyncError
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import DeviceAuditHead, KeyAcceptance
from tests.sync.test_cli_transfer import upstream
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, review_off


def _county_head(server: Server, device_id: uuid.UUID) -> int:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as s:
            return s.get_one(DeviceAuditHead, device_id).seq
    finally:
        db.close()


def _acceptances(server: Server) -> list[tuple[str, bool]]:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as s:
            rows = s.scalars(select(KeyAcceptance).order_by(KeyAcceptance.id)).all()
            return [(row.fingerprint, row.used_at is not None) for row in rows]
    finally:
        db.close()


def _recover(paths: DataPaths, recovery_key: str, password: str) -> NewKeyNotice:
    session = recover_access(paths, recovery_key, "admin", password)
    try:
        enrol_people(session, 1, start=50)  # work after the recovery, waiting to go up
        return new_key_notice(session)
    finally:
        session.close()


def _sync_refused(paths: DataPaths, password: str) -> SyncError:
    from caseworker.services.centre import login

    session = login(paths, "admin", password)
    try:
        with pytest.raises(SyncError) as refused:
            run_sync(session.database, retry=FAST_RETRY)
        return refused.value
    finally:
        session.close()


def _run_accept(
    server: Server,
    device: str,
    fingerprint: str,
    operator: str = "admin",
    by: str = "县社保局 李明",
) -> subprocess.CompletedProcess[str]:
    return upstream(
        "device",
        "accept-key",
        device,
        "--operator",
        operator,
        "--fingerprint",
        fingerprint,
        "--by",
        by,
        db=server.db_url,
    )


def _accept(server: Server, device_id: uuid.UUID, fingerprint: str, operator: str = "admin") -> str:
    done = _run_accept(server, str(device_id), fingerprint, operator)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_recovered_key_is_taken_once_the_county_confirms_that_very_key(
    server: Server, tmp_path: Path
):
    paths = DataPaths(tmp_path / "centre")
    created = setup_centre(
        paths,
        centre_code="320583101",
        centre_name="玉山镇社会保障服务中心",
        admin_username="admin",
        admin_password="admin password 1",
    )
    admin = review_off(created.session)
    device_id = admin.actor.device_id
    connect(admin, server)
    enrol_people(admin, 2)
    run_sync(admin.database, retry=FAST_RETRY)
    admin.close()
    head = _county_head(server, device_id)

    notice = _recover(paths, created.recovery_key, "recovered admin 1")
    assert notice.device_id == device_id and notice.username == "admin"
    assert notice.fingerprint in notice.message and str(device_id) in notice.message_en
    assert "电话或书面" in notice.message

    # The device signed the rotation: refused, and the county says how to go on.
    refused = _sync_refused(paths, "recovered admin 1")
    assert refused.code == "operator_key_changed"
    assert "caseworker-upstream device accept-key" in refused.message_en
    assert _county_head(server, device_id) == head

    # The officer mistypes (or an impostor's key is read out): still refused, nothing taken.
    wrong = (
        "0000-0000-0000-0000"
        if notice.fingerprint != "0000-0000-0000-0000"
        else "1111-1111-1111-1111"
    )
    _accept(server, device_id, wrong)
    assert _sync_refused(paths, "recovered admin 1").code == "operator_key_changed"
    assert _county_head(server, device_id) == head
    # The right key accepted for another operator does not serve the administrator.
    _accept(server, device_id, notice.fingerprint, operator="clerk")
    assert _sync_refused(paths, "recovered admin 1").code == "operator_key_changed"
    assert _county_head(server, device_id) == head
    assert _acceptances(server) == [(wrong, False), (notice.fingerprint, False)]

    # The fingerprint the administrator read out (in capitals, as people write): taken.
    said = _accept(server, device_id, notice.fingerprint.upper())
    assert notice.fingerprint in said
    from caseworker.services.centre import login

    admin = login(paths, "admin", "recovered admin 1")
    try:
        run_sync(admin.database, retry=FAST_RETRY)
        assert compare_with_county(admin.database, retry=FAST_RETRY).ok
    finally:
        admin.close()
    assert _county_head(server, device_id) > head
    assert _acceptances(server) == [
        (wrong, False),
        (notice.fingerprint, False),
        (notice.fingerprint, True),
    ]

    # A second recovery is a different key: the used acceptance does not let it through.
    head = _county_head(server, device_id)
    second = _recover(paths, created.recovery_key, "recovered admin 2")
    assert second.fingerprint != notice.fingerprint
    assert _sync_refused(paths, "recovered admin 2").code == "operator_key_changed"
    assert _county_head(server, device_id) == head


def test_accept_key_refuses_bad_input_and_records_nothing(server: Server, tmp_path: Path):
    admin = review_off(
        setup_centre(
            DataPaths(tmp_path / "centre"),
            centre_code="320583101",
            centre_name="玉山镇社会保障服务中心",
            admin_username="admin",
            admin_password="admin password 1",
        ).session
    )
    device_id = str(admin.actor.device_id)
    try:
        connect(admin, server)
    finally:
        admin.close()
    for device, fingerprint, operator, by, words in (
        (str(uuid.uuid4()), "1a2b-3c4d-5e6f-7a8b", "admin", "李明", "县级没有登记编号为"),
        ("not-a-device", "1a2b-3c4d-5e6f-7a8b", "admin", "李明", "设备编号格式不对"),
        (device_id, "1a2b-3c4d-5e6f", "admin", "李明", "密钥指纹格式不对"),
        (device_id, "1a2b-3c4d-5e6f-7a8g", "admin", "李明", "16 hex digits"),
        (device_id, "1a2b-3c4d-5e6f-7a8b-9c0d", "admin", "李明", "16位十六进制"),
        (device_id, "1a2b-3c4d-5e6f-7a8b", " ", "李明", "--operator"),
        (device_id, "1a2b-3c4d-5e6f-7a8b", "admin", " ", "--by"),
        # Longer than the county audit keeps (PostgreSQL refused it with a traceback).
        (device_id, "1a2b-3c4d-5e6f-7a8b", "admin", "李" * 61, "60字以内"),
    ):
        result = _run_accept(server, device, fingerprint, operator, by)
        assert result.returncode == 1, (device, fingerprint, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert _acceptances(server) == []
    # Spaces and capitals as people write them are the same fingerprint.
    done = _run_accept(server, device_id, " 1A2B 3C4D 5E6F 7A8B ")
    assert done.returncode == 0, done.stderr
    assert "1a2b-3c4d-5e6f-7a8b" in done.stdout and "accept" in done.stdout.lower()
    assert _acceptances(server) == [("1a2b-3c4d-5e6f-7a8b", False)]

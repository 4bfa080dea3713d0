"""County migration 0012: the revocation columns on ``device``. Devices registered before
stay valid and are listed as active; the downgrade drops the columns again (SQLite and
PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from caseworker.upstream.admin import list_devices
from caseworker.upstream.db import UpstreamDb, _alembic_config, open_upstream
from caseworker.upstream.devices import add_centre
from caseworker.upstream.intake import load_device
from caseworker.upstream.revocation import revoke_device

COLUMNS = {"revoked_at", "revoked_by", "revoke_note"}
# The device table as revision 0011 has it: how a county's existing row was written.
DEVICE_0011 = sa.table(
    "device",
    sa.column("id", sa.Uuid()),
    sa.column("centre_code", sa.String()),
    sa.column("device_number", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("public_key", sa.LargeBinary()),
    sa.column("registered_at", sa.DateTime()),
)


def device_columns(db: UpstreamDb) -> set[str]:
    with db.engine.connect() as connection:
        return {column["name"] for column in sa.inspect(connection).get_columns("device")}


def downgrade(db: UpstreamDb, revision: str) -> None:
    config = _alembic_config()
    with db.engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0012_adds_revocation_and_keeps_every_device_valid(upstream_url: str):
    db = open_upstream(upstream_url, migrate=False)
    try:
        db.upgrade("0011")
        assert not COLUMNS & device_columns(db)
        add_centre(db, "320583101", "玉山镇社会保障服务中心")
        device_id = uuid.uuid4()
        with db.writing() as session:
            session.connection().execute(
                sa.insert(DEVICE_0011).values(
                    id=device_id,
                    centre_code="320583101",
                    device_number=1,
                    name="前台1",
                    public_key=b"k" * 32,
                    registered_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        db.upgrade("0012")
        assert device_columns(db) >= COLUMNS
        (row,) = list_devices(db)
        assert row["device_id"] == device_id and row["state"] == "active"
        assert row["revoked_at"] is None and row["revoked_by"] is None
        with db.reading() as session:
            assert load_device(session.connection(), device_id).id == device_id

        revoke_device(db, device_id, "李明", "报废")
        assert list_devices(db)[0]["state"] == "revoked"
        downgrade(db, "0011")
        assert not COLUMNS & device_columns(db)
        with db.engine.connect() as connection:
            assert connection.scalar(sa.select(DEVICE_0011.c.name)) == "前台1"
    finally:
        db.close()

"""A roster imported through the bulk path goes upstream like any other work: the real county
server accepts its people, households and statuses, and its audit entries (chained and signed
in memory by the bulk writer) join the device's chain the county keeps. Then a re-import
sends nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from caseworker.services.roster_import import ImportOptions, import_roster
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import DeviceAuditEntry, Household, Person
from tests.services.test_roster_import import HEAD, TODAY, _roster, _rows
from tests.upstream.harness import FAST_RETRY, Server, connect, new_centre

QINGYANG = "320281103"


def test_an_imported_roster_reaches_the_county_with_its_audit_chain(
    server: Server, tmp_path: Path
) -> None:
    admin = new_centre(tmp_path / "centre", QINGYANG, "江阴市青阳镇社会保障服务中心")
    try:
        connect(admin, server)
        path = _roster(tmp_path / "r.xlsx", _rows())
        result = import_roster(admin.database, admin.actor, path, ImportOptions(), today=TODAY)
        assert (result.created, result.households_created) == (4, 2)
        report = run_sync(admin.database, retry=FAST_RETRY)
        # 2 households, 4 people and the child's pension status (not concerned until 16).
        assert report.counts == {"accepted": 7}, report
        county = open_upstream(server.db_url)
        try:
            with county.reading() as db:
                assert db.scalar(select(func.count()).select_from(Person)) == 4
                assert db.scalar(select(func.count()).select_from(Household)) == 2
                head = db.scalar(select(Person).where(Person.id_number == HEAD))
                assert head.payload["household_id"] is not None
                actions = db.scalars(select(DeviceAuditEntry.action)).all()
        finally:
            county.close()
        assert actions.count("person.create") == 4 and "import.roster" in actions
        again = import_roster(admin.database, admin.actor, path, ImportOptions(), today=TODAY)
        assert again.unchanged == 4
        assert run_sync(admin.database, retry=FAST_RETRY).counts == {}
    finally:
        admin.close()

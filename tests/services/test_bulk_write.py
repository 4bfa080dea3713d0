"""The bulk write path keeps the rules of one change at a time: chain, signatures, outbox,
clock, search keys and the coverage rows the triggers make."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from caseworker.domain.audit_chain import CHECKPOINT_ACTION
from caseworker.domain.ids import make_id_number
from caseworker.domain.wire import PERSON_FIELDS
from caseworker.services.bulk_write import BulkWriter
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import person_values
from caseworker.services.journal import audit, verify_audit_chain
from caseworker.services.registry import search
from caseworker.services.validation import PersonInput, validate_person
from caseworker.store.models import AuditEntry, CoverageStatus, Device, OutboxEntry, Person, new_id
from caseworker.store.wire import snapshot
from tests.conftest import TODAY

NAMES = ("张三", "李四", "王小明", "赵丽", "钱多多")


def _people(count: int) -> list[dict]:
    rows = []
    for index in range(count):
        valid = validate_person(
            PersonInput(
                id_number=make_id_number(
                    "320583", date(1960 + index % 40, 1 + index % 12, 3), index
                ),
                name=NAMES[index % len(NAMES)],
                hukou_village_code="320583101001",
            ),
            today=TODAY,
        )
        row = {k: None for k in PERSON_FIELDS} | person_values(valid)
        rows.append(row | {"id": new_id(), "version": 1})
    return rows


def _write(writer: BulkWriter, rows: list[dict]) -> None:
    for row in rows:
        writer.add_person(row, is_new=True)
        writer.change(
            action="person.create",
            entity_type="person",
            entity_id=row["id"],
            operation="upsert",
            payload=snapshot(SimpleNamespace(**row), PERSON_FIELDS),
        )


def _counts(session: OpenSession) -> tuple[int, int, int, int]:
    with session.database.reading() as db:
        return tuple(  # type: ignore[return-value]
            db.scalar(select(func.count()).select_from(model))
            for model in (Person, OutboxEntry, AuditEntry, CoverageStatus)
        )


def test_a_bulk_write_keeps_the_chain_the_outbox_the_clock_and_the_search(
    centre: OpenSession,
) -> None:
    people, outbox, entries, _ = _counts(centre)
    with centre.database.reading() as db:
        clock = db.scalar(select(Device.last_hlc))
    rows = _people(250)
    with centre.database.writing() as db:
        audit(db, centre.actor, action="test.before", entity_type="t", entity_id=None, detail={})
        writer = BulkWriter(db, centre.actor, flush_every=64)  # several sends
        _write(writer, rows[:200])
        _write(writer, rows[200:])
        writer.close()
        audit(db, centre.actor, action="test.after", entity_type="t", entity_id=None, detail={})
    after = _counts(centre)
    assert after[0] == people + 250
    with centre.database.reading() as db:
        checkpoints = db.scalar(select(func.count()).where(AuditEntry.action == CHECKPOINT_ACTION))
    # Each send closes the run it holds with a signed checkpoint: several sends, several.
    assert checkpoints >= 4
    assert after[1] == outbox + 250 and after[2] == entries + 252 + checkpoints
    assert after[3] >= 3 * (people + 250)  # the triggers gave each person its lines
    with centre.database.reading() as db:
        report = verify_audit_chain(db)
        assert report.ok, report.problem_en
        hlcs = db.scalars(select(OutboxEntry.hlc).order_by(OutboxEntry.seq)).all()
        assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
        assert db.scalar(select(Device.last_hlc)) == hlcs[-1] > clock
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        assert actions[-1] == "test.after" and actions[-2] == CHECKPOINT_ACTION
        changes = [a for a in actions if a != CHECKPOINT_ACTION]
        assert changes[-252] == "test.before"
    found = search(centre.database, "wangxiaoming", limit=500)
    assert {p.id for p in found} >= {r["id"] for r in rows if r["name"] == "王小明"}


def test_a_failure_rolls_back_everything_the_writer_sent(centre: OpenSession) -> None:
    before = _counts(centre)
    rows = _people(30)
    with pytest.raises(RuntimeError), centre.database.writing() as db:
        writer = BulkWriter(db, centre.actor, flush_every=10)
        _write(writer, rows)
        writer.flush()
        raise RuntimeError("disk full")
    assert _counts(centre) == before
    with centre.database.reading() as db:
        assert verify_audit_chain(db).ok


def test_an_update_re_keys_the_name(centre: OpenSession) -> None:
    rows = _people(1)
    with centre.database.writing() as db, BulkWriter(db, centre.actor) as writer:
        _write(writer, rows)
    renamed = rows[0] | {"name": "孙悟空", "version": 2}
    with centre.database.writing() as db, BulkWriter(db, centre.actor) as writer:
        writer.add_person(renamed, is_new=False)
    assert [p.id for p in search(centre.database, "孙悟空")] == [rows[0]["id"]]
    assert rows[0]["id"] not in {p.id for p in search(centre.database, rows[0]["name"], limit=500)}

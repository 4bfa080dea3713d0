"""The audit trail read by a supervisor: pages, filters, words, masking, and a clerk refused.

Real SQLCipher stores; entries written by the real services.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from caseworker.services.audit_log import NO_FILTER, AuditFilter, audit_page, filter_choices
from caseworker.services.audit_words import ACTION_LABELS
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import enrol
from caseworker.services.errors import PermissionDenied
from caseworker.store.models import AuditEntry, Person
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD
from tests.ui.helpers import AUDIT_BANK_CARD, AUDIT_ID_NUMBER, AUDIT_PHONES, audit_demo_centre
from tests.upstream.harness import enrol_people, person

PACKAGE = Path(__file__).resolve().parents[2] / "caseworker"


@pytest.fixture
def clerk(centre: OpenSession):
    session = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def supervisor(centre: OpenSession):
    session = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    yield session
    session.close()


def _all_seqs(session: OpenSession) -> list[int]:
    with session.database.reading() as db:
        return list(db.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq.desc())))


def _walk(session: OpenSession, wanted: AuditFilter = NO_FILTER, limit: int = 7):
    pages, before = [], None
    while True:
        page = audit_page(session.database, session.actor, wanted, before=before, limit=limit)
        pages.append(page)
        if page.next_before is None:
            return pages
        before = page.next_before


def test_pages_walk_the_whole_trail_newest_first_without_repeats(clerk, supervisor):
    enrol_people(clerk, 12)
    pages = _walk(supervisor)
    seqs = [row.seq for page in pages for row in page.rows]
    assert seqs == _all_seqs(supervisor)  # every entry once, newest first
    assert all(len(page.rows) == 7 for page in pages[:-1])
    assert pages[0].total == len(seqs) and all(p.total is None for p in pages[1:])


def test_filter_by_action_operator_and_day(clerk, supervisor):
    enrol_people(clerk, 5)
    db = supervisor.database
    created = _walk(supervisor, AuditFilter(action="person.create"))
    assert {row.action for page in created for row in page.rows} == {"person.create"}
    assert sum(len(p.rows) for p in created) == created[0].total == 5

    by_clerk = [
        row for page in _walk(supervisor, AuditFilter(operator="clerk")) for row in page.rows
    ]
    assert by_clerk and {row.operator for row in by_clerk} == {"clerk"}
    assert {row.role for row in by_clerk} == {"clerk"}

    # Two entries moved to an earlier day (the chain breaks; the filter is what is tested).
    with db.writing() as session:
        two = session.scalars(
            select(AuditEntry.seq).where(AuditEntry.action == "person.create").limit(2)
        ).all()
        earlier = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
        for seq in two:
            session.execute(
                text("UPDATE audit_entry SET at = :at WHERE seq = :seq"),
                {"at": earlier.replace(tzinfo=None), "seq": seq},
            )
    day = earlier.astimezone().date()
    on_that_day = audit_page(db, supervisor.actor, AuditFilter(day_from=day, day_to=day))
    assert sorted(row.seq for row in on_that_day.rows) == sorted(two)
    week = audit_page(
        db, supervisor.actor, AuditFilter(day_from=day - timedelta(days=3), day_to=day)
    )
    assert week.total == 2
    today = date.today()
    since_today = audit_page(db, supervisor.actor, AuditFilter(day_from=today, day_to=today))
    assert since_today.total == len(_all_seqs(supervisor)) - 2


def test_filter_by_person_through_the_search(clerk, supervisor):
    ids = enrol_people(clerk, 3)
    enrol(clerk.database, clerk.actor, person(90, name="欧阳娜娜"), [])
    with clerk.database.reading() as db:
        number = db.scalar(select(Person.id_number).where(Person.id == ids[1]))
    rows = audit_page(supervisor.database, supervisor.actor, AuditFilter(person=number)).rows
    # The person and their enrolment, nobody else's.
    assert {row.action for row in rows} == {"person.create", "enrolment.create"}
    masked = number[:4] + "*" * 10 + number[-4:]
    assert all(masked in row.entity[0] or "居民养老" in row.entity[0] for row in rows)
    by_name = audit_page(supervisor.database, supervisor.actor, AuditFilter(person="欧阳娜娜"))
    assert [row.action for row in by_name.rows] == ["person.create"]
    nobody = audit_page(supervisor.database, supervisor.actor, AuditFilter(person="司马相如"))
    assert nobody.rows == [] and nobody.total == 0


def test_filter_choices_are_what_the_trail_holds(clerk, supervisor):
    enrol_people(clerk, 1)
    choices = filter_choices(supervisor.database, supervisor.actor)
    assert [name for name, _ in choices.operators] == ["admin", "clerk", "supervisor"]
    actions = dict(choices.actions)
    assert actions["person.create"] == ("登记人员", "Person registered")
    assert "payment.void" not in actions  # none voided: not offered


def test_entries_say_what_changed_without_any_full_number(tmp_path: Path):
    paths = audit_demo_centre(tmp_path / "centre", persons=20)
    session = login(paths, "supervisor", "demo")
    try:
        rows = [r for p in _walk(session, limit=50) for r in p.rows]
        with session.database.reading() as db:
            numbers = set(db.scalars(select(Person.id_number)))
            phones = {p for p in db.scalars(select(Person.phone)) if p}
    finally:
        session.close()
    texts = [
        part
        for row in rows
        for part in (*row.entity, *row.what, *row.operator_name, *row.action_label)
    ]
    secrets = numbers | phones | set(AUDIT_PHONES) | {AUDIT_BANK_CARD, AUDIT_ID_NUMBER}
    leaked = [(s, t) for t in texts for s in secrets if s in t]
    assert leaked == []
    # No long digit run at all (a credit code's digits sit among letters: a business's, public).
    assert not any(re.search(r"(?<![0-9A-Z])\d{11,}(?![0-9A-Z])", t) for t in texts)
    update = next(r for r in rows if r.action == "person.update")
    assert update.what[0] == (
        "银行卡号：（空） → 6222 **** **** 0123；联系电话：138****5678 → 139****4321"
    )
    assert "Phone: 138****5678 → 139****4321" in update.what[1]
    void = next(r for r in rows if r.action == "payment.void")
    assert void.operator_name[0] == "审核员" and void.role == "supervisor"
    assert "作废原因：金额录错，重新收取" in void.what[0]
    setting = next(r for r in rows if r.action == "setting.change")
    assert setting.entity[0] == "中心设置 收据纸张"
    assert setting.what == ("默认（A5 纸） → 80 毫米卷纸", "default (A5 sheet) → 80 mm roll")


def test_a_clerk_may_not_read_the_audit_trail_and_nothing_is_written(clerk: OpenSession):
    enrol_people(clerk, 1)
    before = _all_seqs(clerk)
    with pytest.raises(PermissionDenied) as refused:
        audit_page(clerk.database, clerk.actor)
    assert "经办员无权" in refused.value.message
    with pytest.raises(PermissionDenied):
        filter_choices(clerk.database, clerk.actor)
    # An actor forged with another role's name is still this clerk's role: the role decides.
    forged = dataclasses.replace(clerk.actor, display_name="审核员")
    with pytest.raises(PermissionDenied):
        audit_page(clerk.database, forged, AuditFilter(action="person.create"))
    assert _all_seqs(clerk) == before  # reading is not audited, and a refusal writes nothing


def test_reading_the_trail_writes_no_entry(supervisor: OpenSession):
    with supervisor.database.reading() as db:
        count = db.scalar(select(func.count()).select_from(AuditEntry))
    _walk(supervisor, limit=2)
    filter_choices(supervisor.database, supervisor.actor)
    with supervisor.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == count


def _action_codes_in_code() -> list[tuple[str, int, ast.expr]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "upstream" in path.parts:
            continue  # the county's own audit (county_audit) is not this trail
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # Audit writers name the entity type beside the action (argparse's action= not).
            if isinstance(node, ast.Call) and any(k.arg == "entity_type" for k in node.keywords):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(
                        keyword.value, ast.Constant | ast.IfExp | ast.JoinedStr
                    ):
                        found.append((str(path.relative_to(PACKAGE)), node.lineno, keyword.value))
    return found


def _patterns(value: ast.expr) -> list[str]:
    if isinstance(value, ast.Constant):
        return [re.escape(str(value.value))] if isinstance(value.value, str) else []
    if isinstance(value, ast.IfExp):
        return _patterns(value.body) + _patterns(value.orelse)
    parts = [
        re.escape(part.value) if isinstance(part, ast.Constant) else r"[a-z_]+"
        for part in value.values  # type: ignore[attr-defined]
    ]
    return ["".join(parts)]


def test_every_action_written_has_words_in_both_languages():
    codes = _action_codes_in_code()
    assert len(codes) > 15  # the scan finds the writers (a broken scan would pass anything)
    missing = []
    for file, line, value in codes:
        for pattern in _patterns(value):
            if not any(re.fullmatch(pattern, code) for code in ACTION_LABELS):
                missing.append(f"{file}:{line} {pattern}")
    assert missing == []
    assert all(zh and en and zh != en for zh, en in ACTION_LABELS.values())

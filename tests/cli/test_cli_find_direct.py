"""`caseworker find` and `show` run without SQLAlchemy (store/direct.py, services/sign_in.py):
the same answers as the app's services, the same login refusals and records as the app's
login (centre.login, through the ORM), the same treatment of a store behind its marks or of
another schema revision."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select, update

from caseworker.cli import main
from caseworker.domain.wire import to_jsonable
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.journal import verify_audit_chain
from caseworker.services.login_guard import FAILURES_BEFORE_WAIT, unlock, utc_now
from caseworker.services.registry import person_detail, search
from caseworker.services.sign_in import DirectSession, login_direct
from caseworker.store import failed_logins, revisions
from caseworker.store.connect import unlock_connection
from caseworker.store.database import open_database
from caseworker.store.direct import open_direct
from caseworker.store.keys import KeyFile
from caseworker.store.marks import load_marks
from caseworker.store.models import AuditEntry, Operator, Person, PersonSearchKey
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from tests.prepared import prepared_folder
from tests.services.test_recovery import _crash_with_damaged_wal

PERSONS = 200


@pytest.fixture
def demo(tmp_path: Path) -> DataPaths:
    """A deterministic demo centre of 200 people (built once per test process)."""
    paths = DataPaths(tmp_path / "demo")
    today = date.today()
    prepared_folder(
        paths.root,
        ("demo", PERSONS, today),
        lambda p: build_demo_centre(p, persons=PERSONS, seed=1, today=today),
    )
    return paths


def _cli(
    capsys: pytest.CaptureFixture[str], paths: DataPaths, password: str, *args: str
) -> tuple[int, str, str]:
    """One command in this process, as the shell runs it (the password from the environment)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEWORKER_PASSWORD", password)
        code = main(["--data-dir", str(paths.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _queries(paths: DataPaths) -> dict[str, str]:
    """One query of each kind, taken from the store: ID tail, full ID, name characters,
    full pinyin, initials, phone tail."""
    session = login(paths, "clerk", DEMO_PASSWORD)
    try:
        with session.database.reading() as db:
            person = db.scalars(
                select(Person).where(Person.phone.is_not(None)).order_by(Person.id_number)
            ).first()
            keys = db.scalars(
                select(PersonSearchKey.key).where(PersonSearchKey.person_id == person.id)
            ).all()
    finally:
        session.close()
    latin = sorted((k for k in keys if k.isascii()), key=len)
    return {
        "id_tail": person.id_number[-4:],
        "full_id": person.id_number,
        "name_chars": person.name[:2],
        "pinyin": latin[-1][:4],
        "initials": latin[0],
        "phone_tail": person.phone[-4:],
    }


def test_find_and_show_give_what_the_apps_services_give(demo: DataPaths, capsys):
    queries = _queries(demo)
    app = login(demo, "clerk", DEMO_PASSWORD)
    try:
        for kind, query in queries.items():
            expected = [
                dataclasses.asdict(p)
                | {"masked_id_number": p.masked_id_number, "age": p.age(date.today())}
                for p in search(app.database, query, limit=50)
            ]
            assert expected, f"{kind}: {query!r} should find someone"
            code, out, err = _cli(
                capsys, demo, DEMO_PASSWORD, "find", query, "--json", "--user", "clerk"
            )
            assert code == 0, err
            assert json.loads(out) == to_jsonable(expected), kind
        for reference in (queries["full_id"], str(expected[0]["id"])):
            detail = person_detail(app.database, reference)
            code, out, err = _cli(
                capsys, demo, DEMO_PASSWORD, "show", reference, "--json", "--user", "clerk"
            )
            assert code == 0, err
            assert json.loads(out) == to_jsonable(dataclasses.asdict(detail))
    finally:
        app.close()


def test_the_search_reads_what_the_models_hold(demo: DataPaths):
    """The DB-API search against independent ORM queries over the same store."""
    queries = _queries(demo)
    app = login(demo, "clerk", DEMO_PASSWORD)
    try:
        with app.database.reading() as db:
            people = db.scalars(select(Person)).all()
            by_tail = {p.id for p in people if p.id_number.endswith(queries["id_tail"])}
            by_tail |= {p.id for p in people if (p.phone or "").endswith(queries["id_tail"])}
            prefix = queries["name_chars"]
            by_name = set(
                db.scalars(
                    select(PersonSearchKey.person_id).where(PersonSearchKey.key.startswith(prefix))
                )
            )
            models = {
                p.id: (
                    p.id_number,
                    p.name,
                    p.sex,
                    p.birth_date,
                    p.hukou_village_code,
                    p.phone,
                    tuple(e.scheme for e in p.enrolments if e.status == "active"),
                )
                for p in people
            }
        found = search(app.database, queries["id_tail"], limit=PERSONS)
        assert {p.id for p in found} == by_tail
        assert len(found) == len({p.id for p in found})  # each person once
        assert {p.id for p in search(app.database, prefix, limit=PERSONS)} == by_name
        assert [p.id for p in search(app.database, queries["full_id"])] == [
            i for i, row in models.items() if row[0] == queries["full_id"]
        ]
        for p in found:
            assert (
                p.id_number,
                p.name,
                p.sex,
                p.birth_date,
                p.village_code,
                p.phone,
                p.schemes,
            ) == models[p.id]
    finally:
        app.close()


def test_refusals_before_the_login_are_the_apps(demo: DataPaths, capsys):
    number = _queries(demo)["full_id"]
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    for query, words in ((wrong, "校验"), ("12", "至少输入4位")):
        code, _, err = _cli(capsys, demo, DEMO_PASSWORD, "find", query, "--user", "clerk")
        assert code == 2 and words in err, err
        # Said first, whatever the login would say; and the key being derived meanwhile
        # (a thread) keeps no failed login for a wrong password.
        for user in ("clerk", "nobody"):
            code, _, err = _cli(capsys, demo, "not it", "find", query, "--user", user)
            assert code == 2 and words in err, err
        code, _, err = _cli(capsys, demo, DEMO_PASSWORD, "find", query)
        assert code == 2 and words in err, err
    assert failed_logins.load(demo.failed_logins).failures == []


def test_the_direct_login_is_taken_and_audited_like_the_full_one(centre: OpenSession):
    paths = centre.database.paths
    centre.close()
    attempted = utc_now()
    session = login_direct(
        paths, "clerk", attempted, *unlock(paths, "clerk", CLERK_PASSWORD, attempted)
    )
    assert isinstance(session, DirectSession)
    assert session.actor.username == "clerk" and session.actor.signing_key is not None
    session.close()
    full = login(paths, "admin", ADMIN_PASSWORD)
    try:
        with full.database.reading() as db:
            actions = db.execute(
                select(AuditEntry.action, AuditEntry.operator_name).order_by(AuditEntry.seq)
            ).all()
            assert actions[-2:] == [("operator.login", "clerk"), ("operator.login", "admin")]
            report = verify_audit_chain(db, full.key_file)
        assert report.ok, report.problem
    finally:
        full.close()
    marks = load_marks(paths.marks, full.database_key, KeyFile.load(paths.key_file).file_id)
    assert marks is not None and marks.audit_seq == report.head_seq


def _streak(paths: DataPaths, name: str) -> int:
    streak = failed_logins.streak_of(paths.failed_logins, name)
    return streak.count if streak else 0


def _app_refusal(paths: DataPaths, username: str, password: str) -> Any:
    """What the app's login (through the ORM) says to the same attempt."""
    with pytest.raises(Exception) as refused:
        login(paths, username, password)
    return refused.value


def _refusals(capsys, paths: DataPaths, password: str) -> list[tuple[int, str, str]]:
    return [
        _cli(capsys, paths, password, *command, "--user", "clerk")
        for command in (("find", "0016"), ("show", "320583198001010016"))
    ]


def test_wrong_passwords_lockout_and_disabled_operators_are_refused_as_the_app_refuses_them(
    centre: OpenSession, capsys
):
    paths = centre.database.paths
    app = _app_refusal(paths, "clerk", "not the password")
    for code, _, err in _refusals(capsys, paths, "not the password"):
        assert code == 1 and f"错误：{app.message}" in err, err
    assert _streak(paths, "clerk") == 3  # the app's login, then find and show: one each
    while _streak(paths, "clerk") < FAILURES_BEFORE_WAIT:
        _cli(capsys, paths, "not the password", "find", "0016", "--user", "clerk")
    kept = failed_logins.load(paths.failed_logins).failures
    assert {f.reason for f in kept} == {"wrong_password"}
    app = _app_refusal(paths, "clerk", CLERK_PASSWORD)
    assert "连续5次登录失败" in app.message  # the wait: the password is not even tried
    for code, _, err in _refusals(capsys, paths, CLERK_PASSWORD):
        assert code == 1 and "连续5次登录失败" in err, err
    assert failed_logins.load(paths.failed_logins).failures == kept  # nothing tried, nothing kept

    failed_logins.forget(paths.failed_logins, [], "clerk")  # the wait is over
    with centre.database.writing() as db:  # disabled by another computer's change, slot kept
        db.execute(update(Operator).where(Operator.username == "clerk").values(active=False))
    centre.close()
    app = _app_refusal(paths, "clerk", CLERK_PASSWORD)
    assert "已停用" in app.message
    for code, _, err in _refusals(capsys, paths, CLERK_PASSWORD):
        assert code == 1 and f"错误：{app.message}" in err, err
    kept = failed_logins.load(paths.failed_logins).failures
    assert [f.reason for f in kept][-3:] == ["inactive"] * 3

    # The admin's next login (here the direct one) moves every kept failure into the chain.
    code, _, err = _cli(capsys, paths, ADMIN_PASSWORD, "find", "0016", "--user", "admin")
    assert code == 1, err  # nobody enrolled: nothing found
    assert failed_logins.load(paths.failed_logins).failures == []
    full = login(paths, "admin", ADMIN_PASSWORD)
    try:
        with full.database.reading() as db:
            audited = db.scalar(
                select(func.count()).where(AuditEntry.action == "operator.login_failed")
            )
            assert audited == len(kept)
            assert verify_audit_chain(db, full.key_file).ok
    finally:
        full.close()


def test_a_store_behind_its_marks_is_said_as_the_full_login_says_it(
    centre: OpenSession, tmp_path: Path, capsys
):
    crash = _crash_with_damaged_wal(centre, tmp_path / "crashed", keep_shm=True)
    found = _cli(capsys, crash.paths, CLERK_PASSWORD, "find", "0016", "--user", "clerk")
    assert "注意" in found[2] and crash.lost[-1] in found[2]
    assert len(list((crash.paths.root / "backups").glob("*found-behind.db"))) == 1  # as found
    shown = _cli(
        capsys, crash.paths, CLERK_PASSWORD, "show", "320583198001010016", "--user", "clerk"
    )
    # `audit verify` logs in through the ORM (cli.common.open_session).
    verified = _cli(capsys, crash.paths, CLERK_PASSWORD, "audit", "verify", "--user", "clerk")
    assert found[2].splitlines()[:2] == shown[2].splitlines()[:2] == verified[2].splitlines()[:2]
    assert len(list((crash.paths.root / "backups").glob("*found-behind.db"))) == 1


def _set_revision(paths: DataPaths, key: bytes, revision: str) -> None:
    connection = sqlcipher.connect(str(paths.database))
    try:
        unlock_connection(connection, key)
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.commit()
    finally:
        connection.close()


def test_a_newer_schema_is_refused_and_an_older_one_is_left_to_the_full_open(
    centre: OpenSession, capsys
):
    paths, key = centre.database.paths, centre.database_key
    centre.close()
    _set_revision(paths, key, "9999_from_the_future")
    for command in (("find", "0016"), ("show", "320583198001010016")):
        code, _, err = _cli(capsys, paths, CLERK_PASSWORD, *command, "--user", "clerk")
        assert code == 1 and "更新版本的程序" in err, err

    older = revisions.revision_graph()[revisions.head_revision()]
    assert older is not None
    _set_revision(paths, key, older)
    files = {p.name: p.stat().st_mtime_ns for p in paths.root.iterdir()}
    file_id = KeyFile.load(paths.key_file).file_id
    assert open_direct(paths, key, file_id) is None  # to be migrated: the full open's job
    assert {p.name: p.stat().st_mtime_ns for p in paths.root.iterdir()} == files
    _set_revision(paths, key, revisions.head_revision())
    store = open_direct(paths, key, file_id)
    assert store is not None
    store.close()
    open_database(paths, key, file_id=file_id).close()  # and the full open agrees


def test_a_store_to_be_migrated_is_logged_into_the_full_way_and_migrated(
    centre: OpenSession, capsys
):
    paths, key = centre.database.paths, centre.database_key
    older = revisions.revision_graph()[revisions.head_revision()]
    assert older is not None
    centre.database.downgrade(older)
    centre.close()
    code, _, err = _cli(capsys, paths, CLERK_PASSWORD, "find", "0016", "--user", "clerk")
    assert code == 1, err  # it ran: nothing enrolled, nothing found
    assert list((paths.root / "backups").glob(f"*before-upgrade-from-{older}*"))
    file_id = KeyFile.load(paths.key_file).file_id
    store = open_direct(paths, key, file_id)  # at head again: the direct way opens it
    assert store is not None
    store.close()

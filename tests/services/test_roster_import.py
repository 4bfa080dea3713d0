"""A village roster into the registry: created, updated, unchanged; all or nothing, valid rows
only, a dry run, a cancel; the same person twice, another centre's person, villages."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from caseworker.domain.audit_chain import canonical_json, to_jsonable
from caseworker.domain.coverage import coverage_id
from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login, setup_centre
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.journal import verify_audit_chain
from caseworker.services.registry import person_detail, search
from caseworker.services.roster_import import (
    CHUNK,
    ImportCancelled,
    ImportOptions,
    import_roster,
)
from caseworker.store.models import (
    AuditEntry,
    CoverageStatus,
    Household,
    ImportHousehold,
    ImportRow,
    OutboxEntry,
    Person,
)
from caseworker.store.wire import WIRE
from tests.prepared import prepared_centre
from tests.visit_data import CENTRE, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A

TODAY = date(2026, 11, 27)
ADMIN = "correct horse 1"
HEADINGS = [
    "户号",
    "姓名",
    "身份证号",
    "与户主关系",
    "性别",
    "联系电话",
    "村（居）委会",
    "户籍地址",
]


def _id(born: date, sequence: int) -> str:
    return make_id_number("320281", born, sequence)


HEAD = _id(date(1960, 3, 5), 11)
WIFE = _id(date(1962, 8, 9), 22)
CHILD = _id(date(2015, 1, 2), 31)  # under 16: not concerned by the pension line yet
OTHER = _id(date(1975, 6, 1), 41)


def _rows() -> list[list[object]]:
    return [
        ["H1", "王建国", HEAD, "户主", "男", "13812345678", "桐岐社区居委会", "1组1号"],
        ["H1", "李秀英", WIFE, "配偶", "女", None, "桐岐社区", "1组1号"],
        ["H1", "王小宝", CHILD, "子", "男", None, "桐岐社区", "1组1号"],
        ["H2", "张三丰", OTHER, "户主", "男", None, "街西村", "3组5号"],
    ]


def _roster(path: Path, rows: list[list[object]], headings: list[str] = HEADINGS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["青阳镇户籍花名册"])  # a title above the headings, as villages write
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _set_up(paths: DataPaths) -> object:
    return setup_centre(
        paths,
        centre_code=CENTRE,
        centre_name="江阴市青阳镇社会保障服务中心",
        township_code=CENTRE,
        admin_username="admin",
        admin_password=ADMIN,
    )


@pytest.fixture
def admin(data_paths: DataPaths) -> Iterator[OpenSession]:
    session = prepared_centre(data_paths, "roster_import.centre", _set_up).session
    yield session
    session.close()


def _counts(session: OpenSession) -> dict[str, int]:
    with session.database.reading() as db:
        return {
            model.__name__: db.scalar(select(func.count()).select_from(model))
            for model in (Person, Household, OutboxEntry, AuditEntry, ImportRow, ImportHousehold)
        }


def _import(session: OpenSession, path: Path, **options: object):
    return import_roster(
        session.database, session.actor, path, ImportOptions(**options), today=TODAY
    )


def test_a_roster_creates_people_in_their_households_with_outbox_audit_and_statuses(
    admin: OpenSession, tmp_path: Path
) -> None:
    before = _counts(admin)
    result = _import(admin, _roster(tmp_path / "r.xlsx", _rows()))
    assert (result.rows, result.created, result.rejected, result.households_created) == (4, 4, 0, 2)
    assert result.written
    after = _counts(admin)
    assert after["Person"] - before["Person"] == 4 and after["Household"] - before["Household"] == 2
    # 2 households + 4 people + the child's pension line (not concerned until 16)
    assert after["OutboxEntry"] - before["OutboxEntry"] == 7
    assert after["ImportRow"] == after["ImportHousehold"] == 0  # the scratch is emptied
    head = person_detail(admin.database, HEAD)
    wife = person_detail(admin.database, WIFE)
    assert head.household_id == wife.household_id is not None
    assert (head.relationship_to_head, wife.relationship_to_head) == ("02", "10")
    assert head.phone == "13812345678" and head.hukou_village_code == VILLAGE_A
    assert person_detail(admin.database, OTHER).household_id != head.household_id
    assert [p.id_number for p in search(admin.database, "wangjianguo")] == [HEAD]
    with admin.database.reading() as db:
        assert verify_audit_chain(db).ok
        child = person_detail(admin.database, CHILD).id
        pension = db.get(CoverageStatus, (child, "pension"))
        assert (pension.status, pension.reason) == ("not_applicable", "under_16")
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert last.action == "import.roster" and last.detail["created"] == 4


def test_importing_the_same_file_again_changes_nothing(admin: OpenSession, tmp_path: Path) -> None:
    path = _roster(tmp_path / "r.xlsx", _rows())
    _import(admin, path)
    before = _counts(admin)
    again = _import(admin, path)
    assert (again.created, again.updated, again.unchanged, again.households_created) == (0, 0, 4, 0)
    after = _counts(admin)
    assert {k: v for k, v in after.items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }
    assert after["AuditEntry"] == before["AuditEntry"] + 1  # the import itself, nothing else


def test_a_row_already_in_the_registry_is_updated_not_duplicated(
    admin: OpenSession, tmp_path: Path
) -> None:
    _import(admin, _roster(tmp_path / "r.xlsx", _rows()))
    changed = _rows()
    changed[1][5] = "13900001111"  # the wife has a phone now
    result = _import(admin, _roster(tmp_path / "r2.xlsx", changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    wife = person_detail(admin.database, WIFE)
    assert wife.phone == "13900001111" and wife.version == 2
    assert wife.history[-1].action == "person.update"
    assert wife.history[-1].detail["changes"]["phone"] == [None, "13900001111"]
    assert [p.id_number for p in search(admin.database, WIFE)] == [WIFE]


def test_each_payload_is_the_stored_row_and_its_audit_entry_hashes_it_as_stored(
    admin: OpenSession, tmp_path: Path
) -> None:
    """The bulk path snapshots rows from their values, not the models: what it sends is what
    the store's own snapshot of the row says, and each change's audit entry carries the hash
    of the payload as the outbox stores it (created, derived and updated alike)."""
    with admin.database.reading() as db:
        first_seq = db.scalar(select(func.coalesce(func.max(OutboxEntry.seq), 0)))
    _import(admin, _roster(tmp_path / "r.xlsx", _rows()))
    changed = _rows()
    changed[1][5] = "13900001111"
    _import(admin, _roster(tmp_path / "r2.xlsx", changed))
    models = {"person": Person, "household": Household}
    with admin.database.reading() as db:
        sent = db.scalars(select(OutboxEntry).where(OutboxEntry.seq > first_seq)).all()
        assert (
            sorted(o.entity_type for o in sent) == ["coverage"] + ["household"] * 2 + ["person"] * 5
        )
        latest: dict[object, OutboxEntry] = {o.entity_id: o for o in sent}  # in seq order
        for entry in latest.values():
            if entry.entity_type == "coverage":
                person_id = uuid.UUID(entry.payload["person_id"])
                row = db.get(CoverageStatus, (person_id, entry.payload["line"]))
                assert row is not None and coverage_id(row.person_id, row.line) == entry.entity_id
                expected = WIRE["coverage"].snapshot(row) | {"id": entry.entity_id}
            else:
                stored = db.get(models[entry.entity_type], entry.entity_id)
                expected = WIRE[entry.entity_type].snapshot(stored)
            assert entry.payload == to_jsonable(expected), entry.entity_type
        audited = {
            a.detail["outbox_id"]: a.detail["payload_sha256"]
            for a in db.scalars(select(AuditEntry).where(AuditEntry.action != "audit.checkpoint"))
            if "outbox_id" in a.detail
        }
        for entry in sent:
            digest = hashlib.sha256(canonical_json(entry.payload)).hexdigest()
            assert audited[str(entry.id)] == digest
        assert verify_audit_chain(db).ok


def test_one_bad_row_and_nothing_is_imported_with_the_report_saying_why(
    admin: OpenSession, tmp_path: Path
) -> None:
    rows = _rows()
    rows[2][2] = CHILD[:-1] + ("0" if CHILD[-1] != "0" else "1")  # a wrong check character
    before = _counts(admin)
    report = tmp_path / "report.xlsx"
    result = _import(admin, _roster(tmp_path / "r.xlsx", rows), report_path=report)
    assert not result.written and result.rejected == 1 and result.created == 3
    assert "整个文件都没有导入" in result.why_not_written_zh
    assert [p.row for p in result.problems] == [5] and result.problems[
        0
    ].problem.column == "id_number"
    assert _counts(admin) == before
    book = load_workbook(report, read_only=True)
    sheet = book[book.sheetnames[1]]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    bad = next(r for r in values if len(r) > 1 and r[1] == "王小宝")
    assert "身份证号" in str(bad[-1]) and "校验" in str(bad[-1])
    assert bad[8] == "未导入"
    assert next(r for r in values if len(r) > 1 and r[1] == "王建国")[8] == "可新增（未写入）"
    # The long problem wraps to two lines, and its row is made tall enough to show them.
    number = next(i for i, r in enumerate(values, 1) if len(r) > 1 and r[1] == "王小宝")
    assert load_workbook(report)[book.sheetnames[1]].row_dimensions[number].height == 30


def test_valid_rows_only_imports_the_rest(admin: OpenSession, tmp_path: Path) -> None:
    rows = _rows()
    rows[2][1] = ""  # no name
    result = _import(admin, _roster(tmp_path / "r.xlsx", rows), valid_only=True)
    assert result.written and (result.created, result.rejected) == (3, 1)
    assert result.problems[0].problem.column == "name"
    with pytest.raises(ServiceError):
        person_detail(admin.database, CHILD)


def test_a_dry_run_checks_everything_and_writes_nothing(admin: OpenSession, tmp_path: Path) -> None:
    before = _counts(admin)
    result = _import(admin, _roster(tmp_path / "r.xlsx", _rows()), dry_run=True)
    assert (result.created, result.written) == (4, False)
    assert "试导入" in result.why_not_written_zh
    assert _counts(admin) == before


def test_a_cancel_rolls_back_the_rows_already_written(admin: OpenSession, tmp_path: Path) -> None:
    rows = [
        [
            f"H{n}",
            "王某",
            _id(date(1950, 1, 1) + timedelta(days=n), 11),
            "户主",
            None,
            None,
            "街西村",
            f"{n}号",
        ]
        for n in range(1, 2 * CHUNK + 201)  # two chunks and part of a third
    ]
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2  # after two chunks were written

    before = _counts(admin)
    with pytest.raises(ImportCancelled):
        import_roster(
            admin.database,
            admin.actor,
            _roster(tmp_path / "r.xlsx", rows),
            ImportOptions(),
            cancelled=cancelled,
            today=TODAY,
        )
    assert len(asked) == 3 and _counts(admin) == before


def test_a_cancel_during_the_last_chunk_keeps_nothing(admin: OpenSession, tmp_path: Path) -> None:
    rows = _rows()  # one chunk: the cancel comes while it is written, before the commit
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    before = _counts(admin)
    with pytest.raises(ImportCancelled):
        import_roster(
            admin.database,
            admin.actor,
            _roster(tmp_path / "r.xlsx", rows),
            ImportOptions(),
            cancelled=cancelled,
            today=TODAY,
        )
    assert len(asked) == 2 and _counts(admin) == before


def test_the_same_person_twice_in_one_file_is_rejected_naming_the_first_row(
    admin: OpenSession, tmp_path: Path
) -> None:
    rows = [*_rows(), ["H3", "王建国", HEAD, "户主", "男", None, "街西村", "9号"]]
    result = _import(admin, _roster(tmp_path / "r.xlsx", rows), valid_only=True)
    assert (result.created, result.rejected) == (4, 1)
    assert result.problems[0].row == 7 and "第3行" in result.problems[0].problem.zh


def test_another_centres_person_is_refused_and_left_as_it_is(
    admin: OpenSession, tmp_path: Path
) -> None:
    _import(admin, _roster(tmp_path / "r.xlsx", _rows()))
    with admin.database.writing() as db:
        db.scalar(select(Person).where(Person.id_number == OTHER)).owner_centre_code = "320281107"
    changed = _rows()
    changed[3][1] = "张三"
    result = _import(admin, _roster(tmp_path / "r2.xlsx", changed), valid_only=True)
    assert result.rejected == 1 and "320281107" in result.problems[0].problem.zh
    assert person_detail(admin.database, OTHER).name == "张三丰"


def test_villages_by_name_by_option_and_outside_the_township(
    admin: OpenSession, tmp_path: Path
) -> None:
    no_village = [r[:6] + r[7:] for r in _rows()]
    headings = HEADINGS[:6] + HEADINGS[7:]
    path = _roster(tmp_path / "nv.xlsx", no_village, headings)
    refused = _import(admin, path, dry_run=True)
    assert refused.rejected == 4 and refused.problems[0].problem.column == "village"
    chosen = _import(admin, path, village_code=VILLAGE_A)
    assert chosen.created == 4
    assert person_detail(admin.database, OTHER).hukou_village_code == VILLAGE_A
    with pytest.raises(ServiceError) as outside:
        _import(admin, path, village_code=OTHER_TOWNSHIP_VILLAGE)
    assert "不是本乡镇" in outside.value.message
    unknown = _rows()
    unknown[3][6] = "花果山村"
    result = _import(admin, _roster(tmp_path / "u.xlsx", unknown), dry_run=True)
    assert result.rejected == 1 and "花果山村" in result.problems[0].problem.zh


def test_a_column_mapped_by_the_clerk_is_read(admin: OpenSession, tmp_path: Path) -> None:
    headings = [
        "户号",
        "名",
        "公民号",
        "与户主关系",
        "性别",
        "联系电话",
        "村（居）委会",
        "户籍地址",
    ]
    path = _roster(tmp_path / "m.xlsx", _rows(), headings)
    mapping = {0: "household_number", 1: "name", 2: "id_number", 3: "relationship", 6: "village"}
    result = _import(admin, path, mapping=mapping)
    assert result.created == 4 and person_detail(admin.database, HEAD).phone is None


def test_a_clerk_may_not_import_a_roster(admin: OpenSession, tmp_path: Path) -> None:
    from caseworker.services.actor import Role
    from caseworker.services.centre import add_operator

    add_operator(admin, username="clerk", password="clerk pass 22", role=Role.CLERK)
    clerk = login(admin.database.paths, "clerk", "clerk pass 22")
    before = _counts(admin)
    try:
        with pytest.raises(PermissionDenied):
            _import(clerk, _roster(tmp_path / "r.xlsx", _rows()))
    finally:
        clerk.close()
    assert _counts(admin) == before

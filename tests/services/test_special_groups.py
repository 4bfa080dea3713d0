"""Civil affairs' special-group lists on a real centre: matched, unmatched and problem rows,
a name that differs held back, another centre's person refused, the same list twice writing
nothing, a dry run writing nothing, a list without a category column, an expired membership,
the unmatched report read back, and the government-paid worklist picking the people up."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied, ServiceError
from caseworker.services.special_groups import (
    import_special_group_list,
    memberships_of,
    preview_special_group_list,
    write_unmatched,
)
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.worklists import counts, members
from caseworker.store.models import AuditEntry, OutboxEntry, Person, SpecialGroupMembership
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

SHAN = "320583198001010016"  # farmer(): 单雄信
WANG = make_id_number("320583", date(1975, 5, 5), 21)
ZHAO = make_id_number("320583", date(1966, 6, 6), 41)
FAR = make_id_number("320583", date(1970, 3, 3), 51)  # managed by another centre
STRANGER = make_id_number("320583", date(1990, 9, 9), 61)
HEADINGS = ["序号", "姓名", "身份证号码", "救助类别", "认定日期", "有效期至", "认定机关", "证号"]


def workbook(path: Path, rows: list[list], headings: list[str] = HEADINGS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["XX县2026年城乡低保、特困人员名册"])  # a title above the headings
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def town(supervisor: OpenSession, clerk: OpenSession) -> dict[str, object]:
    """单雄信, 王, 赵 enrolled in residents' medical insurance here; 远 managed elsewhere."""
    ids = {}
    for number, name in ((SHAN, "单雄信"), (WANG, "王小二"), (ZHAO, "赵大"), (FAR, "远方")):
        ids[name] = enrol(
            clerk.database,
            clerk.actor,
            farmer(id_number=number, name=name),
            [EnrolmentChoice("resident_medical")],
            today=TODAY,
        ).person_id
    with supervisor.database.writing() as session:
        session.get(Person, ids["远方"]).owner_centre_code = "320583102"
    return ids


def the_list(tmp_path: Path) -> Path:
    return workbook(
        tmp_path / "低保特困名册.xlsx",
        [
            [1, "单雄信", SHAN, "低保对象", "2025-03-01", "2027-02-28", "XX县民政局", "DB001"],
            [2, "王小二", WANG, "特困供养人员", datetime(2024, 1, 1), None, None, "TK002"],
            [3, "赵小", ZHAO, "低保户", "2025-01-01", None, "XX县民政局", None],
            [4, "远方", FAR, "低保对象", "2025-01-01", None, "XX县民政局", None],
            [5, "陌生人", STRANGER, "低保对象", "2025-01-01", None, "XX县民政局", None],
            [6, "错号", "32058319800101001X", "低保对象", None, None, "XX县民政局", None],
            [7, "不明", WANG, "贫困户", None, None, "XX县民政局", None],
            [8, "坏日期", WANG, "低保对象", "2025-13-45", None, "XX县民政局", None],
            [9, "残疾", SHAN, "残疾人", None, None, "XX县民政局", None],
        ],
    )


def written(session: OpenSession) -> tuple[int, int, int, list]:
    with session.database.reading() as db:
        return (
            db.scalar(select(func.count()).select_from(OutboxEntry)),
            db.scalar(select(func.count()).select_from(AuditEntry)),
            db.scalar(select(func.count()).select_from(SpecialGroupMembership)),
            sorted(
                (p.name, tuple(p.special_groups), p.version) for p in db.scalars(select(Person))
            ),
        )


def test_preview_sorts_every_row_and_writes_nothing(supervisor, town, tmp_path):
    path = the_list(tmp_path)
    before = written(supervisor)
    result = preview_special_group_list(
        supervisor.database, supervisor.actor, path, office="XX县民政局", today=TODAY
    )
    assert written(supervisor) == before  # the dry run writes nothing
    assert result.dry_run and result.rows == 9 and result.has_group_column
    assert [(m.registry_name, m.listed.group) for m in result.matched] == [
        ("单雄信", "dibao"),
        ("王小二", "tekun"),
    ]
    shan, wang = result.matched
    assert (shan.listed.valid_from, shan.listed.valid_until) == (
        date(2025, 3, 1),
        date(2027, 2, 28),
    )
    assert shan.listed.office == "XX县民政局" and shan.listed.certificate_number == "DB001"
    assert wang.listed.office == "XX县民政局"  # the clerk's office where the list has none
    assert wang.listed.valid_from == date(2024, 1, 1)
    # A name that differs is held back with both names, never matched silently.
    assert [(m.listed.name, m.registry_name) for m in result.name_differs] == [("赵小", "赵大")]
    assert [(o.registry_name, o.owner_centre_code) for o in result.other_centre] == [
        ("远方", "320583102")
    ]
    assert [u.id_number for u in result.unmatched] == [STRANGER]
    problems = {p.row: p for p in result.problems}
    assert sorted(problems) == [8, 9, 10, 11]  # row numbers as the spreadsheet shows them
    assert "校验" in problems[8].problem or "身份证号" in problems[8].problem
    assert "贫困户" in problems[9].problem and "not one we know" in problems[9].problem_en
    assert "2025-13-45" in problems[10].problem
    assert "残疾等级" in problems[11].problem
    assert result.to_add == 2


def test_import_marks_the_matched_through_the_person_change(supervisor, town, tmp_path):
    path = the_list(tmp_path)
    outbox, audits, _, _ = written(supervisor)
    result = import_special_group_list(
        supervisor.database, supervisor.actor, path, office="XX县民政局", today=TODAY
    )
    assert not result.dry_run
    assert (result.memberships_written, result.people_changed) == (2, 2)
    with supervisor.database.reading() as db:
        people = {p.name: p for p in db.scalars(select(Person))}
        assert people["单雄信"].special_groups == ["dibao"]
        assert people["王小二"].special_groups == ["tekun"]
        assert people["赵大"].special_groups == [] and people["远方"].special_groups == []
        assert people["单雄信"].version == 2  # enrolled (1), marked (2)
        # One person change each (outbox + audit) and one audit entry for the list.
        sent = db.scalars(select(OutboxEntry).where(OutboxEntry.seq > outbox)).all()
        assert sorted(e.payload["special_groups"] for e in sent) == [["dibao"], ["tekun"]]
        entries = db.scalars(select(AuditEntry).where(AuditEntry.seq > audits)).all()
        assert [e.action for e in entries].count("person.update") == 2
        listed = [e for e in entries if e.action == "special_group_list.import"]
        assert len(listed) == 1
        detail = listed[0].detail
        assert detail["file"] == "低保特困名册.xlsx" and detail["sha256"] == result.sha256
        assert (detail["matched"], detail["unmatched"], detail["problems"]) == (2, 1, 4)
        assert SHAN not in str(detail)  # no ID numbers in the trail
        memberships = db.scalars(select(SpecialGroupMembership)).all()
        assert {(m.group_code, m.office, m.source_file) for m in memberships} == {
            ("dibao", "XX县民政局", "低保特困名册.xlsx"),
            ("tekun", "XX县民政局", "低保特困名册.xlsx"),
        }
    shown = memberships_of(supervisor.database, town["单雄信"], today=TODAY)
    assert [(m.group, m.valid_until, m.expired) for m in shown] == [
        ("dibao", date(2027, 2, 28), False)
    ]


def test_the_same_list_again_changes_nothing(supervisor, town, tmp_path):
    path = the_list(tmp_path)
    import_special_group_list(
        supervisor.database, supervisor.actor, path, office="XX县民政局", today=TODAY
    )
    before = written(supervisor)
    again = import_special_group_list(
        supervisor.database, supervisor.actor, path, office="XX县民政局", today=TODAY
    )
    assert written(supervisor) == before  # no outbox, audit or membership rows
    assert (again.memberships_written, again.people_changed) == (0, 0)
    assert all(m.already_recorded and m.already_in_group for m in again.matched)


def test_a_later_list_without_the_person_removes_nothing(supervisor, town, tmp_path):
    import_special_group_list(
        supervisor.database, supervisor.actor, the_list(tmp_path), office="局", today=TODAY
    )
    later = workbook(
        tmp_path / "later.xlsx", [[1, "王小二", WANG, "特困人员", None, None, "XX县民政局", None]]
    )
    result = import_special_group_list(supervisor.database, supervisor.actor, later, today=TODAY)
    # Already in the group: a membership from the new list, no person change.
    assert (result.memberships_written, result.people_changed) == (1, 0)
    with supervisor.database.reading() as db:
        shan = db.scalar(select(Person).where(Person.id_number == SHAN))
        assert shan.special_groups == ["dibao"]


def test_a_list_without_a_category_column_takes_the_clerks_group(supervisor, town, tmp_path):
    path = workbook(
        tmp_path / "tekun.xlsx",
        [["单雄信", SHAN, "2026-01-01"]],
        headings=["姓名", "公民身份号码", "享受起始时间"],
    )
    with pytest.raises(ServiceError) as refused:
        preview_special_group_list(supervisor.database, supervisor.actor, path, today=TODAY)
    assert refused.value.code == "bad_special_group_list"
    assert "类别" in refused.value.message and "choose the group" in refused.value.message_en
    no_office = preview_special_group_list(
        supervisor.database, supervisor.actor, path, group="tekun", today=TODAY
    )
    assert not no_office.matched and "认定机关" in no_office.problems[0].problem
    result = import_special_group_list(
        supervisor.database,
        supervisor.actor,
        path,
        group="tekun",
        office="XX县民政局",
        today=TODAY,
    )
    assert not result.has_group_column and result.people_changed == 1
    with supervisor.database.reading() as db:
        assert db.scalar(select(Person).where(Person.id_number == SHAN)).special_groups == ["tekun"]


def test_an_expired_membership_is_recorded_but_adds_no_group(supervisor, town, tmp_path):
    path = workbook(
        tmp_path / "old.xlsx",
        [[1, "单雄信", SHAN, "低保对象", "2023-01-01", "2025-12-31", "XX县民政局", "DB9"]],
    )
    preview = preview_special_group_list(supervisor.database, supervisor.actor, path, today=TODAY)
    assert not preview.matched and [m.registry_name for m in preview.expired] == ["单雄信"]
    result = import_special_group_list(supervisor.database, supervisor.actor, path, today=TODAY)
    assert (result.memberships_written, result.people_changed) == (1, 0)
    with supervisor.database.reading() as db:
        assert db.scalar(select(Person).where(Person.id_number == SHAN)).special_groups == []
    shown = memberships_of(supervisor.database, town["单雄信"], today=TODAY)
    assert [(m.group, m.expired) for m in shown] == [("dibao", True)]


def test_another_centres_person_is_refused_and_nothing_of_theirs_changes(
    supervisor, town, tmp_path
):
    path = workbook(
        tmp_path / "far.xlsx", [[1, "远方", FAR, "低保对象", None, None, "XX县民政局", None]]
    )
    before = written(supervisor)
    result = import_special_group_list(supervisor.database, supervisor.actor, path, today=TODAY)
    assert written(supervisor) == before
    assert [o.registry_name for o in result.other_centre] == ["远方"]


def test_clerks_may_not_import_and_nothing_is_written(clerk, town, tmp_path):
    path = the_list(tmp_path)
    before = written(clerk)
    for call in (preview_special_group_list, import_special_group_list):
        with pytest.raises(PermissionDenied):
            call(clerk.database, clerk.actor, path, office="局", today=TODAY)
    assert written(clerk) == before


def test_the_unmatched_report_says_what_to_do(supervisor, town, tmp_path):
    result = preview_special_group_list(
        supervisor.database, supervisor.actor, the_list(tmp_path), office="局", today=TODAY
    )
    report = write_unmatched(tmp_path / "unmatched.xlsx", result)
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[2] == ("情况", "行号", "身份证号", "姓名", "群体", "问题", "处理办法")
    body = rows[3:]
    assert [r[1] for r in body] == [5, 6, 7, 8, 9, 10, 11]
    kinds = {r[1]: r[0] for r in body}
    assert kinds[5] == "姓名不符" and kinds[6] == "其他中心管理" and kinds[7] == "未登记"
    assert {kinds[8], kinds[9], kinds[10], kinds[11]} == {"无法读取"}
    stranger = next(r for r in body if r[0] == "未登记")
    assert stranger[2] == STRANGER and "登记参保" in stranger[6]


def test_a_file_that_is_no_list_is_refused_in_words(supervisor, tmp_path):
    path = workbook(tmp_path / "other.xlsx", [["x", "y"]], headings=["品名", "数量"])
    with pytest.raises(ServiceError) as refused:
        preview_special_group_list(supervisor.database, supervisor.actor, path)
    assert "找不到表头" in refused.value.message
    with pytest.raises(ServiceError) as unknown:
        preview_special_group_list(supervisor.database, supervisor.actor, path, group="rich")
    assert "rich" in unknown.value.message_en


def test_the_government_paid_worklist_picks_them_up(supervisor, town, tmp_path):
    database, actor = supervisor.database, supervisor.actor
    spec = WorklistSpec("government_paid_unrecorded")
    assert counts(database, actor, TODAY)["government_paid_unrecorded"] == 0
    import_special_group_list(database, actor, the_list(tmp_path), office="局", today=TODAY)
    listed = members(database, actor, spec, TODAY, limit=None)
    assert {r.person_id for r in listed} == {town["单雄信"], town["王小二"]}
    assert counts(database, actor, TODAY)["government_paid_unrecorded"] == 2

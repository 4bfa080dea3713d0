"""Who is left out: employers whose known workers hold no employees' scheme, on a known set."""

from __future__ import annotations

from datetime import date

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.services.employers import (
    EmployerInput,
    employer_summaries,
    register_employer,
    search_employer_ids,
)
from caseworker.services.employment import JoinInput, join_employee, leave_employee
from caseworker.services.enrolment import enrol
from caseworker.services.household_members import mark_deceased_in
from caseworker.services.left_out import left_out_by_employer
from caseworker.services.validation import PersonInput
from tests.conftest import TODAY
from tests.services.test_employment import enrol_all


def number(n: int) -> str:
    return make_id_number("320583", date(1985, 1, n), n * 2 + 1)


def test_the_worklist_on_a_known_data_set(clerk):
    db, actor = clerk.database, clerk.actor

    def employer(code: str, name: str):
        return register_employer(
            db,
            actor,
            EmployerInput(
                credit_code=make_uscc("91", "320583", code), name=name, employer_type="company"
            ),
        )

    bee = employer("MA1234567", "昆山小蜜蜂网络科技有限公司")
    noodle = employer("MA7654321", "玉山镇小林面馆")
    clean = employer("MA1111111", "昆山守法餐饮有限公司")
    for employer_id in (bee, noodle, clean):
        enrol_all(clerk, employer_id)

    def known(n: int, name: str, employer_id, category: str = "employee"):
        enrol(
            db,
            actor,
            PersonInput(
                id_number=number(n),
                name=name,
                employment_category=category,
                employer_id=employer_id,
            ),
            [],
            today=TODAY,
        )

    # 小蜜蜂: two known workers never enrolled, one enrolled, one retired (not expected).
    known(1, "林小燕", bee)
    known(2, "周大海", bee)
    known(3, "钱多多", bee)
    join_employee(
        db, actor, bee, JoinInput(number(3), date(2026, 3, 1), ["employee_pension"], 500_000)
    )
    known(4, "孙老伯", bee, "retired")
    # 面馆: one known worker, and one who has died (gone from the registry).
    known(5, "李小林", noodle, "flexible")
    known(6, "吴长青", noodle)
    dead = left_out_by_employer(db, actor)  # 吴长青 is still there …
    assert "吴长青" in [p.name for e in dead for p in e.people]
    with db.writing() as session:
        person_id = next(p.person_id for e in dead for p in e.people if p.name == "吴长青")
        mark_deceased_in(session, actor, person_id, date(2026, 6, 1), day=TODAY)
    # 守法: everyone insured, and one who left (no longer theirs, not left out).
    known(7, "郑守法", clean)
    spell = join_employee(
        db, actor, clean, JoinInput(number(7), date(2026, 1, 1), ["employee_pension"], 500_000)
    )
    leave_employee(db, actor, spell.employment_id, date(2026, 6, 30), "resigned")

    found = left_out_by_employer(db, actor)
    assert [(e.name, [p.name for p in e.people]) for e in found] == [
        ("昆山小蜜蜂网络科技有限公司", ["周大海", "林小燕"]),
        ("玉山镇小林面馆", ["李小林"]),
    ]
    assert (
        found[0].people[0].masked_id_number.startswith("3205")
        and "*" in found[0].people[0].masked_id_number
    )
    # The employers page's filter and count read the same rule.
    only = search_employer_ids(db, "", left_out_only=True)
    assert set(only) == {bee, noodle}
    counts = {s.name: s.left_out for s in employer_summaries(db, search_employer_ids(db, ""))}
    assert counts == {
        "昆山小蜜蜂网络科技有限公司": 2,
        "玉山镇小林面馆": 1,
        "昆山守法餐饮有限公司": 0,
    }
    # 增员 takes a person off the list.
    join_employee(
        db, actor, noodle, JoinInput(number(5), date(2026, 11, 1), ["employee_pension"], 500_000)
    )
    assert [e.name for e in left_out_by_employer(db, actor)] == ["昆山小蜜蜂网络科技有限公司"]

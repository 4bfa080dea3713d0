"""单位参保登记, 增员 / 减员 and 缴费基数申报 through the real services on a real store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.domain.ids import make_uscc
from caseworker.services.base_declaration import declare_bases, preview_declaration
from caseworker.services.centre import OpenSession
from caseworker.services.employer_enrolment import EmployerEnrolmentInput, enrol_employer
from caseworker.services.employer_rolls import employment_history, month_changes, roster
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.employment import (
    JoinInput,
    join_employee,
    leave_employee,
)
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import ValidationFailed
from caseworker.services.journal import verify_audit_chain
from caseworker.services.payments import record_payment
from caseworker.services.validation import PersonInput
from caseworker.store.models import BaseDeclaration, Employer, Enrolment, Person
from tests.conftest import TODAY

PARAMETERS = Path(__file__).parents[2] / "resources" / "schemes" / "parameters.json"
CODE = make_uscc("91", "320583", "MA1234567")
WORKER = "320583199001010010"  # born 1990, of age, far from retirement
OTHER = "320583199202020020"


def national_and_province() -> tuple[dict, dict]:
    sets = json.loads(PARAMETERS.read_text(encoding="utf-8"))["parameter_sets"]
    national = next(s for s in sets if s["region"] == "000000" and "employee_pension" in s)
    province = next(s for s in sets if s["region"] == "320000" and "wage_base" in s)
    return national, province


def chain_ok(session: OpenSession) -> None:
    with session.database.reading() as db:
        assert verify_audit_chain(db).ok


def person(number: str, name: str, category: str = "farmer") -> PersonInput:
    return PersonInput(id_number=number, name=name, employment_category=category)


@pytest.fixture
def employer(clerk: OpenSession):
    employer_id = register_employer(
        clerk.database,
        clerk.actor,
        EmployerInput(
            credit_code=CODE,
            name="昆山小蜜蜂网络科技有限公司",
            employer_type="internet_startup",
            risk_class=2,
        ),
    )
    return employer_id


def enrol_all(clerk: OpenSession, employer_id, *, float_bp: int | None = 12000) -> int | None:
    return enrol_employer(
        clerk.database,
        clerk.actor,
        employer_id,
        EmployerEnrolmentInput(
            schemes=["employee_pension", "employee_medical", "unemployment", "work_injury"],
            insured_from=date(2026, 1, 1),
            risk_class=2,
            work_injury_float_bp=float_bp,
        ),
    )


def problems(error: pytest.ExceptionInfo) -> dict[str, str]:
    return {p.field: p.message for p in error.value.errors}


ALL = ["employee_pension", "employee_medical", "unemployment", "work_injury"]


def test_employer_enrolment_takes_schemes_start_and_the_floating_rate(clerk, employer):
    national, _ = national_and_province()
    rate = enrol_all(clerk, employer)
    # Class 2 benchmark from the parameters file, floated up to 120 %: 40 bp × 1.2 = 48 bp.
    assert rate == national["work_injury"]["risk_class_bp"][1] * 12000 // 10000 == 48
    with clerk.database.reading() as session:
        row = session.get_one(Employer, employer)
        assert row.schemes == ALL
        assert row.insured_from == date(2026, 1, 1)
        assert row.work_injury_float_bp == 12000
    chain_ok(clerk)


def test_employer_enrolment_refuses_what_the_rules_do_not_allow(clerk, employer):
    with pytest.raises(ValidationFailed) as error:
        enrol_employer(
            clerk.database,
            clerk.actor,
            employer,
            EmployerEnrolmentInput(
                schemes=["work_injury", "resident_pension"],
                insured_from=None,
                risk_class=1,
                work_injury_float_bp=5000,  # class 1 may not float down
            ),
        )
    found = problems(error)
    assert "不是职工险种" in found["schemes"]
    assert "参保日期" in found["insured_from"]
    assert "120%" in found["work_injury_float"] and "80%" not in found["work_injury_float"]
    with pytest.raises(ValidationFailed) as error:
        enrol_employer(
            clerk.database,
            clerk.actor,
            employer,
            EmployerEnrolmentInput(schemes=["work_injury"], insured_from=date(2026, 1, 1)),
        )
    assert "风险类别" in problems(error)["risk_class"]
    with clerk.database.reading() as session:
        assert session.get_one(Employer, employer).schemes == []  # nothing written


def test_add_remove_and_add_again_across_a_month_boundary(clerk, employer):
    enrol_all(clerk, employer)
    enrol(clerk.database, clerk.actor, person(WORKER, "林小燕"), [], today=TODAY)
    first = join_employee(
        clerk.database,
        clerk.actor,
        employer,
        JoinInput(WORKER, date(2026, 9, 15), ALL, 600_000),
    )
    leave_employee(clerk.database, clerk.actor, first.employment_id, date(2026, 10, 31), "resigned")
    with clerk.database.reading() as session:
        worker = session.scalar(select(Person).where(Person.id_number == WORKER))
        assert worker.employer_id is None and worker.employment_category == "unemployed"
        assert {e.status for e in worker.enrolments} == {"ended"}
    # Back on 1 November (the next month): a new stay; the first is kept as it was.
    again = join_employee(
        clerk.database,
        clerk.actor,
        employer,
        JoinInput(WORKER, date(2026, 11, 1), ALL, 700_000),
    )
    history = employment_history(clerk.database, clerk.actor, again.person_id)
    assert [(h.start_date, h.end_date, h.end_reason) for h in history] == [
        (date(2026, 9, 15), date(2026, 10, 31), "resigned"),
        (date(2026, 11, 1), None, None),
    ]
    with clerk.database.reading() as session:
        enrolments = session.scalars(
            select(Enrolment).where(Enrolment.person_id == again.person_id)
        ).all()
        assert {(e.scheme, e.status, e.start_date, e.end_date, e.base_fen) for e in enrolments} == {
            (scheme, "active", date(2026, 11, 1), None, 700_000) for scheme in ALL
        }
    october = month_changes(clerk.database, clerk.actor, employer, 2026, 10)
    november = month_changes(clerk.database, clerk.actor, employer, 2026, 11)
    assert [r.name for r in october.left] == ["林小燕"] and october.joined == ()
    assert [r.start_date for r in november.joined] == [date(2026, 11, 1)]
    assert november.left == ()
    assert [r.base_fen for r in roster(clerk.database, clerk.actor, employer, TODAY)] == [700_000]
    chain_ok(clerk)


def test_a_stay_that_overlaps_another_is_refused_and_leaving_is_checked(clerk, employer):
    enrol_all(clerk, employer)
    enrol(clerk.database, clerk.actor, person(WORKER, "林小燕"), [], today=TODAY)
    first = join_employee(
        clerk.database, clerk.actor, employer, JoinInput(WORKER, date(2026, 9, 15), ALL, 600_000)
    )
    with pytest.raises(ValidationFailed) as error:
        join_employee(
            clerk.database,
            clerk.actor,
            employer,
            JoinInput(WORKER, date(2026, 10, 1), ALL, 600_000),
        )
    assert "重叠" in problems(error)["start_date"]
    with pytest.raises(ValidationFailed) as error:
        leave_employee(clerk.database, clerk.actor, first.employment_id, date(2026, 9, 1), None)
    found = problems(error)
    assert "早于增员日期" in found["end_date"] and "减员原因" in found["end_reason"]
    leave_employee(clerk.database, clerk.actor, first.employment_id, date(2026, 10, 31), "resigned")
    # Back the same month it ended: still the same days twice.
    with pytest.raises(ValidationFailed) as error:
        join_employee(
            clerk.database,
            clerk.actor,
            employer,
            JoinInput(WORKER, date(2026, 10, 20), ALL, 600_000),
        )
    assert "2026-09-15" in problems(error)["start_date"]
    with pytest.raises(ValidationFailed) as error:
        leave_employee(clerk.database, clerk.actor, first.employment_id, TODAY, "resigned")
    assert "已于2026-10-31减员" in problems(error)["end_date"]


def test_joining_is_checked_field_by_field(clerk, employer):
    _, province = national_and_province()
    average = province["wage_base"]["average_monthly_wage_fen"]  # 7,310 yuan
    with pytest.raises(ValidationFailed) as error:
        join_employee(clerk.database, clerk.actor, employer, JoinInput(WORKER, TODAY, ALL, 600_000))
    found = problems(error)
    assert "尚未办理单位参保登记" in found["schemes"]
    assert "先在前台登记" in found["id_number"]
    enrol_all(clerk, employer)
    enrol(clerk.database, clerk.actor, person(WORKER, "林小燕"), [], today=TODAY)
    too_low = average * 6000 // 10000 - 1
    for base, words in ((too_low, "4,386元至21,930元"), (average * 3 + 1, "4,386元至21,930元")):
        with pytest.raises(ValidationFailed) as error:
            join_employee(
                clerk.database, clerk.actor, employer, JoinInput(WORKER, TODAY, ALL, base)
            )
        assert words in problems(error)["base"]
    with pytest.raises(ValidationFailed) as error:
        join_employee(
            clerk.database,
            clerk.actor,
            employer,
            JoinInput(WORKER, date(2025, 12, 1), ["employee_pension"], 600_000),
        )
    assert "早于单位参保日期" in problems(error)["start_date"]


def test_resident_to_employee_ends_the_residents_scheme_and_warns_of_paid_overlap(clerk, employer):
    enrol_all(clerk, employer)
    enrolled = enrol(
        clerk.database,
        clerk.actor,
        person(WORKER, "林小燕"),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    )
    # 2026's residents' pension paid for the whole year.
    record_payment(
        clerk.database,
        clerk.actor,
        person_id=enrolled.person_id,
        scheme="resident_pension",
        today=TODAY,
    )
    result = join_employee(
        clerk.database,
        clerk.actor,
        employer,
        JoinInput(WORKER, date(2026, 12, 1), ["employee_pension"], 600_000),
    )
    words = " ".join(zh for zh, _ in result.warnings)
    assert "城乡居民基本养老保险已于2026-11-30终止" in words
    assert "已缴至2026-12-31" in words and "重复参保" in words
    with clerk.database.reading() as session:
        rows = {
            e.scheme: e
            for e in session.scalars(
                select(Enrolment).where(Enrolment.person_id == enrolled.person_id)
            )
        }
    resident, employee = rows["resident_pension"], rows["employee_pension"]
    # One continuous record: the residents' scheme ends the day before the employees' begins.
    assert (resident.status, resident.end_date) == ("ended", date(2026, 11, 30))
    assert (employee.status, employee.start_date) == ("active", date(2026, 12, 1))
    # Leaving again, the residents' scheme is open to them at the front desk.
    leave_employee(clerk.database, clerk.actor, result.employment_id, date(2027, 3, 31), "resigned")
    back = enrol(
        clerk.database,
        clerk.actor,
        person(WORKER, "林小燕"),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=date(2027, 4, 2),
    )
    with clerk.database.reading() as session:
        again = session.get_one(Enrolment, back.enrolment_ids["resident_pension"])
        assert (again.status, again.end_date) == ("active", None)


def test_base_declaration_clamps_both_ends_and_prices_each_scheme_by_hand(clerk, employer):
    national, province = national_and_province()
    average = province["wage_base"]["average_monthly_wage_fen"]
    floor = average * province["wage_base"].get("lower_bp", national["wage_base"]["lower_bp"])
    floor //= 10000  # 438,600 fen
    ceiling = average * national["wage_base"]["upper_bp"] // 10000  # 2,193,000 fen
    enrol_all(clerk, employer)
    people = {WORKER: "林小燕", OTHER: "周大海", "320583198503030017": "钱多多"}
    spells = {}
    for number, name in people.items():
        enrol(clerk.database, clerk.actor, person(number, name), [], today=TODAY)
        spells[name] = join_employee(
            clerk.database, clerk.actor, employer, JoinInput(number, date(2026, 3, 1), ALL, floor)
        ).employment_id
    wages = {spells["林小燕"]: 300_000, spells["周大海"]: 3_000_000, spells["钱多多"]: 654_321}
    preview = preview_declaration(clerk.database, clerk.actor, employer, 2026, wages, on=TODAY)
    rows = {r.name: r for r in preview.rows}
    assert (rows["林小燕"].clamped.base_fen, rows["林小燕"].clamped.clamp) == (
        floor,
        "raised_to_floor",
    )
    assert "低于下限" in rows["林小燕"].clamped.reason_zh
    assert (rows["周大海"].clamped.base_fen, rows["周大海"].clamped.clamp) == (
        ceiling,
        "cut_to_ceiling",
    )
    assert "高于上限" in rows["周大海"].clamped.reason_zh
    assert rows["钱多多"].clamped.base_fen == 654_321 and rows["钱多多"].clamped.clamp is None

    # By hand, rounding half up to the fen: 654,321 × rate / 10,000.
    def share(base: int, bp: int) -> int:
        return (base * bp + 5000) // 10000

    injury_bp = national["work_injury"]["risk_class_bp"][1] * 12000 // 10000
    expected = {
        "employee_pension": (national["employee_pension"]["employer_bp"], 800),
        "employee_medical": (national["employee_medical"]["employer_bp"], 200),
        "unemployment": (national["unemployment"]["employer_bp"], 50),
        "work_injury": (injury_bp, 0),
    }
    qian = {a.scheme: (a.employer_fen, a.employee_fen) for a in rows["钱多多"].amounts}
    assert qian == {s: (share(654_321, er), share(654_321, ee)) for s, (er, ee) in expected.items()}
    # The same figures written out: 16 % = 104,691.36 → 104,691; 8 % = 52,345.68 → 52,346 …
    assert qian["employee_pension"] == (104_691, 52_346)
    assert qian["work_injury"] == (3_141, 0)  # 0.48 % of 654,321 = 3,140.74 → 3,141
    assert preview.employer_fen == sum(r.employer_fen for r in preview.rows)

    # Nothing is saved until every employee has a wage.
    with pytest.raises(ValidationFailed) as error:
        declare_bases(clerk.database, clerk.actor, employer, 2026, {spells["林小燕"]: 1}, on=TODAY)
    assert "周大海" in problems(error)["wage"]
    with clerk.database.reading() as session:
        assert session.scalars(select(BaseDeclaration)).all() == []
    declare_bases(clerk.database, clerk.actor, employer, 2026, wages, on=TODAY)
    with clerk.database.reading() as session:
        saved = {
            d.wage_fen: (d.base_fen, d.clamp) for d in session.scalars(select(BaseDeclaration))
        }
        bases = {
            e.base_fen
            for e in session.scalars(select(Enrolment).where(Enrolment.employer_id == employer))
        }
    assert saved == {
        300_000: (floor, "raised_to_floor"),
        3_000_000: (ceiling, "cut_to_ceiling"),
        654_321: (654_321, None),
    }
    assert bases == {floor, ceiling, 654_321}
    chain_ok(clerk)


def test_a_late_join_before_the_residents_enrolment_began_is_warned_whole(clerk, employer):
    enrol_all(clerk, employer)
    enrolled = enrol(
        clerk.database,
        clerk.actor,
        person(WORKER, "林小燕"),
        [EnrolmentChoice("resident_medical")],
        today=TODAY,  # 2026-11-27
    )
    result = join_employee(
        clerk.database,
        clerk.actor,
        employer,
        JoinInput(WORKER, date(2026, 9, 1), ["employee_medical"], 600_000),  # reported late
    )
    words = " ".join(zh for zh, _ in result.warnings)
    assert "晚于职工险种起始日2026-09-01" in words and "整段重复参保" in words
    with clerk.database.reading() as session:
        resident = session.scalar(
            select(Enrolment).where(
                Enrolment.person_id == enrolled.person_id, Enrolment.scheme == "resident_medical"
            )
        )
    # Never an end before its start.
    assert (resident.status, resident.start_date, resident.end_date) == (
        "ended",
        TODAY,
        TODAY,
    )

"""Scheme parameters, eligibility rules and contribution amounts."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.contributions import (
    BaseRange,
    EmployeeRates,
    PlatformPaid,
    TierChoice,
    WorkInjuryRates,
    YearlyAmount,
    apply_rate,
    contribution,
    eligible_schemes,
    format_yuan,
)
from caseworker.domain.errors import InvalidValue
from caseworker.domain.scheme_parameters import ParameterBook, RetirementTrack, load_parameter_book
from caseworker.domain.schemes import (
    EMPLOYMENT_CATEGORIES,
    SCHEME_CODES,
    SPECIAL_GROUPS,
    PersonFacts,
    add_months,
    age_on,
    statutory_retirement_date,
)
from caseworker.resources import load_json

DEMO = "320581"  # a county in the demo province 320000, which has its own parameters
ELSEWHERE = "650102"  # a province with no parameter set of its own and no injury pilot
DAY = date(2025, 3, 1)

NATIONAL_TIERS = {  # yuan: subsidy yuan (the example table in parameters.json)
    100: 30, 200: 30, 300: 30, 400: 40, 500: 60, 600: 60,
    700: 80, 800: 100, 900: 100, 1000: 100, 1500: 150, 2000: 150,
}  # fmt: skip


def raw_parameters() -> dict:
    return copy.deepcopy(load_json("schemes", "parameters.json"))


def facts(
    birth: date = date(1980, 6, 15),
    category: str = "farmer",
    groups: frozenset[str] = frozenset(),
    province: str = DEMO,
    sex: str = "1",
    **flags: bool,
) -> PersonFacts:
    return PersonFacts(birth, sex, category, groups, province, **flags)


def options(person: PersonFacts, day: date = DAY, book: ParameterBook | None = None) -> dict:
    params = (book or load_parameter_book()).for_date(day, person.province_code)
    return {o.scheme: o for o in eligible_schemes(person, day, params)}


def pay(scheme: str, person: PersonFacts, day: date = DAY, **kwargs):
    params = load_parameter_book().for_date(day, person.province_code)
    return contribution(scheme, person, day, params, **kwargs)


# ---------------------------------------------------------------- ages


def test_age_turns_on_the_birthday() -> None:
    assert age_on(date(2009, 3, 10), date(2025, 3, 9)) == 15
    assert age_on(date(2009, 3, 10), date(2025, 3, 10)) == 16


def test_born_on_29_february_ages_on_1_march_in_common_years() -> None:
    assert age_on(date(2000, 2, 29), date(2001, 2, 28)) == 0
    assert age_on(date(2000, 2, 29), date(2001, 3, 1)) == 1
    assert age_on(date(2000, 2, 29), date(2004, 2, 29)) == 4
    assert add_months(date(2000, 2, 29), 12) == date(2001, 3, 1)
    assert add_months(date(2000, 1, 31), 1) == date(2000, 3, 1)


def test_birth_after_the_day_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        age_on(date(2025, 3, 2), DAY)
    assert error.value.field == "birth_date"


def test_resident_pension_from_16_on_the_birthday() -> None:
    teen = facts(date(2009, 3, 10), "farmer")
    before = options(teen, date(2025, 3, 9))["resident_pension"]
    assert not before.eligible
    assert before.reason_zh == "未满16周岁"
    assert before.reason_en == "Under 16 years old"
    assert before.choices is None
    assert options(teen, date(2025, 3, 10))["resident_pension"].eligible


def test_retirement_schedule_of_the_2025_reform() -> None:
    rules = load_parameter_book().for_date(DAY).retirement
    # Men: 60, then one month more for every 4 months of birth from January 1965, up to 63.
    assert rules.male.age_months(date(1964, 12, 31)) == 60 * 12
    assert rules.male.age_months(date(1965, 1, 1)) == 60 * 12 + 1
    assert rules.male.age_months(date(1965, 4, 30)) == 60 * 12 + 1
    assert rules.male.age_months(date(1965, 5, 1)) == 60 * 12 + 2
    assert rules.male.age_months(date(1976, 8, 1)) == 63 * 12 - 1
    assert rules.male.age_months(date(1976, 9, 1)) == 63 * 12
    assert rules.male.age_months(date(1990, 1, 1)) == 63 * 12
    # Women on the 55 track (the one the shipped data uses for individual enrolment).
    assert rules.female.age_months(date(1969, 12, 1)) == 55 * 12
    assert rules.female.age_months(date(1970, 5, 15)) == 55 * 12 + 2
    assert rules.female.age_months(date(1981, 9, 1)) == 58 * 12
    # Women on the 50 track: one month every 2 months from January 1975, up to 55.
    female_50 = RetirementTrack(50, 55, (1975, 1), 2)
    assert female_50.age_months(date(1975, 2, 1)) == 50 * 12 + 1
    assert female_50.age_months(date(1975, 3, 1)) == 50 * 12 + 2
    assert female_50.age_months(date(1984, 11, 1)) == 55 * 12
    assert statutory_retirement_date(date(1965, 2, 10), "1", rules) == (date(2025, 3, 10), 721)
    assert statutory_retirement_date(date(1965, 2, 10), "9", rules) is None


def test_flexible_pension_stops_at_statutory_retirement_age() -> None:
    worker = facts(date(1965, 2, 10), "flexible")
    assert options(worker, date(2025, 3, 9))["employee_pension_flexible"].eligible
    reached = options(worker, date(2025, 3, 10))["employee_pension_flexible"]
    assert not reached.eligible
    assert reached.reason_zh == "已达法定退休年龄（60周岁1个月）"
    older = options(facts(date(1960, 1, 1), "flexible"))["employee_pension_flexible"]
    assert older.reason_zh == "已达法定退休年龄（60周岁）"
    woman = options(facts(date(1970, 5, 15), "flexible", sex="2"), date(2025, 7, 15))
    assert woman["employee_pension_flexible"].reason_zh == "已达法定退休年龄（55周岁2个月）"
    unknown = options(facts(date(1980, 1, 1), "flexible", sex="9"))
    assert unknown["employee_pension_flexible"].reason_zh == "性别不详，无法确定法定退休年龄"


# ---------------------------------------------------------------- eligibility


def test_student_joins_medical_but_not_resident_pension() -> None:
    result = options(facts(date(2005, 1, 1), "student"))
    assert result["resident_pension"].reason_zh == "在校学生不参加城乡居民养老保险"
    assert result["resident_medical"].eligible
    assert not result["employee_pension_flexible"].eligible


def test_retired_person_does_not_contribute_to_pensions() -> None:
    result = options(facts(date(1955, 1, 1), "retired"))
    assert result["resident_pension"].reason_zh == "已退休人员不再参保缴费"
    assert result["employee_pension_flexible"].reason_zh == "已退休人员不再参保缴费"
    assert result["resident_medical"].eligible


def test_child_gets_medical_only() -> None:
    result = options(facts(date(2020, 5, 1), "child"))
    assert [s for s, o in result.items() if o.eligible] == ["resident_medical"]
    assert all(o.reason_zh for o in result.values() if not o.eligible)
    assert list(result) == list(SCHEME_CODES)


def test_employee_pension_member_gets_no_resident_pension() -> None:
    result = options(facts(category="flexible", in_employee_pension=True))
    assert result["resident_pension"].reason_zh == "已参加职工基本养老保险"
    assert result["resident_pension"].reason_en == "Already in the employees' basic pension"
    assert result["employee_pension_flexible"].reason_zh == "已参加职工基本养老保险"
    assert result["resident_medical"].eligible


def test_employee_medical_member_gets_no_resident_medical() -> None:
    result = options(facts(category="employee", in_employee_medical=True))
    assert result["resident_medical"].reason_zh == "已参加职工基本医疗保险"


def test_employee_schemes_are_for_employees() -> None:
    farmer = options(facts(category="farmer"))
    assert farmer["employee_pension"].reason_zh == "请到“用人单位”页为职工增员"  # where it is done
    assert farmer["employee_pension_flexible"].reason_zh == (
        "该就业类别不能以灵活就业人员身份参加职工养老保险"
    )
    employee = options(facts(category="employee"))
    for scheme in ("employee_pension", "employee_medical", "unemployment"):
        assert employee[scheme].choices == EmployeeRates(
            438600, 2193000, *{"employee_pension": (1600, 800), "employee_medical": (800, 200),
                               "unemployment": (50, 50)}[scheme]
        )  # fmt: skip
    assert employee["work_injury"].choices == WorkInjuryRates(
        438600, 2193000, (20, 40, 70, 90, 110, 130, 160, 190)
    )
    assert employee["resident_pension"].eligible  # until the employer enrols them


def test_occupational_injury_costs_the_worker_nothing() -> None:
    due = pay("occupational_injury", facts(category="platform_worker"), date(2025, 3, 9))
    assert (due.amount_fen, due.personal_fen, due.period_end) == (0, 0, date(2025, 3, 31))


def test_occupational_injury_only_for_platform_workers_in_pilot_provinces() -> None:
    rider = facts(category="platform_worker")
    assert options(rider, date(2023, 5, 1))["occupational_injury"].choices == PlatformPaid()
    elsewhere = options(facts(category="platform_worker", province=ELSEWHERE))
    assert elsewhere["occupational_injury"].reason_zh == (
        "所在省份未开展新就业形态人员职业伤害保障试点"
    )
    zhejiang = facts(category="platform_worker", province="330106")
    assert not options(zhejiang, date(2025, 6, 30))["occupational_injury"].eligible
    assert options(zhejiang, date(2025, 7, 1))["occupational_injury"].eligible
    courier = options(facts(category="flexible"))["occupational_injury"]
    assert courier.reason_zh == "仅适用于平台从业人员（新就业形态）"
    assert options(rider)["employee_pension_flexible"].eligible


# ---------------------------------------------------------------- amounts


def test_subsidy_for_every_national_tier() -> None:
    choices = options(facts(province=ELSEWHERE))["resident_pension"].choices
    assert {c.tier_fen // 100: c.subsidy_fen // 100 for c in choices} == NATIONAL_TIERS
    for choice in choices:
        assert choice == TierChoice(choice.tier_fen, choice.subsidy_fen, 0, choice.tier_fen)
        paid = pay("resident_pension", facts(province=ELSEWHERE), tier_fen=choice.tier_fen)
        assert (paid.amount_fen, paid.subsidy_fen) == (choice.tier_fen, choice.subsidy_fen)
        assert (paid.period_start, paid.period_end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_demo_province_adds_tiers() -> None:
    choices = options(facts())["resident_pension"].choices
    table = {c.tier_fen // 100: c.subsidy_fen // 100 for c in choices}
    assert table == {**NATIONAL_TIERS, 2500: 200, 3000: 250}
    subsidies = [c.subsidy_fen for c in choices]
    assert subsidies == sorted(subsidies)


def test_hardship_groups_resident_pension() -> None:
    dibao = options(facts(groups=frozenset({"dibao"})))["resident_pension"].choices
    assert dibao[0] == TierChoice(10000, 3000, 10000, 0)  # the lowest tier, fully paid
    assert dibao[2] == TierChoice(30000, 3000, 10000, 20000)  # pays the difference
    for group in ("tekun", "severe_disability", "poverty_monitor"):
        person = facts(groups=frozenset({group}))
        assert pay("resident_pension", person, tier_fen=10000).personal_fen == 0
    plain = facts(groups=frozenset({"disability", "veteran"}))  # not configured: pay in full
    assert pay("resident_pension", plain, tier_fen=10000).personal_fen == 10000


def test_hardship_groups_resident_medical() -> None:
    tekun = pay("resident_medical", facts(groups=frozenset({"tekun"})))
    assert (tekun.amount_fen, tekun.paid_by_government_fen, tekun.personal_fen) == (40000, 40000, 0)
    dibao = pay("resident_medical", facts(groups=frozenset({"dibao"})))
    assert (dibao.paid_by_government_fen, dibao.personal_fen) == (28000, 12000)  # 70%
    both = pay("resident_medical", facts(groups=frozenset({"dibao", "tekun"})))
    assert both.personal_fen == 0  # the more generous group applies
    assert dibao.subsidy_fen == 70000


def test_flexible_base_bounds_and_monthly_amount() -> None:
    worker = facts(category="flexible")
    assert options(worker)["employee_pension_flexible"].choices == BaseRange(
        438600, 2193000, 2000, 800
    )
    odd = pay("employee_pension_flexible", worker, date(2025, 3, 17), base_fen=438603)
    assert odd.amount_fen == 87721  # 87,720.6 fen rounds up
    assert pay("employee_pension_flexible", worker, base_fen=438602).amount_fen == 87720  # .4
    three = pay("employee_pension_flexible", worker, date(2025, 11, 17), base_fen=438603, months=3)
    assert (three.period_start, three.period_end) == (date(2025, 11, 1), date(2026, 1, 31))
    assert three.amount_fen == 3 * 87721 == three.personal_fen
    assert three.personal_account_fen == 3 * 35088  # 8% of 4,386.03 = 350.8824 yuan
    assert (odd.base_fen, odd.period_end) == (438603, date(2025, 3, 31))


def test_bounds_round_lower_up_and_upper_down_to_whole_yuan() -> None:
    data = raw_parameters()
    data["parameter_sets"][-1]["wage_base"]["average_monthly_wage_fen"] = 731050
    params = ParameterBook.from_dict(data).for_date(DAY, DEMO)
    assert params.wage_base.bounds_fen == (438700, 2193100)  # 4,386.30 → 4,387; 21,931.50 → 21,931


def test_round_half_up() -> None:
    assert apply_rate(100, 50) == 1  # 0.5 fen
    assert apply_rate(99, 50) == 0  # 0.495 fen
    assert apply_rate(300, 50) == 2  # 1.5 fen
    assert apply_rate(0, 2000) == 0
    unemployment = pay("unemployment", facts(category="employee"), base_fen=438700)
    assert (unemployment.personal_fen, unemployment.employer_fen) == (2194, 2194)  # 2,193.5


def test_employee_wage_is_clamped_into_the_base_range() -> None:
    employee = facts(category="employee")
    low = pay("employee_pension", employee, base_fen=300000)
    assert (low.base_fen, low.personal_fen, low.employer_fen) == (438600, 35088, 70176)
    assert low.amount_fen == low.personal_fen + low.employer_fen
    assert pay("employee_medical", employee, base_fen=9_000_000).base_fen == 2193000
    injury = pay("work_injury", employee, base_fen=500000, risk_class=8)
    assert (injury.personal_fen, injury.employer_fen) == (0, 9500)
    with pytest.raises(InvalidValue) as error:
        pay("work_injury", employee, base_fen=500000, risk_class=9)
    assert (error.value.field, error.value.message) == ("risk_class", "行业风险类别应为1至8类")


# ---------------------------------------------------------------- dates and provinces


def test_medical_amount_by_year() -> None:
    person = facts()
    y2023 = pay("resident_medical", person, date(2023, 9, 1))
    y2024 = pay("resident_medical", person, date(2024, 1, 1))
    assert (y2023.amount_fen, y2023.subsidy_fen) == (38000, 64000)
    assert (y2024.amount_fen, y2024.subsidy_fen) == (40000, 67000)
    assert (y2024.period_start, y2024.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    choice = options(person, date(2023, 12, 31))["resident_medical"].choices
    assert choice == YearlyAmount(2023, 38000, 64000, 0, 38000)
    assert pay("resident_medical", person, date(2027, 6, 1)).amount_fen == 40000  # carried on


def test_day_before_any_parameters_is_an_error() -> None:
    with pytest.raises(InvalidValue) as error:
        load_parameter_book().for_date(date(2022, 12, 31), DEMO)
    assert (error.value.field, error.value.code) == ("date", "no_parameters")
    assert "2022-12-31" in error.value.message


def test_province_overrides_fall_back_to_national_key_by_key() -> None:
    book = load_parameter_book()
    demo, national = book.for_date(DAY, DEMO), book.for_date(DAY, ELSEWHERE)
    assert demo.province_code == "320000"
    assert demo.wage_base.average_monthly_wage_fen == 731000  # province
    assert demo.wage_base.lower_bp == national.wage_base.lower_bp == 6000  # national
    assert len(demo.resident_pension.tiers) == 14 and len(national.resident_pension.tiers) == 12
    assert demo.resident_pension.paid_by_government_fen["dibao"] == 10000  # national
    assert demo.resident_medical == national.resident_medical
    assert national.wage_base.bounds_fen is None
    flexible = options(facts(category="flexible", province=ELSEWHERE))["employee_pension_flexible"]
    assert flexible.reason_zh == "本省社会平均工资（缴费基数）参数尚未配置"


def test_later_province_set_wins_and_ends() -> None:
    data = raw_parameters()
    data["parameter_sets"].append(
        {
            "region": "320000",
            "effective_from": "2025-07-01",
            "effective_to": "2026-06-30",
            "wage_base": {"average_monthly_wage_fen": 800000},
            "resident_medical": {"individual_fen": 42000, "source": "test"},
        }
    )
    book = ParameterBook.from_dict(data)
    assert book.for_date(date(2025, 6, 30), DEMO).wage_base.bounds_fen == (438600, 2193000)
    july = book.for_date(date(2025, 7, 1), DEMO)
    assert july.wage_base.bounds_fen == (480000, 2400000)
    assert (july.resident_medical.individual_fen, july.resident_medical.subsidy_fen) == (
        42000,
        70000,
    )
    assert july.resident_medical.sources[-1] == "test"
    assert book.for_date(date(2026, 7, 1), DEMO).wage_base.average_monthly_wage_fen == 731000


# ---------------------------------------------------------------- errors


def test_tier_not_offered() -> None:
    with pytest.raises(InvalidValue) as error:
        pay("resident_pension", facts(province=ELSEWHERE), tier_fen=25000)
    assert (error.value.field, error.value.code) == ("tier", "not_allowed")
    assert error.value.message.startswith("缴费档次应为以下之一：100元、200元、300元")
    assert error.value.message.endswith("1,500元、2,000元")
    with pytest.raises(InvalidValue) as error:
        pay("resident_pension", facts(province=ELSEWHERE), tier_fen=300000)
    assert "3,000元" not in error.value.message
    assert pay("resident_pension", facts(), tier_fen=300000).subsidy_fen == 25000


def test_base_out_of_range() -> None:
    worker = facts(category="flexible")
    for base in (438599, 2193001):
        with pytest.raises(InvalidValue) as error:
            pay("employee_pension_flexible", worker, base_fen=base)
        assert (error.value.field, error.value.code) == ("base", "out_of_range")
        assert error.value.message == "缴费基数应在4,386元至21,930元之间"
    with pytest.raises(InvalidValue) as error:
        pay("employee_pension_flexible", worker)
    assert (error.value.field, error.value.code) == ("base", "required")
    with pytest.raises(InvalidValue) as error:
        pay("employee_pension_flexible", worker, base_fen=500000, months=13)
    assert error.value.field == "months"


def test_not_eligible_and_other_scheme_errors() -> None:
    with pytest.raises(InvalidValue) as error:
        pay("resident_pension", facts(date(2015, 1, 1), "child"), tier_fen=10000)
    assert (error.value.field, error.value.code, error.value.message) == (
        "scheme",
        "not_eligible",
        "未满16周岁",
    )
    with pytest.raises(InvalidValue) as error:
        pay("pension", facts())
    assert error.value.code == "unknown_scheme"
    with pytest.raises(InvalidValue) as error:
        pay("resident_medical", facts(), months=2)
    assert error.value.field == "months"


def test_person_facts_validate_codes() -> None:
    with pytest.raises(InvalidValue) as error:
        facts(category="miner")
    assert error.value.field == "employment_category"
    with pytest.raises(InvalidValue):
        facts(groups=frozenset({"rich"}))
    with pytest.raises(InvalidValue):
        facts(province="3205")
    with pytest.raises(InvalidValue):
        facts(sex="M")


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["parameter_sets"][0]["resident_pension"].update(min_age=True), "min_age"),
        (lambda d: d["parameter_sets"][0]["resident_pension"]["tiers"].reverse(), "tiers"),
        (lambda d: d["parameter_sets"][0]["wage_base"].update(lowr_bp=6000), "wage_base"),
        (lambda d: d["parameter_sets"][0].update(pension={}), "pension"),
        (lambda d: d["parameter_sets"][0]["unemployment"].update(employee_bp=10001), "employee"),
        (lambda d: d["parameter_sets"][0].update(region="320500"), "region"),
        (lambda d: d["parameter_sets"][0].update(effective_to="2022-01-01"), "parameter_sets"),
        (lambda d: d["parameter_sets"].append(copy.deepcopy(d["parameter_sets"][1])), "2023"),
    ],
)
def test_malformed_parameters_are_refused(edit, where: str) -> None:
    data = raw_parameters()
    edit(data)
    with pytest.raises(InvalidValue) as error:
        ParameterBook.from_dict(data)
    assert (error.value.field, error.value.code) == ("parameters", "bad_parameters")
    assert where in error.value.message


def test_book_keeps_its_own_copy_of_the_data() -> None:
    data = raw_parameters()
    book = ParameterBook.from_dict(data)
    data["parameter_sets"][1]["resident_medical"]["individual_fen"] = 1
    assert book.for_date(date(2023, 5, 1)).resident_medical.individual_fen == 38000


def test_every_parameter_figure_has_a_source() -> None:
    for item in raw_parameters()["parameter_sets"]:
        assert item.get("source")
        for key, section in item.items():
            if isinstance(section, dict):
                assert section.get("source"), key


def test_fixed_codes_match_the_code_tables() -> None:
    def table(name: str) -> set[str]:
        return {entry["code"] for entry in load_json("codes", f"{name}.json")["entries"]}

    assert table("employment_category") == EMPLOYMENT_CATEGORIES
    assert table("special_group") == SPECIAL_GROUPS
    assert table("scheme") == set(SCHEME_CODES)


def test_format_yuan() -> None:
    assert format_yuan(438600) == "4,386元"
    assert format_yuan(438650) == "4,386.50元"
    assert format_yuan(5) == "0.05元"


# ---------------------------------------------------------------- properties

people = st.builds(
    PersonFacts,
    birth_date=st.dates(date(1930, 1, 1), date(2022, 12, 31)),
    sex=st.sampled_from(["0", "1", "2", "9"]),
    employment_category=st.sampled_from(sorted(EMPLOYMENT_CATEGORIES)),
    special_groups=st.frozensets(st.sampled_from(sorted(SPECIAL_GROUPS))),
    province_code=st.sampled_from([DEMO, ELSEWHERE, "110105", "330106"]),
    in_employee_pension=st.booleans(),
    in_employee_medical=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(person=people, day=st.dates(date(2023, 1, 1), date(2030, 12, 31)))
def test_every_eligible_tier_adds_up(person: PersonFacts, day: date) -> None:
    book = load_parameter_book()
    params = book.for_date(day, person.province_code)
    result = {o.scheme: o for o in eligible_schemes(person, day, params)}
    assert list(result) == list(SCHEME_CODES)
    for option in result.values():
        assert option.eligible == (option.reason_zh is None) == (option.choices is not None)
    pension = result["resident_pension"]
    for tier in pension.choices or ():
        assert tier.personal_fen + tier.paid_by_government_fen == tier.tier_fen
        assert min(tier.personal_fen, tier.paid_by_government_fen, tier.subsidy_fen) >= 0
        paid = contribution("resident_pension", person, day, params, tier_fen=tier.tier_fen)
        assert paid.amount_fen == paid.personal_fen + paid.paid_by_government_fen
    medical = result["resident_medical"].choices
    if isinstance(medical, YearlyAmount):
        assert medical.personal_fen + medical.paid_by_government_fen == medical.amount_fen
        assert min(medical.personal_fen, medical.paid_by_government_fen) >= 0

"""Demo people: deterministic, unique and valid IDs, consistent ages, categories and schemes."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date

import pytest

from caseworker.domain.bank import luhn_ok
from caseworker.domain.codes import load_code_table
from caseworker.domain.demo_people import (
    DEMO_SURNAMES,
    DemoData,
    DemoPerson,
    DemoVillage,
    generate_demo,
    retirement_age_months,
)
from caseworker.domain.ids import IdKind, parse_id_number, parse_uscc
from caseworker.resources import load_json

TODAY = date(2026, 3, 1)
WAGE = 731000
TIERS = {10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000, 150000, 200000}


@pytest.fixture(scope="module")
def villages() -> list[DemoVillage]:
    data = load_json("regions", "demo_villages.json")
    return [DemoVillage(v["code"], v["name"]) for v in data["villages"]]


@pytest.fixture(scope="module")
def demo(villages: list[DemoVillage]) -> DemoData:
    return generate_demo(2000, seed=7, today=TODAY, villages=villages)


@pytest.fixture(scope="module")
def people(demo: DemoData) -> list[DemoPerson]:
    return list(demo.persons)


def test_count_and_determinism(villages: list[DemoVillage], demo: DemoData) -> None:
    assert sum(len(h.members) for h in demo.households) == 2000
    again = generate_demo(2000, seed=7, today=TODAY, villages=villages)
    assert again == demo
    other = generate_demo(2000, seed=8, today=TODAY, villages=villages)
    assert [p.id_number for p in other.persons] != [p.id_number for p in demo.persons]


def test_small_and_empty(villages: list[DemoVillage]) -> None:
    assert generate_demo(0, today=TODAY, villages=villages) == DemoData([], [])
    one = generate_demo(1, today=TODAY, villages=villages)
    assert [p.relationship for p in one.persons] == ["02"]
    with pytest.raises(ValueError):
        generate_demo(5, today=TODAY, villages=[])


def test_id_numbers_unique_and_parse(people: list[DemoPerson]) -> None:
    assert len({p.id_number for p in people}) == len(people)
    for p in people:
        parsed = parse_id_number(p.id_number, today=TODAY)
        assert parsed.number == p.id_number
        assert parsed.birth_date == p.birth_date
        assert parsed.sex.value == p.sex
        assert parsed.age_on(TODAY) == p.age_on(TODAY)
        typed = parse_id_number(p.id_number_as_typed, today=TODAY)
        assert typed.number == p.id_number


def test_edge_cases_present(people: list[DemoPerson]) -> None:
    legacy = [p for p in people if len(p.id_number_as_typed) == 15]
    assert 5 <= len(legacy) <= 60, len(legacy)
    for p in legacy:
        assert parse_id_number(p.id_number_as_typed, today=TODAY).upgraded_from == (
            p.id_number_as_typed
        )
    kinds = Counter(parse_id_number(p.id_number, today=TODAY).kind for p in people)
    permits = kinds[IdKind.HONG_KONG] + kinds[IdKind.MACAU] + kinds[IdKind.TAIWAN]
    assert 2 <= permits <= 30, kinds
    assert any("·" in p.name for p in people)
    assert any(p.ethnicity != "01" for p in people)
    assert any(any(ord(ch) > 0xFFFF for ch in p.name) for p in people)
    rare = ("单", "仇", "区", "覃", "尉迟", "欧阳", "曾", "解", "查", "朴", "乐")
    assert any(p.name.startswith(rare) for p in people)
    # Many provinces' county codes, including some no longer current.
    assert len({p.id_number[:2] for p in people}) >= 10


def test_minority_dot_names_link_generations(demo: DemoData) -> None:
    for household in demo.households:
        head = household.members[0]
        if "·" not in head.name:
            continue
        for m in household.members:
            own, father = m.name.split("·")
            assert own and father and own != father
            if m.relationship == "51":  # the head's father: his own name ends the head's
                assert own == head.name.split("·")[1]


def test_households(demo: DemoData, villages: list[DemoVillage]) -> None:
    codes = {v.code12 for v in villages}
    relationships = load_code_table("relationship")
    assert len({h.key for h in demo.households}) == len(demo.households)
    assert len({(h.village_code, h.address_detail) for h in demo.households}) == len(
        demo.households
    )
    for h in demo.households:
        assert h.village_code in codes
        assert re.fullmatch(r"\d+组\d+号|\d+幢\d单元\d+0\d室", h.address_detail)
        assert h.members[0].relationship == "02"
        assert [m.relationship for m in h.members].count("02") == 1
        assert all(m.relationship in relationships for m in h.members)
        head_age = h.members[0].age_on(TODAY)
        for m in h.members:
            if m.relationship in ("51", "52"):
                assert m.age_on(TODAY) > head_age + 15


def test_codes_are_from_the_tables(people: list[DemoPerson]) -> None:
    tables = {
        name: load_code_table(name)
        for name in ("ethnic_group", "hukou_nature", "employment_category", "special_group")
    }
    schemes = load_code_table("scheme")
    for p in people:
        assert p.ethnicity in tables["ethnic_group"]
        assert p.hukou_nature in tables["hukou_nature"]
        assert p.employment_category in tables["employment_category"]
        assert all(g in tables["special_group"] for g in p.special_groups)
        assert all(e.scheme in schemes for e in p.enrolments)
    assert Counter(p.ethnicity for p in people).most_common(1)[0][0] == "01"


def test_ages_and_categories_consistent(demo: DemoData, people: list[DemoPerson]) -> None:
    ages: Counter[int] = Counter()
    for p in people:
        age = p.age_on(TODAY)
        assert 0 <= age <= 95
        ages[age // 10] += 1
        cat = p.employment_category
        if age < 6:
            assert cat == "child"
        elif age < 16:
            assert cat == "student"
        else:
            assert cat != "child"
        if cat == "student":
            assert age <= 22
        months = (TODAY.year - p.birth_date.year) * 12 + TODAY.month - p.birth_date.month
        months -= TODAY.day < p.birth_date.day
        if cat == "retired":
            assert months >= retirement_age_months(p.sex, p.birth_date)
        if cat in ("employee", "flexible", "platform_worker", "self_employed", "migrant_worker"):
            assert months < retirement_age_months(p.sex, p.birth_date)
        if cat == "employee":
            assert p.employer_index is not None
            assert 0 <= p.employer_index < len(demo.employers)
        else:
            assert p.employer_index is None
    # A plausible pyramid: every decade present, children and elders, most people of working age.
    assert all(ages[d] > 0 for d in range(10))
    assert ages[0] + ages[1] < ages[2] + ages[3] + ages[4] + ages[5]


def test_retirement_age_reform() -> None:
    assert retirement_age_months("1", date(1964, 12, 1)) == 720
    assert retirement_age_months("1", date(1965, 1, 1)) == 721
    assert retirement_age_months("1", date(1990, 1, 1)) == 63 * 12
    assert retirement_age_months("2", date(1969, 6, 1)) == 660
    assert retirement_age_months("2", date(1985, 1, 1)) == 58 * 12


def test_enrolments_fit_age_and_category(people: list[DemoPerson]) -> None:
    schemes: Counter[str] = Counter()
    for p in people:
        age, cat = p.age_on(TODAY), p.employment_category
        found = {e.scheme: e for e in p.enrolments}
        assert len(found) == len(p.enrolments)
        schemes.update(found.keys())
        if "resident_pension" in found:
            e = found["resident_pension"]
            assert age >= 16 and cat not in ("student", "retired", "employee")
            assert e.tier_fen in TIERS
            assert e.base_fen is None
            if {"dibao", "tekun", "severe_disability"} & set(p.special_groups):
                assert e.tier_fen == 10000
        if "employee_pension_flexible" in found:
            assert cat in ("flexible", "platform_worker", "self_employed")
            assert "resident_pension" not in found
        if "resident_medical" in found:
            assert cat not in ("employee", "retired")
        if cat == "employee":
            assert set(found) == {"employee_pension", "employee_medical"}
        for e in p.enrolments:
            if e.base_fen is not None:
                assert WAGE * 60 // 100 <= e.base_fen <= WAGE * 3
            assert e.years_paid >= 0
            if e.years_paid:
                assert e.last_paid_year is not None
                assert e.last_paid_year <= TODAY.year
                assert e.last_paid_year - e.years_paid + 1 >= p.birth_date.year
    # Nearly everyone outside the employees' schemes has residents' medical insurance.
    outside = [p for p in people if p.employment_category not in ("employee", "retired")]
    covered = sum(any(e.scheme == "resident_medical" for e in p.enrolments) for p in outside)
    assert covered > 0.9 * len(outside)
    assert schemes["employee_pension_flexible"] > 0


def test_contacts_and_bank_accounts(people: list[DemoPerson]) -> None:
    phones = [p.phone for p in people if p.phone]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1[3-9]\d{9}", ph) for ph in phones)
    assert all(p.age_on(TODAY) >= 15 for p in people if p.phone)
    cards = [p.bank_account for p in people if p.bank_account]
    assert len(cards) > 0.5 * len(people)
    for card in cards:
        assert card.startswith("62") and len(card) in (16, 19)
        assert luhn_ok(card)
    groups = Counter(g for p in people for g in p.special_groups)
    assert groups["dibao"] > 0
    assert sum(groups.values()) < 0.15 * len(people)


def test_employers(demo: DemoData) -> None:
    assert len(demo.employers) >= 5
    assert len({e.credit_code for e in demo.employers}) == len(demo.employers)
    assert len({e.name for e in demo.employers}) == len(demo.employers)
    types = Counter(e.employer_type for e in demo.employers)
    assert set(types) <= {"company", "internet_startup", "individual_business"}
    for e in demo.employers:
        parsed = parse_uscc(e.credit_code)
        assert parsed.organisation_type == (
            "92" if e.employer_type == "individual_business" else "91"
        )
        assert parsed.region_code == e.village_code[:6]
        assert 1 <= e.risk_class <= 8
        assert re.fullmatch(r"1[3-9]\d{9}", e.contact_phone)
        assert e.name and e.address and e.contact_name


def test_surname_weights() -> None:
    top = sorted(DEMO_SURNAMES, key=DEMO_SURNAMES.__getitem__, reverse=True)[:10]
    assert top[:3] == ["王", "李", "张"]
    assert {"刘", "陈", "杨", "黄", "赵", "吴", "周"} <= set(top)
    assert {"单", "仇", "区", "覃", "尉迟", "欧阳"} <= set(DEMO_SURNAMES)


@pytest.mark.slow
def test_hundred_thousand_people_time(villages: list[DemoVillage]) -> None:
    start = time.perf_counter()
    data = generate_demo(100_000, seed=3, today=TODAY, villages=villages)
    elapsed = time.perf_counter() - start
    people = list(data.persons)
    print(f"\ngenerate_demo(100_000): {elapsed:.2f} s, {len(data.households)} households")
    assert len(people) == 100_000
    assert len({p.id_number for p in people}) == 100_000

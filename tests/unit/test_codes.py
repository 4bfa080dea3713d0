"""Code tables: shipped files load, follow the standards' order, and carry the fixed slugs."""

from __future__ import annotations

import pytest

from caseworker.domain.codes import (
    CodeEntry,
    CodeTable,
    CodeTables,
    code_table_names,
    load_code_table,
)
from caseworker.domain.errors import InvalidValue

EXPECTED_TABLES = {
    "ethnic_group",
    "sex",
    "relationship",
    "hukou_nature",
    "employment_category",
    "special_group",
    "not_insured_reason",
    "coverage_status",
    "document",
    "industry_risk_class",
    "scheme",
    "employer_type",
    "urban_rural_type",
    "not_applicable_reason",
    "coverage_source",
    "coverage_line",
}

# Slugs other modules rely on: renaming one breaks them.
FIXED_SLUGS = {
    "employment_category": {
        "farmer", "migrant_worker", "employee", "flexible", "platform_worker",
        "self_employed", "student", "retired", "unemployed", "child",
    },
    "special_group": {
        "dibao", "tekun", "severe_disability", "disability", "poverty_monitor",
        "low_income", "orphan", "veteran",
    },
    "scheme": {
        "resident_pension", "resident_medical", "employee_pension",
        "employee_pension_flexible", "employee_medical", "unemployment",
        "work_injury", "occupational_injury",
    },
    "coverage_status": {
        "insured_here", "insured_elsewhere", "not_insured", "not_applicable", "unknown",
    },
    "coverage_line": {"pension", "medical", "injury"},
    "coverage_source": {"survey", "import", "enrolment", "payment", "registry", "upstream"},
    "not_applicable_reason": {"under_16", "student", "receiving_pension"},
    "employer_type": {
        "company", "internet_startup", "individual_business", "public_institution",
        "social_organisation", "other",
    },
    "document": {
        "id_card", "hukou_book", "residence_permit", "special_group_proof", "bank_card",
        "labour_contract", "business_licence", "student_certificate", "photo",
    },
    "hukou_nature": {"family_farm", "non_agricultural", "resident", "none"},
}  # fmt: skip


def test_all_expected_tables_are_listed() -> None:
    assert set(code_table_names()) >= EXPECTED_TABLES
    # surname_readings.json shares the folder but is not a code table
    assert "surname_readings" not in code_table_names()


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_table_loads_with_unique_codes_and_names_in_both_languages(name: str) -> None:
    table = load_code_table(name)
    assert table.name == name
    assert table.title_zh and table.title_en
    assert len(table) > 0
    codes = [e.code for e in table]
    assert len(codes) == len(set(codes))
    for entry in table:
        assert entry.code.strip() == entry.code != ""
        assert entry.name_zh.strip(), entry
        assert entry.name_en.strip(), entry


@pytest.mark.parametrize(("name", "slugs"), sorted(FIXED_SLUGS.items()))
def test_fixed_slugs_present(name: str, slugs: set[str]) -> None:
    assert slugs <= set(load_code_table(name).codes())


def test_ethnic_groups_follow_gb3304_order() -> None:
    table = load_code_table("ethnic_group")
    groups = [e for e in table if e.code not in ("97", "98")]
    assert [e.code for e in groups] == [f"{i:02d}" for i in range(1, 57)]
    assert table.get("01").name_zh == "汉族"
    assert table.get("23").name_zh == "高山族"
    assert table.get("56").name_zh == "基诺族"
    assert table.get("26").name_zh == "东乡族"
    assert table.codes()[-2:] == ["97", "98"]
    latin = [e.extra["latin_code"] for e in groups]
    assert len(set(latin)) == 56 and all(len(c) == 2 for c in latin)
    assert table.get("23").extra["latin_code"] == "GS"
    assert table.get("56").extra["latin_code"] == "JN"


def test_ethnic_group_old_names_are_found() -> None:
    table = load_code_table("ethnic_group")
    assert table.find_by_name("毛难族") == table.get("36")
    assert table.find_by_name("崩龙族") == table.get("46")
    assert table.find_by_name("壮族") == table.get("08")
    assert table.find_by_name("火星族") is None


def test_sex_codes() -> None:
    table = load_code_table("sex")
    assert table.codes() == ["0", "1", "2", "9"]
    assert table.label("1") == "男"
    assert table.label("2", lang="en") == "Female"


def test_relationship_key_codes() -> None:
    table = load_code_table("relationship")
    expected = {"01": "本人", "02": "户主", "10": "配偶", "20": "子", "30": "女",
                "97": "其他亲属", "99": "非亲属"}  # fmt: skip
    for code, name in expected.items():
        assert table.label(code) == name
    assert "98" not in table
    assert table.get("23").extra["group"] == "20"


def test_industry_risk_classes_have_rising_base_rates() -> None:
    table = load_code_table("industry_risk_class")
    assert table.codes() == [str(n) for n in range(1, 9)]
    rates = [e.extra["base_rate_bp"] for e in table]
    assert rates == sorted(rates) and rates[0] == 20 and rates[-1] == 190
    assert all(e.extra["sample_industries_zh"] for e in table)


def test_employment_flags() -> None:
    table = load_code_table("employment_category")
    assert table.get("employee").extra["needs_employer"] is True
    assert table.get("platform_worker").extra["needs_employer"] is False
    assert table.get("child").extra["employed"] is False
    assert all(isinstance(e.extra["employed"], bool) for e in table)


def test_special_groups_name_their_proof() -> None:
    table = load_code_table("special_group")
    assert all(e.extra.get("proof_zh") for e in table)
    assert "残疾人证" in table.get("severe_disability").extra["proof_zh"]


def test_unknown_code_raises_invalid_value_in_chinese() -> None:
    table = load_code_table("sex")
    with pytest.raises(InvalidValue) as info:
        table.get("7")
    assert info.value.field == "sex"
    assert info.value.code == "unknown_code"
    assert "性别" in info.value.message


def test_contains_and_iteration() -> None:
    table = load_code_table("coverage_status")
    assert "not_insured" in table
    assert "nope" not in table
    assert 3 not in table  # type: ignore[operator]
    assert all(isinstance(e, CodeEntry) for e in table)


def test_from_dict_accepts_delivered_data_and_overrides() -> None:
    data = {
        "table": "sex",
        "title_zh": "性别",
        "title_en": "Sex",
        "entries": [{"code": "1", "name_zh": "男", "name_en": "Male", "x": 1}],
    }
    table = CodeTable.from_dict(data)
    assert table.get("1").extra == {"x": 1}
    tables = CodeTables.from_dicts([data])
    assert len(tables["sex"]) == 1
    assert len(tables["ethnic_group"]) == 58  # the shipped table
    assert set(tables) >= EXPECTED_TABLES
    with pytest.raises(KeyError):
        tables["no_such_table"]


def test_from_dict_rejects_duplicates_and_missing_keys() -> None:
    with pytest.raises(ValueError):
        CodeTable.from_dict({"entries": []})
    dup = {
        "table": "t",
        "entries": [{"code": "a", "name_zh": "甲"}, {"code": "a", "name_zh": "乙"}],
    }
    with pytest.raises(ValueError):
        CodeTable.from_dict(dup)


def test_load_code_table_is_cached_and_rejects_paths() -> None:
    assert load_code_table("sex") is load_code_table("sex")
    with pytest.raises(ValueError):
        load_code_table("../regions/gb2260")


def test_leaving_reasons_say_which_count_as_involuntary_for_unemployment_benefit() -> None:
    # 《失业保险金申领发放办法》第四条: the contract ended, the employer ended it, or the employee
    # ended it for the employer's fault; the employee's own choice, retiring or dying do not.
    from caseworker.domain.employment import leaving_is_involuntary

    involuntary = {"contract_ended", "employer_closed", "dismissed", "employer_fault"}
    for entry in load_code_table("employment_end_reason"):
        expected = None if entry.code == "other" else entry.code in involuntary
        assert leaving_is_involuntary(entry.code) is expected, entry.code
    assert leaving_is_involuntary("no_such_reason") is None
    assert load_code_table("employment_end_reason").find_by_name("辞退").code == "dismissed"

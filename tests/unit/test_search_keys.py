"""Search keys and query plans: what a clerk types must find the person by a prefix match."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from caseworker.domain import search_keys
from caseworker.domain.demo_people import DemoVillage, generate_demo
from caseworker.domain.search_keys import (
    MAX_PINYIN_VARIANTS,
    QueryPlan,
    complete_id_error,
    name_keys,
    prefix_upper_bound,
    query_plan,
    reversed_key,
    split_surname,
)


def finds(name: str, typed: str) -> bool:
    """Would typing ``typed`` find a person called ``name`` through person_search_key?"""
    prefix = query_plan(typed).name_key_prefix
    assert prefix is not None, f"{typed!r} was not planned as a name search"
    hi = prefix_upper_bound(prefix)
    return any(prefix <= key < hi for key in name_keys(name))


def test_chinese_name_suffixes_pinyin_and_initials() -> None:
    keys = name_keys("张三丰")
    assert {"张三丰", "三丰", "丰", "zhangsanfeng", "sanfeng", "zsf"} <= keys
    assert finds("张三丰", "三")
    assert finds("张三丰", "丰")
    assert finds("张三丰", "zhangs")
    assert finds("张三丰", "ZSF")
    assert finds("张三丰", "san feng")
    assert not finds("张三丰", "李")


@pytest.mark.parametrize(
    ("name", "reading", "initial"),
    [
        ("单田芳", "shan", "s"),
        ("曾国藩", "zeng", "z"),
        ("解缙", "xie", "x"),
        ("仇英", "qiu", "q"),
        ("区永", "ou", "o"),
        ("朴敏", "piao", "p"),
        ("查良镛", "zha", "z"),
        ("盖伟", "ge", "g"),
        ("种师道", "chong", "c"),
        ("覃方", "qin", "q"),
        ("繁钦", "po", "p"),
        ("员平", "yun", "y"),
        ("乐嘉", "yue", "y"),
        ("缪斯", "miao", "m"),
        ("翟强", "zhai", "z"),
        ("句红", "gou", "g"),
        ("冼星海", "xian", "x"),
        ("柏杨", "bai", "b"),
        ("卜凡", "bu", "b"),
    ],
)
def test_surname_table_reading(name: str, reading: str, initial: str) -> None:
    keys = name_keys(name)
    assert any(k.startswith(reading) and len(k) > len(reading) for k in keys)
    assert any(len(k) == len(name) and k.startswith(initial) for k in keys)


def test_surname_reading_first_and_misreading_kept() -> None:
    # The surname reading heads the preference order, so it survives any cap ...
    positions = search_keys._position_readings("单田芳", [["shan"]])
    assert positions[0][0] == "shan"
    # ... and a clerk typing the everyday misreading still finds the person.
    assert finds("单田芳", "shantianfang")
    assert finds("单田芳", "stf")
    assert finds("单田芳", "dantianfang")
    assert finds("单田芳", "dtf")
    assert finds("乐嘉", "lejia")


def test_compound_surnames() -> None:
    assert split_surname("尉迟恭") == ("尉迟", "恭")
    assert split_surname("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_surname("张三") == ("张", "三")
    keys = name_keys("尉迟恭")
    assert {"yuchigong", "ycg", "gong"} <= keys
    assert {"moqixie", "mqx", "xie"} <= name_keys("万俟卨")
    assert "zhangsunwuji" in name_keys("长孙无忌")
    assert "linghuchong" in name_keys("令狐冲")
    assert {"ouyangnana", "nana"} <= name_keys("欧阳娜娜")
    # 单于 as a compound is chanyu; the single-surname reading shan stays findable.
    keys = name_keys("单于飞")
    assert {"chanyufei", "shanyufei"} <= keys


def test_minority_name_found_by_each_part() -> None:
    name = "买买提·艾力"
    keys = name_keys(name)
    assert "买买提艾力" in keys
    assert {"买买提", "艾力"} <= keys
    assert finds(name, "艾力")
    assert finds(name, "买买提·艾")
    assert finds(name, "買買提") is False  # traditional characters are different keys
    assert finds(name, "maimaitiaili")
    assert finds(name, "aili")
    # Input methods produce several middle-dot look-alikes.
    assert name_keys("阿依古丽•吐尔逊") == name_keys("阿依古丽·吐尔逊")
    assert finds("阿依古丽·吐尔逊", "吐尔逊")
    assert finds("阿依古丽·吐尔逊", "tuerxun")


def test_astral_characters_kept_as_characters_and_skipped_in_pinyin() -> None:
    keys = name_keys("𠮷野家")  # pypinyin does not know 𠮷 (U+20BB7)
    assert {"𠮷野家", "野家", "家"} <= keys
    assert "yejia" in keys
    assert all(k.isascii() or "野" in k or "家" in k for k in keys)
    assert finds("𠮷野家", "𠮷")
    # A name made only of unknown characters gives character keys and no crash.
    assert name_keys("𠮷𠮷") == {"𠮷𠮷", "𠮷"}
    # Astral characters pypinyin knows are read.
    assert any(k.startswith("wang") for k in name_keys("王𩽾"))


def test_combination_cap() -> None:
    name = "行重长乐单曾解朴查"  # every character polyphonic
    positions = search_keys._position_readings(name)
    product = 1
    for p in positions:
        product *= len(p)
    assert product > 1000
    keys = name_keys(name)
    full = {k for k in keys if k.isascii() and len(k) > len(name)}
    initials = {k for k in keys if k.isascii() and len(k) == len(name)}
    assert 0 < len(full) <= 2 * MAX_PINYIN_VARIANTS  # whole name + given name
    assert 0 < len(initials) <= MAX_PINYIN_VARIANTS
    # The best-first enumeration starts from the preferred reading of every character.
    best = next(search_keys._best_combinations(positions, 1))
    assert best == tuple(p[0] for p in positions)


def test_best_combinations_order_and_limit() -> None:
    combos = list(search_keys._best_combinations([["a", "b"], ["c", "d", "e"]], 4))
    assert combos[0] == ("a", "c")
    assert set(combos[1:3]) == {("b", "c"), ("a", "d")}
    assert len(combos) == 4
    assert list(search_keys._best_combinations([], 4)) == []


def test_latin_names() -> None:
    assert name_keys("John  Smith-Jones") == {
        "johnsmithjones",
        "smithjones",
        "john",
        "smith",
        "jones",
    }
    assert finds("John Smith-Jones", "Smith-Jo")
    assert name_keys("ＪＯＨＮ") == {"john"}
    assert finds("John Smith", "smi")
    assert name_keys("") == set()
    assert name_keys(" · ") == set()


def test_v_and_u_spellings_of_u_umlaut() -> None:
    keys = name_keys("吕女")
    assert "lvnv" in keys
    assert "lunu" in keys


# --- query plans ------------------------------------------------------------------------


def only(plan: QueryPlan, **fields: str) -> None:
    names = (
        "id_exact",
        "id_prefix",
        "id_reversed_prefix",
        "phone_reversed_prefix",
        "phone_prefix",
        "name_key_prefix",
    )
    actual = {n: getattr(plan, n) for n in names if getattr(plan, n) is not None}
    assert actual == fields


def test_plan_full_id() -> None:
    only(query_plan("11010519491231002x"), id_exact="11010519491231002X")
    # A wrong check character is still looked up (and finds nothing) rather than rejected.
    only(query_plan("110105194912310021"), id_exact="110105194912310021")


def test_plan_legacy_15_digit_id_is_upgraded() -> None:
    only(query_plan("110105491231002"), id_exact="11010519491231002X")


def test_plan_foreign_2017_number_is_an_exact_id() -> None:
    only(query_plan("usa 3101 781123 57"), id_exact="USA310178112357")
    # Letters and digits that are no such number stay a name search.
    only(query_plan("usa31017811235"), name_key_prefix="usa31017811235")


def test_complete_number_with_a_wrong_check_character_says_so() -> None:
    error = complete_id_error("110105194912310021")
    assert error is not None and error.code == "checksum"
    assert "校验位" in error.message and "check character" in error.message_en
    assert complete_id_error("810000491231002").code == "region"  # 15 digits: no permit


@pytest.mark.parametrize(
    "typed", ["11010519491231002x", "110105491231002", "USA310178112357", "002X", "王", ""]
)
def test_complete_id_error_is_none_for_valid_numbers_and_other_searches(typed: str) -> None:
    assert complete_id_error(typed) is None


def test_plan_full_width_and_separators() -> None:
    only(query_plan("１１０１０５　１９４９１２３１　００２ｘ"), id_exact="11010519491231002X")
    only(query_plan("１１０１０５４９１２３１００２"), id_exact="11010519491231002X")
    only(
        query_plan("138-1234-5678"),
        phone_reversed_prefix="87654321831",
        phone_prefix="13812345678",
    )
    only(query_plan("ＺＨＡＮＧ"), name_key_prefix="zhang")
    only(query_plan("００２Ｘ"), id_reversed_prefix="X200")


def test_plan_tails() -> None:
    only(query_plan("5678"), id_reversed_prefix="8765", phone_reversed_prefix="8765")
    only(query_plan("345678"), id_reversed_prefix="876543", phone_reversed_prefix="876543")
    only(query_plan("002x"), id_reversed_prefix="X200")  # only IDs end in X


def test_plan_phone() -> None:
    only(
        query_plan("13812345678"),
        phone_reversed_prefix="87654321831",
        phone_prefix="13812345678",
    )
    only(query_plan("1234567"), phone_reversed_prefix="7654321", phone_prefix="1234567")


def test_plan_id_prefix() -> None:
    only(query_plan("110105194912"), id_prefix="110105194912")


@pytest.mark.parametrize("typed", ["1", "12", "123", "1x"])
def test_plan_too_short(typed: str) -> None:
    plan = query_plan(typed)
    assert plan.is_empty
    assert plan.reason == "too_short"


def test_plan_empty_and_impossible() -> None:
    assert query_plan("  - ").reason == "empty"
    assert query_plan("1234567890123456789").is_empty
    assert query_plan("12345678x").is_empty


def test_plan_names() -> None:
    only(query_plan("张三"), name_key_prefix="张三")
    only(query_plan(" 买买提 · 艾力 "), name_key_prefix="买买提艾力")
    only(query_plan("Zhang San"), name_key_prefix="zhangsan")
    only(query_plan("zsf"), name_key_prefix="zsf")
    only(query_plan("𠮷野"), name_key_prefix="𠮷野")
    assert not query_plan("张三").is_empty


def test_reversed_key_matches_plan_side() -> None:
    number = "11010519491231002X"
    assert reversed_key(number) == "X20013219491501011"
    assert reversed_key("11010519491231002x") == reversed_key(number)
    plan = query_plan("1002x")
    assert reversed_key(number).startswith(plan.id_reversed_prefix or "-")
    assert reversed_key("138 1234 5678").startswith(query_plan("5678").phone_reversed_prefix or "-")


def test_prefix_upper_bound() -> None:
    assert prefix_upper_bound("abc") == "abd"
    assert prefix_upper_bound("张") == chr(ord("张") + 1)
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\ud7ff") == "\ue000"
    for key in ("abc", "abcz", "abc\U00020bb7"):
        assert "abc" <= key < prefix_upper_bound("abc")
    assert not ("abc" <= "abd" < prefix_upper_bound("abc"))
    with pytest.raises(ValueError):
        prefix_upper_bound("")


def test_every_demo_name_finds_itself() -> None:
    demo = generate_demo(
        3000, seed=5, today=date(2026, 3, 1), villages=[DemoVillage("320281103201", "定山村村委会")]
    )
    for person in demo.persons:
        keys = name_keys(person.name)
        assert query_plan(person.name).name_key_prefix in keys
        assert any(k.isascii() for k in keys) or all(
            not search_keys._char_readings(ch) for ch in person.name
        )


def test_prefix_range_agrees_with_sqlite() -> None:
    """The store's query: a range on a BINARY index equals startswith, for CJK and astral too."""
    names = ["张三丰", "张三", "单田芳", "𠮷野家", "王𩽾", "买买提·艾力", "John Smith", "欧阳娜娜"]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE person_search_key (key TEXT NOT NULL, person_id INTEGER NOT NULL)")
    db.execute("CREATE INDEX ix_key ON person_search_key (key)")
    rows = [(k, i) for i, n in enumerate(names) for k in name_keys(n)]
    db.executemany("INSERT INTO person_search_key VALUES (?, ?)", rows)
    for typed in ["张", "张三", "zh", "s", "dan", "𠮷", "野", "艾力", "smi", "oy", "x"]:
        prefix = query_plan(typed).name_key_prefix
        assert prefix
        sql = (
            "SELECT DISTINCT person_id FROM person_search_key WHERE key >= ? AND key < ? "
            "ORDER BY person_id"
        )
        got = [r[0] for r in db.execute(sql, (prefix, prefix_upper_bound(prefix)))]
        expected = sorted({i for k, i in rows if k.startswith(prefix)})
        assert got == expected, typed
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT person_id FROM person_search_key WHERE key >= ? AND key < ?",
            (prefix, prefix_upper_bound(prefix)),
        ).fetchall()
        assert "USING INDEX ix_key" in str(plan)

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.errors import InvalidValue
from caseworker.domain.names import (
    COMPOUND_SURNAMES,
    MIDDLE_DOT,
    InvalidName,
    is_cjk_ideograph,
    is_rare_character,
    mask_name,
    normalise_person_name,
    split_surname,
)

# Unified ideographs only: NFKC folds compatibility ideographs (U+F900...) by design.
_IDEOGRAPH_RANGES = [
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),  # A
    (0x20000, 0x2A6DF),  # B
    (0x2A700, 0x2B739),  # C
    (0x2B740, 0x2B81D),  # D
    (0x2B820, 0x2CEA1),  # E
    (0x2CEB0, 0x2EBE0),  # F
    (0x30000, 0x3134A),  # G
    (0x31350, 0x323AF),  # H
]
ideographs = st.one_of(*(st.integers(low, high).map(chr) for low, high in _IDEOGRAPH_RANGES))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        (" 李　四 ", "李四"),  # ASCII and ideographic spaces
        ("王 小 明", "王小明"),
        ("𠮷田", "𠮷田"),  # Extension B, outside the BMP
        ("王𡒄", "王𡒄"),
        ("阿卜杜热合曼·阿卜杜热西提", "阿卜杜热合曼·阿卜杜热西提"),
        ("买买提 · 艾力", "买买提·艾力"),
        ("买买提.艾力", "买买提·艾力"),  # ASCII full stop between CJK characters
        ("买买提\u200b艾力", "买买提艾力"),  # zero-width space pasted from chat
        ("⼈民", "人民"),  # Kangxi radical folded by NFKC
    ],
)
def test_chinese_names(text: str, expected: str) -> None:
    assert normalise_person_name(text) == expected


@pytest.mark.parametrize(
    "dot", ["・", "･", "•", "‧", "∙", "⋅", "．", "\u0387", "\u16eb", "\u2e31", "\ua78f", "."]
)
def test_dot_look_alikes_become_middle_dot(dot: str) -> None:
    assert normalise_person_name(f"买买提{dot}艾力") == "买买提·艾力"


def test_astral_length_counts_code_points() -> None:
    name = "𠮷" * 30  # 60 UTF-16 units, 30 code points: fits
    assert normalise_person_name(name) == name
    with pytest.raises(InvalidName) as info:
        normalise_person_name("𠮷" * 31)
    assert info.value.code == "length"
    assert normalise_person_name("𠮷田") == "𠮷田"


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "请填写姓名"),
        (" \u3000", "empty", "请填写姓名"),
        ("张", "length", "只有一个字"),
        ("𠮷", "length", "不是完整的姓名"),
        ("张" * 31, "length", "最多30个字"),
        ("王3", "characters", "姓名中不能包含“3”"),
        ("王小明😀", "characters", "“😀”"),
        ("王-小明", "characters", "“-”"),
        ("Zhang三", "characters", "同时有汉字和字母"),
        ("123", "characters", "“1”"),
        ("Иван Петров", "characters", "“И”"),
        ("·买买提", "dot", "“·”"),
        ("买买提·", "dot", "结尾"),
        ("买买提··艾力", "dot", "连写"),
        ("买买提・・艾力", "dot", "连写"),
        ("A", "length", "外文姓名"),
        ("A" * 61, "length", "外文姓名"),
        ("JOHN_SMITH", "characters", "“_”"),
    ],
)
def test_errors(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidName) as info:
        normalise_person_name(text)
    error = info.value
    assert isinstance(error, InvalidValue)
    assert (error.field, error.code) == ("name", code)
    assert fragment in error.message
    assert "姓名" in error.message  # names the field
    assert "name" in error.message_en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("john smith", "JOHN SMITH"),
        ("  John   Smith ", "JOHN SMITH"),
        ("ＪＯＨＮ　ＳＭＩＴＨ", "JOHN SMITH"),
        ("o’neil", "O'NEIL"),
        ("Jean-Luc Picard", "JEAN-LUC PICARD"),
        ("Martin Luther King Jr.", "MARTIN LUTHER KING JR."),
        ("Müller", "MÜLLER"),
    ],
)
def test_foreign_names(text: str, expected: str) -> None:
    assert normalise_person_name(text) == expected


@pytest.mark.parametrize(
    ("ch", "rare"),
    [("张", False), ("㐀", True), ("䶵", True), ("𠮷", True), ("𡒄", True), ("A", False)],
)
def test_is_rare_character(ch: str, rare: bool) -> None:
    assert is_rare_character(ch) is rare


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王小明", ("王", "小明")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("万俟卨", ("万俟", "卨")),
        ("欧阳", ("欧", "阳")),  # nothing after the compound: surname 欧, given name 阳
        ("𠮷田", ("𠮷", "田")),
        ("买买提·艾力", ("", "买买提·艾力")),
        ("JOHN SMITH", ("", "JOHN SMITH")),
        ("", ("", "")),
    ],
)
def test_split_surname(name: str, expected: tuple[str, str]) -> None:
    assert split_surname(name) == expected


def test_compound_surnames_cover_the_brief() -> None:
    wanted = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 "
    wanted += "南宫 呼延 轩辕 申屠 太史 万俟 闻人"
    assert set(wanted.split()) <= COMPOUND_SURNAMES


@given(st.lists(ideographs, min_size=2, max_size=10).map("".join))
def test_any_cjk_name_round_trips(name: str) -> None:
    assert normalise_person_name(name) == name
    assert normalise_person_name(f" {name}\u3000") == name
    surname, given_name = split_surname(name)
    assert surname + given_name == name and surname


@given(
    st.lists(st.lists(ideographs, min_size=1, max_size=6).map("".join), min_size=2, max_size=4),
    st.sampled_from(["·", "・", "•", ".", "．", " · "]),
)
def test_minority_names_normalise_dots(parts: list[str], dot: str) -> None:
    name = normalise_person_name(dot.join(parts))
    assert name == MIDDLE_DOT.join(parts)
    assert split_surname(name) == ("", name)


@given(st.text(max_size=20))
def test_only_invalid_name_escapes_and_output_is_clean(text: str) -> None:
    try:
        name = normalise_person_name(text)
    except InvalidName as error:
        assert error.field == "name" and error.message_en
    else:
        assert name == name.strip() and 2 <= len(name) <= 60
        if any(is_cjk_ideograph(ch) for ch in name):
            assert all(is_cjk_ideograph(ch) or ch == MIDDLE_DOT for ch in name)
        assert normalise_person_name(name) == name  # idempotent


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王秀英", "王**"),
        ("王五", "王*"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳", "欧*"),  # a compound surname needs a given name after it
        ("司马懿", "司马*"),
        ("𠮷野家", "𠮷**"),
        ("阿依古丽·买买提", "阿*******"),
        ("John Smith", "J*********"),
        ("", ""),
    ],
)
def test_mask_name_keeps_the_surname_only(name: str, expected: str) -> None:
    assert mask_name(name) == expected
    assert len(mask_name(name)) == len(name)

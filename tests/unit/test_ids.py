"""Examples for identity numbers and unified social credit codes (GB 11643, GB 32100)."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import (
    IdKind,
    IdNumber,
    InvalidIdNumber,
    InvalidUscc,
    Sex,
    Uscc,
    id_check_character,
    make_id_number,
    make_uscc,
    mask_id_number,
    parse_id_number,
    parse_uscc,
    uscc_check_character,
)

TODAY = date(2025, 6, 30)


def parse(text: str) -> IdNumber:
    return parse_id_number(text, today=TODAY)


def id_error(text: str, *, today: date = TODAY) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number(text, today=today)
    return info.value


def uscc_error(text: str) -> InvalidUscc:
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(text)
    return info.value


# --- identity numbers: accepted -------------------------------------------------------------


def test_published_example_with_x_check_character() -> None:
    parsed = parse("11010519491231002X")
    assert parsed == IdNumber(
        number="11010519491231002X",
        kind=IdKind.MAINLAND,
        birth_date=date(1949, 12, 31),
        sex=Sex.FEMALE,
        region_code="110105",
        upgraded_from=None,
    )
    assert parsed.nationality_code is None


def test_published_example_born_1880_is_accepted() -> None:
    # GB 11643's own example; the earliest-birth typo guard sits at 1880 so it stays valid.
    assert id_check_character("44052418800101001") == "4"
    assert stdnum_ric.calc_check_digit("440524188001010014") == "4"
    parsed = parse("440524188001010014")
    assert parsed.birth_date == date(1880, 1, 1)
    assert parsed.sex == Sex.MALE
    assert parsed.region_code == "440524"


def test_address_code_that_did_not_exist_in_birth_year_is_accepted() -> None:
    # Chongqing became a municipality (50) in 1997; someone born 1970 can still hold 5001xx.
    parsed = parse("500101197001011230")
    assert parsed.region_code == "500101"
    assert parsed.birth_date == date(1970, 1, 1)
    assert parsed.sex is Sex.MALE
    assert parsed.kind is IdKind.MAINLAND


def test_fifteen_digit_number_is_upgraded() -> None:
    parsed = parse("110105491231002")
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from == "110105491231002"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex is Sex.FEMALE
    assert parsed.region_code == "110105"


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 11010519491231002X\n",
        "110105 19491231 002X",
        "110105\u300019491231\u3000002x",  # ideographic space
        "110105-19491231-002X",
        "110105\u201319491231\u2014002X",  # en dash, em dash
        "110105\uff0d19491231\u2212002X",  # full-width hyphen-minus, minus sign
        "110105\u30fc19491231\u2010002X",  # katakana long-vowel mark, hyphen
        "１１０１０５１９４９１２３１００２ｘ",  # full-width digits and letter
        "１１０１０５　１９４９１２３１　００２Ｘ",
        "\ufeff11010519491231002X\u200b",  # BOM and zero-width space from copy-paste
    ],
)
def test_typing_variants_are_normalised(typed: str) -> None:
    assert parse(typed).number == "11010519491231002X"


def test_fifteen_digit_number_with_full_width_digits_and_spaces() -> None:
    assert parse("１１０１０５ ４９１２３１ ００２").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "kind", "born", "sex"),
    [
        ("810000199003150218", IdKind.HONG_KONG, date(1990, 3, 15), Sex.MALE),
        ("820000198507010320", IdKind.MACAU, date(1985, 7, 1), Sex.FEMALE),
        ("830000200112090479", IdKind.TAIWAN, date(2001, 12, 9), Sex.MALE),
    ],
)
def test_hong_kong_macau_taiwan_residence_permits(
    number: str, kind: IdKind, born: date, sex: Sex
) -> None:
    parsed = parse(number)
    assert parsed.kind is kind
    assert parsed.birth_date == born
    assert parsed.sex is sex
    assert parsed.region_code == number[:6]


def test_foreign_permanent_resident_2023_format() -> None:
    # 9 + province of acceptance 31 (Shanghai) + nationality 840 (USA) + 19781123 + 005 + X
    parsed = parse("93184019781123005x")
    assert parsed.number == "93184019781123005X"
    assert parsed.kind is IdKind.FOREIGN_PERMANENT_RESIDENT
    assert parsed.region_code == "310000"
    assert parsed.nationality_code == "840"
    assert parsed.birth_date == date(1978, 11, 23)
    assert parsed.sex is Sex.MALE


def test_foreign_permanent_resident_born_on_leap_day() -> None:
    parsed = parse("944392199202290164")
    assert (parsed.region_code, parsed.nationality_code) == ("440000", "392")
    assert parsed.birth_date == date(1992, 2, 29)
    assert parsed.sex is Sex.FEMALE


def test_leap_days_that_exist() -> None:
    assert parse("320102195602291235").birth_date == date(1956, 2, 29)
    assert parse(make_id_number("320102", date(2000, 2, 29), 1)).birth_date == date(2000, 2, 29)


def test_born_today_is_accepted_and_default_today_works() -> None:
    assert parse(make_id_number("320102", TODAY, 7)).birth_date == TODAY
    assert parse_id_number("11010519491231002X").birth_date == date(1949, 12, 31)


def test_born_on_the_floor_date_is_accepted() -> None:
    assert parse(make_id_number("320102", date(1880, 1, 1), 7)).birth_date == date(1880, 1, 1)


# --- identity numbers: rejected, one test per error code -------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", " - "])
def test_empty(typed: str) -> None:
    err = id_error(typed)
    assert err.code == "empty"
    assert err.message == "请输入身份证号码。"
    assert err.message_en == "Please enter the ID number."


@pytest.mark.parametrize("typed", ["1101051949123100", "11010519491231002", "11010519491231002X1"])
def test_length(typed: str) -> None:
    err = id_error(typed)
    assert err.code == "length"
    assert err.message == f"身份证号码应为18位（或旧版15位），现在是{len(typed)}位，请核对。"
    assert f"this one has {len(typed)}" in err.message_en


@pytest.mark.parametrize(
    ("typed", "position", "words"),
    [
        ("11010519491231O02X", 15, "只能是数字"),  # letter O for zero
        ("1101051949123X002X", 14, "X只能在最后一位"),
        ("11010549123100X", 15, "旧版15位"),
        ("110105一9491231002X", 7, "只能是数字"),  # CJK "one" typed for a dash or digit
    ],
)
def test_characters(typed: str, position: int, words: str) -> None:
    err = id_error(typed)
    assert err.code == "characters"
    assert f"第{position}位" in err.message
    assert words in err.message
    assert str(position) in err.message_en


@pytest.mark.parametrize(
    ("first17", "wrong"),
    [("11010519491231002", "1"), ("50010119700101123", "X"), ("44052419800101001", "0")],
)
def test_checksum_message_does_not_reveal_the_right_character(first17: str, wrong: str) -> None:
    right = id_check_character(first17)
    assert wrong != right
    err = id_error(first17 + wrong)
    assert err.code == "checksum"
    assert "校验位" in err.message and "输错" in err.message
    assert "mistyped" in err.message_en
    # No digits or X at all, so the expected character cannot leak.
    assert not any(ch.isdigit() or ch == "X" for ch in err.message + err.message_en)


@pytest.mark.parametrize(
    ("first14", "words"),
    [
        ("11010519490230", "1949年2月30日不存在"),
        ("11010519990229", "1999年2月29日不存在"),  # not a leap year
        ("11010519000229", "1900年2月29日不存在"),  # century, not a leap year
        ("11010519491331", "1949年13月31日不存在"),
        ("11010519490031", "1949年0月31日不存在"),
        ("11010519491200", "1949年12月0日不存在"),
        ("11010520250701", "晚于今天"),
        ("11010518791231", "早于1880年"),
        ("11010508881231", "早于1880年"),
    ],
)
def test_birth_date(first14: str, words: str) -> None:
    first17 = first14 + "002"
    err = id_error(first17 + id_check_character(first17))
    assert err.code == "birth_date"
    assert words in err.message
    assert "第7–14位" in err.message
    assert "birth date" in err.message_en


def test_birth_date_in_future_depends_on_today() -> None:
    number = make_id_number("110105", date(2025, 7, 1), 2)
    assert id_error(number, today=date(2025, 6, 30)).code == "birth_date"
    assert parse_id_number(number, today=date(2025, 7, 1)).birth_date == date(2025, 7, 1)


def test_fifteen_digit_birth_date_is_checked() -> None:
    err = id_error("110105490230002")
    assert err.code == "birth_date"
    assert "1949年2月30日不存在" in err.message
    assert "第7–12位" in err.message


@pytest.mark.parametrize("prefix", ["00", "10", "16", "24", "40", "47", "55", "60", "66", "72"])
def test_region_prefix_must_be_a_province(prefix: str) -> None:
    err = id_error(make_id_number(prefix + "0101", date(1980, 1, 1), 1))
    assert err.code == "region"
    assert f"“{prefix}”" in err.message
    assert prefix in err.message_en


def test_region_prefix_checked_for_fifteen_digit_numbers() -> None:
    assert id_error("000105491231002").code == "region"


def test_foreign_number_province_of_acceptance_must_be_a_province() -> None:
    err = id_error(make_id_number("999840", date(1980, 1, 1), 1))
    assert err.code == "region"
    assert "受理地" in err.message


@pytest.mark.parametrize("prefix", ["71", "81", "82", "83"])
def test_foreign_number_of_2023_needs_a_mainland_province(prefix: str) -> None:
    err = id_error(make_id_number(f"9{prefix}840", date(1980, 1, 1), 1))
    assert err.code == "region"
    assert f"“{prefix}”" in err.message
    assert "不含71、81、82、83" in err.message
    assert "mainland province" in err.message_en


@pytest.mark.parametrize("prefix", ["81", "82", "83"])
def test_fifteen_digit_number_is_never_a_residence_permit(prefix: str) -> None:
    err = id_error(f"{prefix}0000900315021")
    assert err.code == "region"
    assert "港澳台居民居住证号码只有18位" in err.message
    assert "18 characters" in err.message_en


def test_fifteen_digit_number_is_never_a_foreigners_number() -> None:
    err = id_error("931840781123005")
    assert err.code == "region"
    assert "3个字母加12位数字" in err.message
    assert "3 letters and 12 digits" in err.message_en


def test_foreign_permanent_resident_2017_format() -> None:
    # USA + place of acceptance 3101 (Shanghai) + 1978-11-23 + sequence 5 (a man) + check 7
    parsed = parse("usa 3101 781123 57")
    assert parsed.number == "USA310178112357"
    assert parsed.kind is IdKind.FOREIGN_PERMANENT_RESIDENT
    assert parsed.nationality_code == "USA"
    assert parsed.region_code == "310100"
    assert parsed.birth_date == date(1978, 11, 23)
    assert parsed.sex is Sex.MALE
    assert parsed.upgraded_from is None


def test_foreign_2017_two_digit_year_is_the_latest_century_not_in_the_future() -> None:
    assert parse("JPN440110010120").birth_date == date(2010, 1, 1)
    assert parse("JPN440125070120").birth_date == date(1925, 7, 1)  # 2025-07-01 is after TODAY
    assert parse("JPN440125063020").birth_date == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("USA810178112357", "region", "“81”"),  # residence permits' codes are no province
        ("USA710178112357", "region", "“71”"),
        ("USA310178023057", "birth_date", "1978年2月30日不存在"),
        ("USA3101781123O7", "characters", "3个字母加12位数字，第14位“O”"),
    ],
)
def test_foreign_2017_format_errors(typed: str, code: str, words: str) -> None:
    err = id_error(typed)
    assert err.code == code
    assert words in err.message
    assert err.message_en


def test_errors_are_invalid_values_for_the_id_number_field() -> None:
    err = id_error("123")
    assert isinstance(err, InvalidValue)
    assert isinstance(err, ValueError)
    assert err.field == "id_number"
    assert str(err) == err.message


# --- identity numbers: helpers ---------------------------------------------------------------


def test_id_check_character_matches_published_examples() -> None:
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("50010119700101123") == "0"


@pytest.mark.parametrize("bad", ["1101051949123100", "110105194912310021", "1101051949123100X"])
def test_id_check_character_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_character(bad)


def test_make_id_number() -> None:
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    assert make_id_number("320102", date(1990, 1, 1), 0)[14:17] == "000"
    with pytest.raises(ValueError):
        make_id_number("110105", date(1949, 12, 31), 1000)
    with pytest.raises(ValueError):
        make_id_number("110105", date(1949, 12, 31), -1)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1949, 12, 31), date(2025, 12, 30), 75),
        (date(1949, 12, 31), date(2025, 12, 31), 76),
        (date(1956, 2, 29), date(2016, 2, 28), 59),
        (date(1956, 2, 29), date(2016, 2, 29), 60),
        (date(1956, 2, 29), date(2017, 2, 28), 60),
        (date(1956, 2, 29), date(2017, 3, 1), 61),
        (date(2025, 6, 30), date(2025, 6, 30), 0),
    ],
)
def test_age_on(born: date, day: date, age: int) -> None:
    assert parse(make_id_number("320102", born, 1)).age_on(day) == age


def test_mask_id_number() -> None:
    assert mask_id_number("32010219561231123X") == "3201**********123X"
    assert mask_id_number("110105491231002") == "1101*******1002"
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("") == ""


def test_masked_property_and_repr_hide_the_number() -> None:
    parsed = parse("110105491231002")
    assert parsed.masked == "1101**********002X"
    assert "19491231" not in repr(parsed)
    assert "491231" not in repr(parsed)
    assert parsed.masked in repr(parsed)


def test_id_number_is_frozen() -> None:
    parsed = parse("11010519491231002X")
    with pytest.raises(AttributeError):
        parsed.number = "x"  # type: ignore[misc]


def test_sex_and_kind_values() -> None:
    assert (Sex.MALE.value, Sex.FEMALE.value) == ("1", "2")
    assert IdKind.FOREIGN_PERMANENT_RESIDENT == "foreign_permanent_resident"


# --- unified social credit codes -------------------------------------------------------------


def test_published_uscc_example() -> None:
    assert parse_uscc("91350100M000100Y43") == Uscc(
        code="91350100M000100Y43",
        registration_authority="9",
        organisation_type="91",
        region_code="350100",
        organisation_code="M000100Y4",
    )


@pytest.mark.parametrize(
    "code",
    [
        "92320115MA1W2K3L46",  # 9 market regulation, 2 individual business
        "11100000000013127D",  # 1 government organ
        "123200004660001235",
        "511100005000005712",  # 5 civil affairs
        "52320115MJ5123456N",
        "A1320115MB1234567Q",  # letters: stdnum.cn.uscc.is_valid rejects these
        "N2320115MC9876543B",
        "Y1320115MD0000001K",
    ],
)
def test_valid_uscc_codes(code: str) -> None:
    parsed = parse_uscc(code)
    assert parsed.code == code
    assert parsed.registration_authority == code[0]
    assert parsed.organisation_type == code[:2]
    assert parsed.region_code == code[2:8]
    assert parsed.organisation_code == code[8:17]
    assert uscc_check_character(code[:17]) == code[17]
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]


@pytest.mark.parametrize(
    "typed",
    [
        "91350100m000100y43",
        " 91350100-M000100Y4-3 ",
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "913501\u300000M000100Y43",
    ],
)
def test_uscc_typing_variants_are_normalised(typed: str) -> None:
    assert parse_uscc(typed).code == "91350100M000100Y43"


def test_make_uscc() -> None:
    assert make_uscc("91", "350100", "M000100Y4") == "91350100M000100Y43"
    with pytest.raises(ValueError):
        make_uscc("9", "350100", "M000100Y4")
    with pytest.raises(ValueError):
        make_uscc("91", "350100", "M000100I4")  # I is not in the alphabet


@pytest.mark.parametrize("typed", ["", "  ", "\u3000-"])
def test_uscc_empty(typed: str) -> None:
    err = uscc_error(typed)
    assert err.code == "empty"
    assert err.field == "credit_code"
    assert err.message == "请输入统一社会信用代码。"


@pytest.mark.parametrize("typed", ["91350100M000100Y4", "91350100M000100Y433"])
def test_uscc_length(typed: str) -> None:
    err = uscc_error(typed)
    assert err.code == "length"
    assert f"现在是{len(typed)}位" in err.message
    assert str(len(typed)) in err.message_en


@pytest.mark.parametrize(
    ("typed", "position", "hint"),
    [
        ("91350100MOOO100Y43", 10, "可能是数字0"),
        ("9135010OM000100Y43", 8, "可能是数字0"),
        ("91350100M000I00Y43", 13, "可能是数字1"),
        ("91350100M000100S43", 16, "可能是数字5"),
        ("91350100M000100V43", 16, ""),
        ("91350100M000100Y4$", 18, ""),
    ],
)
def test_uscc_characters(typed: str, position: int, hint: str) -> None:
    err = uscc_error(typed)
    assert err.code == "characters"
    assert f"第{position}位" in err.message
    assert hint in err.message
    assert "I、O、Z、S、V" in err.message
    assert str(position) in err.message_en


@pytest.mark.parametrize("first", ["0", "B", "M", "X"])
def test_uscc_registration_authority(first: str) -> None:
    code = first + "1350100M000100Y4"
    err = uscc_error(code + uscc_check_character(code))
    assert err.code == "characters"
    assert "第1位（登记管理部门）" in err.message
    assert "1-9, A, N or Y" in err.message_en


def test_uscc_checksum_message_does_not_reveal_the_right_character() -> None:
    err = uscc_error("91350100M000100Y44")
    assert err.code == "checksum"
    assert "校验位" in err.message and "输错" in err.message
    assert "mistyped" in err.message_en
    assert "3" not in err.message + err.message_en


def test_uscc_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_character("91350100M000100Y")
    with pytest.raises(ValueError):
        uscc_check_character("91350100M000100O4")

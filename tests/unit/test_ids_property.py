"""Property tests: generated numbers round-trip, and every single typo is caught."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from caseworker.domain.ids import (
    IdKind,
    InvalidIdNumber,
    InvalidUscc,
    Sex,
    id_check_character,
    make_id_number,
    make_uscc,
    parse_id_number,
    parse_uscc,
    uscc_check_character,
)

TODAY = date(2025, 6, 30)
MAINLAND_PROVINCES = [
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
]
NOT_MAINLAND = [71, 81, 82, 83]
PROVINCES = [*MAINLAND_PROVINCES, *NOT_MAINLAND]
KIND = {81: IdKind.HONG_KONG, 82: IdKind.MACAU, 83: IdKind.TAIWAN}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Digits, X, and lookalikes a clerk might hit instead.
TYPO_CHARACTERS = "0123456789XxOoIlZSB一 "

provinces = st.sampled_from(PROVINCES)
mainland_provinces = st.sampled_from(MAINLAND_PROVINCES)
births = st.dates(min_value=date(1890, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
four_digits = st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}")


@st.composite
def citizen_numbers(draw: st.DrawFn) -> str:
    region = f"{draw(provinces)}{draw(four_digits)}"
    return make_id_number(region, draw(births), draw(sequences))


@st.composite
def foreign_numbers(draw: st.DrawFn) -> str:
    nationality = f"{draw(st.integers(min_value=0, max_value=999)):03d}"
    return make_id_number(
        f"9{draw(mainland_provinces)}{nationality}", draw(births), draw(sequences)
    )


any_number = st.one_of(citizen_numbers(), foreign_numbers())


@st.composite
def usccs(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from("123456789ANY"))
    rest = draw(st.text(alphabet=USCC_ALPHABET, min_size=16, max_size=16))
    return make_uscc(authority + rest[0], rest[1:7], rest[7:16])


@given(provinces, four_digits, births, sequences)
def test_generated_citizen_numbers_give_back_their_facts(
    province: int, county: str, born: date, sequence: int
) -> None:
    region = f"{province}{county}"
    parsed = parse_id_number(make_id_number(region, born, sequence), today=TODAY)
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)
    assert parsed.region_code == region
    assert parsed.kind is KIND.get(province, IdKind.MAINLAND)
    assert parsed.upgraded_from is None
    assert parsed.nationality_code is None


@given(mainland_provinces, st.integers(min_value=0, max_value=999), births, sequences)
def test_generated_foreign_numbers_give_back_their_facts(
    province: int, nationality: int, born: date, sequence: int
) -> None:
    number = make_id_number(f"9{province}{nationality:03d}", born, sequence)
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.kind is IdKind.FOREIGN_PERMANENT_RESIDENT
    assert parsed.region_code == f"{province}0000"
    assert parsed.nationality_code == f"{nationality:03d}"
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)


@given(
    st.sampled_from([*MAINLAND_PROVINCES, 71]),
    four_digits,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
)
def test_fifteen_digit_numbers_upgrade_to_the_eighteen_digit_number(
    province: int, county: str, born: date
) -> None:
    full = make_id_number(f"{province}{county}", born, 123)
    legacy = full[:6] + full[8:17]
    parsed = parse_id_number(legacy, today=TODAY)
    assert parsed.number == full
    assert parsed.upgraded_from == legacy
    assert parsed.birth_date == born


@given(
    st.sampled_from(NOT_MAINLAND),
    st.integers(min_value=0, max_value=999),
    births,
    sequences,
)
def test_a_foreign_number_of_2023_never_carries_71_81_82_83(
    province: int, nationality: int, born: date, sequence: int
) -> None:
    number = make_id_number(f"9{province}{nationality:03d}", born, sequence)
    try:
        parse_id_number(number, today=TODAY)
    except InvalidIdNumber as err:
        assert err.code == "region"
        assert f"“{province}”" in err.message
    else:
        raise AssertionError(f"{number} was accepted")


@given(
    st.sampled_from([81, 82, 83, *range(90, 100)]),
    four_digits,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_a_fifteen_digit_number_is_never_a_permit_or_a_foreigners_number(
    prefix: int, rest: str, born: date, sequence: int
) -> None:
    legacy = f"{prefix}{rest}{born:%y%m%d}{sequence:03d}"
    try:
        parse_id_number(legacy, today=TODAY)
    except InvalidIdNumber as err:
        assert err.code == "region"
        assert "15" in err.message and "15" in err.message_en
    else:
        raise AssertionError(f"{legacy} was accepted")


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    mainland_provinces,
    st.integers(min_value=0, max_value=99),
    st.dates(min_value=date(1926, 7, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=99),
)
def test_foreign_numbers_of_2017_give_back_their_facts(
    nationality: str, province: int, city: int, born: date, last_two: int
) -> None:
    number = f"{nationality}{province}{city:02d}{born:%y%m%d}{last_two:02d}"
    parsed = parse_id_number(number.lower(), today=TODAY)
    assert parsed.number == number
    assert parsed.kind is IdKind.FOREIGN_PERMANENT_RESIDENT
    assert parsed.nationality_code == nationality
    assert parsed.region_code == f"{province}{city:02d}00"
    # Two-digit years: within the last hundred years the date comes back as written.
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if (last_two // 10) % 2 else Sex.FEMALE)


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    st.sampled_from(NOT_MAINLAND),
    st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_a_foreign_number_of_2017_never_carries_71_81_82_83(
    nationality: str, province: int, rest: str
) -> None:
    try:
        parse_id_number(f"{nationality}{province}{rest}", today=TODAY)
    except InvalidIdNumber as err:
        assert err.code == "region"
    else:
        raise AssertionError("accepted")


@given(any_number, st.data())
def test_every_single_substitution_is_rejected(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    typo = data.draw(
        st.sampled_from(TYPO_CHARACTERS).filter(lambda c: c.upper() != number[position]),
        label="typo",
    )
    typed = number[:position] + typo + number[position + 1 :]
    try:
        parse_id_number(typed, today=TODAY)
    except InvalidIdNumber as err:
        # A space shortens the number once removed, hence "length".
        assert err.code in {"checksum", "birth_date", "characters", "length"}
    else:
        raise AssertionError(f"{typed} was accepted (from {number})")


@given(any_number, st.integers(min_value=0, max_value=16))
@example("11010519491231002X", 16)  # swapping the last digit with an X check character
def test_every_adjacent_transposition_is_rejected(number: str, position: int) -> None:
    a, b = number[position], number[position + 1]
    if a == b:
        return
    typed = number[:position] + b + a + number[position + 2 :]
    try:
        parse_id_number(typed, today=TODAY)
    except InvalidIdNumber as err:
        assert err.code in {"checksum", "birth_date", "characters"}
    else:
        raise AssertionError(f"{typed} was accepted (from {number})")


FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789Xx"}


@given(any_number, st.lists(st.sampled_from([" ", "\u3000", "-", "\u2014", "\uff0d"]), max_size=4))
def test_full_width_and_separators_normalise_to_the_same_number(
    number: str, separators: list[str]
) -> None:
    typed = number.lower().translate(FULL_WIDTH)
    for i, sep in enumerate(separators):
        cut = 3 + 4 * i
        typed = typed[:cut] + sep + typed[cut:]
    assert parse_id_number(typed, today=TODAY).number == number


@given(st.text())
def test_arbitrary_text_either_parses_or_raises_invalid_id_number(text: str) -> None:
    try:
        parsed = parse_id_number(text, today=TODAY)
    except InvalidIdNumber as err:
        assert err.message and err.message_en
    else:
        assert len(parsed.number) == 18 or (
            len(parsed.number) == 15 and parsed.kind is IdKind.FOREIGN_PERMANENT_RESIDENT
        )


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_check_character_agrees_with_stdnum(first17: str) -> None:
    # stdnum's calc_check_digit drops the last character of what it is given.
    assert id_check_character(first17) == stdnum_ric.calc_check_digit(first17 + "?")


@given(any_number, births)
def test_age_on_birthday_is_whole_years(number: str, day: date) -> None:
    parsed = parse_id_number(number, today=TODAY)
    if day < parsed.birth_date:
        return
    age = parsed.age_on(day)
    assert age >= 0
    assert parsed.birth_date.year + age <= day.year <= parsed.birth_date.year + age + 1


# --- unified social credit codes -------------------------------------------------------------


@given(usccs())
def test_generated_usccs_round_trip(code: str) -> None:
    parsed = parse_uscc(code.lower())
    assert parsed.code == code
    assert parsed.organisation_type + parsed.region_code + parsed.organisation_code == code[:17]


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_character_agrees_with_stdnum(first17: str) -> None:
    assert uscc_check_character(first17) == stdnum_uscc.calc_check_digit(first17)


@given(usccs(), st.data())
def test_every_single_uscc_substitution_is_rejected(code: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    typo = data.draw(
        st.sampled_from(USCC_ALPHABET + "IOZSV").filter(lambda c: c != code[position]),
        label="typo",
    )
    typed = code[:position] + typo + code[position + 1 :]
    try:
        parse_uscc(typed)
    except InvalidUscc as err:
        assert err.code in {"checksum", "characters"}
    else:
        raise AssertionError(f"{typed} was accepted (from {code})")


@given(st.text())
def test_arbitrary_text_either_parses_or_raises_invalid_uscc(text: str) -> None:
    try:
        parsed = parse_uscc(text)
    except InvalidUscc as err:
        assert err.message and err.message_en
    else:
        assert len(parsed.code) == 18

"""Realistic, deterministic demo people for ``caseworker demo --persons N`` (no database here).

``generate_demo`` builds households (head, spouse, children, parents, grandchildren with
GB/T 4761 relationship codes), employers with valid unified social credit codes, and for each
person an 18-character ID number, the scheme enrolments they would plausibly have, and how
many years they have paid. The caller feeds the result through the services.

Edge cases a real registry has are deliberately present: legacy 15-digit numbers as typed
(about 1%), Hong Kong / Macau / Taiwan residence permits (about 0.5%), minority names with
``·``, rare and compound surnames, characters outside the BMP, historical county codes.
Names, lists and weights live in ``resources/demo/people.json``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from caseworker.domain.dates import completed_years
from caseworker.domain.demo_names import DEMO_SURNAMES, NameMaker, demo_lists
from caseworker.domain.demo_work import (
    FEMALE,
    MALE,
    DemoEmployer,
    DemoEnrolment,
    Picker,
    employment_category,
    enrolments,
    make_employers,
    retirement_age_months,
)
from caseworker.domain.ids import make_id_number

__all__ = [
    "DEMO_SURNAMES",
    "DemoData",
    "DemoEmployer",
    "DemoEnrolment",
    "DemoHousehold",
    "DemoPerson",
    "DemoVillage",
    "generate_demo",
    "retirement_age_months",
]


_PHONE_PREFIXES = [str(p) for p in (*range(130, 140), *range(150, 160), 166, 172, 173, 175)]
_PHONE_PREFIXES += [str(p) for p in (176, 177, 178, *range(180, 190), 191, 193, *range(195, 200))]


@dataclass(frozen=True, slots=True)
class DemoVillage:
    code12: str
    name: str


@dataclass(slots=True)
class DemoPerson:
    name: str
    id_number: str  # always the 18-character form
    id_number_as_typed: str  # what the clerk types: the 15-digit legacy number for ~1%
    birth_date: date
    sex: str  # "1" male, "2" female (GB/T 2261.1), matching the ID sequence parity
    ethnicity: str  # GB 3304 code, "01" 汉族
    relationship: str  # GB/T 4761 relationship to the household head
    hukou_nature: str  # resources/codes/hukou_nature.json slug
    employment_category: str  # resources/codes/employment_category.json slug
    employer_index: int | None  # into DemoData.employers, employees only
    phone: str | None
    bank_account: str | None
    special_groups: tuple[str, ...] = ()
    enrolments: list[DemoEnrolment] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        return completed_years(self.birth_date, day)


@dataclass(slots=True)
class DemoHousehold:
    key: str
    village_code: str
    address_detail: str  # "3组12号" in a village, "5幢2单元301室" in a residents' community
    members: list[DemoPerson]


@dataclass(slots=True)
class DemoData:
    households: list[DemoHousehold]
    employers: list[DemoEmployer]

    @property
    def persons(self) -> Iterator[DemoPerson]:
        for household in self.households:
            yield from household.members


def generate_demo(
    persons: int,
    *,
    seed: int = 1,
    today: date,
    villages: list[DemoVillage],
    average_monthly_wage_fen: int = 731000,
) -> DemoData:
    """Build ``persons`` people in households spread over ``villages``; same seed, same data.

    ``average_monthly_wage_fen`` sets the employee contribution bases (60%–300% of it).
    """
    if persons < 0:
        raise ValueError("persons must be >= 0")
    if not villages:
        raise ValueError("need at least one village")
    return _Builder(random.Random(seed), today, villages, average_monthly_wage_fen).build(persons)


def _luhn_card(rng: random.Random, bins: Sequence[str]) -> str:
    length = 19 if rng.random() < 0.85 else 16
    bin6 = bins[rng.randrange(len(bins))]
    body = bin6 + str(rng.randrange(10 ** (length - 7))).zfill(length - 7)
    return body + _luhn_digit(body)


def _luhn_digit(body: str) -> str:
    """Luhn check digit (stdnum's is 5x slower, and this runs once per demo adult)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        total += _LUHN_DOUBLE[d] if i % 2 == 0 else d
    return str(-total % 10)


_LUHN_DOUBLE = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    """A birth date on which the person is exactly ``age`` years old ``today``."""
    latest = _years_before(today, age)  # the last birthday making them ``age``
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


_HOUSEHOLD_KINDS = Picker(
    ["family", "three_generations", "elderly", "with_parents", "single"], [40, 22, 22, 8, 8]
)


_HUKOU_URBAN = Picker(["resident", "non_agricultural", "family_farm"], [60, 30, 10])
_HUKOU_RURAL = Picker(["family_farm", "resident", "non_agricultural"], [60, 35, 5])
_CHILDREN = Picker([0, 1, 2, 3], [12, 45, 35, 8])
_PERMIT_REGION = Picker(["810000", "820000", "830000"], [5, 2, 3])  # HK, Macau, Taiwan


class _Builder:
    def __init__(
        self, rng: random.Random, today: date, villages: list[DemoVillage], wage_fen: int
    ) -> None:
        self.rng, self.today, self.villages, self.wage = rng, today, villages, wage_fen
        self.d = data = demo_lists()
        self.names = NameMaker(rng, today)
        groups = data["minorities"]["groups"]
        minority_share = sum(g["weight"] for g in groups)
        self.group = Picker([None, *groups], [100 - minority_share] + [g["weight"] for g in groups])
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.next_number: dict[tuple[str, int], int] = {}
        self.employer_pick: Picker | None = None

    # --- top level ---------------------------------------------------------------------

    def build(self, persons: int) -> DemoData:
        rng = self.rng
        employers = make_employers(
            rng,
            max(5, persons // 50) if persons else 0,
            self.villages,
            surname=self.names.surname,
            given=lambda: self.names.given(MALE if rng.random() < 0.7 else FEMALE, 45),
            phone=self._phone,
        )
        weight = {"company": 10, "internet_startup": 4, "individual_business": 1}
        if employers:
            self.employer_pick = Picker(
                range(len(employers)), [weight[e.employer_type] for e in employers]
            )
        households: list[DemoHousehold] = []
        count = 0
        while count < persons:
            household = self._household(len(households))
            del household.members[persons - count :]  # the last household may be cut short
            households.append(household)
            count += len(household.members)
        return DemoData(households=households, employers=employers)

    # --- households ----------------------------------------------------------------------

    def _household(self, index: int) -> DemoHousehold:
        rng = self.rng
        village = self.villages[index % len(self.villages)]
        urban = "社区" in village.name
        group = self.group(rng)
        hukou = _HUKOU_URBAN(rng) if urban else _HUKOU_RURAL(rng)
        kind = _HOUSEHOLD_KINDS(rng)
        specs = self._structure(kind)  # (relationship, age, sex, role)
        people = self.names.household(specs, group)
        members = [
            self._person(rel, age, sex, name, group, hukou, village, role == "incomer")
            for (rel, age, sex, role), name in zip(specs, people, strict=True)
        ]
        self._special_groups(members, kind)
        for m in members:
            m.enrolments = enrolments(
                self.rng,
                age=m.age_on(self.today),
                birth=m.birth_date,
                category=m.employment_category,
                special_groups=m.special_groups,
                today=self.today,
                wage_fen=self.wage,
            )
        return DemoHousehold(
            key=f"{village.code12}-{index:06d}",
            village_code=village.code12,
            address_detail=self._address(village.code12, urban),
            members=members,
        )

    def _structure(self, kind: str) -> list[tuple[str, int, str, str]]:
        """Members as (relationship, age, sex, role); roles as in demo_names.MemberSpec."""
        rng = self.rng
        if kind == "single":
            return [("02", rng.randint(18, 59), MALE if rng.random() < 0.65 else FEMALE, "head")]
        if kind == "elderly":
            head_age = 60 + int(rng.expovariate(1 / 14)) % 36  # 60-95, thinning with age
            with_spouse = rng.random() < 0.55 and head_age < 92
            head_sex = MALE if rng.random() < (0.9 if with_spouse else 0.4) else FEMALE
            out = [("02", head_age, head_sex, "head")]
            if with_spouse:
                out.append(self._spouse(head_age, head_sex))
            return out
        head_age = {
            "family": rng.randint(25, 58),
            "three_generations": rng.randint(48, 75),
            "with_parents": rng.randint(25, 40),
        }[kind]
        head_sex = MALE if rng.random() < 0.88 else FEMALE
        out = [("02", head_age, head_sex, "head")]
        if rng.random() < 0.92:
            out.append(self._spouse(head_age, head_sex))
        mother_age = head_age if head_sex == FEMALE else head_age - 2
        if kind == "three_generations":
            son_age = max(20, mother_age - rng.randint(22, 30))
            out.append(("22", son_age, MALE, "child"))
            out.append(("38", max(20, son_age - rng.randint(-1, 4)), FEMALE, "incomer"))
            out += self._children(son_age - 2, ("41", "42"), "grandchild")
            return out
        out += self._children(mother_age, None, "child")
        if kind == "with_parents":
            father = head_age + rng.randint(24, 32)
            if father <= 90 and rng.random() < 0.7:
                out.append(("51", father, MALE, "parent"))
            mother = father - rng.randint(0, 4)
            if mother <= 95:
                out.append(("52", mother, FEMALE, "parent_incomer"))
        return out

    def _spouse(self, head_age: int, head_sex: str) -> tuple[str, int, str, str]:
        gap = round(self.rng.gauss(2, 2.5))
        age = head_age - gap if head_sex == MALE else head_age + gap
        return ("10", max(20, min(95, age)), FEMALE if head_sex == MALE else MALE, "incomer")

    def _children(
        self, mother_age: int, codes: tuple[str, str] | None, role: str
    ) -> list[tuple[str, int, str, str]]:
        rng = self.rng
        n = _CHILDREN(rng)
        ages = sorted((mother_age - rng.randint(21, 36) for _ in range(n)), reverse=True)
        # Grown children over 30 have mostly left to found their own households.
        ages = [a for a in ages if a >= 0 and (a <= 30 or rng.random() < 0.2)]
        sexes = [MALE if rng.random() < 0.52 else FEMALE for _ in ages]
        out = []
        sons = daughters = 0
        for age, sex in zip(ages, sexes, strict=True):
            if codes:
                code = codes[0] if sex == MALE else codes[1]
            elif sex == MALE:
                sons += 1
                code = "21" if sexes.count(MALE) == 1 and len(ages) == 1 else str(21 + sons)
            else:
                daughters += 1
                code = "31" if sexes.count(FEMALE) == 1 and len(ages) == 1 else str(31 + daughters)
            out.append((code, age, sex, role))
        return out

    def _address(self, village_code: str, urban: bool) -> str:
        # Numbers grow along each group (or building) with gaps, so addresses never repeat.
        rng = self.rng
        group = 0 if urban else rng.randint(1, 16)
        k = self.next_number.get((village_code, group), 0) + rng.randint(1, 3)
        self.next_number[(village_code, group)] = k
        if not urban:
            return f"{group}组{k}号"
        building, rest = divmod(k, 288)  # 4 units x 18 floors x 4 flats
        unit, rest = divmod(rest, 72)
        floor, flat = divmod(rest, 4)
        return f"{building + 1}幢{unit + 1}单元{floor + 1}0{flat + 1}室"

    # --- people --------------------------------------------------------------------------

    def _person(
        self,
        rel: str,
        age: int,
        sex: str,
        name: str,
        group: Any,
        hukou: str,
        village: DemoVillage,
        incomer: bool,
    ) -> DemoPerson:
        rng = self.rng
        birth = _birth_date(rng, self.today, age)
        region = village.code12[:6]
        if incomer and rel == "10" and group is None and 20 <= age <= 70 and rng.random() < 0.017:
            # A spouse from Hong Kong, Macau or Taiwan holding a residence permit.
            region = _PERMIT_REGION(rng)
            hukou = "none"
        elif group is not None and (rel[0] not in "234" or rng.random() < 0.4):
            region = rng.choice(group["region_codes"])
        elif rng.random() < (0.3 if incomer else 0.07):
            key = "migrant_region_codes" if rng.random() < 0.7 else "urban_region_codes"
            region = rng.choice(self.d[key])
        number = self._id_number(region, birth, sex)
        typed = number
        if region[0] != "8" and 1930 <= birth.year <= 1983 and rng.random() < 0.025:
            typed = number[:6] + number[8:17]  # a first-generation card: YYMMDD, no check
        category = employment_category(rng, age, sex, birth, hukou, self.today)
        employer = None
        if category == "employee" and self.employer_pick is not None:
            employer = self.employer_pick(rng)
        phone_chance = 0.5 if age >= 75 else 0.92
        return DemoPerson(
            name=name,
            id_number=number,
            id_number_as_typed=typed,
            birth_date=birth,
            sex=sex,
            ethnicity=group["code"] if group else "01",
            relationship=rel,
            hukou_nature=hukou,
            employment_category=category,
            employer_index=employer,
            phone=self._phone() if age >= 15 and rng.random() < phone_chance else None,
            bank_account=(
                _luhn_card(rng, self.d["employers"]["bank_bins"])
                if age >= 16 and rng.random() < 0.9
                else None
            ),
        )

    def _id_number(self, region: str, birth: date, sex: str) -> str:
        rng = self.rng
        while True:
            seq = rng.randrange(500) * 2 + 1 if sex == MALE else rng.randrange(1, 500) * 2
            number = make_id_number(region, birth, seq)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _phone(self) -> str:
        rng = self.rng
        while True:
            phone = rng.choice(_PHONE_PREFIXES) + str(rng.randrange(10**8)).zfill(8)
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _special_groups(self, members: list[DemoPerson], kind: str) -> None:
        rng = self.rng
        household: tuple[str, ...] = ()
        r = rng.random()
        if kind == "elderly" and len(members) == 1 and r < 0.12:
            household = ("tekun",)  # elders living alone without support
        elif r < 0.03:
            household = ("dibao",)
        elif r < 0.045:
            household = ("poverty_monitor",)
        for m in members:
            groups = list(household)
            d = rng.random()
            if d < 0.01:
                groups.append("severe_disability")
            elif d < 0.025:
                groups.append("disability")
            if m.sex == MALE and m.age_on(self.today) >= 60 and rng.random() < 0.01:
                groups.append("veteran")
            m.special_groups = tuple(groups)

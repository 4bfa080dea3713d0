"""Work and insurance side of the demo centre: employers, employment categories, enrolments.

Used by :mod:`caseworker.domain.demo_people`; split off so each module keeps to one subject.
Every slug and scheme code here is one from ``resources/codes``; tiers and bases are the
shapes of ``resources/schemes/parameters.json``.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from caseworker.domain.ids import make_uscc
from caseworker.domain.regions import short_place
from caseworker.resources import load_json

MALE, FEMALE = "1", "2"  # GB/T 2261.1, as caseworker.domain.ids.Sex

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 alphabet: no I O Z S V
_TIERS = (10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000, 150000, 200000)
_TIER_WEIGHTS = (35, 20, 14, 4, 9, 3, 2, 3, 1, 5, 2, 2)  # most people pay the lowest tiers
_BASE_SHARES = (60, 60, 60, 60, 60, 60, 80, 80, 100, 100, 150, 200)  # % of the average wage
_RESIDENT_PENSION_FROM = 2011  # residents' pensions covered every county by 2011-2012
_HARDSHIP = frozenset({"dibao", "tekun", "severe_disability", "poverty_monitor"})
_FLEXIBLE = frozenset({"flexible", "platform_worker", "self_employed"})


class Picker:
    """Weighted choice with precomputed cumulative weights (random.choices re-sums each call)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


_WORK_RURAL = Picker(
    [
        "farmer",
        "migrant_worker",
        "employee",
        "flexible",
        "platform_worker",
        "self_employed",
        "unemployed",
    ],
    [30, 25, 18, 8, 4, 6, 9],
)
_WORK_URBAN = Picker(
    [
        "employee",
        "flexible",
        "platform_worker",
        "self_employed",
        "migrant_worker",
        "farmer",
        "unemployed",
    ],
    [40, 15, 7, 10, 5, 3, 20],
)
_TIER = Picker(_TIERS, _TIER_WEIGHTS)
_ELDER_TIER = Picker((10000, 20000, 30000, 50000), (60, 20, 10, 10))
_EMPLOYER_TYPE = Picker(["company", "individual_business", "internet_startup"], [50, 40, 10])


@dataclass(frozen=True, slots=True)
class DemoEnrolment:
    scheme: str  # code from resources/codes/scheme.json
    tier_fen: int | None = None  # resident_pension: the yearly tier chosen
    base_fen: int | None = None  # employee schemes: monthly contribution base
    years_paid: int = 0  # whole years paid so far (0: drawing a pension without having paid)
    last_paid_year: int | None = None  # the paid years run up to and including this one


@dataclass(frozen=True, slots=True)
class DemoEmployer:
    name: str
    credit_code: str  # GB 32100, valid check character
    employer_type: str  # company / internet_startup / individual_business
    industry: str
    risk_class: int  # work-injury industry risk class 1-8
    village_code: str
    address: str
    contact_name: str
    contact_phone: str


# --- retirement -------------------------------------------------------------------------


@cache
def _retirement_tracks() -> dict[str, tuple[int, int, int, int]]:
    """(original age, target age, first birth month index, months per step) per sex."""
    sets = load_json("schemes", "parameters.json")["parameter_sets"]
    retirement = next(s["retirement"] for s in sets if "retirement" in s)
    out = {}
    for sex, key in ((MALE, "male_track"), (FEMALE, "female_track")):
        t = retirement["tracks"][retirement[key]]
        year, month = map(int, t["first_birth_month"].split("-"))
        first = year * 12 + month - 1
        out[sex] = (t["original_age_years"], t["target_age_years"], first, t["months_per_step"])
    return out


def retirement_age_months(sex: str, birth: date) -> int:
    """Statutory retirement age in months under the 2025 gradual reform (national tracks)."""
    original, target, first, step = _retirement_tracks()[sex]
    born = birth.year * 12 + birth.month - 1
    delay = 0 if born < first else min((born - first) // step + 1, (target - original) * 12)
    return original * 12 + delay


def employment_category(
    rng: random.Random, age: int, sex: str, birth: date, hukou: str, today: date
) -> str:
    """A category slug that fits the age: child < 6, student < 16, retired/elder past retirement."""
    if age < 6:
        return "child"
    if age < 16:
        return "student"
    months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
    if months >= retirement_age_months(sex, birth):
        # "retired" means drawing an employees' pension. Most rural elders never had one:
        # they stay farmers (or not working) and draw the residents' pension instead.
        career = {"family_farm": 0.15, "non_agricultural": 0.6}.get(hukou, 0.4)
        if rng.random() < career:
            return "retired"
        return "farmer" if hukou == "family_farm" and age < 80 else "unemployed"
    if age <= 22 and rng.random() < (0.9 if age <= 18 else 0.6):
        return "student"
    return (_WORK_RURAL if hukou == "family_farm" else _WORK_URBAN)(rng)


# --- enrolments -------------------------------------------------------------------------


def enrolments(
    rng: random.Random,
    *,
    age: int,
    birth: date,
    category: str,
    special_groups: Sequence[str],
    today: date,
    wage_fen: int,
) -> list[DemoEnrolment]:
    """The schemes this person would plausibly be in, with tier or base and years paid."""
    year = today.year
    out: list[DemoEnrolment] = []
    if category == "retired":
        return out  # draws an employees' pension; medical cover comes with it
    if category == "employee":
        base = _base(rng, wage_fen)
        years = rng.randint(1, max(1, min(age - 16, 30)))
        out.append(DemoEnrolment("employee_pension", None, base, years, year))
        out.append(DemoEnrolment("employee_medical", None, base, rng.randint(1, years), year))
        return out
    if category in _FLEXIBLE and rng.random() < 0.55:
        years = rng.randint(1, max(1, min(age - 16, 20)))
        base = _base(rng, wage_fen)
        out.append(DemoEnrolment("employee_pension_flexible", None, base, years, year))
    elif age >= 16 and category != "student" and rng.random() < 0.85:
        hardship = not _HARDSHIP.isdisjoint(special_groups)
        out.append(_resident_pension(rng, age, birth, hardship, year))
    if rng.random() < 0.96:
        last = year if rng.random() < 0.8 else year - 1
        years = min(Picker((1, 2, 3), (10, 20, 70))(rng), last - birth.year + 1)
        if years >= 1:
            out.append(DemoEnrolment("resident_medical", None, None, years, last))
    return out


def _resident_pension(
    rng: random.Random, age: int, birth: date, hardship: bool, year: int
) -> DemoEnrolment:
    first = max(_RESIDENT_PENSION_FROM, birth.year + 16)
    if age >= 60:
        # Drawing the pension: paid until 59, or nothing if already 60 when it began.
        last = min(year - 1, birth.year + 59)
        tier = 10000 if hardship else _ELDER_TIER(rng)
        span = last - first + 1
        if span <= 0:
            return DemoEnrolment("resident_pension", tier, None, 0, None)
        years = span if rng.random() < 0.6 else max(1, round(span * rng.uniform(0.4, 1.0)))
        return DemoEnrolment("resident_pension", tier, None, years, last)
    last = year if rng.random() < 0.7 else year - 1
    span = max(1, last - first + 1)
    years = max(1, round(span * rng.uniform(0.5, 1.0)))
    tier = 10000 if hardship else _TIER(rng)  # government pays the lowest tier for them
    return DemoEnrolment("resident_pension", tier, None, years, last)


def _base(rng: random.Random, wage_fen: int) -> int:
    """A monthly base in whole yuan, never below the share chosen (so never below 60%)."""
    share = rng.choice(_BASE_SHARES)
    return math.ceil(wage_fen * share / 100 / 100) * 100


# --- employers --------------------------------------------------------------------------


def make_employers(
    rng: random.Random,
    count: int,
    villages: Sequence[Any],
    *,
    surname: Callable[[], str],
    given: Callable[[], str],
    phone: Callable[[], str],
) -> list[DemoEmployer]:
    """``count`` employers with unique names and credit codes, spread over ``villages``."""
    lists = load_json("demo", "people.json")["employers"]
    names: set[str] = set()
    codes: set[str] = set()
    out = []
    for _ in range(count):
        village = villages[rng.randrange(len(villages))]
        kind = _EMPLOYER_TYPE(rng)
        place, trade = short_place(village.name), rng.choice(lists["trade_names"])
        owner = surname()
        if kind == "individual_business":
            industry, risk = rng.choice(lists["shops"])
            name = f"{place}{owner}记{industry}"
            address = f"{place}{rng.randint(1, 16)}组{rng.randint(1, 99)}号"
        else:
            key = "company_industries" if kind == "company" else "internet_industries"
            industry, risk = rng.choice(lists[key])
            name = f"{place}{trade}{industry}有限公司"
            address = f"{place}工业园区{rng.randint(1, 200)}号"
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base}（{n}）"  # a second business of the same name: a branch or shop
        names.add(name)
        while True:
            org = "".join(rng.choice(_USCC_CHARS) for _ in range(9))
            org_type = "92" if kind == "individual_business" else "91"
            code = make_uscc(org_type, village.code12[:6], org)
            if code not in codes:
                codes.add(code)
                break
        out.append(
            DemoEmployer(
                name=name,
                credit_code=code,
                employer_type=kind,
                industry=industry,
                risk_class=int(risk),
                village_code=village.code12,
                address=address,
                contact_name=owner + given(),
                contact_phone=phone(),
            )
        )
    return out

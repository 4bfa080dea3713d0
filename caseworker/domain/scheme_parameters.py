"""The scheme parameters as reference data: the parameter types and the parameter book.

Every rate, tier, amount and age lives in ``resources/schemes/parameters.json`` (or in data
delivered from upstream through :meth:`ParameterBook.from_dict`); nothing here hard-codes one.
Money is integer fen, rates are integer basis points (1% = 100 bp).

How a day's parameters are chosen (:meth:`ParameterBook.for_date`): the file holds parameter
sets, each for a region (``000000`` national, or a province) and a date range, holding some
sections (``resident_pension``, ``wage_base`` ...). For each section and region, the set with
the latest ``effective_from`` that covers the day wins, so a yearly set can sit on top of an
open-ended one. The province's section is then laid over the national one key by key: a
province that only publishes its average wage keeps the national 60%/300% bounds. A key that
holds a table (the tier list) is replaced as a whole, never merged.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from caseworker.domain.errors import InvalidValue
from caseworker.domain.schemes import (
    _REGION,
    BP_WHOLE,
    EMPLOYMENT_CATEGORIES,
    NATIONAL,
    SCHEME_CODES,
    SPECIAL_GROUPS,
    province_of,
)
from caseworker.resources import load_json

# ---------------------------------------------------------------- value types


@dataclass(frozen=True)
class RetirementTrack:
    """One line of the 2025 progressive retirement schedule.

    People born before ``first_birth`` (year, month) keep the original age; from then on the
    age rises one month for every ``months_per_step`` months of birth, up to the target.
    """

    original_age_years: int
    target_age_years: int
    first_birth: tuple[int, int]
    months_per_step: int

    def age_months(self, birth: date) -> int:
        """Statutory retirement age in months for someone born on ``birth``."""
        index = (birth.year - self.first_birth[0]) * 12 + birth.month - self.first_birth[1]
        delay = 0
        if index >= 0:
            max_delay = (self.target_age_years - self.original_age_years) * 12
            delay = min(index // self.months_per_step + 1, max_delay)
        return self.original_age_years * 12 + delay


@dataclass(frozen=True)
class RetirementRules:
    male: RetirementTrack
    female: RetirementTrack
    # Years of contributions for a monthly employees' pension (the worklist of people nearing
    # the age says how many are missing).
    min_contribution_years: int
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WageBase:
    """Bounds of the monthly contribution base, from the provincial average wage."""

    average_monthly_wage_fen: int | None
    lower_bp: int
    upper_bp: int
    sources: tuple[str, ...] = ()

    @property
    def bounds_fen(self) -> tuple[int, int] | None:
        """(min, max) base in fen, or None when the province has no average wage configured.

        The lower bound is rounded up and the upper bound down to whole yuan, so the range
        never leaves 60%–300% and the printed figures are whole yuan as provinces publish them.
        """
        if self.average_monthly_wage_fen is None:
            return None
        per_yuan = 100 * BP_WHOLE
        lower = -(-self.average_monthly_wage_fen * self.lower_bp // per_yuan) * 100
        upper = self.average_monthly_wage_fen * self.upper_bp // per_yuan * 100
        return lower, upper


@dataclass(frozen=True)
class Tier:
    tier_fen: int
    subsidy_fen: int


@dataclass(frozen=True)
class ResidentPensionParams:
    min_age: int
    excluded_categories: frozenset[str]
    tiers: tuple[Tier, ...]
    paid_by_government_fen: Mapping[str, int]
    benefit_age_years: int  # the age the monthly residents' pension starts
    min_contribution_years: int  # years paid for a full benefit (fewer: pay arrears)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResidentMedicalParams:
    individual_fen: int
    subsidy_fen: int
    paid_by_government_bp: Mapping[str, int]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlexiblePensionParams:
    categories: frozenset[str]
    min_age: int
    rate_bp: int
    personal_account_bp: int
    max_months: int
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmployeeSchemeParams:
    """Employees' pension, medical or unemployment insurance, paid through the employer."""

    categories: frozenset[str]
    min_age: int
    until_retirement: bool
    employer_bp: int
    employee_bp: int
    personal_account_bp: int
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkInjuryParams:
    categories: frozenset[str]
    min_age: int
    risk_class_bp: tuple[int, ...]  # index 0 is risk class 1
    # Floating rates: the allowed multiples of a class's benchmark (10000 = the benchmark);
    # the lowest-risk class may only float up.
    float_steps_bp: tuple[int, ...] = (10000,)
    lowest_class_float_steps_bp: tuple[int, ...] = (10000,)
    sources: tuple[str, ...] = ()

    def steps_for(self, risk_class: int) -> tuple[int, ...]:
        return self.lowest_class_float_steps_bp if risk_class == 1 else self.float_steps_bp


@dataclass(frozen=True)
class PilotProvince:
    province: str
    start: date
    end: date | None

    def covers(self, province_code: str, day: date) -> bool:
        return (
            self.province == province_code
            and self.start <= day
            and (self.end is None or day <= self.end)
        )


@dataclass(frozen=True)
class OccupationalInjuryParams:
    categories: frozenset[str]
    min_age: int
    pilot_provinces: tuple[PilotProvince, ...]
    # Whom the centre asks about injury cover where the pilot runs (the worklist).
    outreach_categories: frozenset[str]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WindowEdge:
    """A day of a collection window, the year counted from the period's own year."""

    year_offset: int  # -1: the year before the period, 0: the period's year
    month: int
    day: int

    def on(self, period_year: int) -> date:
        return date(period_year + self.year_offset, self.month, self.day)


@dataclass(frozen=True)
class CollectionRule:
    """How one scheme's periods are collected, and which past ones may still be paid (补缴).

    ``period`` is "year" (calendar years, collected between ``opens`` and ``closes``) or
    "month" (calendar months, the current one collected; no window).
    """

    period: str
    opens: WindowEdge | None
    closes: WindowEdge | None
    arrears_periods: int  # how many periods before the first collected one may still be paid
    arrears_surcharge_bp: int  # added to an arrears period's amount
    arrears_subsidy: bool  # whether an arrears period still earns the government subsidy


@dataclass(frozen=True)
class CollectionParams:
    rules: Mapping[str, CollectionRule]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeParameters:
    """Everything the rules need for one day in one province."""

    day: date
    province_code: str
    retirement: RetirementRules
    wage_base: WageBase
    resident_pension: ResidentPensionParams
    resident_medical: ResidentMedicalParams
    employee_pension_flexible: FlexiblePensionParams
    employee_pension: EmployeeSchemeParams
    employee_medical: EmployeeSchemeParams
    unemployment: EmployeeSchemeParams
    work_injury: WorkInjuryParams
    occupational_injury: OccupationalInjuryParams
    collection: CollectionParams


# ---------------------------------------------------------------- parameter book


@dataclass(frozen=True)
class _ParameterSet:
    region: str
    start: date
    end: date | None
    sections: Mapping[str, Mapping[str, Any]]

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _bad(path: str, message: str) -> InvalidValue:
    return InvalidValue("parameters", "bad_parameters", f"缴费参数有误（{path}）：{message}")


def _date(value: Any, path: str, *, optional: bool = False) -> date | None:
    if value is None and optional:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad(path, f"应为日期YYYY-MM-DD：{value!r}") from None


def _int(section: Mapping[str, Any], key: str, path: str) -> int:
    value = section.get(key)
    # bool is an int subclass: true in a rate field is a data error, not 1 bp.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(f"{path}.{key}", f"应为非负整数：{value!r}")
    return value


def _steps(section: Mapping[str, Any], key: str, path: str) -> tuple[int, ...]:
    """Multiples of a benchmark rate in basis points (above 10000 is allowed: 150% = 15000)."""
    steps = tuple(_int({key: r}, key, path) for r in _list(section, key, path))
    if not steps or 10000 not in steps:
        raise _bad(f"{path}.{key}", "浮动档次应包含基准费率本身（10000）")
    return steps


def _optional_int(section: Mapping[str, Any], key: str, path: str) -> int | None:
    return None if section.get(key) is None else _int(section, key, path)


def _bp(section: Mapping[str, Any], key: str, path: str) -> int:
    value = _int(section, key, path)
    if value > BP_WHOLE:
        raise _bad(f"{path}.{key}", f"费率不能超过10000个基点：{value}")
    return value


def _bool(section: Mapping[str, Any], key: str, path: str) -> bool:
    value = section.get(key)
    if not isinstance(value, bool):
        raise _bad(f"{path}.{key}", f"应为true或false：{value!r}")
    return value


def _categories(section: Mapping[str, Any], key: str, path: str) -> frozenset[str]:
    value = section.get(key)
    if not isinstance(value, list) or not set(value) <= EMPLOYMENT_CATEGORIES:
        raise _bad(f"{path}.{key}", f"应为就业类别代码的列表：{value!r}")
    return frozenset(value)


def _groups(check: Any) -> Any:
    """A validator for a {special group: amount} table, each amount checked by ``check``."""

    def parse(section: Mapping[str, Any], key: str, path: str) -> Mapping[str, int]:
        value = section.get(key)
        if not isinstance(value, dict) or not set(value) <= SPECIAL_GROUPS:
            raise _bad(f"{path}.{key}", f"应为特殊群体代码到金额的映射：{value!r}")
        return MappingProxyType({g: check(value, g, f"{path}.{key}") for g in value})

    return parse


def _list(section: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = section.get(key)
    if not isinstance(value, list) or not value:
        raise _bad(f"{path}.{key}", "应为非空列表")
    return value


def _tiers(section: Mapping[str, Any], key: str, path: str) -> tuple[Tier, ...]:
    tiers = []
    for entry in _list(section, key, path):
        if not isinstance(entry, dict):
            raise _bad(f"{path}.{key}", f"应为对象：{entry!r}")
        tiers.append(Tier(_int(entry, "tier_fen", path), _int(entry, "subsidy_fen", path)))
    # Higher tiers must never earn a smaller subsidy: people are told "pay more, get more".
    for low, high in itertools.pairwise(tiers):
        if not (low.tier_fen < high.tier_fen and low.subsidy_fen <= high.subsidy_fen):
            raise _bad(f"{path}.{key}", "档次应从低到高排列，补贴不随档次降低")
    if tiers[0].tier_fen == 0:
        raise _bad(f"{path}.{key}", "缴费档次应为正数")
    return tuple(tiers)


def _rates(section: Mapping[str, Any], key: str, path: str) -> tuple[int, ...]:
    return tuple(_bp({key: r}, key, path) for r in _list(section, key, path))


def _pilots(section: Mapping[str, Any], key: str, path: str) -> tuple[PilotProvince, ...]:
    value = section.get(key)
    if not isinstance(value, list):
        raise _bad(f"{path}.{key}", "应为试点省份列表")
    pilots = []
    for entry in value:
        province = entry.get("province") if isinstance(entry, dict) else None
        if not isinstance(province, str) or not _REGION.fullmatch(province):
            raise _bad(f"{path}.{key}", f"省份代码有误：{entry!r}")
        start = _date(entry.get("from"), f"{path}.{key}.from")
        end = _date(entry.get("to"), f"{path}.{key}.to", optional=True)
        assert start is not None
        pilots.append(PilotProvince(province, start, end))
    return tuple(pilots)


# How each parameter key is read; a section's keys are its dataclass's fields.
_READERS: dict[str, Any] = {
    "average_monthly_wage_fen": _optional_int,
    "lower_bp": _int,  # not _bp: the upper bound is 300%
    "upper_bp": _int,
    "min_age": _int,
    "max_months": _int,
    "individual_fen": _int,
    "subsidy_fen": _int,
    "rate_bp": _bp,
    "personal_account_bp": _bp,
    "employer_bp": _bp,
    "employee_bp": _bp,
    "until_retirement": _bool,
    "categories": _categories,
    "excluded_categories": _categories,
    "outreach_categories": _categories,
    "benefit_age_years": _int,
    "min_contribution_years": _int,
    "paid_by_government_fen": _groups(_int),
    "paid_by_government_bp": _groups(_bp),
    "tiers": _tiers,
    "risk_class_bp": _rates,
    "float_steps_bp": _steps,
    "lowest_class_float_steps_bp": _steps,
    "pilot_provinces": _pilots,
}
_SECTIONS: dict[str, type] = {
    "wage_base": WageBase,
    "resident_pension": ResidentPensionParams,
    "resident_medical": ResidentMedicalParams,
    "employee_pension_flexible": FlexiblePensionParams,
    "employee_pension": EmployeeSchemeParams,
    "employee_medical": EmployeeSchemeParams,
    "unemployment": EmployeeSchemeParams,
    "work_injury": WorkInjuryParams,
    "occupational_injury": OccupationalInjuryParams,
}
_SECTION_KEYS: dict[str, frozenset[str]] = {
    "retirement": frozenset({"tracks", "male_track", "female_track", "min_contribution_years"}),
    "collection": frozenset(SCHEME_CODES),
    **{
        name: frozenset(f.name for f in fields(cls) if f.name != "sources")
        for name, cls in _SECTIONS.items()
    },
}


def _build(section: str, data: Mapping[str, Any], path: str, sources: tuple[str, ...]) -> Any:
    if section == "retirement":
        return _build_retirement(data, path, sources)
    if section == "collection":
        return _build_collection(data, path, sources)
    cls = _SECTIONS[section]
    values = {key: _READERS[key](data, key, path) for key in _SECTION_KEYS[section]}
    built = cls(**values, sources=sources)
    # Cross-field checks that no single reader can make.
    if isinstance(built, WageBase) and built.lower_bp > built.upper_bp:
        raise _bad(path, "缴费基数下限高于上限")
    if isinstance(built, FlexiblePensionParams) and (
        built.personal_account_bp > built.rate_bp or built.max_months < 1
    ):
        raise _bad(path, "个人账户比例不能高于缴费比例，缴费月数至少为1")
    return built


def _track(value: Any, path: str) -> RetirementTrack:
    if not isinstance(value, dict):
        raise _bad(path, "缺少退休年龄规则")
    first = value.get("first_birth_month")
    match = re.fullmatch(r"(\d{4})-(\d{2})", first) if isinstance(first, str) else None
    if match is None or not 1 <= int(match[2]) <= 12:
        raise _bad(f"{path}.first_birth_month", f"应为YYYY-MM：{first!r}")
    track = RetirementTrack(
        original_age_years=_int(value, "original_age_years", path),
        target_age_years=_int(value, "target_age_years", path),
        first_birth=(int(match[1]), int(match[2])),
        months_per_step=_int(value, "months_per_step", path),
    )
    if track.months_per_step == 0 or track.target_age_years < track.original_age_years:
        raise _bad(path, "退休年龄规则不成立")
    return track


def _build_retirement(s: Mapping[str, Any], p: str, src: tuple[str, ...]) -> RetirementRules:
    tracks = s.get("tracks")
    if not isinstance(tracks, dict):
        raise _bad(f"{p}.tracks", "缺少退休年龄规则")
    picked = {}
    for key in ("male_track", "female_track"):
        name = s.get(key)
        if name not in tracks:
            raise _bad(f"{p}.{key}", f"没有名为{name!r}的退休年龄规则")
        picked[key] = _track(tracks[name], f"{p}.tracks.{name}")
    years = _int(s, "min_contribution_years", p)
    return RetirementRules(picked["male_track"], picked["female_track"], years, src)


def _edge(value: Any, path: str) -> WindowEdge:
    if not isinstance(value, dict) or set(value) != {"year", "month", "day"}:
        raise _bad(path, f"应为{{year, month, day}}：{value!r}")
    year = value["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not -1 <= year <= 0:
        raise _bad(f"{path}.year", f"应为-1（上一年）或0（当年）：{year!r}")
    edge = WindowEdge(year, _int(value, "month", path), _int(value, "day", path))
    try:
        edge.on(2024)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise _bad(path, f"日期不存在：{value!r}") from None
    return edge


def _collection_rule(value: Any, path: str) -> CollectionRule:
    if not isinstance(value, dict):
        raise _bad(path, "应为对象")
    known = {"period", "opens", "closes", "arrears_periods", "arrears_surcharge_bp"}
    unknown = set(value) - known - {"arrears_subsidy"}
    if unknown:
        raise _bad(path, f"未知的参数：{sorted(unknown)}")
    period = value.get("period")
    if period not in ("year", "month"):
        raise _bad(f"{path}.period", f"应为year或month：{period!r}")
    opens = closes = None
    if period == "year":
        opens = _edge(value.get("opens"), f"{path}.opens")
        closes = _edge(value.get("closes"), f"{path}.closes")
        if closes.on(2024) < opens.on(2024):
            raise _bad(path, "征缴期结束早于开始")
    elif value.get("opens") is not None or value.get("closes") is not None:
        raise _bad(path, "按月缴费的险种没有征缴期")
    return CollectionRule(
        period=period,
        opens=opens,
        closes=closes,
        arrears_periods=_int(value, "arrears_periods", path),
        arrears_surcharge_bp=_int(value, "arrears_surcharge_bp", path),
        arrears_subsidy=_bool(value, "arrears_subsidy", path),
    )


def _build_collection(s: Mapping[str, Any], p: str, src: tuple[str, ...]) -> CollectionParams:
    missing = [scheme for scheme in SCHEME_CODES if scheme not in s]
    if missing:
        raise _bad(p, f"缺少险种的征缴规则：{missing}")
    rules = {scheme: _collection_rule(s[scheme], f"{p}.{scheme}") for scheme in SCHEME_CODES}
    return CollectionParams(MappingProxyType(rules), src)


class ParameterBook:
    """All parameter sets, answering "which figures apply on this day in this province"."""

    def __init__(self, sets: list[_ParameterSet]) -> None:
        self._sets = sets

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParameterBook:
        """Build from the JSON shape of ``parameters.json`` (also what upstream delivers).

        Raises InvalidValue(field="parameters", code="bad_parameters") on malformed data, so a
        bad delivery is refused before it replaces the working set.
        """
        raw_sets = data.get("parameter_sets") if isinstance(data, Mapping) else None
        if not isinstance(raw_sets, list):
            raise _bad("parameter_sets", "缺少参数集列表")
        sets: list[_ParameterSet] = []
        for number, raw in enumerate(raw_sets):
            path = f"parameter_sets[{number}]"
            if not isinstance(raw, dict):
                raise _bad(path, "应为对象")
            region = raw.get("region")
            if not isinstance(region, str) or not _REGION.fullmatch(region):
                raise _bad(f"{path}.region", f"应为6位行政区划代码：{region!r}")
            if region != province_of(region):
                raise _bad(f"{path}.region", f"参数按省级或全国设置：{region}")
            start = _date(raw.get("effective_from"), f"{path}.effective_from")
            end = _date(raw.get("effective_to"), f"{path}.effective_to", optional=True)
            assert start is not None
            if end is not None and end < start:
                raise _bad(path, "失效日期早于生效日期")
            sections = {}
            for key, value in raw.items():
                if key in {"region", "effective_from", "effective_to", "source"}:
                    continue
                if key not in _SECTION_KEYS:
                    raise _bad(f"{path}.{key}", "未知的参数部分")
                if not isinstance(value, dict):
                    raise _bad(f"{path}.{key}", "应为对象")
                unknown = set(value) - _SECTION_KEYS[key] - {"source"}
                if unknown:
                    raise _bad(f"{path}.{key}", f"未知的参数：{sorted(unknown)}")
                sections[key] = copy.deepcopy(value)  # later edits by the caller must not leak in
            sets.append(_ParameterSet(region, start, end, sections))
        book = cls(sets)
        book._check()
        return book

    def _check(self) -> None:
        """Refuse ambiguous data, and build every set once so type errors surface at load."""
        seen: set[tuple[str, str, date]] = set()
        for item in self._sets:
            for section in item.sections:
                key = (item.region, section, item.start)
                if key in seen:
                    raise _bad(section, f"{item.region}有两个{item.start}生效的同名参数")
                seen.add(key)
        for item in self._sets:
            try:
                self.for_date(item.start, item.region)
            except InvalidValue as error:
                if error.code != "no_parameters":
                    raise

    def _pick(self, region: str, section: str, day: date) -> _ParameterSet | None:
        candidates = [
            s for s in self._sets if s.region == region and section in s.sections and s.covers(day)
        ]
        return max(candidates, key=lambda s: s.start, default=None)

    def for_date(self, day: date, province_code: str = NATIONAL) -> SchemeParameters:
        """The parameters effective on ``day`` for the province of ``province_code``."""
        if not _REGION.fullmatch(province_code):
            raise InvalidValue(
                "province_code", "bad_format", f"行政区划代码应为6位数字：{province_code!r}"
            )
        province = province_of(province_code)
        built: dict[str, Any] = {}
        missing = []
        for section in _SECTION_KEYS:
            layers = [self._pick(NATIONAL, section, day)]
            if province != NATIONAL:
                layers.append(self._pick(province, section, day))
            merged: dict[str, Any] = {}
            sources: list[str] = []
            for layer in layers:
                if layer is None:
                    continue
                data = layer.sections[section]
                merged.update({k: v for k, v in data.items() if k != "source"})
                if isinstance(data.get("source"), str):
                    sources.append(data["source"])
            if not merged:
                missing.append(section)
                continue
            path = f"{province}/{day.isoformat()}/{section}"
            built[section] = _build(section, merged, path, tuple(sources))
        if missing:
            raise InvalidValue(
                "date",
                "no_parameters",
                f"没有{day.isoformat()}生效的缴费参数（{province}，缺少：{'、'.join(missing)}）",
            )
        return SchemeParameters(day=day, province_code=province, **built)


@cache
def load_parameter_book() -> ParameterBook:
    """The parameters shipped with the app (cached: the file does not change while running)."""
    return ParameterBook.from_dict(load_json("schemes", "parameters.json"))

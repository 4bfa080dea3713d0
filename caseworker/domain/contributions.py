"""Who may join which scheme, with what choices, and what a contribution comes to.

Pure rules over :class:`~caseworker.domain.schemes.PersonFacts` and the day's
:class:`~caseworker.domain.schemes.SchemeParameters`; every figure comes from the parameters.

Rounding: amounts are integer fen; a rate in basis points is applied as
``(amount_fen * bp + 5000) // 10000``, i.e. rounded half up to whole fen with integer
arithmetic only (amounts are never negative, so floor division is exact here). Monthly
schemes round each month's amount and multiply by the number of months, as collection is
monthly and a receipt for three months must equal three one-month receipts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from caseworker.domain.errors import InvalidValue
from caseworker.domain.periods import OpenPeriod, month_period, year_period
from caseworker.domain.scheme_parameters import EmployeeSchemeParams, SchemeParameters
from caseworker.domain.schemes import (
    BP_WHOLE,
    SCHEME_CODES,
    PersonFacts,
    age_on,
    statutory_retirement_date,
)

# ---------------------------------------------------------------- value types


@dataclass(frozen=True)
class TierChoice:
    """One residents' pension tier as it would apply to this person."""

    tier_fen: int
    subsidy_fen: int  # credited to the personal account on top of the tier
    paid_by_government_fen: int  # paid on the person's behalf (hardship groups)
    personal_fen: int  # what the person pays: tier − paid_by_government


@dataclass(frozen=True)
class YearlyAmount:
    year: int
    amount_fen: int  # the individual contribution for the year
    subsidy_fen: int  # government subsidy per insured person, not collected from them
    paid_by_government_fen: int
    personal_fen: int


@dataclass(frozen=True)
class BaseRange:
    """Flexible workers choose a monthly base in [min_fen, max_fen] and pay rate_bp of it."""

    min_fen: int
    max_fen: int
    rate_bp: int
    personal_account_bp: int


@dataclass(frozen=True)
class EmployeeRates:
    """Employee schemes: the wage is clamped into [min_fen, max_fen] to give the base."""

    min_fen: int
    max_fen: int
    employer_bp: int
    employee_bp: int


@dataclass(frozen=True)
class WorkInjuryRates:
    min_fen: int
    max_fen: int
    risk_class_bp: tuple[int, ...]  # index 0 is risk class 1; employer only


@dataclass(frozen=True)
class PlatformPaid:
    """Occupational injury protection: the platform pays per order; the worker pays nothing."""

    personal_fen: int = 0


Choices = (
    tuple[TierChoice, ...]
    | YearlyAmount
    | BaseRange
    | EmployeeRates
    | WorkInjuryRates
    | PlatformPaid
)


@dataclass(frozen=True)
class SchemeOption:
    scheme: str
    eligible: bool
    reason_zh: str | None = None  # why not, when not eligible
    reason_en: str | None = None
    choices: Choices | None = None


@dataclass(frozen=True)
class Contribution:
    """What is due for one scheme and period.

    ``amount_fen == personal_fen + paid_by_government_fen + employer_fen``; ``subsidy_fen`` is
    credited by the government on top and is not part of the amount due.
    """

    scheme: str
    period_start: date
    period_end: date
    amount_fen: int
    subsidy_fen: int
    paid_by_government_fen: int
    personal_fen: int
    employer_fen: int = 0
    personal_account_fen: int = 0  # part of the amount credited to the personal account
    tier_fen: int | None = None
    base_fen: int | None = None  # monthly base actually used
    months: int = 1
    arrears: bool = False  # a past period paid late (补缴)
    surcharge_fen: int = 0  # added for arrears; part of amount_fen and personal_fen


# ---------------------------------------------------------------- helpers


def apply_rate(amount_fen: int, rate_bp: int) -> int:
    """``amount_fen`` × ``rate_bp`` / 10000, rounded half up to whole fen."""
    return (amount_fen * rate_bp + BP_WHOLE // 2) // BP_WHOLE


def format_yuan(fen: int) -> str:
    """4386_00 → "4,386元"; 4386_50 → "4,386.50元" (for messages, not receipts)."""
    yuan, rest = divmod(fen, 100)
    return f"{yuan:,}" + (f".{rest:02d}" if rest else "") + "元"


@dataclass(frozen=True)
class _Refusal:
    zh: str
    en: str


_IN_EMPLOYEE_PENSION = _Refusal("已参加职工基本养老保险", "Already in the employees' basic pension")
_IN_EMPLOYEE_MEDICAL = _Refusal(
    "已参加职工基本医疗保险", "Already in the employees' basic medical insurance"
)
_RETIRED = _Refusal("已退休人员不再参保缴费", "Retired people no longer contribute")
_SEX_UNKNOWN = _Refusal(
    "性别不详，无法确定法定退休年龄", "Sex not recorded: the statutory retirement age is unknown"
)
_NO_WAGE = _Refusal(
    "本省社会平均工资（缴费基数）参数尚未配置",
    "The provincial average wage for the contribution base is not configured",
)
_CATEGORY_REFUSALS: dict[tuple[str, str], _Refusal] = {
    ("resident_pension", "student"): _Refusal(
        "在校学生不参加城乡居民养老保险", "Students in school do not join the residents' pension"
    ),
}
_SCHEME_REFUSALS: dict[str, _Refusal] = {
    "resident_pension": _Refusal(
        "该就业类别不参加城乡居民养老保险",
        "This employment category does not join the residents' pension",
    ),
    "employee_pension_flexible": _Refusal(
        "该就业类别不能以灵活就业人员身份参加职工养老保险",
        "This employment category cannot join the employees' pension as a flexible worker",
    ),
    "occupational_injury": _Refusal(
        "仅适用于平台从业人员（新就业形态）", "Only for platform workers (new forms of employment)"
    ),
}
# Where the clerk goes instead: the employer's page, where 增员 enrols its employees.
_EMPLOYER_ONLY = _Refusal(
    "请到“用人单位”页为职工增员", "Employees join on the Employers page (Add employee)"
)
_NOT_PILOT = _Refusal(
    "所在省份未开展新就业形态人员职业伤害保障试点",
    "The province does not run the occupational injury protection pilot",
)


def _too_young(min_age: int) -> _Refusal:
    return _Refusal(f"未满{min_age}周岁", f"Under {min_age} years old")


def _category(scheme: str, category: str) -> _Refusal:
    if category == "retired":
        return _RETIRED
    return _CATEGORY_REFUSALS.get((scheme, category), _SCHEME_REFUSALS.get(scheme, _EMPLOYER_ONLY))


def _retirement(facts: PersonFacts, day: date, params: SchemeParameters) -> _Refusal | None:
    reached = statutory_retirement_date(facts.birth_date, facts.sex, params.retirement)
    if reached is None:
        return _SEX_UNKNOWN
    when, months = reached
    if day < when:
        return None
    years, extra = divmod(months, 12)
    age_zh = f"{years}周岁" + (f"{extra}个月" if extra else "")
    age_en = f"{years} years" + (f" {extra} months" if extra else "")
    return _Refusal(f"已达法定退休年龄（{age_zh}）", f"Statutory retirement age reached ({age_en})")


def _base_bounds(params: SchemeParameters) -> tuple[int, int] | _Refusal:
    bounds = params.wage_base.bounds_fen
    return _NO_WAGE if bounds is None else bounds


# ---------------------------------------------------------------- rules per scheme


def _resident_pension(
    facts: PersonFacts, day: date, age: int, params: SchemeParameters
) -> Choices | _Refusal:
    rp = params.resident_pension
    if age < rp.min_age:
        return _too_young(rp.min_age)
    if facts.in_employee_pension:
        return _IN_EMPLOYEE_PENSION
    if facts.employment_category in rp.excluded_categories:
        return _category("resident_pension", facts.employment_category)
    # Several hardship groups do not add up: the most generous one applies.
    paid = max((rp.paid_by_government_fen.get(g, 0) for g in facts.special_groups), default=0)
    choices = []
    for tier in rp.tiers:
        by_gov = min(paid, tier.tier_fen)
        choices.append(TierChoice(tier.tier_fen, tier.subsidy_fen, by_gov, tier.tier_fen - by_gov))
    return tuple(choices)


def _resident_medical(
    facts: PersonFacts, day: date, age: int, params: SchemeParameters
) -> Choices | _Refusal:
    rm = params.resident_medical
    if facts.in_employee_medical:
        return _IN_EMPLOYEE_MEDICAL
    share_bp = max((rm.paid_by_government_bp.get(g, 0) for g in facts.special_groups), default=0)
    paid = apply_rate(rm.individual_fen, share_bp)
    return YearlyAmount(day.year, rm.individual_fen, rm.subsidy_fen, paid, rm.individual_fen - paid)


def _flexible(
    facts: PersonFacts, day: date, age: int, params: SchemeParameters
) -> Choices | _Refusal:
    fp = params.employee_pension_flexible
    if age < fp.min_age:
        return _too_young(fp.min_age)
    if facts.in_employee_pension:
        return _IN_EMPLOYEE_PENSION
    if facts.employment_category not in fp.categories:
        return _category("employee_pension_flexible", facts.employment_category)
    refusal = _retirement(facts, day, params)
    if refusal is not None:
        return refusal
    bounds = _base_bounds(params)
    if isinstance(bounds, _Refusal):
        return bounds
    return BaseRange(bounds[0], bounds[1], fp.rate_bp, fp.personal_account_bp)


_Rule = Callable[[PersonFacts, date, int, SchemeParameters], "Choices | _Refusal"]


def _employee(scheme: str) -> _Rule:
    """The rule shared by the employee schemes, reading that scheme's parameters."""

    def rule(
        facts: PersonFacts, day: date, age: int, params: SchemeParameters
    ) -> Choices | _Refusal:
        ep: EmployeeSchemeParams = getattr(params, scheme)
        if age < ep.min_age:
            return _too_young(ep.min_age)
        if facts.employment_category not in ep.categories:
            return _category(scheme, facts.employment_category)
        if ep.until_retirement:
            refusal = _retirement(facts, day, params)
            if refusal is not None:
                return refusal
        bounds = _base_bounds(params)
        if isinstance(bounds, _Refusal):
            return bounds
        return EmployeeRates(bounds[0], bounds[1], ep.employer_bp, ep.employee_bp)

    return rule


def _work_injury(
    facts: PersonFacts, day: date, age: int, params: SchemeParameters
) -> Choices | _Refusal:
    wi = params.work_injury
    if age < wi.min_age:
        return _too_young(wi.min_age)
    if facts.employment_category not in wi.categories:
        return _category("work_injury", facts.employment_category)
    bounds = _base_bounds(params)
    if isinstance(bounds, _Refusal):
        return bounds
    return WorkInjuryRates(bounds[0], bounds[1], wi.risk_class_bp)


def _occupational_injury(
    facts: PersonFacts, day: date, age: int, params: SchemeParameters
) -> Choices | _Refusal:
    oi = params.occupational_injury
    if age < oi.min_age:
        return _too_young(oi.min_age)
    if facts.employment_category not in oi.categories:
        return _category("occupational_injury", facts.employment_category)
    if not any(p.covers(facts.province, day) for p in oi.pilot_provinces):
        return _NOT_PILOT
    return PlatformPaid()


_RULES: dict[str, _Rule] = {
    "resident_pension": _resident_pension,
    "resident_medical": _resident_medical,
    "employee_pension": _employee("employee_pension"),
    "employee_pension_flexible": _flexible,
    "employee_medical": _employee("employee_medical"),
    "unemployment": _employee("unemployment"),
    "work_injury": _work_injury,
    "occupational_injury": _occupational_injury,
}
assert set(_RULES) == set(SCHEME_CODES)


def _option(scheme: str, facts: PersonFacts, day: date, params: SchemeParameters) -> SchemeOption:
    result = _RULES[scheme](facts, day, age_on(facts.birth_date, day), params)
    if isinstance(result, _Refusal):
        return SchemeOption(scheme, False, result.zh, result.en)
    return SchemeOption(scheme, True, choices=result)


def eligible_schemes(facts: PersonFacts, day: date, params: SchemeParameters) -> list[SchemeOption]:
    """Every scheme, in the fixed order, eligible or not with the reason in words.

    ``params`` should be ``book.for_date(day, facts.province_code)``.
    """
    return [_option(scheme, facts, day, params) for scheme in SCHEME_CODES]


# ---------------------------------------------------------------- contributions


def _year(day: date) -> tuple[date, date]:
    period = year_period(day.year)
    return period.start, period.end


def _months(day: date, months: int) -> tuple[date, date]:
    period = month_period(day, months)
    return period.start, period.end


def _require_base(base_fen: int | None, scheme_zh: str) -> int:
    if base_fen is None or isinstance(base_fen, bool) or base_fen < 0:
        raise InvalidValue("base", "required", f"请填写{scheme_zh}")
    return base_fen


def contribution(
    scheme: str,
    facts: PersonFacts,
    day: date,
    params: SchemeParameters,
    *,
    tier_fen: int | None = None,
    base_fen: int | None = None,
    months: int = 1,
    risk_class: int | None = None,
    period_start: date | None = None,
) -> Contribution:
    """What is due for ``scheme`` on ``day``, for the period starting ``period_start``
    (by default the year or month of ``day``; :func:`period_contribution` passes an open one).

    - resident_pension: ``tier_fen`` one of the tiers; period the calendar year of ``day``.
    - resident_medical: no choice; period the calendar year of ``day``.
    - employee_pension_flexible: ``base_fen`` (monthly) within the base range; ``months``
      months from the month of ``day``.
    - employee_pension / employee_medical / unemployment: ``base_fen`` is the monthly wage,
      clamped into the base range; employee and employer shares for ``months`` months.
    - work_injury: ``base_fen`` wage and ``risk_class`` (1..8); employer only.
    - occupational_injury: all zero for ``months`` months (the platform pays per order).

    Raises InvalidValue with field "scheme", "tier", "base", "months" or "risk_class".
    """
    if scheme not in _RULES:
        raise InvalidValue("scheme", "unknown_scheme", f"未知的险种：{scheme!r}")
    option = _option(scheme, facts, day, params)
    if not option.eligible:
        raise InvalidValue("scheme", "not_eligible", option.reason_zh or "不符合参保条件")
    choices = option.choices
    yearly = scheme in {"resident_pension", "resident_medical"}
    if yearly and months != 1:
        raise InvalidValue("months", "not_applicable", "城乡居民险种按年度缴费")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise InvalidValue("months", "out_of_range", "缴费月数至少为1个月")
    first = period_start or day

    if isinstance(choices, tuple):  # resident_pension tiers
        chosen = next((c for c in choices if c.tier_fen == tier_fen), None)
        if chosen is None:
            allowed = "、".join(format_yuan(c.tier_fen) for c in choices)
            raise InvalidValue("tier", "not_allowed", f"缴费档次应为以下之一：{allowed}")
        start, end = _year(first)
        return Contribution(
            scheme=scheme,
            period_start=start,
            period_end=end,
            amount_fen=chosen.tier_fen,
            subsidy_fen=chosen.subsidy_fen,
            paid_by_government_fen=chosen.paid_by_government_fen,
            personal_fen=chosen.personal_fen,
            personal_account_fen=chosen.tier_fen,
            tier_fen=chosen.tier_fen,
        )

    if isinstance(choices, YearlyAmount):
        start, end = _year(first)
        return Contribution(
            scheme=scheme,
            period_start=start,
            period_end=end,
            amount_fen=choices.amount_fen,
            subsidy_fen=choices.subsidy_fen,
            paid_by_government_fen=choices.paid_by_government_fen,
            personal_fen=choices.personal_fen,
        )

    if isinstance(choices, BaseRange):
        max_months = params.employee_pension_flexible.max_months
        if months > max_months:
            raise InvalidValue("months", "out_of_range", f"一次最多缴纳{max_months}个月")
        base = _require_base(base_fen, "缴费基数")
        if not choices.min_fen <= base <= choices.max_fen:
            raise InvalidValue(
                "base",
                "out_of_range",
                f"缴费基数应在{format_yuan(choices.min_fen)}至{format_yuan(choices.max_fen)}之间",
            )
        monthly = apply_rate(base, choices.rate_bp)
        start, end = _months(first, months)
        return Contribution(
            scheme=scheme,
            period_start=start,
            period_end=end,
            amount_fen=monthly * months,
            subsidy_fen=0,
            paid_by_government_fen=0,
            personal_fen=monthly * months,
            personal_account_fen=apply_rate(base, choices.personal_account_bp) * months,
            base_fen=base,
            months=months,
        )

    if isinstance(choices, EmployeeRates | WorkInjuryRates):
        wage = _require_base(base_fen, "月工资")
        base = min(max(wage, choices.min_fen), choices.max_fen)
        if isinstance(choices, WorkInjuryRates):
            classes = len(choices.risk_class_bp)
            if risk_class is None or isinstance(risk_class, bool) or not 1 <= risk_class <= classes:
                raise InvalidValue("risk_class", "out_of_range", f"行业风险类别应为1至{classes}类")
            employer_bp, employee_bp = choices.risk_class_bp[risk_class - 1], 0
            account_bp = 0
        else:
            employer_bp, employee_bp = choices.employer_bp, choices.employee_bp
            account_bp = getattr(params, scheme).personal_account_bp
        employee = apply_rate(base, employee_bp) * months
        employer = apply_rate(base, employer_bp) * months
        start, end = _months(first, months)
        return Contribution(
            scheme=scheme,
            period_start=start,
            period_end=end,
            amount_fen=employee + employer,
            subsidy_fen=0,
            paid_by_government_fen=0,
            personal_fen=employee,
            employer_fen=employer,
            personal_account_fen=apply_rate(base, account_bp) * months,
            base_fen=base,
            months=months,
        )

    # occupational_injury: the platform pays per order, so nothing is due from the worker
    # or collected at the centre; a zero contribution lets enrolment checks pass unchanged.
    start, end = _months(first, months)
    return Contribution(
        scheme=scheme,
        period_start=start,
        period_end=end,
        amount_fen=0,
        subsidy_fen=0,
        paid_by_government_fen=0,
        personal_fen=0,
        months=months,
    )


def period_contribution(
    scheme: str,
    facts: PersonFacts,
    day: date,
    params: SchemeParameters,
    open_period: OpenPeriod,
    *,
    tier_fen: int | None = None,
    base_fen: int | None = None,
    months: int = 1,
) -> Contribution:
    """What is due on ``day`` for an open period (see :func:`caseworker.domain.periods.
    open_periods`); ``params`` are the figures of the period itself (``book.for_date(
    open_period.period.start, province)``): a year is paid at that year's amount.

    Arrears add the rule's surcharge to what the person pays and earn the subsidy only when
    the rule says so.
    """
    due = contribution(
        scheme,
        facts,
        day,
        params,
        tier_fen=tier_fen,
        base_fen=base_fen,
        months=months,
        period_start=open_period.period.start,
    )
    if not open_period.arrears:
        return due
    surcharge = apply_rate(due.amount_fen, open_period.surcharge_bp)
    return replace(
        due,
        arrears=True,
        surcharge_fen=surcharge,
        amount_fen=due.amount_fen + surcharge,
        personal_fen=due.personal_fen + surcharge,
        subsidy_fen=due.subsidy_fen if open_period.subsidy else 0,
    )

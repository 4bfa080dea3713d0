"""Employees' schemes paid by an employer: bases, clamping, floating work-injury rates and the
monthly amounts of employer and employee, from the day's parameters (no figure lives here).

Amounts are integer fen, each scheme's share rounded half up as in
:func:`caseworker.domain.contributions.apply_rate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.domain import money
from caseworker.domain.codes import load_code_table
from caseworker.domain.contributions import apply_rate, format_yuan
from caseworker.domain.errors import InvalidValue
from caseworker.domain.households import problem
from caseworker.domain.scheme_parameters import SchemeParameters

# The schemes an employer enrols its employees in, in the order forms list them.
EMPLOYEE_SCHEMES = ("employee_pension", "employee_medical", "unemployment", "work_injury")
# Joining an employees' scheme ends the residents' one that covers the same risk.
RESIDENT_COUNTERPART = {
    "employee_pension": "resident_pension",
    "employee_medical": "resident_medical",
}
RAISED, CUT = "raised_to_floor", "cut_to_ceiling"
# A base this centre does not hold: another centre's stay comes through the township feed
# without its wage base (least disclosure). Shown as a dash, never as 0, and left out of sums.
NO_BASE = "—"


def base_text(fen: int | None) -> str:
    """A monthly base (or an amount computed from one) for display: ``NO_BASE`` when unknown."""
    return NO_BASE if fen is None else money.format_yuan(fen)


def leaving_is_involuntary(reason: str) -> bool | None:
    """Whether a 减员 reason is 非因本人意愿中断就业 (which an unemployment benefit claim needs),
    as the reason table says; None when it does not say (其他) or the code is unknown."""
    entry = next((e for e in load_code_table("employment_end_reason") if e.code == reason), None)
    flag = entry.extra.get("involuntary") if entry else None
    return flag if isinstance(flag, bool) else None


def base_range(params: SchemeParameters) -> tuple[int, int]:
    """The monthly base range (60 %–300 % of the provincial average wage) or a clear refusal."""
    bounds = params.wage_base.bounds_fen
    if bounds is None:
        raise problem(
            "base",
            "no_average_wage",
            "本省份尚无职工平均工资数据，无法确定缴费基数范围，请先同步上级参数。",
            "No provincial average wage in the parameters: sync reference data first.",
        )
    return bounds


def check_base(base_fen: int, params: SchemeParameters) -> int:
    """A base typed for a new employee must lie inside the range (it is not silently moved)."""
    low, high = base_range(params)
    if not low <= base_fen <= high:
        raise problem(
            "base",
            "out_of_range",
            f"缴费基数应在{format_yuan(low)}至{format_yuan(high)}之间"
            f"（全省平均工资的{params.wage_base.lower_bp // 100}%至"
            f"{params.wage_base.upper_bp // 100}%），请改正。",
            f"The base must be between {low / 100:,.2f} and {high / 100:,.2f} yuan "
            f"({params.wage_base.lower_bp // 100}%–{params.wage_base.upper_bp // 100}% of the "
            "provincial average wage).",
        )
    return base_fen


@dataclass(frozen=True)
class ClampedBase:
    wage_fen: int
    base_fen: int
    clamp: str | None  # RAISED, CUT or None
    reason_zh: str
    reason_en: str


def clamp_base(wage_fen: int, params: SchemeParameters) -> ClampedBase:
    """Last year's average monthly wage → this year's base, with the reason in words."""
    if isinstance(wage_fen, bool) or wage_fen < 0:
        raise problem("wage", "negative", "工资不能为负数。", "A wage cannot be negative.")
    low, high = base_range(params)
    if wage_fen < low:
        return ClampedBase(
            wage_fen,
            low,
            RAISED,
            f"低于下限（平均工资的{params.wage_base.lower_bp // 100}%），按下限{format_yuan(low)}",
            f"below the {params.wage_base.lower_bp // 100}% floor: raised to {low / 100:,.2f}",
        )
    if wage_fen > high:
        return ClampedBase(
            wage_fen,
            high,
            CUT,
            f"高于上限（平均工资的{params.wage_base.upper_bp // 100}%），按上限{format_yuan(high)}",
            f"above the {params.wage_base.upper_bp // 100}% ceiling: cut to {high / 100:,.2f}",
        )
    return ClampedBase(wage_fen, wage_fen, None, "按实际工资", "the wage itself")


def work_injury_rate_bp(params: SchemeParameters, risk_class: int, float_bp: int | None) -> int:
    """The employer's work-injury rate: its class's benchmark times the floating step."""
    wi = params.work_injury
    if not 1 <= risk_class <= len(wi.risk_class_bp):
        raise problem(
            "risk_class",
            "out_of_range",
            f"行业风险类别应为1至{len(wi.risk_class_bp)}类。",
            f"The risk class must be 1 to {len(wi.risk_class_bp)}.",
        )
    step = 10000 if float_bp is None else float_bp
    steps = wi.steps_for(risk_class)
    if step not in steps:
        allowed = "、".join(f"{s // 100}%" for s in steps)
        raise problem(
            "work_injury_float",
            "not_allowed",
            f"{risk_class}类行业的浮动费率只能是基准费率的{allowed}。",
            f"A class {risk_class} rate may only float to {allowed} of the benchmark.",
        )
    return (wi.risk_class_bp[risk_class - 1] * step + 5000) // 10000


@dataclass(frozen=True)
class SchemeAmount:
    scheme: str
    base_fen: int
    employer_bp: int
    employee_bp: int
    employer_fen: int
    employee_fen: int


def monthly_amounts(
    base_fen: int, schemes: tuple[str, ...] | list[str], params: SchemeParameters, injury_bp: int
) -> list[SchemeAmount]:
    """One month's employer and employee shares per scheme, in EMPLOYEE_SCHEMES order."""
    rows = []
    for scheme in EMPLOYEE_SCHEMES:
        if scheme not in schemes:
            continue
        if scheme == "work_injury":
            employer_bp, employee_bp = injury_bp, 0  # the employer alone pays
        else:
            section = getattr(params, scheme)
            employer_bp, employee_bp = section.employer_bp, section.employee_bp
        rows.append(
            SchemeAmount(
                scheme,
                base_fen,
                employer_bp,
                employee_bp,
                apply_rate(base_fen, employer_bp),
                apply_rate(base_fen, employee_bp),
            )
        )
    return rows


def overlaps(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Two closed date ranges (None: open-ended) share at least one day."""
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def unknown_scheme(scheme: str) -> InvalidValue:
    return problem(
        "schemes",
        "not_employee_scheme",
        f"“{scheme}”不是职工险种（只能选择职工养老、职工医疗、失业、工伤保险）。",
        f"{scheme!r} is not an employees' scheme (pension, medical, unemployment, work injury).",
    )

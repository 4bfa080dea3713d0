"""What a household visit of the demo centre heard about coverage the records do not show.

Registration for all asks everyone; the demo centre's own records cover its enrolees, so a
visit answers for the rest: migrants insured where they work, retirees drawing an employees'
pension, students, people who cannot afford or see no need, platform workers with or without
occupational-injury cover. Deterministic for a given random generator; no I/O.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from caseworker.domain.demo_work import Picker

VISITED_SHARE = 0.75  # households visited so far: the rest stay 未核实 (not yet verified)
VISIT_SPAN_DAYS = 180  # visits spread over the last half year, so the trend has a shape
_WHERE = Picker(
    ["江苏省苏州市", "江苏省无锡市", "上海市", "浙江省杭州市", "广东省深圳市", "江苏省南京市"],
    [30, 25, 20, 10, 10, 5],
)
_PENSION_REASON = Picker(
    ["unaware", "unwilling", "cannot_afford", "no_need", "lost_contact", "other"],
    [25, 20, 25, 18, 7, 5],
)
_MEDICAL_REASON = Picker(["cannot_afford", "no_need", "unaware", "unwilling"], [35, 35, 15, 15])
_INJURY_REASON = Picker(["unaware", "no_need", "cannot_afford"], [45, 40, 15])


@dataclass(frozen=True)
class DemoAnswer:
    line: str
    status: str
    reason: str | None = None
    insured_where: str | None = None
    scheme: str | None = None


def visit_day(rng: random.Random, today: date) -> date | None:
    """The day the household was visited, or None when nobody has been yet."""
    if rng.random() >= VISITED_SHARE:
        return None
    return today - timedelta(days=rng.randrange(VISIT_SPAN_DAYS))


def answer(rng: random.Random, line: str, *, age: int, category: str) -> DemoAnswer:
    """What the person (or the household) said of ``line``, which the records leave open."""
    if line == "pension":
        return _pension(rng, age, category)
    if line == "medical":
        return _medical(rng, category)
    return _injury(rng, age, category)


def _elsewhere(rng: random.Random, line: str, scheme: str | None) -> DemoAnswer:
    # Now and then the scheme is not known to whoever answered the door.
    told = scheme if rng.random() < 0.8 else None
    return DemoAnswer(line, "insured_elsewhere", insured_where=_WHERE(rng), scheme=told)


def _pension(rng: random.Random, age: int, category: str) -> DemoAnswer:
    if category == "retired":
        return DemoAnswer("pension", "not_applicable", "receiving_pension")
    if category == "student":
        return DemoAnswer("pension", "not_applicable", "student")
    if category == "migrant_worker" and rng.random() < 0.6:
        return _elsewhere(rng, "pension", "employee_pension")
    if category == "migrant_worker":
        return DemoAnswer("pension", "not_insured", "working_away")
    if age >= 60:
        return DemoAnswer("pension", "not_insured", "too_old")
    if rng.random() < 0.3:
        return _elsewhere(rng, "pension", "employee_pension")
    return DemoAnswer("pension", "not_insured", _PENSION_REASON(rng))


def _medical(rng: random.Random, category: str) -> DemoAnswer:
    if category in ("retired", "migrant_worker") or rng.random() < 0.35:
        return _elsewhere(rng, "medical", "employee_medical")
    return DemoAnswer("medical", "not_insured", _MEDICAL_REASON(rng))


def _injury(rng: random.Random, age: int, category: str) -> DemoAnswer:
    if age < 16:
        return DemoAnswer("injury", "not_applicable", "under_16")
    if category == "student":
        return DemoAnswer("injury", "not_applicable", "student")
    if category in ("retired", "unemployed", "child"):
        return DemoAnswer("injury", "not_applicable", "not_working")
    if category == "farmer":
        return DemoAnswer("injury", "not_applicable", "other")
    if category == "employee":  # the employer's work-injury insurance, as told
        if rng.random() < 0.88:
            return DemoAnswer("injury", "insured_here", scheme="work_injury")
        return DemoAnswer("injury", "not_insured", "unaware")
    if category == "platform_worker" and rng.random() < 0.45:  # the pilot's occupational cover
        return DemoAnswer("injury", "insured_here", scheme="occupational_injury")
    if category == "migrant_worker" and rng.random() < 0.55:
        return _elsewhere(rng, "injury", "work_injury")
    if category == "migrant_worker":
        return DemoAnswer("injury", "not_insured", "working_away")
    return DemoAnswer("injury", "not_insured", _INJURY_REASON(rng))

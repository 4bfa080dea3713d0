"""A hand-built township for the worklists: a few people on each list and the near misses that
must not be on it, written through the real services (enrolments, payments, survey answers).

The day is ``DAY`` (2026-11-27, Jiangsu: in the occupational-injury pilot since 2022-07; the
residents' medical window for 2027 is open, the residents' pension collects 2026).
"""

from __future__ import annotations

import uuid
from datetime import date

from caseworker.domain.ids import make_id_number
from caseworker.services.centre import OpenSession
from caseworker.services.coverage import StatusAnswer, record_answers
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from caseworker.store.models import Person
from tests.conftest import TODAY
from tests.services.test_enrolment import farmer

DAY = TODAY
VILLAGE_A = "320583101201"
VILLAGE_B = "320583101202"
_sequence = iter(range(11, 999, 2))


def _person(
    session: OpenSession,
    name: str,
    born: date,
    *,
    sex: str = "1",
    choices: list[EnrolmentChoice] | None = None,
    on: date = date(2025, 1, 2),
    village: str = VILLAGE_A,
    **changes,
) -> uuid.UUID:
    sequence = next(_sequence) + (1 if sex == "2" else 0)
    number = make_id_number("320583", born, sequence)
    result = enrol(
        session.database,
        session.actor,
        farmer(
            id_number=number,
            name=name,
            hukou_village_code=village,
            phone=f"1391234{sequence:04d}",
            **changes,
        ),
        choices or [],
        today=on,
    )
    return result.person_id


def _pay(session: OpenSession, person_id: uuid.UUID, scheme: str, year: int, on: date) -> str:
    receipt = record_payment(
        session.database,
        session.actor,
        person_id=person_id,
        scheme=scheme,
        today=on,
        period_start=date(year, 1, 1),
    )
    return receipt.receipt_number


MEDICAL = [EnrolmentChoice("resident_medical")]
PENSION = [EnrolmentChoice("resident_pension", tier_fen=30000)]


def build(centre: OpenSession, supervisor: OpenSession | None = None) -> dict[str, uuid.UUID]:
    """The township; returns each person's id by a short name saying what they are."""
    p: dict[str, uuid.UUID] = {}
    # Renewals due: medical paid for 2026, not 2027 (its window is open on DAY).
    p["medical_2026_only"] = _person(centre, "甲续医", date(1980, 3, 3), choices=MEDICAL)
    _pay(centre, p["medical_2026_only"], "resident_medical", 2026, date(2025, 11, 3))
    p["medical_both_years"] = _person(centre, "乙已医", date(1981, 4, 4), choices=MEDICAL)
    _pay(centre, p["medical_both_years"], "resident_medical", 2026, date(2025, 11, 3))
    _pay(centre, p["medical_both_years"], "resident_medical", 2027, DAY)
    # Pension paid for 2025, not 2026; a near miss whose 2025 payment was voided.
    p["pension_2025_only"] = _person(
        centre, "丙续养", date(1975, 5, 5), choices=PENSION, village=VILLAGE_B
    )
    _pay(centre, p["pension_2025_only"], "resident_pension", 2025, date(2025, 6, 1))
    p["pension_2025_voided"] = _person(centre, "丁作废", date(1976, 6, 6), choices=PENSION)
    voided = _pay(centre, p["pension_2025_voided"], "resident_pension", 2025, date(2025, 6, 1))
    if supervisor is not None:
        void_payment(
            supervisor.database,
            supervisor.actor,
            receipt_number=voided,
            reason="录入错误，作废重开",
        )
    # Turning 16 in 2026; near misses turn 17 or 15, or are students.
    p["turns_16"] = _person(
        centre, "戊十六", date(2010, 10, 5), sex="2", employment_category="child"
    )
    p["turns_17"] = _person(centre, "己十七", date(2009, 10, 5), employment_category="child")
    p["turns_15"] = _person(centre, "庚十五", date(2011, 1, 5), employment_category="child")
    p["student_16"] = _person(centre, "辛学生", date(2010, 2, 2), employment_category="student")
    # Pension age within 12 months: 60 on 2027-03-10 (residents' pension, 4 years paid);
    # near misses were 60 in January or will be in 2028.
    p["sixty_soon"] = _person(centre, "壬六十", date(1967, 3, 10), choices=PENSION)
    for year in (2023, 2024, 2025, 2026):
        _pay(
            centre,
            p["sixty_soon"],
            "resident_pension",
            year,
            date(2025, 3, 1) if year < 2026 else DAY,
        )
    p["sixty_past"] = _person(centre, "癸已过", date(1966, 1, 1))
    p["sixty_later"] = _person(centre, "子未到", date(1968, 1, 1))
    # A flexible worker born 1967-01-15 retires at 60 years 7 months: 2027-08-15.
    p["flexible_man"] = _person(
        centre,
        "丑灵活",
        date(1967, 1, 15),
        employment_category="flexible",
        choices=[EnrolmentChoice("employee_pension_flexible", base_fen=500000)],
    )
    # Government pays for the minimum-living-guarantee group: enrolled, nothing recorded.
    p["dibao_unpaid"] = _person(
        centre, "寅低保", date(1970, 7, 7), choices=MEDICAL + PENSION, special_groups=["dibao"]
    )
    p["dibao_paid"] = _person(
        centre, "卯已代", date(1971, 8, 8), choices=MEDICAL, special_groups=["dibao"]
    )
    _pay(centre, p["dibao_paid"], "resident_medical", 2027, DAY)
    p["disability_unpaid"] = _person(
        centre, "辰残疾", date(1972, 9, 9), choices=MEDICAL, special_groups=["disability"]
    )
    # Injury cover where the pilot runs: a platform worker and a flexible worker without
    # it; a platform worker who said they are covered.
    p["platform"] = _person(
        centre, "巳平台", date(1990, 1, 1), employment_category="platform_worker"
    )
    p["platform_covered"] = _person(
        centre, "午有保", date(1991, 1, 1), employment_category="platform_worker"
    )
    record_answers(
        centre.database,
        centre.actor,
        [
            StatusAnswer(
                p["platform_covered"], "injury", "insured_here", scheme="occupational_injury"
            )
        ],
        day=DAY,
    )
    # Not insured, with a reason; and people who left (never on any list).
    p["unwilling"] = _person(centre, "未愿意", date(1985, 2, 2), village=VILLAGE_B)
    record_answers(
        centre.database,
        centre.actor,
        [StatusAnswer(p["unwilling"], "pension", "not_insured", reason="unwilling")],
        day=DAY,
    )
    p["moved_away"] = _person(
        centre, "申迁出", date(1967, 4, 4), employment_category="platform_worker"
    )
    p["deceased"] = _person(centre, "酉去世", date(2010, 3, 3), employment_category="child")
    with centre.database.writing() as session:
        session.get(Person, p["moved_away"]).moved_away_on = date(2026, 5, 1)
        session.get(Person, p["deceased"]).deceased_on = date(2026, 6, 1)
    return p

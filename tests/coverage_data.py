"""A known data set for the coverage picture: a dozen people whose every status, village,
sex, age and employment category was chosen, so each figure can be counted by hand.

Built through the real services (enrolment, survey answers) in a real encrypted centre of
the demo township (its villages are in the region directory). Ages are ages at the end of
the report's year, so the hand counts hold whatever year the tests run in.

Pension line, present people (K moved away and is not counted):

    name  age sex category         village  pension status
    A     46  M   farmer           V1       insured here (resident pension, enrolled)
    B     41  F   farmer           V1       insured here (resident pension, enrolled)
    C     36  M   migrant_worker   V1       insured elsewhere, 江苏省苏州市, employee pension
    D     31  F   platform_worker  V1       not insured: unwilling
    E     56  M   flexible         V2       not insured: cannot afford
    F     66  F   farmer           V2       not insured: cannot afford
    G     14  M   student          V2       not applicable: under 16 (derived)
    H     19  F   student          V2       not applicable: student
    I     55  M   self_employed    V1       unknown
    J     50  F   migrant_worker   V2       unknown
    K     35  M   farmer           V1       insured here, then moved away (not present)
    L     61  F   farmer           V2       insured elsewhere, 上海市, scheme not told

C's answer is dated two months before the report's day and L's one month before; every
other status is of the report's day (the trend checks the running sum).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, login, setup_centre
from caseworker.services.coverage import StatusAnswer, record_answers
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.store import keys
from caseworker.store.models import Person

TOWNSHIP = "320281103"
V1, V2, V3 = "320281103200", "320281103201", "320281103203"  # 街西村, 青联村, 建义村 (empty)
PASSWORD = "counted pass 1"
PEOPLE = (
    # key, age, sex, category, village
    ("A", 46, "1", "farmer", V1),
    ("B", 41, "2", "farmer", V1),
    ("C", 36, "1", "migrant_worker", V1),
    ("D", 31, "2", "platform_worker", V1),
    ("E", 56, "1", "flexible", V2),
    ("F", 66, "2", "farmer", V2),
    ("G", 14, "1", "student", V2),
    ("H", 19, "2", "student", V2),
    ("I", 55, "1", "self_employed", V1),
    ("J", 50, "2", "migrant_worker", V2),
    ("K", 35, "1", "farmer", V1),
    ("L", 61, "2", "farmer", V2),
)
NAMES = dict(
    zip(
        "ABCDEFGHIJKL",
        [
            "王建国",
            "李秀英",
            "张伟",
            "刘芳",
            "陈强",
            "杨桂兰",
            "赵磊",
            "黄丽",
            "周勇",
            "吴敏",
            "徐刚",
            "孙霞",
        ],
        strict=True,
    )
)


@dataclass
class CountedCentre:
    paths: DataPaths
    day: date
    ids: dict[str, object]

    def login(self) -> OpenSession:
        return login(self.paths, "admin", PASSWORD)


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def build_counted_centre(root: Path, day: date | None = None) -> CountedCentre:
    day = day or date.today()  # the store's triggers date new rows by the real clock
    with pytest.MonkeyPatch.context() as patch:  # real argon2id, lighter (as tests/conftest)
        patch.setitem(keys.DEFAULT_ARGON2, "time_cost", 1)
        patch.setitem(keys.DEFAULT_ARGON2, "memory_cost", 8 * 1024)
        paths = DataPaths(root)
        setup_centre(
            paths,
            centre_code=TOWNSHIP,
            centre_name="青阳镇社会保障服务中心",
            township_code=TOWNSHIP,
            admin_username="admin",
            admin_password=PASSWORD,
        ).session.close()
        session = login(paths, "admin", PASSWORD)
    database, actor = session.database, session.actor
    ids = {}
    try:
        for number, (key, age, sex, category, village) in enumerate(PEOPLE, start=1):
            # Born on 1 January: the age at the end of the year is the age all year long.
            birth = date(day.year - age, 1, 1)
            sequence = number * 2 + (1 if sex == "1" else 0)
            choices = []
            if key in "ABK":
                choices.append(EnrolmentChoice("resident_pension", tier_fen=30000))
            if key == "A":
                choices.append(EnrolmentChoice("resident_medical"))  # not paid: lapsed
            result = enrol(
                database,
                actor,
                PersonInput(
                    id_number=make_id_number("320281", birth, sequence),
                    name=NAMES[key],
                    hukou_nature="family_farm",
                    hukou_village_code=village,
                    employment_category=category,
                ),
                choices,
                today=day,
            )
            ids[key] = result.person_id
        answers = {
            "D": StatusAnswer(ids["D"], "pension", "not_insured", reason="unwilling"),
            "E": StatusAnswer(ids["E"], "pension", "not_insured", reason="cannot_afford"),
            "F": StatusAnswer(ids["F"], "pension", "not_insured", reason="cannot_afford"),
            "H": StatusAnswer(ids["H"], "pension", "not_applicable", reason="student"),
        }
        record_answers(database, actor, answers.values(), day=day)
        record_answers(
            database,
            actor,
            [
                StatusAnswer(
                    ids["C"],
                    "pension",
                    "insured_elsewhere",
                    insured_where="江苏省苏州市",
                    scheme="employee_pension",
                )
            ],
            day=months_before(day, 2),
        )
        record_answers(
            database,
            actor,
            [StatusAnswer(ids["L"], "pension", "insured_elsewhere", insured_where="上海市")],
            day=months_before(day, 1),
        )
        with database.writing() as db:  # K moved away (the visits' service does this)
            db.get(Person, ids["K"]).moved_away_on = day
    finally:
        session.close()
    return CountedCentre(paths, day, ids)

"""A small known data set for households and field visits: a real centre of 青阳镇
(320281103, whose villages the shipped region directory knows), three households, six people.

    household  village        address  members (relationship, born, records)
    H1         320281103001   1组1号    王建国 02 1960 resident pension → insured here
                                        李秀英 10 1962; 王小明 20 1990
    H2         320281103001   1组2号    张三丰 02 1975
    H3         320281103200   3组5号    赵六一 02 1980 resident medical, unpaid → lapsed
                                        赵小七 30 2015 (under 16)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services import households
from caseworker.services.actor import Role
from caseworker.services.centre import OpenSession, add_operator, login, setup_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput

TODAY = date(2026, 11, 27)
CENTRE = "320281103"
VILLAGE_A = "320281103001"
VILLAGE_B = "320281103200"
OTHER_TOWNSHIP_VILLAGE = "320281107001"  # 华士镇: known to the directory, not ours
PASSWORD = "field clerk 22"


def person_id_number(born: date, sequence: int) -> str:
    return make_id_number("320281", born, sequence)


def person(name: str, born: date, sequence: int, **more) -> PersonInput:
    return PersonInput(
        id_number=person_id_number(born, sequence),
        name=name,
        hukou_nature="family_farm",
        employment_category=more.pop("employment_category", "farmer"),
        **more,
    )


def field_clerk(data_paths: DataPaths) -> OpenSession:
    """A set-up centre of 青阳镇 with a clerk, logged in as the clerk."""
    setup = setup_centre(
        data_paths,
        centre_code=CENTRE,
        centre_name="江阴市青阳镇社会保障服务中心",
        township_code=CENTRE,
        admin_username="admin",
        admin_password="correct horse 1",
    )
    add_operator(setup.session, username="clerk", password=PASSWORD, role=Role.CLERK)
    setup.session.close()
    return login(data_paths, "clerk", PASSWORD)


@dataclass
class Known:
    h1: uuid.UUID
    h2: uuid.UUID
    h3: uuid.UUID
    people: dict[str, uuid.UUID]


def known_households(session: OpenSession) -> Known:
    database, actor = session.database, session.actor
    h1 = households.create_household(database, actor, VILLAGE_A, "1组1号").id
    h2 = households.create_household(database, actor, VILLAGE_A, "1组2号").id
    h3 = households.create_household(database, actor, VILLAGE_B, "3组5号").id
    plan = (
        (h1, "王建国", date(1960, 3, 1), 11, "02", ["resident_pension"]),
        (h1, "李秀英", date(1962, 5, 2), 22, "10", []),
        (h1, "王小明", date(1990, 7, 3), 31, "20", []),
        (h2, "张三丰", date(1975, 1, 4), 41, "02", []),
        (h3, "赵六一", date(1980, 2, 5), 51, "02", ["resident_medical"]),
        (h3, "赵小七", date(2015, 6, 6), 62, "30", []),
    )
    people = {}
    for household, name, born, sequence, relationship, schemes in plan:
        data = person(name, born, sequence, household_id=household)
        data.relationship_to_head = relationship
        choices = [
            EnrolmentChoice(s, tier_fen=20000 if s == "resident_pension" else None) for s in schemes
        ]
        people[name] = enrol(database, actor, data, choices, today=TODAY).person_id
    return Known(h1, h2, h3, people)

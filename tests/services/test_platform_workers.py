"""Platform workers: linked to the occupational injury protection by a platform enterprise
where the pilot runs (the demo centre is in Jiangsu, a pilot province since 2022-07-01), and
refused outside it (a centre in Henan, not in the pilot list) or before it began."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from caseworker.domain.ids import make_id_number, make_uscc
from caseworker.paths import DataPaths
from caseworker.services.centre import setup_centre
from caseworker.services.employer_rolls import employment_history
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.employment import leave_employee
from caseworker.services.enrolment import enrol
from caseworker.services.errors import ValidationFailed
from caseworker.services.platform_workers import link_platform_worker
from caseworker.services.validation import PersonInput
from caseworker.store.models import Enrolment, Person
from tests.conftest import TODAY
from tests.services.test_employment import problems

RIDER = "320583199001010010"


def platform(session, region: str = "320583", employer_type: str = "platform"):
    return register_employer(
        session.database,
        session.actor,
        EmployerInput(
            credit_code=make_uscc("91", region, "MA1234567"),
            name="快送同城配送平台有限公司",
            employer_type=employer_type,
        ),
    )


def test_a_platform_links_a_rider_in_a_pilot_province(clerk):
    employer = platform(clerk)
    enrol(clerk.database, clerk.actor, PersonInput(id_number=RIDER, name="林小燕"), [], today=TODAY)
    result = link_platform_worker(clerk.database, clerk.actor, employer, RIDER, date(2026, 11, 1))
    assert result.warnings == ()
    with clerk.database.reading() as session:
        rider = session.scalar(select(Person).where(Person.id_number == RIDER))
        injury = session.scalar(select(Enrolment).where(Enrolment.person_id == rider.id))
        # No labour relationship: the platform is not the rider's employer.
        assert rider.employment_category == "platform_worker" and rider.employer_id is None
        assert (injury.scheme, injury.status, injury.employer_id) == (
            "occupational_injury",
            "active",
            employer,
        )
        assert injury.base_fen is None  # the platform pays per order
    [stay] = employment_history(clerk.database, clerk.actor, result.person_id)
    assert stay.kind == "platform"
    with pytest.raises(ValidationFailed) as error:
        link_platform_worker(clerk.database, clerk.actor, employer, RIDER, date(2026, 11, 20))
    assert "重叠" in problems(error)["start_date"]
    said = leave_employee(
        clerk.database, clerk.actor, result.employment_id, date(2026, 12, 31), "other"
    )
    assert "职业伤害保障已于2026-12-31终止" in said[0][0]
    with clerk.database.reading() as session:
        assert session.scalar(select(Enrolment.status)) == "ended"


def test_refused_for_an_ordinary_employer(clerk):
    enrol(clerk.database, clerk.actor, PersonInput(id_number=RIDER, name="林小燕"), [], today=TODAY)
    shop = register_employer(
        clerk.database,
        clerk.actor,
        EmployerInput(
            credit_code=make_uscc("92", "320583", "MA7654321"),
            name="玉山镇小林面馆",
            employer_type="individual_business",
        ),
    )
    with pytest.raises(ValidationFailed) as error:
        link_platform_worker(clerk.database, clerk.actor, shop, RIDER, TODAY)
    assert "不是平台企业" in problems(error)["employer_type"]
    with clerk.database.reading() as session:
        assert session.scalars(select(Enrolment)).all() == []


@pytest.mark.parametrize(
    ("centre_code", "day", "allowed"),
    [
        ("410102001", TODAY, False),  # Henan: not in the pilot
        ("330102001", date(2025, 6, 30), False),  # Zhejiang: joined the pilot on 2025-07-01
        ("330102001", date(2025, 7, 1), True),
    ],
)
def test_outside_the_pilot_or_before_it_began_refused(tmp_path, centre_code, day, allowed):
    region = centre_code[:6]
    centre = setup_centre(
        DataPaths(tmp_path / "centre"),
        centre_code=centre_code,
        centre_name="某街道社会保障服务中心",
        admin_username="admin",
        admin_password="correct horse 1",
    ).session
    try:
        employer = platform(centre, region=region)
        rider = make_id_number(region, date(1990, 1, 1), 1)
        enrol(
            centre.database,
            centre.actor,
            PersonInput(id_number=rider, name="林小燕"),
            [],
            today=TODAY,
        )
        if allowed:
            link_platform_worker(centre.database, centre.actor, employer, rider, day)
            return
        with pytest.raises(ValidationFailed) as error:
            link_platform_worker(centre.database, centre.actor, employer, rider, day)
        assert "所在省份未开展新就业形态人员职业伤害保障试点" in problems(error)["scheme"]
    finally:
        centre.close()

"""An employer's enrolment and its employees joining and leaving reach the real county over
HTTP with the owner set: the employer's schemes, the stay (employment) with its end and
reason, the ended enrolments with their end dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from caseworker.domain.ids import make_uscc
from caseworker.services.employers import EmployerInput, register_employer
from caseworker.services.employment import JoinInput, join_employee, leave_employee
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.sync.run import run_sync
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Employer, Employment, Enrolment
from tests.conftest import TODAY
from tests.services.test_employment import ALL, enrol_all
from tests.upstream.harness import FAST_RETRY, Server, connect, new_centre


def test_employer_enrolment_and_a_leaving_employee_go_upstream(server: Server, tmp_path: Path):
    clerk = new_centre(tmp_path / "a")
    try:
        connect(clerk, server)
        number = "320583199001010010"  # 36 years old: far from retirement
        person_id = enrol(
            clerk.database,
            clerk.actor,
            PersonInput(id_number=number, name="林小燕"),
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        ).person_id
        employer = register_employer(
            clerk.database,
            clerk.actor,
            EmployerInput(
                credit_code=make_uscc("91", "320583", "MA1234567"),
                name="昆山小蜜蜂网络科技有限公司",
                employer_type="internet_startup",
                risk_class=2,
            ),
        )
        enrol_all(clerk, employer)
        spell = join_employee(
            clerk.database,
            clerk.actor,
            employer,
            JoinInput(number, date(2026, 12, 1), ALL, 500_000),
        )
        leave_employee(
            clerk.database, clerk.actor, spell.employment_id, date(2027, 1, 31), "resigned"
        )
        report = run_sync(clerk.database, retry=FAST_RETRY)
        assert set(report.counts) == {"accepted"}
        county = open_upstream(server.db_url)
        try:
            with county.reading() as session:
                row = session.scalar(select(Employer))
                assert row.centre_code == clerk.actor.centre_code  # owned by the sending centre
                assert row.payload["schemes"] == ALL
                assert row.payload["insured_from"] == "2026-01-01"
                assert row.payload["work_injury_float_bp"] == 12000
                [stay] = session.scalars(select(Employment)).all()
                assert stay.centre_code == clerk.actor.centre_code
                assert stay.person_id == person_id and stay.employer_id == employer
                assert (stay.version, stay.payload["kind"]) == (2, "employee")
                assert stay.payload["end_date"] == "2027-01-31"
                assert stay.payload["end_reason"] == "resigned"
                ended = {
                    e.scheme: e.payload
                    for e in session.scalars(
                        select(Enrolment).where(Enrolment.person_id == person_id)
                    )
                }
        finally:
            county.close()
        assert ended["employee_pension"]["status"] == "ended"
        assert ended["employee_pension"]["end_date"] == "2027-01-31"
        assert ended["resident_pension"]["end_date"] == "2026-11-30"  # ended by the employer's
    finally:
        clerk.close()

"""The employer's papers, built from a real store and read back with poppler: 参保单位登记表,
the month's 增减员表 and the roster with bases; many employees run over pages."""

from __future__ import annotations

from datetime import date

import pytest

from caseworker.domain.ids import make_id_number
from caseworker.services.employer_papers import change_list_pdf, registration_pdf, roster_pdf
from caseworker.services.employment import JoinInput, join_employee, leave_employee
from caseworker.services.enrolment import enrol
from caseworker.services.validation import PersonInput
from tests.conftest import TODAY
from tests.printing.conftest import NOW, compact, pdffonts, pdftotext
from tests.services.test_employment import employer as employer
from tests.services.test_employment import enrol_all

ALL = ["employee_pension", "employee_medical", "unemployment", "work_injury"]


@pytest.fixture
def staffed(clerk, employer):
    """Three employees joined in October, one of them left in November."""
    enrol_all(clerk, employer)
    spells = []
    for n, name in enumerate(("林小燕", "周大海", "钱多多"), start=1):
        number = make_id_number("320583", date(1990, 1, n), n * 2)
        enrol(
            clerk.database, clerk.actor, PersonInput(id_number=number, name=name), [], today=TODAY
        )
        spells.append(
            join_employee(
                clerk.database,
                clerk.actor,
                employer,
                JoinInput(number, date(2026, 10, n), ALL, 500_000 + n * 100_000),
            ).employment_id
        )
    leave_employee(clerk.database, clerk.actor, spells[1], date(2026, 11, 15), "resigned")
    return clerk, employer


def test_registration_form_reads_back_with_schemes_and_rate(staffed, tmp_path):
    clerk, employer = staffed
    result = registration_pdf(clerk.database, clerk.actor, employer, now=NOW)
    text = compact(pdftotext(result.pdf, tmp_path))
    assert "社会保险参保单位登记表" in text
    assert "昆山小蜜蜂网络科技有限公司" in text
    assert "2026-01-01" in text and "职工基本养老保险" in text
    assert "0.48%" in text and "基准费率0.40%的120%" in text
    assert "参保职工" in text and "2人" in text
    assert result.missing == ()
    assert all(row[-5] == "yes" for row in pdffonts(result.pdf, tmp_path))  # fonts embedded


def test_change_list_of_a_month_names_who_joined_and_who_left(staffed, tmp_path):
    clerk, employer = staffed
    october = compact(
        pdftotext(
            change_list_pdf(clerk.database, clerk.actor, employer, 2026, 10, now=NOW).pdf, tmp_path
        )
    )
    assert "社会保险参保人员增减变动表" in october and "2026年10月" in october
    assert "一、增员（3人" in october and "二、减员（0人" in october
    for name in ("林小燕", "周大海", "钱多多"):
        assert name in october
    assert make_id_number("320583", date(1990, 1, 2), 4) in october  # the employer checks numbers
    november = compact(
        pdftotext(
            change_list_pdf(clerk.database, clerk.actor, employer, 2026, 11, now=NOW).pdf, tmp_path
        )
    )
    assert "一、增员（0人" in november and "二、减员（1人" in november
    assert "周大海" in november and "2026-11-15" in november and "本人辞职" in november
    assert "林小燕" not in november
    assert "单位（盖章）" in november


def test_roster_lists_bases_and_monthly_amounts(staffed, tmp_path):
    clerk, employer = staffed
    text = compact(
        pdftotext(roster_pdf(clerk.database, clerk.actor, employer, TODAY, now=NOW).pdf, tmp_path)
    )
    assert "职工参保花名册" in text and "在职参保职工2人" in text
    assert "周大海" not in text  # left on 15 November
    # 林小燕 on a base of 6,000: employer 16 % + 8 % + 0.5 % + 0.48 % = 1,498.80; employee
    # 8 % + 2 % + 0.5 % = 630.00.
    assert "6,000.00" in text and "1,498.80" in text and "630.00" in text


def test_a_long_roster_runs_over_pages_with_the_head_repeated(clerk, employer, tmp_path):
    enrol_all(clerk, employer)
    for n in range(60):
        number = make_id_number("320583", date(1980, 1, 1 + n % 28), 10 + n)
        enrol(
            clerk.database,
            clerk.actor,
            PersonInput(
                id_number=number,
                name=f"{'赵钱孙李周吴郑王冯陈'[n % 10]}{'甲乙丙丁戊己'[n // 10]}生",
            ),
            [],
            today=TODAY,
        )
        join_employee(
            clerk.database, clerk.actor, employer, JoinInput(number, date(2026, 2, 1), ALL, 500_000)
        )
    result = roster_pdf(clerk.database, clerk.actor, employer, TODAY, now=NOW)
    assert result.pages >= 2
    pages = pdftotext(result.pdf, tmp_path).split("\f")
    assert all("公民身份号码" in page for page in pages if page.strip())
    text = compact("".join(pages))
    assert "陈己生" in text and f"第1页共{result.pages}页" in text

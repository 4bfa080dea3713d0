"""`caseworker print …` end to end: real processes on a demo centre, files read back."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import Household, Payment, Person
from tests import procs
from tests.printing.conftest import NO_FONT, compact, pdftotext
from tests.services.test_enrolment import farmer

DAY = date(2026, 11, 27)


def run(args: list[str], home: Path, user: str = "clerk") -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    environment |= {"CASEWORKER_HOME": str(home), "CASEWORKER_PASSWORD": DEMO_PASSWORD}
    return procs.run(
        [sys.executable, "-m", "caseworker", "print", *args, "--user", user],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("demo") / "centre"
    paths = DataPaths(root)
    build_demo_centre(paths, persons=40, today=DAY)
    session = login(paths, "clerk", DEMO_PASSWORD)
    # One person whose name has a character no installed font has.
    enrol(
        session.database,
        session.actor,
        farmer(id_number="320281198001010017", name=f"王{NO_FONT}", hukou_village_code=None),
        [EnrolmentChoice("resident_medical")],
        today=DAY,
    )
    with session.database.reading() as db:
        person = db.scalars(select(Person).order_by(Person.id_number)).first()
        payment = db.scalars(  # a desk receipt (tax-channel payments have a voucher instead)
            select(Payment)
            .where(Payment.receipt_number.is_not(None))
            .order_by(Payment.receipt_number)
        ).first()
        village = db.scalars(select(Household.village_code)).first()
        info = {
            "root": root,
            "id_number": person.id_number,
            "name": person.name,
            "receipt": payment.receipt_number,
            "village": village,
        }
    session.close()
    return info


def test_print_form_receipt_survey_daily(demo, tmp_path):
    home = demo["root"]
    form = run(["form", demo["id_number"], "-o", str(tmp_path / "form.pdf")], home)
    assert form.returncode == 0, form.stderr
    assert "已写入" in form.stdout
    text = compact(pdftotext((tmp_path / "form.pdf").read_bytes(), tmp_path))
    assert demo["id_number"] in text and compact(demo["name"]) in text

    receipt = run(["receipt", demo["receipt"], "-o", str(tmp_path / "r.pdf"), "--reprint"], home)
    assert receipt.returncode == 0, receipt.stderr
    text = compact(pdftotext((tmp_path / "r.pdf").read_bytes(), tmp_path))
    assert demo["receipt"] in text and "副本" in text

    survey = run(["survey", "--village", demo["village"], "-o", str(tmp_path / "s.pdf")], home)
    assert survey.returncode == 0, survey.stderr
    assert "全民参保登记入户调查表" in compact(
        pdftotext((tmp_path / "s.pdf").read_bytes(), tmp_path)
    )
    blank = run(
        ["survey", "--village", demo["village"], "--blank", "-o", str(tmp_path / "b.pdf")], home
    )
    assert blank.returncode == 0 and "（1 页）" in blank.stdout

    daily = run(["daily", "--date", DAY.isoformat(), "-o", str(tmp_path / "d.pdf")], home)
    # The day's receipts include the name with no font: refused until the operator says so.
    if daily.returncode == 0:
        text = compact(pdftotext((tmp_path / "d.pdf").read_bytes(), tmp_path))
        assert demo["receipt"] in text
    else:
        assert "U+30EDE" in daily.stderr


def test_a_character_no_font_has_is_named_and_nothing_is_written(demo, tmp_path):
    target = tmp_path / "form.pdf"
    refused = run(["form", "320281198001010017", "-o", str(target)], demo["root"])
    assert refused.returncode == 2
    assert "“𰻞”(U+30EDE)" in refused.stderr and "Traceback" not in refused.stderr
    assert not target.exists()
    allowed = run(
        ["form", "320281198001010017", "-o", str(target), "--allow-missing"], demo["root"]
    )
    assert allowed.returncode == 0, allowed.stderr
    assert "U+30EDE" in allowed.stderr
    assert "王[U+30EDE]" in compact(pdftotext(target.read_bytes(), tmp_path))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["receipt", "000-01-2026-000001"], "找不到收据号 000-01-2026-000001"),
        (["survey", "--village", "3202811030"], "12位数字"),
        (["daily", "--date", "27/11/2026"], "YYYY-MM-DD"),
        (["form", "110105194912310021"], "没有“110105194912310021”对应的人员"),
        (["transmittal", "--batch", "nope"], "不是有效的 UUID"),
    ],
)
def test_bad_input_gets_a_specific_message(demo, tmp_path, args, words):
    result = run([*args, "-o", str(tmp_path / "x.pdf")], demo["root"])
    assert result.returncode != 0
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_output_folder_must_exist(demo, tmp_path):
    result = run(["receipt", demo["receipt"], "-o", str(tmp_path / "no" / "r.pdf")], demo["root"])
    assert result.returncode == 2 and "不存在" in result.stderr


def test_settings_admin_only_and_shown(demo):
    clerk = run(["settings", "--receipt-paper", "roll80"], demo["root"])
    assert clerk.returncode == 1 and "无权" in clerk.stderr
    admin = run(["settings", "--receipt-paper", "roll80"], demo["root"], user="admin")
    assert admin.returncode == 0, admin.stderr
    assert "roll80" in admin.stdout and "fallback order" in admin.stdout
    back = run(["settings", "--receipt-paper", "a5"], demo["root"], user="admin")
    assert back.returncode == 0

"""`caseworker employer …` as an operator runs it: real processes over one centre set up by
`caseworker setup`. The rules are tested in tests/services/test_employment.py; here, that each
command reaches its service, prints what it did, and says a refusal in words."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from caseworker.domain.ids import make_uscc
from tests.cli.test_cli import assert_clean_failure, run
from tests.visit_data import VILLAGE_A, person_id_number

ADMIN = ["--user", "admin"]
CODE = make_uscc("92", "320281", "MA7654321")


def ok(args: list[str], home: Path) -> str:
    result = run(args, home)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_an_employer_enrols_takes_on_declares_and_lets_go(home: Path, tmp_path: Path):
    ok(
        [
            "employer",
            "register",
            CODE,
            "--name",
            "青阳镇小林面馆",
            "--type",
            "individual_business",
            *ADMIN,
        ],
        home,
    )
    refused = run(
        [
            "employer",
            "join",
            CODE,
            "--id-number",
            "1",
            "--from",
            "2026-03-01",
            "--base",
            "5000",
            *ADMIN,
        ],
        home,
    )
    assert_clean_failure(refused, "尚未办理单位参保登记")
    said = ok(
        [
            "employer",
            "enrol",
            CODE,
            "--schemes",
            "all",
            "--from",
            "2026-01-01",
            "--risk-class",
            "2",
            "--float",
            "80",
            *ADMIN,
        ],
        home,
    )
    assert "0.32%" in said  # class 2: 0.40 % × 80 %
    household = json.loads(
        ok(
            [
                "household",
                "create",
                "--village",
                VILLAGE_A,
                "--address",
                "1组1号",
                "--json",
                *ADMIN,
            ],
            home,
        )
    )["id"]
    worker = person_id_number(date(1995, 6, 1), 21)
    ok(
        [
            "household",
            "add-member",
            household,
            "--id-number",
            worker,
            "--name",
            "林小燕",
            "--relationship",
            "户主",
            *ADMIN,
        ],
        home,
    )
    too_high = run(
        [
            "employer",
            "join",
            CODE,
            "--id-number",
            worker,
            "--from",
            "2026-03-01",
            "--base",
            "30000",
            *ADMIN,
        ],
        home,
    )
    assert_clean_failure(too_high, "4,386元至21,930元")
    joined = json.loads(
        ok(
            [
                "employer",
                "join",
                CODE,
                "--id-number",
                worker,
                "--from",
                "2026-03-01",
                "--base",
                "5000",
                "--json",
                *ADMIN,
            ],
            home,
        )
    )
    assert joined["employment_id"]
    assert "林小燕" in ok(["employer", "roster", CODE, "--on", "2026-06-01", *ADMIN], home)
    wages = tmp_path / "wages.csv"
    wages.write_text(f"身份证号码,上年月平均工资\n{worker},3000\n", encoding="utf-8")
    preview = ok(
        [
            "employer",
            "declare",
            CODE,
            "--year",
            "2026",
            "--wages",
            str(wages),
            "--on",
            "2026-06-01",
            *ADMIN,
        ],
        home,
    )
    assert "低于下限" in preview and "4,386" in preview and "未保存" in preview
    saved = ok(
        [
            "employer",
            "declare",
            CODE,
            "--year",
            "2026",
            "--wages",
            str(wages),
            "--on",
            "2026-06-01",
            "--save",
            *ADMIN,
        ],
        home,
    )
    assert "已保存" in saved
    ok(
        [
            "employer",
            "leave",
            CODE,
            "--id-number",
            worker,
            "--on",
            "2026-10-31",
            "--reason",
            "resigned",
            *ADMIN,
        ],
        home,
    )
    changes = ok(["employer", "changes", CODE, "--month", "2026-10", *ADMIN], home)
    assert "减员 / left: 1" in changes and "本人辞职" in changes
    history = ok(["employer", "history", worker, *ADMIN], home)
    assert "青阳镇小林面馆" in history and "2026-03-01 — 2026-10-31" in history


def test_print_employer_papers(home: Path, tmp_path: Path):
    ok(
        [
            "employer",
            "register",
            CODE,
            "--name",
            "青阳镇小林面馆",
            "--type",
            "individual_business",
            *ADMIN,
        ],
        home,
    )
    ok(
        [
            "employer",
            "enrol",
            CODE,
            "--schemes",
            "employee_pension,work_injury",
            "--from",
            "2026-01-01",
            "--risk-class",
            "1",
            *ADMIN,
        ],
        home,
    )
    target = tmp_path / "登记表.pdf"
    said = ok(["print", "employer", CODE, "-o", str(target), *ADMIN], home)
    assert "1 page" in said and target.read_bytes().startswith(b"%PDF")
    refused = run(
        ["print", "employer", CODE, "--paper", "changes", "-o", str(tmp_path / "c.pdf"), *ADMIN],
        home,
    )
    assert_clean_failure(refused, "--month")
    ok(
        [
            "print",
            "employer",
            CODE,
            "--paper",
            "changes",
            "--month",
            "2026-10",
            "-o",
            str(tmp_path / "c.pdf"),
            *ADMIN,
        ],
        home,
    )
    ok(
        [
            "print",
            "employer",
            CODE,
            "--paper",
            "roster",
            "--on",
            "2026-10-01",
            "-o",
            str(tmp_path / "r.pdf"),
            *ADMIN,
        ],
        home,
    )
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_left_out_lists_known_workers_without_an_employee_scheme(home: Path):
    ok(
        [
            "employer",
            "register",
            CODE,
            "--name",
            "青阳镇小林面馆",
            "--type",
            "individual_business",
            *ADMIN,
        ],
        home,
    )
    assert "没有已知职工未参保的单位" in ok(["employer", "left-out", *ADMIN], home)


def test_a_platform_links_a_rider(home: Path):
    code = make_uscc("91", "320281", "MA1112223")
    ok(
        [
            "employer",
            "register",
            code,
            "--name",
            "快送同城配送平台有限公司",
            "--type",
            "platform",
            *ADMIN,
        ],
        home,
    )
    household = json.loads(
        ok(
            [
                "household",
                "create",
                "--village",
                VILLAGE_A,
                "--address",
                "2组2号",
                "--json",
                *ADMIN,
            ],
            home,
        )
    )["id"]
    rider = person_id_number(date(1996, 2, 2), 31)
    ok(
        [
            "household",
            "add-member",
            household,
            "--id-number",
            rider,
            "--name",
            "周小跑",
            "--relationship",
            "户主",
            *ADMIN,
        ],
        home,
    )
    said = ok(
        ["employer", "link", code, "--id-number", rider, "--from", "2026-11-01", *ADMIN], home
    )
    assert "platform worker linked" in said
    assert "快送同城配送平台有限公司" in ok(["employer", "history", rider, *ADMIN], home)

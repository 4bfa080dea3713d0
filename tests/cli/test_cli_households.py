"""`caseworker household …` as an operator runs it: real processes over one centre set up by
`caseworker setup`. The services' own checks are tested in tests/services; here, that each
command reaches its service, prints what it did, and says a refusal in words."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tests.cli.test_cli import assert_clean_failure, run
from tests.visit_data import OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, person_id_number

ADMIN = ["--user", "admin"]


def test_a_household_from_creation_to_its_members_leaving(home: Path):
    created = run(
        ["household", "create", "--village", VILLAGE_A, "--address", "9组9号", "--json", *ADMIN],
        home,
    )
    assert created.returncode == 0, created.stderr
    household_id = json.loads(created.stdout)["id"]
    planned = run(["trip", "plan", "--name", "一村走访", "--village", VILLAGE_A, *ADMIN], home)
    assert planned.returncode == 0, planned.stderr
    found = run(
        [
            "household",
            "create",
            "--village",
            VILLAGE_A,
            "--address",
            "9组10号",
            "--trip",
            "一村走访",
            *ADMIN,
        ],
        home,
    )
    assert found.returncode == 0, found.stderr
    assert "household created" in found.stdout and "一村走访" in found.stdout
    head, child = person_id_number(date(1970, 3, 1), 11), person_id_number(date(2000, 5, 6), 12)
    added = run(
        [
            "household",
            "add-member",
            household_id,
            "--id-number",
            head,
            "--name",
            "钱大海",
            "--relationship",
            "户主",
            "--moved-in",
            "1990-01-01",
            *ADMIN,
        ],
        home,
    )
    assert added.returncode == 0, added.stderr
    assert "钱大海" in added.stdout
    second = run(
        [
            "household",
            "add-member",
            household_id,
            "--id-number",
            child,
            "--name",
            "钱小海",
            "--relationship",
            "20",
            *ADMIN,
        ],
        home,
    )
    assert second.returncode == 0, second.stderr

    away = run(["household", "moved-away", child, "--date", "2026-01-02", *ADMIN], home)
    assert away.returncode == 0, away.stderr
    assert "moved away 2026-01-02" in away.stdout
    back = run(["household", "attach", household_id, child, "--relationship", "子", *ADMIN], home)
    assert back.returncode == 0, back.stderr
    died = run(["household", "deceased", head, "--date", "2026-02-03", *ADMIN], home)
    assert died.returncode == 0, died.stderr

    shown = run(["household", "show", household_id, "--json", *ADMIN], home)
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["village_code"] == VILLAGE_A and view["address"] == "9组9号"
    members = {m["name"]: m for m in view["members"]}
    assert members["钱大海"]["deceased_on"] == "2026-02-03"
    assert members["钱大海"]["relationship_to_head"] == "02"
    assert members["钱小海"]["moved_away_on"] is None and members["钱小海"]["present"]
    assert head not in shown.stdout  # ID numbers are masked
    plain = run(["household", "show", household_id, *ADMIN], home)
    assert plain.returncode == 0, plain.stderr
    assert "9组9号" in plain.stdout and "已故 / deceased 2026-02-03" in plain.stdout
    listed = run(["trip", "list", "--json", *ADMIN], home)
    assert json.loads(listed.stdout)[0]["households"] == 2

    outside = run(
        ["household", "create", "--village", OTHER_TOWNSHIP_VILLAGE, "--address", "1组", *ADMIN],
        home,
    )
    assert_clean_failure(outside, "不是本中心所在乡镇")
    assert "not a village of this centre's township" in outside.stderr
    future = (date.today() + timedelta(days=30)).isoformat()
    late = run(["household", "moved-away", child, "--date", future, *ADMIN], home)
    assert late.returncode != 0 and "Traceback" not in late.stderr
    assert "钱小海" in late.stderr
    nobody = run(
        [
            "household",
            "deceased",
            person_id_number(date(1980, 1, 1), 13),
            "--date",
            "2026-01-01",
            *ADMIN,
        ],
        home,
    )
    assert_clean_failure(nobody, "找不到身份证号")

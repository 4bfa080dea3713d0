"""The `home` fixture: a centre set up through the real `caseworker setup` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment
from tests.cli.test_cli import run
from tests.conftest import CLERK_PASSWORD, TODAY
from tests.services.test_enrolment import farmer


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "centre"
    result = run(
        [
            "setup",
            "--centre-code",
            "320281103",
            "--centre-name",
            "青阳镇社会保障服务中心",
            "--admin",
            "admin",
        ],
        home,
    )
    assert result.returncode == 0, result.stderr
    assert "恢复密钥" in result.stdout
    return home


@pytest.fixture
def paid(centre: OpenSession) -> Path:
    """The centre's folder, with 单雄信 (farmer()) enrolled in the residents' pension and paid."""
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    person = enrol(
        clerk.database,
        clerk.actor,
        farmer(),
        [EnrolmentChoice("resident_pension", tier_fen=50_000)],
        today=TODAY,
    ).person_id
    record_payment(
        clerk.database, clerk.actor, person_id=person, scheme="resident_pension", today=TODAY
    )
    clerk.close()
    return centre.database.paths.root

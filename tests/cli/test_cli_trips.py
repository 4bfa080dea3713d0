"""`caseworker trip plan | print` as an operator runs them: real processes (each with a real key
derivation, so two of them), a real store with two households made through the service. The
refusals are the services' own, tested in tests/services/test_trips.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from caseworker.paths import DataPaths
from caseworker.services import households
from caseworker.services.centre import login
from tests.cli.test_cli import run
from tests.visit_data import VILLAGE_A


def test_plan_and_print_a_trip(home: Path, tmp_path: Path):
    session = login(DataPaths(home), "admin", "admin password 1")
    try:
        for address in ("1组1号", "1组2号"):
            households.create_household(session.database, session.actor, VILLAGE_A, address)
    finally:
        session.close()
    planned = run(
        ["trip", "plan", "--name", "一村走访", "--village", VILLAGE_A, "--user", "admin"], home
    )
    assert planned.returncode == 0, planned.stderr
    assert "2 户 / households" in planned.stdout
    target = tmp_path / "list.pdf"
    printed = run(
        ["trip", "print", "一村走访", "--paper", "list", "-o", str(target), "--user", "admin"], home
    )
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True).stdout.decode()
    assert "全民参保登记入户走访清单" in text and "1组2号" in text

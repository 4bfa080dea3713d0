"""`caseworker export registry|coverage` and `caseworker worklist export --full-id`, run as
real processes over a real centre: with --yes a workbook read back and an audit entry; without
it, off a terminal, a refusal that names --yes and writes nothing; a clerk refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseworker.cli import export as export_cli
from caseworker.services.centre import OpenSession
from caseworker.store.models import AuditEntry
from tests.cli.test_cli import assert_clean_failure, run
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, TODAY
from tests.services.test_xlsx_export import people


def _cli(centre: OpenSession, *args: str, user: str = "admin") -> subprocess.CompletedProcess:
    password = ADMIN_PASSWORD if user == "admin" else CLERK_PASSWORD
    return run([*args, "--user", user], centre.database.paths.root, password=password)


def _exports(centre: OpenSession) -> list[AuditEntry]:
    with centre.database.reading() as db:
        return list(
            db.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.like("export.%"))
                .order_by(AuditEntry.seq)
            )
        )


@pytest.mark.slow
def test_exports_with_yes_read_back_and_are_audited(centre: OpenSession, tmp_path: Path):
    numbers = people(centre, 3)
    registry = _cli(centre, "export", "registry", "-o", str(tmp_path / "r.xlsx"), "--yes")
    assert registry.returncode == 0, registry.stderr
    assert "3 行" in registry.stdout and "audit" in registry.stdout
    rows = list(load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True))
    assert set(numbers) <= {row[0] for row in rows}
    coverage = _cli(
        centre, "export", "coverage", "-o", str(tmp_path / "c.xlsx"), "--line", "medical", "--yes"
    )
    assert coverage.returncode == 0, coverage.stderr
    listed = _cli(
        centre,
        "worklist",
        "export",
        "not_covered",
        "-o",
        str(tmp_path / "w.xlsx"),
        "--full-id",
        "--yes",
        "--date",
        TODAY.isoformat(),
    )
    assert listed.returncode == 0, listed.stderr
    entries = _exports(centre)
    assert [e.action for e in entries] == ["export.registry", "export.coverage", "export.worklist"]
    assert [e.detail["file"] for e in entries] == ["r.xlsx", "c.xlsx", "w.xlsx"]
    assert entries[1].detail["line"] == "medical" and entries[2].detail["masked"] is False


@pytest.mark.slow
def test_without_yes_off_a_terminal_it_refuses_and_writes_nothing(
    centre: OpenSession, tmp_path: Path
):
    people(centre, 1)
    out = tmp_path / "out"
    out.mkdir()
    for args in (
        ("export", "registry", "-o", str(out / "r.xlsx")),
        ("export", "coverage", "-o", str(out / "c.xlsx")),
        ("worklist", "export", "not_covered", "-o", str(out / "w.xlsx"), "--full-id"),
    ):
        assert_clean_failure(_cli(centre, *args), "--yes")
    clerk = _cli(centre, "export", "registry", "-o", str(out / "r.xlsx"), "--yes", user="clerk")
    assert_clean_failure(clerk, "export_personal_data")
    wrong = _cli(centre, "export", "coverage", "-o", str(out / "c.xlsx"), "--line", "x", "--yes")
    assert_clean_failure(wrong, "pension")
    assert list(out.iterdir()) == [] and _exports(centre) == []  # (logins are audited)
    masked = _cli(centre, "worklist", "export", "not_covered", "-o", str(out / "m.xlsx"))
    assert masked.returncode == 0, masked.stderr  # masked: no yes needed, still audited
    assert _exports(centre)[-1].detail["masked"] is True


def test_at_a_terminal_only_y_goes_on(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path):
    class Args:
        yes = False

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    for answer, expected in (("y", True), ("", False), ("n", False), ("yes", True)):
        monkeypatch.setattr("builtins.input", lambda _prompt, a=answer: a)
        assert export_cli.confirmed(Args(), 12345, tmp_path / "r.xlsx") is expected
    said = capsys.readouterr().err
    assert "12345 人的完整身份证号" in said and "12,345 people" in said and "审计日志" in said

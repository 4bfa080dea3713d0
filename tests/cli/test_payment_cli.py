"""`caseworker payment void` and the receipt/void-slip prints, as real processes on a demo
centre: supervisors void, clerks are refused with nothing changed, originals print once."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.paths import DataPaths
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.models import AuditEntry, OutboxEntry, Payment
from tests.cli.test_cli import run as run_cli
from tests.printing.conftest import compact, pdftotext

DAY = date(2026, 11, 27)


def run(args: list[str], home: Path, user: str) -> subprocess.CompletedProcess:
    return run_cli([*args, "--user", user], home, password=DEMO_PASSWORD)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("payments") / "centre"
    build_demo_centre(DataPaths(root), persons=30, today=DAY)
    return root


def live_receipts(home: Path) -> list[str]:
    session = login(DataPaths(home), "admin", DEMO_PASSWORD)
    try:
        with session.database.reading() as db:
            return list(
                db.scalars(
                    select(Payment.receipt_number)
                    .where(Payment.voided_at.is_(None), Payment.receipt_number.is_not(None))
                    .order_by(Payment.receipt_number)
                )
            )
    finally:
        session.close()


def counts(home: Path, number: str) -> dict[str, object]:
    session = login(DataPaths(home), "admin", DEMO_PASSWORD)
    try:
        with session.database.reading() as db:
            actions = db.execute(
                select(AuditEntry.action, func.count())
                .where(AuditEntry.action.in_(["payment.original", "payment.reprint"]))
                .group_by(AuditEntry.action)
            ).all()
            return {
                "voided": db.scalar(
                    select(func.count())
                    .select_from(Payment)
                    .where(Payment.receipt_number == number, Payment.voided_at.is_not(None))
                ),
                "void_outbox": db.scalar(
                    select(func.count())
                    .select_from(OutboxEntry)
                    .where(OutboxEntry.operation == "void")
                ),
                **dict(actions),
            }
    finally:
        session.close()


def test_a_supervisor_voids_a_clerk_is_refused_and_the_slip_prints(home, tmp_path):
    number = live_receipts(home)[0]
    before = counts(home, number)
    clerk = run(["payment", "void", number, "--reason", "档次录错了"], home, "clerk")
    assert clerk.returncode == 1 and "无权" in clerk.stderr and "Traceback" not in clerk.stderr
    short = run(["payment", "void", number, "--reason", "错"], home, "supervisor")
    assert short.returncode == 1 and "至少4个字" in short.stderr
    assert counts(home, number) == before  # nothing changed by either refusal

    done = run(["payment", "void", number, "--reason", "档次录错，应为300元档"], home, "supervisor")
    assert done.returncode == 0, done.stderr
    assert f"已作废收据 {number}" in done.stdout and "caseworker print void" in done.stdout
    after = counts(home, number)
    assert after["voided"] == 1 and after["void_outbox"] == before["void_outbox"] + 1

    again = run(["payment", "void", number, "--reason", "再作废一次"], home, "supervisor")
    assert again.returncode == 1 and "已于" in again.stderr and "不能再次作废" in again.stderr

    slip = tmp_path / "slip.pdf"
    printed = run(["print", "void", number, "-o", str(slip), "--paper", "roll80"], home, "clerk")
    assert printed.returncode == 0, printed.stderr
    words = compact(pdftotext(slip.read_bytes(), tmp_path))
    for field in ("缴费收据作废凭证", number, "档次录错，应为300元档", "审核员", "作废"):
        assert compact(field) in words, field

    live = live_receipts(home)[0]
    refused = run(["print", "void", live, "-o", str(tmp_path / "x.pdf")], home, "clerk")
    assert refused.returncode == 1 and "未作废" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_original_prints_once_then_copies_audited_after_writing(home, tmp_path):
    number = live_receipts(home)[-1]
    base = counts(home, number)

    def trail() -> tuple[int, int]:
        now = counts(home, number)
        return (
            int(now.get("payment.original", 0)) - int(base.get("payment.original", 0)),
            int(now.get("payment.reprint", 0)) - int(base.get("payment.reprint", 0)),
        )

    # A bad -o writes nothing and records nothing, original or copy.
    for extra in ([], ["--reprint"]):
        bad = run(
            ["print", "receipt", number, "-o", str(tmp_path / "no" / "r.pdf"), *extra],
            home,
            "clerk",
        )
        assert bad.returncode == 2 and "不存在" in bad.stderr
    assert trail() == (0, 0)

    first = run(["print", "receipt", number, "-o", str(tmp_path / "1.pdf")], home, "clerk")
    assert first.returncode == 0, first.stderr
    assert "副本" not in compact(pdftotext((tmp_path / "1.pdf").read_bytes(), tmp_path))
    assert trail() == (1, 0)
    second = run(["print", "receipt", number, "-o", str(tmp_path / "2.pdf")], home, "clerk")
    assert second.returncode == 0 and "本次生成的是副本" in second.stderr
    assert "副本" in compact(pdftotext((tmp_path / "2.pdf").read_bytes(), tmp_path))
    assert trail() == (1, 1)
    third = run(
        ["print", "receipt", number, "-o", str(tmp_path / "3.pdf"), "--reprint"], home, "clerk"
    )
    assert third.returncode == 0 and "本次生成的是副本" not in third.stderr
    assert trail() == (1, 2)

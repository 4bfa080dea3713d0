"""Printing fixtures: the real font chain, a centre with one enrolled and paid-up person, and
helpers that read PDFs back with poppler (pdftotext, pdffonts) and pypdf."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseworker.printing.fonts import FontChain, load_chain
from caseworker.services.centre import OpenSession, login
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.payments import record_payment, void_payment
from tests.conftest import CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY

NOW = datetime(2026, 11, 27, 10, 15, tzinfo=UTC)
LONG_ADDRESS = "江苏省苏州市昆山市玉山镇新乡村委会第十二村民小组东头三十八号" * 2
# 𡘙 (U+21619, Extension B) falls back to AR PL UMing; 𬱖 (U+2CC56, Extension E) to HanaMin;
# 𰻞 (U+30EDE, Extension G) is in no installed font.
OUTSIDE_BMP = "𡘙"
NO_FONT = "𰻞"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: run installer/system-packages.sh (poppler-utils)")
    return path


def pdftotext(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    source = tmp_path / "read-back.pdf"
    source.write_bytes(pdf)
    args = [need("pdftotext"), "-enc", "UTF-8", *(["-layout"] if layout else []), str(source), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(
        [need("pdffonts"), str(source)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def compact(text: str) -> str:
    """Text without the spaces and line breaks layout puts between cells and wrapped lines."""
    return "".join(text.split())


@pytest.fixture(scope="session")
def chain() -> FontChain:
    return load_chain()


@dataclass
class Paid:
    clerk: OpenSession
    person_id: object
    id_number: str
    receipts: list[str]


@pytest.fixture
def paid(centre: OpenSession) -> Iterator[Paid]:
    """单雄信 enrolled in both residents' schemes, two receipts, the second one voided."""
    clerk = login(centre.database.paths, "clerk", CLERK_PASSWORD)
    from tests.services.test_enrolment import farmer

    result = enrol(
        clerk.database,
        clerk.actor,
        farmer(residence_address=LONG_ADDRESS),
        [
            EnrolmentChoice("resident_pension", tier_fen=50_000, documents=["id_card"]),
            EnrolmentChoice("resident_medical", documents=["hukou_book"]),
        ],
        today=TODAY,
    )
    receipts = [
        record_payment(
            clerk.database, clerk.actor, person_id=result.person_id, scheme=s, today=TODAY
        ).receipt_number
        for s in ("resident_pension", "resident_medical")
    ]
    supervisor = login(centre.database.paths, "supervisor", SUPERVISOR_PASSWORD)
    void_payment(
        supervisor.database, supervisor.actor, receipt_number=receipts[1], reason="金额录错"
    )
    supervisor.close()
    yield Paid(clerk, result.person_id, "320583198001010016", receipts)
    clerk.close()

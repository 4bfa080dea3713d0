"""Printing benchmarks (`python -m bench.printing`): one JSON line per figure.

Fonts are loaded once before timing, as in the running app. Targets (issue #4): an
enrolment form and a receipt within 50 ms each, 1,000 receipts in one PDF within 20 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench import emit
from caseworker.paths import DataPaths
from caseworker.services import documents
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.models import Payment, Person


def _timed(runs: int, work) -> tuple[list[float], int]:
    samples, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(work().pdf)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, size


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.printing")
    parser.add_argument("--persons", type=int, default=1_500)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--receipts", type=int, default=1_000)
    args = parser.parse_args()
    day = date(2026, 11, 27)
    with tempfile.TemporaryDirectory() as scratch:
        paths = DataPaths(Path(scratch) / "demo")
        build_demo_centre(paths, persons=args.persons, today=day)
        session = login(paths, "clerk", DEMO_PASSWORD)
        db = session.database
        with db.reading() as s:
            person = s.scalars(select(Person.id_number).order_by(Person.id_number)).first()
            numbers = list(s.scalars(select(Payment.receipt_number).order_by(Payment.id)))
        documents.enrolment_form_pdf(db, person)  # loads and registers the fonts
        documents.receipt_pdf(db, numbers[0])

        samples, size = _timed(args.runs, lambda: documents.enrolment_form_pdf(db, person))
        emit("enrolment_form_pdf", samples, "ms", bytes=size, target_ms=50)
        for paper in ("a5", "roll80"):
            samples, size = _timed(
                args.runs, lambda p=paper: documents.receipt_pdf(db, numbers[0], paper=p)
            )
            emit(f"receipt_pdf_{paper}", samples, "ms", bytes=size, target_ms=50)

        batch = (numbers * (args.receipts // len(numbers) + 1))[: args.receipts]
        started = time.perf_counter()
        result = documents.receipts_pdf(db, batch, reprint=True)
        elapsed = time.perf_counter() - started
        emit(
            "receipts_pdf_batch",
            [elapsed],
            "s",
            receipts=len(batch),
            pages=result.pages,
            bytes=len(result.pdf),
            target_s=20,
        )
        session.close()


if __name__ == "__main__":
    main()

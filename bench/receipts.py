"""1,000 receipts in one PDF (`python -m bench.receipts`): the same pages without QR codes
(the baseline), with the QR codes of reportlab's encoder (as before issue 12) and with
``printing.qr``'s, measured in the same run, interleaved, medians of ``--runs``. Issue 12's
target: ≤ 3 s with QR codes (9.5 s before, against 0.5 s without).

Every receipt in the batch is a different one (distinct QR payloads), so no cache can make
the figure look better than a day's real batch.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench import emit
from caseworker.paths import DataPaths
from caseworker.printing import qr, receipt
from caseworker.services import documents
from caseworker.services.centre import login
from caseworker.services.demo import DEMO_PASSWORD, build_demo_centre
from caseworker.store.models import Payment


@contextmanager
def _reportlab_encoder():
    """The encoder the papers used before issue 12 (reportlab's, pure Python)."""
    kept = qr.encode
    qr.encode = qr._reportlab_default
    try:
        yield
    finally:
        qr.encode = kept


@contextmanager
def _without_qr():
    """The same pages with the QR codes left out: what everything else costs."""
    kept = receipt.draw_qr
    receipt.draw_qr = lambda *args, **kwargs: None
    try:
        yield
    finally:
        receipt.draw_qr = kept


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.receipts")
    parser.add_argument("--persons", type=int, default=1_500)
    parser.add_argument("--receipts", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paper", choices=("a5", "roll80"), default="a5")
    parser.add_argument("--data-dir", type=Path, help="reuse a demo centre built here before")
    parser.add_argument("--skip-before", action="store_true", help="leave out reportlab's QR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.data_dir or Path(scratch) / "demo"
        paths = DataPaths(root)
        if not paths.database.exists():
            build_demo_centre(paths, persons=args.persons, today=date(2026, 11, 27))
        session = login(paths, "clerk", DEMO_PASSWORD)
        db = session.database
        with db.reading() as s:
            query = select(Payment.receipt_number).where(Payment.receipt_number.is_not(None))
            numbers = list(dict.fromkeys(s.scalars(query.order_by(Payment.receipt_number))))
        batch = numbers[: args.receipts]
        if len(batch) < args.receipts:
            raise SystemExit(f"the demo has {len(batch)} receipts; use more --persons")
        documents.receipts_pdf(db, batch[:2], reprint=True, paper=args.paper)  # fonts loaded
        samples: dict[str, list[float]] = {"without": [], "reportlab": [], "ours": []}
        cpu: dict[str, list[float]] = {name: [] for name in samples}  # this process's CPU
        pages = size = 0

        def timed(name: str) -> None:
            nonlocal pages, size
            started, started_cpu = time.perf_counter(), time.process_time()
            result = documents.receipts_pdf(db, batch, reprint=True, paper=args.paper)
            samples[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
            if name == "ours":
                pages, size = result.pages, len(result.pdf)

        for _ in range(args.runs):
            with _without_qr():
                timed("without")
            if not args.skip_before:
                with _reportlab_encoder():
                    timed("reportlab")
            timed("ours")
        extra = dict(receipts=len(batch), paper=args.paper)
        # CPU seconds beside wall seconds: on a shared machine the wall clock also counts
        # the other builds' turns.
        for name, figure in (
            ("without", "receipts_pdf_without_qr"),
            ("reportlab", "receipts_pdf_reportlab_qr"),
            ("ours", "receipts_pdf"),
        ):
            if not samples[name]:
                continue
            more = dict(pages=pages, bytes=size, target_s=3) if name == "ours" else {}
            emit(figure, samples[name], "s", **more, **extra)
            emit(f"{figure}_cpu", cpu[name], "s", **extra)
        session.close()


if __name__ == "__main__":
    main()

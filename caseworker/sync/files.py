"""Offline transfer: sealed batches out to a file (USB stick), the county's answers back in."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select

from caseworker.store.database import Database
from caseworker.store.models import SyncBatch
from caseworker.sync.batches import SyncError, apply_answer, load_signer, refuse_batch, seal_pending
from caseworker.sync.protocol import DEVICE_REVOKED, AnswerFile, TransferBatch, TransferFile


def export_batches(database: Database, out: Path) -> int:
    """Seal what is pending and write every unanswered batch to ``out``; returns the count."""
    seal_pending(database)
    with database.reading() as session:
        signer = load_signer(session)
        batches = session.scalars(
            select(SyncBatch).where(SyncBatch.state == "sealed").order_by(SyncBatch.sealed_at)
        ).all()
    transfer = TransferFile(
        device_id=signer.device_id,
        centre_code=signer.centre_code,
        written_at=datetime.now(UTC),
        batches=[
            TransferBatch(
                batch_id=b.id,
                sha256=b.sha256,
                signature=base64.b64encode(b.signature).decode(),
                body=base64.b64encode(b.body).decode(),
            )
            for b in batches
        ],
    )
    temporary = out.with_name(out.name + ".part")
    temporary.write_text(transfer.model_dump_json(), encoding="utf-8")
    os.replace(temporary, out)  # a half-written file on the stick is never taken for a whole one
    with database.writing() as session:
        for b in batches:
            session.get_one(SyncBatch, b.id).exported_at = transfer.written_at
    return len(batches)


@dataclass
class ImportReport:
    batches: int = 0
    unknown: int = 0
    refused: int = 0
    counts: dict[str, int] | None = None


def import_answers(database: Database, path: Path) -> ImportReport:
    """Apply an answer file from ``caseworker-upstream import``; each batch one transaction."""
    try:
        answers = AnswerFile.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise SyncError(
            "missing_file", f"找不到答复文件 {path}。", f"No answer file {path}."
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        raise SyncError(
            "bad_answer_file",
            f"{path} 不是县级答复文件：{first['msg']}",
            f"{path} is not a county answer file: {first['msg']}",
        ) from None
    report = ImportReport(counts={})
    for item in answers.answers:
        with database.writing() as session:
            batch = session.get(SyncBatch, item.batch_id)
            if batch is None:
                report.unknown += 1
                continue
            if item.error is not None:
                if batch.state == "sealed" and item.error.code not in (
                    "unknown_device",
                    "bad_signature",
                    DEVICE_REVOKED,  # not the records' fault: they stay pending here
                ):
                    refuse_batch(session, batch, item.error.code, item.error.message)
                    report.refused += 1
                else:
                    batch.last_error = f"{item.error.code}: {item.error.message}"
                continue
            assert item.answer is not None
            answer_bytes = item.answer.model_dump_json(exclude_none=True).encode()
            for state, n in apply_answer(session, batch, item.answer, answer_bytes, "file").items():
                report.counts[state] = report.counts.get(state, 0) + n
            report.batches += 1
    return report

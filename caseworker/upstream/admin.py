"""What the county's administrator does from the command line: lists, counts, file import."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select

from caseworker.sync.protocol import (
    AnswerFile,
    BatchAnswer,
    ErrorBody,
    TransferAnswer,
    TransferFile,
)
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.intake import Refused, receive_batch
from caseworker.upstream.models import (
    Batch,
    Centre,
    Coverage,
    Device,
    DeviceAuditHead,
    Enrolment,
    Payment,
    Person,
    SurveyEntry,
)


def list_devices(db: UpstreamDb) -> list[dict[str, Any]]:
    """Every device with its audit head (seq, hash): what staff need to find a device."""
    with db.reading() as session:
        rows = session.execute(
            select(Device, DeviceAuditHead.seq, DeviceAuditHead.hash)
            .outerjoin(DeviceAuditHead, DeviceAuditHead.device_id == Device.id)
            .order_by(Device.centre_code, Device.device_number, Device.registered_at)
        ).all()
        return [
            {
                "device_id": d.id,
                "centre_code": d.centre_code,
                "device_number": d.device_number,
                "name": d.name,
                "registered_at": d.registered_at,
                "last_seen_at": d.last_seen_at,
                "state": "revoked" if d.revoked_at else "active",
                "revoked_at": d.revoked_at,
                "revoked_by": d.revoked_by,
                "revoke_note": d.revoke_note,
                "audit_head_seq": seq or 0,
                "audit_head_hash": hash_,
            }
            for d, seq, hash_ in rows
        ]


def list_batches(db: UpstreamDb, limit: int = 50) -> list[dict[str, Any]]:
    with db.reading() as session:
        rows = session.scalars(select(Batch).order_by(Batch.received_at.desc()).limit(limit))
        return [
            {
                "batch_id": b.id,
                "centre_code": b.centre_code,
                "device_id": b.device_id,
                "received_at": b.received_at,
                "records": b.record_count,
                "bytes": b.byte_count,
                "via": b.via,
                "counts": b.counts,
            }
            for b in rows
        ]


def stats(db: UpstreamDb) -> dict[str, int]:
    with db.reading() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model)) or 0  # noqa: E731
        return {
            "centres": count(Centre),
            "devices": count(Device),
            "batches": count(Batch),
            "persons": count(Person),
            "enrolments": count(Enrolment),
            "payments": count(Payment),
            "survey_entries": count(SurveyEntry),
            "coverage_statuses": count(Coverage),
        }


def import_transfer(db: UpstreamDb, path: Path) -> AnswerFile:
    """Apply every batch of an offline transfer file exactly as if it had come by HTTP."""
    try:
        transfer = TransferFile.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise Refused(404, "missing_file", f"找不到文件 {path}。", f"No file {path}.") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Refused(
            400,
            "bad_transfer_file",
            f"{path} 不是有效的批次文件：{where}：{first['msg']}",
            f"{path} is not a batch transfer file: {where}: {first['msg']}",
        ) from None
    answers = []
    for item in transfer.batches:
        try:
            try:
                body = base64.b64decode(item.body, validate=True)
            except (binascii.Error, ValueError):
                raise Refused(
                    400, "bad_body", "批次内容不是有效的base64。", "The batch body is not base64."
                ) from None
            if hashlib.sha256(body).hexdigest() != item.sha256:
                raise Refused(
                    400,
                    "sha256_mismatch",
                    "批次内容与其哈希值不符（文件损坏）。",
                    "The batch does not match its SHA-256 (damaged file).",
                )
            answer = receive_batch(
                db, item.batch_id, body, str(transfer.device_id), item.signature, via="file"
            )
            answers.append(
                TransferAnswer(
                    batch_id=item.batch_id, answer=BatchAnswer.model_validate_json(answer)
                )
            )
        except Refused as refused:
            error = ErrorBody(
                code=refused.code, message=refused.message, message_en=refused.message_en
            )
            answers.append(TransferAnswer(batch_id=item.batch_id, error=error))
    return AnswerFile(written_at=datetime.now(UTC), answers=answers)

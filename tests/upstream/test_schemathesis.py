"""The schemathesis CLI, every check, against the live county server: 0 failures.

A device is registered with a real token first; the hook module (schemathesis_hooks.py)
signs each generated request with that device's key, so the signed operations answer
past the signature check (a schema-valid batch is applied, a feed is read).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import func, select

from caseworker.sync.batches import Signer
from caseworker.sync.client import Transport
from caseworker.sync.protocol import BatchUpload
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Batch, RequestNonce
from tests.upstream.harness import FAST_RETRY, Server, register_raw_device

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Small enough for well under a minute on two busy cores; the seed makes a failure repeatable
# (set CASEWORKER_ST_SEED to explore other inputs).
MAX_EXAMPLES = 10
SEED = os.environ.get("CASEWORKER_ST_SEED", "20261201")


def write_device(signer: Signer, path: Path) -> Path:
    """The device where the hook module reads it."""
    private = signer.key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    record = {
        "device_id": str(signer.device_id),
        "centre_code": signer.centre_code,
        "private_key": base64.b64encode(private).decode(),
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def upload_batch(server: Server, signer: Signer) -> uuid.UUID:
    """One real signed batch, so reading a batch back has something to answer."""
    batch_id = uuid.uuid4()
    body = BatchUpload(
        batch_id=batch_id,
        device_id=signer.device_id,
        centre_code=signer.centre_code,
        sealed_at=datetime.now(UTC),
        records=[],
    ).model_dump_json()
    transport = Transport(server.base, signer, FAST_RETRY)
    try:
        answer = transport.put_batch(batch_id, body.encode(), signer.sign(body.encode()))
        assert answer.status_code == 200, answer.text
        assert transport.get_batch(batch_id) is not None
    finally:
        transport.close()
    return batch_id


def count(db_url: str, table: Any, device_id: uuid.UUID) -> int:
    db = open_upstream(db_url)
    try:
        with db.reading() as session:
            return session.scalar(
                select(func.count()).select_from(table).where(table.c.device_id == device_id)
            )
    finally:
        db.close()


@pytest.mark.slow
def test_schemathesis_finds_nothing(server: Server, tmp_path: Path):
    signer = register_raw_device(server)
    device = write_device(signer, tmp_path / "device.json")
    batch_id = upload_batch(server, signer)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py"),
        "CASEWORKER_ST_DEVICE": str(device),
        "CASEWORKER_ST_BATCH": str(batch_id),
    }
    command = [
        sys.executable,  # the CLI of the schemathesis installed beside this interpreter
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        f"{server.base}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    result = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240
    )
    output = result.stdout + result.stderr
    print(output)  # shown with -s: the phases and how many cases ran
    assert result.returncode == 0, output + "\nserver stderr:\n" + server.errors()
    paths = httpx.get(f"{server.base}/openapi.json", timeout=10).json()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    assert f"Operations:       {operations} selected / {operations} total" in output, output
    # The hook's signatures were good: generated batches were applied, signed GETs accepted.
    assert count(server.db_url, Batch.__table__, signer.device_id) > 1, output
    assert count(server.db_url, RequestNonce.__table__, signer.device_id) > 1, output

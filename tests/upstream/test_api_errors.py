"""Every failure of the county API answers an ``ErrorBody`` (code, message, message_en) with
a specific code, and the OpenAPI says so: required headers required, error bodies declared."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import func, select

from caseworker.sync.client import Transport
from caseworker.sync.protocol import (
    DEVICE_HEADER,
    MAX_BATCH_BYTES,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)
from caseworker.upstream.app import create_app
from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Batch
from tests.upstream.harness import FAST_RETRY, Server, register_raw_device, signed_get

BATCH = "e3e70682-c209-4cac-a29f-6fbed82c07cd"
SIGNING = {DEVICE_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER}


def error(response: httpx.Response) -> str:
    """The code of an answer that must be an ErrorBody and nothing else."""
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "message_en"}, body
    assert body["message"] and body["message_en"]
    return str(body["code"])


def batches(server: Server) -> int:
    db = open_upstream(server.db_url)
    try:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(Batch))
    finally:
        db.close()


def test_routing_and_body_errors_are_error_bodies(server: Server):
    base = server.base
    assert error(httpx.get(f"{base}/v2/nothing")) == "not_found"

    wrong = httpx.delete(f"{base}/v1/batches/{BATCH}")
    assert (wrong.status_code, error(wrong)) == (405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET, PUT"  # both routes at this path, not the first

    broken = httpx.post(
        f"{base}/v1/devices", content=b'{"token": ', headers={"content-type": "application/json"}
    )
    assert (broken.status_code, error(broken)) == (422, "invalid_json")

    incomplete = httpx.post(f"{base}/v1/devices", json={"token": "12345678"})
    assert (incomplete.status_code, error(incomplete)) == (422, "invalid_request")
    assert "centre_code" in incomplete.json()["message_en"]

    path = "/v1/feeds/reference?limit=0"
    query = httpx.get(base + path, headers=signed_get(register_raw_device(server), path))
    assert (query.status_code, error(query)) == (422, "invalid_request")
    assert "query.limit" in query.json()["message_en"]


def test_a_signed_batch_that_is_not_json_is_refused_as_such(server: Server):
    signer = register_raw_device(server)
    body = b"this is not JSON"
    transport = Transport(server.base, signer, FAST_RETRY)
    try:
        answer = transport.put_batch(uuid.UUID(BATCH), body, signer.sign(body))
    finally:
        transport.close()
    assert (answer.status_code, error(answer)) == (422, "invalid_batch")
    assert "JSON" in answer.json()["message"] and "JSON" in answer.json()["message_en"]
    assert batches(server) == 0


def test_a_batch_over_the_limit_is_refused_even_without_a_length(server: Server):
    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it by
        for _ in range(MAX_BATCH_BYTES // 65536 + 2):
            yield b" " * 65536

    answer = httpx.put(
        f"{server.base}/v1/batches/{BATCH}",
        content=chunks(),
        headers={DEVICE_HEADER: BATCH, SIGNATURE_HEADER: "A" * 86 + "=="},
        timeout=30,
    )
    assert (answer.status_code, error(answer)) == (413, "batch_too_large")
    assert batches(server) == 0


def test_a_fault_answers_500_without_internals(tmp_path: Path):
    app = create_app(f"sqlite:///{tmp_path / 'up.db'}")

    @app.get("/fault")
    def fault() -> None:
        raise RuntimeError("secret 320583196001010012 王秀英")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://county") as client:
            return await client.get("/fault")

    answer = asyncio.run(call())
    assert (answer.status_code, error(answer)) == (500, "internal_error")
    assert "secret" not in answer.text and "王秀英" not in answer.text
    app.state.db.close()


def test_the_openapi_declares_what_the_server_requires_and_answers(server: Server):
    schema = httpx.get(f"{server.base}/openapi.json").json()
    operations = {
        (method.upper(), path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    signed_reads = [key for key in operations if key[0] == "GET" and key[1] != "/v1/meta"]
    assert sorted(signed_reads) == [
        ("GET", "/v1/audit/hashes"),
        ("GET", "/v1/audit/head"),
        ("GET", "/v1/batches/{batch_id}"),
        ("GET", "/v1/feeds/reference"),
        ("GET", "/v1/feeds/registry"),
        ("GET", "/v1/transfers/{transfer_id}"),
    ]
    for key, operation in operations.items():
        headers = {
            parameter["name"]: parameter["required"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "header"
        }
        if key in signed_reads:
            assert headers == dict.fromkeys(SIGNING, True), key
        if key in (("PUT", "/v1/batches/{batch_id}"), ("POST", "/v1/transfers")):
            assert headers == {DEVICE_HEADER: True, SIGNATURE_HEADER: True}
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                content = response["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorBody"}, (key, status)
        assert "500" in operation["responses"], key

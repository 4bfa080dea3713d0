"""The county intake server (FastAPI): meta, device registration, batch intake, feeds.

Handlers are thin: the work is in ``intake``, ``devices`` and ``feeds``, which the admin
CLI and the offline import call too. Every refusal is an ``ErrorBody`` with a stable code.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from caseworker import __version__
from caseworker.sync.protocol import (
    AUDIT_HASHES_PAGE_MAX,
    DEVICE_HEADER,
    FEED_PAGE_DEFAULT,
    FEED_PAGE_MAX,
    MAX_BATCH_BYTES,
    PROTOCOL_VERSIONS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AuditHashes,
    BatchAnswer,
    BatchStatus,
    BatchUpload,
    ChainHead,
    DeviceRegistered,
    DeviceRegistration,
    ErrorBody,
    Meta,
    ReferenceFeed,
    RegistryFeed,
    TransferRequest,
    TransferStatus,
)
from caseworker.upstream import audit_chain, devices, feeds, transfers
from caseworker.upstream.db import UpstreamDb, open_upstream
from caseworker.upstream.intake import Refused, receive_batch
from caseworker.upstream.models import Batch

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 403, 404, 409, 413, 422, 503)
}
DeviceHeader = Annotated[str | None, Header(alias=DEVICE_HEADER)]
SignatureHeader = Annotated[str | None, Header(alias=SIGNATURE_HEADER)]
TimestampHeader = Annotated[str | None, Header(alias=TIMESTAMP_HEADER)]
Since = Annotated[int, Query(ge=0, le=2**62)]
Limit = Annotated[int, Query(ge=1, le=FEED_PAGE_MAX)]


def _error(status: int, code: str, message: str, message_en: str) -> JSONResponse:
    body = ErrorBody(code=code, message=message, message_en=message_en)
    return JSONResponse(status_code=status, content=body.model_dump())


def _signed_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def create_app(db: UpstreamDb | str | None = None) -> FastAPI:
    store = db if isinstance(db, UpstreamDb) else open_upstream(db)
    app = FastAPI(title="Caseworker upstream", version=__version__)
    app.state.db = store

    @app.exception_handler(Refused)
    async def _refused(request: Request, error: Refused) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.message_en)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid"}
        where = ".".join(str(part) for part in first["loc"])
        return _error(
            422,
            "invalid_request",
            f"请求格式错误：{where}：{first['msg']}",
            f"Invalid request at {where}: {first['msg']}",
        )

    @app.exception_handler(OperationalError)
    async def _unavailable(request: Request, error: OperationalError) -> JSONResponse:
        return _error(
            503,
            "database_unavailable",
            "县级数据库暂时不可用，请稍后重试。",
            "The county database is unavailable; retry later.",
        )

    @app.get("/v1/meta", response_model=Meta)
    def meta() -> Meta:
        """Protocol versions this server speaks and its clock (clients warn on skew)."""
        return Meta(
            server="caseworker-upstream",
            version=__version__,
            protocol_versions=PROTOCOL_VERSIONS,
            server_time=datetime.now(UTC),
        )

    @app.post("/v1/devices", response_model=DeviceRegistered, status_code=201, responses=ERRORS)
    def register(request: DeviceRegistration) -> DeviceRegistered:
        """Register a device's Ed25519 public key with a one-time enrolment token."""
        return devices.register_device(store, request)

    @app.put(
        "/v1/batches/{batch_id}",
        response_model=BatchAnswer,
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BatchUpload"}}
                },
            }
        },
    )
    async def put_batch(
        batch_id: uuid.UUID,
        request: Request,
        device: DeviceHeader = None,
        signature: SignatureHeader = None,
    ) -> Response:
        """Apply a signed batch and answer each record on its own (a failing record never
        stops the others); the same bytes again get the stored answer, other bytes under
        the same id get 409."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BATCH_BYTES:
            raise Refused(
                413, "batch_too_large", "批次过大。", f"The batch exceeds {MAX_BATCH_BYTES} bytes."
            )
        body = await request.body()
        answer = await run_in_threadpool(receive_batch, store, batch_id, body, device, signature)
        return Response(content=answer, media_type="application/json")

    @app.get("/v1/batches/{batch_id}", response_model=BatchStatus, responses=ERRORS)
    def get_batch(
        batch_id: uuid.UUID,
        request: Request,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> BatchStatus:
        """The stored answer of a batch this device sent (to recover one lost in transit)."""
        sender = devices.authenticate_read(
            store, "GET", _signed_path(request), device, timestamp, signature
        )
        with store.reading() as session:
            batch = session.get(Batch, batch_id)
        if batch is None or batch.device_id != sender.id or batch.answer is None:
            raise Refused(
                404,
                "unknown_batch",
                "服务器没有收到这个批次。",
                "The server has no such batch from this device.",
            )
        answer = BatchAnswer.model_validate_json(batch.answer)
        return BatchStatus(batch_id=batch_id, state="answered", sha256=batch.sha256, answer=answer)

    @app.get("/v1/feeds/reference", response_model=ReferenceFeed, responses=ERRORS)
    def reference(
        request: Request,
        since: Since = 0,
        limit: Limit = FEED_PAGE_DEFAULT,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> ReferenceFeed:
        """Code tables, regions and scheme parameters loaded after cursor ``since``."""
        devices.authenticate_read(store, "GET", _signed_path(request), device, timestamp, signature)
        return feeds.reference_feed(store, since, limit)

    @app.get("/v1/feeds/registry", response_model=RegistryFeed, responses=ERRORS)
    def registry(
        request: Request,
        since: Since = 0,
        limit: Limit = FEED_PAGE_DEFAULT,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> RegistryFeed:
        """Person and enrolment changes in the device's township after cursor ``since``."""
        sender = devices.authenticate_read(
            store, "GET", _signed_path(request), device, timestamp, signature
        )
        return feeds.registry_feed(store, devices.device_township(store, sender), since, limit)

    @app.post(
        "/v1/transfers",
        response_model=TransferStatus,
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TransferRequest"}}
                },
            }
        },
    )
    async def post_transfer(
        request: Request, device: DeviceHeader = None, signature: SignatureHeader = None
    ) -> Response:
        """Ask for a person registered by another centre (signed like a batch, over the
        exact bytes); the same bytes again are answered with the same transfer."""
        body = await request.body()
        status = await run_in_threadpool(
            transfers.receive_transfer_request, store, body, device, signature
        )
        return Response(content=status.model_dump_json(), media_type="application/json")

    @app.get("/v1/transfers/{transfer_id}", response_model=TransferStatus, responses=ERRORS)
    def get_transfer(
        transfer_id: uuid.UUID,
        request: Request,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> TransferStatus:
        """Where a transfer stands, for the requesting or the giving centre."""
        sender = devices.authenticate_read(
            store, "GET", _signed_path(request), device, timestamp, signature
        )
        return transfers.transfer_status(store, transfer_id, sender)

    @app.get("/v1/audit/head", response_model=ChainHead, responses=ERRORS)
    def audit_head(
        request: Request,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> ChainHead:
        """The last audit entry the county accepted from the asking device (seq 0 if none)."""
        sender = devices.authenticate_read(
            store, "GET", _signed_path(request), device, timestamp, signature
        )
        with store.reading() as session:
            return audit_chain.head_of(audit_chain.current_head(session.connection(), sender.id))

    @app.get("/v1/audit/hashes", response_model=AuditHashes, responses=ERRORS)
    def audit_hashes(
        request: Request,
        from_seq: Annotated[int, Query(ge=1, le=2**62)] = 1,
        to_seq: Annotated[int | None, Query(ge=1, le=2**62)] = None,
        limit: Annotated[int, Query(ge=1, le=AUDIT_HASHES_PAGE_MAX)] = AUDIT_HASHES_PAGE_MAX,
        device: DeviceHeader = None,
        timestamp: TimestampHeader = None,
        signature: SignatureHeader = None,
    ) -> AuditHashes:
        """The hashes of the asking device's audit entries the county holds, by seq, a page
        at a time: the device compares them with its own chain."""
        sender = devices.authenticate_read(
            store, "GET", _signed_path(request), device, timestamp, signature
        )
        with store.reading() as session:
            conn = session.connection()
            head = audit_chain.head_of(audit_chain.current_head(conn, sender.id))
            items, more = audit_chain.hashes(conn, sender.id, from_seq, to_seq, limit)
        return AuditHashes(head=head, items=items, more=more)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            upload = BatchUpload.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(jsonable_encoder(upload.pop("$defs", {})))
            components["BatchUpload"] = upload
            wanted = TransferRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            components["TransferRequest"] = wanted
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app

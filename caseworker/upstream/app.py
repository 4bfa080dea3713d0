"""The county intake server (FastAPI): meta, device registration, batch intake, feeds.

Handlers are thin: the work is in ``intake``, ``devices`` and ``feeds``, which the admin
CLI and the offline import call too. Every failure is an ``ErrorBody`` with a stable code
(``errors``); a signed GET takes ``sender: SignedDevice`` (``signed``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from caseworker import __version__
from caseworker.sync.protocol import (
    AUDIT_HASHES_PAGE_MAX,
    FEED_PAGE_DEFAULT,
    FEED_PAGE_MAX,
    MAX_BATCH_BYTES,
    PROTOCOL_VERSIONS,
    REGISTRY_INCLUDE_PATTERN,
    AuditHashes,
    BatchAnswer,
    BatchStatus,
    BatchUpload,
    ChainHead,
    DeviceRegistered,
    DeviceRegistration,
    Meta,
    ReferenceFeed,
    RegistryFeed,
    TransferRequest,
    TransferStatus,
)
from caseworker.upstream import (
    audit_chain,
    devices,
    errors,
    feeds,
    metrics,
    operations,
    transfers,
)
from caseworker.upstream.county_settings import CountySettings
from caseworker.upstream.db import UpstreamDb, open_upstream
from caseworker.upstream.errors import error_responses
from caseworker.upstream.intake import Refused, receive_batch
from caseworker.upstream.models import Batch
from caseworker.upstream.signed import DeviceHeader, SignatureHeader, SignedDevice

# Every refusal a route can give; a route lists its own with error_responses(...).
ERRORS = error_responses(400, 403, 404, 409, 413, 422, 503)
Since = Annotated[int, Query(ge=0, le=2**62)]
Limit = Annotated[int, Query(ge=1, le=FEED_PAGE_MAX)]
Include = Annotated[
    str | None,
    Query(
        pattern=REGISTRY_INCLUDE_PATTERN,
        max_length=60,
        description="item types sent only on request, comma-separated: employer, employment "
        "(a client that does not ask is not sent them; its cursor moves past them)",
    ),
]


def _too_large() -> Refused:
    return Refused(
        413,
        "batch_too_large",
        f"批次超过 {MAX_BATCH_BYTES} 字节。",
        f"The batch is larger than {MAX_BATCH_BYTES} bytes.",
    )


async def _read_body(request: Request) -> bytes:
    """The body, refused as soon as it passes the limit (a chunked upload has no length)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BATCH_BYTES:
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BATCH_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def app_from_environment() -> FastAPI:
    """The app of one worker of ``serve --workers N`` (uvicorn's factory, called in each
    worker process): database, county settings, log folder and metrics readers from the
    environment the supervisor set. The supervisor migrated the database before starting any
    worker, so a worker only opens it (N workers migrating at once would race)."""
    import os

    from caseworker.logs import install_logging
    from caseworker.upstream.request_log import JsonFormatter
    from caseworker.upstream.serving import LOG_DIR_ENV

    folder = os.environ.get(LOG_DIR_ENV)
    if folder:
        install_logging(Path(folder), "upstream", formatter=JsonFormatter(), rotate=False)
    return create_app(open_upstream(migrate=False), CountySettings.load())


def create_app(
    db: UpstreamDb | str | None = None,
    settings: CountySettings | None = None,
    metrics_from: list[Any] | None = None,
) -> FastAPI:
    store = db if isinstance(db, UpstreamDb) else open_upstream(db)
    county = settings or CountySettings.load()
    readers = metrics_from if metrics_from is not None else metrics.readers_from_environment()
    app = FastAPI(title="Caseworker upstream", version=__version__)
    app.state.db = store
    errors.install(app)
    operations.install(app, store, readers)

    @app.get("/v1/meta", response_model=Meta, responses=error_responses())
    def meta() -> Meta:
        """Protocol versions this server speaks, its clock (clients warn on skew) and the
        lowest app version it accepts (older apps stop and ask for an upgrade)."""
        return Meta(
            server="caseworker-upstream",
            version=__version__,
            protocol_versions=PROTOCOL_VERSIONS,
            server_time=datetime.now(UTC),
            min_client_version=county.min_client_version,
        )

    @app.post(
        "/v1/devices",
        response_model=DeviceRegistered,
        status_code=201,
        responses=error_responses(400, 403, 404, 409, 422, 503),
    )
    def register(request: DeviceRegistration) -> DeviceRegistered:
        """Register a device's Ed25519 public key with a one-time enrolment token."""
        return devices.register_device(store, request)

    @app.put(
        "/v1/batches/{batch_id}",
        response_model=BatchAnswer,
        responses=error_responses(400, 403, 409, 413, 422, 503),
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
        device: DeviceHeader,
        signature: SignatureHeader,
    ) -> Response:
        """Apply a signed batch and answer each record on its own (a failing record never
        stops the others); the same bytes again get the stored answer, other bytes under
        the same id get 409."""
        body = await _read_body(request)
        answer = await run_in_threadpool(receive_batch, store, batch_id, body, device, signature)
        return Response(content=answer, media_type="application/json")

    @app.get(
        "/v1/batches/{batch_id}",
        response_model=BatchStatus,
        responses=error_responses(400, 403, 404, 422, 503),
    )
    def get_batch(batch_id: uuid.UUID, sender: SignedDevice) -> BatchStatus:
        """The stored answer of a batch this device sent (to recover one lost in transit)."""
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

    @app.get(
        "/v1/feeds/reference",
        response_model=ReferenceFeed,
        responses=error_responses(400, 403, 422, 503),
    )
    def reference(
        sender: SignedDevice, since: Since = 0, limit: Limit = FEED_PAGE_DEFAULT
    ) -> ReferenceFeed:
        """Code tables, regions and scheme parameters loaded after cursor ``since``."""
        page = feeds.reference_feed(store, since, limit)
        metrics.observe_reference_lag(store, page)
        return page

    @app.get(
        "/v1/feeds/registry",
        response_model=RegistryFeed,
        responses=error_responses(400, 403, 422, 503),
    )
    def registry(
        sender: SignedDevice,
        since: Since = 0,
        limit: Limit = FEED_PAGE_DEFAULT,
        include: Include = None,
    ) -> RegistryFeed:
        """Registry changes in the device's township after cursor ``since``: persons,
        enrolments, households and coverage statuses, and the types named in ``include``.
        Another centre's records come without their owner-only fields (wage bases)."""
        township = devices.device_township(store, sender)
        page = feeds.registry_feed(
            store, township, sender.centre_code, since, limit, feeds.parse_include(include)
        )
        metrics.observe_registry_lag(store, township, page)
        return page

    @app.post(
        "/v1/transfers",
        response_model=TransferStatus,
        responses=error_responses(400, 403, 404, 409, 413, 422, 503),
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
        request: Request, device: DeviceHeader, signature: SignatureHeader
    ) -> Response:
        """Ask for a person registered by another centre (signed like a batch, over the
        exact bytes); the same bytes again are answered with the same transfer."""
        body = await _read_body(request)
        status = await run_in_threadpool(
            transfers.receive_transfer_request, store, body, device, signature
        )
        return Response(content=status.model_dump_json(), media_type="application/json")

    @app.get(
        "/v1/transfers/{transfer_id}",
        response_model=TransferStatus,
        responses=error_responses(400, 403, 404, 422, 503),
    )
    def get_transfer(transfer_id: uuid.UUID, sender: SignedDevice) -> TransferStatus:
        """Where a transfer stands, for the requesting or the giving centre."""
        return transfers.transfer_status(store, transfer_id, sender)

    @app.get(
        "/v1/audit/head",
        response_model=ChainHead,
        responses=error_responses(400, 403, 422, 503),
    )
    def audit_head(sender: SignedDevice) -> ChainHead:
        """The last audit entry the county accepted from the asking device (seq 0 if none)."""
        with store.reading() as session:
            return audit_chain.head_of(audit_chain.current_head(session.connection(), sender.id))

    @app.get(
        "/v1/audit/hashes",
        response_model=AuditHashes,
        responses=error_responses(400, 403, 422, 503),
    )
    def audit_hashes(
        sender: SignedDevice,
        from_seq: Annotated[int, Query(ge=1, le=2**62)] = 1,
        to_seq: Annotated[int | None, Query(ge=1, le=2**62)] = None,
        limit: Annotated[int, Query(ge=1, le=AUDIT_HASHES_PAGE_MAX)] = AUDIT_HASHES_PAGE_MAX,
    ) -> AuditHashes:
        """The hashes of the asking device's audit entries the county holds, by seq, a page
        at a time: the device compares them with its own chain."""
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

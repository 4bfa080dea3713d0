"""The routes an operator's tools call, apart from the sync API: ``/healthz``, ``/readyz`` and
``/metrics`` (not in the OpenAPI, which describes what a centre's computer calls), and the
middleware that logs and counts every request (``request_log``)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from caseworker.upstream import metrics
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.errors import error_response
from caseworker.upstream.health import readiness
from caseworker.upstream.request_log import ObservedApp


def install(app: FastAPI, store: UpstreamDb, metrics_from: list[Any]) -> None:
    app.add_middleware(ObservedApp)  # type: ignore[arg-type]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """The process answers. No database: an outage must not get the workers restarted."""
        return {"status": "alive"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        """The database answers and its schema is at this code's head; 503 otherwise."""
        state = readiness(store)
        body = {"status": state.code, "revision": state.revision, "head": state.head}
        return JSONResponse(body, status_code=200 if state.ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics_page(request: Request) -> Response:
        """Prometheus text; only for the readers ``metrics.allowed_reader`` lets in (404 to
        others, as if there were no such page)."""
        client = request.client.host if request.client else None
        if not metrics.allowed_reader(client, request.headers, metrics_from):
            path = request.url.path
            return error_response(
                404,
                "not_found",
                f"服务器上没有这个地址：{path}",
                f"No such address on this server: {path}",
            )
        body = await run_in_threadpool(metrics.exposition, store)
        return Response(content=body, media_type=metrics.CONTENT_TYPE)

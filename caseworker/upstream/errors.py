"""Every answer of the county API that is not a success is an ``ErrorBody``: a stable code
for programs and words for people, whatever raised it (our refusals, FastAPI's validation,
Starlette's routing, the database, a bug). A bug answers 500 without internals.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from caseworker.sync.protocol import ErrorBody
from caseworker.upstream.devices import HEADER_CHECKS
from caseworker.upstream.intake import Refused

_DESCRIPTIONS = {
    400: "A signing header is missing or malformed, or the request contradicts itself",
    403: "Not this device's to do: unknown or revoked device, bad signature, stale or replayed "
    "request",
    404: "No such resource",
    409: "Conflicts with what the server holds",
    413: "The body is too large",
    422: "The request does not have the documented shape",
    500: "A fault of the server (no internals are disclosed)",
    503: "The database is unavailable; retry later",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for a route: these statuses, each an ``ErrorBody``."""
    return {
        status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
        for status in (*statuses, 500)
    }


def error_response(
    status: int, code: str, message: str, message_en: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, message_en=message_en)
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def _refusal(error: Refused) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.message_en)


async def _refused(request: Request, error: Refused) -> JSONResponse:
    return _refusal(error)


def _header_refusal(request: Request, error: RequestValidationError) -> Refused | None:
    """A signing header FastAPI found missing or malformed: that header's own refusal."""
    for detail in error.errors():
        location = detail.get("loc") or ()
        if len(location) == 2 and location[0] == "header":
            check = HEADER_CHECKS.get(str(location[1]).lower())
            if check is None:
                continue
            try:
                check(request.headers.get(str(location[1])))
            except Refused as refusal:
                return refusal
    return None


async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
    refusal = _header_refusal(request, error)
    if refusal is not None:
        return _refusal(refusal)
    details = error.errors()
    first = details[0] if details else {"loc": (), "msg": "invalid", "type": ""}
    if first.get("type") == "json_invalid":
        return error_response(
            422,
            "invalid_json",
            "请求内容不是有效的 JSON。",
            f"The request body is not valid JSON: {first.get('msg', '')}.",
        )
    where = ".".join(str(part) for part in first.get("loc", ()))
    return error_response(
        422,
        "invalid_request",
        f"请求格式错误：{where}：{first.get('msg', '')}",
        f"Invalid request at {where}: {first.get('msg', '')}",
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path. Starlette's own 405 names only the first
    route that matched the path (PUT /v1/batches/{id} but not its GET)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "\0"})
        if match is Match.PARTIAL:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    headers = dict(error.headers or {})
    if error.status_code == 404:
        return error_response(
            404,
            "not_found",
            f"服务器上没有这个地址：{request.url.path}",
            f"No such address on this server: {request.url.path}",
            headers,
        )
    if error.status_code == 405:
        allowed = _allowed_methods(request) or headers.get("Allow", "")
        headers["Allow"] = allowed
        return error_response(
            405,
            "method_not_allowed",
            f"{request.method} 不适用于 {request.url.path}（可用：{allowed}）。",
            f"{request.method} is not allowed on {request.url.path} (allowed: {allowed}).",
            headers,
        )
    detail = str(error.detail)
    return error_response(error.status_code, f"http_{error.status_code}", detail, detail, headers)


async def _unavailable(request: Request, error: OperationalError) -> JSONResponse:
    return error_response(
        503,
        "database_unavailable",
        "县级数据库暂时不可用，请稍后重试。",
        "The county database is unavailable; retry later.",
    )


async def _internal(request: Request, error: Exception) -> JSONResponse:
    # Starlette re-raises the exception after this answer, so the server still logs it.
    return error_response(
        500,
        "internal_error",
        "县级服务器内部错误，请求未被处理。请稍后重试；如反复出现，请联系县级管理员。",
        "The county server failed on this request and did not process it. Retry later; if "
        "it keeps happening, tell the county administrator.",
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into an ``ErrorBody``."""
    app.add_exception_handler(Refused, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, _unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal)

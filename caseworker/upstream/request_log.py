"""The county server's log as JSON lines, and the middleware that logs and counts each request.

``upstream.log`` holds one JSON object per line: ``time``, ``level``, ``logger``, ``pid``,
``message`` (redacted as every log of ours is, ``caseworker.logs.redact``), and for a request
``request_id``, ``method``, ``route`` (the template, never the path as sent), ``status``,
``latency_ms``, ``device_id`` (the device header, when it is a UUID), ``centre_code`` (a
signed read's centre) and ``code`` (a refusal's code); an exception as ``exception``
(type, redacted message, frames). Nothing else a record carries is written: a field not in
``FIELDS`` is dropped, so a careless ``extra=`` cannot put a name or an ID number in the log.
Non-ASCII is written as is (not ``\\uXXXX``), so a search for a name finds it if it is there.

The request id is the proxy's ``X-Request-ID`` when it looks like one (nginx's
``$request_id``: 32 hex digits, or a UUID), else a new one; it is sent back in
``X-Request-ID`` so an operator can find the line of a centre's failed request.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from caseworker.logs import describe_exception, redact
from caseworker.sync.protocol import DEVICE_HEADER
from caseworker.upstream import metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGGER = logging.getLogger("caseworker.upstream.request")
REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(
    r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
# What a request line may carry besides time, level, logger, pid and message.
FIELDS = (
    "request_id",
    "method",
    "route",
    "status",
    "latency_ms",
    "device_id",
    "centre_code",
    "code",
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
CENTRE_KEY = "caseworker.centre_code"  # set in the scope by a signed read (signed.py)
UPLOAD_ROUTE = "/v1/batches/{batch_id}"
_ERROR_BODY_MAX = 4096


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = redact(record.getMessage())
        except Exception:  # a bad %-format must not lose the line
            message = redact(str(record.msg))
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": message,
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = describe_exception(record.exc_info[1])
        if record.stack_info:
            line["stack"] = redact(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _request_id(scope: Scope) -> str:
    given = (_header(scope, REQUEST_ID_HEADER.encode()) or "").strip().lower()
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _device_id(scope: Scope) -> str | None:
    try:
        return str(uuid.UUID(_header(scope, DEVICE_HEADER.lower().encode()) or ""))
    except ValueError:
        return None  # not a device id: not logged (it could be anything)


def _error_code(body: bytes) -> str | None:
    try:
        code = json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) and re.fullmatch(r"[a-z0-9_]{1,60}", code) else None


class ObservedApp:
    """ASGI middleware: a request id, one log line and the metrics of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        answer: dict[str, Any] = {"status": 500, "body": b""}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (REQUEST_ID_HEADER.encode(), request_id.encode()),
                ]
            elif message["type"] == "http.response.body" and answer["status"] >= 400:
                answer["body"] = (answer["body"] + message.get("body", b""))[:_ERROR_BODY_MAX]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self._observe(scope, request_id, answer, time.perf_counter() - started)

    @staticmethod
    def _observe(scope: Scope, request_id: str, answer: dict[str, Any], seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or metrics.UNMATCHED
        method = scope.get("method", "")
        if method not in METHODS:  # any token is a method to HTTP: never one a client chose
            method = "other"
        status = int(answer["status"])
        code = _error_code(answer["body"]) if status >= 400 else None
        metrics.request_answered(route, method, status, seconds)
        if route == UPLOAD_ROUTE and method == "PUT":
            metrics.upload_answered(status, code, seconds)
        LOGGER.info(
            "request",
            extra={
                "request_id": request_id,
                "method": method,
                "route": route,
                "status": status,
                "latency_ms": round(seconds * 1000, 1),
                "device_id": _device_id(scope),
                "centre_code": scope.get(CENTRE_KEY),
                "code": code,
            },
        )

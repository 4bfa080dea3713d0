"""Signed requests on the county API: the signing headers as the OpenAPI declares them, and
the FastAPI dependency every signed GET takes.

A route that reads on a device's behalf declares ``sender: SignedDevice``; that makes the
four headers required in the OpenAPI and runs ``devices.authenticate_read`` (time window,
signature, nonce accepted once) before the handler. A missing or malformed header answers
400 with the header's own code (``bad_device_header``, ``bad_timestamp``, ``bad_nonce``,
``bad_signature_header``), see ``errors.install``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from caseworker.sync.protocol import (
    DEVICE_HEADER,
    NONCE_HEADER,
    NONCE_PATTERN,
    SIGNATURE_HEADER,
    SIGNATURE_PATTERN,
    TIMESTAMP_HEADER,
)
from caseworker.upstream import devices
from caseworker.upstream.request_log import CENTRE_KEY

DeviceHeader = Annotated[
    str,
    Header(
        alias=DEVICE_HEADER,
        description="the registered device's id",
        json_schema_extra={"format": "uuid"},
    ),
]
SignatureHeader = Annotated[
    str,
    Header(
        alias=SIGNATURE_HEADER,
        description="Ed25519 signature by the device's key, base64 (64 bytes)",
        pattern=SIGNATURE_PATTERN,
    ),
]
TimestampHeader = Annotated[
    str,
    Header(
        alias=TIMESTAMP_HEADER,
        description="the time of the request, ISO 8601 with zone; at most 5 minutes off",
        json_schema_extra={"format": "date-time"},
    ),
]
NonceHeader = Annotated[
    str,
    Header(
        alias=NONCE_HEADER,
        description="16 random bytes, base64url without padding; accepted once per device",
        pattern=NONCE_PATTERN,
    ),
]


def signed_path(request: Request) -> str:
    """The path and query exactly as the client sent them (what it signed), undecoded."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return path + (f"?{query}" if query else "")


def signed_device(
    request: Request,
    device: DeviceHeader,
    timestamp: TimestampHeader,
    nonce: NonceHeader,
    signature: SignatureHeader,
) -> Any:
    """The device that signed this GET (or a ``Refused``)."""
    device = devices.authenticate_read(
        request.app.state.db,
        request.method,
        signed_path(request),
        device,
        timestamp,
        signature,
        nonce,
    )
    request.scope[CENTRE_KEY] = device.centre_code  # for the request's log line
    return device


SignedDevice = Annotated[Any, Depends(signed_device)]

"""Schemathesis hooks (SCHEMATHESIS_HOOKS): sign generated requests as a registered device,
so the signed operations are exercised past the signature check.

The test writes the device (id, centre, Ed25519 private key) to the JSON file named by
``CASEWORKER_ST_DEVICE``. A case whose headers schemathesis made invalid on purpose (a
negative case, a missing header) goes out unsigned: it must be refused for that header.
Every other case on a signed operation gets a real signature over exactly what is sent:
where the operation takes a time header (a signed GET), the method, path with query, time
and a fresh nonce; otherwise (a batch PUT) the body bytes, with the batch's ids made this
device's so that a schema-valid batch is applied.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from schemathesis.core.parameters import ParameterLocation

from caseworker.sync.protocol import (
    DEVICE_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    new_nonce,
    request_signing_bytes,
)

DEVICE = json.loads(Path(os.environ["CASEWORKER_ST_DEVICE"]).read_text(encoding="utf-8"))
KEY = Ed25519PrivateKey.from_private_bytes(base64.b64decode(DEVICE["private_key"]))


def _negative(case: Any, location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def _sent_path(case: Any) -> str:
    """Path and query as `requests` will put them on the wire (what the server checks)."""
    data = case.as_transport_kwargs()
    prepared = requests.Request(data["method"], data["url"], params=data.get("params")).prepare()
    return str(prepared.path_url)


def _sign_body(case: Any, kwargs: dict[str, Any]) -> str:
    """A body-signed request (a batch PUT, and any like it): sign the bytes sent."""
    body = case.body
    if isinstance(body, dict) and not _negative(case, ParameterLocation.BODY):
        # A schema-valid body made this device's, so it is applied rather than refused.
        path = case.path_parameters or {}
        if (
            "batch_id" in body
            and "batch_id" in path
            and not _negative(case, ParameterLocation.PATH)
        ):
            body["batch_id"] = path["batch_id"]
        for name in ("device_id", "centre_code"):
            if name in body:
                body[name] = DEVICE[name]
    # The hook serialises the body itself, so the signature covers the very bytes sent.
    if isinstance(body, bytes):
        raw = body
    else:
        raw = b"" if type(body).__name__ == "NotSet" else json.dumps(body).encode()
    kwargs["data"] = raw
    return base64.b64encode(KEY.sign(raw)).decode()


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    headers = case.headers
    if not headers or DEVICE_HEADER not in headers or _negative(case, ParameterLocation.HEADER):
        return  # not a signed operation, or a case about a bad header: send as generated
    headers[DEVICE_HEADER] = DEVICE["device_id"]
    if TIMESTAMP_HEADER not in headers:
        headers[SIGNATURE_HEADER] = _sign_body(case, kwargs)
        return
    stamp = datetime.now(UTC).isoformat()
    nonce = new_nonce()
    signed = request_signing_bytes(case.method, _sent_path(case), stamp, nonce)
    headers[TIMESTAMP_HEADER] = stamp
    headers[NONCE_HEADER] = nonce
    headers[SIGNATURE_HEADER] = base64.b64encode(KEY.sign(signed)).decode()

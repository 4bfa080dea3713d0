"""Schemathesis hooks (SCHEMATHESIS_HOOKS): sign generated requests as a registered device,
so the signed operations are exercised past the signature check.

The test writes the device (id, centre, Ed25519 private key) to the JSON file named by
``CASEWORKER_ST_DEVICE``. A case whose headers schemathesis made invalid on purpose (a
negative case, a missing header) goes out unsigned: it must be refused for that header.
Every other case on a signed operation gets a real signature over exactly what is sent:
for a batch PUT the body bytes (with the batch's ids made this device's, so a schema-valid
batch is applied), for a GET the method, path with query, time and a fresh nonce.
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


def _sign_batch(case: Any, kwargs: dict[str, Any]) -> str:
    body = case.body
    if isinstance(body, dict) and not _negative(case, ParameterLocation.BODY):
        if not _negative(case, ParameterLocation.PATH):
            body["batch_id"] = case.path_parameters["batch_id"]
        body["device_id"] = DEVICE["device_id"]
        body["centre_code"] = DEVICE["centre_code"]
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
    if case.method.upper() == "PUT":
        headers[SIGNATURE_HEADER] = _sign_batch(case, kwargs)
        return
    stamp = datetime.now(UTC).isoformat()
    nonce = new_nonce()
    signed = request_signing_bytes(case.method, _sent_path(case), stamp, nonce)
    headers[TIMESTAMP_HEADER] = stamp
    headers[NONCE_HEADER] = nonce
    headers[SIGNATURE_HEADER] = base64.b64encode(KEY.sign(signed)).decode()

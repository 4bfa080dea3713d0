"""Centres, one-time device enrolment tokens, device registration and signed reads."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from caseworker.sync.protocol import (
    REQUEST_SIGNATURE_WINDOW_S,
    DeviceRegistered,
    DeviceRegistration,
    request_signing_bytes,
)
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.intake import (
    Refused,
    decode_signature,
    load_device,
    parse_device_id,
    verify,
)
from caseworker.upstream.models import Centre, Device, EnrolmentToken


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def add_centre(db: UpstreamDb, code: str, name: str, township_code: str | None = None) -> Centre:
    if not (code.isascii() and code.isdigit() and 6 <= len(code) <= 12):
        raise Refused(
            400,
            "invalid_centre_code",
            "服务中心代码应为6至12位数字。",
            "A centre code is 6-12 digits.",
        )
    if not name.strip():
        raise Refused(
            400, "invalid_centre_name", "请填写服务中心名称。", "The centre needs a name."
        )
    township = township_code or (code[:9] if len(code) >= 9 else None)
    try:
        with db.writing() as session:
            centre = Centre(code=code, name=name.strip(), township_code=township)
            session.add(centre)
    except IntegrityError:
        raise Refused(
            409, "centre_exists", f"服务中心 {code} 已存在。", f"Centre {code} exists."
        ) from None
    return centre


def issue_token(db: UpstreamDb, centre_code: str) -> str:
    """A one-time token (printed once; only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    with db.writing() as session:
        if session.get(Centre, centre_code) is None:
            raise Refused(
                404,
                "unknown_centre",
                f"没有服务中心 {centre_code}，请先 centre add。",
                f"No centre {centre_code}; add it first.",
            )
        session.add(EnrolmentToken(token_sha256=_token_hash(token), centre_code=centre_code))
    return token


def _public_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise Refused(
            400,
            "bad_public_key",
            "公钥应为32字节的Ed25519公钥（base64）。",
            "The public key must be 32 raw bytes, base64.",
        )
    return key


def _number_taken(number: int) -> Refused:
    return Refused(
        409,
        "device_number_taken",
        f"本服务中心已有编号为 {number:02d} 的电脑登记。收据号中含本机编号，"
        "同一中心的每台电脑须用不同编号：请在本机重新设置时选用其他编号。",
        f"Another computer of this centre is registered as number {number:02d}. The number is "
        "part of every receipt number, so each computer needs its own: set this one up with "
        "another number.",
    )


def register_device(db: UpstreamDb, request: DeviceRegistration) -> DeviceRegistered:
    key = _public_key(request.public_key)
    with db.writing() as session:
        token = session.get(EnrolmentToken, _token_hash(request.token), with_for_update=True)
        if token is None:
            raise Refused(
                403, "invalid_token", "登记令牌无效。", "The enrolment token is not valid."
            )
        if token.centre_code != request.centre_code:
            raise Refused(
                403,
                "token_centre_mismatch",
                "该令牌是为另一个服务中心签发的。",
                "This token was issued for another centre.",
            )
        device = session.get(Device, request.device_id)
        if token.used_at is not None and token.device_id != request.device_id:
            raise Refused(
                403,
                "token_used",
                "该登记令牌已被使用过。",
                "This enrolment token was already used.",
            )
        if device is not None and (
            device.public_key != key or device.centre_code != request.centre_code
        ):
            raise Refused(
                409,
                "device_exists",
                "该设备标识已以另一把密钥登记。",
                "This device id is already registered with another key.",
            )
        taken = session.scalar(
            select(Device.id).where(
                Device.centre_code == request.centre_code,
                Device.device_number == request.device_number,
                Device.id != request.device_id,
            )
        )
        if taken is not None:
            raise _number_taken(request.device_number)
        if device is None:
            device = Device(
                id=request.device_id,
                centre_code=request.centre_code,
                device_number=request.device_number,
                name=request.name or f"device {request.device_number}",
                public_key=key,
            )
            session.add(device)
        # Repeating a registration whose answer was lost is fine: same token, same device.
        token.used_at = token.used_at or datetime.now(UTC)
        token.device_id = request.device_id
        centre = session.get_one(Centre, request.centre_code)
        try:
            session.flush()
        except IntegrityError:  # another computer took the number at the same moment
            raise _number_taken(request.device_number) from None
        return DeviceRegistered(
            device_id=device.id,
            centre_code=centre.code,
            centre_name=centre.name,
            township_code=centre.township_code,
            registered_at=device.registered_at,
        )


def authenticate_read(
    db: UpstreamDb,
    method: str,
    path: str,
    device_header: str | None,
    timestamp_header: str | None,
    signature_header: str | None,
) -> Any:
    """A signed GET: the device signs method, path with query and a time; returns the device."""
    device_id = parse_device_id(device_header)
    signature = decode_signature(signature_header)
    try:
        stamp = datetime.fromisoformat(str(timestamp_header))
        if stamp.tzinfo is None:
            raise ValueError
    except ValueError:
        raise Refused(
            400,
            "bad_timestamp",
            "缺少或无效的请求时间。",
            "Missing or malformed request time (ISO 8601 with zone).",
        ) from None
    if abs(datetime.now(UTC) - stamp) > timedelta(seconds=REQUEST_SIGNATURE_WINDOW_S):
        raise Refused(
            403,
            "stale_request",
            "请求时间与服务器相差超过一天，请校准本机时钟。",
            "The request time is more than a day from the server's; set this computer's clock.",
        )
    with db.reading() as session:
        device = load_device(session.connection(), device_id)
    verify(device.public_key, signature, request_signing_bytes(method, path, str(timestamp_header)))
    return device


def device_township(db: UpstreamDb, device: Any) -> str | None:
    with db.reading() as session:
        return session.scalar(select(Centre.township_code).where(Centre.code == device.centre_code))

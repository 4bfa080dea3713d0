"""Centres, one-time device enrolment tokens, device registration and signed reads."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from caseworker.sync.protocol import (
    DEVICE_HEADER,
    DEVICE_REVOKED,
    NONCE_HEADER,
    NONCE_PATTERN,
    REQUEST_SIGNATURE_WINDOW_S,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
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
from caseworker.upstream.models import Centre, Device, EnrolmentToken, RequestNonce

NONCES = RequestNonce.__table__
DEVICES = Device.__table__
SEEN_EVERY_S = 60


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
    """A one-time token (printed once; only its hash is stored). Hex, so it never starts
    with "-", which the command line would take for an option (`--token -x…`)."""
    token = secrets.token_hex(20)
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


def revoked_refusal(revoked_at: datetime) -> Refused:
    """What a revoked device hears, whatever it signed: nothing of it is taken any more."""
    when = f"{revoked_at:%Y-%m-%d %H:%M} UTC"
    return Refused(
        403,
        DEVICE_REVOKED,
        f"县级已于 {when} 停用本机（本机的密钥不再有效），本次请求未被受理，县级数据没有任何改动。"
        "本机数据仍保存在本机。请向县社保局申请新的登记令牌，把这台电脑作为新设备重新设置并登记。",
        f"The county revoked this computer on {when} (its key is no longer valid): this "
        "request was not taken and nothing at the county changed. Everything is still kept on "
        "this computer. Ask the county for a new enrolment token and set this computer up "
        "again as a new device.",
    )


def hold_device(conn: Connection, device_id: uuid.UUID) -> None:
    """At the start of an intake transaction: lock the device's row and refuse if it was
    revoked since the signature was checked. The lock is the one the transaction's
    ``last_seen_at`` update takes anyway, taken first: a revocation committed before waits
    no one and is seen here; one begun after waits until this batch has committed (the
    batch was then received before the revocation). SQLite writers are serialised whole."""
    revoked_at = conn.scalar(
        select(DEVICES.c.revoked_at)
        .where(DEVICES.c.id == device_id)
        .with_for_update(key_share=True)
    )
    if revoked_at is not None:
        raise revoked_refusal(revoked_at)


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
        if device is not None and device.revoked_at is not None:
            # A revoked id stays revoked: a new token does not revive it (nor is it used up).
            raise revoked_refusal(device.revoked_at)
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


def parse_timestamp(value: str | None) -> datetime:
    try:
        stamp = datetime.fromisoformat(str(value))
        if stamp.tzinfo is None:
            raise ValueError
    except ValueError:
        raise Refused(
            400,
            "bad_timestamp",
            "缺少或无效的请求时间。",
            "Missing or malformed request time (ISO 8601 with zone).",
        ) from None
    return stamp


def parse_nonce(value: str | None) -> str:
    if value is None or not re.fullmatch(NONCE_PATTERN, value):
        raise Refused(
            400,
            "bad_nonce",
            "缺少或无效的请求随机数（nonce）。",
            "Missing or malformed request nonce (16 random bytes, base64url).",
        )
    return value


# What each signing header's own check says when the header is missing or malformed, so a
# request FastAPI refuses for a header gets the same specific code as one this module refuses.
HEADER_CHECKS: dict[str, Callable[[str | None], object]] = {
    DEVICE_HEADER.lower(): parse_device_id,
    SIGNATURE_HEADER.lower(): decode_signature,
    TIMESTAMP_HEADER.lower(): parse_timestamp,
    NONCE_HEADER.lower(): parse_nonce,
}


def _duration(seconds: float) -> tuple[str, str]:
    """An offset in words, Chinese and English, as precise as a clock setting needs."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}秒", f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes}分", f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分", f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时", f"{days} d {hours} h"


def _stale(stamp: datetime, now: datetime) -> Refused:
    offset = stamp - now
    zh, en = _duration(abs(offset.total_seconds()))
    ahead = offset.total_seconds() > 0
    window = REQUEST_SIGNATURE_WINDOW_S // 60
    return Refused(
        403,
        "stale_request",
        f"请求时间比县级服务器{'快' if ahead else '慢'}{zh}（最多允许相差 {window} 分钟）："
        "请校准本机时钟后重试。",
        f"The request's time is {en} {'ahead of' if ahead else 'behind'} the county server's "
        f"(at most {window} min allowed): set this computer's clock and retry.",
    )


def _remember_nonce(
    db: UpstreamDb, device_id: uuid.UUID, nonce: str, stamp: datetime, now: datetime
) -> None:
    """Accept a nonce once. It is kept until its request's time leaves the window (after
    that the time check refuses the request anyway), and expired ones go on the way."""
    expires = stamp + timedelta(seconds=REQUEST_SIGNATURE_WINDOW_S)
    try:
        with db.writing() as session:
            session.execute(delete(NONCES).where(NONCES.c.expires_at < now))
            session.execute(
                insert(NONCES).values(device_id=device_id, nonce=nonce, expires_at=expires)
            )
            # A device that only pulls (nothing to send) is seen too: `stats` names the
            # silent ones. At most once a minute per device, so reads do not churn its row.
            session.execute(
                update(DEVICES)
                .where(
                    DEVICES.c.id == device_id,
                    or_(
                        DEVICES.c.last_seen_at.is_(None),
                        DEVICES.c.last_seen_at < now - timedelta(seconds=SEEN_EVERY_S),
                    ),
                )
                .values(last_seen_at=now)
            )
    except IntegrityError:
        raise Refused(
            403,
            "replayed_request",
            "这个请求已被服务器接受过一次，不再受理（可能是被截获后重放）。",
            "This exact request was already accepted once; a repeat is refused "
            "(it may have been captured and replayed).",
        ) from None


def authenticate_read(
    db: UpstreamDb,
    method: str,
    path: str,
    device_header: str | None,
    timestamp_header: str | None,
    signature_header: str | None,
    nonce_header: str | None = None,
) -> Any:
    """A signed GET: the device signs method, path with query, a time and a nonce; the time
    must be within the window and the nonce new for this device. Returns the device.

    Routes take this through ``upstream.signed.SignedDevice`` rather than calling it."""
    device_id = parse_device_id(device_header)
    signature = decode_signature(signature_header)
    stamp = parse_timestamp(timestamp_header)
    nonce = parse_nonce(nonce_header)
    now = datetime.now(UTC)
    if abs(now - stamp) > timedelta(seconds=REQUEST_SIGNATURE_WINDOW_S):
        raise _stale(stamp, now)
    with db.reading() as session:
        device = load_device(session.connection(), device_id)
    signed = request_signing_bytes(method, path, str(timestamp_header), nonce)
    verify(device.public_key, signature, signed)
    _remember_nonce(db, device.id, nonce, stamp, now)
    return device


def device_township(db: UpstreamDb, device: Any) -> str | None:
    with db.reading() as session:
        return session.scalar(select(Centre.township_code).where(Centre.code == device.centre_code))

"""HTTP to the county server (httpx): retries with exponential backoff and jitter.

Transport failures, timeouts, 429 and 5xx are retried; every other answer is returned to
the caller, who knows whether a 4xx is final. Waits are on an Event, so cancel is prompt.

Signed GETs carry a fresh time and nonce on every try. The time is this computer's clock
corrected by the offset measured from the server's clock (``meta()``): the server accepts a
time at most five minutes off, and laptops kept offline drift by more. A ``stale_request``
answer means the clock moved since; the offset is measured again and the GET sent once more.
"""

from __future__ import annotations

import base64
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from caseworker import __version__
from caseworker.sync.batches import Signer, SyncError
from caseworker.sync.protocol import (
    DEVICE_HEADER,
    NONCE_HEADER,
    REGISTRY_OPT_IN,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AuditHashes,
    BatchStatus,
    ChainHead,
    DeviceRegistered,
    DeviceRegistration,
    ErrorBody,
    Meta,
    ReferenceFeed,
    RegistryFeed,
    TransferStatus,
    new_nonce,
    request_signing_bytes,
    version_key,
)

RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Exponential backoff with equal jitter: half fixed, half random."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return ceiling / 2 + ceiling / 2 * rng()


class Cancelled(Exception):
    """The operator cancelled; nothing half-applied (answers are applied in one transaction)."""


def server_error(response: httpx.Response) -> ErrorBody:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValueError:
        text = response.text[:200]
        return ErrorBody(code=f"http_{response.status_code}", message=text, message_en=text)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Transport:
    base_url: str
    signer: Signer | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    stop: threading.Event = field(default_factory=threading.Event)
    # This computer's clock; a test passes one that is off, as a drifted laptop's is.
    clock: Callable[[], datetime] = field(default=utc_now)
    # The server's clock minus ours, as last measured by meta(); added to every signed time.
    clock_offset: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        timeout = httpx.Timeout(self.retry.read_timeout, connect=self.retry.connect_timeout)
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": "caseworker-sync/1"})

    def close(self) -> None:
        self._client.close()

    def check(self) -> None:
        if self.stop.is_set():
            raise Cancelled

    def server_now(self) -> datetime:
        """Our best estimate of the server's clock."""
        return self.clock() + self.clock_offset

    def _signed_headers(self, method: str, path: str) -> dict[str, str]:
        assert self.signer is not None
        stamp = self.server_now().isoformat()
        nonce = new_nonce()
        signature = self.signer.sign(request_signing_bytes(method, path, stamp, nonce))
        return {
            DEVICE_HEADER: str(self.signer.device_id),
            TIMESTAMP_HEADER: stamp,
            NONCE_HEADER: nonce,
            SIGNATURE_HEADER: base64.b64encode(signature).decode(),
        }

    def request(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        sign_get: bool = False,
    ) -> httpx.Response:
        """Send with retries; ``sign_get`` signs path, time and nonce (fresh on every try)."""
        response = self._send(method, path, content, headers, sign_get)
        stale = response.status_code == 403 and server_error(response).code == "stale_request"
        if sign_get and stale:
            self.meta()  # our clock moved since we last measured it (or it never was)
            response = self._send(method, path, content, headers, sign_get)
        return response

    def _send(
        self,
        method: str,
        path: str,
        content: bytes | None,
        headers: dict[str, str] | None,
        sign_get: bool,
    ) -> httpx.Response:
        last = ""
        for attempt in range(self.retry.attempts):
            self.check()
            sent = dict(headers or {})
            if sign_get:
                sent.update(self._signed_headers(method, path))  # fresh time on every try
            try:
                response = self._client.request(
                    method, self.base_url + path, content=content, headers=sent
                )
                if response.status_code not in RETRY_STATUSES:
                    return response
                last = f"HTTP {response.status_code}: {server_error(response).code}"
            except httpx.TransportError as error:
                last = f"{type(error).__name__}: {error}"
            if attempt + 1 < self.retry.attempts and self.stop.wait(self.retry.delay(attempt)):
                raise Cancelled
        raise SyncError(
            "unreachable",
            f"无法连接县级服务器（已重试{self.retry.attempts}次）：{last}。数据已保存在本机，稍后会自动重发。",
            f"Cannot reach the county server after {self.retry.attempts} tries ({last}); "
            "everything is kept here and will be sent again.",
        )

    def meta(self) -> Meta:
        """The server's versions and clock; measures ``clock_offset`` on the way."""
        response = self.request("GET", "/v1/meta")
        received = self.clock()
        self._raise_for(response)
        meta = Meta.model_validate_json(response.content)
        # The server read its clock about halfway through the exchange.
        self.clock_offset = meta.server_time - (received - response.elapsed / 2)
        check_app_version(meta)
        return meta

    def register(self, registration: DeviceRegistration) -> DeviceRegistered:
        response = self.request(
            "POST",
            "/v1/devices",
            content=registration.model_dump_json().encode(),
            headers={"Content-Type": "application/json"},
        )
        self._raise_for(response)
        return DeviceRegistered.model_validate_json(response.content)

    def put_batch(self, batch_id: uuid.UUID, body: bytes, signature: bytes) -> httpx.Response:
        assert self.signer is not None
        headers = {
            "Content-Type": "application/json",
            DEVICE_HEADER: str(self.signer.device_id),
            SIGNATURE_HEADER: base64.b64encode(signature).decode(),
        }
        return self.request("PUT", f"/v1/batches/{batch_id}", content=body, headers=headers)

    def get_batch(self, batch_id: uuid.UUID) -> BatchStatus | None:
        response = self.request("GET", f"/v1/batches/{batch_id}", sign_get=True)
        if response.status_code == 404:
            return None
        self._raise_for(response)
        return BatchStatus.model_validate_json(response.content)

    def reference_feed(self, since: int, limit: int) -> ReferenceFeed:
        response = self.request(
            "GET", f"/v1/feeds/reference?since={since}&limit={limit}", sign_get=True
        )
        self._raise_for(response)
        return ReferenceFeed.model_validate_json(response.content)

    def registry_feed(
        self, since: int, limit: int, include: tuple[str, ...] = REGISTRY_OPT_IN
    ) -> RegistryFeed:
        """A page of the township's registry; this client reads every opt-in item type
        (``include=()`` reads the feed as a client older than them does)."""
        query = f"since={since}&limit={limit}" + (
            f"&include={','.join(include)}" if include else ""
        )
        response = self.request("GET", f"/v1/feeds/registry?{query}", sign_get=True)
        self._raise_for(response)
        return RegistryFeed.model_validate_json(response.content)

    def post_transfer(self, body: bytes, signature: bytes) -> httpx.Response:
        """A transfer request, signed over its exact bytes like a batch."""
        assert self.signer is not None
        headers = {
            "Content-Type": "application/json",
            DEVICE_HEADER: str(self.signer.device_id),
            SIGNATURE_HEADER: base64.b64encode(signature).decode(),
        }
        return self.request("POST", "/v1/transfers", content=body, headers=headers)

    def get_transfer(self, transfer_id: uuid.UUID) -> TransferStatus | None:
        response = self.request("GET", f"/v1/transfers/{transfer_id}", sign_get=True)
        if response.status_code == 404:
            return None
        self._raise_for(response)
        return TransferStatus.model_validate_json(response.content)

    def audit_head(self) -> ChainHead:
        response = self.request("GET", "/v1/audit/head", sign_get=True)
        self._raise_for(response)
        return ChainHead.model_validate_json(response.content)

    def audit_hashes(self, from_seq: int, to_seq: int) -> AuditHashes:
        response = self.request(
            "GET", f"/v1/audit/hashes?from_seq={from_seq}&to_seq={to_seq}", sign_get=True
        )
        self._raise_for(response)
        return AuditHashes.model_validate_json(response.content)

    @staticmethod
    def _raise_for(response: httpx.Response) -> None:
        if response.status_code >= 400:
            error = server_error(response)
            raise SyncError(error.code, error.message, error.message_en)


def check_app_version(meta: Meta, version: str = __version__) -> None:
    """An app older than the county accepts stops here, before sending or pulling anything,
    with words for the operator (SyncError ``app_too_old``)."""
    try:
        accepted = version_key(meta.min_client_version)
    except ValueError:
        return  # a county's malformed setting is the county's to fix, not a reason to stop
    if version_key(version) < accepted:
        lowest = meta.min_client_version
        raise SyncError(
            "app_too_old",
            f"本程序版本为 {version}，县级服务器只接受 {lowest} 或更新的版本，"
            "请联系县社保局或管理员升级本程序后再同步。数据都保存在本机，没有发送。",
            f"This app is version {version}; the county accepts {lowest} or newer: ask for an "
            "upgrade, then sync again. Everything is kept on this computer; nothing was sent.",
        )

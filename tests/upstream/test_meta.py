"""The real upstream server on 127.0.0.1 with a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_meta_and_openapi_from_a_running_server(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caseworker.upstream.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'up.db'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                meta = httpx.get(f"{base}/v1/meta", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert meta.status_code == 200
        body = meta.json()
        assert body["protocol_versions"] == ["1"]
        skew = datetime.now(UTC) - datetime.fromisoformat(body["server_time"])
        assert abs(skew.total_seconds()) < 60
        assert "/v1/meta" in httpx.get(f"{base}/openapi.json", timeout=5).json()["paths"]
    finally:
        server.terminate()
        server.wait(timeout=10)

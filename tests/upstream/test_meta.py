"""The real upstream server on 127.0.0.1: it binds a free port itself and says which."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.upstream.harness import Server


def test_meta_and_openapi_from_a_running_server(tmp_path):
    server = Server(f"sqlite:///{tmp_path / 'up.db'}").start()
    try:
        assert server.port > 0  # announced by the server, not guessed by the test
        meta = httpx.get(f"{server.base}/v1/meta", timeout=5)
        assert meta.status_code == 200
        body = meta.json()
        assert body["protocol_versions"] == ["1"]
        skew = datetime.now(UTC) - datetime.fromisoformat(body["server_time"])
        assert abs(skew.total_seconds()) < 60
        assert "/v1/meta" in httpx.get(f"{server.base}/openapi.json", timeout=5).json()["paths"]
    finally:
        server.stop()

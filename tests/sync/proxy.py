"""A small HTTP-aware TCP proxy that injects faults between the client and the real server.

Rules match a request by method and path prefix and fire a given number of times:
- ``cut_request``: the client's request never reaches the server (connection closed);
- ``cut_mid_body``: half the body reaches the server, then both sides are cut;
- ``drop_answer``: the server answers (so it committed), the answer is thrown away;
- ``timeout``: like drop_answer, but the connection is held open until the client gives up;
- ``status_500`` / ``status_503``: the proxy answers itself with that error;
- ``hold``: half the body is forwarded, then the proxy waits for ``release`` (tests kill
  the client or restart the server meanwhile), then cuts both sides.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Rule:
    action: str
    method: str = "PUT"
    path: str = "/v1/batches/"
    times: int = 1


def _read_message(sock: socket.socket, buffer: bytearray) -> tuple[bytes, bytes] | None:
    """One HTTP message (head, body) by Content-Length; None when the peer closed."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    body = bytes(buffer[end : end + length])
    del buffer[: end + length]
    return head, body


def _error_response(status: int) -> bytes:
    body = b'{"code":"proxy_error","message":"injected","message_en":"injected"}'
    return (
        f"HTTP/1.1 {status} Error\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


@dataclass
class FaultProxy:
    target_port: int
    rules: list[Rule] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def add(self, *rules: Rule) -> None:
        with self._lock:
            self.rules.extend(rules)

    def _match(self, head: bytes) -> str | None:
        method, path = head.split(b" ", 2)[:2]
        with self._lock:
            for rule in self.rules:
                if (
                    rule.times > 0
                    and method.decode() == rule.method
                    and path.decode().startswith(rule.path)
                ):
                    rule.times -= 1
                    self.fired.append(rule.action)
                    return rule.action
        return None

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        from_client, from_server = bytearray(), bytearray()
        try:
            while True:
                request = _read_message(client, from_client)
                if request is None:
                    return
                head, body = request
                action = self._match(head)
                if action == "cut_request":
                    return
                if action in ("status_500", "status_503"):
                    client.sendall(_error_response(int(action[-3:])))
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                if action in ("cut_mid_body", "hold"):
                    upstream.sendall(head + body[: len(body) // 2])
                    if action == "hold":
                        self.held.set()
                        self.release.wait()
                    return
                upstream.sendall(head + body)
                response = _read_message(upstream, from_server)
                if response is None:
                    return
                if action == "drop_answer":
                    return
                if action == "timeout":
                    client.settimeout(None)
                    while client.recv(65536):  # until the client gives up and closes
                        pass
                    return
                client.sendall(response[0] + response[1])
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    def close(self) -> None:
        self._closing = True
        self.release.set()
        self._listener.close()

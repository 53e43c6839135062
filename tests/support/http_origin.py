"""A real HTTP server in a thread on a free port: a media origin or a webhook receiver.

Each path maps to a handler that answers through the standard library's request handler; every
request is recorded (method, path, headers, body) for the test to look at."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[BaseHTTPRequestHandler, Received], None]


@dataclass
class HttpOrigin:
    host: str
    port: int
    routes: dict[str, Handler] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]


def reply(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if "Content-Length" not in (headers or {}):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


@contextmanager
def http_origin(host: str = "127.0.0.1") -> Iterator[HttpOrigin]:
    origin = HttpOrigin(host=host, port=0)

    class RequestHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            received = Received(
                self.command,
                self.path.split("?", 1)[0],
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            with origin.lock:
                origin.received.append(received)
            route = origin.routes.get(received.path)
            if route is None:
                reply(self, 404, b"no such thing")
                return
            # The client may give up early, as some tests want it to.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self, received)

        do_GET = _handle
        do_POST = _handle

    server = ThreadingHTTPServer((host, 0), RequestHandler)
    server.daemon_threads = True
    origin.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="http-origin", daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()

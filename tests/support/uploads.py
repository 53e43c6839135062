"""tus uploads for tests: raw protocol helpers and a real HTTP server for real tus clients."""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI

from tests.support.processes import free_port

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {**TUS, "Content-Type": "application/offset+octet-stream"}


# A TestClient or an httpx.Client.
HttpClient = Any


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def metadata(**pairs: str | None) -> str:
    """`Upload-Metadata` from keyword pairs (None: a key without a value)."""
    return ",".join(key if value is None else f"{key} {b64(value)}" for key, value in pairs.items())


def create(
    client: HttpClient,
    length: int,
    headers: dict[str, str] | None = None,
    **meta: str | None,
) -> str:
    """A new upload's URL (path)."""
    sent = {**TUS, "Upload-Length": str(length), **(headers or {})}
    if meta:
        sent["Upload-Metadata"] = metadata(**meta)
    response = client.post("/api/v1/uploads", headers=sent)
    assert response.status_code == 201, response.text
    location: str = response.headers["location"]
    return location


def patch(
    client: HttpClient,
    url: str,
    offset: int,
    data: bytes,
    headers: dict[str, str] | None = None,
) -> Any:
    return client.patch(
        url, content=data, headers={**OCTETS, "Upload-Offset": str(offset), **(headers or {})}
    )


def upload_whole(
    client: HttpClient, data: bytes, headers: dict[str, str] | None = None, **meta: str | None
) -> tuple[str, Any]:
    """Create and send every byte in one PATCH; returns the URL and the last response."""
    url = create(client, len(data), headers, **meta)
    return url, patch(client, url, 0, data, headers)


class LiveServer:
    """The app on a real port in a thread of the test process (real HTTP for real clients)."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise AssertionError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


class CuttingProxy:
    """A TCP proxy on loopback that cuts the first connection that carries more than
    `cut_after` bytes from the client (a dropped Wi-Fi link mid-upload); after that cut,
    everything passes through."""

    def __init__(self, target_port: int, cut_after: int) -> None:
        self.target_port = target_port
        self.cut_after = cut_after
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(
                target=self._pipe, args=(client, upstream, self.cut_after), daemon=True
            ).start()
            threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if limit is not None and not self.cuts and sent + len(data) > limit:
                    sink.sendall(data[: limit - sent])
                    self.cuts += 1
                    break
                sink.sendall(data)
                sent += len(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

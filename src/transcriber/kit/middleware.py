"""Pure ASGI middleware: security headers on every response, a bare 500 for bugs, request
body limits, and the request log with its request id and the observers that count requests."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from transcriber.kit.logs import REQUEST_ID, REQUEST_LOGGER

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self' ws: wss:; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
log = logging.getLogger(__name__)
# The interactive API docs load Swagger UI and ReDoc from a CDN; the strict policy would
# blank them, and they hold no user data.
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, trust_proxy_headers: bool = False) -> None:
        self.app = app
        self.trust_proxy_headers = trust_proxy_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        if self.trust_proxy_headers:
            for name, value in scope.get("headers", []):
                if name == b"x-forwarded-proto" and value.split(b",")[0].strip() == b"https":
                    https = True
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=()")
                if not path.startswith(DOCS_PATHS):
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if https:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UnexpectedErrorMiddleware:
    """An exception no handler took (a bug) becomes a 500 that names nothing inside.

    It sits inside `SecurityHeadersMiddleware`, so that answer carries the security headers
    too (Starlette's own last-resort handler sits outside every middleware). The exception
    is raised on afterwards, so the server logs it and test clients still see it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _json_response(
                    send, 500, "Something went wrong on the server; it has been logged."
                )
            raise


class BodyLimitMiddleware:
    """Caps request bodies: a small limit everywhere, a large one on the media upload paths.

    A declared Content-Length over the limit is refused before anything is read; a chunked
    body is counted as it streams and cut off once it passes the limit.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int,
        upload_limit: int,
        upload_prefixes: Iterable[str],
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_prefixes = tuple(upload_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.upload_limit if path.startswith(self.upload_prefixes) else self.default_limit
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await _too_large(send, limit)
                return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            # Frameworks turn a failing body read into their own 400; the real reason wins.
            if not exceeded:
                await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if exceeded:
            await _too_large(send, limit)


class _BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


async def _too_large(send: Send, limit: int) -> None:
    await _json_response(send, 413, f"The request body is larger than {limit:,} bytes.")


async def _json_response(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# What a proxy or client may send as its own request id: a uuid, a trace id, a short token.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"
# Probes and scrapes every few seconds: logged at DEBUG while they succeed.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
request_log = logging.getLogger(REQUEST_LOGGER)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One answered request, in bounded terms: a known method (or OTHER), the route's
    template (never the path, which holds ids and share tokens), the status sent."""

    method: str
    route: str
    status: int
    duration_s: float


def route_template(scope: Scope) -> str:
    """The path template of the route that took the request (set by the router)."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _SANE_REQUEST_ID.fullmatch(candidate) else None
    return None


class RequestObserverMiddleware:
    """Gives every HTTP request an id (the client's `X-Request-ID` when it is sane, else a new
    one), echoes it in the response, logs one line per request and hands a `RequestRecord` to
    each observer (the Prometheus counters). It only wraps `send`: bodies stream through
    untouched, and WebSockets pass by."""

    def __init__(
        self, app: ASGIApp, *, observers: Sequence[Callable[[RequestRecord], None]] = ()
    ) -> None:
        self.app = app
        self.observers = tuple(observers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or uuid.uuid4().hex
        context_token = REQUEST_ID.set(request_id)
        status = 500  # what the client gets if the app fails before it answers
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            method = scope.get("method", "")
            record = RequestRecord(
                method=method if method in KNOWN_METHODS else "OTHER",
                route=route_template(scope),
                status=status,
                duration_s=time.perf_counter() - started,
            )
            for observe in self.observers:
                observe(record)
            _log_request(record)
            REQUEST_ID.reset(context_token)


def _log_request(record: RequestRecord) -> None:
    quiet = record.route in QUIET_ROUTES and record.status < 400
    duration_ms = round(record.duration_s * 1000, 1)
    request_log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %d %.1f ms",
        record.method,
        record.route,
        record.status,
        duration_ms,
        extra={
            "method": record.method,
            "route": record.route,
            "status": record.status,
            "duration_ms": duration_ms,
        },
    )

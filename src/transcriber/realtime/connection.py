"""The `/api/v1/ws` protocol: authenticate, replay what was missed, then stream live events.

Close codes: 1008 (policy violation) for a missing, invalid or expired credential, a refused
origin or too many connections; 1013 (try again later) for a client too slow to keep up.

A credential is checked again while the socket is open: at its expiry (an access token lives
minutes) and every `events.recheck_s` (logout, a revoked key, a disabled account). A client
sends `{"type": "auth", "token": "<new>"}` after refreshing its token to stay connected."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from transcriber.audit.service import AuditLog, ClientContext
from transcriber.auth.service import AuthService
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.errors import TranscriberError
from transcriber.kit.validation import MAX_ROW_NUMBER
from transcriber.realtime.hub import EventHub, Listener, TooManyConnections
from transcriber.realtime.service import EventService, event_message
from transcriber.runtime import Runtime

ACCESS_COOKIE = "transcriber_access"
SUBPROTOCOL = "bearer"
POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013
SEND_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: uuid.UUID
    is_admin: bool
    credential: str
    expires_at: datetime | None


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _authenticate(runtime: Runtime, credential: str, context: ClientContext) -> Caller:
    with transaction(runtime.sessions) as session:
        auth = AuthService(
            session,
            runtime.settings,
            runtime.secret_key,
            runtime.limiter,
            AuditLog(session, context),
        )
        principal = auth.authenticate(credential)
        return Caller(
            principal.user.id, principal.user.role == "admin", credential, principal.expires_at
        )


def _replay(
    runtime: Runtime, owner_id: uuid.UUID | None, after: int, up_to: int
) -> tuple[list[str], bool]:
    with transaction(runtime.sessions) as session:
        events, truncated = EventService(session, runtime.settings).replay(owner_id, after, up_to)
        return [json.dumps(event_message(e)) for e in events], truncated


def _event_id(value: object) -> int | None:
    """An event id a client sent, if it is one (not a bool, not out of the database's range)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ROW_NUMBER:
        return value
    return None


def _same_origin(websocket: WebSocket, runtime: Runtime) -> bool:
    """A cookie travels with any site's WebSocket: accept it only from our own pages."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser
    if origin in runtime.settings.auth.cors_origins:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


class LiveSocket:
    def __init__(
        self, websocket: WebSocket, runtime: Runtime, hub: EventHub, last_event_id: int | None
    ) -> None:
        self.ws = websocket
        self.runtime = runtime
        self.hub = hub
        self.start_id = last_event_id
        self.send_lock = asyncio.Lock()
        self.replayed_down_to = 0  # events after this id are (or will be) sent live
        self.caller: Caller | None = None
        self.listener: Listener | None = None
        self.credential_changed = asyncio.Event()
        self.ended_because: str | None = None  # why the credential no longer stands

    async def serve(self) -> None:
        try:
            caller = await self._accept()
        except Refused as refused:
            await self._close(POLICY_VIOLATION, refused.reason)
            return
        except WebSocketDisconnect:
            return
        await self.hub.start()
        try:
            listener, live_from = self.hub.add(caller.user_id, caller.is_admin)
        except TooManyConnections:
            limit = self.runtime.settings.events.max_connections_per_user
            await self._close(POLICY_VIOLATION, f"Too many open connections (limit {limit}).")
            return
        try:
            await self._run(caller, listener, live_from)
        finally:
            self.hub.remove(listener)

    # -- handshake ---------------------------------------------------------------------------

    async def _accept(self) -> Caller:
        offered: list[str] = list(self.ws.scope.get("subprotocols") or [])
        context = ClientContext(
            ip=self.ws.client.host if self.ws.client else None,
            user_agent=self.ws.headers.get("user-agent"),
        )
        if SUBPROTOCOL in offered:
            at = offered.index(SUBPROTOCOL)
            credential = offered[at + 1] if at + 1 < len(offered) else ""
            caller = await self._check(credential, context, accept_as=SUBPROTOCOL)
            await self.ws.accept(subprotocol=SUBPROTOCOL)
            return caller
        cookie = self.ws.cookies.get(ACCESS_COOKIE)
        if cookie:
            if not _same_origin(self.ws, self.runtime):
                await self.ws.accept()
                raise Refused("This origin may not use the sign-in cookie.")
            caller = await self._check(cookie, context, accept_as=None)
            await self.ws.accept()
            return caller
        # Credentials in the first message (never in the URL, where they would be logged).
        await self.ws.accept()
        timeout = self.runtime.settings.events.auth_timeout_s
        try:
            message = json.loads(await asyncio.wait_for(self.ws.receive_text(), timeout))
        except TimeoutError:
            raise Refused('Sign in first: send {"type": "auth", "token": "..."}.') from None
        except (ValueError, KeyError, RecursionError):
            raise Refused("The first message must be JSON.") from None
        if (
            not isinstance(message, dict)
            or message.get("type") != "auth"
            or not isinstance(message.get("token"), str)
        ):
            raise Refused('Sign in first: send {"type": "auth", "token": "..."}.')
        if _event_id(message.get("last_event_id")) is not None:
            self.start_id = message["last_event_id"]
        return await self._check(message["token"], context, accept_as=None, accepted=True)

    async def _check(
        self,
        credential: str,
        context: ClientContext,
        *,
        accept_as: str | None,
        accepted: bool = False,
    ) -> Caller:
        """Authenticate before accepting; a refusal is still accepted and then closed with
        1008, so that the client (a browser too) can read why."""
        try:
            if not credential:
                raise Refused("The credential is empty.")
            return await run_in_threadpool(_authenticate, self.runtime, credential, context)
        except TranscriberError as exc:
            if not accepted:
                await self.ws.accept(subprotocol=accept_as)
            raise Refused(exc.detail) from None
        except Refused:
            if not accepted:
                await self.ws.accept(subprotocol=accept_as)
            raise

    # -- streaming ----------------------------------------------------------------------------

    async def _run(self, caller: Caller, listener: Listener, live_from: int) -> None:
        self.caller = caller
        self.listener = listener
        self.replayed_down_to = live_from
        await self._send({"type": "ready", "last_event_id": live_from})
        if self.start_id is not None:
            await self._replay_missed(caller, listener, self.start_id)
        tasks = {
            asyncio.create_task(self._send_loop(listener)),
            asyncio.create_task(self._receive_loop(caller, listener)),
            asyncio.create_task(listener.overflowed.wait()),
            asyncio.create_task(self._watch_credential()),
        }
        _done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.ended_because is not None:
            await self._close(POLICY_VIOLATION, self.ended_because)
        elif listener.overflowed.is_set():
            await self._close(TRY_AGAIN_LATER, "Too slow to keep up; reconnect and resume.")
        else:
            await self._close(1000, "")

    async def _replay_missed(self, caller: Caller, listener: Listener, after: int) -> None:
        """Events in (after, what-this-connection-gets-live], oldest first, each sent once."""
        up_to = self.replayed_down_to
        if after >= up_to:
            return
        owner = None if listener.scope_all else caller.user_id
        texts, truncated = await run_in_threadpool(_replay, self.runtime, owner, after, up_to)
        if truncated:
            await self._send({"type": "replay.truncated", "after": after})
        for text in texts:
            await self._send_text(text)
        self.replayed_down_to = after

    async def _send_loop(self, listener: Listener) -> None:
        while True:
            text = await listener.next_text()
            # asyncio.timeout, not wait_for: no task per message (bench/live_events.py).
            async with asyncio.timeout(SEND_TIMEOUT_S):
                await self._send_text(text)

    async def _receive_loop(self, caller: Caller, listener: Listener) -> None:
        while True:
            try:
                raw = await self.ws.receive_text()
            except WebSocketDisconnect:
                return
            try:
                message = json.loads(raw)
                kind = message.get("type") if isinstance(message, dict) else None
            except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
                kind = None
            if kind == "ping":
                await self._send({"type": "pong"})
            elif kind == "resume" and _event_id(message.get("last_event_id")) is not None:
                await self._replay_missed(caller, listener, message["last_event_id"])
            elif kind == "subscribe" and message.get("scope") == "all":
                if not caller.is_admin:
                    await self._send(
                        {"type": "error", "detail": "Only admins can watch everyone's events."}
                    )
                    continue
                live_from = self.hub.watch_all(listener)
                self.replayed_down_to = min(self.replayed_down_to, live_from)
                await self._send({"type": "subscribed", "scope": "all", "last_event_id": live_from})
            elif kind == "auth" and isinstance(message.get("token"), str):
                await self._renew(caller, message["token"])
            else:
                await self._send(
                    {
                        "type": "error",
                        "detail": "Unknown message; send ping, resume or subscribe.",
                    }
                )

    # -- the credential while the socket is open ----------------------------------------------

    async def _renew(self, caller: Caller, credential: str) -> None:
        """A fresh token for the same account keeps the socket open past the old one's end."""
        context = ClientContext(
            ip=self.ws.client.host if self.ws.client else None,
            user_agent=self.ws.headers.get("user-agent"),
        )
        try:
            renewed = await run_in_threadpool(_authenticate, self.runtime, credential, context)
        except TranscriberError as exc:
            await self._send({"type": "error", "detail": exc.detail})
            return
        if renewed.user_id != caller.user_id:
            await self._send({"type": "error", "detail": "That credential is another account's."})
            return
        self.caller = renewed
        self.credential_changed.set()
        expires = renewed.expires_at.isoformat() if renewed.expires_at else None
        await self._send({"type": "authenticated", "expires_at": expires})

    async def _watch_credential(self) -> None:
        """Returns (ending the connection) once the credential expired or was withdrawn."""
        recheck_s = self.runtime.settings.events.recheck_s
        while True:
            caller = self.caller
            assert caller is not None
            wait_s = recheck_s
            if caller.expires_at is not None:
                wait_s = min(wait_s, (caller.expires_at - utcnow()).total_seconds())
            if wait_s > 0:
                self.credential_changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.credential_changed.wait(), wait_s)
                if self.credential_changed.is_set():
                    continue  # renewed: start over with the new one
            try:
                fresh = await run_in_threadpool(
                    _authenticate, self.runtime, caller.credential, ClientContext()
                )
            except TranscriberError as exc:
                if self.caller is caller:  # not renewed meanwhile
                    self.ended_because = (
                        f"{exc.detail} Send a new token to stay connected, or reconnect."
                    )
                    return
                continue
            watching_all = self.listener is not None and self.listener.scope_all
            if watching_all and not fresh.is_admin:
                self.ended_because = "You are no longer an admin: everyone's events end here."
                return

    async def _send(self, message: dict[str, Any]) -> None:
        await self._send_text(json.dumps(message))

    async def _send_text(self, text: str) -> None:
        async with self.send_lock:
            await self.ws.send_text(text)

    async def _close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, reason=reason[:120])

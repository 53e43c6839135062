"""The fan-out of one API process: one reader of the events table for every connection.

Without Redis the reader polls (`events.poll_interval_s`); with Redis it sleeps until a
worker's after-commit message wakes it (and reads every `events.redis_fallback_poll_s` in
case a message was lost). Either way the events come from the table, so live delivery and
replay never disagree (docs/decisions/0060-live-events.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from transcriber.config import Settings
from transcriber.kit.db import transaction
from transcriber.realtime.models import Event
from transcriber.realtime.publisher import ALL_CHANNEL, user_channel
from transcriber.realtime.service import EventService, event_message

log = logging.getLogger(__name__)

# A missing id may be a transaction that took its id before another one and commits after
# it (PostgreSQL); wait this long for it before giving up on it (a rollback never fills it).
GAP_HOLD_S = 0.5
PRUNE_EVERY_S = 60.0
READ_BATCH = 1000


class TooManyConnections(Exception):
    pass


@dataclass(eq=False)
class Listener:
    """One open WebSocket: whose events it wants and the bounded queue of what to send.

    A job's progress supersedes its earlier progress: a connection that fell behind skips
    the progress events a newer one replaced (each is the whole state), so it catches up
    instead of sending stale ones; every other event is sent, in order."""

    user_id: uuid.UUID
    is_admin: bool
    queue: asyncio.Queue[tuple[str, str | None, int]]
    scope_all: bool = False
    overflowed: asyncio.Event = field(default_factory=asyncio.Event)
    latest_progress: dict[str, int] = field(default_factory=dict)
    serial: int = 0

    def offer(self, text: str, progress_of: str | None = None) -> None:
        if self.overflowed.is_set():
            return
        self.serial += 1
        try:
            self.queue.put_nowait((text, progress_of, self.serial))
        except asyncio.QueueFull:
            self.overflowed.set()  # the connection closes it; others are not slowed
            return
        if progress_of is not None:
            self.latest_progress[progress_of] = self.serial

    async def next_text(self) -> str:
        """The next event to send, skipping progress that a newer one superseded."""
        while True:
            text, progress_of, serial = await self.queue.get()
            if progress_of is None:
                return text
            latest = self.latest_progress.get(progress_of)
            if latest == serial:
                del self.latest_progress[progress_of]
                return text


class EventHub:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.cursor = 0
        self.by_user: dict[uuid.UUID, set[Listener]] = defaultdict(set)
        self.watching_all: set[Listener] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._gap_since: float | None = None
        self._last_prune = 0.0
        self._channels: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.cursor = await run_in_threadpool(self._read_latest_id)
        self._tasks.append(asyncio.create_task(self._read_loop(), name="events-reader"))
        if self.settings.redis_url:
            self._tasks.append(asyncio.create_task(self._redis_loop(), name="events-redis"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    # -- listeners ------------------------------------------------------------------------------

    def add(self, user_id: uuid.UUID, is_admin: bool) -> tuple[Listener, int]:
        """Register a listener; returns it and the last id it will NOT get live (everything
        after it will be), so a replay up to that id joins the live stream without a gap."""
        mine = self.by_user[user_id]
        if len(mine) >= self.settings.events.max_connections_per_user:
            if not mine:
                del self.by_user[user_id]
            raise TooManyConnections
        listener = Listener(user_id, is_admin, asyncio.Queue(self.settings.events.send_queue_size))
        if not mine:
            self._channels.put_nowait(("subscribe", user_channel(user_id)))
        mine.add(listener)
        return listener, self.cursor

    def watch_all(self, listener: Listener) -> int:
        if not listener.scope_all:
            listener.scope_all = True
            self._drop_from_user(listener)
            if not self.watching_all:
                self._channels.put_nowait(("subscribe", ALL_CHANNEL))
            self.watching_all.add(listener)
        return self.cursor

    def remove(self, listener: Listener) -> None:
        if listener.scope_all:
            self.watching_all.discard(listener)
            if not self.watching_all:
                self._channels.put_nowait(("unsubscribe", ALL_CHANNEL))
            return
        self._drop_from_user(listener)

    def _drop_from_user(self, listener: Listener) -> None:
        mine = self.by_user.get(listener.user_id)
        if mine is None:
            return
        mine.discard(listener)
        if not mine:
            del self.by_user[listener.user_id]
            self._channels.put_nowait(("unsubscribe", user_channel(listener.user_id)))

    @property
    def connections(self) -> int:
        return sum(len(s) for s in self.by_user.values()) + len(self.watching_all)

    def wake(self) -> None:
        self._wake.set()

    # -- reading the table ----------------------------------------------------------------------

    def _read_latest_id(self) -> int:
        with transaction(self.sessions) as session:
            return EventService(session, self.settings).latest_id()

    def _read_after(self, cursor: int) -> list[tuple[int, uuid.UUID, str, str | None]]:
        """New events as (id, owner, JSON text, the job whose progress it is or None)."""
        with transaction(self.sessions) as session:
            rows = EventService(session, self.settings).new_since(cursor, READ_BATCH)
            return [
                (
                    e.id,
                    e.owner_id,
                    json.dumps(event_message(e)),
                    str(e.job_id) if e.type == "job.progress" and e.job_id else None,
                )
                for e in rows
            ]

    def _prune(self) -> None:
        with transaction(self.sessions) as session:
            EventService(session, self.settings).prune()

    async def _read_loop(self) -> None:
        events = self.settings.events
        interval = (
            events.redis_fallback_poll_s if self.settings.redis_url else events.poll_interval_s
        )
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
            self._wake.clear()
            try:
                more = await self.read_once()
                await self._maybe_prune()
            except Exception:
                log.warning("could not read live events; trying again", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            if more:
                self._wake.set()

    async def read_once(self) -> bool:
        """Deliver what is new; True when there may be more to read at once."""
        rows = await run_in_threadpool(self._read_after, self.cursor)
        now = time.monotonic()
        for event_id, owner_id, text, progress_of in rows:
            if event_id != self.cursor + 1:
                # A gap: wait a moment for a late commit, then accept it as a rollback.
                if self._gap_since is None:
                    self._gap_since = now
                if now - self._gap_since < GAP_HOLD_S:
                    asyncio.get_running_loop().call_later(GAP_HOLD_S / 4, self._wake.set)
                    return False
            self._gap_since = None
            self.cursor = event_id
            self._dispatch(owner_id, text, progress_of)
        return len(rows) >= READ_BATCH

    def _dispatch(self, owner_id: uuid.UUID, text: str, progress_of: str | None) -> None:
        for listener in self.by_user.get(owner_id, ()):
            listener.offer(text, progress_of)
        for listener in self.watching_all:
            listener.offer(text, progress_of)

    async def _maybe_prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune >= PRUNE_EVERY_S:
            self._last_prune = now
            await run_in_threadpool(self._prune)

    # -- Redis wake-ups -------------------------------------------------------------------------

    async def _redis_loop(self) -> None:
        from redis.asyncio import Redis

        assert self.settings.redis_url
        while True:
            client = Redis.from_url(self.settings.redis_url)
            try:
                pubsub = client.pubsub()
                # Listen to whom this process serves (again after a reconnect); requests made
                # from here on are applied in the loop below.
                self._drain_channel_requests()
                wanted = {user_channel(u) for u in self.by_user}
                if self.watching_all:
                    wanted.add(ALL_CHANNEL)
                if wanted:
                    await pubsub.subscribe(*wanted)
                self._wake.set()  # whatever happened while we were not listening
                while True:
                    await self._apply_channel_requests(pubsub)
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    if message is not None and message.get("type") == "message":
                        self._wake.set()
            except asyncio.CancelledError:
                await client.aclose()
                raise
            except Exception as exc:
                log.warning("lost the Redis wake-ups (%s); polling until it is back", exc)
                with contextlib.suppress(Exception):
                    await client.aclose()
                await asyncio.sleep(1.0)

    def _drain_channel_requests(self) -> None:
        while not self._channels.empty():
            self._channels.get_nowait()

    async def _apply_channel_requests(self, pubsub: Any) -> None:
        while not self._channels.empty():
            action, channel = self._channels.get_nowait()
            if action == "subscribe":
                await pubsub.subscribe(channel)
            else:
                await pubsub.unsubscribe(channel)


def get_hub(state: Any, sessions: sessionmaker[Session], settings: Settings) -> EventHub:
    """The hub of this process, made on first use (inside the running event loop)."""
    hub: EventHub | None = getattr(state, "event_hub", None)
    if hub is None:
        hub = EventHub(sessions, settings)
        state.event_hub = hub
    return hub


__all__ = ["Event", "EventHub", "Listener", "TooManyConnections", "get_hub"]

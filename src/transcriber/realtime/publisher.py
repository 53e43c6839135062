"""Wake the API processes after a commit: Redis pub/sub carries ids, never the events.

The events table is the source; a lost message only delays delivery until the next
fallback read (docs/decisions/0060-live-events.md)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable

import redis

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "transcriber:events:"
ALL_CHANNEL = f"{CHANNEL_PREFIX}all"

_clients: dict[str, redis.Redis] = {}
_lock = threading.Lock()


def user_channel(owner_id: uuid.UUID | str) -> str:
    return f"{CHANNEL_PREFIX}user:{owner_id}"


def _client(url: str) -> redis.Redis:
    with _lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
            _clients[url] = client
        return client


def publish(url: str, owner_ids: Iterable[uuid.UUID], last_id: int) -> None:
    """Tell listeners of these users (and admins watching all) that events up to `last_id`
    exist. Never raises: the API's fallback read delivers what a failed publish did not."""
    try:
        pipe = _client(url).pipeline(transaction=False)
        for owner_id in set(owner_ids):
            pipe.publish(user_channel(owner_id), str(last_id))
        pipe.publish(ALL_CHANNEL, str(last_id))
        pipe.execute()
    except Exception as exc:  # a Redis blip must not fail the committed work
        log.warning("could not publish live events to Redis: %s", exc)

"""Rate limits with the `limits` library: in memory on one machine, in Redis across many."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from transcriber.kit.errors import TranscriberError

# A Redis that stops answering must not hold sign-ins (and request threads) for long.
REDIS_TIMEOUT_S = 2.0
STORAGE_DOWN_RETRY_S = 5
T = TypeVar("T")


class RateLimited(TranscriberError):
    status_code = 429


class RateLimitsUnavailable(TranscriberError):
    """The shared counter store did not answer. Limits fail closed: guessing passwords
    must not get easier because Redis is down."""

    status_code = 503


class RateLimiter:
    def __init__(self, redis_url: str | None, *, key_prefix: str = "transcriber-limits") -> None:
        if redis_url:
            storage = storage_from_string(
                redis_url,
                key_prefix=key_prefix,
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_S,
                socket_connect_timeout=REDIS_TIMEOUT_S,
            )
        else:
            storage = MemoryStorage()
        if not isinstance(storage, Storage):  # the asyncio variants are for async apps
            raise TypeError(f"expected a synchronous limits storage for {redis_url!r}")
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(self.storage)

    def check(self, rule: str, *keys: str, message: str) -> None:
        """Raise 429 (with Retry-After) if the limit is already used up; counts nothing."""
        item = parse(rule)
        if not self._ask(lambda: self.limiter.test(item, *keys)):
            raise self._limited(rule, keys, message)

    def hit(self, rule: str, *keys: str, message: str) -> None:
        """Count one attempt; raise 429 if this one is over the limit."""
        item = parse(rule)
        if not self._ask(lambda: self.limiter.hit(item, *keys)):
            raise self._limited(rule, keys, message)

    def reset(self, rule: str, *keys: str) -> None:
        self._ask(lambda: self.limiter.clear(parse(rule), *keys))

    def _limited(self, rule: str, keys: tuple[str, ...], message: str) -> RateLimited:
        stats = self._ask(lambda: self.limiter.get_window_stats(parse(rule), *keys))
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimited(
            message, headers={"Retry-After": str(retry_after)}, retry_after_s=retry_after
        )

    @staticmethod
    def _ask(call: Callable[[], T]) -> T:
        try:
            return call()
        except StorageError as exc:
            raise RateLimitsUnavailable(
                "The rate-limit store (Redis) is not answering; try again in a moment.",
                headers={"Retry-After": str(STORAGE_DOWN_RETRY_S)},
            ) from exc

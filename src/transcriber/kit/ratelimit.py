"""Rate limits with the `limits` library: in memory on one machine, in Redis across many."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from transcriber.kit.errors import TranscriberError


class RateLimited(TranscriberError):
    status_code = 429


class RateLimiter:
    def __init__(self, redis_url: str | None) -> None:
        storage = storage_from_string(redis_url) if redis_url else MemoryStorage()
        if not isinstance(storage, Storage):  # the asyncio variants are for async apps
            raise TypeError(f"expected a synchronous limits storage for {redis_url!r}")
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(self.storage)

    def check(self, rule: str, *keys: str, message: str) -> None:
        """Raise 429 (with Retry-After) if the limit is already used up; counts nothing."""
        item = parse(rule)
        if not self.limiter.test(item, *keys):
            raise self._limited(rule, keys, message)

    def hit(self, rule: str, *keys: str, message: str) -> None:
        """Count one attempt; raise 429 if this one is over the limit."""
        item = parse(rule)
        if not self.limiter.hit(item, *keys):
            raise self._limited(rule, keys, message)

    def reset(self, rule: str, *keys: str) -> None:
        self.limiter.clear(parse(rule), *keys)

    def _limited(self, rule: str, keys: tuple[str, ...], message: str) -> RateLimited:
        stats = self.limiter.get_window_stats(parse(rule), *keys)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimited(
            message, headers={"Retry-After": str(retry_after)}, retry_after_s=retry_after
        )

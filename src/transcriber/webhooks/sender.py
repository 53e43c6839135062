"""Sending webhook deliveries, on the worker side (docs/decisions/0103-webhook-sending.md).

The scheduler's maintenance tick (one process at a time, the holder of the maintenance lease)
calls `deliver_webhooks`: it claims the deliveries that are due, as many as this process has
free sender threads, and hands them to a small thread pool of its own. The tick never waits for
a receiver, and no transcription slot is ever spent on one: a slow or dead receiver only
occupies a sender thread for at most `webhooks.timeout_s`.
"""

from __future__ import annotations

import logging
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from transcriber.config import Settings
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.errors import TranscriberError
from transcriber.kit.fetch import NetworkPolicy, post_pinned
from transcriber.webhooks.service import DueDelivery, WebhookService, signed_headers

log = logging.getLogger(__name__)

EXCERPT_BYTES = 2048


class DeliverySender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.policy = NetworkPolicy.from_settings(settings.fetch)
        self._pool = ThreadPoolExecutor(
            max_workers=settings.webhooks.concurrency, thread_name_prefix="webhook-sender"
        )
        self._lock = threading.Lock()
        self._in_flight = 0

    def tick(self, sessions: sessionmaker[Session]) -> list[Future[None]]:
        """Claim what is due (up to the free threads) and start sending it; returns at once."""
        with self._lock:
            free = self.settings.webhooks.concurrency - self._in_flight
        if free <= 0:
            return []
        with transaction(sessions) as session:
            due = WebhookService(session, self.settings).claim_due(utcnow(), free)
        futures: list[Future[None]] = []
        for delivery in due:
            with self._lock:
                self._in_flight += 1
            futures.append(self._pool.submit(self._send, sessions, delivery))
        return futures

    def send_now(self, sessions: sessionmaker[Session], delivery: DueDelivery) -> None:
        """One attempt in this thread (the pool's threads run this)."""
        at = utcnow()
        code: int | None = None
        excerpt: str | None = None
        error: str | None = None
        try:
            code, excerpt = post_pinned(
                delivery.url,
                self.policy,
                body=delivery.payload.encode(),
                headers=signed_headers(delivery.message_id, delivery.secret, delivery.payload, at),
                timeout_s=self.settings.webhooks.timeout_s,
                excerpt_bytes=EXCERPT_BYTES,
            )
        except TranscriberError as exc:
            error = exc.detail
        except Exception as exc:  # a bug here must not lose the record of the attempt
            log.exception("webhook delivery %s failed unexpectedly", delivery.id)
            error = f"{type(exc).__name__}: {exc}"
        with transaction(sessions) as session:
            WebhookService(session, self.settings).record_attempt(
                delivery.id, response_code=code, excerpt=excerpt, error=error, at=utcnow()
            )

    def _send(self, sessions: sessionmaker[Session], delivery: DueDelivery) -> None:
        try:
            self.send_now(sessions, delivery)
        except Exception:
            # The record failed (database gone): the hold runs out and it is sent again.
            log.warning("could not record webhook delivery %s", delivery.id, exc_info=True)
        finally:
            with self._lock:
                self._in_flight -= 1


_senders: weakref.WeakKeyDictionary[sessionmaker[Session], DeliverySender] = (
    weakref.WeakKeyDictionary()
)
_senders_lock = threading.Lock()


def sender_for(sessions: sessionmaker[Session], settings: Settings) -> DeliverySender:
    """The one sender (and thread pool) of this process for this database."""
    with _senders_lock:
        sender = _senders.get(sessions)
        if sender is None:
            sender = _senders[sessions] = DeliverySender(settings)
        return sender


def deliver_webhooks(sessions: sessionmaker[Session], settings: Settings) -> int:
    """The maintenance duty: start sending the due deliveries; returns how many were started.
    Never raises: a webhook problem must not stop the scheduler's other work."""
    try:
        return len(sender_for(sessions, settings).tick(sessions))
    except Exception:
        log.warning("could not start webhook deliveries; trying again next tick", exc_info=True)
        return 0

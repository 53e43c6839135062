from __future__ import annotations

import uuid
from functools import cached_property

from celery import Celery

from transcriber.config import Settings
from transcriber.worker.celery_app import TRANSCRIPTION_TASK, make_celery


class CeleryDispatcher:
    """Sends job ids to the broker; the API never imports the engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def celery(self) -> Celery:
        return make_celery(self.settings)

    def dispatch(self, job_id: uuid.UUID, queue: str) -> None:
        self.celery.send_task(TRANSCRIPTION_TASK, args=[str(job_id)], queue=queue)


def broker_reachable(settings: Settings, timeout_s: float = 2.0) -> bool:
    """Whether a connection to the broker can be made now (for readiness)."""
    from kombu import Connection

    try:
        with Connection(settings.resolved_broker_url, connect_timeout=timeout_s) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, timeout=max(1, round(timeout_s))
            )
        return True
    except Exception:
        return False

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

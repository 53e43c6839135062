"""A module-level Celery app for the `celery` command and Flower:
`celery -A transcriber.worker.app:app inspect active` (workers are started with
`transcriber worker`, which builds the same app)."""

from __future__ import annotations

from transcriber.config import get_settings
from transcriber.worker.celery_app import make_celery

app = make_celery(get_settings())

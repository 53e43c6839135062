"""The Celery application. The broker only delivers job ids; the `jobs` table is the truth."""

from __future__ import annotations

from celery import Celery

from transcriber.config import Settings

TRANSCRIPTION_TASK = "transcription.run"


def make_celery(settings: Settings) -> Celery:
    app = Celery("transcriber", broker=settings.resolved_broker_url)
    if settings.resolved_broker_url.startswith("sqla+"):
        settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    app.conf.update(
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="cpu",
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        imports=("transcriber.jobs.tasks",),
    )
    return app

"""The Celery application. The broker only delivers job ids; the `jobs` table is the truth.

Flower and the `celery` command see this app as `transcriber.worker.app:app` (built from the
settings), e.g. `celery -A transcriber.worker.app:app inspect active`; `celery --broker=<url>
flower` works too (docs/scaling.md).
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from transcriber.config import Settings

TRANSCRIPTION_TASK = "transcription.run"

# Publishing to a broker that does not answer: try briefly, then let the scheduler hold the job
# and send it again on its next pass (the request that created it must not hang).
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1.0,
}


def make_celery(settings: Settings) -> Celery:
    app = Celery("transcriber", broker=settings.resolved_broker_url)
    broker_url = settings.resolved_broker_url
    if broker_url.startswith("sqla+"):
        settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    transport_options: dict[str, Any] = {}
    if broker_url.startswith(("redis://", "rediss://")):
        # Fail fast on an unreachable host instead of hanging on connect.
        transport_options["socket_connect_timeout"] = 5
    app.conf.update(
        broker_connection_retry_on_startup=True,
        # A worker waits out a broker outage of any length and reconnects by itself.
        broker_connection_max_retries=None,
        broker_transport_options=transport_options,
        task_publish_retry_policy=PUBLISH_RETRY_POLICY,
        # Late acknowledgement: a message is acked only when its task has returned, so a worker
        # killed mid-job leaves it to be delivered again (the reaper also re-dispatches it).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # Each worker thread reserves one message at a time: nothing waits in a busy worker
        # while another one is idle.
        worker_prefetch_multiplier=1,
        # Running jobs go on through a broker outage; their leases live in the database.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_default_queue=settings.worker.default_queue,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=settings.worker.send_task_events,
        task_send_sent_event=settings.worker.send_task_events,
        imports=("transcriber.jobs.tasks",),
    )
    return app

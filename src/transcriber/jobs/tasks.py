"""The Celery task that transcribes one job. Safe to run twice: only a queued job is claimed."""

from __future__ import annotations

import logging
import threading
import time
import uuid

from celery import shared_task
from sqlalchemy.orm import Session

from transcriber.asr.types import Segment
from transcriber.jobs.service import ClaimedJob, JobService
from transcriber.kit.db import transaction
from transcriber.kit.errors import TranscriberError
from transcriber.worker.celery_app import TRANSCRIPTION_TASK
from transcriber.worker.context import WorkerContext, get_worker_context

log = logging.getLogger(__name__)

# Segments are written in small batches: often enough that a watcher sees text grow within a
# second, rarely enough that a fast model does not turn into a commit per segment.
FLUSH_INTERVAL_S = 0.25


class _NoDispatch:
    def dispatch(self, job_id: uuid.UUID, queue: str) -> None:
        raise RuntimeError("workers do not dispatch jobs")


def _service(ctx: WorkerContext, session: Session) -> JobService:
    return JobService(session, ctx.settings, ctx.storage, _NoDispatch())


class _Heartbeat(threading.Thread):
    """Renews the lease while the model works; notices a cancel even between segments."""

    def __init__(self, ctx: WorkerContext, job_id: uuid.UUID) -> None:
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.ctx, self.job_id = ctx, job_id
        self.stopped = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.ctx.settings.worker.heartbeat_s):
            try:
                with transaction(self.ctx.sessions) as session:
                    if not _service(self.ctx, session).heartbeat(self.job_id, self.ctx.worker_id):
                        self.lost.set()
                        return
            except Exception:
                log.warning(
                    "heartbeat for job %s failed; will try again", self.job_id, exc_info=True
                )


def run_job(ctx: WorkerContext, job_id: uuid.UUID) -> str:
    """Run one job to its end; returns the outcome (for logs and tests)."""
    with transaction(ctx.sessions) as session:
        claimed = _service(ctx, session).claim(job_id, ctx.worker_id)
    if claimed is None:
        log.info("job %s is not queued any more; nothing to do", job_id)
        return "skipped"
    heartbeat = _Heartbeat(ctx, job_id)
    heartbeat.start()
    try:
        return _transcribe(ctx, claimed, heartbeat)
    except TranscriberError as exc:
        reason = exc.detail
    except Exception as exc:
        log.exception("job %s failed", job_id)
        reason = f"Transcription failed: {type(exc).__name__}: {exc}"
    finally:
        heartbeat.stopped.set()
    with transaction(ctx.sessions) as session:
        _service(ctx, session).fail(job_id, ctx.worker_id, reason)
    return "failed"


def _transcribe(ctx: WorkerContext, job: ClaimedJob, heartbeat: _Heartbeat) -> str:
    path = ctx.storage.local_path(job.media_key)
    if not path.is_file():
        raise TranscriberError("The media file of this job is missing from storage.")
    transcription = ctx.engine.transcribe(path, job.options)
    duration = job.duration_s or transcription.duration_s or 0.0
    with transaction(ctx.sessions) as session:
        _service(ctx, session).record_language(
            job.id, ctx.worker_id, transcription.language, transcription.language_probability
        )
    written = 0
    pending: list[Segment] = []
    last_flush = time.monotonic()
    for segment in transcription.segments:
        pending.append(segment)
        if heartbeat.lost.is_set():
            return "stopped"
        if time.monotonic() - last_flush < FLUSH_INTERVAL_S:
            continue
        progress = segment.end / duration if duration else 0.0
        with transaction(ctx.sessions) as session:
            still_mine = _service(ctx, session).append_segments(
                job.id, ctx.worker_id, written, pending, progress
            )
        if not still_mine:
            log.info("job %s was cancelled or reassigned; stopping", job.id)
            return "stopped"
        written += len(pending)
        pending = []
        last_flush = time.monotonic()
    with transaction(ctx.sessions) as session:
        service = _service(ctx, session)
        if pending and not service.append_segments(job.id, ctx.worker_id, written, pending, 1.0):
            return "stopped"
        if not service.complete(job.id, ctx.worker_id):
            return "stopped"
    return "completed"


@shared_task(name=TRANSCRIPTION_TASK, acks_late=True, reject_on_worker_lost=True)
def transcribe_job(job_id: str) -> str:
    try:
        parsed = uuid.UUID(job_id)
    except ValueError:
        log.error("ignoring a task with a malformed job id %r", job_id)
        return "skipped"
    return run_job(get_worker_context(), parsed)

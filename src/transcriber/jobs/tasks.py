"""The Celery task that transcribes one job. Safe to run twice: only a queued job is claimed.

Faults are of two kinds (docs/decisions/0043-transient-and-permanent-faults.md):
* permanent (media that does not decode, options the model cannot honour, a bug): the job
  fails at once with a reason a person can read;
* transient (a database or broker connection lost, the server restarting, out of memory, a
  model this worker cannot load): a failed database write is retried with backoff for up to
  `worker.db_retry_s`, and a job that cannot go on is queued again after an exponential backoff,
  up to `worker.max_attempts` runs; a job whose worker vanished is queued again by the reaper.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from celery import shared_task
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from transcriber.asr.catalog import ModelUnavailable
from transcriber.asr.diarize import diarize_segments
from transcriber.asr.types import Segment
from transcriber.jobs.scheduler import dispatch_waiting
from transcriber.jobs.service import ClaimedJob, JobService
from transcriber.jobs.source import download_source
from transcriber.kit.db import transaction
from transcriber.kit.errors import StorageUnavailable, TranscriberError
from transcriber.worker.celery_app import TRANSCRIPTION_TASK
from transcriber.worker.context import WorkerContext, get_worker_context

log = logging.getLogger(__name__)

# Segments are written in small batches: often enough that a watcher sees text grow within a
# second, rarely enough that a fast model does not turn into a commit per segment.
FLUSH_INTERVAL_S = 0.25
# With speaker labels, the share of the progress bar that transcription takes; labelling the
# speakers takes the rest (bench/RESULTS.md, "Diarization": 0.4 x the time of tiny.en's
# transcription, less next to a larger model).
TRANSCRIPTION_SHARE_WITH_SPEAKERS = 0.7
# Progress while labelling speakers is written at most this often.
SPEAKER_PROGRESS_INTERVAL_S = 1.0
# First wait before retrying a failed database write; doubles up to the cap.
DB_RETRY_FIRST_S = 0.2
DB_RETRY_MAX_S = 5.0

T = TypeVar("T")


class _NoDispatch:
    def dispatch(self, job_id: uuid.UUID, queue: str) -> None:
        raise RuntimeError("the job service of a task does not dispatch; the scheduler does")


def _service(ctx: WorkerContext, session: Session) -> JobService:
    return JobService(session, ctx.settings, ctx.storage, _NoDispatch())


def is_transient_db_error(exc: BaseException) -> bool:
    """The database connection failed (dropped, refused, server restarting, locked), not the
    statement: the same write may well work a moment later."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.DisconnectionError
    )


def is_transient(exc: BaseException) -> bool:
    """Worth another try later: lost connections (database, broker), timeouts, out of memory."""
    if is_transient_db_error(exc):
        return True
    if isinstance(exc, MemoryError | ConnectionError | TimeoutError):
        return True
    try:
        from kombu.exceptions import OperationalError as BrokerError
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - both come with celery[redis]
        return False
    if isinstance(exc, BrokerError | RedisConnectionError | RedisTimeoutError):
        return True
    return is_out_of_memory(exc)


def is_out_of_memory(exc: BaseException) -> bool:
    """Host memory, or a GPU's (CTranslate2 raises RuntimeError "CUDA failed with error out of
    memory"): a smaller batch may fit."""
    if isinstance(exc, MemoryError):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


class _JobTiming(threading.local):
    """Where one job's time goes, per worker thread (logged when the job ends)."""

    db_s: float = 0.0
    transactions: int = 0


_timing = _JobTiming()


class DatabaseUnavailable(Exception):
    """The database stayed unreachable for longer than `worker.db_retry_s`."""


def with_db(ctx: WorkerContext, work: Callable[[JobService, bool], T], what: str) -> T:
    """Run `work` in a transaction of its own; a transient database error is retried with
    backoff for up to `worker.db_retry_s` (`work` is told when it runs again)."""
    deadline = time.monotonic() + ctx.settings.worker.db_retry_s
    delay = DB_RETRY_FIRST_S
    retrying = False
    while True:
        started = time.perf_counter()
        try:
            with transaction(ctx.sessions) as session:
                result = work(_service(ctx, session), retrying)
            _timing.db_s += time.perf_counter() - started
            _timing.transactions += 1
            return result
        except Exception as exc:
            _timing.db_s += time.perf_counter() - started
            _timing.transactions += 1
            if not is_transient_db_error(exc):
                raise
            if time.monotonic() + delay > deadline:
                raise DatabaseUnavailable(f"the database did not answer while {what}") from exc
            log.warning("database error while %s; retrying in %.1f s: %s", what, delay, exc)
            time.sleep(delay)
            delay = min(delay * 2, DB_RETRY_MAX_S)
            retrying = True


def run_job(ctx: WorkerContext, job_id: uuid.UUID) -> str:
    """Run one job to its end; returns the outcome (for logs and tests): completed, failed,
    stopped (cancelled, deleted or taken away), requeued (transient fault), skipped (not
    queued: a duplicate delivery) or deferred (the database did not answer the claim)."""
    _timing.db_s, _timing.transactions = 0.0, 0
    job_started = time.perf_counter()
    try:
        claimed = with_db(ctx, lambda jobs, _: jobs.claim(job_id, ctx.worker_id), "claiming")
    except DatabaseUnavailable:
        log.warning("job %s: could not claim it; the scheduler will send it again", job_id)
        return "deferred"
    if claimed is None:
        log.info("job %s is not queued any more; nothing to do", job_id)
        return "skipped"
    stop = ctx.watch.add(job_id)
    try:
        outcome = _run_claimed(ctx, claimed, stop)
    finally:
        ctx.watch.remove(job_id)
    job_s = time.perf_counter() - job_started
    dispatch_started = time.perf_counter()
    _release_next(ctx)
    log.info(
        "job %s %s in %.3f s; database %.3f s in %d transactions; next dispatch %.3f s",
        job_id,
        outcome,
        job_s,
        _timing.db_s,
        _timing.transactions,
        time.perf_counter() - dispatch_started,
    )
    return outcome


def _release_next(ctx: WorkerContext) -> None:
    """A slot is free: let the scheduler send the next job at once (not at its next tick)."""
    try:
        dispatch_waiting(
            ctx.sessions, ctx.settings, ctx.sender, ctx.settings.worker.consumed_queues
        )
    except Exception:
        log.warning("could not release the next job; the scheduler will", exc_info=True)


def _run_claimed(ctx: WorkerContext, job: ClaimedJob, stop: threading.Event) -> str:
    try:
        if job.media_key is None:
            downloaded = _download(ctx, job, stop)
            if downloaded is None:
                return "stopped"
            job = downloaded
        ctx.prepare_model(job.options.model)
        return _transcribe(ctx, job, stop)
    except ModelUnavailable as exc:
        return _give_back(
            ctx, job.id, f"This worker cannot load model {job.options.model!r}: {exc.detail}"
        )
    except StorageUnavailable as exc:
        return _give_back(ctx, job.id, exc.detail)
    except TranscriberError as exc:
        reason = exc.detail
    except DatabaseUnavailable:
        log.warning("job %s: the database is gone; the reaper will queue it again", job.id)
        return "stopped"
    except Exception as exc:
        if is_transient(exc):
            return _give_back(
                ctx, job.id, f"{type(exc).__name__}: {exc}", out_of_memory=is_out_of_memory(exc)
            )
        log.exception("job %s failed", job.id)
        reason = f"Transcription failed: {type(exc).__name__}: {exc}"
    try:
        failed = with_db(ctx, lambda jobs, _: jobs.fail(job.id, ctx.worker_id, reason), "failing")
    except DatabaseUnavailable:
        return "stopped"
    return "failed" if failed else "stopped"


def _download(ctx: WorkerContext, job: ClaimedJob, stop: threading.Event) -> ClaimedJob | None:
    """Media from a URL: download and probe it, then record it on the job; None when the job
    was cancelled or taken away meanwhile. A bad download raises with a readable reason."""
    if not job.source_url or job.owner_id is None:
        raise TranscriberError("The media of this job is missing from storage.")
    fetched = download_source(
        ctx.settings,
        ctx.storage,
        owner_id=job.owner_id,
        job_id=job.id,
        url=job.source_url,
        filename=job.filename,
        max_bytes=job.download_max_bytes,
        should_stop=stop.is_set,
    )
    try:
        attached = with_db(
            ctx,
            lambda jobs, _: jobs.attach_media(job.id, ctx.worker_id, fetched),
            "recording the downloaded media",
        )
    except BaseException:
        ctx.storage.delete(fetched.media_key)
        raise
    if not attached:
        ctx.storage.delete(fetched.media_key)
        return None
    return dataclasses.replace(job, media_key=fetched.media_key, duration_s=fetched.info.duration_s)


def _give_back(
    ctx: WorkerContext, job_id: uuid.UUID, reason: str, *, out_of_memory: bool = False
) -> str:
    try:
        status = with_db(
            ctx,
            lambda jobs, _: jobs.give_back(
                job_id, ctx.worker_id, reason, out_of_memory=out_of_memory
            ),
            "requeueing",
        )
    except DatabaseUnavailable:
        return "stopped"
    return {"queued": "requeued", "failed": "failed"}.get(status or "", "stopped")


def _append(
    job_id: uuid.UUID,
    worker_id: str,
    first_idx: int,
    batch: list[Segment],
    progress: float,
    jobs: JobService,
    retrying: bool,
) -> bool:
    return jobs.append_segments(job_id, worker_id, first_idx, batch, progress, resume=retrying)


def _transcribe(ctx: WorkerContext, job: ClaimedJob, stop: threading.Event) -> str:
    """Transcribe from a local file: the stored one, or (object storage) a temporary download
    that is removed when the job ends, however it ends."""
    if job.media_key is None or not ctx.storage.exists(job.media_key):
        raise TranscriberError("The media file of this job is missing from storage.")
    with ctx.storage.open_local(job.media_key) as path:
        return _transcribe_file(ctx, job, path, stop)


def _transcribe_file(ctx: WorkerContext, job: ClaimedJob, path: Path, stop: threading.Event) -> str:
    transcription = ctx.engine.transcribe(path, job.options)
    segments = transcription.segments
    share = 1.0 if job.speakers is None else TRANSCRIPTION_SHARE_WITH_SPEAKERS
    try:
        duration = job.duration_s or transcription.duration_s or 0.0
        if not with_db(
            ctx,
            lambda jobs, _: jobs.record_language(
                job.id,
                ctx.worker_id,
                transcription.language,
                transcription.language_probability,
            ),
            "recording the language",
        ):
            return "stopped"
        written = 0
        pending: list[Segment] = []
        spans: list[tuple[float, float]] = []
        last_flush = time.monotonic()
        for segment in segments:
            pending.append(segment)
            spans.append((segment.start, segment.end))
            if stop.is_set():
                log.info("job %s was cancelled or reassigned; stopping", job.id)
                return "stopped"
            if time.monotonic() - last_flush < FLUSH_INTERVAL_S:
                continue
            progress = share * segment.end / duration if duration else 0.0
            if not with_db(
                ctx,
                functools.partial(_append, job.id, ctx.worker_id, written, list(pending), progress),
                "writing segments",
            ):
                log.info("job %s was cancelled or reassigned; stopping", job.id)
                return "stopped"
            written += len(pending)
            pending = []
            last_flush = time.monotonic()
        if stop.is_set():
            return "stopped"
        speakers: list[str | None] | None = None
        if job.speakers is not None:
            # The whole text is there to read while the speakers are found.
            if pending and not with_db(
                ctx,
                functools.partial(_append, job.id, ctx.worker_id, written, list(pending), share),
                "writing segments",
            ):
                return "stopped"
            written += len(pending)
            pending = []
            speakers = _find_speakers(ctx, job, path, spans, duration, share, stop)
            if speakers is None:
                return "stopped"
        batch, first = list(pending), written

        def finish(jobs: JobService, retrying: bool) -> bool:
            if batch and not jobs.append_segments(
                job.id, ctx.worker_id, first, batch, 1.0, resume=retrying
            ):
                return False
            if speakers is not None and not jobs.label_speakers(job.id, ctx.worker_id, speakers):
                return False
            return jobs.complete(job.id, ctx.worker_id)

        return "completed" if with_db(ctx, finish, "completing") else "stopped"
    finally:
        close = getattr(segments, "close", None)
        if callable(close):
            close()  # stops the decoder when we leave early


def _find_speakers(
    ctx: WorkerContext,
    job: ClaimedJob,
    path: Path,
    spans: list[tuple[float, float]],
    duration: float,
    share: float,
    stop: threading.Event,
) -> list[str | None] | None:
    """Speaker labels for the job's segments (the audio decoded once more, in windows), with
    progress from `share` towards 1; None when the job was cancelled or taken away."""
    lost = threading.Event()
    last_report = time.monotonic()

    def on_progress(done: float) -> None:
        nonlocal last_report
        if time.monotonic() - last_report < SPEAKER_PROGRESS_INTERVAL_S:
            return
        last_report = time.monotonic()
        progress = share + (1.0 - share) * done
        if not with_db(
            ctx,
            lambda jobs, _: jobs.report_progress(job.id, ctx.worker_id, progress),
            "reporting progress",
        ):
            lost.set()

    started = time.perf_counter()
    labels = diarize_segments(
        path,
        spans,
        options=job.speakers,
        duration_s=duration or None,
        on_progress=on_progress,
        should_stop=lambda: stop.is_set() or lost.is_set(),
    )
    if labels is not None:
        log.info(
            "job %s: %d speakers in %d segments in %.2f s",
            job.id,
            len({label for label in labels if label}),
            len(labels),
            time.perf_counter() - started,
        )
    return labels


@shared_task(name=TRANSCRIPTION_TASK, acks_late=True, reject_on_worker_lost=True)
def transcribe_job(job_id: str) -> str:
    try:
        parsed = uuid.UUID(job_id)
    except ValueError:
        log.error("ignoring a task with a malformed job id %r", job_id)
        return "skipped"
    return run_job(get_worker_context(), parsed)

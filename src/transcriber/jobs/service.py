"""The rules about jobs, shared by the API and the worker. Services flush; callers commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, BinaryIO
from urllib.parse import unquote

import httpx
from sqlalchemy.orm import Session, sessionmaker

from transcriber.asr.catalog import (
    ModelUnavailable,
    effective_batch_size,
    list_models,
    model_is_multilingual,
)
from transcriber.asr.diarize import SpeakerOptions, require_diarization
from transcriber.asr.types import Segment, TranscribeOptions
from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.repository import JobRepository
from transcriber.jobs.routing import queue_for_model
from transcriber.jobs.scheduler import Dispatcher as Dispatcher
from transcriber.jobs.scheduler import dispatch_waiting
from transcriber.jobs.schemas import JobOptions
from transcriber.jobs.source import FetchedMedia, probe_stored
from transcriber.kit.db import utcnow
from transcriber.kit.errors import Conflict, NotFound, PayloadTooLarge, Unprocessable
from transcriber.kit.fetch import NetworkPolicy, check_url
from transcriber.kit.filenames import clean_filename, safe_suffix
from transcriber.kit.pagination import decode_cursor, encode_cursor
from transcriber.kit.storage import Storage
from transcriber.realtime.service import EventService
from transcriber.transcripts.models import TranscriptSegment, TranscriptWord
from transcriber.usage.service import UsageService, storage_quota_exceeded
from transcriber.users.models import User
from transcriber.webhooks.service import new_secret
from transcriber.worker.enqueue import after_commit

log = logging.getLogger(__name__)

RETRIED_BY_OWNER = "Retried by its owner."


@dataclass(frozen=True, slots=True)
class _Plan:
    model: str
    callback_url: str | None
    callback_secret: str | None


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """Media already in `Storage` and probed, ready to become a job."""

    key: str
    size_bytes: int
    duration_s: float
    container: str | None


def media_key(owner_id: uuid.UUID, folder_id: uuid.UUID, filename: str) -> str:
    """Where a user's original media is stored; made here, never by clients."""
    return f"{owner_id}/{folder_id}/original{safe_suffix(filename)}"


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """What a worker needs to run a job, detached from any session."""

    id: uuid.UUID
    media_key: str | None
    duration_s: float | None
    options: TranscribeOptions
    owner_id: uuid.UUID | None = None
    filename: str = "media"
    # Media from a URL not downloaded yet: where from, and how many bytes it may have.
    source_url: str | None = None
    download_max_bytes: int = 0
    # Speaker labels asked for (diarize=true), with the job's bounds; None when not.
    speakers: SpeakerOptions | None = None


class JobService:
    def __init__(
        self, session: Session, settings: Settings, storage: Storage, dispatcher: Dispatcher
    ) -> None:
        self.session = session
        self.settings = settings
        self.storage = storage
        self.dispatcher = dispatcher
        self.jobs = JobRepository(session)
        self.events = EventService(session, settings)

    # -- API side ---------------------------------------------------------------------------

    def create_from_stream(
        self,
        owner: User,
        source: BinaryIO,
        filename: str | None,
        options: JobOptions,
    ) -> Job:
        """Store the bytes, probe them, and queue a job; bad media or no quota keeps nothing."""
        plan = self._plan(owner, options)
        usage = UsageService(self.session, self.settings)
        storage_left = usage.storage_left(owner)
        display_name = clean_filename(filename)
        job_id = uuid.uuid4()
        key = media_key(owner.id, job_id, display_name)
        limit = self.settings.limits.max_upload_bytes
        try:
            size = self.storage.save(
                key,
                source,
                max_bytes=limit if storage_left is None else min(limit, storage_left),
            )
        except PayloadTooLarge:
            if storage_left is not None and storage_left < limit:
                raise storage_quota_exceeded(storage_left) from None
            raise
        try:
            info = probe_stored(self.settings, self.storage, key)
            return self.create_from_media(
                owner,
                StoredMedia(key, size, info.duration_s, info.container),
                display_name,
                options,
                job_id=job_id,
                plan=plan,
            )
        except BaseException:
            self.storage.delete(key)
            raise

    def create_from_media(
        self,
        owner: User,
        media: StoredMedia,
        filename: str,
        options: JobOptions,
        *,
        job_id: uuid.UUID | None = None,
        plan: _Plan | None = None,
    ) -> Job:
        """Queue a job for media already in storage and probed: the one way every upload
        path (multipart, tus) makes a job. Raises (and writes nothing) on a bad option or quota;
        the caller decides what happens to the media then."""
        plan = plan or self._plan(owner, options)
        UsageService(self.session, self.settings).check_new_job(owner, media.duration_s)
        return self._add_job(
            job_id or uuid.uuid4(),
            owner,
            plan,
            options,
            filename=filename,
            media_key=media.key,
            media_bytes=media.size_bytes,
            duration_s=media.duration_s,
            container=media.container,
        )

    def create_from_url(self, owner: User, url: str, options: JobOptions) -> Job:
        """Queue a job whose media a worker downloads from `url` first (docs/api.md, "Media
        from a URL"); a URL that leads to a refused address is a 422 here and now."""
        plan = self._plan(owner, options)
        source = check_url(url, NetworkPolicy.from_settings(self.settings.fetch))
        name = unquote(httpx.URL(source).path.rstrip("/").rsplit("/", 1)[-1])
        return self._add_job(
            uuid.uuid4(),
            owner,
            plan,
            options,
            filename=clean_filename(name, fallback="download"),
            source_url=source,
            media_key=None,
            media_bytes=0,
        )

    def _plan(self, owner: User, options: JobOptions) -> _Plan:
        """What every new job checks before any byte is stored: model, task, quotas, and the
        callback URL (given its own signing secret)."""
        model = self.check_options(options)
        self.check_can_upload(owner, None)
        if options.callback_url is None:
            return _Plan(model, None, None)
        callback = check_url(options.callback_url, NetworkPolicy.from_settings(self.settings.fetch))
        return _Plan(model, callback, new_secret())

    def _add_job(
        self,
        job_id: uuid.UUID,
        owner: User,
        plan: _Plan,
        options: JobOptions,
        **media: Any,
    ) -> Job:
        job = Job(
            id=job_id,
            owner_id=owner.id,
            status="queued",
            model=plan.model,
            requested_language=options.language,
            task=options.task,
            word_timestamps=options.word_timestamps,
            vad=options.vad,
            initial_prompt=options.initial_prompt,
            diarize=options.diarize,
            min_speakers=options.min_speakers,
            max_speakers=options.max_speakers,
            queue=queue_for_model(self.settings, plan.model),
            callback_url=plan.callback_url,
            callback_secret=plan.callback_secret,
            **media,
        )
        self.session.add(job)
        self.session.flush()
        self.events.job_created(job)
        self._dispatch_after_commit(job)
        return job

    def check_options(self, options: JobOptions) -> str:
        """The model the options name (or the default) if this server can run them."""
        model = options.model or self.settings.default_model
        self._check_model(model)
        if options.task == "translate" and model_is_multilingual(model) is False:
            raise Unprocessable(
                f"{model} understands English only, so it cannot translate; choose a "
                "multilingual model such as `base`.",
                field="task",
            )
        if options.diarize:
            require_diarization()
        return model

    def check_can_upload(self, owner: User, declared_bytes: int | None) -> None:
        """Refuse early, before any byte is read, what the size limit or a quota will refuse."""
        limit = self.settings.limits.max_upload_bytes
        if declared_bytes is not None and declared_bytes > limit:
            raise PayloadTooLarge(f"The file is larger than the limit of {limit:,} bytes.")
        usage = UsageService(self.session, self.settings)
        usage.check_new_job(owner, None)
        if declared_bytes is not None:
            usage.check_storage(owner, declared_bytes)

    def _check_model(self, name: str) -> None:
        """Clients pick from the catalog; folder paths are for operators, never for requests."""
        names = [entry.name for entry in list_models(self.settings)]
        if name != self.settings.default_model and name not in names:
            raise ModelUnavailable(
                f"Unknown model {name!r}; this server offers: {', '.join(names)}.", model=name
            )

    def _dispatch_after_commit(self, job: Job) -> None:
        """After the commit, let the scheduler release what the free worker slots allow (this
        job, or another user's that waited longer: docs/decisions/0041-fair-share-scheduler.md).
        """
        queue = job.queue
        bind = self.session.get_bind()

        def send() -> None:
            try:
                dispatch_waiting(
                    sessionmaker(bind, expire_on_commit=False),
                    self.settings,
                    self.dispatcher,
                    [queue],
                )
            except Exception:
                # The row stays queued and held; the maintenance pass sends it later.
                log.exception("could not release queue %s to the broker", queue)

        after_commit(self.session, send)

    def get_owned(self, owner: User, job_id: uuid.UUID) -> Job:
        job = self.jobs.get_for_owner(job_id, owner.id)
        if job is None:
            raise NotFound("Job not found.")
        return job

    def list_owned(
        self,
        owner: User,
        *,
        status: str | None,
        query: str | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[Sequence[Job], str | None]:
        return self._page(owner.id, status=status, query=query, cursor=cursor, limit=limit)

    def list_all(
        self, *, owner_id: uuid.UUID | None, status: str | None, cursor: str | None, limit: int
    ) -> tuple[Sequence[Job], str | None]:
        """Every user's jobs (or one user's), for admins."""
        return self._page(owner_id, status=status, query=None, cursor=cursor, limit=limit)

    def _page(
        self,
        owner_id: uuid.UUID | None,
        *,
        status: str | None,
        query: str | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[Sequence[Job], str | None]:
        after = decode_cursor(cursor) if cursor else None
        rows = self.jobs.list_for_owner(
            owner_id, status=status, filename_query=query, after=after, limit=limit + 1
        )
        page = rows[:limit]
        has_more = len(rows) > limit
        return page, encode_cursor(page[-1].created_at, page[-1].id) if has_more else None

    def cancel(self, owner: User, job_id: uuid.UUID) -> Job:
        """Stop a queued or running job. A running one's worker notices within
        `worker.poll_s` and stops; what it wrote is kept, marked partial."""
        job = self.get_owned(owner, job_id)
        if not self.jobs.cancel(job.id, utcnow()):
            self.session.refresh(job)
            raise Conflict(f"The job is already {job.status} and cannot be cancelled.")
        self.session.refresh(job)
        self.events.job_finished(job.id, "cancelled")
        self._dispatch_after_commit(job)  # its slot is free for the next job
        return job

    def retry(self, owner: User, job_id: uuid.UUID) -> Job:
        job = self.get_owned(owner, job_id)
        if job.status not in ("failed", "cancelled"):
            raise Conflict(
                f"Only failed or cancelled jobs can be retried; this one is {job.status}."
            )
        has_media = bool(job.media_key) and self.storage.exists(job.media_key or "")
        if not has_media and not job.source_url:
            raise Conflict("The original media of this job is gone, so it cannot be retried.")
        if not has_media:
            job.media_key, job.media_bytes = None, 0  # downloaded again from its URL
        self.jobs.delete_segments(job.id)
        job.status = "queued"
        job.progress = 0.0
        job.error = None
        job.partial = False
        job.started_at = None
        job.finished_at = None
        job.attempts = 0
        job.lease_owner = None
        job.lease_expires_at = None
        job.dispatched_at = None
        job.retry_at = None
        job.queue_reason = RETRIED_BY_OWNER
        self.session.flush()
        self.events.job_queued(job.id, RETRIED_BY_OWNER)
        self._dispatch_after_commit(job)
        return job

    def delete(self, owner: User, job_id: uuid.UUID, audit: AuditLog) -> None:
        job = self.get_owned(owner, job_id)
        self.delete_job(job, audit, actor=owner)

    def delete_job(self, job: Job, audit: AuditLog, *, actor: User) -> None:
        """Delete a job, its transcript and (after the commit) its media."""
        audit.record(
            "job.deleted", actor=actor, target_type="job", target_id=job.id, filename=job.filename
        )
        media_key = job.media_key
        self.session.delete(job)
        self.session.flush()
        if media_key:
            delete_media_after_commit(self.session, self.storage, key=media_key)

    # -- worker side ------------------------------------------------------------------------

    def claim(self, job_id: uuid.UUID, worker_id: str) -> ClaimedJob | None:
        """Take a queued job for this worker, or None if it is not (or no longer) queued."""
        now = utcnow()
        lease_until = now + timedelta(seconds=self.settings.worker.lease_s)
        if not self.jobs.claim(job_id, worker_id, now, lease_until):
            return None
        job = self.jobs.get(job_id)
        if job is None or (job.media_key is None and not job.source_url):
            return None
        self.session.refresh(job)
        # A job re-run after its worker died starts clean; (job_id, idx) stays unique.
        self.jobs.delete_segments(job_id)
        download_max_bytes = 0
        if job.media_key is None:
            owner = self.session.get(User, job.owner_id)
            left = UsageService(self.session, self.settings).storage_left(owner) if owner else 0
            download_max_bytes = self.settings.limits.max_upload_bytes
            if left is not None:
                download_max_bytes = min(download_max_bytes, left)
        return ClaimedJob(
            id=job.id,
            media_key=job.media_key,
            duration_s=job.duration_s,
            owner_id=job.owner_id,
            filename=job.filename,
            source_url=job.source_url if job.media_key is None else None,
            download_max_bytes=download_max_bytes,
            options=TranscribeOptions(
                model=job.model,
                language=job.requested_language,
                task="translate" if job.task == "translate" else "transcribe",
                word_timestamps=job.word_timestamps,
                vad=job.vad,
                initial_prompt=job.initial_prompt,
                batch_size=job.batch_size,
            ),
            speakers=SpeakerOptions(job.min_speakers, job.max_speakers) if job.diarize else None,
        )

    def attach_media(self, job_id: uuid.UUID, worker_id: str, media: FetchedMedia) -> bool:
        """The worker downloaded and probed a job's media: record it (False when the job was
        cancelled or taken away meanwhile). Media over this month's quota is refused."""
        job = self.jobs.get(job_id)
        if job is None:
            return False
        owner = self.session.get(User, job.owner_id)
        if owner is not None:
            UsageService(self.session, self.settings).check_audio_minutes(
                owner, media.info.duration_s
            )
        return self.jobs.update_running(
            job_id,
            worker_id,
            utcnow(),
            filename=media.filename,
            media_key=media.media_key,
            media_bytes=media.size,
            duration_s=media.info.duration_s,
            container=media.info.container,
        )

    def heartbeat(self, job_id: uuid.UUID, worker_id: str) -> bool:
        return bool(self.renew_leases(worker_id, [job_id]))

    def renew_leases(self, worker_id: str, job_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Extend this worker's leases; returns the jobs it still holds."""
        now = utcnow()
        lease_until = now + timedelta(seconds=self.settings.worker.lease_s)
        return self.jobs.renew_leases(worker_id, job_ids, now, lease_until)

    def still_running_for(self, worker_id: str, job_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        return self.jobs.still_running_for(worker_id, job_ids)

    def record_language(
        self, job_id: uuid.UUID, worker_id: str, language: str, probability: float
    ) -> bool:
        return self.jobs.update_running(
            job_id,
            worker_id,
            utcnow(),
            detected_language=language,
            language_probability=probability,
        )

    def append_segments(
        self,
        job_id: uuid.UUID,
        worker_id: str,
        first_idx: int,
        segments: Sequence[Segment],
        progress: float,
        *,
        resume: bool = False,
    ) -> bool:
        """Store new segments and progress; False when the job was cancelled or taken away.

        `resume` after a write whose outcome is unknown (the connection dropped at commit):
        the segments already stored are skipped, so a retried write never doubles them."""
        now = utcnow()
        lease_until = now + timedelta(seconds=self.settings.worker.lease_s)
        if not self.jobs.update_running(
            job_id,
            worker_id,
            now,
            progress=min(max(progress, 0.0), 0.999),
            lease_expires_at=lease_until,
        ):
            return False
        if resume:
            stored = self.jobs.count_segments(job_id)
            skip = max(0, stored - first_idx)
            segments, first_idx = segments[skip:], first_idx + skip
        rows: list[TranscriptSegment] = []
        for offset, segment in enumerate(segments):
            rows.append(
                TranscriptSegment(
                    job_id=job_id,
                    idx=first_idx + offset,
                    start=segment.start,
                    end=segment.end,
                    text=segment.text.strip(),
                    speaker=segment.speaker,
                    avg_logprob=segment.avg_logprob,
                    no_speech_prob=segment.no_speech_prob,
                    words=[
                        TranscriptWord(
                            idx=i,
                            start=word.start,
                            end=word.end,
                            word=word.word,
                            probability=word.probability,
                        )
                        for i, word in enumerate(segment.words)
                    ],
                )
            )
        self.session.add_all(rows)
        self.session.flush()
        self.events.job_progress(job_id, min(max(progress, 0.0), 0.999), rows)
        return True

    def report_progress(self, job_id: uuid.UUID, worker_id: str, progress: float) -> bool:
        """Progress of work after the segments (speaker labels); False when the job was
        cancelled or taken away."""
        return self.append_segments(job_id, worker_id, 0, [], progress)

    def label_speakers(
        self, job_id: uuid.UUID, worker_id: str, speakers: Sequence[str | None]
    ) -> bool:
        """Set the speaker of the job's segments, in order (`speakers[i]` for idx i); False
        when the job was cancelled or taken away."""
        job = self.jobs.get(job_id)
        if job is None or job.status != "running" or job.lease_owner != worker_id:
            return False
        self.jobs.set_speakers(job_id, speakers)
        return True

    def complete(self, job_id: uuid.UUID, worker_id: str) -> bool:
        now = utcnow()
        completed = self.jobs.update_running(
            job_id,
            worker_id,
            now,
            status="completed",
            progress=1.0,
            finished_at=now,
            lease_owner=None,
            lease_expires_at=None,
        )
        if completed:
            self.events.job_finished(job_id, "completed")
        return completed

    def fail(self, job_id: uuid.UUID, worker_id: str, reason: str) -> bool:
        """Fail a job this worker holds; segments already written stay, marked partial."""
        now = utcnow()
        failed = self.jobs.update_running(
            job_id,
            worker_id,
            now,
            status="failed",
            error=reason[:2000],
            partial=self.jobs.has_segments_clause(),
            finished_at=now,
            lease_owner=None,
            lease_expires_at=None,
        )
        if failed:
            self.events.job_finished(job_id, "failed", reason[:2000])
        return failed

    def give_back(
        self, job_id: uuid.UUID, worker_id: str, reason: str, *, out_of_memory: bool = False
    ) -> str | None:
        """A transient fault (database or broker blip, out of memory, a model this worker
        could not load): queue the job again after a backoff, or fail it once it has used its
        attempts. Out of memory, the next run decodes with half the batch (down to the
        sequential decoder). Returns the new status, or None if the job was no longer this
        worker's."""
        job = self.jobs.get(job_id)
        if job is None or job.status != "running" or job.lease_owner != worker_id:
            return None
        worker = self.settings.worker
        if job.attempts >= worker.max_attempts:
            message = f"Gave up after {job.attempts} attempts. Last problem: {reason}"
            return "failed" if self.fail(job_id, worker_id, message) else None
        now = utcnow()
        delay = backoff_s(self.settings, job.attempts)
        requeued = self.jobs.update_running(
            job_id,
            worker_id,
            now,
            status="queued",
            lease_owner=None,
            lease_expires_at=None,
            dispatched_at=None,
            started_at=None,
            progress=0.0,
            retry_at=now + timedelta(seconds=delay),
            batch_size=self._smaller_batch(job) if out_of_memory else job.batch_size,
            queue_reason=reason[:2000],
        )
        if requeued:
            log.warning("job %s queued again in %.0f s: %s", job_id, delay, reason)
            self.events.job_queued(job_id, reason, now + timedelta(seconds=delay))
        return "queued" if requeued else None

    def _smaller_batch(self, job: Job) -> int:
        if job.batch_size is not None:
            return job.batch_size // 2
        return effective_batch_size(self.settings, job.model) // 2


def delete_media_after_commit(
    session: Session, storage: Storage, *, key: str | None = None, prefix: str | None = None
) -> None:
    """Delete a job's media (`key`) or a user's (`prefix`) once the rows are gone. The commit
    has happened by then, so storage that does not answer is logged with what was left
    behind rather than turned into an error for a deletion that did take place."""

    def delete() -> None:
        try:
            if key is not None:
                storage.delete(key)
            if prefix is not None:
                storage.delete_prefix(prefix)
        except Exception:
            log.error(
                "media left in storage after its job or user was deleted (remove it by hand): "
                "key=%r prefix=%r",
                key,
                prefix,
                exc_info=True,
            )

    after_commit(session, delete)


def backoff_s(settings: Settings, attempts: int) -> float:
    """Exponential: base, 2 x base, 4 x base, ... up to the maximum."""
    worker = settings.worker
    return float(
        min(worker.retry_backoff_max_s, worker.retry_backoff_s * 2 ** max(0, attempts - 1))
    )

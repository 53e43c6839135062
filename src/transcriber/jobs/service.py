"""The rules about jobs, shared by the API and the worker. Services flush; callers commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO, Protocol

from sqlalchemy.orm import Session

from transcriber.asr.audio import probe
from transcriber.asr.catalog import ModelUnavailable, list_models
from transcriber.asr.types import Segment, TranscribeOptions
from transcriber.config import Settings
from transcriber.jobs.models import FINISHED_STATUSES, Job
from transcriber.jobs.repository import JobRepository
from transcriber.jobs.schemas import JobOptions
from transcriber.kit.db import utcnow
from transcriber.kit.errors import Conflict, NotFound
from transcriber.kit.filenames import clean_filename, safe_suffix
from transcriber.kit.pagination import decode_cursor, encode_cursor
from transcriber.kit.storage import Storage
from transcriber.transcripts.models import TranscriptSegment, TranscriptWord
from transcriber.users.models import User
from transcriber.worker.enqueue import after_commit

log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    def dispatch(self, job_id: uuid.UUID, queue: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """What a worker needs to run a job, detached from any session."""

    id: uuid.UUID
    media_key: str
    duration_s: float | None
    options: TranscribeOptions


class JobService:
    def __init__(
        self, session: Session, settings: Settings, storage: Storage, dispatcher: Dispatcher
    ) -> None:
        self.session = session
        self.settings = settings
        self.storage = storage
        self.dispatcher = dispatcher
        self.jobs = JobRepository(session)

    # -- API side ---------------------------------------------------------------------------

    def create_from_stream(
        self, owner: User, source: BinaryIO, filename: str | None, options: JobOptions
    ) -> Job:
        """Store the bytes, probe them, and queue a job; bad media keeps nothing."""
        model = options.model or self.settings.default_model
        self._check_model(model)
        display_name = clean_filename(filename)
        job_id = uuid.uuid4()
        media_key = f"{owner.id}/{job_id}/original{safe_suffix(display_name)}"
        size = self.storage.save(media_key, source, max_bytes=self.settings.limits.max_upload_bytes)
        try:
            media = probe(
                self.storage.local_path(media_key),
                min_duration_s=self.settings.limits.min_duration_s,
                max_duration_s=self.settings.limits.max_duration_s,
            )
        except BaseException:
            self.storage.delete(media_key)
            raise
        job = Job(
            id=job_id,
            owner_id=owner.id,
            status="queued",
            filename=display_name,
            media_key=media_key,
            media_bytes=size,
            duration_s=media.duration_s,
            container=media.container,
            model=model,
            requested_language=options.language,
            task=options.task,
            word_timestamps=options.word_timestamps,
            vad=options.vad,
            initial_prompt=options.initial_prompt,
            diarize=options.diarize,
            queue=self.settings.worker.queues.split(",")[0].strip() or "cpu",
        )
        self.session.add(job)
        self.session.flush()
        self._dispatch_after_commit(job)
        return job

    def _check_model(self, name: str) -> None:
        """Clients pick from the catalog; folder paths are for operators, never for requests."""
        names = [entry.name for entry in list_models(self.settings)]
        if name != self.settings.default_model and name not in names:
            raise ModelUnavailable(
                f"Unknown model {name!r}; this server offers: {', '.join(names)}.", model=name
            )

    def _dispatch_after_commit(self, job: Job) -> None:
        job_id, queue = job.id, job.queue

        def send() -> None:
            try:
                self.dispatcher.dispatch(job_id, queue)
            except Exception:
                # The row stays queued; the dispatcher sweep sends it again once the broker answers.
                log.exception("could not send job %s to the broker", job_id)

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
        after = decode_cursor(cursor) if cursor else None
        rows = self.jobs.list_for_owner(
            owner.id, status=status, filename_query=query, after=after, limit=limit + 1
        )
        page = rows[:limit]
        next_cursor = encode_cursor(page[-1].created_at, page[-1].id) if len(rows) > limit else None
        return page, next_cursor

    def cancel(self, owner: User, job_id: uuid.UUID) -> Job:
        job = self.get_owned(owner, job_id)
        if job.status in FINISHED_STATUSES:
            raise Conflict(f"The job is already {job.status} and cannot be cancelled.")
        now = utcnow()
        job.status = "cancelled"
        job.finished_at = now
        job.lease_owner = None
        job.lease_expires_at = None
        self.session.flush()
        return job

    def retry(self, owner: User, job_id: uuid.UUID) -> Job:
        job = self.get_owned(owner, job_id)
        if job.status not in ("failed", "cancelled"):
            raise Conflict(
                f"Only failed or cancelled jobs can be retried; this one is {job.status}."
            )
        if not job.media_key or not self.storage.exists(job.media_key):
            raise Conflict("The original media of this job is gone, so it cannot be retried.")
        self.jobs.delete_segments(job.id)
        job.status = "queued"
        job.progress = 0.0
        job.error = None
        job.started_at = None
        job.finished_at = None
        job.attempts = 0
        self.session.flush()
        self._dispatch_after_commit(job)
        return job

    def delete(self, owner: User, job_id: uuid.UUID) -> None:
        job = self.get_owned(owner, job_id)
        media_key = job.media_key
        self.session.delete(job)
        self.session.flush()
        if media_key:
            after_commit(self.session, lambda: self.storage.delete(media_key))

    # -- worker side ------------------------------------------------------------------------

    def claim(self, job_id: uuid.UUID, worker_id: str) -> ClaimedJob | None:
        """Take a queued job for this worker, or None if it is not (or no longer) queued."""
        now = utcnow()
        lease_until = now + timedelta(seconds=self.settings.worker.lease_s)
        if not self.jobs.claim(job_id, worker_id, now, lease_until):
            return None
        job = self.jobs.get(job_id)
        if job is None or job.media_key is None:
            return None
        self.session.refresh(job)
        # A job re-run after its worker died starts clean; (job_id, idx) stays unique.
        self.jobs.delete_segments(job_id)
        return ClaimedJob(
            id=job.id,
            media_key=job.media_key,
            duration_s=job.duration_s,
            options=TranscribeOptions(
                model=job.model,
                language=job.requested_language,
                task="translate" if job.task == "translate" else "transcribe",
                word_timestamps=job.word_timestamps,
                vad=job.vad,
                initial_prompt=job.initial_prompt,
            ),
        )

    def heartbeat(self, job_id: uuid.UUID, worker_id: str) -> bool:
        now = utcnow()
        lease_until = now + timedelta(seconds=self.settings.worker.lease_s)
        return self.jobs.update_running(job_id, worker_id, now, lease_expires_at=lease_until)

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
    ) -> bool:
        """Store new segments and progress; False when the job was cancelled or taken away."""
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
        for offset, segment in enumerate(segments):
            self.session.add(
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
        self.session.flush()
        return True

    def complete(self, job_id: uuid.UUID, worker_id: str) -> bool:
        now = utcnow()
        return self.jobs.update_running(
            job_id,
            worker_id,
            now,
            status="completed",
            progress=1.0,
            finished_at=now,
            lease_owner=None,
            lease_expires_at=None,
        )

    def fail(self, job_id: uuid.UUID, worker_id: str, reason: str) -> bool:
        now = utcnow()
        return self.jobs.update_running(
            job_id,
            worker_id,
            now,
            status="failed",
            error=reason[:2000],
            finished_at=now,
            lease_owner=None,
            lease_expires_at=None,
        )

"""The rules about live events: what each change records, replay, retention. Services flush;
callers commit, and the wake-up is published only after the commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.kit.db import utcnow
from transcriber.realtime.models import Event
from transcriber.realtime.publisher import publish
from transcriber.realtime.repository import EventRepository
from transcriber.transcripts.models import TranscriptSegment
from transcriber.webhooks.service import WebhookService
from transcriber.worker.enqueue import after_commit

EventType = Literal[
    "job.created",
    "job.queued",
    "job.progress",
    "job.segment",
    "job.completed",
    "job.failed",
    "job.cancelled",
    "upload.progress",
]
# Progress older than this is dropped by the retention pass (the outcome supersedes it).
PROGRESS_RETENTION_S = 60.0
_PENDING = "realtime_pending_publish"


def event_message(event: Event) -> dict[str, Any]:
    """The JSON shape a client receives (docs/api.md, "Live events")."""
    return {
        "id": event.id,
        "type": event.type,
        "job_id": str(event.job_id) if event.job_id else None,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }


class EventService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.events = EventRepository(session)

    # -- recording (in the caller's transaction) ----------------------------------------------

    def record(
        self,
        owner_id: uuid.UUID,
        job_id: uuid.UUID | None,
        type_: EventType,
        payload: dict[str, Any],
    ) -> Event:
        event = self.events.add(
            Event(
                owner_id=owner_id, job_id=job_id, type=type_, payload=payload, created_at=utcnow()
            )
        )
        self.session.flush()
        self._publish_after_commit(owner_id, event.id)
        return event

    def _publish_after_commit(self, owner_id: uuid.UUID, event_id: int) -> None:
        url = self.settings.redis_url
        if not url:
            return  # the API processes read the table on their own
        pending: dict[uuid.UUID, int] | None = self.session.info.get(_PENDING)
        if pending is None:
            pending = self.session.info[_PENDING] = {}

            def send() -> None:
                batch: dict[uuid.UUID, int] = self.session.info.pop(_PENDING, {})
                if batch:
                    publish(url, batch.keys(), max(batch.values()))

            after_commit(self.session, send)
        pending[owner_id] = max(event_id, pending.get(owner_id, 0))

    def job_created(self, job: Job) -> Event:
        return self.record(
            job.owner_id,
            job.id,
            "job.created",
            {
                "status": job.status,
                "filename": job.filename,
                "duration_s": job.duration_s,
                "model": job.model,
            },
        )

    def job_queued(self, job_id: uuid.UUID, reason: str, retry_at: datetime | None = None) -> None:
        """The job waits again: retried by its owner, its worker lost, or a transient fault
        (then `retry_at` says when it may run). Its next run replaces the transcript so far."""
        row = self.session.execute(
            select(Job.owner_id, Job.attempts).where(Job.id == job_id)
        ).one_or_none()
        if row is None:
            return
        payload: dict[str, Any] = {
            "status": "queued",
            "reason": reason,
            "attempts": row.attempts,
            "retry_at": retry_at.isoformat() if retry_at else None,
        }
        self.record(row.owner_id, job_id, "job.queued", payload)

    def upload_progress(
        self,
        owner_id: uuid.UUID,
        upload_id: uuid.UUID,
        *,
        filename: str,
        offset_bytes: int,
        length_bytes: int,
        status: str,
    ) -> None:
        """A resumable upload moved on (after each PATCH), for the owner's other tabs."""
        self.record(
            owner_id,
            None,
            "upload.progress",
            {
                "upload_id": str(upload_id),
                "filename": filename,
                "offset": offset_bytes,
                "length": length_bytes,
                "status": status,
            },
        )

    def job_progress(
        self, job_id: uuid.UUID, progress: float, segments: Sequence[TranscriptSegment]
    ) -> None:
        """One `job.segment` per new segment, then one `job.progress` with speed and ETA."""
        row = self.session.execute(
            select(Job.owner_id, Job.started_at, Job.duration_s).where(Job.id == job_id)
        ).one_or_none()
        if row is None:
            return
        owner_id, started_at, duration_s = row
        for segment in segments:
            self.record(
                owner_id,
                job_id,
                "job.segment",
                {
                    "id": segment.id,
                    "idx": segment.idx,
                    "start": segment.start,
                    "end": segment.end,
                    "text": segment.text,
                    "speaker": segment.speaker,
                },
            )
        speed: float | None = None
        eta_s: float | None = None
        if duration_s and started_at is not None:
            elapsed = (utcnow() - started_at).total_seconds()
            done_s = progress * duration_s
            if elapsed > 0 and done_s > 0:
                speed = round(done_s / elapsed, 2)
                eta_s = round(max(0.0, duration_s - done_s) / speed, 1)
        self.record(
            owner_id,
            job_id,
            "job.progress",
            {"progress": round(progress, 4), "speed": speed, "eta_s": eta_s},
        )

    def job_finished(
        self,
        job_id: uuid.UUID,
        status: Literal["completed", "failed", "cancelled"],
        error: str | None = None,
    ) -> None:
        row = self.session.execute(
            select(Job.owner_id, Job.partial).where(Job.id == job_id)
        ).one_or_none()
        if row is None:
            return
        payload: dict[str, Any] = {"status": status, "partial": bool(row.partial)}
        if error is not None:
            payload["error"] = error
        self.record(row.owner_id, job_id, f"job.{status}", payload)  # type: ignore[arg-type]
        # The same outcome, for the user's webhooks and the job's callback, in this transaction.
        WebhookService(self.session, self.settings).job_finished(job_id, f"job.{status}")

    # -- reading (the API's fan-out) ----------------------------------------------------------

    def latest_id(self) -> int:
        return self.events.max_id()

    def new_since(self, last_id: int, limit: int = 1000) -> Sequence[Event]:
        return self.events.after(last_id, limit)

    def replay(
        self, owner_id: uuid.UUID | None, after_id: int, up_to_id: int
    ) -> tuple[list[Event], bool]:
        """What a reconnecting client missed, bounded by `events.replay_limit`."""
        if after_id >= up_to_id:
            return [], False
        return self.events.between(after_id, up_to_id, owner_id, self.settings.events.replay_limit)

    def prune(self) -> int:
        """Bounded retention: old events, and progress that a newer state superseded."""
        now = utcnow()
        removed = self.events.delete_older_than(
            now - timedelta(seconds=self.settings.events.retention_s)
        )
        removed += self.events.delete_progress_older_than(
            now - timedelta(seconds=PROGRESS_RETENTION_S)
        )
        self.session.flush()
        return removed

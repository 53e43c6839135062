"""Retention of original media (docs/decisions/0097-media-retention.md).

An admin sets how long the original media of a completed job is kept (`media_retention_s`
in the admin settings; the environment gives its first value, 0 keeps media forever). The
scheduler's maintenance calls `expire_media_when_due`, which at most once a minute deletes
the media of jobs that completed longer ago than that. The transcript stays; the job says
when and why (`media_deleted_at`, `media_note`), `GET /api/v1/jobs/{id}/media` answers 410,
the bytes stop counting against the owner's storage quota, and an audit row is written.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from transcriber.admin.service import AppSettingsService
from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.repository import JobRepository
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.errors import StorageUnavailable
from transcriber.kit.storage import Storage, storage_from_settings

log = logging.getLogger(__name__)

# Jobs handled per transaction; a pass goes on until none is left.
RETENTION_BATCH = 200
# The maintenance ticks every few seconds; retention is checked at most this often.
RETENTION_EVERY_S = 60.0


def describe_duration(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def deletion_note(retention_s: int, now: datetime) -> str:
    return (
        f"The original media was deleted on {now:%Y-%m-%d} because this server keeps media "
        f"for {describe_duration(retention_s)} after a job completes; the transcript is kept."
    )


class MediaRetention:
    """Flushes, never commits (the caller's transaction does)."""

    def __init__(self, session: Session, settings: Settings, storage: Storage) -> None:
        self.session = session
        self.settings = settings
        self.storage = storage
        self.jobs = JobRepository(session)
        self.audit = AuditLog(session)

    def expire(self, retention_s: int, now: datetime) -> list[uuid.UUID]:
        """Delete the media of up to one batch of expired jobs; returns their ids."""
        done: list[uuid.UUID] = []
        for job in self.jobs.media_expired(now - timedelta(seconds=retention_s), RETENTION_BATCH):
            try:
                self._expire(job, retention_s, now)
            except StorageUnavailable:
                log.warning("retention: the media storage did not answer; trying again later")
                break
            done.append(job.id)
        self.session.flush()
        return done

    def _expire(self, job: Job, retention_s: int, now: datetime) -> None:
        assert job.media_key is not None
        # Bytes first: if the commit fails, the next pass deletes (nothing) and marks again.
        self.storage.delete(job.media_key)
        job.media_key = None
        job.media_deleted_at = now
        job.media_note = deletion_note(retention_s, now)
        self.audit.record(
            "job.media_deleted",
            actor=None,
            target_type="job",
            target_id=job.id,
            reason="retention",
            owner_id=str(job.owner_id),
            filename=job.filename,
            media_bytes=job.media_bytes,
            retention_s=retention_s,
        )


def expire_media(
    sessions: sessionmaker[Session],
    settings: Settings,
    storage: Storage | None = None,
    now: datetime | None = None,
) -> int:
    """A unit of work: delete all media past the retention period; returns how many jobs."""
    now = now or utcnow()
    with transaction(sessions) as session:
        retention_s = AppSettingsService(session, settings).media_retention_s()
    if retention_s <= 0:
        return 0
    storage = storage or storage_from_settings(settings)
    total = 0
    while True:
        with transaction(sessions) as session:
            done = MediaRetention(session, settings, storage).expire(retention_s, now)
        total += len(done)
        if len(done) < RETENTION_BATCH:
            break
    if total:
        log.info("retention: deleted the original media of %d completed job(s)", total)
    return total


class _Due:
    """When this process last ran the retention pass."""

    lock = threading.Lock()
    next_at = 0.0


def expire_media_when_due(sessions: sessionmaker[Session], settings: Settings) -> int:
    """`expire_media`, at most once every RETENTION_EVERY_S in this process (the maintenance
    holder calls it on every tick)."""
    with _Due.lock:
        if time.monotonic() < _Due.next_at:
            return 0
        _Due.next_at = time.monotonic() + RETENTION_EVERY_S
    try:
        return expire_media(sessions, settings)
    except Exception:
        log.warning("retention pass failed; trying again later", exc_info=True)
        return 0

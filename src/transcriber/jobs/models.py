from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow

JobStatus = Literal["queued", "running", "completed", "failed", "cancelled"]
FINISHED_STATUSES: tuple[JobStatus, ...] = ("completed", "failed", "cancelled")


class Job(Base):
    """One media file to transcribe. This row, not the broker, is the source of truth."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_owner_created", "owner_id", "created_at", "id"),
        Index("ix_jobs_status_lease", "status", "lease_expires_at"),
        # The scheduler's scans: what waits, and what is in flight, per queue.
        Index("ix_jobs_queue_status_dispatched", "queue", "status", "dispatched_at"),
        # The retention duty's scan: completed jobs by when they finished.
        Index("ix_jobs_status_finished", "status", "finished_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    # The stored transcript stops before the end of the media (cancelled or failed mid-way).
    partial: Mapped[bool] = mapped_column(default=False, server_default=false())

    filename: Mapped[str] = mapped_column(String(255))
    # Media from a URL: downloaded by the worker before it transcribes (media_key is NULL
    # until then).
    source_url: Mapped[str | None] = mapped_column(Text)
    # Told of the outcome (docs/decisions/0101-callback-secret-per-job.md).
    callback_url: Mapped[str | None] = mapped_column(Text)
    callback_secret: Mapped[str | None] = mapped_column(String(128))
    media_key: Mapped[str | None] = mapped_column(String(512))
    media_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_s: Mapped[float | None]
    container: Mapped[str | None] = mapped_column(String(64))
    # Set when the retention duty deleted the original media (the transcript stays); the
    # note says so in a sentence, and GET .../media answers 410 with it.
    media_deleted_at: Mapped[datetime | None]
    media_note: Mapped[str | None] = mapped_column(Text)

    model: Mapped[str] = mapped_column(String(255))
    requested_language: Mapped[str | None] = mapped_column(String(16))
    task: Mapped[str] = mapped_column(String(16), default="transcribe")
    word_timestamps: Mapped[bool] = mapped_column(default=False)
    vad: Mapped[bool] = mapped_column(default=True)
    initial_prompt: Mapped[str | None] = mapped_column(Text)
    diarize: Mapped[bool] = mapped_column(default=False)
    # Bounds on the speaker count when diarizing (NULL: found by the clustering).
    min_speakers: Mapped[int | None]
    max_speakers: Mapped[int | None]

    detected_language: Mapped[str | None] = mapped_column(String(16))
    language_probability: Mapped[float | None]

    queue: Mapped[str] = mapped_column(String(64), default="cpu")
    attempts: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(255))
    lease_expires_at: Mapped[datetime | None]
    # When the id was last sent to the broker; NULL while the scheduler holds the job back.
    dispatched_at: Mapped[datetime | None]
    # Not to be released before this time (backoff after a transient fault).
    retry_at: Mapped[datetime | None]
    # The decoder's batch size for the next run when it must differ from the worker's setting:
    # halved after the job ran out of memory (0 = the sequential decoder).
    batch_size: Mapped[int | None]
    # Why the job waits again (retried by its owner, its worker lost, a passing fault); cleared
    # when a worker takes it.
    queue_reason: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def downloading(self) -> bool:
        """Running, but still fetching its media from `source_url`."""
        return self.status == "running" and self.media_key is None and bool(self.source_url)

    @property
    def language(self) -> str | None:
        """The language the model found, or the one asked for until it has run."""
        return self.detected_language or self.requested_language

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow

# receiving: bytes still arriving; completed: every byte stored and probed, waiting to become
# a job; used: a job was made from it; rejected: refused after the last byte (bytes deleted).
UploadStatus = Literal["receiving", "completed", "used", "rejected"]


class Upload(Base):
    """One tus upload: its state lives here, its bytes in the uploads folder until the last
    one arrives, then in `Storage` (docs/decisions/0090-tus-uploads.md)."""

    __tablename__ = "uploads"
    __table_args__ = (
        Index("ix_uploads_owner_status", "owner_id", "status"),
        Index("ix_uploads_expires", "expires_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="receiving")
    filename: Mapped[str] = mapped_column(String(255))
    length_bytes: Mapped[int] = mapped_column(BigInteger)
    offset_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # The Upload-Metadata header as the client sent it, echoed by HEAD.
    metadata_header: Mapped[str | None] = mapped_column(Text)
    # Job options from the metadata (validated `JobOptions` fields that were given).
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    create_job: Mapped[bool] = mapped_column(default=False, server_default=false())

    media_key: Mapped[str | None] = mapped_column(String(512))
    duration_s: Mapped[float | None]
    container: Mapped[str | None] = mapped_column(String(64))
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

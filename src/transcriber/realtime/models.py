from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow

# BIGINT on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the rowid alias.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class Event(Base):
    """One change a user may watch live, written in the transaction that makes the change.

    `id` is the cursor clients resume from. On SQLite the table uses AUTOINCREMENT so an id
    is never reused after retention deletes the newest rows."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_owner_id_id", "owner_id", "id"),
        Index("ix_events_created_at", "created_at"),
        Index("ix_events_job_id", "job_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

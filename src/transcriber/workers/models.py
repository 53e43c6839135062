from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow


class Worker(Base):
    """One running worker process, as it last reported itself (docs/scaling.md)."""

    __tablename__ = "workers"
    __table_args__ = (Index("ix_workers_last_heartbeat_at", "last_heartbeat_at"),)

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    # Comma-separated, as on the command line: `gpu,cpu`.
    queues: Mapped[str] = mapped_column(String(512))
    device: Mapped[str] = mapped_column(String(16))
    models: Mapped[list[str]] = mapped_column(JSON, default=list)
    concurrency: Mapped[int]
    current_jobs: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def queue_list(self) -> list[str]:
        return [q for q in self.queues.split(",") if q]

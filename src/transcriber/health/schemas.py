from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

CheckStatus = Literal["ok", "warning", "error", "disabled"]


class CheckRead(BaseModel):
    name: str = Field(
        description="database, schema, broker, storage, redis, workers, queues or disk."
    )
    status: CheckStatus = Field(
        description="`disabled`: the part is not configured (Redis), which is not a fault."
    )
    message: str = Field(description="What was found, in a sentence.")


class DatabaseRead(BaseModel):
    backend: str = Field(description="`sqlite` or `postgresql`.")
    revisions: list[str] = Field(description="Migration revisions the schema is at.")
    heads: list[str] = Field(description="The newest revisions this version knows.")
    at_head: bool


class WorkersRead(BaseModel):
    total: int = Field(description="Worker processes that reported in the last hour or so.")
    live: int = Field(description="Of those, heard from within the lease time.")


class QueueRead(BaseModel):
    name: str
    queued: int = Field(description="Jobs waiting to start.")
    running: int
    oldest_queued_age_s: float | None = Field(description="How long the oldest queued job waits.")
    live_workers: int = Field(description="Live workers that consume this queue.")
    slots: int = Field(description="Jobs those workers can run at once.")


class DiskRead(BaseModel):
    path: str = Field(description="The data dir, whose file system is measured.")
    free_bytes: int
    total_bytes: int
    warn_below_bytes: int = Field(description="`TRANSCRIBER_HEALTH__DISK_FREE_WARN_BYTES`.")


class HealthReport(BaseModel):
    status: Literal["ok", "warning", "error"] = Field(description="The worst check's status.")
    version: str
    checked_at: datetime
    checks: list[CheckRead]
    database: DatabaseRead | None = Field(description="Null when the database does not answer.")
    workers: WorkersRead | None = Field(description="Null when the database does not answer.")
    queues: list[QueueRead]
    disk: DiskRead | None = Field(description="Null when the data dir cannot be measured.")

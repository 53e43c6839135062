from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class WorkerRead(BaseModel):
    id: str = Field(description="host:pid:random, also the lease owner of its jobs.")
    host: str
    pid: int
    queues: list[str]
    device: str
    models: list[str] = Field(description="Models loaded in memory.")
    concurrency: int
    current_jobs: list[str] = Field(description="Ids of the jobs it is running.")
    started_at: datetime
    last_heartbeat_at: datetime
    alive: bool = Field(description="Heard from within the lease time.")

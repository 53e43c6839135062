"""Worker rows for tests that need a live worker without running one."""

from __future__ import annotations

import os
import uuid

from sqlalchemy.orm import Session, sessionmaker

from transcriber.config import Settings
from transcriber.kit.db import transaction, utcnow
from transcriber.workers.service import WorkerReport, WorkerService


def register_live_worker(
    sessions: sessionmaker[Session],
    settings: Settings,
    queues: list[str] | None = None,
    concurrency: int = 1,
) -> str:
    """Write a `workers` row as a worker's heartbeat would; returns its id."""
    worker_id = f"test-host:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with transaction(sessions) as session:
        WorkerService(session, settings).heartbeat(
            WorkerReport(
                id=worker_id,
                host="test-host",
                pid=os.getpid(),
                queues=queues or [settings.worker.default_queue],
                device="cpu",
                models=[settings.default_model],
                concurrency=concurrency,
                current_jobs=[],
                started_at=utcnow(),
            )
        )
    return worker_id

"""Worker processes register themselves and report what they run; the scheduler and the
readiness check ask who is alive. Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from transcriber.config import Settings
from transcriber.kit.db import utcnow
from transcriber.workers.models import Worker
from transcriber.workers.repository import WorkerRepository
from transcriber.workers.schemas import WorkerRead

# A worker row silent for this long is deleted (its jobs were given away long before).
FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class WorkerReport:
    id: str
    host: str
    pid: int
    queues: list[str]
    device: str
    models: list[str]
    concurrency: int
    current_jobs: list[str]
    started_at: datetime


@dataclass(frozen=True, slots=True)
class QueueCapacity:
    workers: int
    slots: int


@dataclass(frozen=True, slots=True)
class WorkerSummary:
    total: int
    live: int
    by_queue: dict[str, QueueCapacity]


class WorkerService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.workers = WorkerRepository(session)

    def _live_since(self, now: datetime) -> datetime:
        return now - timedelta(seconds=self.settings.worker.lease_s)

    def heartbeat(self, report: WorkerReport, now: datetime | None = None) -> None:
        self.workers.upsert(
            Worker(
                id=report.id,
                host=report.host,
                pid=report.pid,
                queues=",".join(report.queues),
                device=report.device,
                models=list(report.models),
                concurrency=report.concurrency,
                current_jobs=list(report.current_jobs),
                started_at=report.started_at,
                last_heartbeat_at=now or utcnow(),
            )
        )

    def deregister(self, worker_id: str) -> None:
        self.workers.delete(worker_id)
        self.session.flush()

    def forget_silent(self, now: datetime) -> int:
        cutoff = now - max(FORGET_AFTER, timedelta(seconds=10 * self.settings.worker.lease_s))
        return self.workers.delete_silent_since(cutoff)

    def live_capacity(self, queue: str, now: datetime) -> int:
        return self.workers.live_capacity(queue, self._live_since(now))

    def has_live_worker(self, queue: str, now: datetime | None = None) -> bool:
        return self.live_capacity(queue, now or utcnow()) > 0

    def summary(self, now: datetime | None = None) -> WorkerSummary:
        """How many workers there are, how many are live, and per queue the live workers that
        consume it with their job slots."""
        listed = self.list(now)
        by_queue: dict[str, QueueCapacity] = {}
        for worker in listed:
            if not worker.alive:
                continue
            for queue in worker.queues:
                known = by_queue.get(queue, QueueCapacity(0, 0))
                by_queue[queue] = QueueCapacity(known.workers + 1, known.slots + worker.concurrency)
        live = sum(1 for worker in listed if worker.alive)
        return WorkerSummary(total=len(listed), live=live, by_queue=by_queue)

    def list(self, now: datetime | None = None) -> list[WorkerRead]:
        live_since = self._live_since(now or utcnow())
        return [
            WorkerRead(
                id=row.id,
                host=row.host,
                pid=row.pid,
                queues=row.queue_list,
                device=row.device,
                models=list(row.models or []),
                concurrency=row.concurrency,
                current_jobs=list(row.current_jobs or []),
                started_at=row.started_at,
                last_heartbeat_at=row.last_heartbeat_at,
                alive=row.last_heartbeat_at >= live_since,
            )
            for row in self.workers.list()
        ]

"""All SQL about worker processes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.orm import Session

from transcriber.workers.models import Worker


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class WorkerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, worker: Worker) -> None:
        values = {
            "host": worker.host,
            "pid": worker.pid,
            "queues": worker.queues,
            "device": worker.device,
            "models": worker.models,
            "concurrency": worker.concurrency,
            "current_jobs": worker.current_jobs,
            "last_heartbeat_at": worker.last_heartbeat_at,
        }
        result = self.session.execute(
            update(Worker)
            .where(Worker.id == worker.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            self.session.add(worker)
        self.session.flush()

    def delete(self, worker_id: str) -> None:
        self.session.execute(delete(Worker).where(Worker.id == worker_id))

    def delete_silent_since(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(Worker).where(Worker.last_heartbeat_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def list(self) -> Sequence[Worker]:
        return self.session.scalars(select(Worker).order_by(Worker.host, Worker.started_at)).all()

    def live_capacity(self, queue: str, live_since: datetime) -> int:
        """Sum of the concurrency of the live workers that consume `queue`."""
        consumes = (literal(",") + Worker.queues + literal(",")).like(
            f"%,{_escape_like(queue)},%", escape="\\"
        )
        total = self.session.scalar(
            select(func.coalesce(func.sum(Worker.concurrency), 0)).where(
                Worker.last_heartbeat_at >= live_since, consumes
            )
        )
        return int(total or 0)

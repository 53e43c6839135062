"""All SQL about jobs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from transcriber.jobs.models import Job
from transcriber.transcripts.models import TranscriptSegment


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, job_id: uuid.UUID) -> Job | None:
        return self.session.get(Job, job_id)

    def get_for_owner(self, job_id: uuid.UUID, owner_id: uuid.UUID) -> Job | None:
        return self.session.scalar(select(Job).where(Job.id == job_id, Job.owner_id == owner_id))

    def list_for_owner(
        self,
        owner_id: uuid.UUID,
        *,
        status: str | None,
        filename_query: str | None,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[Job]:
        query = select(Job).where(Job.owner_id == owner_id)
        if status:
            query = query.where(Job.status == status)
        if filename_query:
            escaped = filename_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(func.lower(Job.filename).like(f"%{escaped.lower()}%", escape="\\"))
        if after is not None:
            created_at, row_id = after
            query = query.where(
                or_(
                    Job.created_at < created_at, and_(Job.created_at == created_at, Job.id < row_id)
                )
            )
        query = query.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
        return self.session.scalars(query).all()

    def claim(
        self, job_id: uuid.UUID, worker_id: str, now: datetime, lease_until: datetime
    ) -> bool:
        """Atomically move a queued job to running for this worker; False if anyone else has it."""
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(
                status="running",
                lease_owner=worker_id,
                lease_expires_at=lease_until,
                started_at=now,
                attempts=Job.attempts + 1,
                progress=0.0,
                error=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def update_running(
        self, job_id: uuid.UUID, worker_id: str, now: datetime, **values: object
    ) -> bool:
        """Write to a job only while this worker still holds it; False means stop working."""
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.lease_owner == worker_id)
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def delete_segments(self, job_id: uuid.UUID) -> None:
        self.session.execute(delete(TranscriptSegment).where(TranscriptSegment.job_id == job_id))

    def count_segments(self, job_id: uuid.UUID) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(TranscriptSegment)
                .where(TranscriptSegment.job_id == job_id)
            )
            or 0
        )

"""All SQL about jobs."""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Update,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from transcriber.jobs.models import Job
from transcriber.transcripts.models import TranscriptSegment
from transcriber.transcripts.repository import TranscriptRepository
from transcriber.transcripts.search import parse_query

# The job list's text filter reads every matching segment of a word with fewer matches than
# this (anyone's). A more common word is looked for job by job, newest first, in windows: the
# first of FIRST_WINDOW_PAGES pages' worth of jobs, the next as many as the share of matching
# jobs seen so far says the page still needs; past PROBE_PAGES pages' worth of jobs, the
# older jobs are filtered by every match again (docs/decisions/0135).
COMMON_MATCHES = 10_000
FIRST_WINDOW_PAGES = 2
PROBE_PAGES = 10


def _keyset_range(
    after: tuple[datetime, uuid.UUID] | None, last: tuple[datetime, uuid.UUID] | None
) -> list[ColumnElement[bool]]:
    """Jobs older than `after` (in newest-first order) and no older than `last`. Row values,
    so both databases walk `ix_jobs_owner_created` from the keyset on."""
    keyset = tuple_(Job.created_at, Job.id)
    where: list[ColumnElement[bool]] = []
    if after is not None:
        where.append(keyset < tuple_(*_typed(after)))
    if last is not None:
        where.append(keyset >= tuple_(*_typed(last)))
    return where


def _typed(key: tuple[datetime, uuid.UUID]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    created_at, row_id = key
    return literal(created_at, Job.created_at.type), literal(row_id, Job.id.type)


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, job_id: uuid.UUID) -> Job | None:
        return self.session.get(Job, job_id)

    def get_for_owner(self, job_id: uuid.UUID, owner_id: uuid.UUID) -> Job | None:
        return self.session.scalar(select(Job).where(Job.id == job_id, Job.owner_id == owner_id))

    def media_expired(self, finished_before: datetime, limit: int) -> Sequence[Job]:
        """Completed jobs that still keep their media and finished before the cutoff, oldest
        first, locked against a concurrent pass (PostgreSQL; SQLite serializes writers)."""
        return self.session.scalars(
            select(Job)
            .where(
                Job.status == "completed",
                Job.finished_at < finished_before,
                Job.media_key.is_not(None),
            )
            .order_by(Job.finished_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()

    def list_for_owner(
        self,
        owner_id: uuid.UUID | None,
        *,
        status: str | None,
        filename_query: str | None,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[Job]:
        """The jobs newest first, after the keyset `after`; `filename_query` keeps those whose
        file name holds it or whose transcript has a segment that matches it (parsed as a
        search query, never raw FTS syntax)."""
        scope: list[ColumnElement[bool]] = []
        if owner_id is not None:
            scope.append(Job.owner_id == owner_id)
        if status:
            scope.append(Job.status == status)
        # PostgreSQL text cannot hold NUL; no file name contains one anyway.
        filename_query = (filename_query or "").replace("\x00", "")
        if not filename_query:
            return self._newest(scope, after, None, limit)
        escaped = filename_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        by_name = func.lower(Job.filename).like(f"%{escaped.lower()}%", escape="\\")
        words = parse_query(filename_query)
        if not words:
            return self._newest([*scope, by_name], after, None, limit)
        transcripts = TranscriptRepository(self.session)

        def every_match() -> ColumnElement[bool]:
            return or_(by_name, Job.id.in_(transcripts.matching_job_ids(words)))

        if not transcripts.looks_common(words, COMMON_MATCHES):
            return self._newest([*scope, every_match()], after, None, limit)
        # A common word: most jobs have it, so look at the newest jobs a window at a time
        # rather than at its every match. Windows are keyset ranges: they and the rest after
        # them hold each job once, in the list's order, whatever is added meanwhile.
        found: list[Job] = []
        walked, size = 0, FIRST_WINDOW_PAGES * limit
        while walked + size <= PROBE_PAGES * limit:
            last = self._nth_newest(scope, after, size)
            window_ids = select(Job.id).where(*scope, *_keyset_range(after, last))
            in_window = or_(by_name, transcripts.job_has_match(words, window_ids))
            found += self._newest([*scope, in_window], after, last, limit - len(found))
            if len(found) >= limit or last is None:
                return found
            after, walked = last, walked + size
            if not found:
                break  # common elsewhere, not in these jobs: every match is the quicker way
            needed = (limit - len(found)) * walked / len(found)
            size = max(limit, math.ceil(needed * 1.25))
        return found + list(self._newest([*scope, every_match()], after, None, limit - len(found)))

    def _newest(
        self,
        where: Sequence[ColumnElement[bool]],
        after: tuple[datetime, uuid.UUID] | None,
        last: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> Sequence[Job]:
        query = (
            select(Job)
            .where(*where, *_keyset_range(after, last))
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def _nth_newest(
        self,
        scope: Sequence[ColumnElement[bool]],
        after: tuple[datetime, uuid.UUID] | None,
        n: int,
    ) -> tuple[datetime, uuid.UUID] | None:
        """The keyset of the n-th job after `after`, None when there are fewer."""
        row = self.session.execute(
            select(Job.created_at, Job.id)
            .where(*scope, *_keyset_range(after, None))
            .order_by(Job.created_at.desc(), Job.id.desc())
            .offset(n - 1)
            .limit(1)
        ).first()
        return (row[0], row[1]) if row is not None else None

    def claim(
        self, job_id: uuid.UUID, worker_id: str, now: datetime, lease_until: datetime
    ) -> bool:
        """Atomically move a queued job to running for this worker; False if anyone else has it
        (or it waits out a retry backoff)."""
        result = self.session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.status == "queued",
                or_(Job.retry_at.is_(None), Job.retry_at <= now),
            )
            .values(
                status="running",
                lease_owner=worker_id,
                lease_expires_at=lease_until,
                started_at=now,
                attempts=Job.attempts + 1,
                progress=0.0,
                error=None,
                partial=False,
                retry_at=None,
                queue_reason=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def cancel(self, job_id: uuid.UUID, now: datetime) -> bool:
        """Cancel a queued or running job in one statement (a worker finishing at the same
        moment wins or loses cleanly); a running job's transcript is kept as partial."""
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status.in_(("queued", "running")))
            .values(
                status="cancelled",
                partial=and_(Job.status == "running", self.has_segments_clause()),
                finished_at=now,
                lease_owner=None,
                lease_expires_at=None,
                retry_at=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def still_running_for(self, worker_id: str, job_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """Of these jobs, the ones this worker still holds (the others were cancelled,
        deleted or given away)."""
        if not job_ids:
            return set()
        rows = self.session.scalars(
            select(Job.id).where(
                Job.id.in_(list(job_ids)), Job.status == "running", Job.lease_owner == worker_id
            )
        )
        return set(rows)

    def renew_leases(
        self,
        worker_id: str,
        job_ids: Collection[uuid.UUID],
        now: datetime,
        lease_until: datetime,
    ) -> set[uuid.UUID]:
        """Extend the leases this worker still holds; returns those ids."""
        if not job_ids:
            return set()
        rows = self.session.scalars(
            update(Job)
            .where(Job.id.in_(list(job_ids)), Job.status == "running", Job.lease_owner == worker_id)
            .values(lease_expires_at=lease_until, updated_at=now)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        )
        return set(rows)

    # -- the scheduler's scans -----------------------------------------------------------------

    def expired_leases(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        """Running jobs whose worker stopped renewing the lease; rows another transaction is
        touching right now are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
        rows = self.session.execute(
            select(Job.id, Job.attempts)
            .where(Job.status == "running", Job.lease_expires_at < now)
            .order_by(Job.lease_expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [(row.id, row.attempts) for row in rows]

    def _expired(self, job_id: uuid.UUID, now: datetime) -> Update:
        return update(Job).where(
            Job.id == job_id, Job.status == "running", Job.lease_expires_at < now
        )

    def requeue_expired(self, job_id: uuid.UUID, now: datetime, reason: str) -> bool:
        result = self.session.execute(
            self._expired(job_id, now)
            .values(
                status="queued",
                lease_owner=None,
                lease_expires_at=None,
                dispatched_at=None,
                started_at=None,
                progress=0.0,
                queue_reason=reason,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def fail_expired(self, job_id: uuid.UUID, now: datetime, reason: str) -> bool:
        result = self.session.execute(
            self._expired(job_id, now)
            .values(
                status="failed",
                error=reason,
                partial=self.has_segments_clause(),
                finished_at=now,
                lease_owner=None,
                lease_expires_at=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def undelivered_queues(self, sent_before: datetime) -> list[str]:
        rows = self.session.scalars(
            select(Job.queue)
            .where(Job.status == "queued", Job.dispatched_at < sent_before)
            .distinct()
        )
        return sorted(rows)

    def forget_undelivered(self, sent_before: datetime, queues: Collection[str]) -> int:
        """Queued jobs sent to the broker long ago and never started: send them again."""
        if not queues:
            return 0
        result = self.session.execute(
            update(Job)
            .where(
                Job.status == "queued",
                Job.dispatched_at < sent_before,
                Job.queue.in_(list(queues)),
            )
            .values(dispatched_at=None)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count_by_queue_and_status(self, statuses: Collection[str]) -> list[tuple[str, str, int]]:
        """Rows in these statuses per (queue, status): a range of the (queue, status, ...)
        index, no table read, so it costs the jobs in flight, not the table's size."""
        rows = self.session.execute(
            select(Job.queue, Job.status, func.count())
            .where(Job.status.in_(list(statuses)))
            .group_by(Job.queue, Job.status)
        )
        return [(row[0], row[1], int(row[2])) for row in rows]

    def oldest_queued_by_queue(self) -> dict[str, datetime]:
        """When the longest-waiting queued job of each queue was created."""
        rows = self.session.execute(
            select(Job.queue, func.min(Job.created_at))
            .where(Job.status == "queued")
            .group_by(Job.queue)
        )
        return {row[0]: row[1] for row in rows if row[1] is not None}

    def finished_since(
        self, since: datetime, statuses: Collection[str]
    ) -> list[tuple[uuid.UUID, str, str, datetime, float | None]]:
        """Jobs that reached one of `statuses` after `since`, through the (status, finished_at)
        index. Rows: (id, queue, status, finished_at, duration_s)."""
        rows = self.session.execute(
            select(Job.id, Job.queue, Job.status, Job.finished_at, Job.duration_s).where(
                Job.status.in_(list(statuses)), Job.finished_at > since
            )
        )
        return [(row[0], row[1], row[2], row[3], row[4]) for row in rows if row[3] is not None]

    def waiting_queues(self, now: datetime) -> list[str]:
        rows = self.session.scalars(select(Job.queue).where(*self._waiting(now)).distinct())
        return sorted(rows)

    @staticmethod
    def _waiting(now: datetime) -> tuple[ColumnElement[bool], ...]:
        return (
            Job.status == "queued",
            Job.dispatched_at.is_(None),
            or_(Job.retry_at.is_(None), Job.retry_at <= now),
        )

    @staticmethod
    def _is_long(long_s: float) -> ColumnElement[int]:
        return case((Job.duration_s >= long_s, 1), else_=0)

    def in_flight_by_owner(self, queue: str, long_s: float) -> dict[uuid.UUID, tuple[int, int]]:
        """Per owner: jobs sent to the broker or running on `queue`, and how many are long."""
        rows = self.session.execute(
            select(Job.owner_id, func.count(), func.sum(self._is_long(long_s)))
            .where(
                Job.queue == queue,
                or_(
                    Job.status == "running",
                    and_(Job.status == "queued", Job.dispatched_at.is_not(None)),
                ),
            )
            .group_by(Job.owner_id)
        )
        return {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}

    def waiting_candidates(
        self, queue: str, now: datetime, long_s: float, per_owner: int
    ) -> list[tuple[uuid.UUID, uuid.UUID, bool, datetime]]:
        """Up to `per_owner` waiting jobs of each owner, each owner's in the order they should
        run: short before long, then oldest first. Rows: (id, owner_id, is_long, created_at)."""
        is_long = self._is_long(long_s)
        rank = (
            func.row_number()
            .over(partition_by=Job.owner_id, order_by=(is_long, Job.created_at, Job.id))
            .label("rank")
        )
        inner = (
            select(Job.id, Job.owner_id, is_long.label("is_long"), Job.created_at, rank)
            .where(Job.queue == queue, *self._waiting(now))
            .subquery()
        )
        rows = self.session.execute(
            select(inner.c.id, inner.c.owner_id, inner.c.is_long, inner.c.created_at)
            .where(inner.c.rank <= per_owner)
            .order_by(inner.c.owner_id, inner.c.rank)
        )
        return [(row[0], row[1], bool(row[2]), row[3]) for row in rows]

    def mark_dispatched(self, job_id: uuid.UUID, now: datetime) -> bool:
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued", Job.dispatched_at.is_(None))
            .values(dispatched_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def mark_undelivered(self, job_ids: Collection[uuid.UUID], sent_at: datetime) -> None:
        """The broker refused these: hold them again so the next pass sends them."""
        if not job_ids:
            return
        self.session.execute(
            update(Job)
            .where(Job.id.in_(list(job_ids)), Job.status == "queued", Job.dispatched_at == sent_at)
            .values(dispatched_at=None)
            .execution_options(synchronize_session=False)
        )

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

    @staticmethod
    def has_segments_clause() -> ColumnElement[bool]:
        """True for a job row that has stored segments (used in UPDATEs of `partial`)."""
        return select(TranscriptSegment.id).where(TranscriptSegment.job_id == Job.id).exists()

    def delete_segments(self, job_id: uuid.UUID) -> None:
        self.session.execute(delete(TranscriptSegment).where(TranscriptSegment.job_id == job_id))

    def set_speakers(self, job_id: uuid.UUID, speakers: Sequence[str | None]) -> None:
        """Label segment idx i with `speakers[i]`, one UPDATE per speaker."""
        by_speaker: dict[str | None, list[int]] = {}
        for idx, speaker in enumerate(speakers):
            by_speaker.setdefault(speaker, []).append(idx)
        for speaker, indexes in by_speaker.items():
            for first in range(0, len(indexes), 500):
                self.session.execute(
                    update(TranscriptSegment)
                    .where(
                        TranscriptSegment.job_id == job_id,
                        TranscriptSegment.idx.in_(indexes[first : first + 500]),
                    )
                    .values(speaker=speaker)
                    .execution_options(synchronize_session=False)
                )

    def count_segments(self, job_id: uuid.UUID) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(TranscriptSegment)
                .where(TranscriptSegment.job_id == job_id)
            )
            or 0
        )

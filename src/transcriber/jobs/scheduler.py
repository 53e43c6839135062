"""The fair-share scheduler and the reaper (docs/decisions/0041-fair-share-scheduler.md,
0042-leases-and-the-reaper.md).

The `jobs` table is the source of truth and the broker only delivers ids. A queued job is
*held* in the database (`dispatched_at IS NULL`) until a dispatch pass *releases* it to the
broker. A pass fills only the free worker slots of a queue (the live workers' concurrency minus
the jobs already sent or running), choosing each time the user with the fewest jobs in flight,
and within a user short media before long; long media may hold only a share of the slots. So a
batch of 100 files never stands in the broker in front of another user's single file, and
hours of audio never hold every worker while short jobs wait.

Passes run after a job is created, retried or cancelled (in the API), after a worker finishes a
job, and in the periodic maintenance. They are serialized by a database lock, so N processes
never release more than the free slots. The maintenance also reaps expired leases and sends
again what the broker lost; exactly one process runs it at a time, the holder of a database
lease.

`JobScheduler` flushes and never commits; `dispatch_waiting` and `maintain` are units of work
(like a task): they commit through `kit.db.transaction` and talk to the broker after commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from transcriber.config import Settings
from transcriber.jobs.repository import JobRepository
from transcriber.jobs.retention import expire_media_when_due
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.leases import acquire_lease, lock
from transcriber.realtime.service import EventService
from transcriber.webhooks.sender import deliver_webhooks
from transcriber.workers.service import WorkerService

log = logging.getLogger(__name__)

DISPATCH_LOCK = "scheduler.dispatch"
MAINTENANCE_LEASE = "scheduler.maintenance"
# At most this many expired leases are handled per maintenance tick.
REAP_BATCH = 500


class Dispatcher(Protocol):
    """Delivers a job id to the broker (`worker.dispatch.CeleryDispatcher`)."""

    def dispatch(self, job_id: uuid.UUID, queue: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Release:
    job_id: uuid.UUID
    queue: str
    owner_id: uuid.UUID
    sent_at: datetime


@dataclass(slots=True)
class ReapResult:
    requeued: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)


LOST_WORKER_REQUEUED = "The worker running this job stopped responding; it runs again."


def lost_worker_reason(attempts: int, max_attempts: int) -> str:
    return (
        f"The worker running this job stopped responding {attempts} times "
        f"(attempt {attempts} of {max_attempts}); giving up. Retry the job to run it again."
    )


class JobScheduler:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.jobs = JobRepository(session)
        self.workers = WorkerService(session, settings)
        self.events = EventService(session, settings)

    # -- releasing held jobs to the broker -----------------------------------------------------

    def release(self, queues: Iterable[str] | None, now: datetime) -> list[Release]:
        """Mark the jobs that should go to the broker now as sent; the caller sends them after
        the commit."""
        lock(self.session, DISPATCH_LOCK)
        chosen = sorted(set(queues)) if queues is not None else self.jobs.waiting_queues(now)
        released: list[Release] = []
        for queue in chosen:
            released.extend(self._release_queue(queue, now))
        self.session.flush()
        return released

    def capacity(self, queue: str, now: datetime) -> int:
        """Worker slots on `queue`; one when no worker is live, so a job is waiting in the
        broker for the first worker that starts."""
        return max(1, self.workers.live_capacity(queue, now))

    def _release_queue(self, queue: str, now: datetime) -> list[Release]:
        worker = self.settings.worker
        capacity = self.capacity(queue, now)
        in_flight = self.jobs.in_flight_by_owner(queue, worker.long_job_s)
        free = capacity - sum(count for count, _ in in_flight.values())
        if free <= 0:
            return []
        long_in_flight = sum(long for _, long in in_flight.values())
        long_cap = max(1, int(capacity * worker.long_jobs_max_share))
        waiting: dict[uuid.UUID, list[tuple[uuid.UUID, bool, datetime]]] = {}
        for job_id, owner_id, is_long, created_at in self.jobs.waiting_candidates(
            queue, now, worker.long_job_s, per_owner=free
        ):
            waiting.setdefault(owner_id, []).append((job_id, is_long, created_at))
        counts = {owner: count for owner, (count, _) in in_flight.items()}
        released: list[Release] = []
        while free > 0 and waiting:
            long_full = long_in_flight >= long_cap
            best: tuple[tuple[int, datetime], uuid.UUID] | None = None
            for owner, jobs in waiting.items():
                _, is_long, created_at = jobs[0]  # short ones come first
                if is_long and long_full:
                    continue
                key = (counts.get(owner, 0), created_at)
                if best is None or key < best[0]:
                    best = (key, owner)
            if best is None:
                break
            owner = best[1]
            job_id, is_long, _ = waiting[owner].pop(0)
            if not waiting[owner]:
                del waiting[owner]
            if not self.jobs.mark_dispatched(job_id, now):
                continue  # cancelled or deleted a moment ago
            released.append(Release(job_id=job_id, queue=queue, owner_id=owner, sent_at=now))
            counts[owner] = counts.get(owner, 0) + 1
            free -= 1
            long_in_flight += int(is_long)
        return released

    def undelivered(self, releases: Sequence[Release]) -> None:
        """The broker did not take these: hold them again for the next pass."""
        for sent_at in {r.sent_at for r in releases}:
            self.jobs.mark_undelivered(
                [r.job_id for r in releases if r.sent_at == sent_at], sent_at
            )
        self.session.flush()

    # -- maintenance ---------------------------------------------------------------------------

    def reap(self, now: datetime) -> ReapResult:
        """Jobs whose worker stopped renewing the lease go back to the queue, or fail once
        they have used up their attempts."""
        max_attempts = self.settings.worker.max_attempts
        result = ReapResult()
        for job_id, attempts in self.jobs.expired_leases(now, REAP_BATCH):
            if attempts >= max_attempts:
                reason = lost_worker_reason(attempts, max_attempts)
                if self.jobs.fail_expired(job_id, now, reason):
                    self.events.job_finished(job_id, "failed", reason)
                    result.failed.append(job_id)
            elif self.jobs.requeue_expired(job_id, now, LOST_WORKER_REQUEUED):
                self.events.job_queued(job_id, LOST_WORKER_REQUEUED)
                result.requeued.append(job_id)
        self.session.flush()
        return result

    def redeliver(self, now: datetime) -> int:
        """Jobs sent long ago and never started (the broker lost them) are held again, so the
        next pass sends them once more; a duplicate delivery is skipped by the claim."""
        sent_before = now - timedelta(seconds=self.settings.worker.redispatch_after_s)
        # Only where a live worker listens: a message for a queue nobody consumes (no GPU
        # worker yet) is not lost, it waits, and copies of it would only pile up.
        queues = [
            queue
            for queue in self.jobs.undelivered_queues(sent_before)
            if self.workers.live_capacity(queue, now) > 0
        ]
        count = self.jobs.forget_undelivered(sent_before, queues)
        self.session.flush()
        return count


# -- units of work -------------------------------------------------------------------------------


def dispatch_waiting(
    sessions: sessionmaker[Session],
    settings: Settings,
    sender: Dispatcher,
    queues: Iterable[str] | None = None,
) -> int:
    """Release what the free slots allow and send it to the broker; returns how many were
    sent. A broker that does not answer leaves the jobs held for the next pass."""
    now = utcnow()
    with transaction(sessions) as session:
        releases = JobScheduler(session, settings).release(queues, now)
    sent = 0
    for index, release in enumerate(releases):
        try:
            sender.dispatch(release.job_id, release.queue)
        except Exception:
            log.warning(
                "the broker did not take job %s; it stays queued and is sent again later",
                release.job_id,
                exc_info=True,
            )
            with transaction(sessions) as session:
                JobScheduler(session, settings).undelivered(releases[index:])
            break
        sent += 1
    return sent


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    requeued: int
    failed: int
    redelivered: int
    dispatched: int
    forgotten_workers: int


def maintenance_lease_s(settings: Settings) -> float:
    return max(5 * settings.worker.maintenance_interval_s, 1.0)


def maintain(
    sessions: sessionmaker[Session], settings: Settings, sender: Dispatcher, owner: str
) -> MaintenanceReport | None:
    """One tick of the scheduler's housekeeping, if this process holds the maintenance lease
    (None otherwise): reap, redeliver, forget dead workers, release waiting jobs."""
    now = utcnow()
    with transaction(sessions) as session:
        if not acquire_lease(session, MAINTENANCE_LEASE, owner, maintenance_lease_s(settings), now):
            return None
    with transaction(sessions) as session:
        scheduler = JobScheduler(session, settings)
        reaped = scheduler.reap(now)
        redelivered = scheduler.redeliver(now)
        forgotten = scheduler.workers.forget_silent(now)
    for job_id in reaped.requeued:
        log.warning("job %s: its worker stopped responding; queued again", job_id)
    for job_id in reaped.failed:
        log.warning("job %s: its worker stopped responding too often; failed", job_id)
    if redelivered:
        log.warning("%d queued job(s) were never started; sending them again", redelivered)
    dispatched = dispatch_waiting(sessions, settings, sender)
    expire_media_when_due(sessions, settings)  # docs/decisions/0097-media-retention.md
    deliver_webhooks(sessions, settings)  # hands them to sender threads; never waits for one
    from transcriber.uploads.service import expire_uploads  # uploads build on jobs

    expire_uploads(sessions, settings, sender)
    return MaintenanceReport(
        requeued=len(reaped.requeued),
        failed=len(reaped.failed),
        redelivered=redelivered,
        dispatched=dispatched,
        forgotten_workers=forgotten,
    )

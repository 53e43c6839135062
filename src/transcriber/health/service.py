"""Checks of the service's parts, shared by `/readyz` (which gates traffic on four of them) and
the admin health report (which shows them all, and never fails itself); and the fleet's state
as the database knows it, for that report and for `/metrics`
(docs/decisions/0142-admin-health.md)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.orm import Session

from transcriber import __version__
from transcriber.config import Settings
from transcriber.health.schemas import (
    CheckRead,
    CheckStatus,
    DatabaseRead,
    DiskRead,
    HealthReport,
    QueueRead,
    WorkersRead,
)
from transcriber.jobs.repository import JobRepository
from transcriber.kit.db import utcnow
from transcriber.kit.logs import redact
from transcriber.runtime import Runtime
from transcriber.worker.dispatch import broker_reachable
from transcriber.workers.service import QueueCapacity, WorkerService, WorkerSummary

# Finished jobs are history: they are counted as they finish (metrics.service), not recounted.
ACTIVE_STATUSES = ("queued", "running")
REDIS_TIMEOUT_S = 2.0
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_SEVERITY: dict[CheckStatus, int] = {"disabled": 0, "ok": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: CheckStatus
    message: str  # for an admin
    # For anyone (`/readyz` is public): an exception's type or a phrase, never a path or a host.
    reason: str = ""

    @property
    def ready(self) -> bool:
        return self.status == "ok"

    def read(self) -> CheckRead:
        return CheckRead(name=self.name, status=self.status, message=self.message)


@dataclass(frozen=True, slots=True)
class QueueState:
    name: str
    jobs: dict[str, int]  # queued and running rows
    oldest_queued_at: datetime | None
    capacity: QueueCapacity

    @property
    def queued(self) -> int:
        return self.jobs.get("queued", 0)


@dataclass(frozen=True, slots=True)
class FleetSnapshot:
    queues: list[QueueState]
    workers: WorkerSummary
    taken_at: datetime = field(default_factory=utcnow)


class FleetService:
    """Jobs in flight per queue and status, and the live workers per queue: what every API
    process reads the same way from the database, the fleet's source of truth."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def snapshot(self) -> FleetSnapshot:
        now = utcnow()
        jobs = JobRepository(self.session)
        counts: dict[str, dict[str, int]] = {}
        for queue, status, rows in jobs.count_by_queue_and_status(ACTIVE_STATUSES):
            counts.setdefault(queue, {})[status] = rows
        oldest = jobs.oldest_queued_by_queue()
        workers = WorkerService(self.session, self.settings).summary(now)
        names = {
            self.settings.worker.default_queue,
            self.settings.worker.gpu_queue,
            *self.settings.worker.consumed_queues,
            *counts,
            *workers.by_queue,
        }
        queues = [
            QueueState(
                name=name,
                jobs={status: counts.get(name, {}).get(status, 0) for status in ACTIVE_STATUSES},
                oldest_queued_at=oldest.get(name),
                capacity=workers.by_queue.get(name, QueueCapacity(0, 0)),
            )
            for name in sorted(names)
        ]
        return FleetSnapshot(queues=queues, workers=workers, taken_at=now)


class HealthService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings

    def readiness(self) -> list[Check]:
        """What `/readyz` gates on: without any of these, no job gets done."""
        return [self.database(), self.storage(), self.broker(), self.default_queue_worker()]

    def database(self) -> Check:
        backend = BACKEND_NAMES.get(self.runtime.db.dialect.name, self.runtime.db.dialect.name)
        try:
            with self.runtime.db.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            return _failed("database", f"The {backend} database does not answer", exc)
        return Check("database", "ok", f"The {backend} database answers.")

    def schema(self) -> tuple[Check, DatabaseRead | None]:
        # Alembic loads when an admin asks, not in every API process at start.
        from transcriber.kit.migrate import code_heads, database_heads, known_revisions

        backend = self.runtime.db.dialect.name
        heads = list(code_heads())
        try:
            with self.runtime.db.connect() as connection:
                revisions = list(database_heads(connection))
        except Exception as exc:
            return _failed("schema", "The schema's revision could not be read", exc), None
        detail = DatabaseRead(
            backend=backend, revisions=revisions, heads=heads, at_head=revisions == heads
        )
        at = ", ".join(revisions) or "no revision"
        if detail.at_head:
            check = Check("schema", "ok", f"The schema is at the migration head ({at}).")
        elif all(revision in known_revisions() for revision in revisions):
            check = Check(
                "schema",
                "error",
                f"The schema is at {at} but this version needs {', '.join(heads)}: run "
                "`transcriber db upgrade` (`serve` does it at start).",
            )
        else:
            check = Check(
                "schema",
                "warning",
                f"The schema is at {at}, which this version ({__version__}) does not know: a "
                "newer version migrated the database.",
            )
        return check, detail

    def storage(self) -> Check:
        where = (
            f"bucket {self.settings.storage.s3_bucket!r}"
            if self.settings.storage.backend == "s3"
            else str(self.settings.media_dir)
        )
        try:
            self.runtime.storage.check()
        except Exception as exc:
            return _failed("storage", f"Media storage ({where}) cannot be written", exc)
        return Check("storage", "ok", f"Media storage ({where}) accepts writes.")

    def broker(self) -> Check:
        where = _redacted_url(self.settings.resolved_broker_url)
        if broker_reachable(self.settings):
            return Check("broker", "ok", f"The broker ({where}) answers.")
        return Check(
            "broker",
            "error",
            f"The broker ({where}) does not answer: new jobs wait in the database and are "
            "sent when it is back.",
            reason="unreachable",
        )

    def redis(self) -> Check:
        url = self.settings.redis_url
        if not url:
            return Check(
                "redis",
                "disabled",
                "Not configured: live events go through the database and rate limits stay in "
                "each process (fine for one API process).",
            )
        import redis

        where = _redacted_url(url)
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
        )
        try:
            client.ping()
        except Exception as exc:
            return _failed("redis", f"Redis ({where}) does not answer", exc)
        finally:
            client.close()
        return Check("redis", "ok", f"Redis ({where}) answers.")

    def default_queue_worker(self) -> Check:
        queue = self.settings.worker.default_queue
        try:
            with self.runtime.sessions() as session:
                live = WorkerService(session, self.settings).has_live_worker(queue)
        except Exception as exc:
            return _failed("worker", "Workers could not be read", exc)
        if live:
            return Check("worker", "ok", f"A live worker consumes the default queue {queue!r}.")
        return Check(
            "worker",
            "error",
            f"No live worker consumes the default queue {queue!r}: its jobs wait.",
            reason=f"no live worker on queue {queue!r}",
        )

    def fleet(self) -> FleetSnapshot:
        with self.runtime.sessions() as session:
            return FleetService(session, self.settings).snapshot()

    def disk(self) -> tuple[Check, DiskRead | None]:
        path = self.settings.resolved_data_dir
        measured = _nearest_existing(path)
        warn_below = self.settings.health.disk_free_warn_bytes
        try:
            usage = shutil.disk_usage(measured)
        except OSError as exc:
            return _failed("disk", f"The data dir ({path}) cannot be measured", exc), None
        detail = DiskRead(
            path=str(path),
            free_bytes=usage.free,
            total_bytes=usage.total,
            warn_below_bytes=warn_below,
        )
        share = usage.free / usage.total if usage.total else 0.0
        found = f"{_gib(usage.free)} free of {_gib(usage.total)} ({share:.0%}) in {path}"
        if usage.free < warn_below:
            return Check(
                "disk",
                "warning",
                f"Only {found}, under the {_gib(warn_below)} threshold: uploads and "
                "backups may fail soon.",
            ), detail
        return Check("disk", "ok", f"{found[0].upper()}{found[1:]}."), detail

    def report(self) -> HealthReport:
        checks = [self.database()]
        schema, database = self.schema()
        checks += [schema, self.broker(), self.storage(), self.redis()]
        fleet: FleetSnapshot | None = None
        try:
            fleet = self.fleet()
        except Exception as exc:
            checks.append(_failed("workers", "Workers and queues could not be read", exc))
        if fleet is not None:
            checks += [self._workers_check(fleet), self._queues_check(fleet)]
        disk, disk_detail = self.disk()
        checks.append(disk)
        worst = max(checks, key=lambda check: _SEVERITY[check.status]).status
        now = utcnow()
        return HealthReport(
            status="ok" if worst == "disabled" else worst,
            version=__version__,
            checked_at=now,
            checks=[check.read() for check in checks],
            database=database,
            workers=WorkersRead(total=fleet.workers.total, live=fleet.workers.live)
            if fleet
            else None,
            queues=[_queue_read(queue, now) for queue in fleet.queues] if fleet else [],
            disk=disk_detail,
        )

    def _workers_check(self, fleet: FleetSnapshot) -> Check:
        workers = fleet.workers
        queue = self.settings.worker.default_queue
        counted = f"{workers.live} of {workers.total} worker(s) live"
        capacity = workers.by_queue.get(queue)
        if capacity is None:
            return Check(
                "workers",
                "error",
                f"{counted}; none consumes the default queue {queue!r}, so its jobs wait.",
            )
        return Check(
            "workers",
            "ok",
            f"{counted}; {capacity.workers} with {capacity.slots} slot(s) on the default "
            f"queue {queue!r}.",
        )

    def _queues_check(self, fleet: FleetSnapshot) -> Check:
        stranded = [q for q in fleet.queues if q.queued and not q.capacity.workers]
        if stranded:
            return Check(
                "queues",
                "error",
                "; ".join(
                    f"{q.queued} job(s) wait on queue {q.name!r}, which no live worker consumes"
                    for q in stranded
                )
                + ".",
            )
        waiting = sum(q.queued for q in fleet.queues)
        running = sum(q.jobs["running"] for q in fleet.queues)
        return Check(
            "queues",
            "ok",
            f"{waiting} job(s) queued and {running} running; every queue with "
            "waiting jobs has a live worker.",
        )


def _failed(name: str, what: str, exc: Exception) -> Check:
    return Check(name, "error", redact(f"{what}: {type(exc).__name__}: {exc}"), type(exc).__name__)


def _queue_read(queue: QueueState, now: datetime) -> QueueRead:
    oldest = queue.oldest_queued_at
    return QueueRead(
        name=queue.name,
        queued=queue.queued,
        running=queue.jobs["running"],
        oldest_queued_age_s=max(0.0, (now - oldest).total_seconds()) if oldest else None,
        live_workers=queue.capacity.workers,
        slots=queue.capacity.slots,
    )


def _redacted_url(url: str) -> str:
    """The URL as safe to show an admin: no password; for SQLAlchemy-style `sqla+` too."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _gib(size: int) -> str:
    return f"{size / 1024**3:.1f} GiB"

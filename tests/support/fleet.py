"""A fleet of real processes for the scale tests: API servers and Celery workers sharing a
(private) PostgreSQL database, a (private) Redis broker and a storage folder, with lease,
heartbeat and scheduler intervals shortened so faults heal within seconds."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.support.auth import setup_admin
from tests.support.processes import free_port, transcriber_env, wait_until_healthy
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.schemas import JobOptions
from transcriber.jobs.service import JobService
from transcriber.kit.db import make_engine, make_sessionmaker, transaction, utcnow
from transcriber.kit.migrate import upgrade
from transcriber.kit.storage import LocalStorage
from transcriber.transcripts.models import TranscriptSegment
from transcriber.users.models import User
from transcriber.worker.dispatch import CeleryDispatcher
from transcriber.workers.service import WorkerService

# Fast enough to heal within seconds on a busy two-core machine, slow enough that a healthy
# worker never misses a lease.
FAST_WORKER_SETTINGS = {
    "LEASE_S": "6",
    "HEARTBEAT_S": "1",
    "POLL_S": "0.3",
    "MAINTENANCE_INTERVAL_S": "0.5",
    "REDISPATCH_AFTER_S": "6",
    "RETRY_BACKOFF_S": "0.5",
    "DB_RETRY_S": "30",
    "CONCURRENCY": "1",
}


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    base_url: str | None = None

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Fleet:
    root: Path
    database_url: str
    broker_url: str
    overrides: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)

    def __post_init__(self) -> None:
        upgrade(self.database_url)  # once, before any process races to do it
        self.db: Engine = make_engine(self.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.db)

    # -- configuration ---------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        values = {
            "TRANSCRIBER_ENVIRONMENT": "test",
            "TRANSCRIBER_DATA_DIR": str(self.root / "data"),
            "TRANSCRIBER_DATABASE_URL": self.database_url,
            "TRANSCRIBER_BROKER_URL": self.broker_url,
            "TRANSCRIBER_SECRET_KEY": "fleet-test-secret-" + "x" * 40,
            "TRANSCRIBER_EMBEDDED_WORKER": "false",
            **{f"TRANSCRIBER_WORKER__{k}": v for k, v in FAST_WORKER_SETTINGS.items()},
            **self.overrides,
            **extra,
        }
        return transcriber_env(values)

    def settings(self) -> Settings:
        """The same settings, for work done inside the test process."""
        env = self.env()
        saved = {k: os.environ.get(k) for k in env if k.startswith("TRANSCRIBER_")}
        os.environ.update({k: v for k, v in env.items() if k.startswith("TRANSCRIBER_")})
        try:
            return Settings(_env_file=None)  # type: ignore[call-arg]
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    # -- processes -------------------------------------------------------------------------

    def _spawn(
        self, name: str, args: list[str], env: dict[str, str], module: str = "transcriber"
    ) -> Process:
        log = self.root / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_apis(self, count: int = 1) -> list[Process]:
        """Start `count` API servers at once and wait until each answers."""
        apis = []
        for _ in range(count):
            port = free_port()
            process = self._spawn(
                f"api-{len(self.processes)}",
                ["serve", "--port", str(port), "--no-worker"],
                self.env(),
            )
            process.base_url = f"http://127.0.0.1:{port}"
            apis.append(process)
        for process in apis:
            assert process.base_url is not None
            wait_until_healthy(process.base_url, process.popen, process.log)
        return apis

    def start_worker(self, queues: str = "cpu", **extra: str) -> Process:
        return self._spawn(
            f"worker-{len(self.processes)}", ["worker", "--queues", queues], self.env(**extra)
        )

    def start_flower(self) -> Process:
        """Flower, as an operator runs it: `celery -A <our app> flower`, its API open."""
        port = free_port()
        process = self._spawn(
            f"flower-{len(self.processes)}",
            ["-A", "transcriber.worker.app:app", "flower", "--address=127.0.0.1", f"--port={port}"],
            self.env(FLOWER_UNAUTHENTICATED_API="true"),
            module="celery",
        )
        process.base_url = f"http://127.0.0.1:{port}"
        return process

    def kill(self, process: Process) -> None:
        """SIGKILL: no cleanup, no goodbye, as when a machine dies."""
        if process.alive():
            os.killpg(process.popen.pid, signal.SIGKILL)
            process.popen.wait(timeout=10)

    def stop(self, process: Process) -> None:
        if process.alive():
            os.killpg(process.popen.pid, signal.SIGTERM)
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def close(self) -> None:
        for process in reversed(self.processes):
            self.stop(process)
        self.db.dispose()

    def worker_logs(self) -> str:
        return "\n".join(p.log_text() for p in self.processes if p.name.startswith("worker"))

    def diagnostics(self) -> str:
        return "\n".join(f"===== {p.name}\n{p.log_text()[-6000:]}" for p in self.processes)

    # -- the database, seen from the test --------------------------------------------------

    def wait_for_workers(self, count: int, queue: str = "cpu", timeout_s: float = 90) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            with self.sessions() as session:
                live = [
                    w
                    for w in WorkerService(session, self.settings()).list()
                    if w.alive and queue in w.queues
                ]
            if len(live) >= count:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(live)} of {count} workers live\n{self.diagnostics()}")
            time.sleep(0.2)

    def job(self, job_id: uuid.UUID | str) -> Job:
        with self.sessions() as session:
            job = session.get(Job, uuid.UUID(str(job_id)))
            assert job is not None
            return job

    def jobs(self, ids: list[uuid.UUID]) -> list[Job]:
        with self.sessions() as session:
            return list(session.scalars(select(Job).where(Job.id.in_(ids))))

    def wait_for(
        self, job_id: uuid.UUID, predicate: Any, timeout_s: float = 120, what: str = ""
    ) -> Job:
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.job(job_id)
            if predicate(job):
                return job
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"job {job_id} ({job.status}) not {what} in {timeout_s}s\n{self.diagnostics()}"
                )
            time.sleep(0.1)

    def wait_all_finished(self, ids: list[uuid.UUID], timeout_s: float = 240) -> list[Job]:
        deadline = time.monotonic() + timeout_s
        while True:
            jobs = self.jobs(ids)
            if all(j.status in ("completed", "failed", "cancelled") for j in jobs):
                return jobs
            if time.monotonic() > deadline:
                states = {str(j.id)[:8]: j.status for j in jobs}
                raise AssertionError(f"not finished: {states}\n{self.diagnostics()}")
            time.sleep(0.25)

    def segments(self, job_id: uuid.UUID) -> list[tuple[int, float, str]]:
        with self.sessions() as session:
            rows = session.execute(
                select(TranscriptSegment.idx, TranscriptSegment.start, TranscriptSegment.text)
                .where(TranscriptSegment.job_id == job_id)
                .order_by(TranscriptSegment.idx)
            )
            return [(row[0], row[1], row[2]) for row in rows]

    def user(self, email: str) -> uuid.UUID:
        with transaction(self.sessions) as session:
            user = User(email=email, role="user", created_at=utcnow())
            session.add(user)
            session.flush()
            return user.id

    def submit_as(self, owner_id: uuid.UUID, path: Path, **options: Any) -> uuid.UUID:
        """Create a job through the service, as the API would for that user."""
        settings = self.settings()
        dispatcher = CeleryDispatcher(settings)
        with transaction(self.sessions) as session, path.open("rb") as source:
            owner = session.get(User, owner_id)
            assert owner is not None
            service = JobService(session, settings, LocalStorage(settings.media_dir), dispatcher)
            job = service.create_from_stream(
                owner, source, path.name, JobOptions.model_validate(options)
            )
            return job.id

    def pid_of_lease_owner(self, job_id: uuid.UUID) -> int | None:
        owner = self.job(job_id).lease_owner
        if owner is None:
            return None
        match = re.match(r"^[^:]+:(\d+):", owner)
        return int(match.group(1)) if match else None

    def process_by_pid(self, pid: int) -> Process:
        for process in self.processes:
            if process.popen.pid == pid:
                return process
        raise AssertionError(f"no process of this fleet has pid {pid}")


def admin_clients(apis: list[Process]) -> list[httpx.Client]:
    """One signed-in client per API process, all as the first admin."""
    clients = [httpx.Client(base_url=str(api.base_url), timeout=60) for api in apis]
    tokens = setup_admin(clients[0])
    for client in clients[1:]:
        client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    return clients


def completions_in_logs(logs: str) -> dict[str, int]:
    """How many times each job id was logged as completed by a worker."""
    counts: dict[str, int] = {}
    for match in re.finditer(r"job ([0-9a-f-]{36}) completed", logs):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


@contextmanager
def fleet(root: Path, database_url: str, broker_url: str, **overrides: str) -> Iterator[Fleet]:
    f = Fleet(
        root,
        database_url,
        broker_url,
        overrides={f"TRANSCRIBER_{k.upper()}": v for k, v in overrides.items()},
    )
    try:
        yield f
    finally:
        f.close()

"""What one worker process keeps for its life: settings, database sessions, storage, engine,
the broker it releases jobs to, and the watch over its running jobs."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from transcriber.asr.engine import WhisperEngine
from transcriber.config import Settings, get_settings
from transcriber.jobs.scheduler import Dispatcher
from transcriber.kit.db import make_engine, make_sessionmaker, transaction, utcnow
from transcriber.kit.storage import Storage, storage_from_settings

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    settings: Settings
    worker_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    )
    # Where released jobs go; the Celery broker unless a test gives another.
    dispatcher: Dispatcher | None = None
    started_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self._model_lock = threading.Lock()
        self._model_used: dict[str, float] = {}

    @cached_property
    def db(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.db)

    @cached_property
    def storage(self) -> Storage:
        return storage_from_settings(self.settings)

    @cached_property
    def engine(self) -> WhisperEngine:
        return WhisperEngine(self.settings, concurrency=self.settings.worker_concurrency)

    @cached_property
    def sender(self) -> Dispatcher:
        if self.dispatcher is not None:
            return self.dispatcher
        from transcriber.worker.dispatch import CeleryDispatcher

        return CeleryDispatcher(self.settings)

    @cached_property
    def watch(self) -> JobWatch:
        return JobWatch(self)

    def loaded_models(self) -> list[str]:
        return sorted({key[0] for key in self.engine.loaded()})

    def prepare_model(self, name: str) -> None:
        """Have the job's model in memory: load it if this process lacks it (dropping the least
        recently used one beyond `worker.max_loaded_models`). Raises `ModelUnavailable` when
        this machine cannot load it (docs/decisions/0040-queues-and-model-routing.md)."""
        with self._model_lock:
            self._model_used[name] = time.monotonic()
            loaded = set(self.loaded_models())
            if name not in loaded:
                self.engine.load(name)
                loaded.add(name)
            others = sorted(loaded - {name}, key=lambda n: self._model_used.get(n, 0.0))
            while len(loaded) > self.settings.worker.max_loaded_models and others:
                dropped = others.pop(0)
                # A job still running on it keeps its reference; memory goes when it ends.
                self.engine.unload(dropped)
                loaded.discard(dropped)
                log.info("dropped model %s to make room for %s", dropped, name)


class JobWatch:
    """One thread per worker process, alive while jobs run: every `worker.poll_s` it checks
    that they are still this worker's (a cancel, a delete or a lost lease sets the job's stop
    event), and every `worker.heartbeat_s` it renews their leases, all in one query."""

    def __init__(self, ctx: WorkerContext) -> None:
        self.ctx = ctx
        self._jobs: dict[uuid.UUID, threading.Event] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, job_id: uuid.UUID) -> threading.Event:
        stop = threading.Event()
        with self._lock:
            self._jobs[job_id] = stop
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"job-watch-{self.ctx.worker_id}", daemon=True
                )
                self._thread.start()
        return stop

    def remove(self, job_id: uuid.UUID) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def job_ids(self) -> list[uuid.UUID]:
        with self._lock:
            return list(self._jobs)

    def _run(self) -> None:
        from transcriber.jobs.repository import JobRepository

        worker = self.ctx.settings.worker
        last_renewal = time.monotonic()
        while True:
            time.sleep(worker.poll_s)
            with self._lock:
                watched = dict(self._jobs)
                if not watched:
                    self._thread = None
                    return
            try:
                with transaction(self.ctx.sessions) as session:
                    jobs = JobRepository(session)
                    if time.monotonic() - last_renewal >= worker.heartbeat_s:
                        now = utcnow()
                        until = now + _seconds(worker.lease_s)
                        mine = jobs.renew_leases(self.ctx.worker_id, list(watched), now, until)
                        last_renewal = time.monotonic()
                    else:
                        mine = jobs.still_running_for(self.ctx.worker_id, list(watched))
            except Exception:
                log.warning("could not check the running jobs; trying again", exc_info=True)
                continue
            for job_id, stop in watched.items():
                if job_id not in mine:
                    stop.set()


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


_context: WorkerContext | None = None
_lock = threading.Lock()


def get_worker_context() -> WorkerContext:
    global _context
    with _lock:
        if _context is None:
            _context = WorkerContext(get_settings())
        return _context

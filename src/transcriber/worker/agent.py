"""The background duties of a worker process, beside the Celery consumer:

* every `worker.heartbeat_s` it writes its row in `workers` (queues, device, loaded models,
  current jobs), which the scheduler counts as capacity and `/readyz` as a live worker;
* every `worker.maintenance_interval_s` it tries the scheduler's maintenance (reap expired
  leases, send again what the broker lost, release waiting jobs); only the holder of the
  maintenance lease in the database does it, so with N workers exactly one reaps at a time,
  and another takes over within the lease time when that one dies.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from transcriber.jobs.scheduler import MAINTENANCE_LEASE, maintain, maintenance_lease_s
from transcriber.kit.db import transaction
from transcriber.kit.leases import release_lease
from transcriber.worker.context import WorkerContext
from transcriber.workers.service import WorkerReport, WorkerService

log = logging.getLogger(__name__)


class WorkerAgent:
    def __init__(self, ctx: WorkerContext) -> None:
        self.ctx = ctx
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-agent", daemon=True)

    def report(self) -> WorkerReport:
        settings = self.ctx.settings
        return WorkerReport(
            id=self.ctx.worker_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            queues=settings.worker.consumed_queues,
            device=self.ctx.engine.device,
            models=self.ctx.loaded_models(),
            concurrency=settings.worker_concurrency,
            current_jobs=[str(job_id) for job_id in self.ctx.watch.job_ids()],
            started_at=self.ctx.started_at,
        )

    def beat(self) -> None:
        with transaction(self.ctx.sessions) as session:
            WorkerService(session, self.ctx.settings).heartbeat(self.report())

    def tick(self) -> bool:
        """One maintenance tick; False when another process holds the lease."""
        report = maintain(self.ctx.sessions, self.ctx.settings, self.ctx.sender, self.ctx.worker_id)
        if report is not None and (report.requeued or report.failed or report.redelivered):
            log.info("scheduler maintenance: %s", report)
        return report is not None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop the duties and leave: the row goes, the maintenance lease is free at once."""
        self._stopped.set()
        self._thread.join(timeout=10)
        try:
            with transaction(self.ctx.sessions) as session:
                WorkerService(session, self.ctx.settings).deregister(self.ctx.worker_id)
                release_lease(session, MAINTENANCE_LEASE, self.ctx.worker_id)
        except Exception:
            log.warning("could not deregister this worker", exc_info=True)

    def _run(self) -> None:
        worker = self.ctx.settings.worker
        next_beat = next_tick = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= next_beat:
                next_beat = now + worker.heartbeat_s
                try:
                    self.beat()
                except Exception:
                    log.warning("worker heartbeat failed; trying again", exc_info=True)
            if now >= next_tick:
                # The holder ticks every interval; the others only look whether the lease is
                # free, twice per lease time, so a fleet of N adds little load.
                next_tick = now + worker.maintenance_interval_s
                try:
                    if not self.tick():
                        next_tick = now + maintenance_lease_s(self.ctx.settings) / 2
                except Exception:
                    log.warning("scheduler maintenance failed; trying again", exc_info=True)
            if self._stopped.wait(max(0.05, min(next_beat, next_tick) - time.monotonic())):
                return

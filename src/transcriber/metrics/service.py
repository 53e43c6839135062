"""Prometheus metrics: this process's HTTP requests, and the fleet's jobs and workers read from
the database at scrape time (docs/decisions/0140-prometheus-metrics.md,
0141-job-totals-from-rows.md).

Labels are bounded on purpose: a method from a fixed set, a route template, a status code, a
queue name from the settings, a job status. No user, file name or id ever becomes a label.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from transcriber import __version__
from transcriber.health.service import FleetService, FleetSnapshot
from transcriber.jobs.models import FINISHED_STATUSES
from transcriber.jobs.repository import JobRepository
from transcriber.kit.db import utcnow
from transcriber.kit.middleware import RequestRecord
from transcriber.metrics.processes import multiprocess_dir, shared_started_at
from transcriber.runtime import Runtime

# `_created` series double every counter and histogram for a value nobody here reads.
disable_created_metrics()  # type: ignore[no-untyped-call]

log = logging.getLogger(__name__)

# Requests range from a health probe to an upload of several GB.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
# A job counts once it is finished and visible; a transaction that commits up to this long
# after the `finished_at` it wrote is still counted (docs/decisions/0141).
FINISHED_OVERLAP = timedelta(minutes=10)


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "transcriber_http_requests",
            "HTTP requests answered by this process, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "transcriber_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response body.",
            ["method", "route"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )

    def observe(self, record: RequestRecord) -> None:
        self.requests.labels(record.method, record.route, str(record.status)).inc()
        self.duration.labels(record.method, record.route).observe(record.duration_s)


class FinishedJobTally:
    """Counts jobs as they finish, from their rows: each scrape reads the rows finished since
    the last one through the (status, finished_at) index, so the cost follows the jobs that
    finished, not the size of the table. True counters: deleting a job later does not lower
    them; they start at zero with the process."""

    def __init__(self, started_at: datetime) -> None:
        self.started_at = started_at
        self.watermark = started_at
        self.counted: dict[tuple[uuid.UUID, str, datetime], datetime] = {}
        self.jobs: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.audio_s: defaultdict[str, float] = defaultdict(float)
        self.lock = threading.Lock()

    def update(self, jobs: JobRepository) -> None:
        with self.lock:
            since = self.watermark - FINISHED_OVERLAP
            for job_id, queue, status, finished_at, duration_s in jobs.finished_since(
                since, FINISHED_STATUSES
            ):
                key = (job_id, status, finished_at)
                if key in self.counted:
                    continue
                self.counted[key] = finished_at
                if finished_at <= self.started_at:
                    continue  # finished before this process started counting
                self.jobs[(queue, status)] += 1
                if status == "completed":
                    self.audio_s[queue] += duration_s or 0.0
                self.watermark = max(self.watermark, finished_at)
            forget_before = self.watermark - FINISHED_OVERLAP
            self.counted = {k: at for k, at in self.counted.items() if at > forget_before}


class FleetCollector(Collector):
    """Jobs, queues and workers of the whole fleet, read from the database at each scrape."""

    def __init__(self, runtime: Runtime, started_at: datetime) -> None:
        self.runtime = runtime
        self.finished = FinishedJobTally(started_at)

    def describe(self) -> Iterable[Metric]:
        return ()  # nothing is read when the collector is registered

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "transcriber_build_info", "The running version.", labels=["version"]
        )
        info.add_metric([__version__], 1)
        yield info
        yield from self._disk()
        started = time.perf_counter()
        try:
            with self.runtime.sessions() as session:
                snapshot = FleetService(session, self.runtime.settings).snapshot()
                self.finished.update(JobRepository(session))
        except Exception:
            log.warning("metrics: the database did not answer", exc_info=True)
            yield _gauge("transcriber_fleet_up", "1 when the database answered this scrape.", 0)
            return
        yield _gauge("transcriber_fleet_up", "1 when the database answered this scrape.", 1)
        yield _gauge(
            "transcriber_fleet_scrape_duration_seconds",
            "Time the database took to answer this scrape's queries.",
            time.perf_counter() - started,
        )
        yield from _fleet_metrics(snapshot)
        yield from self._finished_metrics(snapshot)

    def _finished_metrics(self, snapshot: FleetSnapshot) -> Iterator[Metric]:
        jobs = CounterMetricFamily(
            "transcriber_jobs_finished",
            "Jobs that finished since this process started, by queue and outcome.",
            labels=["queue", "status"],
        )
        audio = CounterMetricFamily(
            "transcriber_audio_transcribed_seconds",
            "Seconds of media in the jobs completed since this process started, by queue.",
            labels=["queue"],
        )
        with self.finished.lock:
            queues = sorted({q.name for q in snapshot.queues} | {q for q, _ in self.finished.jobs})
            for queue in queues:
                for status in FINISHED_STATUSES:
                    jobs.add_metric([queue, status], self.finished.jobs.get((queue, status), 0))
                audio.add_metric([queue], self.finished.audio_s.get(queue, 0.0))
        yield jobs
        yield audio

    def _disk(self) -> Iterator[Metric]:
        try:
            usage = shutil.disk_usage(self.runtime.settings.resolved_data_dir)
        except OSError:
            return
        yield _gauge(
            "transcriber_data_dir_free_bytes",
            "Free bytes on the file system of this process's data dir.",
            usage.free,
        )
        yield _gauge(
            "transcriber_data_dir_size_bytes",
            "Size of the file system of this process's data dir.",
            usage.total,
        )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _fleet_metrics(snapshot: FleetSnapshot) -> Iterator[Metric]:
    jobs = GaugeMetricFamily(
        "transcriber_jobs",
        "Jobs queued or running, by queue and status, from the database (the fleet's truth).",
        labels=["queue", "status"],
    )
    depth = GaugeMetricFamily(
        "transcriber_queue_depth",
        "Jobs waiting to start on a queue (queued, whether or not sent to the broker yet).",
        labels=["queue"],
    )
    oldest = GaugeMetricFamily(
        "transcriber_queue_oldest_job_age_seconds",
        "How long the oldest queued job of a queue has waited; 0 when none waits.",
        labels=["queue"],
    )
    workers = GaugeMetricFamily(
        "transcriber_workers_live",
        "Worker processes heard from within the lease time that consume a queue.",
        labels=["queue"],
    )
    slots = GaugeMetricFamily(
        "transcriber_worker_slots_live",
        "Jobs the live workers of a queue can run at once.",
        labels=["queue"],
    )
    for queue in snapshot.queues:
        for status, rows in queue.jobs.items():
            jobs.add_metric([queue.name, status], rows)
        depth.add_metric([queue.name], queue.queued)
        waited = queue.oldest_queued_at
        age = (snapshot.taken_at - waited).total_seconds() if waited else 0.0
        oldest.add_metric([queue.name], max(0.0, age))
        workers.add_metric([queue.name], queue.capacity.workers)
        slots.add_metric([queue.name], queue.capacity.slots)
    yield from (jobs, depth, oldest, workers, slots)
    yield _gauge(
        "transcriber_workers_registered",
        "Worker processes with a row in the workers table, live or not.",
        snapshot.workers.total,
    )


class Metrics:
    """One app's registry: its HTTP metrics and the fleet collector. Under `serve --workers N`
    the HTTP metrics of every process are read from the shared folder instead (0144)."""

    def __init__(self, runtime: Runtime) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.http = HttpMetrics(self.registry)
        self.fleet = FleetCollector(runtime, shared_started_at() or utcnow())
        self.registry.register(self.fleet)

    def exposition(self) -> bytes:
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry)
        every_process = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(every_process, path=str(folder))  # type: ignore[no-untyped-call]
        every_process.register(self.fleet)
        return generate_latest(every_process)

"""What one `GET /metrics` costs on a database of many jobs, SQLite and PostgreSQL
(docs/decisions/0141-job-totals-from-rows.md).

The jobs table gets 100,000 rows through the application's tables on a migrated database (90%
completed, 5% failed, 2% cancelled, 2% queued, 1% running; two queues; finished over the past
100,000 seconds, so a few dozen of them within the counters' ten-minute look-back), and the
workers table 20 rows. Then scrapes go through the real app (FastAPI TestClient, no token):

- `GET /metrics` on the loaded database, and on an empty one made the same way (the baseline:
  what the HTTP metrics, disk and the queries cost with nothing to count);
- `transcriber_fleet_scrape_duration_seconds`, the database part of each scrape;
- for comparison, the two queries the scrape avoids: counting every row by queue and status,
  and summing `duration_s` of every completed job.

    .venv/bin/python -m bench.metrics_scrape [--quick] [--no-write] [--backends sqlite,postgresql]
                                             [--jobs 100000] [--scrapes 30]

`--quick`: 10,000 jobs.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bench._common import (
    REPO_ROOT,
    RunInfo,
    base_parser,
    log,
    markdown_table,
    print_table,
    update_results,
)

sys.path.insert(0, str(REPO_ROOT))  # tests.support: the recording dispatcher

JOBS = 100_000
WORKERS = 20
STATUSES = (
    ("completed", 0.90),
    ("failed", 0.05),
    ("cancelled", 0.02),
    ("queued", 0.02),
    ("running", 0.01),
)
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED = 11


@contextmanager
def database(backend: str, work: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{work / name}.db"
        return
    import psycopg

    db = f"transcriber_bench_metrics_{name}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def load(url: str, jobs: int) -> float:
    from sqlalchemy import insert, text

    from transcriber.jobs.models import Job
    from transcriber.kit.db import make_engine, utcnow
    from transcriber.kit.migrate import upgrade
    from transcriber.users.models import User
    from transcriber.workers.models import Worker

    upgrade(url)
    if not jobs:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    engine = make_engine(url)
    now = utcnow()
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    with engine.begin() as connection:
        owner = uuid.uuid4()
        connection.execute(
            insert(User).values(id=owner, email="bench@example.org", password_hash="-", role="user")  # noqa: S106
        )
        batch = []
        for i in range(jobs):
            status = rng.choices(statuses, weights)[0]
            finished = status in ("completed", "failed", "cancelled")
            batch.append(
                {
                    "id": uuid.uuid4(),
                    "owner_id": owner,
                    "status": status,
                    "filename": f"recording-{i:06d}.m4a",
                    "model": "tiny.en",
                    "queue": "gpu" if i % 5 == 0 else "cpu",
                    "duration_s": rng.uniform(5, 3600),
                    "media_bytes": 1_000_000,
                    "created_at": now - timedelta(seconds=i + 60),
                    "updated_at": now,
                    "finished_at": now - timedelta(seconds=i) if finished else None,
                }
            )
            if len(batch) == 5_000:
                connection.execute(insert(Job), batch)
                batch = []
        if batch:
            connection.execute(insert(Job), batch)
        connection.execute(
            insert(Worker),
            [
                {
                    "id": f"host{n}:1:{n}",
                    "host": f"host{n}",
                    "pid": 1,
                    "queues": "gpu,cpu" if n % 2 else "cpu",
                    "device": "cpu",
                    "models": [],
                    "concurrency": 2,
                    "current_jobs": [],
                    "started_at": now,
                    "last_heartbeat_at": now,
                }
                for n in range(WORKERS)
            ],
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE jobs" if "postgresql" in url else "ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def scrape_times(url: str, work: Path, scrapes: int) -> tuple[list[float], list[float]]:
    """Client-side milliseconds per scrape, and the database part the scrape reports."""
    from fastapi.testclient import TestClient
    from prometheus_client.parser import text_string_to_metric_families
    from tests.support.app import RecordingDispatcher

    from transcriber.app import create_app
    from transcriber.config import Settings
    from transcriber.runtime import Runtime

    settings = Settings(
        data_dir=work / "data", database_url=url, environment="test", secret_key="b" * 32
    )
    runtime = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
    totals, database = [], []
    with TestClient(create_app(runtime=runtime)) as client:
        for n in range(scrapes + 3):
            started = time.perf_counter()
            response = client.get("/metrics")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.text
            families = {f.name: f for f in text_string_to_metric_families(response.text)}
            assert families["transcriber_fleet_up"].samples[0].value == 1
            if n >= 3:  # warm-up
                totals.append(elapsed)
                scrape = families["transcriber_fleet_scrape_duration_seconds"]
                database.append(scrape.samples[0].value * 1000)
    runtime.db.dispose()
    return totals, database


def avoided_queries_ms(url: str, repeats: int = 5) -> dict[str, float]:
    """What the scrape does not do (decision 0141): count every row by queue and status, and
    sum the audio seconds of every completed job. Median milliseconds of each."""
    from sqlalchemy import func, select

    from transcriber.jobs.models import Job
    from transcriber.kit.db import make_engine

    queries = {
        "every row by queue and status": select(Job.queue, Job.status, func.count()).group_by(
            Job.queue, Job.status
        ),
        "audio of every completed job": select(Job.queue, func.sum(Job.duration_s))
        .where(Job.status == "completed")
        .group_by(Job.queue),
    }
    engine = make_engine(url)
    medians = {}
    with engine.connect() as connection:
        for name, query in queries.items():
            times = []
            for _ in range(repeats + 1):
                started = time.perf_counter()
                connection.execute(query).all()
                times.append((time.perf_counter() - started) * 1000)
            medians[name] = statistics.median(times[1:])
    engine.dispose()
    return medians


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--scrapes", type=int, default=30)
    args = parser.parse_args(argv)
    jobs = args.jobs or (10_000 if args.quick else JOBS)
    info = RunInfo.start()
    rows = []
    notes = []
    for backend in [b for b in args.backends.split(",") if b]:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            with database(backend, work, "empty") as empty_url:
                load(empty_url, 0)
                empty, empty_db = scrape_times(empty_url, work, args.scrapes)
            with database(backend, work, "loaded") as url:
                log(f"{backend}: loading {jobs:,} jobs")
                load_s = load(url, jobs)
                loaded, loaded_db = scrape_times(url, work, args.scrapes)
                avoided = avoided_queries_ms(url)
        notes.append(f"- {backend}: {jobs:,} jobs and {WORKERS} workers loaded in {load_s:.0f} s")
        base = statistics.median(empty)
        for label, totals, db in (
            ("empty", empty, empty_db),
            (f"{jobs:,} jobs", loaded, loaded_db),
        ):
            rows.append(
                [
                    backend,
                    label,
                    len(totals),
                    f"{statistics.median(totals):.1f}",
                    f"{pct(totals, 95):.1f}",
                    f"{statistics.median(db):.1f}",
                    f"{statistics.median(totals) / base:.2f}x",
                ]
            )
        for name, ms in avoided.items():
            rows.append([backend, f"{jobs:,} jobs: {name} (not done)", 5, "", "", f"{ms:.1f}", ""])
    info.finish()
    headers = ["backend", "database", "scrapes", "p50 ms", "p95 ms", "database p50 ms", "vs empty"]
    print_table("GET /metrics", headers, rows)
    body = "\n".join(
        [
            "## Metrics scrape cost (bench/metrics_scrape.py)",
            "",
            info.markdown(),
            *notes,
            f"- {args.scrapes} timed scrapes after 3 warm-up ones, one at a time through "
            "FastAPI's TestClient; `database` is the scrape's own "
            "`transcriber_fleet_scrape_duration_seconds`; the `(not done)` rows time alone the "
            "all-row aggregates the scrape avoids (decision 0141)",
            "",
            markdown_table(headers, rows),
        ]
    )
    if not args.no_write:
        update_results("metrics_scrape", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

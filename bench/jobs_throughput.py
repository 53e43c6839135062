"""Jobs per minute through the whole system, and what the database and broker cost per job.

20 short English files (about 3 minutes of speech) are transcribed with tiny.en:

1. baseline: `WhisperEngine.transcribe` in this process, one file after the other, the model
   loaded and warm (the work a worker cannot avoid);
2. the system: jobs created through `JobService` (as the API does: store, probe, insert, fair
   dispatch), delivered by a private Redis, run by 1 and then 2 `transcriber worker` processes
   (concurrency 1) on a private PostgreSQL cluster that logs every statement, with the
   production settings (poll 1 s, heartbeat 15 s, maintenance 2 s).

Reported: jobs per minute, wall time against the baseline (overhead ratio = system / baseline
- 1), the time inside workers (claim to completion) against the baseline, the wait from
submission to start, and per job: SQL statements (by process kind, from the server's statement
log) and Redis commands (from `INFO commandstats`).

    .venv/bin/python -m bench.jobs_throughput [--quick] [--no-write]
"""

from __future__ import annotations

import collections
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._common import (
    REPO_ROOT,
    RunInfo,
    base_parser,
    bench_settings,
    log,
    manifest,
    markdown_table,
    print_table,
    speech_dir,
    update_results,
)

sys.path.insert(0, str(REPO_ROOT))  # tests.support holds the private servers and the fleet

FILES = 20
# The production defaults, not the shortened ones of the fault tests.
PRODUCTION_INTERVALS = {
    "worker__lease_s": "120",
    "worker__heartbeat_s": "15",
    "worker__poll_s": "1",
    "worker__maintenance_interval_s": "2",
    "worker__redispatch_after_s": "120",
    "whisper__device": "cpu",
    "whisper__compute_type": "int8",
}


def short_english_files(count: int) -> list[Path]:
    entries = [
        (float(e["duration_s"]), name)
        for name, e in manifest().items()
        if e.get("language") == "en" and float(e.get("duration_s") or 0) <= 30
    ]
    names = [name for _, name in sorted(entries)][:count]
    if len(names) < count:
        raise SystemExit(f"only {len(names)} short English files in the test data")
    return [speech_dir() / name for name in names]


def baseline(files: Sequence[Path]) -> tuple[float, float]:
    """Seconds to transcribe the files one after the other in-process; and their audio length."""
    from transcriber.asr.audio import probe
    from transcriber.asr.engine import WhisperEngine
    from transcriber.asr.types import TranscribeOptions

    engine = WhisperEngine(bench_settings(), concurrency=1)
    options = TranscribeOptions(model="tiny.en")
    engine.load("tiny.en")
    list(engine.transcribe(files[0], options).segments)  # warm up
    audio = 0.0
    start = time.perf_counter()
    for path in files:
        audio += probe(path).duration_s
        list(engine.transcribe(path, options).segments)
    return time.perf_counter() - start, audio


@dataclass
class SystemRun:
    workers: int
    threads: int
    wall_s: float
    in_worker_s: float
    wait_s: float
    statements: dict[str, int]
    redis_commands: int
    redis_top: list[tuple[str, int]]
    job_s: float  # claim to end, summed over jobs, as the workers logged it
    db_s: float  # of which in database transactions
    transactions: int
    dispatch_s: float  # the dispatch pass (database and broker) after each job


_JOB_LINE = re.compile(
    r"job [0-9a-f-]{36} completed in (?P<job>[\d.]+) s; database (?P<db>[\d.]+) s in "
    r"(?P<n>\d+) transactions; next dispatch (?P<dispatch>[\d.]+) s"
)


def _worker_timings(logs: str) -> tuple[float, float, int, float]:
    job = db = dispatch = 0.0
    transactions = 0
    for match in _JOB_LINE.finditer(logs):
        job += float(match.group("job"))
        db += float(match.group("db"))
        transactions += int(match.group("n"))
        dispatch += float(match.group("dispatch"))
    return job, db, transactions, dispatch


def _statement_counts(log_path: Path, since: int) -> tuple[dict[str, int], int]:
    """Statements per application name (`log_line_prefix` is `<%a>`), from offset `since`."""
    counts: collections.Counter[str] = collections.Counter()
    text = log_path.read_text(errors="replace")
    pattern = re.compile(r"^<(?P<app>[^>]*)>.*?LOG:\s+(statement|execute [^:]*):", re.M)
    for match in pattern.finditer(text, since):
        counts[match.group("app") or "other"] += 1
    return dict(counts), len(text)


def _submit_all(url: str, settings: object, owner_id: object, files: Sequence[Path]) -> list:
    """Create the jobs as the API would (store, probe, insert, fair dispatch), on a connection
    of its own so its statements are counted apart from the benchmark's polling."""
    from transcriber.config import Settings
    from transcriber.jobs.schemas import JobOptions
    from transcriber.jobs.service import JobService
    from transcriber.kit.db import make_engine, make_sessionmaker, transaction
    from transcriber.kit.storage import LocalStorage
    from transcriber.users.models import User
    from transcriber.worker.dispatch import CeleryDispatcher

    assert isinstance(settings, Settings)
    engine = make_engine(f"{url}?application_name=api")
    sessions = make_sessionmaker(engine)
    dispatcher = CeleryDispatcher(settings)
    ids = []
    try:
        for path in files:
            with transaction(sessions) as session, path.open("rb") as source:
                owner = session.get(User, owner_id)
                assert owner is not None
                service = JobService(
                    session, settings, LocalStorage(settings.media_dir), dispatcher
                )
                ids.append(service.create_from_stream(owner, source, path.name, JobOptions()).id)
    finally:
        engine.dispose()
    return ids


def _redis_stats(port: int) -> dict[str, int]:
    import redis

    info = redis.Redis(port=port).info("commandstats")
    return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in info.items()}


def system_run(
    files: Sequence[Path], workers: int, threads: int, pg: object, redis_server: object
) -> SystemRun:
    from tests.support.fleet import Fleet
    from tests.support.servers import PrivatePostgres, PrivateRedis

    assert isinstance(pg, PrivatePostgres) and isinstance(redis_server, PrivateRedis)
    root = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    overrides = {f"TRANSCRIBER_{k.upper()}": v for k, v in PRODUCTION_INTERVALS.items()}
    overrides["TRANSCRIBER_WHISPER__CPU_THREADS"] = str(threads)
    try:
        with pg.database() as url:
            f = Fleet(root, f"{url}?application_name=monitor", redis_server.url, overrides)
            try:
                worker_url = f"{url}?application_name=worker"
                for _ in range(workers):
                    f.start_worker(TRANSCRIBER_DATABASE_URL=worker_url)
                f.wait_for_workers(workers)
                owner = f.user("bench@example.org")
                time.sleep(1.0)
                log_path = pg.root / "server.log"
                _, since = _statement_counts(log_path, 0)
                redis_before = _redis_stats(redis_server.port)
                start = time.perf_counter()
                ids = _submit_all(url, f.settings(), owner, files)
                jobs = f.wait_all_finished(ids, timeout_s=1800)
                wall = time.perf_counter() - start
                failed = [j.filename for j in jobs if j.status != "completed"]
                if failed:
                    raise SystemExit(f"jobs did not complete: {failed}\n{f.diagnostics()}")
                time.sleep(1.0)  # the last statements reach the log
                statements, _ = _statement_counts(log_path, since)
                redis_after = _redis_stats(redis_server.port)
                timings = _worker_timings(f.worker_logs())
            finally:
                f.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    in_worker = sum(
        (j.finished_at - j.started_at).total_seconds()
        for j in jobs
        if j.finished_at and j.started_at
    )
    waits = [(j.started_at - j.created_at).total_seconds() for j in jobs if j.started_at]
    delta = {k: v - redis_before.get(k, 0) for k, v in redis_after.items()}
    delta = {k: v for k, v in delta.items() if v > 0 and k not in ("info",)}
    return SystemRun(
        workers=workers,
        threads=threads,
        wall_s=wall,
        in_worker_s=in_worker,
        wait_s=statistics.mean(waits),
        statements=statements,
        redis_commands=sum(delta.values()),
        redis_top=sorted(delta.items(), key=lambda kv: -kv[1])[:6],
        job_s=timings[0],
        db_s=timings[1],
        transactions=timings[2],
        dispatch_s=timings[3],
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = base_parser(__doc__ or "")
    args = parser.parse_args(argv)
    from tests.support.servers import PrivatePostgres, PrivateRedis

    count = 8 if args.quick else FILES
    files = short_english_files(count)
    info = RunInfo.start()
    log(f"baseline: {count} files in-process")
    base_s, audio_s = baseline(files)
    log(f"baseline {base_s:.1f} s for {audio_s:.0f} s of audio")
    pg = PrivatePostgres(options="-c log_statement=all -c log_line_prefix='<%a>'")
    redis_server = PrivateRedis()
    pg.start()
    redis_server.start()
    runs: list[SystemRun] = []
    try:
        for workers, threads in ((1, 2), (2, 1)):
            log(f"system: {workers} worker process(es), {threads} CPU thread(s) each")
            runs.append(system_run(files, workers, threads, pg, redis_server))
            log(f"  {runs[-1].wall_s:.1f} s")
    finally:
        redis_server.stop()
        pg.destroy()
    info.finish()

    rows = [
        [
            "engine in-process (baseline)",
            f"{count / base_s * 60:.1f}",
            f"{base_s:.1f}",
            "1.00",
            "-",
            "-",
        ]
    ]
    for run in runs:
        rows.append(
            [
                f"{run.workers} worker process(es) x {run.threads} thread(s)",
                f"{count / run.wall_s * 60:.1f}",
                f"{run.wall_s:.1f}",
                f"{run.wall_s / base_s:.2f}",
                f"{run.in_worker_s / base_s:.2f}",
                f"{run.wait_s:.1f}",
            ]
        )
    headers = [
        "run",
        "jobs/min",
        "wall s",
        "wall / baseline",
        "in-worker s / baseline",
        "mean wait to start s",
    ]
    print_table("Throughput", headers, rows)
    cost_rows = []
    for run in runs:
        per_job = {
            k: v / count for k, v in sorted(run.statements.items()) if k in ("api", "worker")
        }
        cost_rows.append(
            [
                f"{run.workers} x {run.threads}",
                f"{sum(per_job.values()):.1f}",
                ", ".join(f"{k}: {v:.1f}" for k, v in per_job.items()),
                f"{run.redis_commands / count:.1f}",
                ", ".join(f"{k} {v}" for k, v in run.redis_top),
            ]
        )
    inside_rows = [
        [
            f"{run.workers} x {run.threads}",
            f"{run.job_s / count:.2f}",
            f"{run.transactions / count:.1f}",
            f"{run.db_s / count * 1000:.0f}",
            f"{run.dispatch_s / count * 1000:.0f}",
            f"{(run.db_s + run.dispatch_s) / max(run.job_s - run.db_s, 1e-9):.1%}",
        ]
        for run in runs
    ]
    inside_headers = [
        "run",
        "job s (claim to end)",
        "transactions / job",
        "database ms / job",
        "dispatch ms / job (db + broker)",
        "(database + dispatch) / transcription",
    ]
    print_table("Inside the worker, per job", inside_headers, inside_rows)
    cost_headers = [
        "run",
        "SQL statements / job",
        "by process",
        "Redis commands / job",
        "top Redis commands (total)",
    ]
    print_table("Database and broker per job", cost_headers, cost_rows)
    overhead = runs[0].wall_s / base_s - 1
    per_job_s = (runs[0].wall_s - base_s) / count
    body = "\n".join(
        [
            "## Jobs through the system (bench/jobs_throughput.py)",
            "",
            info.markdown(),
            f"- {count} short English files, {audio_s:.0f} s of audio, tiny.en int8 on the CPU; "
            "PostgreSQL and Redis private to the run, on the same machine",
            "",
            markdown_table(headers, rows),
            "",
            markdown_table(inside_headers, inside_rows),
            "",
            markdown_table(cost_headers, cost_rows),
            "",
            "The database and broker overhead per job, as the workers time it (every database "
            "transaction of the job, and the dispatch pass with its broker publish after it), "
            "against the rest of the job's time (decoding and transcribing): "
            f"{(runs[0].db_s + runs[0].dispatch_s) / max(runs[0].job_s - runs[0].db_s, 1e-9):.1%}"
            " with one worker. Wall time against the baseline: the whole system takes "
            f"{overhead:+.1%} over the in-process transcription time, {per_job_s:+.2f} s per "
            f"job (storing and probing the "
            "upload, the fair dispatch, the broker round trip, claim, segment writes, "
            "completion, and the idle gap between a job's end and the next claim). "
            "`api` is the benchmark creating jobs as the API does (quota checks, insert, the "
            "dispatch pass after the commit); `worker` includes the workers' heartbeats, job "
            "watch (one SELECT per second per running job) and scheduler maintenance over "
            "the whole run, so it grows with the run's length. Redis commands include the "
            "idle consumers' polling.",
        ]
    )
    if not args.no_write:
        update_results("jobs_throughput", body)
        log("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()

"""What the service adds: one file through `POST /api/v1/jobs` against faster-whisper called
directly, as a ratio of wall times.

Service: a real `transcriber serve` process (API + its embedded Celery worker, SQLite database
and broker on a temporary data dir), signed in through `POST /api/v1/auth/setup`; the file is
POSTed as multipart and `GET /api/v1/jobs/{id}` is polled every second until `completed`. Time
runs from the moment the POST is sent to the job's `finished_at` (the server's clock, same
machine; the first poll that sees `completed` is reported too).

Direct: a fresh Python process that loads the same model folder with `WhisperModel(...,
compute_type="int8", cpu_threads=<the worker's threads per job>)` and consumes the decoder a
job gets by default with the same options (language="en", vad_filter=True, the engine's
vad_parameters, beam_size=5): `BatchedInferencePipeline(model).transcribe(path,
batch_size=<the default>, word_timestamps=True, ...)`, or `model.transcribe(...)` when the
default batch size is 0.

Two comparisons:

* model already loaded: the worker has done a short warm-up job; the direct process has loaded
  the model and transcribed the same warm-up clip before its clock starts;
* including model load (cold): from spawning `transcriber serve` on an empty data dir to the
  job's end, against from spawning the direct process to its end (interpreter, imports, model
  load, transcription). The first job's POST to end on the fresh service is shown as well.

    .venv/bin/python -m bench.service_overhead [--quick] [--minutes 3] [--concurrency 2,1]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench._common import (
    REPO_ROOT,
    WORK_DIR,
    LongAudio,
    RunInfo,
    base_parser,
    corpus_wer,
    default_batch_size,
    log,
    long_audio,
    markdown_table,
    model_path,
    nproc,
    print_table,
    serve,
    speech_dir,
    update_results,
)

KEY = "service_overhead"
MODEL = "tiny.en"
GOAL = 1.05
# The job's end is read from its `finished_at`, so polling only has to notice it; a GET costs
# the API ~12 ms of CPU, so polling every 0.2 s would add ~5 % CPU to a 1-thread job.
POLL_S = 1.0
IDLE_SAMPLE_S = 10.0
WARMUP = "jfk.flac"


# --- direct faster-whisper, in a child process ---------------------------------------------------


def direct_child(audio: Path, threads: int, warm: bool) -> dict[str, Any]:
    """Load, (warm up,) transcribe; report the timings this process measured itself."""
    t_start = time.perf_counter()
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from transcriber.asr.engine import VAD_PARAMETERS

    t_imported = time.perf_counter()
    model = WhisperModel(
        str(model_path(MODEL)), device="cpu", compute_type="int8", cpu_threads=threads
    )
    t_loaded = time.perf_counter()

    # The decoder a job gets by default: batched (with the word times the engine cuts
    # sentences by), or the sequential one when the default batch size is 0.
    batch_size = int(default_batch_size())
    pipeline = BatchedInferencePipeline(model=model) if batch_size > 0 else None

    def run(path: Path) -> str:
        options: dict[str, Any] = {
            "language": "en",
            "vad_filter": True,
            "vad_parameters": dict(VAD_PARAMETERS),
            "beam_size": 5,
        }
        if pipeline is not None:
            segments, _ = pipeline.transcribe(
                str(path), batch_size=batch_size, word_timestamps=True, **options
            )
        else:
            segments, _ = model.transcribe(str(path), **options)
        return " ".join(s.text.strip() for s in segments)

    if warm:
        run(speech_dir() / WARMUP)
    t0, c0 = time.perf_counter(), time.process_time()
    text = run(audio)
    t1, c1 = time.perf_counter(), time.process_time()
    return {
        "transcribe_cpu_s": c1 - c0,
        "import_s": t_imported - t_start,
        "load_s": t_loaded - t_imported,
        "transcribe_s": t1 - t0,
        "load_and_transcribe_s": (t1 - t0) + (t_loaded - t_imported),
        "text": text,
    }


@dataclass(slots=True)
class DirectRun:
    threads: int
    warm: bool
    process_s: float  # spawn to exit, seen by the parent
    process_cpu_s: float  # CPU time of the whole child process
    load_s: float
    transcribe_s: float
    transcribe_cpu_s: float
    text: str


def run_direct(audio: LongAudio, threads: int, warm: bool) -> DirectRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCRIBER_")}
    args = [str(audio.path), str(threads), "1" if warm else "0"]
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.service_overhead", "--child", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    process_s = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    process_cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"the direct run failed:\n{proc.stderr[-4000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return DirectRun(
        threads,
        warm,
        process_s,
        process_cpu_s,
        float(data["load_s"]),
        float(data["transcribe_s"]),
        float(data["transcribe_cpu_s"]),
        str(data["text"]),
    )


# --- the service -------------------------------------------------------------------------------


@dataclass(slots=True)
class Service:
    process: subprocess.Popen[bytes]
    client: httpx.Client
    spawned_at: float  # time.time()
    log_path: Path

    def cpu_s(self) -> float:
        """CPU seconds used so far by `serve` and every live process under it (the worker)."""
        import psutil

        total = 0.0
        try:
            root = psutil.Process(self.process.pid)
            for proc in [root, *root.children(recursive=True)]:
                try:
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                total += times.user + times.system
        except psutil.Error:
            pass
        return total


@contextmanager
def service(concurrency: int, root: Path) -> Iterator[Service]:
    """`transcriber serve` with its embedded worker on an empty data dir, signed in as admin."""
    env = {
        "TRANSCRIBER_WORKER__CONCURRENCY": str(concurrency),
        # Polling every 0.2 s for minutes is more than the default per-user limit allows.
        "TRANSCRIBER_AUTH__API_RATE_LIMIT": "100000/minute",
    }
    with serve(root, f"c{concurrency}", env) as running:
        yield Service(running.process, running.client, running.spawned_at, running.log_path)


def _ts(value: str | None) -> float | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


@dataclass(slots=True)
class JobRun:
    post_sent: float  # time.time()
    post_s: float  # the POST's own round trip (upload, probe, row, enqueue)
    seen_done: float  # time.time() of the first poll that saw `completed`
    cpu_s: float  # CPU seconds of the service's processes from the POST to `completed`
    created: float
    started: float
    finished: float
    text: str = ""
    polls: int = 0

    @property
    def to_finished_s(self) -> float:
        return self.finished - self.post_sent

    @property
    def to_seen_s(self) -> float:
        return self.seen_done - self.post_sent

    @property
    def queued_s(self) -> float:
        return self.started - self.created

    @property
    def running_s(self) -> float:
        return self.finished - self.started


def submit(svc: Service, path: Path, timeout_s: float = 3600) -> JobRun:
    client = svc.client
    body = path.read_bytes()
    cpu0 = svc.cpu_s()
    post_sent = time.time()
    response = client.post(
        "/api/v1/jobs",
        files={"file": (path.name, body)},
        data={"model": MODEL, "language": "en", "vad": "true"},
    )
    post_s = time.time() - post_sent
    if response.status_code != 202:
        raise RuntimeError(f"POST /api/v1/jobs: {response.status_code} {response.text}")
    job_id = response.json()["id"]
    deadline = time.monotonic() + timeout_s
    polls = 0
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        polls += 1
        if job.get("status") == "completed":
            seen = time.time()
            cpu = svc.cpu_s() - cpu0
            break
        if job.get("status") in ("failed", "cancelled"):
            raise RuntimeError(f"job {job_id} ended {job['status']}: {job.get('error')}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job_id} did not finish in {timeout_s} s")
        time.sleep(POLL_S)
    transcript = client.get(f"/api/v1/jobs/{job_id}/transcript").json()
    created, started, finished = (
        _ts(job.get(k)) for k in ("created_at", "started_at", "finished_at")
    )
    return JobRun(
        post_sent=post_sent,
        post_s=post_s,
        seen_done=seen,
        cpu_s=cpu,
        created=created or post_sent,
        started=started or post_sent,
        finished=finished or seen,
        text=str(transcript.get("text", "")),
        polls=polls,
    )


# --- the comparison ------------------------------------------------------------------------------


@dataclass(slots=True)
class Comparison:
    concurrency: int
    threads: int
    direct_warm: list[DirectRun] = field(default_factory=list)
    direct_cold: list[DirectRun] = field(default_factory=list)
    service_warm: list[JobRun] = field(default_factory=list)
    service_first: JobRun | None = None
    service_cold_s: float = 0.0  # spawn of serve to the first job's end
    service_cold_cpu_s: float = 0.0
    service_startup_s: float = 0.0  # spawn of serve to signed in
    idle_cpu_per_s: float = 0.0  # the service's own CPU use with no job (heartbeats, polling)


def compare(audio: LongAudio, concurrency: int, rounds: int, root: Path) -> Comparison:
    threads = max(1, nproc() // concurrency)
    c = Comparison(concurrency, threads)
    log(f"worker concurrency {concurrency} ({threads} thread(s) per job)")
    # Cold first, back to back: the direct process, then a service on an empty data dir.
    c.direct_cold.append(run_direct(audio, threads, warm=False))
    log(f"  direct, cold: {c.direct_cold[-1].process_s:.1f} s from spawn to exit")
    with service(concurrency, root) as svc:
        c.service_startup_s = time.time() - svc.spawned_at
        first = submit(svc, audio.path)
        c.service_first = first
        c.service_cold_s = first.finished - svc.spawned_at
        c.service_cold_cpu_s = svc.cpu_s()
        log(f"  service, cold: {c.service_cold_s:.1f} s from spawn to the job's end")
        submit(svc, speech_dir() / WARMUP)  # the warm-up job
        cpu0, t0 = svc.cpu_s(), time.perf_counter()
        time.sleep(IDLE_SAMPLE_S)
        c.idle_cpu_per_s = (svc.cpu_s() - cpu0) / (time.perf_counter() - t0)
        # Warm rounds, alternating, so slow spells of a busy machine hit both sides alike.
        for i in range(rounds):
            c.direct_warm.append(run_direct(audio, threads, warm=True))
            log(f"  direct, warm #{i + 1}: {c.direct_warm[-1].transcribe_s:.2f} s")
            c.service_warm.append(submit(svc, audio.path))
            log(f"  service, warm #{i + 1}: {c.service_warm[-1].to_finished_s:.2f} s")
    return c


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    comparisons: Sequence[Comparison], audio: LongAudio, info: RunInfo, quick: bool
) -> tuple[str, list[list[object]]]:
    rows: list[list[object]] = []
    notes: list[str] = []
    for c in comparisons:
        dw = _median([d.transcribe_s for d in c.direct_warm])
        dw_cpu = _median([d.transcribe_cpu_s for d in c.direct_warm])
        sw = _median([s.to_finished_s for s in c.service_warm])
        sw_cpu = _median([s.cpu_s for s in c.service_warm])
        seen = _median([s.to_seen_s for s in c.service_warm])
        queued = _median([s.queued_s for s in c.service_warm])
        post = _median([s.post_s for s in c.service_warm])
        running = _median([s.running_s for s in c.service_warm])
        dc = c.direct_cold[0]
        first = c.service_first
        setting = f"{c.concurrency} ({c.threads} thread{'s' if c.threads > 1 else ''}/job)"
        rows.append(
            [
                setting,
                "model loaded",
                f"{dw:.2f}",
                f"{sw:.2f}",
                f"**{sw / dw:.3f}**",
                f"{dw_cpu:.2f} / {sw_cpu:.2f}",
                f"**{sw_cpu / dw_cpu:.3f}**",
                f"{seen:.2f}",
                f"{post:.2f} / {queued:.2f} / {running:.2f}",
            ]
        )
        rows.append(
            [
                setting,
                "including model load: spawn to end",
                f"{dc.process_s:.2f}",
                f"{c.service_cold_s:.2f}",
                f"**{c.service_cold_s / dc.process_s:.3f}**",
                f"{dc.process_cpu_s:.2f} / {c.service_cold_cpu_s:.2f}",
                f"**{c.service_cold_cpu_s / dc.process_cpu_s:.3f}**",
                "",
                f"serve up, signed in: {c.service_startup_s:.2f}",
            ]
        )
        if first is not None:
            direct_first = dc.load_s + dc.transcribe_s
            rows.append(
                [
                    setting,
                    "first job on a fresh service: POST to end vs load + transcribe",
                    f"{direct_first:.2f}",
                    f"{first.to_finished_s:.2f}",
                    f"{first.to_finished_s / direct_first:.3f}",
                    f"- / {first.cpu_s:.2f}",
                    "",
                    f"{first.to_seen_s:.2f}",
                    f"{first.post_s:.2f} / {first.queued_s:.2f} / {first.running_s:.2f}",
                ]
            )
        wer_d = corpus_wer([audio.reference], [c.direct_warm[0].text]) if c.direct_warm else 0
        wer_s = corpus_wer([audio.reference], [c.service_warm[0].text]) if c.service_warm else 0
        spread_d = ", ".join(f"{d.transcribe_s:.2f}" for d in c.direct_warm)
        spread_s = ", ".join(f"{s.to_finished_s:.2f}" for s in c.service_warm)
        notes.append(
            f"- concurrency {c.concurrency}: warm rounds direct [{spread_d}] s, service "
            f"[{spread_s}] s; WER of the text, direct {wer_d:.3f}, service {wer_s:.3f}; the "
            f"idle service (API + worker, no job) uses {c.idle_cpu_per_s * 100:.1f} % of a CPU."
        )
    headers = [
        "worker concurrency",
        "comparison",
        "direct s",
        "service s",
        "wall: service / direct",
        "CPU s: direct / service",
        "CPU: service / direct",
        "service, seen by polling s",
        "service: POST / queued / running s",
    ]
    lines = [
        "## Service overhead: POST /api/v1/jobs against faster-whisper directly",
        "",
        info.markdown(),
        "",
        f"The same {audio.minutes:g}-minute file of real speech, tiny.en, int8, language en, "
        "VAD on, beam 5. Service: `transcriber serve` with its embedded worker, SQLite "
        "database and broker on a fresh data dir, `TRANSCRIBER_WORKER__CONCURRENCY` as shown "
        "(the default is one job slot per core: 1 thread per job here); the time runs from "
        "sending the multipart POST to the job's `finished_at`. Direct: a fresh process calling "
        "`WhisperModel(same folder, int8, cpu_threads=<the worker's threads per job>)` and "
        f"the decoder a job gets by default (batch size {default_batch_size()}: "
        "`BatchedInferencePipeline` with word timestamps, as the engine runs it; 0 would be "
        "the sequential `transcribe`) with the same options. `model loaded`: the worker did a "
        "short warm-up job first, the direct process loaded the model and transcribed the same "
        "clip before its clock started (median of the rounds). `including model load`: from "
        "spawning `transcriber serve` (API and worker start, migrations, model load) to the "
        "job's end, against spawning the direct process (imports, model load) to its exit. "
        "CPU s: CPU time of the direct process (transcription only when warm, the whole "
        "process when cold) against that of `serve` and its worker from the POST to "
        "`completed` (from spawn when cold), read with psutil; a busy machine stretches wall "
        "times but hardly CPU times. "
        f"Goal: the service adds under {round((GOAL - 1) * 100)} %.",
        "",
        markdown_table(headers, rows),
        "",
        *notes,
        "",
    ]
    if quick:
        lines += ["_Quick run (`--quick`): a shorter file, one round; a smoke test._", ""]
    return "\n".join(lines), rows


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        path, threads, warm = argv[1:4]
        print(json.dumps(direct_child(Path(path), int(threads), warm == "1")))
        return 0
    parser = base_parser(__doc__ or "")
    parser.add_argument("--minutes", type=float, default=None, help="file length (default 3)")
    parser.add_argument(
        "--concurrency",
        default=None,
        help="worker concurrencies to compare, comma-separated (default: nproc, then 1)",
    )
    parser.add_argument("--rounds", type=int, default=None, help="warm rounds (default 2)")
    args = parser.parse_args(argv)
    info = RunInfo.start()
    audio = long_audio(args.minutes or (1.0 if args.quick else 3.0))
    model_path(MODEL)
    default_concurrency = str(nproc()) if args.quick else f"{nproc()},1"
    concurrencies = [int(c) for c in (args.concurrency or default_concurrency).split(",")]
    rounds = args.rounds or (1 if args.quick else 2)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="service-", dir=WORK_DIR) as tmp:
        comparisons = [compare(audio, c, rounds, Path(tmp)) for c in concurrencies]
    info.finish()
    body, rows = report(comparisons, audio, info, args.quick)
    print_table(
        "service overhead",
        [
            "concurrency",
            "comparison",
            "direct",
            "service",
            "ratio",
            "CPU d/s",
            "CPU ratio",
            "seen",
            "post/queue/run",
        ],
        rows,
    )
    print("\n".join(line for line in body.splitlines() if line.startswith("- concurrency")))
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A 1 GiB upload through tus and through multipart: the server's memory and the speed.

The same 1 GiB WAV (16-bit stereo at 48 kHz, 93 minutes of a quiet tone: real media that the
server probes and accepts) is sent to one `transcriber serve --no-worker` (SQLite, local
storage, a fresh data dir; no worker, so nothing transcribes) three ways:

* tus with `tuspy` (the Python tus client), 64 MiB chunks, `create_job` in the metadata;
* tus as one PATCH of the whole file (what a client without chunking does);
* multipart `POST /api/v1/jobs` with httpx streaming the file.

Server RSS (psutil, the serve process and its children) is sampled every 20 ms from before the
upload to the job's creation: growth = peak - before. Throughput is bytes / wall time from the
first byte sent to the answer that made the job, as a ratio of a plain local copy of the same
file (1 MiB reads and writes to the same disk) timed in the same run. Goals (issue #4): growth under
64 MiB, throughput at least 0.5 of the copy.

    .venv/bin/python -m bench.uploads [--quick] [--no-write]
"""

from __future__ import annotations

import base64
import statistics
import struct
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench._common import (
    WORK_DIR,
    RssSampler,
    RunInfo,
    base_parser,
    log,
    markdown_table,
    print_table,
    serve,
    update_results,
)

KEY = "uploads"
GIB = 1024**3
RATE = 48_000
CHANNELS = 2
GOAL_RSS_MIB = 64.0
GOAL_RATIO = 0.5
TUS_CHUNK = 64 * 1024**2


def make_wav(path: Path, size: int) -> Path:
    """A valid PCM WAV of exactly `size` bytes (a 440 Hz tone), written 16 MiB at a time."""
    if path.is_file() and path.stat().st_size == size:
        return path
    data_bytes = size - 44
    frame = CHANNELS * 2
    data_bytes -= data_bytes % frame
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, CHANNELS, RATE, RATE * frame, frame, 16)
    header += b"data" + struct.pack("<I", data_bytes)
    period = [int(3000 * ((i % 109) / 54.5 - 1)) for i in range(109)]  # ~440 Hz saw
    one = b"".join(struct.pack("<hh", v, v) for v in period)
    block = one * (16 * 1024**2 // len(one))
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        out.write(header)
        left = data_bytes
        while left > 0:
            piece = block[: min(len(block), left)]
            out.write(piece)
            left -= len(piece)
    tmp.replace(path)
    return path


@dataclass(slots=True)
class Result:
    way: str
    seconds: float
    rss_before_mib: float
    rss_growth_mib: float
    job_id: str


def _metadata(path: Path) -> str:
    pairs = {"filename": path.name, "language": "en"}
    parts = [f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items()]
    return ",".join([*parts, "create_job"])


def upload_tuspy(client: httpx.Client, path: Path) -> str:
    from tusclient import client as tus

    token = client.headers["Authorization"]
    tus_client = tus.TusClient(
        f"{client.base_url}/api/v1/uploads", headers={"Authorization": token}
    )
    uploader = tus_client.uploader(
        str(path),
        chunk_size=TUS_CHUNK,
        metadata={"filename": path.name, "language": "en", "create_job": "true"},
    )
    uploader.upload()
    head = client.head(str(uploader.url), headers={"Tus-Resumable": "1.0.0"})
    return str(head.headers["Upload-Job-Id"])


def upload_tus_one_patch(client: httpx.Client, path: Path) -> str:
    size = path.stat().st_size
    created = client.post(
        "/api/v1/uploads",
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(size),
            "Upload-Metadata": _metadata(path),
        },
    )
    created.raise_for_status()
    with path.open("rb") as source:
        done = client.patch(
            created.headers["Location"],
            content=iter(lambda: source.read(1024**2), b""),
            headers={
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(size),
            },
        )
    if done.status_code != 204:
        raise RuntimeError(f"tus PATCH: {done.status_code} {done.text}")
    return str(done.headers["Upload-Job-Id"])


def upload_multipart(client: httpx.Client, path: Path) -> str:
    with path.open("rb") as source:
        response = client.post(
            "/api/v1/jobs", files={"file": (path.name, source)}, data={"language": "en"}
        )
    if response.status_code != 202:
        raise RuntimeError(f"multipart: {response.status_code} {response.text}")
    return str(response.json()["id"])


WAYS: dict[str, Callable[[httpx.Client, Path], str]] = {
    "tus, tuspy, 64 MiB chunks": upload_tuspy,
    "tus, one PATCH": upload_tus_one_patch,
    "multipart POST /api/v1/jobs": upload_multipart,
}


def local_copy_s(path: Path, rounds: int) -> float:
    """A plain copy of the bytes through user space, as a server must move them: read 1 MiB,
    write 1 MiB (`shutil.copyfile` would use the kernel's copy_file_range and never touch
    the bytes, which no upload can match)."""
    times = []
    for _ in range(rounds):
        target = path.with_name(f"copy-{uuid.uuid4().hex}.wav")
        t0 = time.perf_counter()
        with path.open("rb") as source, target.open("wb") as out:
            while chunk := source.read(1024**2):
                out.write(chunk)
        times.append(time.perf_counter() - t0)
        target.unlink()
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    args = parser.parse_args(argv)
    info = RunInfo.start()
    root = WORK_DIR / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    size = (128 * 1024**2) if args.quick else GIB
    path = make_wav(root / f"tone-{size // 1024**2}MiB.wav", size)
    log(f"file: {path} ({size / 1024**2:.0f} MiB)")
    env = {
        "TRANSCRIBER_LIMITS__MAX_UPLOAD_BYTES": str(4 * GIB),
        "TRANSCRIBER_QUOTAS__STORAGE_BYTES": "0",
        "TRANSCRIBER_QUOTAS__AUDIO_MINUTES_PER_MONTH": "0",
    }
    results: list[Result] = []
    copies: list[float] = []
    for way, upload in WAYS.items():
        copies.append(local_copy_s(path, rounds=1))
        with serve(root, "uploads", env, ["--no-worker"]) as running:
            time.sleep(1.0)  # let start-up settle before the baseline sample
            with RssSampler(running.process.pid, interval_s=0.02) as rss:
                t0 = time.perf_counter()
                job_id = upload(running.client, path)
                seconds = time.perf_counter() - t0
            results.append(
                Result(
                    way,
                    seconds,
                    rss.before_mb,
                    rss.peak_mb - rss.before_mb,
                    job_id,
                )
            )
            log(f"{way}: {seconds:.1f} s, server RSS +{results[-1].rss_growth_mib:.1f} MiB")
    copies.append(local_copy_s(path, rounds=1))
    copy_s = statistics.median(copies)
    info.finish()
    mib = size / 1024**2
    headers = [
        "way",
        "s",
        "MiB/s",
        "vs local copy",
        "server RSS before MiB",
        "server RSS growth MiB",
    ]
    copy_row: list[object] = ["local copy, 1 MiB reads and writes (median)", f"{copy_s:.2f}"]
    copy_row += [f"{mib / copy_s:.0f}", "1.00", "", ""]
    rows: list[list[object]] = [copy_row]
    for r in results:
        rows.append(
            [
                r.way,
                f"{r.seconds:.2f}",
                f"{mib / r.seconds:.0f}",
                f"**{copy_s / r.seconds:.2f}**",
                f"{r.rss_before_mib:.0f}",
                f"**{r.rss_growth_mib:.1f}**",
            ]
        )
    print_table("uploads", headers, rows)
    worst_growth = max(r.rss_growth_mib for r in results)
    worst_ratio = min(copy_s / r.seconds for r in results)
    body = "\n".join(
        [
            f"## Uploads: {mib:.0f} MiB through tus and multipart",
            "",
            info.markdown(),
            "",
            " ".join(
                (__doc__ or "").split("\n\n")[i].replace("\n", " ").replace("* ", "")
                for i in (1, 2, 3)
            ),
            "",
            markdown_table(headers, rows),
            "",
            f"- goals: server RSS growth under {GOAL_RSS_MIB:.0f} MiB (worst: "
            f"{worst_growth:.1f} MiB, {'met' if worst_growth < GOAL_RSS_MIB else 'missed'}); "
            f"throughput at least {GOAL_RATIO} of the local copy (worst: {worst_ratio:.2f}, "
            f"{'met' if worst_ratio >= GOAL_RATIO else 'missed'}).",
            "- every upload ended in a queued job (the server probed the file and accepted it).",
        ]
    )
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

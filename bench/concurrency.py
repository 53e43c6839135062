"""Total x realtime of one worker process running 1 or 2 jobs at once on one loaded model.

Two jobs (the same 5-minute file of real speech, language en, VAD on, beam 5), in one process:

* baseline: `WhisperEngine(settings, concurrency=1)` with `cpu_threads` = nproc, the jobs one
  after the other (one job owns every core);
* `WhisperEngine(settings, concurrency=2)`: one model loaded with CTranslate2 `num_workers=2`
  and `cpu_threads` = nproc / 2, the two jobs in two threads at once (what the worker's
  thread pool does with two job slots).

Total x realtime = audio seconds of both jobs / wall seconds from the first start to the last
end. Run for the sequential decoder and, with `--batch-sizes`, for batched decoding too.

    .venv/bin/python -m bench.concurrency [--quick] [--minutes 5] [--batch-sizes 0,8]
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench._common import (
    LongAudio,
    RunInfo,
    base_parser,
    bench_settings,
    corpus_wer,
    default_batch_size,
    log,
    long_audio,
    markdown_table,
    model_path,
    nproc,
    print_table,
    speech_dir,
    timed,
    update_results,
)

KEY = "concurrency"
MODEL = "tiny.en"
JOBS = 2


@dataclass(slots=True)
class Result:
    label: str
    batch_size: int
    concurrency: int
    cpu_threads: int
    audio_s: float
    wall_s: float
    cpu_s: float
    job_walls: list[float]
    wer: float

    @property
    def xrt(self) -> float:
        return self.audio_s / self.wall_s


def _job(engine: object, audio: LongAudio, texts: list[str], walls: list[float]) -> None:
    from transcriber.asr.engine import WhisperEngine
    from transcriber.asr.types import TranscribeOptions

    assert isinstance(engine, WhisperEngine)
    t0 = time.perf_counter()
    options = TranscribeOptions(model=MODEL, language="en", vad=True, beam_size=5)
    texts.append(" ".join(s.text for s in engine.transcribe(audio.path, options).segments))
    walls.append(time.perf_counter() - t0)


def run(audio: LongAudio, concurrency: int, batch_size: int) -> Result:
    from transcriber.asr.engine import WhisperEngine

    threads = max(1, nproc() // concurrency)
    settings = bench_settings(batch_size=batch_size, cpu_threads=threads)
    engine = WhisperEngine(settings, concurrency=concurrency)
    engine.load(MODEL)
    # A short clip first: the first call pays one-off costs (the VAD model, memory pools).
    _job(engine, LongAudio(speech_dir() / "jfk.flac", 11.0, ""), [], [])
    decoder = "sequential" if batch_size == 0 else f"batched {batch_size}"
    if concurrency == 1:
        label = f"{JOBS} jobs one after the other, {threads} threads each ({decoder})"
    else:
        label = f"{JOBS} jobs at once on one model, {threads} thread(s) each ({decoder})"
    log(label)
    texts: list[str] = []
    walls: list[float] = []
    with timed() as t:
        if concurrency == 1:
            for _ in range(JOBS):
                _job(engine, audio, texts, walls)
        else:
            workers = [
                threading.Thread(target=_job, args=(engine, audio, texts, walls))
                for _ in range(JOBS)
            ]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
    if len(texts) != JOBS:
        raise RuntimeError("a job failed; see the traceback above")
    wer = corpus_wer([audio.reference] * JOBS, texts)
    result = Result(
        label, batch_size, concurrency, threads, audio.duration_s * JOBS, t.wall_s, t.cpu_s,
        walls, wer,
    )  # fmt: skip
    log(f"  {result.xrt:.1f}x realtime in total, WER {wer:.3f}")
    del engine
    gc.collect()
    return result


def report(
    results: Sequence[Result], audio: LongAudio, info: RunInfo, quick: bool
) -> tuple[str, list[list[object]]]:
    rows: list[list[object]] = []
    for r in results:
        base = next(b for b in results if b.batch_size == r.batch_size and b.concurrency == 1)
        first_seq = next(b for b in results if b.batch_size == 0 and b.concurrency == 1)
        rows.append(
            [
                r.label,
                f"{r.wall_s:.1f}",
                " / ".join(f"{w:.1f}" for w in r.job_walls),
                f"{r.xrt:.1f}",
                f"{r.xrt / base.xrt:.2f}",
                f"{r.xrt / first_seq.xrt:.2f}",
                f"{r.audio_s / r.cpu_s:.1f}",
                f"{r.wer:.3f}",
            ]
        )
    headers = [
        "configuration",
        "wall s",
        "each job s",
        "total x realtime",
        "vs one after the other",
        "vs sequential decoder, one after the other",
        "audio s / CPU s",
        "WER",
    ]
    lines = [
        "## Concurrency: one or two jobs at once per worker process",
        "",
        info.markdown(),
        "",
        f"{JOBS} jobs of the same {audio.minutes:g}-minute file (tiny.en, int8, language en, VAD "
        "on, beam 5) in one process. One after the other: `WhisperEngine(concurrency=1)`, "
        f"`cpu_threads`={nproc()}. At once: `WhisperEngine(concurrency=2)` = one model with "
        f"CTranslate2 `num_workers=2`, `cpu_threads`={max(1, nproc() // 2)} per job, each job in "
        "its own thread as the worker's thread pool runs them. Total x realtime = audio seconds "
        "of all jobs / wall seconds.",
        "",
        markdown_table(headers, rows),
        "",
    ]
    if quick:
        lines += ["_Quick run (`--quick`): a shorter file; a smoke test._", ""]
    return "\n".join(lines), rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--minutes", type=float, default=None, help="file length (default 5)")
    parser.add_argument(
        "--batch-sizes",
        default=None,
        help="decoders, comma-separated (0 = sequential; default: the engine's default, "
        "settings.whisper.batch_size)",
    )
    args = parser.parse_args(argv)
    info = RunInfo.start()
    audio = long_audio(args.minutes or (1.0 if args.quick else 5.0))
    model_path(MODEL)
    results: list[Result] = []
    for batch in [int(b) for b in (args.batch_sizes or default_batch_size()).split(",")]:
        results.append(run(audio, 1, batch))
        results.append(run(audio, 2, batch))
    info.finish()
    body, rows = report(results, audio, info, args.quick)
    print_table(
        "concurrency",
        ["configuration", "wall", "jobs", "xRT", "vs 1x1", "vs seq", "aud/CPU", "WER"],
        rows,
    )
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

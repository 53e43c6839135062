"""Peak RSS of a worker-equivalent process against the length of the audio.

Each measurement runs in a fresh Python process (so peaks never carry over) that builds the
engine the way a worker does (`WhisperEngine(settings, concurrency=<the worker's>)`, model
loaded once with CTranslate2 `num_workers` = that concurrency), transcribes one file with the
job defaults (language en, VAD on, beam 5), consumes every segment and reports its own peak RSS
(`getrusage(RUSAGE_SELF).ru_maxrss`) plus RSS samples taken every 0.5 s. The files are 5, 30, 60
and 180 minutes of real speech (bench/.work). The baseline, in the same run, is plain
faster-whisper: `WhisperModel(...).transcribe(path)` on the whole 5 and 30-minute files (it decodes
the file into one array and computes features for all of it), same model, threads and options.

The child processes use `cpu_threads` = nproc so a single job uses the whole machine (a worker
with two job slots gives each one thread; memory does not depend on it).

    .venv/bin/python -m bench.memory [--quick] [--minutes 5,30,60,180] [--batch-sizes 0]
        [--also 8:5,60] [--also 0@300:30] [--baseline-minutes 5,30]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._common import (
    RAW_DIR,
    REPO_ROOT,
    RssSampler,
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
    peak_rss_mb,
    print_table,
    timed,
    update_results,
)

KEY = "memory"
GOAL_MB = 1536.0  # 1.5 GB for 180 minutes
MODEL = "tiny.en"


# --- the child process ------------------------------------------------------------------------


def _rss_now_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 1024**2


def child(
    mode: str, audio: Path, duration_s: float, batch_size: int, window_s: float | None = None
) -> dict[str, Any]:
    """One measurement, in this (fresh) process; returns what the parent prints."""
    threads = nproc()
    out: dict[str, Any] = {"mode": mode, "batch_size": batch_size, "rss_start_mb": _rss_now_mb()}
    # (audio position of the segment end, RSS) at each quarter of the file: the curve in time.
    quarters: list[tuple[float, float]] = []
    next_quarter = 0.25
    segments = 0
    texts: list[str] = []
    if mode == "engine":
        from transcriber.asr.engine import WhisperEngine
        from transcriber.asr.types import TranscribeOptions

        window = {"window_s": window_s} if window_s else {}
        settings = bench_settings(batch_size=batch_size, cpu_threads=threads, **window)
        out["window_s"] = settings.whisper.window_s
        engine = WhisperEngine(settings, concurrency=settings.worker_concurrency)
        engine.load(MODEL)
        out["rss_loaded_mb"] = _rss_now_mb()
        out["concurrency"] = engine.concurrency
        options = TranscribeOptions(model=MODEL, language="en", vad=True, beam_size=5)
        with RssSampler() as sampler, timed() as t:
            for segment in engine.transcribe(audio, options).segments:
                segments += 1
                texts.append(segment.text)
                while segment.end >= next_quarter * duration_s and next_quarter <= 1.0:
                    quarters.append((next_quarter, _rss_now_mb()))
                    next_quarter += 0.25
    else:
        from faster_whisper import WhisperModel

        from transcriber.asr.engine import VAD_PARAMETERS

        model = WhisperModel(
            str(model_path(MODEL)), device="cpu", compute_type="int8", cpu_threads=threads
        )
        out["rss_loaded_mb"] = _rss_now_mb()
        out["concurrency"] = 1
        with RssSampler() as sampler, timed() as t:
            raw, _ = model.transcribe(
                str(audio),
                language="en",
                beam_size=5,
                vad_filter=True,
                vad_parameters=dict(VAD_PARAMETERS),
            )
            for segment in raw:
                segments += 1
                texts.append(segment.text.strip())
                while segment.end >= next_quarter * duration_s and next_quarter <= 1.0:
                    quarters.append((next_quarter, _rss_now_mb()))
                    next_quarter += 0.25
    out |= {
        "peak_rss_mb": peak_rss_mb(),
        "wall_s": t.wall_s,
        "cpu_s": t.cpu_s,
        "segments": segments,
        "text": " ".join(texts),
        "quarters": quarters,
        "samples": len(sampler.samples),
        "sampled_max_mb": max((mb for _, mb in sampler.samples), default=0.0),
    }
    return out


# --- the parent ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    label: str
    minutes: float
    mode: str
    batch_size: int
    peak_mb: float
    loaded_mb: float
    wall_s: float
    cpu_s: float
    segments: int
    wer: float
    quarters: list[tuple[float, float]]
    window_s: float | None = None

    @property
    def xrt(self) -> float:
        return self.minutes * 60 / self.wall_s

    def slope_mb(self, first: Measurement) -> float | None:
        """Growth of the peak per extra minute of audio, from `first` (a shorter run) to this."""
        if self.minutes <= first.minutes:
            return None
        return (self.peak_mb - first.peak_mb) / (self.minutes - first.minutes)


def measure_one(
    mode: str, minutes: float, batch_size: int, window_s: float | None = None
) -> Measurement:
    audio = long_audio(minutes)
    label = (
        "faster-whisper transcribe()"
        if mode == "plain"
        else ("engine, sequential" if batch_size == 0 else f"engine, batched {batch_size}")
    )
    if window_s and mode == "engine":
        label += f", {window_s:g} s windows"
    log(f"{label}: {minutes:g} min in a fresh process")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCRIBER_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.memory",
            "--child",
            mode,
            str(audio.path),
            str(audio.duration_s),
            str(batch_size),
            str(window_s or 0),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the measurement failed:\n{proc.stderr[-4000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    m = Measurement(
        label=label,
        minutes=minutes,
        mode=mode,
        batch_size=batch_size,
        peak_mb=float(data["peak_rss_mb"]),
        loaded_mb=float(data["rss_loaded_mb"]),
        wall_s=float(data["wall_s"]),
        cpu_s=float(data["cpu_s"]),
        segments=int(data["segments"]),
        wer=corpus_wer([audio.reference], [str(data["text"])]),
        quarters=[(float(q), float(mb)) for q, mb in data["quarters"]],
        window_s=float(data["window_s"]) if data.get("window_s") else None,
    )
    RAW_DIR.mkdir(parents=True, exist_ok=True)
    with (RAW_DIR / "memory.jsonl").open("a") as raw:  # kept if a later run is interrupted
        kept = {k: v for k, v in data.items() if k != "text"}
        raw.write(json.dumps(kept | {"label": label, "minutes": minutes, "wer": m.wer}))
        raw.write("\n")
    log(
        f"  peak {m.peak_mb:.0f} MB (model loaded: {m.loaded_mb:.0f} MB), "
        f"{m.xrt:.1f}x realtime, WER {m.wer:.3f}"
    )
    return m


def report(
    engine: Sequence[Measurement], baseline: Sequence[Measurement], info: RunInfo, quick: bool
) -> tuple[str, list[list[object]]]:
    rows: list[list[object]] = []
    firsts: dict[str, Measurement] = {}
    for m in [*engine, *baseline]:
        first = firsts.setdefault(m.label, m)
        curve = " / ".join(f"{mb:.0f}" for _, mb in m.quarters) or "-"
        slope = m.slope_mb(first)
        rows.append(
            [
                m.label,
                f"{m.minutes:g}",
                f"{m.loaded_mb:.0f}",
                f"{m.peak_mb:.0f}",
                f"{m.peak_mb / first.peak_mb:.2f}",
                "-" if slope is None else f"{slope:.1f}",
                curve,
                f"{m.xrt:.1f}",
                f"{m.minutes * 60 / m.cpu_s:.1f}",
                f"{m.wer:.3f}",
            ]
        )
    headers = [
        "process",
        "audio min",
        "RSS loaded MB",
        "peak RSS MB",
        "peak vs shortest",
        "MB per extra audio min",
        "RSS at 25/50/75/100 % MB",
        "x realtime",
        "audio s / CPU s",
        "WER",
    ]
    lines = [
        "## Memory: peak worker RSS against the length of the audio",
        "",
        info.markdown(),
        "",
        "Each row is a fresh process: the engine built as a worker builds it "
        "(`WhisperEngine(settings, concurrency=<worker concurrency>)`, tiny.en, int8, "
        f"`cpu_threads`={nproc()}), one file transcribed with language en, VAD on, beam 5, every "
        "segment consumed. Peak RSS = `getrusage(RUSAGE_SELF).ru_maxrss` of that process "
        "(model, Python and libraries included). `RSS loaded` is after loading the model, before "
        "transcribing. `MB per extra audio min` = (peak - shortest file's peak) / (minutes - "
        "shortest file's minutes), the slope of the curve. The baseline is "
        "plain faster-whisper `WhisperModel.transcribe(path)` on the whole file, same model, "
        "threads and options. `RSS at ...`: RSS when the transcript reaches that share of the "
        "file (the peak itself is reached briefly, while a window's features are computed). "
        "x realtime, audio s / CPU s and WER (against the file's reference text) come free "
        "with each run.",
        "",
        markdown_table(headers, rows),
        "",
    ]
    groups: dict[str, list[Measurement]] = {}
    for m in engine:
        groups.setdefault(m.label, []).append(m)
    for label, runs in groups.items():
        shortest, longest = runs[0], runs[-1]
        verdict = "meets" if longest.peak_mb < GOAL_MB else "misses"
        line = (
            f"- {label}: the peak for {longest.minutes:g} min is "
            f"{longest.peak_mb / shortest.peak_mb:.2f}x the peak for {shortest.minutes:g} min "
            f"({longest.peak_mb:.0f} vs {shortest.peak_mb:.0f} MB)"
        )
        # Files longer than one window hold a full window at their peak: compare those.
        window_min = (runs[0].window_s or 600.0) / 60
        full = [m for m in runs if m.minutes > window_min]
        if len(full) > 1 and full[0] is not shortest:
            line += (
                f", and {longest.peak_mb / full[0].peak_mb:.2f}x the peak for "
                f"{full[0].minutes:g} min, the shortest file with more than one "
                f"{window_min:g}-minute window"
            )
        lines.append(
            f"{line}: it {verdict} the goal of under {GOAL_MB / 1024:.1f} GB for the longest file."
        )
    first_group = next(iter(groups.values()), [])
    if baseline and first_group:
        plain = baseline[-1]
        same = next((m for m in first_group if m.minutes == plain.minutes), None)
        plain_slope = plain.slope_mb(baseline[0])
        engine_slope = same.slope_mb(first_group[0]) if same is not None else None
        if same is not None:
            lines.append(
                f"- Plain faster-whisper on the same {plain.minutes:g} min file peaks at "
                f"{plain.peak_mb:.0f} MB, {plain.peak_mb / same.peak_mb:.2f}x the engine's "
                f"{same.peak_mb:.0f} MB ({same.label})"
                + (
                    f"; its peak grows {plain_slope:.1f} MB per audio minute"
                    if plain_slope is not None
                    else ""
                )
                + (f" (the engine's: {engine_slope:.1f})." if engine_slope is not None else ".")
            )
    if quick:
        lines += ["", "_Quick run (`--quick`): 2 and 5-minute files only; a smoke test._"]
    return "\n".join(lines) + "\n", rows


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        mode, audio, duration, batch_arg = argv[1:5]
        window_arg = float(argv[5]) if len(argv) > 5 else 0.0
        result = child(mode, Path(audio), float(duration), int(batch_arg), window_arg or None)
        print(json.dumps(result))
        return 0
    parser = base_parser(__doc__ or "")
    parser.add_argument("--minutes", default=None, help="comma-separated (default 5,30,60,180)")
    parser.add_argument(
        "--batch-sizes",
        default=None,
        help="engine decoders to measure, comma-separated (0 = sequential; default: the "
        "engine's default, settings.whisper.batch_size)",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="BATCH[@WINDOW_S]:MINUTES",
        help="another decoder on its own files, e.g. `8:5,60` (batched 8 on 5 and 60 minutes) "
        "or `0@300:30` (sequential with 300 s windows on 30 minutes)",
    )
    parser.add_argument(
        "--baseline-minutes",
        default=None,
        help="files for plain faster-whisper, comma-separated (default 5,30)",
    )
    args = parser.parse_args(argv)
    info = RunInfo.start()
    default_minutes = "2,5" if args.quick else "5,30,60,180"
    minutes = [float(m) for m in (args.minutes or default_minutes).split(",")]
    baseline_minutes = [
        float(m) for m in (args.baseline_minutes or ("5" if args.quick else "5,30")).split(",")
    ]
    model_path(MODEL)
    engine: list[Measurement] = []
    plan: list[tuple[int, float | None, list[float]]] = [
        (int(b), None, minutes) for b in (args.batch_sizes or default_batch_size()).split(",")
    ]
    for spec in args.also:
        decoder, _, spec_minutes = spec.partition(":")
        batch, _, window = decoder.partition("@")
        plan.append(
            (
                int(batch),
                float(window) if window else None,
                [float(m) for m in spec_minutes.split(",")],
            )
        )
    for batch, window_s, batch_minutes in plan:
        engine += [measure_one("engine", m, batch, window_s) for m in batch_minutes]
    baseline = [measure_one("plain", m, 0) for m in baseline_minutes]
    info.finish()
    body, rows = report(engine, baseline, info, args.quick)
    print_table(
        "memory",
        ["process", "min", "loaded", "peak", "vs first", "MB/min", "curve", "xRT", "a/CPU", "WER"],
        rows,
    )
    print("\n".join(line for line in body.splitlines() if line.startswith("- ")))
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

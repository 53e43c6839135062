"""Speed (x realtime) and word error rate of the engine, sequential decoder against batched.

For each model (tiny.en, base; int8 on the CPU, one job with all cores) and each decoder
(`settings.whisper.batch_size` 0 = faster-whisper's sequential decoder, 4 / 8 / 16 =
`BatchedInferencePipeline`), through `WhisperEngine.transcribe` exactly as a worker calls it
(language en, VAD on, beam 5):

* x realtime = audio seconds / wall seconds on a 5-minute file of real speech (with `--long`,
  also the 30-minute file for tiny.en's sequential and recommended decoders), the model already
  loaded; also audio seconds per CPU second, which a busy machine disturbs less than wall time;
* the word error rate on the long file (its reference is the clips' references in order) and on
  every English clip of the test data with a reference (corpus WER: errors / reference words);
* the segments it gives (batched decoding returns one segment per ~30 s VAD chunk).

Then it names the fastest decoder whose WER is no worse than the sequential one's (within
`WER_TOLERANCE`), per model.

    .venv/bin/python -m bench.engine_speed [--quick] [--models tiny.en,base]
        [--batch-sizes 0,4,8,16] [--long]
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench._common import (
    RAW_DIR,
    LongAudio,
    RunInfo,
    base_parser,
    bench_settings,
    corpus_wer,
    english_references,
    log,
    long_audio,
    machine_busy,
    markdown_table,
    model_path,
    print_table,
    timed,
    update_results,
)

KEY = "engine_speed"
# "The same WER": a decoder may be this much worse (absolute, one point) on both test sets and
# still count; one run of a few hundred words moves by about that much when a decoder drops or
# mishears a phrase elsewhere.
WER_TOLERANCE = 0.01


@dataclass(slots=True)
class FileRun:
    label: str
    audio_s: float
    wall_s: float
    cpu_s: float
    segments: int
    wer: float

    @property
    def xrt(self) -> float:
        return self.audio_s / self.wall_s

    @property
    def per_cpu(self) -> float:
        return self.audio_s / self.cpu_s if self.cpu_s > 0 else 0.0

    @property
    def mean_segment_s(self) -> float:
        return self.audio_s / self.segments if self.segments else 0.0


@dataclass(slots=True)
class ConfigResult:
    model: str
    batch_size: int
    files: dict[str, FileRun] = field(default_factory=dict)
    clips: FileRun | None = None
    # The clips were not run for this batch size: this result's (same text, see `measure`).
    clips_from: ConfigResult | None = None

    @property
    def clip_run(self) -> FileRun | None:
        if self.clips is not None:
            return self.clips
        return self.clips_from.clips if self.clips_from is not None else None

    @property
    def decoder(self) -> str:
        return "sequential" if self.batch_size == 0 else f"batched {self.batch_size}"


def _engine(model: str, batch_size: int) -> object:
    from transcriber.asr.engine import WhisperEngine

    engine = WhisperEngine(bench_settings(batch_size=batch_size), concurrency=1)
    engine.load(model)
    return engine


def _transcribe(engine: object, path: Path, model: str) -> tuple[str, int]:
    from transcriber.asr.engine import WhisperEngine
    from transcriber.asr.types import TranscribeOptions

    assert isinstance(engine, WhisperEngine)
    options = TranscribeOptions(model=model, language="en", vad=True, beam_size=5)
    transcription = engine.transcribe(path, options)
    texts = [segment.text for segment in transcription.segments]
    return " ".join(texts), len(texts)


def run_file(engine: object, audio: LongAudio, model: str, label: str) -> FileRun:
    with timed() as t:
        text, n = _transcribe(engine, audio.path, model)
    return FileRun(
        label, audio.duration_s, t.wall_s, t.cpu_s, n, corpus_wer([audio.reference], [text])
    )


def run_clips(engine: object, clips: Sequence[tuple[Path, str, float]], model: str) -> FileRun:
    hyps: list[str] = []
    segments = 0
    with timed() as t:
        for path, _, _ in clips:
            text, n = _transcribe(engine, path, model)
            hyps.append(text)
            segments += n
    wer = corpus_wer([ref for _, ref, _ in clips], hyps)
    audio_s = sum(d for _, _, d in clips)
    return FileRun(f"{len(clips)} clips", audio_s, t.wall_s, t.cpu_s, segments, wer)


def _clip_set(quick: bool) -> list[tuple[Path, str, float]]:
    from transcriber.asr.audio import probe

    refs = english_references()
    if quick:
        refs = refs[:4]
    return [(p, r, probe(p).duration_s) for p, r in refs]


def measure_config(
    model: str,
    batch_size: int,
    files: Sequence[LongAudio],
    clips: Sequence[tuple[Path, str, float]],
) -> ConfigResult:
    result = ConfigResult(model, batch_size)
    engine = _engine(model, batch_size)
    # One short clip first: the first call of a fresh model pays one-off costs (VAD model load,
    # memory pools) that do not belong to the decoder.
    _transcribe(engine, clips[0][0], model)
    for audio in files:
        label = f"{audio.minutes:g} min"
        log(f"{model} {result.decoder}: {label} file")
        run = result.files[label] = run_file(engine, audio, model, label)
        log(f"  {run.xrt:.1f}x realtime, WER {run.wer:.3f}, {run.segments} segments")
    if len(clips) > 1:
        log(f"{model} {result.decoder}: {len(clips)} English clips")
        result.clips = run_clips(engine, clips, model)
        log(f"  {result.clips.xrt:.1f}x realtime, WER {result.clips.wer:.3f}")
    del engine
    gc.collect()
    return result


def measure(
    models: Sequence[str],
    batch_sizes: Sequence[int],
    main_audio: LongAudio,
    long: dict[str, LongAudio],
    quick: bool,
    all_clips_for: Sequence[str] = ("tiny.en",),
) -> list[ConfigResult]:
    """Every decoder on the main file and the clips; then, for the models in `long`, the
    sequential decoder and the recommended one again on the long file."""
    clips = _clip_set(quick)
    main_label = f"{main_audio.minutes:g} min"
    results: list[ConfigResult] = []
    for model in models:
        model_path(model)  # joins base from its parts the first time, outside the timings
        mine: list[ConfigResult] = []
        for b in batch_sizes:
            # Short clips are one VAD chunk each, so every batch size decodes them alike (a
            # batch of one); they run for the sequential decoder and the first batched size of
            # each model, and for every size of `all_clips_for`.
            first_batched = b == next((x for x in batch_sizes if x > 0), None)
            wanted = b == 0 or first_batched or model in all_clips_for
            mine.append(measure_config(model, b, [main_audio], clips if wanted else clips[:1]))
        for r in mine:
            if r.clips is None:
                r.clips_from = next(x for x in mine if x.batch_size > 0 and x.clips is not None)
        results += mine
        extra = long.get(model)
        if extra is None:
            continue
        chosen = recommend(mine, main_label, by_cpu=machine_busy()).get(model)
        for r in mine:
            if r.batch_size == 0 or (chosen is not None and r is chosen):
                again = measure_config(model, r.batch_size, [extra], clips[:1])
                r.files.update(again.files)
    return results


def recommend(
    results: Sequence[ConfigResult], main_label: str, by_cpu: bool = False
) -> dict[str, ConfigResult]:
    """Per model: the fastest decoder (on the main file) whose WERs stay within the tolerance.

    Fastest by wall time, or, on a busy machine (`by_cpu`), by audio seconds per CPU second:
    there other processes' bursts decide the wall times more than the decoders do.
    """
    chosen: dict[str, ConfigResult] = {}
    for model in dict.fromkeys(r.model for r in results):
        mine = [r for r in results if r.model == model and main_label in r.files]
        baseline = next((r for r in mine if r.batch_size == 0), None)
        if baseline is None or baseline.clip_run is None:
            continue
        base_clips, base_file = baseline.clip_run.wer, baseline.files[main_label].wer
        ok = [
            r
            for r in mine
            if r.clip_run is not None
            and r.clip_run.wer <= base_clips + WER_TOLERANCE
            and r.files[main_label].wer <= base_file + WER_TOLERANCE
        ]

        def speed(r: ConfigResult) -> float:
            run = r.files[main_label]
            return run.per_cpu if by_cpu else run.xrt

        chosen[model] = max(ok, key=speed) if ok else baseline
    return chosen


def _clip_wer(r: ConfigResult) -> str:
    run = r.clip_run
    if run is None:
        return "-"
    return f"{run.wer:.3f}" if r.clips is not None else f"{run.wer:.3f}*"


def report(
    results: Sequence[ConfigResult], info: RunInfo, main_label: str, quick: bool
) -> tuple[str, list[list[object]]]:
    rows: list[list[object]] = []
    for r in results:
        baseline = next(b for b in results if b.model == r.model and b.batch_size == 0)
        for label, run in r.files.items():
            base = baseline.files.get(label)
            ratio = f"{run.xrt / base.xrt:.2f}" if base else "-"
            rows.append(
                [
                    r.model,
                    r.decoder,
                    label,
                    f"{run.xrt:.1f}",
                    ratio,
                    f"{run.per_cpu:.1f}",
                    f"{run.wer:.3f}",
                    _clip_wer(r) if label == main_label else "",
                    f"{run.segments} ({run.mean_segment_s:.1f} s)",
                ]
            )
    headers = [
        "model",
        "decoder",
        "file",
        "x realtime",
        "vs sequential",
        "audio s / CPU s",
        "WER file",
        "WER clips",
        "segments (mean length)",
    ]
    clip_rows = [
        [r.model, r.decoder, f"{c.xrt:.1f}", f"{c.per_cpu:.1f}", f"{c.wer:.3f}", f"{c.segments}"]
        for r in results
        if (c := r.clips) is not None
    ]
    chosen = recommend(results, main_label, by_cpu=info.busy)
    n_clips = results[0].clips.label if results and results[0].clips else "clips"
    lines = [
        "## Engine speed: sequential against batched decoding",
        "",
        info.markdown(),
        "",
        "`WhisperEngine.transcribe` as a worker calls it: int8 on the CPU, one job using all "
        "cores (`cpu_threads` = nproc), language `en`, VAD on, beam 5, no word timestamps, "
        "10-minute windows; the model is loaded before the clock starts. `batched N` is "
        "`TRANSCRIBER_WHISPER__BATCH_SIZE=N` (faster-whisper's `BatchedInferencePipeline`). "
        "x realtime = audio seconds / wall seconds; `vs sequential` is that against the "
        "sequential decoder of the same model on the same file in this run; `audio s / CPU s` "
        "counts the CPU time of all threads, which other work on the machine disturbs less. "
        f"WER file: the long file against its reference (the clips' texts in order); WER clips: "
        f"corpus WER over {n_clips} (every English clip of the test data with a reference; "
        "`*`: not run for this batch size, the value of the other batched run of the model, "
        "since each clip is one VAD chunk and so a batch of one whatever the batch size). "
        "Text is lower-cased, punctuation removed, `Mr.` read as `mister`.",
        "",
        markdown_table(headers, rows),
        "",
        f"Short clips alone ({n_clips}, one request each):",
        "",
        markdown_table(
            ["model", "decoder", "x realtime", "audio s / CPU s", "WER", "segments"],
            clip_rows,
        ),
        "",
        "**Fastest decoder that keeps the WER** (no worse than sequential + "
        f"{WER_TOLERANCE} on both sets; fastest on the {main_label} file by "
        + (
            "audio seconds per CPU second, since the machine was busy):"
            if info.busy
            else "wall time):"
        ),
        "",
    ]
    for model, pick in chosen.items():
        seq = next(b for b in results if b.model == model and b.batch_size == 0)
        p_run, s_run = pick.files[main_label], seq.files[main_label]
        lines.append(
            f"- {model}: **{pick.decoder}** ({p_run.xrt:.1f}x realtime, "
            f"{p_run.xrt / s_run.xrt:.2f}x the sequential decoder's wall speed and "
            f"{p_run.per_cpu / s_run.per_cpu:.2f}x its audio per CPU second; "
            f"WER file {p_run.wer:.3f} "
            f"vs {s_run.wer:.3f}, clips "
            f"{_clip_wer(pick)} vs {_clip_wer(seq)})"
        )
    if quick:
        lines += ["", "_Quick run (`--quick`): shorter file, fewer clips; for a smoke test only._"]
    return "\n".join(lines) + "\n", rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--models", default=None, help="comma-separated (default tiny.en,base)")
    parser.add_argument("--batch-sizes", default=None, help="comma-separated (default 0,4,8,16)")
    parser.add_argument(
        "--long",
        action="store_true",
        help="also run tiny.en's sequential and recommended decoders on the 30-minute file",
    )
    args = parser.parse_args(argv)
    info = RunInfo.start()
    if args.quick:
        models = (args.models or "tiny.en").split(",")
        batch_sizes = [int(b) for b in (args.batch_sizes or "0,8").split(",")]
        main_audio = long_audio(2)
        long: dict[str, LongAudio] = {}
    else:
        models = (args.models or "tiny.en,base").split(",")
        batch_sizes = [int(b) for b in (args.batch_sizes or "0,4,8,16").split(",")]
        main_audio = long_audio(5)
        long = {"tiny.en": long_audio(30)} if args.long and "tiny.en" in models else {}
    if 0 not in batch_sizes:
        batch_sizes.insert(0, 0)  # the baseline
    main_label = f"{main_audio.minutes:g} min"
    results = measure(models, batch_sizes, main_audio, long, args.quick)
    info.finish()
    RAW_DIR.mkdir(parents=True, exist_ok=True)
    with (RAW_DIR / "engine_speed.jsonl").open("a") as raw:
        for r in results:
            record = {
                "date": info.started.isoformat(),
                "model": r.model,
                "batch_size": r.batch_size,
                "files": {k: asdict(v) for k, v in r.files.items()},
                "clips": asdict(r.clips) if r.clips else None,
            }
            raw.write(json.dumps(record) + "\n")
    body, rows = report(results, info, main_label, args.quick)
    print_table(
        "engine speed",
        ["model", "decoder", "file", "xRT", "vs seq", "aud/CPU", "WER file", "WER clips", "segs"],
        rows,
    )
    print()
    print(body[body.find("**Fastest decoder") :].split("\n\n_Quick")[0])
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

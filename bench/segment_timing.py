"""What batched decoding does to segment timing, and what timing costs.

faster-whisper's `BatchedInferencePipeline` decodes each VAD chunk (up to 30 s) without
timestamp tokens by default, so a transcript comes as one segment per ~30 s chunk: subtitle
cues inside it can only be interpolated, and a live transcript grows in 30 s steps. Two ways
out, measured here against the sequential decoder on the same file, faster-whisper called
directly on the decoded audio (tiny.en, int8, all cores, language en, the engine's VAD
settings, beam 5):

* `without_timestamps=False`: the batched decoder predicts segment timestamps inside chunks;
* `word_timestamps=True`: word times by cross-attention alignment, from which sentence-length
  segments (and exact subtitle cues) can be cut.

Reported: x realtime, audio seconds per CPU second, WER against the file's reference, the
number of segments with their mean and longest length, and the words that carry times.

    .venv/bin/python -m bench.segment_timing [--quick] [--batch-size 8]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bench._common import (
    RunInfo,
    base_parser,
    corpus_wer,
    log,
    long_audio,
    markdown_table,
    model_path,
    nproc,
    print_table,
    timed,
    update_results,
)

KEY = "segment_timing"
MODEL = "tiny.en"


@dataclass(slots=True)
class Variant:
    label: str
    batched: bool
    options: dict[str, Any]


@dataclass(slots=True)
class Outcome:
    variant: Variant
    audio_s: float
    wall_s: float
    cpu_s: float
    wer: float
    segments: int
    mean_len_s: float
    max_len_s: float
    words: int


def run(
    transcribe: Callable[..., tuple[Iterable[Any], Any]],
    audio: Any,
    duration_s: float,
    reference: str,
    variant: Variant,
) -> Outcome:
    from transcriber.asr.engine import VAD_PARAMETERS

    log(variant.label)
    with timed() as t:
        raw, _ = transcribe(
            audio,
            language="en",
            beam_size=5,
            vad_filter=True,
            vad_parameters=dict(VAD_PARAMETERS),
            **variant.options,
        )
        segments = list(raw)
    lengths = [float(s.end - s.start) for s in segments] or [0.0]
    text = " ".join(str(s.text).strip() for s in segments)
    out = Outcome(
        variant,
        duration_s,
        t.wall_s,
        t.cpu_s,
        corpus_wer([reference], [text]),
        len(segments),
        sum(lengths) / len(lengths),
        max(lengths),
        sum(len(s.words or []) for s in segments),
    )
    log(f"  {duration_s / t.wall_s:.1f}x realtime, WER {out.wer:.3f}, {out.segments} segments")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=None, help="file length (default 5)")
    args = parser.parse_args(argv)
    info = RunInfo.start()
    long = long_audio(args.minutes or (2.0 if args.quick else 5.0))

    from faster_whisper import BatchedInferencePipeline, WhisperModel
    from faster_whisper.audio import decode_audio

    model = WhisperModel(
        str(model_path(MODEL)), device="cpu", compute_type="int8", cpu_threads=nproc()
    )
    pipeline = BatchedInferencePipeline(model=model)
    samples = decode_audio(str(long.path))
    b = args.batch_size
    variants = [
        Variant("sequential", False, {}),
        Variant("sequential + word timestamps", False, {"word_timestamps": True}),
        Variant(f"batched {b} (no timestamps: the engine today)", True, {"batch_size": b}),
        Variant(
            f"batched {b} + segment timestamps",
            True,
            {"batch_size": b, "without_timestamps": False},
        ),
        Variant(f"batched {b} + word timestamps", True, {"batch_size": b, "word_timestamps": True}),
    ]
    # A short warm-up of each decoder: the first call pays for the VAD model and memory pools.
    for transcribe in (model.transcribe, pipeline.transcribe):
        list(transcribe(samples[: 20 * 16000], language="en", vad_filter=True)[0])
    outcomes = [
        run(
            pipeline.transcribe if v.batched else model.transcribe,
            samples,
            long.duration_s,
            long.reference,
            v,
        )
        for v in variants
    ]
    info.finish()
    base = outcomes[0]
    rows: list[list[object]] = [
        [
            o.variant.label,
            f"{o.audio_s / o.wall_s:.1f}",
            f"{(o.audio_s / o.wall_s) / (base.audio_s / base.wall_s):.2f}",
            f"{o.audio_s / o.cpu_s:.1f}",
            f"{(o.audio_s / o.cpu_s) / (base.audio_s / base.cpu_s):.2f}",
            f"{o.wer:.3f}",
            f"{o.segments}",
            f"{o.mean_len_s:.1f} / {o.max_len_s:.1f}",
            f"{o.words}",
        ]
        for o in outcomes
    ]
    headers = [
        "decoder",
        "x realtime",
        "vs sequential",
        "audio s / CPU s",
        "vs sequential (CPU)",
        "WER",
        "segments",
        "mean / longest segment s",
        "timed words",
    ]
    body = "\n".join(
        [
            "## Segment timing: batched decoding with and without timestamps",
            "",
            info.markdown(),
            "",
            f"faster-whisper called directly on the decoded {long.minutes:g}-minute file "
            f"(tiny.en, int8, `cpu_threads`={nproc()}, language en, the engine's VAD settings, "
            "beam 5); the ratios are against the sequential decoder in this run. `batched N "
            "(no timestamps)` is what `TRANSCRIBER_WHISPER__BATCH_SIZE=N` does in the engine "
            "today: one segment per VAD chunk of up to 30 s.",
            "",
            markdown_table(headers, rows),
            "",
            *(
                ["_Quick run (`--quick`): a 2-minute file; a smoke test._", ""]
                if args.quick
                else []
            ),
        ]
    )
    print_table("segment timing", headers, rows)
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

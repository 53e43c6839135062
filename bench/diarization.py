"""Diarization cost: speaker labelling time as a ratio of the transcription time of the same file.

For each file, in one process, back to back: `WhisperEngine.transcribe` with tiny.en as a worker
calls it (the default decoder, VAD on), then `diarize_segments` on those segments exactly as the
worker does after it (decode at 16 kHz in windows, embed with Resemblyzer's voice encoder,
cluster with scikit-learn). The model and the encoder are loaded before the clocks start (their
load time is reported on its own). Files: the 3-speaker Picovoice recording, and a long file of
real read speech by several readers (5 minutes; 1 with `--quick`; `--minutes N` for another).

    .venv/bin/python -m bench.diarization [--quick] [--minutes 5]
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._common import (
    RunInfo,
    base_parser,
    bench_settings,
    log,
    long_audio,
    markdown_table,
    peak_rss_mb,
    print_table,
    speech_dir,
    timed,
    update_results,
)

KEY = "diarization"
MODEL = "tiny.en"


@dataclass(slots=True)
class Result:
    label: str
    audio_s: float
    segments: int
    speakers: int
    transcribe_s: float
    diarize_s: float
    diarize_cpu_s: float

    @property
    def ratio(self) -> float:
        return self.diarize_s / self.transcribe_s if self.transcribe_s else 0.0

    @property
    def per_audio_minute_s(self) -> float:
        return self.diarize_s / (self.audio_s / 60.0)


def _measure(engine: object, path: Path, label: str, audio_s: float) -> Result:
    from transcriber.asr.diarize import diarize_segments
    from transcriber.asr.engine import WhisperEngine
    from transcriber.asr.types import TranscribeOptions

    assert isinstance(engine, WhisperEngine)
    log(f"{label}: transcribing")
    with timed() as t_asr:
        transcription = engine.transcribe(path, TranscribeOptions(model=MODEL, language="en"))
        segments = list(transcription.segments)
    log(f"{label}: labelling speakers in {len(segments)} segments")
    with timed() as t_dia:
        labels = diarize_segments(path, [(s.start, s.end) for s in segments], duration_s=audio_s)
    return Result(
        label=label,
        audio_s=audio_s,
        segments=len(segments),
        speakers=len(set(labels or [])),
        transcribe_s=t_asr.wall_s,
        diarize_s=t_dia.wall_s,
        diarize_cpu_s=t_dia.cpu_s,
    )


def _body(results: Sequence[Result], load_s: float, info: RunInfo) -> str:
    from transcriber.jobs.tasks import TRANSCRIPTION_SHARE_WITH_SPEAKERS

    rows = [
        (
            r.label,
            f"{r.audio_s:.0f}",
            r.segments,
            r.speakers,
            f"{r.transcribe_s:.2f}",
            f"{r.diarize_s:.2f}",
            f"{r.ratio:.2f}",
            f"{r.per_audio_minute_s:.2f}",
        )
        for r in results
    ]
    table = markdown_table(
        [
            "file",
            "audio s",
            "segments",
            "speakers found",
            "transcribe s (tiny.en)",
            "diarize s",
            "diarize / transcribe",
            "diarize s per audio minute",
        ],
        rows,
    )
    return "\n\n".join(
        [
            "## Diarization: speaker labels against transcription (bench/diarization.py)",
            info.markdown(),
            f"Transcription with {MODEL} (int8, the default decoder, VAD on), then "
            "`diarize_segments` on its segments as the worker runs it, in one process, back to "
            "back. The encoder's first load (torch, librosa, the 17 MB Resemblyzer weights) "
            f"took {load_s:.1f} s once per worker process and is not in the table; peak RSS of "
            f"the run: {peak_rss_mb():.0f} MB.",
            table,
            f"The worker gives transcription {TRANSCRIPTION_SHARE_WITH_SPEAKERS:.0%} of the "
            "progress bar and speaker labels the rest (`TRANSCRIPTION_SHARE_WITH_SPEAKERS`); "
            "a larger model than tiny.en makes the labelling's share smaller still. The long "
            "file holds several LibriVox readers and comes out as one speaker: the count rule "
            "errs towards fewer speakers (docs/decisions/0121-speaker-count.md). The "
            "encoder runs on one torch thread (`ENCODER_THREADS`): with torch's default of "
            "one thread per core, the same 5 minutes took 53 s instead of 7 on this shared "
            "machine, its threads spinning against the decoder's.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--minutes", type=float, default=0.0, help="length of the long file")
    args = parser.parse_args(argv)
    from transcriber.asr.diarize import _get_encoder, missing_dependency
    from transcriber.asr.engine import WhisperEngine

    missing = missing_dependency()
    if missing is not None:
        log(f"the diarization extra is not installed ({missing} is missing); nothing to measure")
        return 1
    info = RunInfo.start()
    engine = WhisperEngine(bench_settings(), concurrency=1)
    engine.load(MODEL)
    started = time.perf_counter()
    _get_encoder()
    load_s = time.perf_counter() - started
    long = long_audio(args.minutes or (1.0 if args.quick else 5.0))
    results = [
        _measure(
            engine,
            speech_dir() / "picovoice_diarization_3speakers.wav",
            "picovoice_diarization_3speakers.wav",
            19.825,
        ),
        _measure(engine, long.path, f"{long.minutes:g} min of read speech", long.duration_s),
    ]
    info.finish()
    print_table(
        "Diarization",
        ["file", "audio s", "transcribe s", "diarize s", "ratio", "s per audio min"],
        [
            (
                r.label,
                f"{r.audio_s:.0f}",
                f"{r.transcribe_s:.2f}",
                f"{r.diarize_s:.2f}",
                f"{r.ratio:.2f}",
                f"{r.per_audio_minute_s:.2f}",
            )
            for r in results
        ],
    )
    if not args.no_write:
        update_results(KEY, _body(results, load_s, info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`transcriber transcribe`: the engine and the exporters, with a progress bar, no server."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import cast

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from transcriber.asr.audio import probe
from transcriber.asr.diarize import SpeakerOptions, diarize_segments
from transcriber.asr.engine import WhisperEngine
from transcriber.asr.types import Segment, TranscribeOptions, TranscriptDocument
from transcriber.asr.types import Task as AsrTask
from transcriber.config import Settings, get_settings
from transcriber.kit.errors import TranscriberError
from transcriber.transcripts.exports import EXPORT_FORMATS, ExportFormat, render


class SpeedColumn(ProgressColumn):
    """Audio seconds done per wall-clock second ("12.3x realtime")."""

    def render(self, task: Task) -> Text:
        started = task.fields.get("started")
        if not started or not task.completed:
            return Text("  -  x realtime", style="dim")
        elapsed = max(time.monotonic() - started, 1e-6)
        return Text(f"{task.completed / elapsed:5.1f}x realtime", style="cyan")


def transcribe_files(
    files: list[Path],
    *,
    model: str | None,
    language: str | None,
    task: str,
    fmt: str,
    output: Path | None,
    word_timestamps: bool,
    vad: bool,
    console: Console,
    diarize: bool = False,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> int:
    """Transcribe each file; returns the exit code (0 when every file worked)."""
    if fmt not in EXPORT_FORMATS:
        console.print(f"[red]error:[/red] unknown format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
        return 2
    if task not in ("transcribe", "translate"):
        console.print("[red]error:[/red] --task is transcribe or translate")
        return 2
    speakers: SpeakerOptions | None = None
    if diarize or min_speakers is not None or max_speakers is not None:
        try:
            speakers = _speaker_options(diarize, min_speakers, max_speakers)
        except TranscriberError as exc:
            console.print(f"[red]error:[/red] {exc.detail}")
            return 2
    settings = get_settings()
    engine = WhisperEngine(settings, concurrency=1)
    options = TranscribeOptions(
        model=model or settings.default_model,
        language=None if language in (None, "", "auto") else language,
        task=cast(AsrTask, task),
        word_timestamps=word_timestamps,
        vad=vad,
    )
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    failures = 0
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        SpeedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        for path in files:
            try:
                target = _transcribe_one(
                    engine, path, options, fmt, output, progress, settings, speakers
                )
                progress.console.print(f"[green]wrote[/green] {target}")
            except TranscriberError as exc:
                failures += 1
                progress.console.print(f"[red]{path.name}:[/red] {exc.detail}")
    return 1 if failures else 0


def _transcribe_one(
    engine: WhisperEngine,
    path: Path,
    options: TranscribeOptions,
    fmt: str,
    output: Path | None,
    progress: Progress,
    settings: Settings,
    speakers: SpeakerOptions | None = None,
) -> Path:
    media = probe(
        path,
        min_duration_s=settings.limits.min_duration_s,
        max_duration_s=settings.limits.max_duration_s,
    )
    bar = progress.add_task(path.name, total=media.duration_s, started=time.monotonic())
    transcription = engine.transcribe(path, options, media=media)
    segments = []
    for segment in transcription.segments:
        segments.append(segment)
        progress.update(bar, completed=min(segment.end, media.duration_s))
    progress.update(bar, completed=media.duration_s)
    if speakers is not None:
        segments = _label(path, segments, speakers, progress)
    document = TranscriptDocument(
        segments=segments,
        language=transcription.language,
        duration_s=media.duration_s,
        title=path.name,
        metadata={"model": options.model, "task": options.task},
    )
    target = (output or path.parent) / f"{path.stem}.{fmt}"
    target.write_bytes(render(document, cast(ExportFormat, fmt)))
    return target


def _speaker_options(
    diarize: bool, min_speakers: int | None, max_speakers: int | None
) -> SpeakerOptions:
    """The same rules as a job's options (jobs.schemas.JobOptions), said for the command line."""
    from pydantic import ValidationError

    from transcriber.asr.diarize import require_diarization
    from transcriber.jobs.schemas import JobOptions
    from transcriber.kit.validation import readable_validation_error

    try:
        options = JobOptions(diarize=diarize, min_speakers=min_speakers, max_speakers=max_speakers)
    except ValidationError as exc:
        raise readable_validation_error(exc) from None
    require_diarization()
    return SpeakerOptions(options.min_speakers, options.max_speakers)


def _label(
    path: Path, segments: list[Segment], speakers: SpeakerOptions, progress: Progress
) -> list[Segment]:
    bar = progress.add_task(f"{path.name}: speakers", total=1.0)
    labels = diarize_segments(
        path,
        [(s.start, s.end) for s in segments],
        options=speakers,
        on_progress=lambda done: progress.update(bar, completed=done),
    )
    progress.update(bar, completed=1.0)
    return [
        dataclasses.replace(segment, speaker=label)
        for segment, label in zip(segments, labels or [], strict=False)
    ]

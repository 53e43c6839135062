"""Plain data shared by the engine, the worker, the exporters and the CLI.

Nothing here imports faster-whisper, FastAPI or SQLAlchemy, so every layer can use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Task = Literal["transcribe", "translate"]


@dataclass(frozen=True, slots=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    """One recognised stretch of speech; times are seconds from the start of the media."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    speaker: str | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass(frozen=True, slots=True)
class TranscribeOptions:
    model: str = "tiny.en"
    language: str | None = None  # None means detect
    task: Task = "transcribe"
    word_timestamps: bool = False
    vad: bool = True
    initial_prompt: str | None = None
    beam_size: int = 5
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    batch_size: int | None = None  # None: the engine's setting; 0: the sequential decoder


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What the probe found in a file; decided from its content, never its name."""

    duration_s: float
    container: str
    audio_codec: str
    sample_rate: int
    channels: int
    has_video: bool


@dataclass(slots=True)
class Transcription:
    """A running transcription: metadata at once, segments lazily as the model produces them.

    Consuming `segments` drives the model; stopping early (cancel) stops the work.
    """

    language: str
    language_probability: float
    duration_s: float
    segments: Iterator[Segment]


@dataclass(frozen=True, slots=True)
class TranscriptDocument:
    """A finished (or partial) transcript as the exporters see it."""

    segments: list[Segment]
    language: str | None = None
    duration_s: float | None = None
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

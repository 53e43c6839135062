"""The Whisper engine: loads models once per process and transcribes media window by window.

One `WhisperEngine` per process (API, CLI, Celery worker, tests). It is cheap to build; models are
loaded on first use with faster-whisper and kept, keyed by (model, device, compute type), and one
loaded model serves several threads at once (CTranslate2 `num_workers` = the process's job
concurrency, `cpu_threads` per job).

`transcribe` decodes the media in windows (`settings.whisper.window_s`, cut at quiet points, see
docs/decisions/0002-long-media-windows.md) so memory stays flat for hours of audio; the language is
detected once, on the first window, and reused; the last tokens of one window (timestamps
included) are the prompt for the next, as Whisper itself does between its 30 s chunks.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transcriber.asr.audio import FloatArray, StrPath, iter_audio_windows, probe
from transcriber.asr.catalog import effective_batch_size, resolve_model
from transcriber.asr.sentences import split_into_sentences
from transcriber.asr.types import MediaInfo, Segment, TranscribeOptions, Transcription, Word
from transcriber.config import Settings
from transcriber.kit.errors import Unprocessable

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = [
    "VAD_PARAMETERS",
    "InvalidOptions",
    "LoadedModel",
    "WhisperEngine",
]

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000

# Silero VAD settings for `vad=True` (docs/decisions/0003-vad-and-no-speech.md). faster-whisper's
# defaults, written out so they are ours to keep: a 0.5 speech threshold keeps music and animal
# sounds out (the Brahms and whale-song files give no text), 2 s of silence before a speech chunk
# ends keeps sentences whole, and 400 ms of padding keeps word onsets and endings.
VAD_PARAMETERS: dict[str, Any] = {
    "threshold": 0.5,
    "min_speech_duration_ms": 0,
    "min_silence_duration_ms": 2000,
    "speech_pad_ms": 400,
}
# Whisper's own hallucination guards (its defaults): a 30 s chunk whose no-speech probability is
# above 0.6 while the decoded text has an average log-probability below -1 is dropped as silence;
# text that compresses better than 2.4 (repetition loops) is decoded again at a higher temperature.
NO_SPEECH_THRESHOLD = 0.6
LOG_PROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4
# The prompt for the next window: the last tokens of this one, timestamp tokens included, as
# Whisper prompts each 30 s chunk with the previous ones (it keeps at most the last 223). A plain
# text prompt does not do: without timestamp tokens in the prompt, tiny.en answered with one
# 30 s segment per chunk and dropped words (docs/decisions/0002-long-media-windows.md).
_PROMPT_TOKENS = 223
# Language detection looks at up to this many 30 s chunks of speech, stopping at the first one
# whose top language is above faster-whisper's 0.5 confidence threshold.
_LANGUAGE_DETECTION_SEGMENTS = 3
# ... taken from the first two minutes of the first window (the VAD need not run over all 600 s).
_LANGUAGE_DETECTION_AUDIO_S = 120.0


class InvalidOptions(Unprocessable):
    """The options cannot be honoured with this model (translate on English-only, bad language)."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    name: str
    path: Path
    device: str
    compute_type: str
    multilingual: bool
    model: WhisperModel


def _cuda_devices() -> int:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # no CUDA runtime at all
        return 0


class WhisperEngine:
    """Loads Whisper models lazily, keeps them, and runs transcriptions; safe to share between
    threads (up to `concurrency` run truly in parallel on one loaded model)."""

    def __init__(self, settings: Settings, concurrency: int = 1) -> None:
        self.settings = settings
        self.concurrency = max(1, int(concurrency))
        self._models: dict[tuple[str, str, str], LoadedModel] = {}
        self._lock = threading.Lock()
        self._device: str | None = None

    # --- devices and models -------------------------------------------------------------------

    @property
    def device(self) -> str:
        if self._device is None:
            wanted = self.settings.whisper.device
            if wanted == "auto":
                wanted = "cuda" if _cuda_devices() > 0 else "cpu"
            self._device = wanted
        return self._device

    def compute_type(self, device: str | None = None) -> str:
        configured = self.settings.whisper.compute_type
        if configured and configured != "auto":
            return configured
        return "float16" if (device or self.device) == "cuda" else "int8"

    @property
    def cpu_threads(self) -> int:
        if self.settings.whisper.cpu_threads:
            return self.settings.whisper.cpu_threads
        return max(1, (os.cpu_count() or 1) // self.concurrency)

    def _key(self, name: str) -> tuple[str, str, str]:
        return (name, self.device, self.compute_type())

    def loaded(self) -> list[tuple[str, str, str]]:
        """Keys (model, device, compute type) of the models held in memory."""
        with self._lock:
            return list(self._models)

    def load(self, name: str | None = None) -> LoadedModel:
        """The loaded model for `name` (default: `settings.default_model`), loading it once."""
        name = name or self.settings.default_model
        key = self._key(name)
        found = self._models.get(key)
        if found is not None:
            return found
        with self._lock:  # one load at a time; the second caller finds it loaded
            found = self._models.get(key)
            if found is not None:
                return found
            path = resolve_model(name, self.settings)
            from faster_whisper import WhisperModel

            log.info(
                "loading model %s from %s on %s (%s, %d threads x %d workers)",
                name,
                path,
                key[1],
                key[2],
                self.cpu_threads,
                self.concurrency,
            )
            model = WhisperModel(
                str(path),
                device=key[1],
                compute_type=key[2],
                cpu_threads=self.cpu_threads,
                num_workers=self.concurrency,
            )
            loaded = LoadedModel(
                name=name,
                path=path,
                device=key[1],
                compute_type=key[2],
                multilingual=bool(model.model.is_multilingual),
                model=model,
            )
            self._models[key] = loaded
            return loaded

    def unload(self, name: str | None = None) -> None:
        """Drop one model (or all) from memory."""
        with self._lock:
            for key in [k for k in self._models if name is None or k[0] == name]:
                del self._models[key]

    # --- transcription ------------------------------------------------------------------------

    def _check_options(self, options: TranscribeOptions, loaded: LoadedModel) -> str | None:
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        if options.task not in ("transcribe", "translate"):
            raise InvalidOptions(
                f"Unknown task '{options.task}': use 'transcribe' or 'translate'.", field="task"
            )
        if options.beam_size < 1:
            raise InvalidOptions("beam_size must be at least 1.", field="beam_size")
        language = (options.language or "").strip().lower() or None
        if language == "auto":
            language = None
        if language is not None and language not in _LANGUAGE_CODES:
            raise InvalidOptions(
                f"Unknown language '{options.language}': use a code such as en, de, fr, es "
                "(or leave it empty to detect the language).",
                field="language",
            )
        if not loaded.multilingual:
            if options.task == "translate":
                raise InvalidOptions(
                    f"Model '{loaded.name}' is English-only and cannot translate; choose a "
                    "multilingual model such as 'base' to translate speech into English.",
                    field="task",
                )
            if language not in (None, "en"):
                raise InvalidOptions(
                    f"Model '{loaded.name}' only understands English, not '{language}'; choose "
                    "a multilingual model such as 'base', or leave the language empty.",
                    field="language",
                )
        return language

    def transcribe(
        self,
        path: StrPath,
        options: TranscribeOptions,
        *,
        media: MediaInfo | None = None,
    ) -> Transcription:
        """Start transcribing `path`; language, its probability and the duration are known on
        return, segments come lazily (consuming them drives the model, closing stops it)."""
        loaded = self.load(options.model)
        language = self._check_options(options, loaded)
        if media is None:
            limits = self.settings.limits
            media = probe(
                path, min_duration_s=limits.min_duration_s, max_duration_s=limits.max_duration_s
            )

        windows = iter_audio_windows(path, self.settings.whisper.window_s, SAMPLE_RATE)
        first = next(windows, None)
        if first is None:  # the probe found audio, but the decoder yielded none
            windows.close()
            return Transcription(
                language=language or "en",
                language_probability=1.0 if language else 0.0,
                duration_s=media.duration_s,
                segments=iter(()),
            )

        probability = 1.0
        if language is None:
            if loaded.multilingual:
                language, probability = self._detect_language(loaded, first[1], options.vad)
            else:
                language = "en"
        return Transcription(
            language=language,
            language_probability=probability,
            duration_s=media.duration_s,
            segments=self._segments(loaded, first, windows, options, language),
        )

    def _detect_language(
        self, loaded: LoadedModel, samples: FloatArray, vad: bool
    ) -> tuple[str, float]:
        from faster_whisper.vad import VadOptions

        language, probability, _ = loaded.model.detect_language(
            audio=samples[: int(_LANGUAGE_DETECTION_AUDIO_S * SAMPLE_RATE)],
            vad_filter=vad,
            vad_parameters=VadOptions(**VAD_PARAMETERS),
            language_detection_segments=_LANGUAGE_DETECTION_SEGMENTS,
        )
        return str(language), float(probability)

    def _segments(
        self,
        loaded: LoadedModel,
        first: tuple[float, FloatArray],
        rest: Generator[tuple[float, FloatArray], None, None],
        options: TranscribeOptions,
        language: str,
    ) -> Iterator[Segment]:
        prompt: str | list[int] | None = options.initial_prompt or None
        last_end = 0.0
        windows = itertools.chain([first], rest)
        batched = self._batched(options)
        del first  # the chain holds the first window only until it is consumed
        try:
            for offset, samples in windows:
                window_end = offset + samples.shape[0] / SAMPLE_RATE
                tokens: list[int] = []
                reset = False
                for raw in self._run_window(loaded, samples, options, language, prompt):
                    tokens.extend(int(t) for t in (getattr(raw, "tokens", None) or ()))
                    reset = float(getattr(raw, "temperature", 0.0) or 0.0) > 0.5
                    segment = _to_segment(raw, max(offset, last_end), offset, window_end)
                    if segment is None:
                        continue
                    pieces = (
                        split_into_sentences(segment, keep_words=options.word_timestamps)
                        if batched
                        else [segment]
                    )
                    for piece in pieces:
                        last_end = piece.end
                        yield piece
                if reset:
                    # The window ended on a fallback decode (a likely loop or hallucination):
                    # do not feed it to the next window, as Whisper resets its prompt then.
                    prompt = None
                elif tokens:
                    prompt = tokens[-_PROMPT_TOKENS:]
                del samples
        finally:
            rest.close()  # stops decoding when the consumer stops early (cancel)

    def _batched(self, options: TranscribeOptions) -> bool:
        """The batched decoder, unless it is off or the job has a prompt: the batched pipeline
        gives the prompt to every chunk alone, while the sequential decoder carries it (and
        the text so far) through the whole file (docs/decisions/0030)."""
        return self._batch_size(options) > 0 and not options.initial_prompt

    def _batch_size(self, options: TranscribeOptions) -> int:
        if options.batch_size is not None:
            return options.batch_size
        return effective_batch_size(self.settings, options.model)

    def _run_window(
        self,
        loaded: LoadedModel,
        samples: FloatArray,
        options: TranscribeOptions,
        language: str,
        prompt: str | list[int] | None,
    ) -> Iterable[Any]:
        from faster_whisper.vad import VadOptions

        temperature = (
            list(options.temperature)
            if isinstance(options.temperature, tuple)
            else options.temperature
        )
        common: dict[str, Any] = {
            "language": language,
            "task": options.task,
            "beam_size": options.beam_size,
            "temperature": temperature,
            "word_timestamps": options.word_timestamps,
            "compression_ratio_threshold": COMPRESSION_RATIO_THRESHOLD,
            "log_prob_threshold": LOG_PROB_THRESHOLD,
            "no_speech_threshold": NO_SPEECH_THRESHOLD,
        }
        if self._batched(options):
            from faster_whisper import BatchedInferencePipeline

            # Word times cut its chunk-long segments into sentences (asr/sentences.py); they
            # cost ~10 % of the batched speed and keep its word error rate.
            common["word_timestamps"] = True

            duration = samples.shape[0] / SAMPLE_RATE
            extra: dict[str, Any] = {}
            if options.vad:
                extra["vad_filter"] = True
                extra["vad_parameters"] = dict(VAD_PARAMETERS)
            else:
                # Without VAD the batched pipeline needs the chunks spelled out: plain 30 s ones.
                extra["vad_filter"] = False
                extra["clip_timestamps"] = [
                    {"start": s, "end": min(s + 30.0, duration)}
                    for s in _frange(0.0, duration, 30.0)
                ]
            pipeline = BatchedInferencePipeline(model=loaded.model)
            segments, _ = pipeline.transcribe(
                samples,
                batch_size=self._batch_size(options),
                **common,
                **extra,
            )
            return _redecode_loops(_typed_segments(segments), loaded, samples, common)
        segments, _ = loaded.model.transcribe(
            samples,
            initial_prompt=prompt,
            condition_on_previous_text=True,
            vad_filter=options.vad,
            vad_parameters=VadOptions(**VAD_PARAMETERS) if options.vad else None,
            **common,
        )
        return _typed_segments(segments)


def _redecode_loops(
    segments: Iterable[Any], loaded: LoadedModel, samples: FloatArray, common: dict[str, Any]
) -> Iterator[Any]:
    """The batched pipeline decodes at the first temperature only, so a repetition loop
    ("okay, okay, okay, ...", common on noisy radio) comes out as text. Such a chunk (its
    text compresses better than Whisper's threshold) is decoded again by the sequential
    decoder, which falls back to higher temperatures as Whisper does; its segments replace
    the loop, shifted to the chunk's place."""
    for raw in segments:
        ratio = getattr(raw, "compression_ratio", None) or 0.0
        if ratio <= COMPRESSION_RATIO_THRESHOLD:
            yield raw
            continue
        start = max(0, int(raw.start * SAMPLE_RATE))
        end = min(samples.shape[0], math.ceil(raw.end * SAMPLE_RATE))
        if end - start < SAMPLE_RATE // 2:
            continue  # nothing left to decode: a loop over no audio is dropped
        again, _ = loaded.model.transcribe(
            samples[start:end],
            condition_on_previous_text=False,
            vad_filter=False,
            **common,
        )
        offset = start / SAMPLE_RATE
        for piece in again:
            words = [
                replace(w, start=w.start + offset, end=w.end + offset) for w in (piece.words or ())
            ]
            yield replace(
                piece,
                start=piece.start + offset,
                end=piece.end + offset,
                words=words or piece.words,
            )


def _typed_segments(segments: Any) -> Iterable[Any]:
    """faster-whisper's lazy segment generator, typed."""
    it: Iterable[Any] = segments
    return it


def _frange(start: float, stop: float, step: float) -> Iterator[float]:
    value = start
    while value < stop:
        yield value
        value += step


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def _to_segment(raw: Any, not_before: float, offset: float, window_end: float) -> Segment | None:
    """faster-whisper's segment, moved from window time to media time, kept inside its window
    and after the previous segment (so segments never overlap and stay in time order); None
    for empty text."""
    text = str(raw.text).strip()
    if not any(ch.isalnum() for ch in text):
        return None  # empty, or punctuation alone ("...", "."): what Whisper emits for music
    start = round(_clamp(float(raw.start) + offset, not_before, window_end), 3)
    end = round(_clamp(float(raw.end) + offset, start, window_end), 3)
    words: tuple[Word, ...] = ()
    if raw.words:
        words = tuple(
            Word(
                start=round(_clamp(float(w.start) + offset, start, end), 3),
                end=round(_clamp(float(w.end) + offset, start, end), 3),
                word=str(w.word),
                probability=float(w.probability),
            )
            for w in raw.words
        )
    return Segment(
        start=start,
        end=end,
        text=text,
        words=words,
        avg_logprob=float(raw.avg_logprob),
        no_speech_prob=float(raw.no_speech_prob),
    )

"""Who spoke when: speaker labels for transcribed segments, fully offline.

The voice encoder is Resemblyzer's (its weights ship inside the PyPI package, no hub), the
clustering scikit-learn's; both come with the optional `diarization` extra and are imported only
when a diarization runs (docs/decisions/0120-diarization-with-resemblyzer.md).

How it works:
1. The segments' times say where the speech is. Each segment is cut into pieces of about
   `PIECE_S` seconds (a long segment may hold a change of speaker).
2. The audio is decoded once more at 16 kHz in windows of `DECODE_WINDOW_S` (memory stays
   bounded by one window plus one piece, whatever the length of the file), and each piece is
   embedded by the voice encoder (its silences trimmed by WebRTC VAD first).
3. The pieces are clustered (agglomerative, average linkage on cosine distances). The number of
   speakers is the largest count, within `min_speakers..max_speakers`, whose clusters are all
   clearly apart: no two cluster centroids more alike than `SAME_SPEAKER_SIMILARITY`
   (docs/decisions/0121-speaker-count.md). More than `MAX_CLUSTER_POINTS` pieces are clustered
   on an even sample and the rest join the nearest centroid.
4. Each segment takes the speaker with the most overlap among its pieces; a segment too short
   to embed takes its nearest neighbour's. Labels are `SPEAKER_1`, `SPEAKER_2`, ... in order of
   first appearance.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from transcriber.asr.audio import iter_audio_windows
from transcriber.kit.errors import Unprocessable

__all__ = [
    "DEFAULT_MAX_SPEAKERS",
    "INSTALL_HINT",
    "MAX_SPEAKERS",
    "DiarizationUnavailable",
    "SpeakerOptions",
    "cluster_speakers",
    "diarize_segments",
    "missing_dependency",
    "require_diarization",
]

SAMPLE_RATE = 16000
# Speaker counts a job may ask for.
MAX_SPEAKERS = 20
# Without a max_speakers, no more than this many speakers are looked for.
DEFAULT_MAX_SPEAKERS = 10
# Pieces a segment is cut into; long enough for a stable voice embedding (the encoder looks at
# 1.6 s partials and averages them), short enough to see a change of speaker inside a segment.
PIECE_S = 2.5
# Speech shorter than this (after trimming silence) is not embedded: it takes a neighbour's label.
MIN_SPEECH_S = 0.3
# Two clusters whose centroids are more alike than this are one voice (cosine similarity of
# L2-normalised Resemblyzer embeddings; measured in docs/decisions/0121-speaker-count.md).
SAME_SPEAKER_SIMILARITY = 0.65
# The audio is decoded in windows this long (about 3.8 MB of float32 each).
DECODE_WINDOW_S = 60.0
# At most this many pieces are clustered directly (the distance matrix grows with the square).
MAX_CLUSTER_POINTS = 2000
# Torch threads for the encoder: its LSTM runs on a few 1.6 s partials at a time, too little work
# to share; more threads only spin against the Whisper decoder's and other jobs' threads
# (bench/RESULTS.md, "Diarization").
ENCODER_THREADS = 1
# The encoder's voice level target (Resemblyzer's own preprocessing).
_TARGET_DBFS = -30.0

INSTALL_HINT = "pip install 'transcriber[diarization]'"
_MODULES = ("resemblyzer", "sklearn", "torch")

FloatArray = npt.NDArray[np.float32]


class DiarizationUnavailable(Unprocessable):
    """The optional `diarization` extra is not installed here."""


@dataclass(frozen=True, slots=True)
class SpeakerOptions:
    """Bounds on the number of speakers; None means no bound."""

    min_speakers: int | None = None
    max_speakers: int | None = None


def missing_dependency() -> str | None:
    """The first module of the `diarization` extra that is not importable here, or None.

    Cheap: it looks the modules up without importing torch."""
    for name in _MODULES:
        if name in sys.modules:
            if sys.modules[name] is None:  # an import that is known to fail
                return name
            continue
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


def require_diarization() -> None:
    """Raise a 422 a person can act on when speaker labels cannot be made here."""
    missing = missing_dependency()
    if missing is not None:
        raise DiarizationUnavailable(
            f"speaker labels need the diarization extra: {INSTALL_HINT} "
            f"(the module {missing!r} is missing on this server).",
            field="diarize",
        )


# -- the encoder --------------------------------------------------------------------------------


class _Encoder:
    """Resemblyzer's voice encoder on the CPU, loaded once per process."""

    def __init__(self) -> None:
        try:
            with warnings.catch_warnings():
                # resemblyzer and webrtcvad import deprecated names (scipy.ndimage.morphology,
                # pkg_resources); harmless, and not ours to fix.
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", UserWarning)
                import torch
                from resemblyzer import VoiceEncoder
                from resemblyzer.audio import normalize_volume, trim_long_silences
        except ImportError as exc:
            raise DiarizationUnavailable(
                f"speaker labels need the diarization extra: {INSTALL_HINT} ({exc})."
            ) from exc
        torch.set_num_threads(ENCODER_THREADS)
        self._model = VoiceEncoder("cpu", verbose=False)
        self._normalize = normalize_volume
        self._trim = trim_long_silences
        self._lock = threading.Lock()
        # librosa compiles its spectrogram code (numba) on first use: do it now, not in a job.
        self.embed(np.random.default_rng(0).normal(0, 0.1, SAMPLE_RATE).astype(np.float32))

    def embed(self, samples: FloatArray) -> FloatArray | None:
        """One L2-normalised 256-value embedding of a stretch of speech, or None when it holds
        too little speech."""
        if samples.size < MIN_SPEECH_S * SAMPLE_RATE or not np.any(samples):
            return None
        wav = self._normalize(samples.astype(np.float32), _TARGET_DBFS, increase_only=True)
        speech = self._trim(wav)
        if speech.size < MIN_SPEECH_S * SAMPLE_RATE:
            # Mostly silence to the VAD (quiet, noisy or clipped speech): use it whole.
            speech = wav
        with self._lock:  # one forward pass at a time per process keeps memory flat
            embedding = self._model.embed_utterance(speech.astype(np.float32), min_coverage=0.5)
        return np.asarray(embedding, dtype=np.float32)


_encoder: _Encoder | None = None
_encoder_lock = threading.Lock()


def _get_encoder() -> _Encoder:
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = _Encoder()
        return _encoder


# -- pieces and embeddings ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    segment: int
    start: float
    end: float


def _pieces(spans: Sequence[tuple[float, float]]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, (start, end) in enumerate(spans):
        if not end > start:
            continue
        count = max(1, round((end - start) / PIECE_S))
        edges = np.linspace(start, end, count + 1)
        pieces.extend(_Piece(index, float(a), float(b)) for a, b in itertools.pairwise(edges))
    pieces.sort(key=lambda p: (p.start, p.end))
    return pieces


def _embed_pieces(
    path: Path,
    pieces: Sequence[_Piece],
    encoder: _Encoder,
    duration_s: float,
    on_progress: Callable[[float], None] | None,
    should_stop: Callable[[], bool] | None,
) -> list[tuple[_Piece, FloatArray]] | None:
    """Decode the file window by window and embed each piece once its audio is in; None when
    asked to stop. Holds one decode window plus the start of the next piece, never the file."""
    out: list[tuple[_Piece, FloatArray]] = []
    buffer = np.zeros(0, dtype=np.float32)
    buffer_start = 0  # sample index of buffer[0] in the file
    next_piece = 0
    for offset_s, samples in iter_audio_windows(path, DECODE_WINDOW_S, SAMPLE_RATE):
        if should_stop is not None and should_stop():
            return None
        offset = round(offset_s * SAMPLE_RATE)
        if not buffer.size:
            buffer_start = offset
        buffer = np.concatenate([buffer, samples]) if buffer.size else samples
        buffer_end = buffer_start + buffer.size
        while next_piece < len(pieces):
            piece = pieces[next_piece]
            first = round(piece.start * SAMPLE_RATE)
            last = round(piece.end * SAMPLE_RATE)
            if last > buffer_end:
                break
            embedding = encoder.embed(buffer[max(0, first - buffer_start) : last - buffer_start])
            if embedding is not None:
                out.append((piece, embedding))
            next_piece += 1
        keep_from = buffer_end
        if next_piece < len(pieces):
            keep_from = min(buffer_end, round(pieces[next_piece].start * SAMPLE_RATE))
        buffer = buffer[max(0, keep_from - buffer_start) :].copy()
        buffer_start = max(buffer_start, keep_from)
        if on_progress is not None and duration_s > 0:
            on_progress(min(1.0, buffer_end / SAMPLE_RATE / duration_s))
    # Pieces past the decoded end (the segments' times overshoot a little): what there is.
    for piece in pieces[next_piece:]:
        first = max(0, round(piece.start * SAMPLE_RATE) - buffer_start)
        embedding = encoder.embed(buffer[first:])
        if embedding is not None:
            out.append((piece, embedding))
    return out


# -- clustering ---------------------------------------------------------------------------------


def _centroids(embeddings: FloatArray, labels: npt.NDArray[np.int_], k: int) -> FloatArray:
    centroids = np.stack([embeddings[labels == c].mean(axis=0) for c in range(k)])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    normalised: FloatArray = (centroids / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


def _max_cross_similarity(centroids: FloatArray) -> float:
    similarity = centroids @ centroids.T
    np.fill_diagonal(similarity, -1.0)
    return float(similarity.max())


def cluster_speakers(
    embeddings: FloatArray, min_speakers: int | None = None, max_speakers: int | None = None
) -> list[int]:
    """A speaker number (0-based, arbitrary order) for each L2-normalised embedding.

    The count is the largest k within the bounds whose clusters (average linkage on cosine
    distance) have no two centroids more alike than `SAME_SPEAKER_SIMILARITY`; when no k
    qualifies, the smallest allowed."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(embeddings)
    if n == 0:
        return []
    low = max(1, min_speakers or 1)
    high = min(max_speakers or DEFAULT_MAX_SPEAKERS, MAX_SPEAKERS)
    high = max(low, high)
    if n == 1:
        return [0]
    sample = embeddings
    if n > MAX_CLUSTER_POINTS:
        picks = np.linspace(0, n - 1, MAX_CLUSTER_POINTS).round().astype(int)
        sample = embeddings[picks]
    chosen: npt.NDArray[np.int_] | None = None
    chosen_k = 1
    for k in range(min(high, len(sample)), 1, -1):
        labels = AgglomerativeClustering(
            n_clusters=k, metric="cosine", linkage="average"
        ).fit_predict(sample)
        if k == low or _max_cross_similarity(_centroids(sample, labels, k)) < (
            SAME_SPEAKER_SIMILARITY
        ):
            chosen, chosen_k = labels, k
            break
    if chosen is None:
        return [0] * n
    # Every point (sampled or not) joins its nearest centroid; a second pass with the
    # centroids of all points settles the edges, unless it would lose a speaker.
    centroids = _centroids(sample, chosen, chosen_k)
    assigned = np.argmax(embeddings @ centroids.T, axis=1)
    if len(set(assigned.tolist())) == chosen_k:
        refined = np.argmax(embeddings @ _centroids(embeddings, assigned, chosen_k).T, axis=1)
        if len(set(refined.tolist())) == chosen_k:
            assigned = refined
    return [int(c) for c in assigned]


# -- segments -----------------------------------------------------------------------------------


def _label_segments(count: int, embedded: Sequence[tuple[_Piece, int]]) -> list[str | None]:
    """Each segment's speaker: the one with the most overlap among its pieces; segments with
    none take the nearest labelled segment's (in order); named by first appearance."""
    overlap: list[dict[int, float]] = [{} for _ in range(count)]
    for piece, speaker in embedded:
        votes = overlap[piece.segment]
        votes[speaker] = votes.get(speaker, 0.0) + (piece.end - piece.start)
    raw: dict[int, int] = {}
    for index, votes in enumerate(overlap):
        if votes:
            raw[index] = max(sorted(votes), key=lambda s: votes[s])
    if not raw:
        return ["SPEAKER_1"] * count
    known = sorted(raw)
    filled: list[int] = []
    for index in range(count):
        if index not in raw:
            # The nearest labelled segment, the earlier one on a tie.
            index = min(known, key=lambda j: (abs(j - index), j > index))
        filled.append(raw[index])
    names: dict[int, str] = {}
    for speaker in filled:
        names.setdefault(speaker, f"SPEAKER_{len(names) + 1}")
    return [names[s] for s in filled]


def diarize_segments(
    path: str | Path,
    spans: Sequence[tuple[float, float]],
    *,
    options: SpeakerOptions | None = None,
    duration_s: float | None = None,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[str | None] | None:
    """A speaker label for each `(start, end)` span of speech in the media at `path`.

    `on_progress` gets the share of the audio done (0..1); `should_stop` is asked between
    decode windows, and a True ends the work early (the result is then None). Raises
    `DiarizationUnavailable` when the extra is not installed."""
    options = options or SpeakerOptions()
    if not spans:
        return []
    encoder = _get_encoder()
    pieces = _pieces(spans)
    total = duration_s or max(end for _, end in spans)
    embedded = _embed_pieces(Path(path), pieces, encoder, total, on_progress, should_stop)
    if embedded is None:
        return None
    if not embedded:
        return _label_segments(len(spans), [])
    matrix = np.stack([embedding for _, embedding in embedded])
    speakers = cluster_speakers(matrix, options.min_speakers, options.max_speakers)
    return _label_segments(
        len(spans), [(piece, s) for (piece, _), s in zip(embedded, speakers, strict=True)]
    )

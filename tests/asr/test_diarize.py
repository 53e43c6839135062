"""Speaker labels on real speech with the real voice encoder (the `diarization` extra): the
three-speaker Picovoice recording, single speakers, the Apollo 11 radio and a two-voice dialogue
spoken by espeak-ng; bounds on the count; memory on a long file; the extra missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tracemalloc
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from transcriber.asr import diarize
from transcriber.asr.diarize import (
    DiarizationUnavailable,
    SpeakerOptions,
    cluster_speakers,
    diarize_segments,
    require_diarization,
)
from transcriber.asr.engine import WhisperEngine
from transcriber.asr.types import Segment, TranscribeOptions

pytestmark = pytest.mark.skipif(
    diarize.missing_dependency() is not None,
    reason="the diarization extra is not installed (pip install 'transcriber[diarization]')",
)

PICOVOICE = "picovoice_diarization_3speakers.wav"
# The reference turns of the Picovoice file (Picovoice/leopard resources/.test/test_data.json,
# quoted in the manifest): the first words of each speaker's turns.
PICOVOICE_TURNS = {
    "and so it begins": 1,
    "this is what a crocodile": 2,
    "it's like meditating": 2,
    "ladies and gentlemen": 3,
    "we are expecting": 3,
    "thank you": 3,
}

# Two espeak-ng voices that the encoder tells apart: the default en-us voices (en-us, en-gb+f3)
# embed too alike (cosine 0.93) to be two people; these two are 0.57 apart.
VOICE_A = ["-v", "en-us+klatt2"]
VOICE_B = ["-v", "en-gb-scotland+f2", "-p", "70"]
DIALOGUE = (
    (VOICE_A, "Good morning, and welcome to the weekly planning meeting."),
    (VOICE_B, "Thanks. I would like to start with the budget for the new office."),
    (VOICE_A, "Sure. We spent about twelve thousand dollars on furniture last month."),
    (VOICE_B, "That is more than we expected. Can we delay the second order?"),
    (VOICE_A, "Yes, the supplier said they can wait until the end of the quarter."),
    (VOICE_B, "Great. Then let us move on to the hiring plan for the spring."),
)
PAUSE_S = 0.6  # the "pad 0 0.6" of each sentence


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    voice: str


def _transcribe(engine: WhisperEngine, path: Path) -> list[Segment]:
    return list(engine.transcribe(path, TranscribeOptions(model="tiny.en")).segments)


def _spans(segments: Sequence[Segment]) -> list[tuple[float, float]]:
    return [(s.start, s.end) for s in segments]


def _accuracy(hyp: Sequence[str | None], ref: Sequence[object], weights: Sequence[float]) -> float:
    """The share of speech (by weight) whose label is right under the best one-to-one mapping of
    hypothesis to reference speakers: 1 - the segment-level diarization error."""
    from itertools import permutations

    hyp_names: list[str] = sorted({h for h in hyp if h})
    ref_names = sorted({str(r) for r in ref})
    best = 0.0
    size = max(len(hyp_names), len(ref_names))
    padded = ref_names + [f"none{i}" for i in range(size - len(ref_names))]
    for perm in permutations(padded, len(hyp_names)):
        mapping = dict(zip(hyp_names, perm, strict=True))
        right = sum(
            float(w)
            for h, r, w in zip(hyp, ref, weights, strict=True)
            if h is not None and mapping.get(h) == str(r)
        )
        best = max(best, right / sum(weights))
    return best


@pytest.fixture(scope="session")
def two_voices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Turn]]:
    """A dialogue of two espeak-ng voices, alternating sentences, joined by sox into a 16 kHz
    mono WAV, with its turns (from each sentence's length)."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run scripts/ensure-speech-tools.sh (make test does)")
    folder = tmp_path_factory.mktemp("two-voices")
    parts: list[Path] = []
    turns: list[Turn] = []
    at = 0.0
    for i, (voice, sentence) in enumerate(DIALOGUE):
        raw, part = folder / f"raw{i}.wav", folder / f"part{i}.wav"
        subprocess.run(["espeak-ng", *voice, "-w", str(raw), sentence], check=True)
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(part), "pad", "0", "0.6"],
            check=True,
        )
        with wave.open(str(part)) as w:
            length = w.getnframes() / w.getframerate()
        turns.append(Turn(at, at + length - PAUSE_S, "A" if voice is VOICE_A else "B"))
        parts.append(part)
        at += length
    out = folder / "two_voices.wav"
    subprocess.run(["sox", *map(str, parts), str(out)], check=True)
    return out, turns


def test_three_speakers_one_after_another(engine: WhisperEngine, speech_dir: Path) -> None:
    segments = _transcribe(engine, speech_dir / PICOVOICE)
    labels = diarize_segments(speech_dir / PICOVOICE, _spans(segments))
    assert labels is not None and len(labels) == len(segments)
    reference = []
    for segment in segments:
        text = segment.text.strip().lower()
        reference.append(next(v for k, v in PICOVOICE_TURNS.items() if text.startswith(k)))
    assert len(set(labels)) == 3, list(zip(labels, reference, strict=True))
    # Named in order of first appearance.
    assert labels[0] == "SPEAKER_1"
    assert sorted({str(label) for label in labels}) == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_3"]
    # Every second of speech with its speaker (measured: 1.0; a segment wrong would be < 0.9).
    accuracy = _accuracy(labels, reference, [s.end - s.start for s in segments])
    assert accuracy >= 0.9, accuracy


@pytest.mark.parametrize(("low", "high", "expected"), [(None, 2, 2), (4, None, 4), (1, 1, 1)])
def test_the_count_stays_within_the_bounds_asked_for(
    engine: WhisperEngine,
    speech_dir: Path,
    low: int | None,
    high: int | None,
    expected: int,
) -> None:
    segments = _transcribe(engine, speech_dir / PICOVOICE)
    labels = diarize_segments(
        speech_dir / PICOVOICE, _spans(segments), options=SpeakerOptions(low, high)
    )
    assert labels is not None
    assert len(set(labels)) == expected


@pytest.mark.parametrize(
    "name",
    [
        "jfk.wav",
        "librispeech_dev-clean_2412-153948-0000.flac",
        "mfa_spontaneous_cold_corpus.wav",
        "ami_ES2011a_headset0_40s-46s.wav",
    ],
)
def test_one_speaker_is_one_speaker(engine: WhisperEngine, speech_dir: Path, name: str) -> None:
    segments = _transcribe(engine, speech_dir / name)
    labels = diarize_segments(speech_dir / name, _spans(segments))
    assert labels is not None and len(labels) == len(segments) >= 1
    assert set(labels) == {"SPEAKER_1"}


def _assert_turns_found(
    engine: WhisperEngine, path: Path, turns: list[Turn], pause_s: float
) -> None:
    """Two speakers found, every segment labelled as the turn it overlaps most, and each label
    change within a second of a real turn's end (Whisper's segment times are within about half
    a second of the sentence's)."""
    segments = _transcribe(engine, path)
    labels = diarize_segments(path, _spans(segments))
    assert labels is not None
    assert len(set(labels)) == 2, labels

    def speaker_at(segment: Segment) -> str:
        overlap = dict.fromkeys(("A", "B"), 0.0)
        for t in turns:
            overlap[t.voice] += max(0.0, min(t.end, segment.end) - max(t.start, segment.start))
        return max(overlap, key=lambda v: overlap[v])

    reference = [speaker_at(s) for s in segments]
    accuracy = _accuracy(labels, reference, [s.end - s.start for s in segments])
    assert accuracy == 1.0, list(zip(labels, reference, strict=True))
    for before, after, a, b in zip(segments, segments[1:], labels, labels[1:], strict=False):
        if a != b:
            change = (before.end + after.start) / 2
            nearest = min(abs(change - (t.end + pause_s / 2)) for t in turns)
            assert nearest < 1.0, (change, turns)


def test_two_espeak_voices_take_turns(
    engine: WhisperEngine, two_voices: tuple[Path, list[Turn]]
) -> None:
    path, turns = two_voices
    _assert_turns_found(engine, path, turns, PAUSE_S)


# Two real people taking turns: LibriSpeech readers 1272 and 2412, their own recordings joined
# in the order A B A with short pauses (the turns are known exactly). Hi-Fi TTS reader 6097 in
# place of 2412 comes out as the same voice as 1272: docs/decisions/0121-speaker-count.md.
REAL_DIALOGUE = (
    ("A", "librispeech_dev-clean_1272-128104-0000.wav"),
    ("B", "librispeech_dev-clean_2412-153948-0000.flac"),
    ("A", "librispeech_dev-clean_1272-128104-0004_8khz.wav"),
)
# Labels are given per segment: a pause this long makes the turn a segment boundary (the
# engine cuts at pauses of 0.8 s; a turn taken inside one segment gets one label).
TURN_PAUSE_S = 1.0


@pytest.fixture(scope="session")
def real_dialogue(
    speech_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[Turn]]:
    if shutil.which("sox") is None:
        pytest.fail("sox is missing: run scripts/ensure-speech-tools.sh (make test does)")
    import av

    folder = tmp_path_factory.mktemp("real-dialogue")
    parts: list[Path] = []
    turns: list[Turn] = []
    at = 0.0
    for i, (who, name) in enumerate(REAL_DIALOGUE):
        part = folder / f"part{i}.wav"
        # PyAV decodes every format of the test data (sox may lack flac or mp3 support).
        with av.open(str(speech_dir / name)) as source:
            stream = source.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
            pcm = b"".join(
                bytes(out.planes[0])[: out.samples * 2]
                for frame in source.decode(stream)
                for out in resampler.resample(frame)
            )
        with wave.open(str(part), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(pcm + b"\0\0" * int(TURN_PAUSE_S * 16000))
        length = len(pcm) / 2 / 16000
        turns.append(Turn(at, at + length, who))
        parts.append(part)
        at += length + TURN_PAUSE_S
    out = folder / "real_dialogue.wav"
    subprocess.run(["sox", *map(str, parts), str(out)], check=True)
    return out, turns


def test_two_real_people_take_turns(
    engine: WhisperEngine, real_dialogue: tuple[Path, list[Turn]]
) -> None:
    """A real two-speaker recording: two speakers found, every segment labelled right, and each
    label change within a second of a real turn."""
    path, turns = real_dialogue
    _assert_turns_found(engine, path, turns, TURN_PAUSE_S)


def test_memory_stays_bounded_on_a_long_file(tmp_path: Path, speech_dir: Path) -> None:
    # Ten minutes of 16 kHz speech would be 38 MB as float32; the windows hold far less.
    long_file = tmp_path / "long.wav"
    subprocess.run(["sox", str(speech_dir / "jfk.wav"), str(long_file), "repeat", "54"], check=True)
    spans = [(t + 0.5, t + 3.0) for t in np.arange(0.0, 590.0, 30.0)]
    diarize_segments(long_file, spans[:1])  # the encoder loaded outside the measurement
    tracemalloc.start()
    try:
        labels = diarize_segments(long_file, spans)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert labels == ["SPEAKER_1"] * len(spans)
    assert peak < 16_000_000, peak


def test_clustering_bounds_and_edges() -> None:
    rng = np.random.default_rng(7)
    assert cluster_speakers(np.zeros((0, 256), dtype=np.float32)) == []
    one = rng.normal(size=(1, 256)).astype(np.float32)
    assert cluster_speakers(one / np.linalg.norm(one)) == [0]
    # Three far-apart voices, twenty points each.
    centres = rng.normal(size=(3, 256))
    points = np.concatenate([c + 0.1 * rng.normal(size=(20, 256)) for c in centres])
    points = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    assert len(set(cluster_speakers(points))) == 3
    assert len(set(cluster_speakers(points, max_speakers=2))) == 2
    assert len(set(cluster_speakers(points, min_speakers=5))) == 5


def test_no_segments_no_labels(speech_dir: Path) -> None:
    assert diarize_segments(speech_dir / "jfk.wav", []) == []


def test_a_stop_request_ends_the_work(speech_dir: Path) -> None:
    assert diarize_segments(speech_dir / "jfk.wav", [(0.0, 5.0)], should_stop=lambda: True) is None


def test_the_missing_extra_is_a_clear_422(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resemblyzer", None)  # `import resemblyzer` fails
    with pytest.raises(DiarizationUnavailable) as raised:
        require_diarization()
    assert raised.value.status_code == 422
    assert "pip install 'transcriber[diarization]'" in raised.value.detail
    # And the encoder, should a worker lack it, says the same.
    monkeypatch.setattr(diarize, "_encoder", None)
    with pytest.raises(DiarizationUnavailable, match="diarization extra"):
        diarize_segments("unused.wav", [(0.0, 1.0)])

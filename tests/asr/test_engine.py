"""The engine on real speech with the real models (never mocked).

WER bounds come from what the models measured on this machine (docs/decisions/0005-asr-accuracy-
baseline.md), with modest headroom, so a regression in decoding, resampling, windowing or options
shows up here.
"""

from __future__ import annotations

import difflib
import itertools
import statistics
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.asr.helpers import speech
from tests.asr.wer import normalize, wer
from transcriber.asr.catalog import effective_batch_size
from transcriber.asr.engine import InvalidOptions, WhisperEngine
from transcriber.asr.types import Segment, TranscribeOptions
from transcriber.config import Settings, WhisperSettings

# tiny.en, beam 5, VAD on: measured WER -> bound (measured + headroom of about one word on the
# short clips). The sonnet is checked in the window test.
TINY_EN_BOUNDS: dict[str, float] = {
    "jfk.flac": 0.05,
    "jfk.wav": 0.05,
    "librispeech_dev-clean_1272-128104-0000.wav": 0.10,
    "librispeech_dev-clean_2412-153948-0000.flac": 0.06,
    "librispeech_dev-clean_1272-128104-0004_8khz.wav": 0.20,  # measured 0.132
    "hifitts_6097_astralplane_03_leadbeater_0639.wav": 0.08,
    "hifitts_6097_hartmann_12_fawcett_0088.wav": 0.10,
    "hifitts_6097_nada_lily_12_haggard_0523.wav": 0.10,
    "hifitts_6097_roots_04_morris_0057.wav": 0.10,
    "hifitts_6097_presentpictureofnsw_01_mann_0160.wav": 0.20,  # measured 0.100 (Phillip)
    "hifitts_6097_swag_05_tompkins_0390.wav": 0.10,
    "ljspeech_LJ002-0020.wav": 0.34,  # 3 words: one error allowed
    "ljspeech_LJ002-0035.wav": 0.25,  # 4 words: one error allowed
    "fleurs_en_002.ogg": 0.22,  # measured 0.152 (Sintra, splendours, Lord Byron)
    "fleurs_en_005.ogg": 0.08,
    "fleurs_en_008.ogg": 0.20,  # measured 0.130 ("3:2" heard as "free to tune")
    "mfa_spontaneous_acoustic_corpus.wav": 0.08,  # measured 0.018
    "mfa_spontaneous_cold_corpus.wav": 0.14,  # measured 0.085
    "picovoice_diarization_3speakers.wav": 0.06,
    "ami_ES2011a_headset0_40s-46s.wav": 0.38,  # measured 0.250 (8 words, two names)
}
TINY_EN_AGGREGATE_BOUND = 0.07  # measured 0.051 over these 20 files (~510 words)

# base, language detected: expected language, WER bound (measured + one word).
BASE_BOUNDS: dict[str, tuple[str, float]] = {
    "picovoice_de.wav": ("de", 0.40),  # measured 0.300: 3 of 10 words
    "picovoice_fr.wav": ("fr", 0.25),  # measured 0.154: 2 of 13 words
    "picovoice_es.wav": ("es", 0.10),  # measured 0.000 (12 words)
}


def _text(segments: list[Segment]) -> str:
    return " ".join(segment.text for segment in segments)


def _check_timeline(segments: list[Segment], duration: float) -> None:
    previous_end = 0.0
    for segment in segments:
        assert 0.0 <= segment.start <= segment.end <= duration + 0.01, segment
        assert segment.start >= previous_end - 0.01, f"{segment} overlaps the one before"
        previous_end = segment.end
        for word in segment.words:
            assert segment.start <= word.start <= word.end <= segment.end, (word, segment)


@pytest.mark.slow
def test_tiny_en_word_error_rate(
    engine: WhisperEngine, speech_dir: Path, speech_manifest: dict[str, dict[str, Any]]
) -> None:
    rows: list[tuple[str, float, float]] = []
    errors = words = 0
    for name, bound in TINY_EN_BOUNDS.items():
        entry = speech_manifest[name]
        result = engine.transcribe(speech(speech_dir, name), TranscribeOptions(model="tiny.en"))
        assert result.language == "en"
        segments = list(result.segments)
        _check_timeline(segments, result.duration_s)
        measured = wer(entry["reference"], _text(segments))
        rows.append((name, measured, bound))
        n = len(normalize(entry["reference"]).split())
        errors += round(measured * n)
        words += n
    table = "\n".join(f"{name:50s} {m:.3f} (bound {b:.2f})" for name, m, b in rows)
    print(f"\ntiny.en WER\n{table}\naggregate {errors / words:.3f}")
    assert all(m <= b for _, m, b in rows), table
    assert errors / words <= TINY_EN_AGGREGATE_BOUND, table


@pytest.mark.slow
@pytest.mark.usefixtures("base_available")
@pytest.mark.parametrize("name", list(BASE_BOUNDS))
def test_base_detects_language_and_transcribes(
    engine: WhisperEngine,
    speech_dir: Path,
    speech_manifest: dict[str, dict[str, Any]],
    name: str,
) -> None:
    language, bound = BASE_BOUNDS[name]
    result = engine.transcribe(speech(speech_dir, name), TranscribeOptions(model="base"))
    assert result.language == language
    assert result.language_probability > 0.8
    text = _text(list(result.segments))
    measured = wer(speech_manifest[name]["reference"], text)
    print(f"\nbase {name}: {result.language} {result.language_probability:.2f} WER {measured:.3f}")
    assert measured <= bound, text


@pytest.mark.slow
@pytest.mark.usefixtures("base_available")
def test_base_translates_into_english(engine: WhisperEngine, speech_dir: Path) -> None:
    # "Der hinter diesem Portal liegenden Raum wurde als Leichenhalle genutzt."
    result = engine.transcribe(
        speech(speech_dir, "picovoice_de.wav"), TranscribeOptions(model="base", task="translate")
    )
    assert result.language == "de"
    words = set(normalize(_text(list(result.segments))).split())
    assert {"the", "room", "was", "used"} <= words, words
    assert not words & {"der", "raum", "wurde", "als", "genutzt"}, words


def test_word_timestamps(engine: WhisperEngine, speech_dir: Path) -> None:
    # 44.1 kHz stereo FLAC: resampled and downmixed on the way in.
    result = engine.transcribe(
        speech(speech_dir, "jfk.flac"), TranscribeOptions(word_timestamps=True)
    )
    assert (result.language, result.duration_s) == ("en", 11.0)
    segments = list(result.segments)
    _check_timeline(segments, result.duration_s)
    words = [w for s in segments for w in s.words]
    assert len(words) >= 20
    assert all(0.0 <= w.probability <= 1.0 for w in words)
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    first = next(w for w in words if normalize(w.word) == "americans")
    assert 1.0 < first.start < 3.5  # "Americans" is said at about 1.8-2.5 s
    assert words[-1].end > 8.0


def test_words_are_absent_unless_asked(engine: WhisperEngine, speech_dir: Path) -> None:
    segments = list(engine.transcribe(speech(speech_dir, "jfk.wav"), TranscribeOptions()).segments)
    assert segments and all(s.words == () for s in segments)
    assert all(s.avg_logprob is not None and s.no_speech_prob is not None for s in segments)


@pytest.mark.parametrize(
    "name",
    [
        "nonspeech_brahms_hungarian_dance5_us_army_strings.ogg",
        "nonspeech_glacier_bay_humpback_whale.ogg",
    ],
)
def test_no_speech_gives_no_text(engine: WhisperEngine, speech_dir: Path, name: str) -> None:
    result = engine.transcribe(speech(speech_dir, name), TranscribeOptions())
    texts = [s.text for s in result.segments]
    assert texts == [], f"invented text on {name}: {texts}"
    assert result.duration_s > 40


def test_video_with_music_decodes_without_sentences(
    engine: WhisperEngine, speech_dir: Path
) -> None:
    # H.264 + 5.1 AAC music and effects; the bunny's one hum (2.4-5.3 s) passes the VAD and may
    # come out as "Mm-hmm.", but no sentence may be invented.
    result = engine.transcribe(
        speech(speech_dir, "video_big_buck_bunny_small.mp4"), TranscribeOptions()
    )
    assert result.duration_s == pytest.approx(5.312, abs=0.01)
    segments = list(result.segments)
    _check_timeline(segments, result.duration_s)
    assert all(len(s.text.split()) <= 2 for s in segments), segments


@pytest.mark.slow
def test_windows_join_without_loss(
    asr_settings: Settings,
    engine: WhisperEngine,
    speech_dir: Path,
    speech_manifest: dict[str, dict[str, Any]],
) -> None:
    """A 53 s reading in ~31 s windows against one pass: same words, same times."""
    name = "librivox_shakespeare_sonnet001_en.mp3"
    path = speech(speech_dir, name)
    reference = speech_manifest[name]["reference"]
    options = TranscribeOptions(word_timestamps=True)
    windowed_engine = WhisperEngine(
        asr_settings.model_copy(update={"whisper": WhisperSettings(window_s=31)})
    )
    single = list(engine.transcribe(path, options).segments)
    windowed = list(windowed_engine.transcribe(path, options).segments)
    windowed_engine.unload()

    for segments in (single, windowed):
        _check_timeline(segments, 53.3)
    # The window cut falls between 23 and 31 s; text on both sides of it is kept, once.
    assert any(s.end <= 31.0 for s in windowed) and any(s.start >= 23.0 for s in windowed)
    single_wer, windowed_wer = wer(reference, _text(single)), wer(reference, _text(windowed))
    print(f"\nsonnet WER: single pass {single_wer:.3f}, 31 s windows {windowed_wer:.3f}")
    assert windowed_wer <= 0.15
    assert windowed_wer <= single_wer + 0.04
    # Each window keeps Whisper's timestamped segments (a window that lost its timestamps
    # comes back as one long segment per 30 s chunk, and drops words when it stops early).
    longest = max(s.end - s.start for s in windowed)
    assert longest <= max(s.end - s.start for s in single) + 5.0, windowed
    hyp_words = normalize(_text(windowed)).split()
    assert len(hyp_words) <= len(normalize(reference).split()) + 3  # nothing said twice

    # Word times agree with the single pass wherever both heard the same word.
    a = [w for s in single for w in s.words]
    b = [w for s in windowed for w in s.words]
    matcher = difflib.SequenceMatcher(
        a=[normalize(w.word) for w in a], b=[normalize(w.word) for w in b], autojunk=False
    )
    deltas = [
        abs(a[block.a + k].start - b[block.b + k].start)
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]
    assert len(deltas) >= 0.7 * len(a)
    assert statistics.median(deltas) <= 0.3
    assert sum(d <= 1.0 for d in deltas) >= 0.9 * len(deltas)


def test_metadata_at_once_and_cancel(engine: WhisperEngine, speech_dir: Path) -> None:
    path = speech(speech_dir, "mfa_spontaneous_acoustic_corpus.wav")
    result = engine.transcribe(path, TranscribeOptions())
    assert (result.language, result.language_probability) == ("en", 1.0)
    assert result.duration_s == pytest.approx(26.723, abs=0.01)
    first = next(result.segments)
    assert first.text and first.start < 5
    close = getattr(result.segments, "close", None)
    assert close is not None
    close()  # a cancel: the generator stops, no more decoding
    assert list(result.segments) == []


def test_concurrent_jobs_share_one_model(asr_settings: Settings, speech_dir: Path) -> None:
    shared = WhisperEngine(asr_settings, concurrency=2)
    files = ["jfk.wav", "librispeech_dev-clean_1272-128104-0000.wav"]
    expected = {
        name: _text(list(shared.transcribe(speech(speech_dir, name), TranscribeOptions()).segments))
        for name in files
    }
    got: dict[str, str] = {}
    failures: list[BaseException] = []

    def run(name: str) -> None:
        try:
            result = shared.transcribe(speech(speech_dir, name), TranscribeOptions())
            got[name] = _text(list(result.segments))
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures
    assert got == expected
    assert len(shared.loaded()) == 1
    shared.unload()


def test_the_batched_default_gives_sentence_segments(
    engine: WhisperEngine, speech_dir: Path
) -> None:
    """The default decoder is the batched one (docs/decisions/0030), whose raw segments are
    whole 30 s chunks: the engine cuts them into sentences by word times, and keeps the words
    only for jobs that asked for them."""
    assert effective_batch_size(engine.settings, "tiny.en") > 0
    path = speech(speech_dir, "librivox_shakespeare_sonnet001_en.mp3")  # 53 s
    plain = list(engine.transcribe(path, TranscribeOptions(language="en")).segments)
    lengths = [s.end - s.start for s in plain]
    assert len(plain) >= 5, plain
    assert max(lengths) <= 20.5 and statistics.mean(lengths) <= 12, lengths
    assert all(s.words == () for s in plain)
    assert [s.start for s in plain] == sorted(s.start for s in plain)
    assert all(a.end <= b.start for a, b in itertools.pairwise(plain))
    timed = list(
        engine.transcribe(path, TranscribeOptions(language="en", word_timestamps=True)).segments
    )
    assert [s.text for s in timed] == [s.text for s in plain]
    for s in timed:
        assert s.words and s.words[0].start >= s.start and s.words[-1].end <= s.end
        assert "".join(w.word for w in s.words).strip() == s.text


def test_the_sequential_decoder_stays_available(asr_settings: Settings, speech_dir: Path) -> None:
    sequential = WhisperEngine(
        asr_settings.model_copy(update={"whisper": WhisperSettings(batch_size=0)})
    )
    result = sequential.transcribe(speech(speech_dir, "jfk.wav"), TranscribeOptions())
    text = _text(list(result.segments))
    assert (
        wer(
            "And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.",
            text,
        )
        <= 0.1
    ), text
    sequential.unload()


def test_initial_prompt_is_accepted(engine: WhisperEngine, speech_dir: Path) -> None:
    result = engine.transcribe(
        speech(speech_dir, "ami_ES2011a_headset0_40s-46s.wav"),
        TranscribeOptions(initial_prompt="Meeting with Abigail Claflin (Abbie)."),
    )
    text = _text(list(result.segments))
    assert "Claflin" in text, text


def test_devices_and_compute_types(asr_settings: Settings) -> None:
    eng = WhisperEngine(asr_settings, concurrency=2)
    assert eng.device == "cpu"  # no GPU on this machine
    assert eng.compute_type() == "int8"
    assert eng.compute_type("cuda") == "float16"
    assert eng.cpu_threads >= 1
    loaded = eng.load("tiny.en")
    assert (loaded.device, loaded.compute_type, loaded.multilingual) == ("cpu", "int8", False)
    assert eng.load("tiny.en") is loaded  # kept, not reloaded
    eng.unload()
    assert eng.loaded() == []


@pytest.mark.parametrize(
    ("options", "field", "words"),
    [
        (TranscribeOptions(task="translate"), "task", "English-only"),
        (TranscribeOptions(language="de"), "language", "only understands English"),
        (TranscribeOptions(language="xx"), "language", "Unknown language"),
    ],
)
def test_options_the_model_cannot_honour(
    engine: WhisperEngine, speech_dir: Path, options: TranscribeOptions, field: str, words: str
) -> None:
    with pytest.raises(InvalidOptions) as caught:
        engine.transcribe(speech(speech_dir, "jfk.wav"), options)
    assert caught.value.status_code == 422
    assert caught.value.extra["field"] == field
    assert words in caught.value.detail


def test_english_language_on_english_model_is_fine(engine: WhisperEngine, speech_dir: Path) -> None:
    result = engine.transcribe(speech(speech_dir, "jfk.wav"), TranscribeOptions(language="EN"))
    assert result.language == "en" and list(result.segments)


def test_a_repetition_loop_is_decoded_again_with_temperature_fallback(
    engine: WhisperEngine, speech_dir: Path
) -> None:
    """The batched pipeline decodes at temperature 0 only, so a chunk can come out as a loop
    ("okay, okay, okay, ..."). Such a chunk is decoded again by the sequential decoder, and
    its real words replace the loop at the chunk's place in the file."""
    from faster_whisper.audio import decode_audio
    from faster_whisper.transcribe import Segment as RawSegment

    from transcriber.asr.engine import _redecode_loops

    audio = decode_audio(str(speech_dir / "jfk.wav"), sampling_rate=16000)
    padded = np.concatenate([np.zeros(16000 * 5, dtype=np.float32), audio])
    loop = RawSegment(
        id=1,
        seek=0,
        start=5.0,
        end=5.0 + len(audio) / 16000,
        text=" okay," * 40,
        tokens=[],
        avg_logprob=-0.2,
        compression_ratio=9.0,
        no_speech_prob=0.0,
        words=None,
        temperature=0.0,
    )
    fine = replace(loop, text=" Fine.", compression_ratio=1.0)
    common = {
        "language": "en",
        "task": "transcribe",
        "beam_size": 5,
        "temperature": [0.0, 0.2, 0.4],
        "word_timestamps": True,
    }
    out = list(_redecode_loops([fine, loop], engine.load("tiny.en"), padded, common))
    assert out[0] is fine
    text = " ".join(s.text for s in out[1:])
    assert "okay" not in text.lower() and "ask not what your country" in text.lower()
    assert all(5.0 <= s.start < s.end <= loop.end + 0.5 for s in out[1:])
    assert all(w.start >= 5.0 for s in out[1:] for w in s.words or ())

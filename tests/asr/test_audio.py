"""Probing (what a file is, decided by content) and streaming decoding into windows."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.asr.helpers import speech, write_png, write_silent_video, write_wav
from transcriber.asr.audio import (
    EmptyMedia,
    MediaTooLong,
    MediaTooShort,
    NoAudioTrack,
    NotMediaFile,
    UndecodableAudio,
    find_quiet_point,
    iter_audio_windows,
    probe,
    read_audio,
)
from transcriber.kit.errors import TranscriberError, Unprocessable, UnsupportedMedia

# One file per container/codec the test data has.
CONTAINERS = [
    ("jfk.wav", "wav", "pcm_s16le", 1),
    ("jfk.flac", "flac", "flac", 2),
    ("librivox_shakespeare_sonnet001_en.mp3", "mp3", "mp3", 2),
    ("apollo11_air_to_ground_8khz.mp3", "mp3", "mp3", 1),
    ("fleurs_en_002.ogg", "ogg", "opus", 1),
    ("nonspeech_brahms_hungarian_dance5_us_army_strings.ogg", "ogg", "vorbis", 1),
    ("mls_es_13697_11991_000000.opus", "ogg", "opus", 1),
    ("video_big_buck_bunny_small.mp4", "mov,mp4,m4a,3gp,3g2,mj2", "aac", 6),
]


@pytest.mark.parametrize(("name", "container", "codec", "channels"), CONTAINERS)
def test_probe_reads_each_container(
    speech_dir: Path,
    speech_manifest: dict[str, dict[str, Any]],
    name: str,
    container: str,
    codec: str,
    channels: int,
) -> None:
    info = probe(speech(speech_dir, name), min_duration_s=0.1, max_duration_s=6 * 3600)
    assert info.duration_s == pytest.approx(speech_manifest[name]["duration_s"], abs=0.1)
    assert info.container == container
    assert info.audio_codec == codec
    assert info.channels == channels
    assert info.sample_rate > 0
    assert info.has_video is name.endswith(".mp4")


def test_probe_ignores_the_file_name(speech_dir: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "notes.txt"
    disguised.write_bytes(speech(speech_dir, "jfk.flac").read_bytes())
    assert probe(disguised).duration_s == pytest.approx(11.0, abs=0.1)


def _refused(path: Path, **limits: float) -> TranscriberError:
    with pytest.raises(TranscriberError) as caught:
        probe(path, **limits)
    err = caught.value
    assert path.name in err.detail  # the message names the file
    assert len(err.detail) > 40 and "Traceback" not in err.detail
    return err


def test_text_named_mp3_is_not_media(tmp_path: Path) -> None:
    path = tmp_path / "song.mp3"
    path.write_text("This is a shopping list, not a song.\n" * 40)
    err = _refused(path)
    assert isinstance(err, NotMediaFile) and isinstance(err, UnsupportedMedia)
    assert err.status_code == 415
    assert "not an audio or video file" in err.detail


def test_zip_is_not_media(tmp_path: Path) -> None:
    path = tmp_path / "recording.wav"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello " * 200)
    err = _refused(path)
    assert isinstance(err, NotMediaFile) and err.status_code == 415


def test_png_is_refused_as_an_image(tmp_path: Path) -> None:
    # FFmpeg opens a PNG as a one-frame video: it must still be refused for having no audio.
    err = _refused(write_png(tmp_path / "cover.mp3"))
    assert isinstance(err, NoAudioTrack) and err.status_code == 415
    assert "image" in err.detail


def test_video_without_audio_is_refused(tmp_path: Path) -> None:
    err = _refused(write_silent_video(tmp_path / "screen.mp4"))
    assert isinstance(err, NoAudioTrack) and err.status_code == 415
    assert "video without an audio track" in err.detail


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.touch()
    err = _refused(path)
    assert isinstance(err, EmptyMedia) and isinstance(err, Unprocessable)
    assert err.status_code == 422
    assert "empty" in err.detail


def test_truncated_mp3_is_refused(speech_dir: Path, tmp_path: Path) -> None:
    # The first 2 KB of a 53 s MP3: the header still promises 53 s, 0.2 s decodes.
    data = speech(speech_dir, "librivox_shakespeare_sonnet001_en.mp3").read_bytes()
    path = tmp_path / "cut.mp3"
    path.write_bytes(data[:2048])
    err = _refused(path, min_duration_s=0.1)
    assert isinstance(err, UndecodableAudio) and err.status_code == 415
    assert "truncated" in err.detail


def test_partly_truncated_mp3_reports_what_is_there(speech_dir: Path, tmp_path: Path) -> None:
    # 70 % of the file: the header (Xing) still says 53 s; the probe finds the real length.
    data = speech(speech_dir, "librivox_shakespeare_sonnet001_en.mp3").read_bytes()
    path = tmp_path / "most.mp3"
    path.write_bytes(data[: int(len(data) * 0.7)])
    assert 30 < probe(path).duration_s < 45


def test_too_short(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "blip.wav", np.full(800, 0.1, dtype=np.float32))  # 0.05 s
    err = _refused(path, min_duration_s=0.1)
    assert isinstance(err, MediaTooShort) and err.status_code == 422
    assert "0.05 s" in err.detail


def test_too_long(speech_dir: Path) -> None:
    err = _refused(speech(speech_dir, "jfk.wav"), max_duration_s=10.0)
    assert isinstance(err, MediaTooLong) and err.status_code == 413
    assert "longer than" in err.detail


def test_multichannel_video_downmixes_to_mono(speech_dir: Path) -> None:
    samples = read_audio(speech(speech_dir, "video_big_buck_bunny_small.mp4"))
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) == pytest.approx(5.312 * 16000, abs=160)
    assert float(np.sqrt(np.mean(samples**2))) > 0.01  # the 5.1 music survives the downmix


def test_quiet_point_is_found_in_a_pause() -> None:
    rng = np.random.default_rng(0)
    sr = 16000
    loud = rng.normal(0, 0.3, sr * 10).astype(np.float32)
    loud[int(6.2 * sr) : int(6.6 * sr)] *= 0.001  # a 400 ms pause at 6.2-6.6 s
    cut = find_quiet_point(loud, 4 * sr, 10 * sr, sr)
    assert 6.2 * sr <= cut <= 6.6 * sr


def test_windows_cover_the_file_exactly(speech_dir: Path) -> None:
    path = speech(speech_dir, "apollo11_air_to_ground_8khz.mp3")
    whole = read_audio(path)
    windows = list(iter_audio_windows(path, window_s=20.0))
    assert len(windows) >= 4
    expected_offset = 0.0
    for offset, samples in windows:
        assert offset == pytest.approx(expected_offset, abs=1e-6)
        assert samples.dtype == np.float32
        assert len(samples) <= 20 * 16000  # memory is bounded by the window
        expected_offset += len(samples) / 16000
    for _, samples in windows[:-1]:
        assert len(samples) >= 15 * 16000  # cut within the last 5 s of the window
    joined = np.concatenate([samples for _, samples in windows])
    np.testing.assert_array_equal(joined, whole)  # nothing lost or repeated at the joins


def test_windows_cut_in_quiet_places(speech_dir: Path) -> None:
    path = speech(speech_dir, "librivox_shakespeare_sonnet001_en.mp3")
    whole = read_audio(path)
    frame = 320
    energies = np.mean(whole[: len(whole) // frame * frame].reshape(-1, frame) ** 2, axis=1)
    typical = float(np.median(energies))
    for offset, _ in list(iter_audio_windows(path, window_s=20.0))[1:]:
        at = int(offset * 16000) // frame
        around = float(np.mean(energies[max(0, at - 2) : at + 3]))
        assert around < 0.05 * typical, f"cut at {offset:.2f} s is not in a pause"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("stream.mp3", "#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/segment.ts\n#EXT-X-ENDLIST\n"),
        ("list.wav", "ffconcat version 1.0\nfile /etc/hostname\n"),
        ("session.ogg", "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\nm=audio 5004 RTP/AVP 96\r\n"),
    ],
)
def test_playlists_are_not_followed(tmp_path: Path, name: str, content: str) -> None:
    # An upload is media, not a pointer to other files or to the network.
    path = tmp_path / name
    path.write_text(content)
    err = _refused(path)
    assert isinstance(err, NotMediaFile) and err.status_code == 415
    assert "playlist" in err.detail

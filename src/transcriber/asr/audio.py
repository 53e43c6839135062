"""Probing and decoding media with PyAV (FFmpeg bundled in the wheel; no system ffmpeg).

What a file is gets decided by its content: FFmpeg probes the bytes, and `probe` then decodes
the start of the audio (and checks the end) before it calls the file audio. Decoding for the
model is streamed: `iter_audio_windows` resamples frame by frame to 16 kHz mono float32 and
hands out windows cut at quiet points, so memory stays bounded by one window whatever the length
of the file (see docs/decisions/0002-long-media-windows.md).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from transcriber.asr.types import MediaInfo
from transcriber.kit.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia

__all__ = [
    "EmptyMedia",
    "MediaTooLong",
    "MediaTooShort",
    "NoAudioTrack",
    "NotMediaFile",
    "UndecodableAudio",
    "find_quiet_point",
    "iter_audio_windows",
    "probe",
    "read_audio",
]

FloatArray = npt.NDArray[np.float32]
StrPath = str | os.PathLike[str]

# How much audio `probe` decodes from the start to prove the file holds real audio. Files shorter
# than this are measured exactly by the decode itself.
_HEAD_DECODE_S = 30.0
# How far before the declared end `probe` seeks to check that the end is really there.
_TAIL_CHECK_S = 4.0
# A file whose decodable audio is less than this share of what its header declares is refused
# as truncated (an interrupted upload or copy), rather than silently transcribing a stub.
_TRUNCATED_RATIO = 0.5
# Give up on a stream after this many packets in a row that fail to decode.
_MAX_CONSECUTIVE_ERRORS = 50

_IMAGE_CODECS = frozenset(
    {"png", "mjpeg", "jpeg2000", "jpegls", "bmp", "gif", "webp", "tiff", "apng", "qoi", "ppm"}
)
_IMAGE_FORMATS = frozenset({"image2", "image2pipe", "gif", "webp_pipe"})


class NotMediaFile(UnsupportedMedia):
    """FFmpeg does not recognise the bytes as any audio or video container."""


class NoAudioTrack(UnsupportedMedia):
    """A readable container (a video, an image) without an audio stream."""


class UndecodableAudio(UnsupportedMedia):
    """There is an audio stream but no audio comes out of it (damaged or truncated data)."""


class EmptyMedia(Unprocessable):
    """The file has no bytes at all."""


class MediaTooShort(Unprocessable):
    """Shorter than `limits.min_duration_s`: nothing to transcribe."""


class MediaTooLong(PayloadTooLarge):
    """Longer than `limits.max_duration_s`."""


def _fmt_s(seconds: float) -> str:
    if seconds >= 3600:
        h, rest = divmod(seconds, 3600)
        return f"{int(h)} h {int(rest // 60)} min"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.2f} s"


# Text formats that make FFmpeg open *other* files or network streams (HLS and DASH playlists,
# concat lists, SDP session descriptions). An upload is media, not a pointer to media, so these
# are refused before FFmpeg reads them; network protocols are off for whatever remains.
_INDIRECT_MAGIC = (b"#EXTM3U", b"ffconcat", b"v=0")
_FFMPEG_OPTIONS = {"protocol_whitelist": "file"}


def _refuse_indirection(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(2048)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(_INDIRECT_MAGIC) or b"<MPD" in head:
        raise NotMediaFile(
            f"'{path.name}' is a playlist or stream description, not a media file: "
            "upload the audio or video file itself."
        )


def _open(path: StrPath) -> Any:
    """Open a container for reading, turning FFmpeg's refusal into a readable 415."""
    p = Path(path)
    _refuse_indirection(p)
    try:
        return av.open(
            os.fspath(p), mode="r", metadata_errors="ignore", options=dict(_FFMPEG_OPTIONS)
        )
    except FileNotFoundError:
        raise
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise NotMediaFile(
            f"'{p.name}' is not an audio or video file that can be read: FFmpeg does not "
            "recognise its content (it may be a document, an archive or damaged data)."
        ) from exc


def _audio_stream(container: Any, name: str) -> Any:
    if container.streams.audio:
        try:
            best = container.streams.best("audio")
        except (AttributeError, ValueError):
            best = None
        return best if best is not None else container.streams.audio[0]
    fmt = container.format.name or ""
    videos = list(container.streams.video)
    if videos:
        codec = videos[0].codec_context.name or ""
        if codec in _IMAGE_CODECS or fmt.endswith("_pipe") or fmt in _IMAGE_FORMATS:
            raise NoAudioTrack(
                f"'{name}' is an image ({codec or fmt}), not audio: it has no sound to transcribe."
            )
        raise NoAudioTrack(
            f"'{name}' is a video without an audio track ({codec or fmt}): "
            "there is no sound to transcribe."
        )
    kinds = sorted({s.type for s in container.streams}) or ["none"]
    raise NoAudioTrack(
        f"'{name}' has no audio stream (streams found: {', '.join(kinds)}); "
        "there is nothing to transcribe."
    )


def _codec_name(ctx: Any) -> str:
    """The codec's canonical name ("mp3", "aac", "opus"), not the decoder's ("mp3float")."""
    codec = getattr(ctx, "codec", None)
    canonical = getattr(codec, "canonical_name", None) if codec is not None else None
    return str(canonical or ctx.name or "unknown")


def _declared_duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / av.time_base
    return None


def _iter_frames(container: Any, stream: Any) -> Iterator[Any]:
    """Decoded audio frames of one stream, skipping packets that fail to decode.

    A damaged packet costs the few milliseconds it holds rather than the whole file; a stream
    that fails packet after packet, or a demuxer error (truncated container), ends the stream.
    """
    errors_in_a_row = 0
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                errors_in_a_row += 1
                if errors_in_a_row >= _MAX_CONSECUTIVE_ERRORS:
                    return
                continue
            errors_in_a_row = 0
            yield from frames
    except av.error.FFmpegError:
        return


def _frame_end(frame: Any, start: float) -> float | None:
    if frame.pts is None or frame.time_base is None or not frame.sample_rate:
        return None
    return float(frame.pts * frame.time_base) - start + float(frame.samples / frame.sample_rate)


def _tail_reaches(container: Any, stream: Any, declared: float) -> bool:
    """Seek close to the declared end and check that audio is really there."""
    start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
    target = max(0.0, declared - _TAIL_CHECK_S) + start
    try:
        container.seek(int(target / stream.time_base), stream=stream, backward=True)
    except (av.error.FFmpegError, OverflowError, ValueError):
        return False
    last_end: float | None = None
    for frame in _iter_frames(container, stream):
        end = _frame_end(frame, start)
        if end is None:
            return True  # no timestamps to check against: trust the header
        last_end = end
    if last_end is None:
        return False
    return last_end >= declared - max(_TAIL_CHECK_S, 0.05 * declared)


def _count_duration(path: StrPath) -> float:
    """Decode the whole audio stream to measure it (for files whose header has no duration)."""
    with _open(path) as container:
        stream = _audio_stream(container, Path(path).name)
        total = 0.0
        for frame in _iter_frames(container, stream):
            total += frame.samples / frame.sample_rate
        return total


def probe(
    path: StrPath,
    *,
    min_duration_s: float = 0.0,
    max_duration_s: float | None = None,
) -> MediaInfo:
    """Find out what a file holds, from its content, and refuse what cannot be transcribed.

    Raises `EmptyMedia` / `MediaTooShort` (422), `MediaTooLong` (413) and, for files that are
    not media, have no audio track or whose audio does not decode, `UnsupportedMedia` (415)
    subclasses; each with a message a person can act on.
    """
    p = Path(path)
    name = p.name
    if p.stat().st_size == 0:
        raise EmptyMedia(f"'{name}' is empty (0 bytes): there is nothing to transcribe.")

    with _open(p) as container:
        stream = _audio_stream(container, name)
        ctx = stream.codec_context
        has_video = bool(container.streams.video)
        container_name = container.format.name or "unknown"
        codec_name = _codec_name(ctx)
        sample_rate = int(ctx.sample_rate or 0)
        layout = getattr(ctx, "layout", None)
        channels = len(layout.channels) if layout is not None else 0

        declared = _declared_duration(container, stream)
        if declared is not None and max_duration_s is not None and declared > max_duration_s:
            raise MediaTooLong(
                f"'{name}' lasts {_fmt_s(declared)}, longer than the {_fmt_s(max_duration_s)} "
                "this service accepts; split it into shorter parts."
            )

        decoded = 0.0
        reached_end = True
        for frame in _iter_frames(container, stream):
            if not sample_rate:
                sample_rate = int(frame.sample_rate)
            if not channels:
                channels = len(frame.layout.channels)
            decoded += frame.samples / frame.sample_rate
            if decoded >= _HEAD_DECODE_S:
                reached_end = False
                break

        if decoded <= 0.0:
            raise UndecodableAudio(
                f"'{name}' has an audio stream ({codec_name}) but no audio could be decoded "
                "from it: the file is damaged or truncated."
            )

        if reached_end:
            duration = decoded
        elif declared is None:
            duration = _count_duration(p)
        elif _tail_reaches(container, stream, declared):
            duration = declared
        else:
            duration = _count_duration(p)

    if declared is not None and duration < _TRUNCATED_RATIO * declared and declared - duration > 1:
        raise UndecodableAudio(
            f"'{name}' looks truncated or damaged: its header says it lasts "
            f"{_fmt_s(declared)} but only {_fmt_s(duration)} of audio could be decoded. "
            "Upload the complete file again."
        )
    if duration < min_duration_s:
        raise MediaTooShort(
            f"'{name}' holds only {_fmt_s(duration)} of audio, shorter than the "
            f"{_fmt_s(min_duration_s)} minimum: there is nothing to transcribe."
        )
    if max_duration_s is not None and duration > max_duration_s:
        raise MediaTooLong(
            f"'{name}' lasts {_fmt_s(duration)}, longer than the {_fmt_s(max_duration_s)} "
            "this service accepts; split it into shorter parts."
        )
    return MediaInfo(
        duration_s=round(duration, 3),
        container=container_name,
        audio_codec=codec_name,
        sample_rate=sample_rate,
        channels=channels,
        has_video=has_video,
    )


def _iter_resampled(path: StrPath, sample_rate: int) -> Iterator[FloatArray]:
    """The audio stream of `path` as 16 kHz (or `sample_rate`) mono float32 chunks, one per frame.

    FFmpeg's resampler does the downmix (5.1 and stereo to mono with its standard matrix) and the
    rate conversion; nothing is held beyond the current frame.
    """
    with _open(path) as container:
        stream = _audio_stream(container, Path(path).name)
        stream.thread_type = "AUTO"
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        try:
            for frame in _iter_frames(container, stream):
                frame.pts = None  # the resampler need not check timestamps
                try:
                    out_frames = resampler.resample(frame)
                except ValueError:
                    # The stream changed format mid-way (layout or rate): flush and start again.
                    for out in resampler.resample(None):
                        yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
                    out_frames = resampler.resample(frame)
                for out in out_frames:
                    yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
        finally:
            del resampler
            # PyAV keeps some resampler objects alive until a collection runs
            # (SYSTRAN/faster-whisper#390); one collection per file keeps RSS flat.
            gc.collect()


def read_audio(path: StrPath, sample_rate: int = 16000) -> FloatArray:
    """The whole audio of a (short) file as mono float32; for tests and small clips only."""
    chunks = list(_iter_resampled(path, sample_rate))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks)


def find_quiet_point(
    samples: FloatArray,
    lo: int,
    hi: int,
    sample_rate: int = 16000,
    *,
    frame_s: float = 0.02,
    smooth_s: float = 0.2,
) -> int:
    """The sample index in [lo, hi] at the centre of the quietest ~`smooth_s` stretch.

    Energy is measured in 20 ms frames and smoothed over ~200 ms (a typical pause between
    words or sentences), so a single quiet sample inside a word does not win over a real pause.
    """
    lo = max(0, lo)
    hi = min(len(samples), hi)
    frame = max(1, int(frame_s * sample_rate))
    n_frames = (hi - lo) // frame
    if n_frames < 2:
        return hi
    region = samples[lo : lo + n_frames * frame].reshape(n_frames, frame)
    energy = np.mean(region.astype(np.float64) ** 2, axis=1)
    k = max(1, min(n_frames, round(smooth_s / frame_s)))
    # A moving average over k frames ("valid": no zero padding, which would make the edges of
    # the region look quiet); entry i covers frames i .. i+k-1, centred on frame i + k // 2.
    smoothed = np.convolve(energy, np.ones(k) / k, mode="valid") if k > 1 else energy
    # Among equal minima (digital silence) prefer the latest, keeping windows near their size.
    best = int(len(smoothed) - 1 - np.argmin(smoothed[::-1])) + k // 2
    return lo + best * frame + frame // 2


def iter_audio_windows(
    path: StrPath,
    window_s: float,
    sample_rate: int = 16000,
    *,
    search_s: float | None = None,
) -> Generator[tuple[float, FloatArray], None, None]:
    """Decode `path` and yield `(offset_seconds, samples)` windows of about `window_s` seconds.

    Each window (except the last) ends at the quietest point of its last `search_s` seconds
    (default: a quarter of the window, between 1 and 10 s), so a cut falls in a pause rather than
    in a word; the next window starts exactly there, so offsets add up sample-exactly. Memory is
    bounded by about two windows of float32 samples, whatever the length of the file.
    """
    if window_s <= 0:
        raise ValueError("window_s must be positive")
    window = max(1, round(window_s * sample_rate))
    if search_s is None:
        search_s = min(10.0, max(1.0, window_s / 4))
    search = min(window - 1, max(0, int(search_s * sample_rate)))

    pieces: list[FloatArray] = []
    buffered = 0
    emitted = 0
    for chunk in _iter_resampled(path, sample_rate):
        if chunk.size == 0:
            continue
        pieces.append(chunk)
        buffered += chunk.size
        while buffered >= window:
            block = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
            cut = find_quiet_point(block, window - search, window, sample_rate)
            cut = max(1, min(cut, window))
            head = block[:cut]
            rest = block[cut:].copy()
            pieces = [rest] if rest.size else []
            buffered = int(rest.size)
            yield emitted / sample_rate, head
            emitted += cut
    if buffered:
        block = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        yield emitted / sample_rate, block

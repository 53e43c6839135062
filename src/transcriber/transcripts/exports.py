"""Transcript downloads: TXT, SRT, VTT, JSON, TSV and DOCX, rendered from a `TranscriptDocument`.

Pure functions, no I/O: `render` returns the file's bytes (UTF-8 for the text formats),
`MEDIA_TYPES` the Content-Type and `export_filename` a safe download name. Subtitle cues
(splitting, wrapping, timing) come from `subtitles.py`; the rules are in
docs/decisions/0010-subtitle-cues.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, get_args

import docx
import srt
import webvtt
from docx.shared import Pt, RGBColor

from transcriber.asr.types import Segment, TranscriptDocument
from transcriber.transcripts.subtitles import (
    Cue,
    CueLimits,
    Unit,
    build_cues,
    clean_text,
    join_units,
    scrub,
    segment_ms,
    text_width,
    to_ms,
    wrap_units,
)

ExportFormat = Literal["txt", "srt", "vtt", "json", "tsv", "docx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

MEDIA_TYPES: dict[ExportFormat, str] = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip",
    "vtt": "text/vtt; charset=utf-8",
    "json": "application/json",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How a transcript is laid out; each field says which formats read it."""

    timestamps: bool = False  # txt: "[00:00:01.000 --> 00:00:04.000] " before each line
    speakers: bool = True  # txt, srt, vtt, docx: speaker labels where segments have them
    max_chars_per_line: int = 42  # srt, vtt: columns per line (wide CJK characters count 2)
    max_lines_per_cue: int = 2  # srt, vtt
    max_cue_duration_s: float = 7.0  # srt, vtt
    karaoke: bool = False  # vtt: <00:00:01.000><c>word</c> timing tags where words exist

    def __post_init__(self) -> None:
        if self.max_chars_per_line < 1:
            raise ValueError("max_chars_per_line must be at least 1")
        if self.max_lines_per_cue < 1:
            raise ValueError("max_lines_per_cue must be at least 1")
        if not (math.isfinite(self.max_cue_duration_s) and self.max_cue_duration_s >= 0.001):
            raise ValueError("max_cue_duration_s must be at least 0.001 seconds")

    def cue_limits(self, first_line_extra: int = 0) -> CueLimits:
        return CueLimits(
            max_chars_per_line=self.max_chars_per_line,
            max_lines_per_cue=self.max_lines_per_cue,
            max_cue_duration_ms=to_ms(self.max_cue_duration_s),
            first_line_extra=first_line_extra,
        )


DEFAULT_OPTIONS = ExportOptions()


def render(
    doc: TranscriptDocument, fmt: ExportFormat, options: ExportOptions = DEFAULT_OPTIONS
) -> bytes:
    """The transcript as a file in `fmt`; an empty transcript gives a valid empty file."""
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    return renderer(doc, options)


# --- names -----------------------------------------------------------------------------

# Characters that are unsafe in a download name or a Content-Disposition header:
# controls, quotes, path separators and what Windows refuses in file names.
_UNSAFE_NAME = re.compile(
    "[\x00-\x1f\x7f-\x9f\"'`<>:|?*;\\\\/\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_MAX_STEM = 150


def export_filename(original_filename: str | None, fmt: ExportFormat) -> str:
    """The download name: "talk.mp3" -> "talk.srt"; "transcript.<ext>" when nothing usable is left.

    Folders, control and bidi-override characters, quotes and characters Windows refuses
    are removed; leading and trailing dots and spaces too (no hidden files, no "..").
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    name = (original_filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", scrub(name))
    name = " ".join(_UNSAFE_NAME.sub("", name).split())
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(". ") or " " in suffix:
        stem = name  # no extension to replace
    stem = stem.strip(". ")[:_MAX_STEM].strip(". ")
    return f"{stem or 'transcript'}.{fmt}"


# --- shared helpers ------------------------------------------------------------------------


def _timestamp(ms: int, separator: str) -> str:
    """HH:MM:SS<sep>mmm, hours always present (more than two digits past 99 hours)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _clock(ms: int) -> str:
    """HH:MM:SS, the seconds cut (not rounded) so a label never points after the speech."""
    return _timestamp(ms, ".")[:-4]


def _speaker(segment: Segment, options: ExportOptions) -> str | None:
    if not options.speakers or segment.speaker is None:
        return None
    return clean_text(segment.speaker) or None


def _seconds(ms: int) -> float:
    return ms / 1000


# --- txt -----------------------------------------------------------------------------------


def _render_txt(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    lines: list[str] = []
    for segment in doc.segments:
        text = clean_text(segment.text)
        if not text:
            continue
        parts: list[str] = []
        if options.timestamps:
            start, end = segment_ms(segment)
            parts.append(f"[{_timestamp(start, '.')} --> {_timestamp(end, '.')}]")
        speaker = _speaker(segment, options)
        if speaker:
            parts.append(f"[{speaker}]")
        parts.append(text)
        lines.append(" ".join(parts))
    return "".join(line + "\n" for line in lines).encode("utf-8")


# --- srt -----------------------------------------------------------------------------------

# A line that the srt parser could take for a subtitle number when the next line starts
# like a timestamp; such a line is kept on the line before it.
_SRT_INDEX_LIKE = re.compile(r"-?[0-9]+\.?[0-9]*")


def _srt_lines(cue: Cue, limits: CueLimits) -> list[str]:
    width = limits.max_chars_per_line
    lines = [join_units(line) for line in wrap_units(cue.units, width, _extra(cue))]
    if cue.speaker:
        lines[0] = f"[{cue.speaker}] {lines[0]}"
    index = 1
    while index < len(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _SRT_INDEX_LIKE.fullmatch(lines[index]) and following[:1].isdigit():
            lines[index - 1 : index + 1] = [f"{lines[index - 1]} {lines[index]}"]
        else:
            index += 1
    return lines


def _extra(cue: Cue) -> int:
    return text_width(f"[{cue.speaker}] ") if cue.speaker else 0


def _subtitle_cues(doc: TranscriptDocument, options: ExportOptions, *, prefix: bool) -> list[Cue]:
    speakers = {index: _speaker(segment, options) for index, segment in enumerate(doc.segments)}
    extras = {
        index: text_width(f"[{speaker}] ")
        for index, speaker in speakers.items()
        if prefix and speaker
    }
    return build_cues(doc.segments, options.cue_limits(), speakers, extras)


def _render_srt(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    limits = options.cue_limits()
    subtitles = [
        srt.Subtitle(
            index=number,
            start=timedelta(milliseconds=cue.start_ms),
            end=timedelta(milliseconds=cue.end_ms),
            content="\n".join(_srt_lines(cue, limits)),
        )
        for number, cue in enumerate(_subtitle_cues(doc, options, prefix=True), start=1)
    ]
    # reindex=False: the cues are in time order and numbered already, and srt's reindexing
    # would silently drop cues it finds useless instead of failing loudly.
    text: str = srt.compose(subtitles, reindex=False)
    return text.encode("utf-8")


# --- vtt -----------------------------------------------------------------------------------


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_line(units: Sequence[Unit], cue: Cue, karaoke: bool, last_tag: list[int]) -> str:
    parts: list[str] = []
    for index, unit in enumerate(units):
        if index:
            parts.append(unit.lead)
        text = _vtt_escape(unit.text)
        if karaoke and unit.timed:
            # A timestamp tag must be after the cue start, after the previous tag, and
            # before the cue end; a word that starts with the cue needs none.
            if last_tag[0] < unit.start_ms < cue.end_ms:
                parts.append(f"<{_timestamp(unit.start_ms, '.')}>")
                last_tag[0] = unit.start_ms
            text = f"<c>{text}</c>"
        parts.append(text)
    return "".join(parts)


def _render_vtt(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    limits = options.cue_limits()
    captions: list[webvtt.Caption] = []
    for cue in _subtitle_cues(doc, options, prefix=False):
        last_tag = [cue.start_ms]
        lines = [
            _vtt_line(line, cue, options.karaoke, last_tag)
            for line in wrap_units(cue.units, limits.max_chars_per_line)
        ]
        if cue.speaker:
            lines[0] = f"<v {_vtt_escape(cue.speaker)}>{lines[0]}"
        captions.append(
            webvtt.Caption(
                start=_timestamp(cue.start_ms, "."),
                end=_timestamp(cue.end_ms, "."),
                text=lines,
            )
        )
    # webvtt-py writes the blocks and checks that no text ends a cue early; every block
    # ends with a blank line, so an empty transcript is "WEBVTT\n\n".
    return (webvtt.WebVTT(captions=captions).content + "\n").encode("utf-8")


# --- json ----------------------------------------------------------------------------------


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _render_json(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    segments: list[dict[str, Any]] = []
    for index, segment in enumerate(doc.segments):
        item: dict[str, Any] = {
            "id": index,
            "start": _seconds(to_ms(segment.start)),
            "end": _seconds(to_ms(segment.end)),
            "text": scrub(segment.text).strip(),
        }
        if segment.speaker is not None:
            item["speaker"] = scrub(segment.speaker)
        if segment.words:
            item["words"] = [
                {
                    "start": _seconds(to_ms(word.start)),
                    "end": _seconds(to_ms(word.end)),
                    "word": scrub(word.word),
                    "probability": _finite(word.probability),
                }
                for word in segment.words
            ]
        segments.append(item)
    duration = doc.duration_s
    body = {
        "language": doc.language,
        "duration_s": None if duration is None else _seconds(to_ms(duration)),
        "text": " ".join(item["text"] for item in segments if item["text"]),
        "segments": segments,
    }
    text = json.dumps(body, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


# --- tsv -----------------------------------------------------------------------------------


def _render_tsv(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    buffer = io.StringIO()
    # Minimal quoting: a field with a double quote is quoted (and its quotes doubled), so
    # csv.reader(delimiter="\t") reads back exactly what was written.
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["start", "end", "speaker", "text"])
    for segment in doc.segments:
        writer.writerow(
            [
                to_ms(segment.start),
                to_ms(segment.end),
                clean_text(segment.speaker or ""),
                clean_text(segment.text),
            ]
        )
    return buffer.getvalue().encode("utf-8")


# --- docx ----------------------------------------------------------------------------------

_GREY = RGBColor(0x66, 0x66, 0x66)
_DATE_KEYS = ("date", "created", "created_at", "finished_at")


def _duration_label(seconds: float) -> str:
    return _clock(to_ms(seconds))


def _docx_metadata(doc: TranscriptDocument) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if doc.language:
        rows.append(("Language", doc.language))
    duration = doc.duration_s
    if duration is None and doc.segments:
        duration = max(segment.end for segment in doc.segments)
    if duration is not None:
        rows.append(("Duration", _duration_label(duration)))
    if doc.metadata.get("model"):
        rows.append(("Model", doc.metadata["model"]))
    date = next((doc.metadata[key] for key in _DATE_KEYS if doc.metadata.get(key)), None)
    if date:
        rows.append(("Date", date))
    return [(label, clean_text(value)) for label, value in rows]


def _paragraphs(
    doc: TranscriptDocument, options: ExportOptions
) -> list[tuple[int, str | None, str]]:
    """(start ms, speaker, text): consecutive segments of one speaker make one paragraph."""
    paragraphs: list[tuple[int, str | None, list[str]]] = []
    for segment in doc.segments:
        text = clean_text(segment.text)
        if not text:
            continue
        speaker = _speaker(segment, options)
        if paragraphs and speaker is not None and paragraphs[-1][1] == speaker:
            paragraphs[-1][2].append(text)
        else:
            paragraphs.append((to_ms(segment.start), speaker, [text]))
    return [(start, speaker, " ".join(texts)) for start, speaker, texts in paragraphs]


def _render_docx(doc: TranscriptDocument, options: ExportOptions) -> bytes:
    title = clean_text(doc.title or doc.metadata.get("filename") or "") or "Transcript"
    document = docx.Document()
    document.core_properties.title = title
    if doc.language:
        document.core_properties.language = clean_text(doc.language)
    document.add_heading(title, level=0)
    for label, value in _docx_metadata(doc):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    for start, speaker, text in _paragraphs(doc, options):
        paragraph = document.add_paragraph()
        stamp = paragraph.add_run(f"[{_clock(start)}] ")
        stamp.font.color.rgb = _GREY
        stamp.font.size = Pt(9)
        if speaker:
            paragraph.add_run(f"{speaker}: ").bold = True
        paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_RENDERERS: dict[str, Callable[[TranscriptDocument, ExportOptions], bytes]] = {
    "txt": _render_txt,
    "srt": _render_srt,
    "vtt": _render_vtt,
    "json": _render_json,
    "tsv": _render_tsv,
    "docx": _render_docx,
}

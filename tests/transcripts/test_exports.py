"""Every export format read back by a real parser and compared with the source transcript."""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import random
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
import srt
import webvtt

from transcriber.asr.types import Segment, TranscriptDocument, Word
from transcriber.transcripts.exports import (
    EXPORT_FORMATS,
    MEDIA_TYPES,
    ExportFormat,
    ExportOptions,
    export_filename,
    render,
)

# --- readers and expectations, written independently of the code under test ------------------

_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_KARAOKE_TAG = re.compile(r"<(\d{2,}):(\d{2}):(\d{2})\.(\d{3})>")


def ms(seconds: float) -> int:
    """Milliseconds as written, halves up, never below 0: what every format must show."""
    exact = Decimal(repr(seconds)).scaleb(3).to_integral_value(rounding=ROUND_HALF_UP)
    return max(0, int(exact))


def clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def nospace(text: str) -> str:
    return "".join(text.split())


def columns(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


@dataclass
class Cue:
    start: int
    end: int
    lines: list[str]  # display text of each line, speaker label removed
    speaker: str | None
    raw: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def td_ms(value: timedelta) -> int:
    return value // timedelta(milliseconds=1)


def read_srt(data: bytes, labels: Collection[str] = ()) -> list[Cue]:
    """srt.parse raises on anything it cannot read (ignore_errors is off).

    A first line starting with "[label] " for one of `labels` gives the cue's speaker.
    """
    subtitles = list(srt.parse(data.decode("utf-8")))
    cues = []
    for index, subtitle in enumerate(subtitles):
        assert subtitle.index == index + 1
        lines = subtitle.content.split("\n")
        speaker = None
        for name in sorted(labels, key=len, reverse=True):
            if lines[0].startswith(f"[{name}] "):
                speaker, lines[0] = name, lines[0][len(f"[{name}] ") :]
                break
        start, end = td_ms(subtitle.start), td_ms(subtitle.end)
        cues.append(Cue(start, end, lines, speaker, subtitle.content))
    return cues


def read_vtt(data: bytes) -> list[Cue]:
    text = data.decode("utf-8")
    assert text.startswith("WEBVTT\n\n")
    assert text.endswith("\n\n")
    parsed = webvtt.from_string(text, strict=True)
    cues = []
    for caption in parsed.captions:
        lines = [html.unescape(line) for line in caption.text.split("\n")]
        voice = html.unescape(caption.voice) if caption.voice else None
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        cues.append(Cue(start, end, lines, voice, caption.raw_text))
    return cues


def label(segment: Segment, options: ExportOptions) -> str | None:
    if not options.speakers or segment.speaker is None:
        return None
    return clean(segment.speaker) or None


def expected_groups(
    doc: TranscriptDocument, cues: Sequence[Cue], options: ExportOptions
) -> list[tuple[Segment, list[Cue]]]:
    """Assign the cues to the segments they came from and check times and text on the way.

    Every segment with text gives one or more cues; together they start and end with the
    segment (to the millisecond), follow each other without a gap or overlap, and hold its
    text (whitespace aside, as splitting and wrapping change only whitespace). All cues are in
    order of start time.
    """
    segments = sorted((s for s in doc.segments if clean(s.text)), key=lambda s: ms(s.start))
    groups = []
    unused = list(range(len(cues)))
    for segment in segments:
        target = nospace(clean(segment.text))
        start = ms(segment.start)
        end = max(ms(segment.end), start + 1)
        got, group, at = "", [], start
        while got != target:
            # the next cue of this segment starts where the previous one ended
            index = next(
                (
                    i
                    for i in unused
                    if cues[i].start == at and target.startswith(got + nospace(cues[i].text))
                ),
                None,
            )
            assert index is not None, f"no cue at {at} ms goes on with {target[len(got) :]!r}"
            unused.remove(index)
            cue = cues[index]
            got += nospace(cue.text)
            group.append(cue)
            at = cue.end
            assert cue.speaker == label(segment, options)
        assert group[-1].end == end
        for cue in group:
            assert cue.end > cue.start
            assert cue.lines and all(line == line.strip() and line for line in cue.lines)
        groups.append((segment, group))
    assert unused == []
    for before, after in itertools.pairwise(cues):
        assert before.start <= after.start
    return groups


def assert_within_limits(
    cue: Cue, options: ExportOptions, *, one_word: bool | None = None, srt: bool = False
) -> None:
    """Lines and duration within the limits; only a single long word may go over.

    `one_word` says whether the cue holds one word (default: its text has no space). In SRT
    the first line starts with the speaker label, and a line holding only a number is kept
    on the line before it, which may then run over.
    """
    if one_word is None:
        one_word = " " not in cue.text
    prefix = f"[{cue.speaker}] " if srt and cue.speaker else ""
    for index, line in enumerate(cue.lines):
        shown = (prefix + line) if index == 0 else line
        fits = columns(shown) <= options.max_chars_per_line or " " not in line
        assert fits or (srt and re.search(r" -?[0-9]+\.?[0-9]*$", line)), cue
    if not one_word:
        assert len(cue.lines) <= options.max_lines_per_cue, cue
        assert cue.end - cue.start <= ms(options.max_cue_duration_s), cue


def doc_of(*segments: Segment, **kwargs: object) -> TranscriptDocument:
    return TranscriptDocument(segments=list(segments), **kwargs)  # type: ignore[arg-type]


def words_for(text: str, start: float, step: float) -> tuple[Word, ...]:
    """Whisper-style words (leading spaces) for a space-separated text, `step` seconds apart."""
    return tuple(
        Word(start + i * step, start + i * step + step * 0.8, " " + token, 0.9)
        for i, token in enumerate(text.split())
    )


LONG = (
    "The quick brown fox jumps over the lazy dog, and then it runs far away into the forest. "
    "Nobody ever saw it again, although the villagers searched for many days and many nights. "
    "Some say it still lives there, watching the travellers who pass along the old road."
)

# --- simple cases, exact bytes -----------------------------------------------------------------


def test_single_segment_exact_files() -> None:
    doc = doc_of(Segment(1.0, 4.0, " Hello world."))
    assert render(doc, "srt") == b"1\n00:00:01,000 --> 00:00:04,000\nHello world.\n\n"
    assert render(doc, "vtt") == b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello world.\n\n"
    assert render(doc, "txt") == b"Hello world.\n"
    options = ExportOptions(timestamps=True)
    assert render(doc, "txt", options) == b"[00:00:01.000 --> 00:00:04.000] Hello world.\n"
    assert render(doc, "tsv") == b"start\tend\tspeaker\ttext\n1000\t4000\t\tHello world.\n"


def test_times_past_one_hour() -> None:
    doc = doc_of(Segment(3725.5, 3729.25, " Past the hour."), Segment(360_000.001, 360_001.0, "x"))
    srt_text = render(doc, "srt").decode()
    assert "01:02:05,500 --> 01:02:09,250" in srt_text
    assert "100:00:00,001 --> 100:00:01,000" in srt_text
    assert [(c.start, c.end) for c in read_srt(render(doc, "srt"))] == [
        (3_725_500, 3_729_250),
        (360_000_001, 360_001_000),
    ]
    assert "01:02:05.500 --> 01:02:09.250" in render(doc, "vtt").decode()
    assert [(c.start, c.end) for c in read_vtt(render(doc, "vtt"))] == [
        (3_725_500, 3_729_250),
        (360_000_001, 360_001_000),
    ]
    txt = render(doc, "txt", ExportOptions(timestamps=True)).decode()
    assert txt.startswith("[01:02:05.500 --> 01:02:09.250] Past the hour.\n")
    rows = list(csv.reader(io.StringIO(render(doc, "tsv").decode()), delimiter="\t"))
    assert rows[1][:2] == ["3725500", "3729250"]
    body = json.loads(render(doc, "json"))
    assert (body["segments"][0]["start"], body["segments"][0]["end"]) == (3725.5, 3729.25)


def test_rounding_to_milliseconds_without_drift() -> None:
    segments: list[Segment] = []
    t = 0.0
    for _ in range(2000):  # accumulated float error: 0.30000000000000004 and friends
        segments.append(Segment(t, t + 0.1, f" word {len(segments)}"))
        t += 0.1
    doc = doc_of(*segments)
    for cues in (read_srt(render(doc, "srt")), read_vtt(render(doc, "vtt"))):
        assert [c.start for c in cues] == [100 * i for i in range(2000)]
        assert [c.end for c in cues] == [100 * (i + 1) for i in range(2000)]
    # halves go up, as written
    cue = read_srt(render(doc_of(Segment(0.0005, 1.2345, "x")), "srt"))[0]
    assert (cue.start, cue.end) == (1, 1235)


def test_every_cue_ends_after_it_starts() -> None:
    doc = doc_of(
        Segment(2.0, 2.0, "zero"), Segment(3.0, 2.5, "backwards"), Segment(-1.0, 0.5, "neg")
    )
    for cues in (read_srt(render(doc, "srt")), read_vtt(render(doc, "vtt"))):
        assert [(c.start, c.end) for c in cues] == [(0, 500), (2000, 2001), (3000, 3001)]


# --- splitting into cues -------------------------------------------------------------------------


def test_long_segment_without_words_is_split_proportionally() -> None:
    segment = Segment(10.0, 40.0, " " + LONG)
    options = ExportOptions()
    for data, reader in (
        (render(doc_of(segment), "srt"), read_srt),
        (render(doc_of(segment), "vtt"), read_vtt),
    ):
        cues = reader(data)
        ((_, group),) = expected_groups(doc_of(segment), cues, options)
        assert len(group) >= 5
        assert " ".join(c.text for c in group) == LONG  # split only at spaces
        for cue in group:
            assert_within_limits(cue, options)
        # times interpolated by characters: each cue starts where its text starts
        offset = 0
        for cue in group:
            assert cue.start == 10_000 + 30_000 * offset // len(LONG) or cue is group[0]
            offset += len(cue.text) + 1


def test_long_segment_with_words_is_split_at_word_times() -> None:
    words = words_for(LONG, 5.0, 0.37)
    segment = Segment(5.0, words[-1].end, " " + LONG, words=words)
    starts = {ms(w.start): w.word.strip() for w in words}
    for fmt in ("srt", "vtt"):
        data = render(doc_of(segment), fmt)
        cues = read_srt(data) if fmt == "srt" else read_vtt(data)
        ((_, group),) = expected_groups(doc_of(segment), cues, ExportOptions())
        assert len(group) >= 4
        assert " ".join(c.text for c in group) == LONG
        for cue in group:
            assert_within_limits(cue, ExportOptions())
            if cue is not group[0]:
                assert starts[cue.start] == cue.text.split()[0]  # starts with its first word


def test_cues_are_split_by_duration_too() -> None:
    text = "one two three four five six"
    words = words_for(text, 0.0, 5.0)
    doc = doc_of(Segment(0.0, 30.0, text, words=words), Segment(40.0, 70.0, text))
    cues = read_vtt(render(doc, "vtt"))
    groups = expected_groups(doc, cues, ExportOptions())
    assert [len(group) for _, group in groups] == [6, 6]
    for cue in cues:
        assert cue.end - cue.start <= 7000
    options = ExportOptions(max_cue_duration_s=16.0)
    assert len(read_srt(render(doc, "srt", options))) == 4


def test_sentence_ends_are_preferred_for_breaks() -> None:
    text = (
        "This is the first sentence here. "
        "And this is the second one that follows it right now, okay."
    )
    cues = read_srt(render(doc_of(Segment(0, 6, text)), "srt"))
    assert [c.text for c in cues] == [
        "This is the first sentence here.",
        "And this is the second one that follows it right now, okay.",
    ]


def test_short_segment_is_one_cue_with_balanced_lines() -> None:
    text = "A sentence long enough to need two lines but not two cues, really."
    (cue,) = read_vtt(render(doc_of(Segment(0, 5, text)), "vtt"))
    assert len(cue.lines) == 2
    assert " ".join(cue.lines) == text
    widths = [len(line) for line in cue.lines]
    assert max(widths) <= 42 and min(widths) >= 25  # balanced, not 42 + 24


def test_a_very_long_word_stays_whole() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"  # 58 letters
    doc = doc_of(Segment(0, 3, f"ein {word} hier"))
    for cues in (read_srt(render(doc, "srt")), read_vtt(render(doc, "vtt"))):
        lines = [line for cue in cues for line in cue.lines]
        assert word in lines
        assert " ".join(lines) == f"ein {word} hier"


@pytest.mark.parametrize(
    ("chars", "lines", "seconds"), [(20, 1, 3.0), (30, 3, 10.0), (60, 2, 4.5), (10, 1, 1.0)]
)
def test_other_limits_are_kept(chars: int, lines: int, seconds: float) -> None:
    options = ExportOptions(
        max_chars_per_line=chars, max_lines_per_cue=lines, max_cue_duration_s=seconds
    )
    doc = doc_of(Segment(0, 60, LONG), Segment(61, 120, LONG, words=words_for(LONG, 61, 0.4)))
    for cues in (read_srt(render(doc, "srt", options)), read_vtt(render(doc, "vtt", options))):
        for _, group in expected_groups(doc, cues, options):
            assert " ".join(c.text for c in group) == LONG
            for cue in group:
                assert_within_limits(cue, options)


# --- speakers ------------------------------------------------------------------------------------


def test_speakers_in_every_format() -> None:
    doc = doc_of(
        Segment(0, 2, " Hello there.", speaker="SPEAKER_1"),
        Segment(2, 4, " How are you?", speaker="SPEAKER_1"),
        Segment(4, 30, " " + LONG, speaker="SPEAKER_2"),
        Segment(30, 31, " No label."),
    )
    options = ExportOptions()
    vtt_cues = read_vtt(render(doc, "vtt"))
    groups = expected_groups(doc, vtt_cues, options)  # checks each cue's speaker
    assert [len(group) for _, group in groups][:2] == [1, 1]
    assert vtt_cues[0].raw.startswith("<v SPEAKER_1>")
    srt_cues = read_srt(render(doc, "srt"), {"SPEAKER_1", "SPEAKER_2"})
    expected_groups(doc, srt_cues, options)  # "[SPEAKER_2] " on every cue of the long one
    assert [c.speaker for c in srt_cues].count("SPEAKER_2") >= 4
    for cue in srt_cues:
        assert_within_limits(cue, options, srt=True)
    assert render(doc, "txt").decode().splitlines() == [
        "[SPEAKER_1] Hello there.",
        "[SPEAKER_1] How are you?",
        f"[SPEAKER_2] {LONG}",
        "No label.",
    ]
    rows = list(csv.reader(io.StringIO(render(doc, "tsv").decode()), delimiter="\t"))
    assert [row[2] for row in rows[1:]] == ["SPEAKER_1", "SPEAKER_1", "SPEAKER_2", ""]
    segments = json.loads(render(doc, "json"))["segments"]
    assert [s.get("speaker") for s in segments] == ["SPEAKER_1", "SPEAKER_1", "SPEAKER_2", None]
    assert "speaker" not in segments[3]


def test_speakers_can_be_left_out() -> None:
    doc = doc_of(Segment(0, 2, " Hello.", speaker="SPEAKER_1"))
    options = ExportOptions(speakers=False)
    assert render(doc, "srt", options).decode().splitlines()[2] == "Hello."
    assert "<v" not in render(doc, "vtt", options).decode()
    assert render(doc, "txt", options) == b"Hello.\n"
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(render(doc, "docx", options))).paragraphs
    ]
    assert paragraphs[-1] == "[00:00:00] Hello."


def test_hostile_speaker_names() -> None:
    doc = doc_of(Segment(0, 2, "hi", speaker="<b>Dr. Müller & Co</b>\n-->"))
    (cue,) = read_vtt(render(doc, "vtt"))
    assert cue.speaker == "<b>Dr. Müller & Co</b> -->"
    assert cue.lines == ["hi"]
    (cue,) = read_srt(render(doc, "srt"), {"<b>Dr. Müller & Co</b> -->"})
    assert cue.lines == ["hi"]


# --- unicode and hostile text ------------------------------------------------------------------


def test_japanese_without_spaces_is_split_between_characters() -> None:
    text = (
        "日本語のテキストはスペースなしで書かれますので、文字の間で改行する必要があります。"
        "これは字幕の分割をテストするための少し長い文章です。「括弧」も正しく扱われるべきです。"
    )
    doc = doc_of(Segment(0, 20, " " + text))
    options = ExportOptions()
    for cues in (read_srt(render(doc, "srt")), read_vtt(render(doc, "vtt"))):
        ((_, group),) = expected_groups(doc, cues, options)
        assert len(group) >= 3
        assert "".join(line for cue in group for line in cue.lines) == text
        for cue in group:
            assert_within_limits(cue, options, one_word=False)
            for line in cue.lines:
                assert line[0] not in "、。」ー", line  # kinsoku: no line starts with these
                assert line[-1] != "「", line


def test_japanese_words_give_the_times() -> None:
    tokens = ["今日", "は", "とても", "良い", "天気", "です", "ね", "。"] * 6
    words = tuple(Word(i * 0.4, i * 0.4 + 0.3, token, 0.8) for i, token in enumerate(tokens))
    text = "".join(tokens)
    doc = doc_of(Segment(0, words[-1].end, text, words=words))
    cues = read_vtt(render(doc, "vtt", ExportOptions(karaoke=True)))
    ((_, group),) = expected_groups(doc, cues, ExportOptions())
    assert len(group) >= 3
    starts = {ms(w.start) for w in words}
    assert all(cue.start in starts for cue in group[1:])
    assert "".join(line for cue in group for line in cue.lines) == text


def test_umlauts_and_emoji_survive() -> None:
    text = "Grüße aus Köln, Straße über Ärger 😀 👨‍👩‍👧 🇩🇪 café naïve"
    doc = doc_of(Segment(0, 5, f" {text}"))
    for fmt in ("srt", "vtt"):
        data = render(doc, fmt)
        cues = read_srt(data) if fmt == "srt" else read_vtt(data)
        assert " ".join(c.text for c in cues) == text
        assert any("👨‍👩‍👧" in line for c in cues for line in c.lines)  # one grapheme, never cut
    assert render(doc, "txt").decode() == text + "\n"
    assert json.loads(render(doc, "json"))["segments"][0]["text"] == text
    assert text in render(doc, "json").decode()  # not \u-escaped


HOSTILE = [
    "a --> b",
    "00:00:01,000 --> 00:00:02,000",
    "7\n00:00:01,000 --> 00:00:02,000\nforged cue",
    "<b>bold</b> <i>and</i> <v Someone>voice</v> <00:00:01.000>",
    "Tom & Jerry &amp; &lt;friends&gt;",
    "line one\n\nline two\r\nline three\ttabbed",
    "NOTE this is not a comment",
    "WEBVTT",
    "nul\x00 bell\x07 escape\x1b del\x7f",
    "\"quoted\" and 'single'",
    "STYLE ::cue { color: red }",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_does_not_break_subtitles(text: str) -> None:
    doc = doc_of(Segment(0, 1, "before"), Segment(1, 3, " " + text), Segment(3, 4, "after"))
    options = ExportOptions()
    for cues in (read_srt(render(doc, "srt")), read_vtt(render(doc, "vtt"))):
        groups = expected_groups(doc, cues, options)
        assert [" ".join(c.text for c in group) for _, group in groups] == [
            "before",
            clean(text),
            "after",
        ]
    vtt_text = render(doc, "vtt").decode()
    if "<" in text or ">" in text or "&" in text:
        assert "&lt;" in vtt_text or "&gt;" in vtt_text or "&amp;" in vtt_text
    assert "\x00" not in vtt_text and "\x07" not in render(doc, "srt").decode()
    docx.Document(io.BytesIO(render(doc, "docx")))  # XML-safe
    rows = list(csv.reader(io.StringIO(render(doc, "tsv").decode()), delimiter="\t"))
    assert [len(row) for row in rows] == [4, 4, 4, 4]
    assert rows[2][3] == clean(text)


def test_a_line_that_looks_like_a_subtitle_number_is_not_left_alone() -> None:
    """In SRT a line "12" followed by a line starting with a time would start a new subtitle."""
    text = "aaaaaaaaaa 12 00:00:01,000 --> 00:00:02,000"
    options = ExportOptions(max_chars_per_line=12, max_lines_per_cue=6, max_cue_duration_s=60)
    doc = doc_of(Segment(0, 10, text))
    cues = read_srt(render(doc, "srt", options))
    assert len(cues) == 1
    assert cues[0].text == text
    assert not any(re.fullmatch(r"\d+", line) for line in cues[0].lines)
    assert len(read_vtt(render(doc, "vtt", options))) == 1


# --- karaoke -----------------------------------------------------------------------------------


def test_karaoke_tags_follow_the_words() -> None:
    text = "karaoke words are timed one by one here"
    words = words_for(text, 1.0, 0.5)
    doc = doc_of(Segment(1.0, words[-1].end, text, words=words), Segment(10, 12, "no words here"))
    options = ExportOptions(karaoke=True)
    cues = read_vtt(render(doc, "vtt", options))
    expected_groups(doc, cues, options)
    tags = [
        int(h) * 3_600_000 + int(m) * 60_000 + int(s) * 1000 + int(f)
        for cue in cues
        for h, m, s, f in _KARAOKE_TAG.findall(cue.raw)
    ]
    assert tags == [ms(w.start) for w in words[1:]]  # the first word starts with the cue
    assert "<c>karaoke</c>" in cues[0].raw
    assert "<c>" not in cues[-1].raw  # no words, no tags
    assert "<c>" not in render(doc, "vtt").decode()  # off by default


def test_edited_text_falls_back_to_interpolated_times() -> None:
    words = words_for("the original words", 0.0, 1.0)
    doc = doc_of(Segment(0.0, 3.0, " The edited text, longer than before", words=words))
    cues = read_vtt(render(doc, "vtt", ExportOptions(karaoke=True)))
    assert " ".join(c.text for c in cues) == "The edited text, longer than before"
    assert "<c>" not in cues[0].raw


# --- json, tsv, txt, docx ----------------------------------------------------------------------


def test_json_has_the_api_transcript_shape() -> None:
    words = (Word(0.0, 0.4, " Hi", 0.91234), Word(0.4, 0.9999, " there", float("nan")))
    doc = doc_of(
        Segment(0.0, 1.0005, " Hi there", words=words, speaker="SPEAKER_1"),
        Segment(3725.5, 3726.0, " 会議です"),
        language="ja",
        duration_s=3726.04999,
    )
    body = json.loads(render(doc, "json"))
    assert body == {
        "language": "ja",
        "duration_s": 3726.05,
        "text": "Hi there 会議です",
        "segments": [
            {
                "id": 0,
                "start": 0.0,
                "end": 1.001,
                "text": "Hi there",
                "speaker": "SPEAKER_1",
                "words": [
                    {"start": 0.0, "end": 0.4, "word": " Hi", "probability": 0.91234},
                    {"start": 0.4, "end": 1.0, "word": " there", "probability": 0.0},
                ],
            },
            {"id": 1, "start": 3725.5, "end": 3726.0, "text": "会議です"},
        ],
    }


def test_tsv_reads_back_with_csv_reader() -> None:
    doc = doc_of(
        Segment(0.0, 1.5, ' say "hi"\tthen\nleave', speaker="A\tB"),
        Segment(3725.5, 3726.25, " Grüße 😀"),
        Segment(4000.0, 4001.0, ""),
    )
    rows = list(csv.reader(io.StringIO(render(doc, "tsv").decode("utf-8")), delimiter="\t"))
    assert rows == [
        ["start", "end", "speaker", "text"],
        ["0", "1500", "A B", 'say "hi" then leave'],
        ["3725500", "3726250", "", "Grüße 😀"],
        ["4000000", "4001000", "", ""],
    ]


def test_txt_skips_empty_segments_and_keeps_order() -> None:
    doc = doc_of(Segment(0, 1, " one"), Segment(1, 2, "   "), Segment(2, 3, " two\nlines"))
    assert render(doc, "txt") == b"one\ntwo lines\n"


def test_docx_has_title_metadata_and_merged_speaker_paragraphs() -> None:
    doc = doc_of(
        Segment(0.0, 2.0, " Hello there.", speaker="SPEAKER_1"),
        Segment(2.0, 4.0, " How are you?", speaker="SPEAKER_1"),
        Segment(3725.9, 3730.0, " Fine, thanks & bye <3", speaker="SPEAKER_2"),
        Segment(3731.0, 3732.0, " No speaker."),
        Segment(3733.0, 3734.0, " Nor here."),
        title="talk.mp3",
        language="en",
        duration_s=3734.0,
        metadata={"model": "tiny.en", "created": "2024-05-01T10:00:00"},
    )
    document = docx.Document(io.BytesIO(render(doc, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs == [
        "talk.mp3",
        "Language: en",
        "Duration: 01:02:14",
        "Model: tiny.en",
        "Date: 2024-05-01T10:00:00",
        "[00:00:00] SPEAKER_1: Hello there. How are you?",
        "[01:02:05] SPEAKER_2: Fine, thanks & bye <3",
        "[01:02:11] No speaker.",
        "[01:02:13] Nor here.",
    ]
    title_style = document.paragraphs[0].style
    assert title_style is not None and title_style.name == "Title"
    assert document.core_properties.title == "talk.mp3"


def test_docx_without_title_or_metadata() -> None:
    document = docx.Document(io.BytesIO(render(doc_of(Segment(0, 1, "x\x00y")), "docx")))
    assert [p.text for p in document.paragraphs] == [
        "Transcript",
        "Duration: 00:00:01",
        "[00:00:00] xy",
    ]


# --- empty transcripts, names, media types, options ----------------------------------------------


@pytest.mark.parametrize("segments", [[], [Segment(0, 1, "   "), Segment(1, 2, "")]])
def test_empty_transcript_gives_valid_files(segments: list[Segment]) -> None:
    doc = TranscriptDocument(segments=segments)
    assert render(doc, "srt") == b""
    assert list(srt.parse("")) == []
    assert render(doc, "vtt") == b"WEBVTT\n\n"
    assert read_vtt(render(doc, "vtt")) == []
    assert render(doc, "txt") == b""
    body = json.loads(render(doc, "json"))
    assert body["text"] == "" and len(body["segments"]) == len(segments)
    rows = list(csv.reader(io.StringIO(render(doc, "tsv").decode()), delimiter="\t"))
    assert rows[0] == ["start", "end", "speaker", "text"] and len(rows) == 1 + len(segments)
    document = docx.Document(io.BytesIO(render(doc, "docx")))
    assert document.paragraphs[0].text == "Transcript"


@pytest.mark.parametrize(
    ("original", "fmt", "expected"),
    [
        ("talk.mp3", "srt", "talk.srt"),
        ("my talk.final.m4a", "vtt", "my talk.final.vtt"),
        ("/etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\bob\\Desktop\\meeting.wav", "docx", "meeting.docx"),
        ("../../secret.mp3", "json", "secret.json"),
        ('evil"name\r\n.mp3', "srt", "evilname.srt"),
        ("quote's;<b>.ogg", "tsv", "quotesb.tsv"),
        ("会議 2024.mp4", "srt", "会議 2024.srt"),
        ("noextension", "srt", "noextension.srt"),
        (".hidden", "srt", "hidden.srt"),
        ("..", "srt", "transcript.srt"),
        ("", "vtt", "transcript.vtt"),
        (None, "docx", "transcript.docx"),
        ("\u202egnp.exe", "txt", "gnp.txt"),
        ("a" * 400 + ".mp3", "srt", "a" * 150 + ".srt"),
    ],
)
def test_export_filename(original: str | None, fmt: ExportFormat, expected: str) -> None:
    assert export_filename(original, fmt) == expected


def test_media_types_cover_every_format() -> None:
    assert set(MEDIA_TYPES) == set(EXPORT_FORMATS) == {"txt", "srt", "vtt", "json", "tsv", "docx"}
    assert MEDIA_TYPES["srt"] == "application/x-subrip"
    assert MEDIA_TYPES["vtt"].startswith("text/vtt")
    assert MEDIA_TYPES["docx"].endswith("wordprocessingml.document")


def test_bad_format_and_options_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown export format"):
        render(doc_of(), "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_chars_per_line"):
        ExportOptions(max_chars_per_line=0)
    with pytest.raises(ValueError, match="max_lines_per_cue"):
        ExportOptions(max_lines_per_cue=0)
    with pytest.raises(ValueError, match="max_cue_duration_s"):
        ExportOptions(max_cue_duration_s=float("nan"))


def test_a_long_transcript_renders_quickly() -> None:
    segments = [
        Segment(
            i * 10.0,
            i * 10.0 + 9.5,
            " " + LONG[: 60 + i % 200],
            words=words_for(LONG[: 60 + i % 200], i * 10.0, 0.3),
            speaker=f"S{i % 3}",
        )
        for i in range(120)
    ]
    doc = doc_of(*segments)
    for fmt in EXPORT_FORMATS:
        assert render(doc, fmt)
    expected_groups(doc, read_vtt(render(doc, "vtt")), ExportOptions())


# --- random documents (seeded, so a failure names its seed) ----------------------------------

VOCABULARY = [
    "hello", "world", "a", "I", "Grüße", "Straße", "Ärger", "café", "naïve", "😀", "👨‍👩‍👧", "🇩🇪",
    "-->", "<b>", "</b>", "&", "&amp;", "1", "42", "3.5", "00:00:01,000", "00:00:02.000", "NOTE",
    "WEBVTT", "日本語", "テスト", "です。", "「こんにちは」", "字幕、", "x" * 45, '"q"', "\t", "\n",
    "\x00", "—", "end.", "comma,",
]  # fmt: skip


def random_document(rng: random.Random) -> TranscriptDocument:
    """Back-to-back segments of random vocabulary, half of them with word times."""
    segments, at = [], 0
    for _ in range(rng.randint(0, 6)):
        tokens = rng.choices(VOCABULARY, k=rng.randint(0, 30))
        text = " " + " ".join(tokens)
        at += rng.randint(0, 5000)
        # at least 1 ms per character, so any two words can be told apart in time
        duration = max(len(text), 1) * rng.randint(1, 300) + rng.randint(1, 20_000)
        words: tuple[Word, ...] = ()
        if tokens and rng.random() < 0.5:
            step = duration // (len(tokens) + 1)
            words = tuple(
                Word((at + i * step) / 1000, (at + (i + 1) * step) / 1000, " " + token, 0.5)
                for i, token in enumerate(tokens)
            )
        speaker = rng.choice([None, None, "SPEAKER_1", "Dr. Müller", "<v x>", "a & b", ""])
        segments.append(Segment(at / 1000, (at + duration) / 1000, text, words, speaker))
        at += duration
    return TranscriptDocument(segments=segments)


def random_options(rng: random.Random) -> ExportOptions:
    return ExportOptions(
        speakers=rng.random() < 0.7,
        max_chars_per_line=rng.randint(10, 60),
        max_lines_per_cue=rng.randint(1, 3),
        max_cue_duration_s=rng.choice([1.0, 2.5, 7.0, 10.0]),
        karaoke=rng.random() < 0.5,
    )


def _single_token(cue: Cue) -> bool:
    """A cue that holds (part of) one vocabulary token, which may go over the limits."""
    return any(nospace(cue.text) in token for token in VOCABULARY)


@pytest.mark.parametrize("seed", range(40))
def test_subtitles_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    doc, options = random_document(rng), random_options(rng)
    vtt_cues = read_vtt(render(doc, "vtt", options))
    expected_groups(doc, vtt_cues, options)
    labels = {label(s, options) for s in doc.segments} - {None}
    srt_cues = read_srt(render(doc, "srt", options), labels)  # type: ignore[arg-type]
    expected_groups(doc, srt_cues, options)
    for cue in vtt_cues:
        assert_within_limits(cue, options, one_word=_single_token(cue))
        tags = [tuple(map(int, t)) for t in _KARAOKE_TAG.findall(cue.raw)]
        times = [h * 3_600_000 + m * 60_000 + s * 1000 + f for h, m, s, f in tags]
        assert times == sorted(set(times))
        assert all(cue.start < t < cue.end for t in times)
        assert options.karaoke or not times
    for cue in srt_cues:
        assert_within_limits(cue, options, one_word=_single_token(cue), srt=True)
    spoken = [s for s in doc.segments if clean(s.text)]
    assert len(render(doc, "txt", options).decode().splitlines()) == len(spoken)
    assert len(json.loads(render(doc, "json", options))["segments"]) == len(doc.segments)
    tsv = render(doc, "tsv", options).decode()
    assert len(list(csv.reader(io.StringIO(tsv), delimiter="\t"))) == 1 + len(doc.segments)


def wild_document(rng: random.Random) -> TranscriptDocument:
    """Times as they may come from an edited or imported transcript: overlapping, zero-length,
    backwards, with word times out of order or outside their segment."""
    segments = []
    for _ in range(rng.randint(1, 5)):
        tokens = rng.choices(VOCABULARY, k=rng.randint(1, 25))
        start = rng.randint(-1000, 100_000)
        end = start + rng.randint(-500, 30_000)
        words: tuple[Word, ...] = ()
        if rng.random() < 0.5:
            words = tuple(
                Word(rng.randint(-1000, 140_000) / 1000, rng.randint(-1000, 140_000) / 1000,
                     " " + token, 0.5)
                for token in tokens
            )  # fmt: skip
        text = " " + " ".join(tokens)
        speaker = rng.choice([None, "S"])
        segments.append(Segment(start / 1000, end / 1000, text, words, speaker))
    return TranscriptDocument(segments=segments)


@pytest.mark.parametrize("seed", range(25))
def test_subtitles_survive_any_times(seed: int) -> None:
    rng = random.Random(seed)
    doc, options = wild_document(rng), random_options(rng)
    vtt_cues = read_vtt(render(doc, "vtt", options))
    expected_groups(doc, vtt_cues, options)
    labels = {label(s, options) for s in doc.segments} - {None}
    expected_groups(doc, read_srt(render(doc, "srt", options), labels), options)  # type: ignore[arg-type]

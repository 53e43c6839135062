"""Turning transcript segments into readable subtitle cues.

Everything here works in whole milliseconds (`to_ms` rounds each source time once), so
cue times never drift and split cues share their boundaries exactly. See
docs/decisions/0010-subtitle-cues.md for the rules and why.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from transcriber.asr.types import Segment, Word

# C0/C1 control characters that are not whitespace (whitespace ones become spaces),
# and the two code points XML (so DOCX) cannot hold.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# Breaking a cue or a line right after these reads naturally.
# (Full-width and typographic look-alikes of ASCII punctuation are meant: RUF001.)
_SENTENCE_END = frozenset(".!?…。！？‼⁇⁈⁉")  # noqa: RUF001
_CLAUSE_END = frozenset(",;:、，；：—–")  # noqa: RUF001

# Japanese/Chinese line-breaking rules (kinsoku): never start a line with these ...
_NO_BREAK_BEFORE = frozenset(
    "、。，．・：；？！ー…‥）」』】〕〉》｝］〟’”々〻ゝゞヽヾ"  # noqa: RUF001
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ!?.,:;)]}%"
)
# ... and never end one with these.
_NO_BREAK_AFTER = frozenset("（「『【〔〈《｛［〝‘“([{")  # noqa: RUF001
# English words that belong with the word after them (subtitle style guides: never end a
# line or a cue on an article, a preposition or a conjunction when it can be avoided).
_GLUE_WORD_LIST = [
    "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "from", "into", "onto",
    "about", "as", "and", "or", "but", "nor", "if", "than", "over", "under", "after", "before",
    "through", "between", "without", "within", "across", "against", "during", "toward",
    "towards", "upon", "around", "behind", "beyond", "like", "via", "per", "my", "your", "our",
    "their", "his", "her", "its", "this", "these", "those",
]  # fmt: skip
_GLUE_WORDS = frozenset(_GLUE_WORD_LIST)
_ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d\u2060")


def to_ms(seconds: float) -> int:
    """Seconds as whole milliseconds, halves up, as written (1.0005 -> 1001).

    A time that is not finite or is negative is taken as 0, so a bad value in the
    store still renders a valid file.
    """
    if not math.isfinite(seconds) or seconds <= 0:
        return 0
    scaled = seconds * 1000
    fraction = scaled - math.floor(scaled)
    if scaled < 1e10 and abs(fraction - 0.5) > 1e-6:
        return math.floor(scaled + 0.5)  # not near a half: the float product is exact enough
    exact = Decimal(repr(float(seconds))).scaleb(3)
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def scrub(text: str) -> str:
    """Lone surrogates (which no encoder accepts) replaced by U+FFFD; nothing else changed."""
    return _SURROGATE.sub("\ufffd", text)


def clean_text(text: str) -> str:
    """One line of display text: controls dropped, whitespace runs made one space, stripped.

    Whisper starts segments with a space; tabs, newlines and other line breaks would break
    SRT, VTT, TSV and TXT; control characters break DOCX (XML) and confuse players.
    """
    return " ".join(_CONTROL.sub("", scrub(text)).split())


def char_width(char: str) -> int:
    """Columns a character takes on screen: 2 if wide (CJK, emoji), 0 for combining marks."""
    if char in _ZERO_WIDTH_JOINERS or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns the text takes on screen (see `char_width`)."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def _is_cjk(char: str) -> bool:
    """Scripts written without spaces, where a line may break between characters."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x31F0 <= code <= 0x31FF  # katakana extensions
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms, half-width katakana
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions B and later
    )


_ANY_CJK = re.compile(
    "[\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)


def _can_break_between(before: str, after: str) -> bool:
    """A break between two non-space characters: only inside CJK text, never inside a grapheme."""
    if not (_is_cjk(before) or _is_cjk(after)):
        return False
    if before in _NO_BREAK_AFTER or after in _NO_BREAK_BEFORE:
        return False
    if before in _ZERO_WIDTH_JOINERS or char_width(after) == 0:
        return False
    return not ("\ufe00" <= after <= "\ufe0f")


@dataclass(frozen=True, slots=True)
class Unit:
    """The smallest piece of a segment's text that a cue or a line may start with.

    A word in space-separated text, a character (with its punctuation) in CJK text.
    """

    text: str
    lead: str  # " " when a space comes before it in the text, "" when it is glued (CJK)
    start_ms: int  # when it starts: its word's start, or interpolated from its position
    end_ms: int  # when it ends
    timed: bool  # True when the times come from the word timestamps
    width: int  # columns of `text`
    lead_width: int  # columns of `lead`


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    units: tuple[Unit, ...]
    speaker: str | None

    @property
    def text(self) -> str:
        return join_units(self.units)


def join_units(units: Sequence[Unit]) -> str:
    """The units as text, with the spaces the source had between them."""
    return "".join((unit.lead if index else "") + unit.text for index, unit in enumerate(units))


def segment_ms(segment: Segment) -> tuple[int, int]:
    """Start and end of a segment in ms, with end > start so every cue shows."""
    start = to_ms(segment.start)
    end = max(to_ms(segment.end), start + 1)
    return start, end


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(begin, end, lead) of each unit of a clean text."""
    spans: list[tuple[int, int, str]] = []
    if not _ANY_CJK.search(text):  # the common case: units are the words between spaces
        begin = 0
        for word in text.split(" "):
            spans.append((begin, begin + len(word), " " if begin else ""))
            begin += len(word) + 1
        return spans
    begin, lead = 0, ""
    for index in range(1, len(text)):
        char = text[index]
        if char == " ":
            spans.append((begin, index, lead))
            begin, lead = index + 1, " "
        elif text[index - 1] != " " and _can_break_between(text[index - 1], char):
            spans.append((begin, index, lead))
            begin, lead = index, ""
    spans.append((begin, len(text), lead))
    return spans


def _word_times_per_char(
    text: str, words: Sequence[Word], start_ms: int, end_ms: int
) -> list[tuple[int, int]] | None:
    """(start, end) of the word behind each character of `text`, or None.

    None when the words do not spell the text (the text was edited after
    transcription, or there are no words): times are then interpolated.
    """
    if not words:
        return None
    word_chars: list[tuple[str, int]] = []
    for index, word in enumerate(words):
        word_chars.extend((char, index) for char in clean_text(word.word) if char != " ")
    text_chars = [char for char in text if char != " "]
    if len(word_chars) != len(text_chars) or any(
        a != b for a, (b, _) in zip(text_chars, word_chars, strict=True)
    ):
        return None
    times: list[tuple[int, int]] = []
    for word in words:
        word_start = min(max(to_ms(word.start), start_ms), end_ms)
        word_end = min(max(to_ms(word.end), word_start), end_ms)
        times.append((word_start, word_end))
    per_char: list[tuple[int, int]] = []
    position = 0
    for char in text:
        if char == " ":
            per_char.append(per_char[-1])
        else:
            per_char.append(times[word_chars[position][1]])
            position += 1
    return per_char


def segment_units(segment: Segment) -> list[Unit]:
    """The units of a segment's text, each with a start time that never goes back."""
    text = clean_text(segment.text)
    if not text:
        return []
    start_ms, end_ms = segment_ms(segment)
    per_char = _word_times_per_char(text, segment.words, start_ms, end_ms)
    units: list[Unit] = []
    previous_start = start_ms
    for begin, end, lead in _spans(text):
        if per_char is None:
            span_ms = end_ms - start_ms
            unit_start = start_ms + span_ms * begin // len(text)
            unit_end = start_ms + span_ms * end // len(text)
        else:
            unit_start, unit_end = per_char[begin][0], per_char[end - 1][1]
        unit_start = max(unit_start, previous_start)
        unit_end = max(unit_end, unit_start)
        piece = text[begin:end]
        timed = per_char is not None
        units.append(Unit(piece, lead, unit_start, unit_end, timed, text_width(piece), len(lead)))
        previous_start = unit_start
    return units


@dataclass(frozen=True, slots=True)
class CueLimits:
    max_chars_per_line: int
    max_lines_per_cue: int
    max_cue_duration_ms: int
    first_line_extra: int = 0  # columns taken before the first unit (an SRT "[SPEAKER] " prefix)


def _break_penalty(units: Sequence[Unit], after: int) -> float:
    """How bad a cue break after units[after] reads: 0 at a sentence end, worse mid-phrase."""
    last = units[after].text[-1]
    if last in _SENTENCE_END:
        return 0.0
    pause_ms = units[after + 1].start_ms - units[after].end_ms
    if last in _CLAUSE_END or pause_ms >= 400:
        return 15.0
    if units[after].text.lower() in _GLUE_WORDS:
        return 60.0  # "over the | alternatives": keep an article or preposition with its noun
    return 40.0


def _fits_one_cue(units: Sequence[Unit], duration_ms: int, limits: CueLimits) -> bool:
    if duration_ms > limits.max_cue_duration_ms:
        return False
    lines, line_width = 1, units[0].width + limits.first_line_extra
    for unit in units[1:]:
        if line_width + unit.lead_width + unit.width <= limits.max_chars_per_line:
            line_width += unit.lead_width + unit.width
        else:
            lines, line_width = lines + 1, unit.width
            if lines > limits.max_lines_per_cue:
                return False
    return True


def split_segment(
    units: Sequence[Unit], start_ms: int, end_ms: int, limits: CueLimits
) -> list[tuple[int, int, int, int]]:
    """Split a segment's units into cues: (first unit, end unit, start ms, end ms) each.

    Each cue wraps into at most `max_lines_per_cue` lines of `max_chars_per_line` columns
    and lasts at most `max_cue_duration_ms`, unless one unit alone is longer. Among the
    splits that keep the limits, the fewest cues win, then breaks at sentence and clause
    ends or pauses, then balanced cues. Cues are contiguous: one ends where the next
    starts, at the start of its first word, so splitting never creates a gap or overlap.
    """
    count = len(units)
    if count == 0:
        return []
    if _fits_one_cue(units, end_ms - start_ms, limits):
        return [(0, count, start_ms, end_ms)]  # the common case: nothing to split
    # boundaries[k]: when a cue starting at unit k starts; the last one is the segment end.
    boundaries = [start_ms, *(unit.start_ms for unit in units[1:]), end_ms]
    boundaries = [min(max(value, start_ms), end_ms) for value in boundaries]
    # A cue may only start where time has moved on, so every cue lasts at least 1 ms.
    can_start = [True] + [
        boundaries[k] > boundaries[k - 1] and boundaries[k] < end_ms for k in range(1, count)
    ]
    max_width = limits.max_chars_per_line
    max_lines = limits.max_lines_per_cue
    max_ms = limits.max_cue_duration_ms
    capacity = max_width * limits.max_lines_per_cue
    infinity = math.inf
    best = [infinity] * (count + 1)
    previous = [-1] * (count + 1)
    best[0] = 0.0
    for first in range(count):
        if best[first] == infinity or not can_start[first]:
            continue
        lines, line_width, total_width, relaxed = 0, 0, 0, False
        for stop in range(first + 1, count + 1):
            unit = units[stop - 1]
            width = unit.width + (limits.first_line_extra if stop - 1 == first else 0)
            if stop - 1 == first:
                lines, line_width, total_width = 1, width, width
            else:
                total_width += unit.lead_width + width
                if line_width + unit.lead_width + width <= max_width:
                    line_width += unit.lead_width + width
                else:
                    lines, line_width = lines + 1, width
            over_lines = lines - max_lines if lines > max_lines else 0
            over_ms = boundaries[stop] - boundaries[first] - max_ms
            if over_ms < 0:
                over_ms = 0
            if stop < count and not can_start[stop]:
                if relaxed and (over_lines or over_ms):
                    break
                continue
            fill = min(1.0, total_width / capacity)
            cost = 100.0 + 30.0 * (1.0 - fill) ** 2
            # Going over a limit costs more than any number of extra cues. Extra lines cost
            # per unit in the cue and extra time per millisecond, so what cannot fit (one
            # long word, a label wider than a line) goes over alone, never with others.
            cost += 10_000.0 * over_lines * (stop - first) + 1_000.0 * over_ms
            if stop < count:
                cost += _break_penalty(units, stop - 1)
            if best[first] + cost < best[stop]:
                best[stop] = best[first] + cost
                previous[stop] = first
            relaxed = True
            if over_lines or over_ms:
                break
    cuts = [count]
    while cuts[-1] > 0:
        cuts.append(previous[cuts[-1]])
    cuts.reverse()
    return [(a, b, boundaries[a], boundaries[b]) for a, b in itertools.pairwise(cuts)]


def wrap_units(
    units: Sequence[Unit], max_width: int, first_line_extra: int = 0
) -> list[list[Unit]]:
    """Lines of a cue, broken only between units, as few as fit and as even as possible.

    A unit wider than a line stays whole on a line of its own.
    """
    if not units:
        return []
    widths = [unit.width for unit in units]
    widths[0] += first_line_extra

    # prefix sums, so the width of any run of units is O(1)
    width_sums = [0]
    lead_sums = [0]
    for unit, width in zip(units, widths, strict=True):
        width_sums.append(width_sums[-1] + width)
        lead_sums.append(lead_sums[-1] + unit.lead_width)

    def line_width(first: int, stop: int) -> int:
        leads = lead_sums[stop] - lead_sums[first + 1]
        return width_sums[stop] - width_sums[first] + leads

    # Greedy wrapping gives the fewest lines.
    greedy: list[list[Unit]] = [[units[0]]]
    current = widths[0]
    for unit, width in zip(units[1:], widths[1:], strict=True):
        if current + unit.lead_width + width <= max_width:
            greedy[-1].append(unit)
            current += unit.lead_width + width
        else:
            greedy.append([unit])
            current = width
    line_count = len(greedy)
    if line_count == 1 or len(units) > 200 or line_count > 6:
        return greedy
    # Same number of lines, balanced: the least sum of squared line widths.
    count = len(units)
    infinity = math.inf
    # cost[lines][stop]: best cost of the first `stop` units in `lines` lines
    cost = [[infinity] * (count + 1) for _ in range(line_count + 1)]
    back = [[0] * (count + 1) for _ in range(line_count + 1)]
    cost[0][0] = 0.0
    for lines in range(1, line_count + 1):
        for stop in range(1, count + 1):
            for first in range(stop - 1, -1, -1):
                width = line_width(first, stop)
                if width > max_width and stop - first > 1:
                    break
                candidate = cost[lines - 1][first] + width * width
                if stop < count and units[stop - 1].text.lower() in _GLUE_WORDS:
                    candidate += 300  # "the | alternatives" only when nothing else fits
                if candidate < cost[lines][stop]:
                    cost[lines][stop] = candidate
                    back[lines][stop] = first
    if cost[line_count][count] == infinity:
        return greedy
    result: list[list[Unit]] = []
    stop = count
    for lines in range(line_count, 0, -1):
        first = back[lines][stop]
        result.append(list(units[first:stop]))
        stop = first
    result.reverse()
    return result


def build_cues(
    segments: Sequence[Segment],
    limits: CueLimits,
    speaker_of: dict[int, str | None] | None = None,
    extra_of: dict[int, int] | None = None,
) -> list[Cue]:
    """Cues for all segments, in order of start time (ties keep the segment order).

    `speaker_of` maps a segment index to its label and `extra_of` to the columns the
    label takes on the first line; both default to none.
    """
    order = sorted(range(len(segments)), key=lambda index: to_ms(segments[index].start))
    cues: list[Cue] = []
    for index in order:
        segment = segments[index]
        units = segment_units(segment)
        if not units:
            continue
        start_ms, end_ms = segment_ms(segment)
        extra = (extra_of or {}).get(index, 0)
        segment_limits = CueLimits(
            limits.max_chars_per_line,
            limits.max_lines_per_cue,
            limits.max_cue_duration_ms,
            extra,
        )
        speaker = (speaker_of or {}).get(index)
        for first, stop, cue_start, cue_end in split_segment(
            units, start_ms, end_ms, segment_limits
        ):
            cues.append(Cue(cue_start, cue_end, tuple(units[first:stop]), speaker))
    # Segments that overlap in the source (Whisper, diarization or an edit) can interleave
    # once split; players want the cues by start time. The sort is stable.
    cues.sort(key=lambda cue: cue.start_ms)
    return cues

"""Cut the batched decoder's chunk-long segments into sentence-long ones by their word times.

faster-whisper's batched pipeline decodes each VAD chunk (up to 30 s) without timestamp tokens,
so a chunk comes back as one segment. Subtitles, the live transcript and "jump to this moment"
want sentences, so the engine asks for word times and cuts at sentence ends, long pauses, and,
for a sentence that runs on, at a comma or finally at any word (docs/decisions/0030).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from transcriber.asr.types import Segment, Word

# Latin, CJK full-width and ideographic marks (written as escapes: they look like ASCII).
SENTENCE_END = (".", "?", "!", "\u2026", "\u3002", "\uff1f", "\uff01")
CLAUSE_END = (",", ";", ":", "\uff0c", "\u3001")
CLOSING_MARKS = "\"')]}\u00bb\u201d\u2019"
PAUSE_S = 0.8
SOFT_MAX_S = 10.0
HARD_MAX_S = 20.0


def _ends_with(word: Word, marks: tuple[str, ...]) -> bool:
    return word.word.strip().rstrip(CLOSING_MARKS).endswith(marks)


def _cut_points(words: Sequence[Word]) -> Iterator[int]:
    """Indexes after which a new segment begins."""
    first = 0
    for i, word in enumerate(words[:-1]):
        length = word.end - words[first].start
        pause = words[i + 1].start - word.end
        if (
            _ends_with(word, SENTENCE_END)
            or pause >= PAUSE_S
            or (length >= SOFT_MAX_S and _ends_with(word, CLAUSE_END))
            or length >= HARD_MAX_S
        ):
            yield i
            first = i + 1


def split_into_sentences(segment: Segment, *, keep_words: bool) -> list[Segment]:
    """`segment` as one segment per sentence (by its word times), in order; without words it
    stays whole. The words stay on the pieces only when the job asked for them."""
    words = segment.words
    if not words:
        return [segment]
    pieces: list[Segment] = []
    first = 0
    for last in [*_cut_points(words), len(words) - 1]:
        group = words[first : last + 1]
        first = last + 1
        text = "".join(w.word for w in group).strip()
        if not any(ch.isalnum() for ch in text):
            continue
        pieces.append(
            replace(
                segment,
                start=group[0].start,
                end=max(group[-1].end, group[0].start),
                text=text,
                words=tuple(group) if keep_words else (),
            )
        )
    return pieces

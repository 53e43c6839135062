"""Cutting chunk-long segments into sentences by word times (pure: no model)."""

from __future__ import annotations

from transcriber.asr.sentences import HARD_MAX_S, split_into_sentences
from transcriber.asr.types import Segment, Word


def _segment(timed: list[tuple[float, float, str]]) -> Segment:
    words = tuple(Word(start=s, end=e, word=w, probability=0.9) for s, e, w in timed)
    text = "".join(w.word for w in words).strip()
    return Segment(
        start=words[0].start, end=words[-1].end, text=text, words=words, avg_logprob=-0.2
    )


def _run_on(n: int, start: float = 0.0, step: float = 0.5) -> list[tuple[float, float, str]]:
    return [(start + i * step, start + i * step + 0.4, f" w{i}") for i in range(n)]


def test_cuts_at_sentence_ends_and_keeps_times_text_and_scores() -> None:
    segment = _segment(
        [
            (0.0, 0.4, " Hello"),
            (0.5, 0.9, " there."),
            (1.0, 1.3, " How"),
            (1.4, 1.6, " are"),
            (1.7, 2.0, ' you?"'),
            (2.1, 2.5, " Fine!"),
        ]
    )
    pieces = split_into_sentences(segment, keep_words=False)
    assert [p.text for p in pieces] == ["Hello there.", 'How are you?"', "Fine!"]
    assert [(p.start, p.end) for p in pieces] == [(0.0, 0.9), (1.0, 2.0), (2.1, 2.5)]
    assert all(p.words == () for p in pieces)
    assert {p.avg_logprob for p in pieces} == {-0.2}


def test_keeps_the_words_when_asked() -> None:
    segment = _segment([(0.0, 0.4, " One."), (0.5, 0.9, " Two"), (1.0, 1.2, " three.")])
    pieces = split_into_sentences(segment, keep_words=True)
    assert [[w.word for w in p.words] for p in pieces] == [[" One."], [" Two", " three."]]
    assert [w for p in pieces for w in p.words] == list(segment.words)


def test_cuts_at_a_long_pause() -> None:
    segment = _segment([(0.0, 0.4, " before"), (0.5, 0.9, " the"), (2.0, 2.4, " after")])
    assert [p.text for p in split_into_sentences(segment, keep_words=False)] == [
        "before the",
        "after",
    ]


def test_a_sentence_that_runs_on_is_cut_at_a_comma_after_ten_seconds() -> None:
    timed = _run_on(30)  # 15 s without a full stop
    timed[5] = (timed[5][0], timed[5][1], " early,")  # too early to cut
    timed[24] = (timed[24][0], timed[24][1], " late,")
    pieces = split_into_sentences(_segment(timed), keep_words=False)
    assert [p.text.split()[-1] for p in pieces] == ["late,", "w29"]


def test_no_piece_is_longer_than_the_hard_limit() -> None:
    pieces = split_into_sentences(_segment(_run_on(90)), keep_words=False)  # 45 s, no marks
    assert len(pieces) >= 3
    assert all(p.end - p.start <= HARD_MAX_S + 0.5 for p in pieces)
    assert " ".join(p.text for p in pieces) == " ".join(f"w{i}" for i in range(90))


def test_punctuation_alone_is_dropped_and_a_segment_without_words_stays_whole() -> None:
    segment = _segment([(0.0, 0.4, " Yes."), (0.5, 0.6, " ...")])
    assert [p.text for p in split_into_sentences(segment, keep_words=False)] == ["Yes."]
    bare = Segment(start=1.0, end=5.0, text="No word times here")
    assert split_into_sentences(bare, keep_words=False) == [bare]

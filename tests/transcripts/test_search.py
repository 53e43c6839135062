"""Search over my transcripts, on SQLite (FTS5) and PostgreSQL (tsvector): same hits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.transcripts import make_transcript
from tests.transcripts.conftest import Two, _two
from transcriber.transcripts.search import fold, parse_query, search_text

CORPUS = [
    ("meeting.wav", ["The quarterly budget was approved.", "Budget meetings run long."]),
    ("interview.wav", ["Herr Müller fährt nach München.", "Die Straße ist lang."]),
    ("tokyo.wav", ["今日は 東京 に 行きました。", "明日 は 大阪 です。"]),
    ("misc.wav", ["Transcription and transcripts, e-mail me", "C++ and C# (and F*) 100%"]),
    # Accents folded the same way on both backends; non-Latin scripts still match.
    ("paris.wav", ["Le garçon a mangé une crème brûlée.", "Où est le cœur de l'été ?"]),
    ("madrid.wav", ["El niño pidió una canción en español.", "¿Dónde está Andrés?"]),
    ("hanoi.wav", ["Tôi sống ở Hà Nội, không phải Đà Nẵng.", "Tiếng Việt có dấu."]),
    ("athens.wav", ["Καλημέρα, η Αθήνα είναι όμορφη.", "Ευχαριστώ πολύ."]),
    ("moscow.wav", ["Привет из Москвы, ёлка стоит.", "Спасибо большое."]),
]
QUERIES = [
    "budget",
    "BUDGET approved",
    '"quarterly budget"',
    '"budget quarterly"',
    "transcri*",
    "müller",
    "münchen",
    "straße",
    "東京",
    "今日は*",
    "e-mail",
    '"e mail"',
    "meet*",
    "nothing-matches-this",
    "muller",
    "MUNCHEN",
    "strasse",
    "garcon",
    "creme brulee",
    '"creme brulee"',
    "coeur",
    "ete",
    "nino",
    "espanol",
    "cancion",
    "donde",
    "andres",
    '"ha noi"',
    '"hà nội"',
    "da nang",
    "viet*",
    "καλημερα",
    "ΑΘΗΝΑ",
    "ευχαριστω",
    "москвы",
    "елка",
    "спас*",
]
HOSTILE = [
    '"',
    '"""',
    "*",
    "budget*)",
    "( ) : ^ -",
    "NEAR(budget approved)",
    "budget AND approved OR NOT",
    "budget NOT approved",
    "-budget",
    "text:budget",
    "^budget",
    "budget' OR 1=1 --",
    "\\x00 \x00 budget",
    "b" * 5000,
    "budget " * 1000,
    "<mark>budget</mark>",
    "\u202e\ufeffbudget",
    "😀 budget",
]


def _seed(two: Two) -> dict[str, list[int]]:
    ids = {}
    for filename, lines in CORPUS:
        _job, segment_ids = make_transcript(two.runtime, two.owner_id, lines, filename=filename)
        ids[filename] = segment_ids
    # Someone else's transcript with the same words is never found.
    make_transcript(two.runtime, two.other_id, ["budget budget Müller 東京"], filename="x.wav")
    return ids


def _hits(two: Two, q: str, **params: Any) -> list[dict[str, Any]]:
    response = two.client.get("/api/v1/search", params={"q": q, **params}, headers=two.owner)
    assert response.status_code == 200, (q, response.text)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _segment_texts(two: Two, q: str) -> list[str]:
    texts = []
    for hit in _hits(two, q, limit=100):
        job = two.client.get(f"/api/v1/jobs/{hit['job_id']}/transcript", headers=two.owner)
        by_id = {s["id"]: s["text"] for s in job.json()["segments"]}
        texts.append(by_id[hit["segment_id"]])
    return sorted(texts)


def test_words_phrases_prefixes_and_unicode(two: Two) -> None:
    _seed(two)
    assert _segment_texts(two, "budget") == [
        "Budget meetings run long.",
        "The quarterly budget was approved.",
    ]
    assert _segment_texts(two, "BUDGET approved") == ["The quarterly budget was approved."]
    assert _segment_texts(two, '"quarterly budget"') == ["The quarterly budget was approved."]
    assert _segment_texts(two, '"budget quarterly"') == []
    assert _segment_texts(two, "transcri*") == ["Transcription and transcripts, e-mail me"]
    assert _segment_texts(two, "müller") == ["Herr Müller fährt nach München."]
    assert _segment_texts(two, "straße") == ["Die Straße ist lang."]
    assert _segment_texts(two, "東京") == ["今日は 東京 に 行きました。"]
    assert _segment_texts(two, "今日は*") == ["今日は 東京 に 行きました。"]
    assert _segment_texts(two, "e-mail") == ["Transcription and transcripts, e-mail me"]

    (hit,) = _hits(two, '"quarterly budget"')
    assert hit["filename"] == "meeting.wav"
    assert hit["start"] == 0.0
    assert hit["snippet"] == "The <mark>quarterly</mark> <mark>budget</mark> was approved."
    (german,) = _hits(two, "münchen")
    assert german["snippet"] == "Herr Müller fährt nach <mark>München</mark>."


# Query -> snippets: found without the accents, with the accented original in <mark>.
ACCENTED = {
    "muller": ["Herr <mark>Müller</mark> fährt nach München."],
    "MUNCHEN": ["Herr Müller fährt nach <mark>München</mark>."],
    "strasse": ["Die <mark>Straße</mark> ist lang."],
    '"creme brulee"': ["Le garçon a mangé une <mark>crème</mark> <mark>brûlée</mark>."],
    "garcon": ["Le <mark>garçon</mark> a mangé une crème brûlée."],
    "coeur": ["Où est le <mark>cœur</mark> de l&#x27;été ?"],
    "nino espanol": ["El <mark>niño</mark> pidió una canción en <mark>español</mark>."],
    "donde": ["¿<mark>Dónde</mark> está Andrés?"],
    '"ha noi"': ["Tôi sống ở <mark>Hà</mark> <mark>Nội</mark>, không phải Đà Nẵng."],
    "đà nẵng": ["Tôi sống ở Hà Nội, không phải <mark>Đà</mark> <mark>Nẵng</mark>."],
    "da nang": ["Tôi sống ở Hà Nội, không phải <mark>Đà</mark> <mark>Nẵng</mark>."],
    "viet*": ["Tiếng <mark>Việt</mark> có dấu."],
    "καλημερα": ["<mark>Καλημέρα</mark>, η Αθήνα είναι όμορφη."],
    "ΑΘΗΝΑ": ["Καλημέρα, η <mark>Αθήνα</mark> είναι όμορφη."],
    "москвы": ["Привет из <mark>Москвы</mark>, ёлка стоит."],
    "елка": ["Привет из Москвы, <mark>ёлка</mark> стоит."],
    "спас*": ["<mark>Спасибо</mark> большое."],
}


def test_accents_and_case_fold_alike_and_the_original_word_is_marked(two: Two) -> None:
    _seed(two)
    snippets = {q: [h["snippet"] for h in _hits(two, q)] for q in ACCENTED}
    assert snippets == ACCENTED


def test_folding_rule() -> None:
    assert search_text("Herr Müller fährt nach München.") == "herr muller fahrt nach munchen"
    assert search_text("Die STRASSE, die Straße") == "die strasse die strasse"
    assert search_text("Hà Nội, Đà Nẵng") == "ha noi da nang"
    assert search_text("Καλημέρα Αθήνα") == "καλημερα αθηνα"
    assert search_text("Ёлка, Москва") == "елка москва"
    assert search_text("cœur, İstanbul, ﬁne") == "coeur istanbul fine"
    assert search_text("東京 に 行きました。") == "東京 に 行きました"
    assert search_text("Mu\u0308ller") == search_text("Müller")  # decomposed input
    assert search_text("e-mail <b>x</b>") == "e mail b x b"
    assert search_text("") == ""
    # Character by character, as the highlighter relies on.
    text = "Ça, c'est Đà Nẵng: Ǆemal, İzmir, ½ ﬁ"
    assert fold(text) == "".join(fold(c) for c in text)
    assert parse_query("MÜLLER straße*") == parse_query("muller STRASSE*")


def test_ranked_and_paged(two: Two) -> None:
    make_transcript(
        two.runtime,
        two.owner_id,
        ["budget " * 5, "a budget among many other words here", "budget budget"],
    )
    first = two.client.get(
        "/api/v1/search", params={"q": "budget", "limit": 2}, headers=two.owner
    ).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert first["items"][0]["score"] >= first["items"][1]["score"]
    rest = two.client.get(
        "/api/v1/search",
        params={"q": "budget", "limit": 2, "cursor": first["next_cursor"]},
        headers=two.owner,
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    seen = {h["segment_id"] for h in first["items"] + rest["items"]}
    assert len(seen) == 3
    bad = two.client.get(
        "/api/v1/search", params={"q": "budget", "cursor": "nope!"}, headers=two.owner
    )
    assert bad.status_code == 400


def test_a_common_word_is_ranked_among_the_newest_matches(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over `RANK_WINDOW` matches, the newest that many are ranked and paged; older ones are
    left out (a narrower query finds them), so a word in a million segments stays fast."""
    from transcriber.transcripts import repository

    monkeypatch.setattr(repository, "RANK_WINDOW", 3)
    lines = ["budget budget budget (oldest)", "budget (old)", "budget", "a budget", "the budget"]
    ids = [make_transcript(two.runtime, two.owner_id, [line])[1][0] for line in lines]
    make_transcript(two.runtime, two.other_id, ["budget budget"])  # never counted in
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"q": "budget", "limit": 2} | (
            {"cursor": cursor} if cursor else {}
        )
        page = two.client.get("/api/v1/search", params=params, headers=two.owner).json()
        seen += [h["segment_id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids[2:])
    assert _segment_texts(two, "oldest") == ["budget budget budget (oldest)"]


@pytest.mark.parametrize("q", ["", "   ", "***", '""', "-- ^ ( ) :"])
def test_queries_without_words_are_422(two: Two, q: str) -> None:
    response = two.client.get("/api/v1/search", params={"q": q}, headers=two.owner)
    assert response.status_code == 422
    assert "word" in response.json()["detail"]


def test_hostile_input_never_fails(two: Two) -> None:
    _seed(two)
    for q in HOSTILE:
        response = two.client.get("/api/v1/search", params={"q": q}, headers=two.owner)
        assert response.status_code in (200, 422), (q, response.text)
        listed = two.client.get("/api/v1/jobs", params={"q": q[:200]}, headers=two.owner)
        assert listed.status_code == 200, (q, listed.text)
    assert len(_hits(two, "budget AND approved OR NOT")) == 0  # every word is a plain word
    assert _segment_texts(two, "NEAR(budget approved)") == []
    assert _segment_texts(two, "budget*)") == [
        "Budget meetings run long.",
        "The quarterly budget was approved.",
    ]


def test_job_list_filter_matches_transcript_text_and_filename(two: Two) -> None:
    _seed(two)

    def names(q: str) -> list[str]:
        listed = two.client.get("/api/v1/jobs", params={"q": q}, headers=two.owner)
        assert listed.status_code == 200, listed.text
        return sorted(j["filename"] for j in listed.json()["items"])

    assert names("münchen") == ["interview.wav"]
    assert names("tokyo") == ["tokyo.wav"]
    assert names("budget") == ["meeting.wav"]  # not the other user's job
    assert names("inter") == ["interview.wav"]


def test_parser_never_emits_engine_syntax() -> None:
    for q in HOSTILE + QUERIES:
        parsed = parse_query(q)
        assert len(parsed.terms) <= 20
        for term in parsed.terms:
            for token in term.tokens:
                assert token.isalnum(), (q, token)


def test_sqlite_and_postgresql_return_the_same_hits(tmp_path: Path) -> None:
    from tests.support.databases import fresh_postgres_database

    results: dict[str, dict[str, list[tuple[str, str, float]]]] = {}
    with fresh_postgres_database() as url:
        for backend, database_url in (("sqlite", None), ("postgresql", url)):
            for two in _two(backend, tmp_path / backend, database_url):
                _seed(two)
                results[backend] = {
                    q: sorted((h["filename"], h["snippet"], h["start"]) for h in _hits(two, q))
                    for q in QUERIES + HOSTILE
                    if two.client.get(
                        "/api/v1/search", params={"q": q}, headers=two.owner
                    ).status_code
                    == 200
                }
    assert results["sqlite"] == results["postgresql"]
    assert sum(1 for hits in results["sqlite"].values() if hits) >= 30
    for q in ("muller", "da nang", "καλημερα", "москвы", "елка", "coeur"):
        assert results["postgresql"][q], q  # found on PostgreSQL too, without the accents


def test_bulk_inserted_segments_are_folded_too(two: Two) -> None:
    """Core (bulk) inserts, as the benchmark makes them, get `search_text` by the column's
    default; the FTS triggers (SQLite) and the GIN index (PostgreSQL) see it."""
    from sqlalchemy import insert

    from transcriber.kit.db import transaction
    from transcriber.transcripts.models import TranscriptSegment

    job_id, _ids = make_transcript(two.runtime, two.owner_id, ["first"], filename="bulk.wav")
    rows = [
        {"job_id": job_id, "idx": i, "start": i, "end": i + 1.0, "text": text}
        for i, text in enumerate(["Señor Peña", "Zoë et Noël"], start=1)
    ]
    with transaction(two.runtime.sessions) as session:
        session.execute(insert(TranscriptSegment), rows)
    assert _segment_texts(two, "pena") == ["Señor Peña"]
    assert _segment_texts(two, "zoe noel") == ["Zoë et Noël"]


def test_migration_folds_segments_stored_before_it(two: Two) -> None:
    """Down to revision 0013 (no `search_text`, the old indexes) and up again: segments stored
    before revision 0014 are filled in and found without their accents."""
    from alembic import command

    from transcriber.kit.migrate import alembic_config

    _seed(two)
    config = alembic_config(two.runtime.settings.resolved_database_url)
    command.downgrade(config, "0013_diarization")
    command.upgrade(config, "heads")
    assert _segment_texts(two, "muller") == ["Herr Müller fährt nach München."]
    assert _segment_texts(two, '"da nang"') == ["Tôi sống ở Hà Nội, không phải Đà Nẵng."]
    assert _segment_texts(two, "budget") == [
        "Budget meetings run long.",
        "The quarterly budget was approved.",
    ]

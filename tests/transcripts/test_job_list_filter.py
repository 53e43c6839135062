"""The job list's text filter (`GET /api/v1/jobs?q=`) on SQLite and PostgreSQL: a common word
is answered by probing the newest jobs a window at a time (docs/decisions/0135), a rare one by
reading its every match; both list exactly the jobs a brute-force reading of the transcripts
finds, in the same order, across pages."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update

from tests.support.transcripts import make_transcript
from tests.transcripts.conftest import Two
from transcriber.jobs import repository as job_repository
from transcriber.jobs.models import Job
from transcriber.kit.db import transaction, utcnow
from transcriber.transcripts.models import TranscriptSegment
from transcriber.transcripts.repository import TranscriptRepository
from transcriber.transcripts.search import SearchQuery, Term, parse_query, search_words

# Each owner job: (file name, segments). Newest last; some share one creation time.
OWNER_JOBS: list[tuple[str, list[str]]] = [
    ("intro.wav", ["The budget was approved.", "Nothing else."]),
    ("weather.wav", ["Rain all day.", "The wind turns."]),
    ("budget-review.wav", ["Numbers only.", "Totals and sums."]),  # by its file name only
    ("munich.wav", ["Herr Müller fährt nach München.", "The end."]),
    ("quiet.wav", ["Silence.", "More silence."]),
    ("quarterly.wav", ["The quarterly budget grew.", "budgetary matters"]),
    ("split.wav", ["quarterly results", "budget talks"]),  # the phrase spans two segments
    ("running.wav", ["A budget in progress."]),
    ("cafe.wav", ["Le café est fermé.", "the MULLER file"]),
    ("empty.wav", []),
    ("long.wav", [f"line {i} of the budget" if i % 7 == 3 else f"line {i}" for i in range(30)]),
    ("after.wav", ["Budget, budget, budget.", "Straße und Brücke."]),
]
# Someone else's jobs say the same words, and are newer than most of the owner's.
OTHER_JOBS: list[tuple[str, list[str]]] = [
    ("budget-other.wav", ["The budget of someone else.", "Müller again."]),
    ("theirs.wav", ["the quarterly budget", "strasse"]),
]
QUERIES = [
    "",  # no filter: the keyset paging alone
    "budget",
    "BUDGET",
    "the",
    "budg*",
    '"quarterly budget"',
    "quarterly budget",
    "muller",
    "MÜLLER",
    "strasse",
    "cafe",
    "budget-review",
    "review",
    "silence",
    "nothing-at-all",
]


def _term_matches(term: Term, words: list[str]) -> bool:
    n = len(term.tokens)
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        head, last = window[:-1], window[-1]
        if list(term.tokens[:-1]) == head and (
            last.startswith(term.tokens[-1]) if term.prefix else last == term.tokens[-1]
        ):
            return True
    return False


def _segment_matches(query: SearchQuery, text: str) -> bool:
    words = search_words(text)
    return all(_term_matches(term, words) for term in query.terms)


def brute_force(two: Two, q: str, status: str | None = None) -> list[str]:
    """The owner's jobs the filter must list, newest first: every job and segment read in
    Python, matched word by word as the search defines it."""
    query = parse_query(q)
    with two.runtime.sessions() as session:
        jobs = session.execute(
            select(Job.id, Job.filename, Job.status)
            .where(Job.owner_id == uuid.UUID(two.owner_id))
            .order_by(Job.created_at.desc(), Job.id.desc())
        ).all()
        texts: dict[uuid.UUID, list[str]] = {}
        for job_id, text in session.execute(
            select(TranscriptSegment.job_id, TranscriptSegment.text)
        ):
            texts.setdefault(job_id, []).append(text)
    out = []
    for job_id, filename, job_status in jobs:
        if status and job_status != status:
            continue
        by_name = q.replace("\x00", "").lower() in filename.lower()
        by_text = bool(query) and any(_segment_matches(query, t) for t in texts.get(job_id, []))
        if by_name or by_text:
            out.append(str(job_id))
    return out


def listed(two: Two, q: str, limit: int, **params: Any) -> list[str]:
    """Every page of `GET /jobs?q=`, `limit` at a time, through the cursors."""
    ids: list[str] = []
    cursor = None
    for _ in range(100):
        page_params = {"q": q, "limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = two.client.get("/api/v1/jobs", params=page_params, headers=two.owner)
        assert response.status_code == 200, (q, response.text)
        body = response.json()
        assert len(body["items"]) <= limit
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return ids
    raise AssertionError("the pages never ended")


def _seed(two: Two) -> None:
    """The owner's and the other user's jobs interleaved, one minute apart, newest last; three
    of the owner's share one creation time (the keyset's tie on the id)."""
    start = utcnow() - timedelta(days=1)
    made: list[uuid.UUID] = []
    others = iter(OTHER_JOBS)
    for i, (filename, lines) in enumerate(OWNER_JOBS):
        made.append(make_transcript(two.runtime, two.owner_id, lines, filename=filename)[0])
        if i % 4 == 1:
            other = next(others, None)
            if other:
                made.append(
                    make_transcript(two.runtime, two.other_id, other[1], filename=other[0])[0]
                )
    running, _ = make_transcript(two.runtime, two.owner_id, ["budget so far"], status="running")
    made.append(running)
    with transaction(two.runtime.sessions) as session:
        for n, job_id in enumerate(made):
            minute = 4 if 4 <= n <= 6 else n  # jobs 4-6 (the owner's): the same minute
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(created_at=start + timedelta(minutes=minute))
            )


PLANS: dict[str, dict[str, Any]] = {
    # Every match read, as for a rare word.
    "rare": {"common": False},
    # Windows only, wide enough for every job.
    "windows": {"common": True, "PROBE_PAGES": 100},
    # Windows of a page or two, then every match for the older jobs.
    "windows, then the rest": {"common": True, "FIRST_WINDOW_PAGES": 1, "PROBE_PAGES": 2},
}


def _use_plan(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    """Force a plan: whether the word is common is the database's guess (PostgreSQL's from
    statistics a test database lacks), and any guess must list the same jobs."""
    settings = dict(PLANS[plan])
    common = settings.pop("common")
    monkeypatch.setattr(TranscriptRepository, "looks_common", lambda *_args: common)
    for name, value in settings.items():
        monkeypatch.setattr(job_repository, name, value)


@pytest.mark.parametrize("plan", list(PLANS))
def test_every_page_lists_what_brute_force_finds(
    two: Two, monkeypatch: pytest.MonkeyPatch, plan: str
) -> None:
    _use_plan(monkeypatch, plan)
    _seed(two)
    with two.runtime.sessions() as session:
        theirs = {
            str(i)
            for i in session.scalars(select(Job.id).where(Job.owner_id != uuid.UUID(two.owner_id)))
        }
    assert len(theirs) == len(OTHER_JOBS)
    for q, limit in itertools.product(QUERIES, (1, 2, 3, 50)):
        ids = listed(two, q, limit)
        assert ids == brute_force(two, q), (q, limit)
        assert not theirs & set(ids)
    assert listed(two, "budget", 2, status="running") == brute_force(two, "budget", "running")
    assert listed(two, "budget", 2, status="completed") == brute_force(two, "budget", "completed")


def test_a_common_word_over_many_jobs_pages_like_brute_force(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The windows as configured, over more jobs than they look at: words in nine jobs of
    ten, one in four (the windows grow to find them), one in nine and one in none of the
    owner's (the rest after the windows), another user's jobs interleaved."""
    monkeypatch.setattr(TranscriptRepository, "looks_common", lambda *_args: True)
    for i in range(70):
        lines = [f"segment {i}"]
        lines += ["and then the end"] if i % 10 else []
        lines += ["a middling word"] if i % 4 == 0 else []
        lines += ["a seldom word"] if i % 9 == 0 else []
        make_transcript(two.runtime, two.owner_id, lines, filename=f"{i}.wav")
        if i % 5 == 0:
            make_transcript(two.runtime, two.other_id, ["the middling seldom elsewhere"])
    for q in ("the", "middling", "seldom", "elsewhere", "the middling", '"middling word"', "1"):
        expected = brute_force(two, q)
        for limit in (1, 4, 7):
            assert listed(two, q, limit) == expected, (q, limit)


def test_the_reference_finds_what_it_should(two: Two) -> None:
    """The brute force above is itself right: file names, accents, phrases, prefixes."""
    _seed(two)

    def names(q: str) -> set[str]:
        with two.runtime.sessions() as session:
            by_id = {str(i): f for i, f in session.execute(select(Job.id, Job.filename))}
        return {by_id[i] for i in brute_force(two, q)}

    assert names('"quarterly budget"') == {"quarterly.wav"}
    assert names("quarterly budget") == {"quarterly.wav"}  # both words in one segment
    assert names("muller") == {"munich.wav", "cafe.wav"}
    assert names("strasse") == {"after.wav"}
    assert names("review") == {"budget-review.wav"}
    assert "budget-other.wav" not in names("budget")
    assert names("budg*") >= {"quarterly.wav", "running.wav", "interview.wav"}


def test_a_common_word_reads_only_the_newest_jobs(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the word is common and the newest windows fill the page, the filter never reads
    the word's every match (what made `the` take a second over a million segments)."""
    monkeypatch.setattr(job_repository, "COMMON_MATCHES", 3)
    for i in range(12):
        lines = [f"the budget, part {i}"] + (["a rare word"] if i == 4 else [])
        make_transcript(two.runtime, two.owner_id, lines, filename=f"{i}.wav")
    if two.backend == "postgresql":  # its guess comes from the planner's statistics
        with transaction(two.runtime.sessions) as session:
            session.execute(text("ANALYZE segments"))
    every_match = TranscriptRepository.matching_job_ids
    calls: list[str] = []

    def spy(self: TranscriptRepository, query: SearchQuery) -> Any:
        calls.append(query.fts5())
        return every_match(self, query)

    monkeypatch.setattr(TranscriptRepository, "matching_job_ids", spy)
    page = two.client.get("/api/v1/jobs", params={"q": "budget", "limit": 3}, headers=two.owner)
    assert page.status_code == 200
    assert [j["filename"] for j in page.json()["items"]] == ["11.wav", "10.wav", "9.wav"]
    assert calls == []
    # A rare word (fewer matches than COMMON_MATCHES) is answered from its every match.
    rare = two.client.get("/api/v1/jobs", params={"q": "rare"}, headers=two.owner)
    assert rare.status_code == 200 and calls == ['"rare"']
    assert [j["filename"] for j in rare.json()["items"]] == ["4.wav"]


HOSTILE = [
    "",
    " ",
    '"',
    '"""',
    "*",
    "**",
    "-",
    "-budget",
    "NEAR(",
    "NEAR(budget the)",
    "budget NEAR the",
    "budget AND the OR NOT",
    "( ) : ^ - + ~ | &",
    "budget' OR 1=1 --",
    "%",
    "_",
    "\\",
    "%budget%",
    "\x00budget",
    "😀",
    "\u202ebudget",
    "<mark>budget</mark>",
    "b" * 200,
    "budget " * 28,
]


@pytest.mark.parametrize("plan", ["rare", "windows, then the rest"])
def test_hostile_queries_are_answered_not_failed(
    two: Two, monkeypatch: pytest.MonkeyPatch, plan: str
) -> None:
    _use_plan(monkeypatch, plan)
    _seed(two)
    for q in HOSTILE:
        response = two.client.get("/api/v1/jobs", params={"q": q}, headers=two.owner)
        assert response.status_code == 200, (q, response.text)
        assert [j["id"] for j in response.json()["items"]] == brute_force(two, q)[:50], q
    too_long = two.client.get("/api/v1/jobs", params={"q": "b" * 201}, headers=two.owner)
    assert too_long.status_code == 422
    assert "200 characters" in too_long.json()["detail"]

"""Search latency over 10,000 transcripts (about 1.3 million segments), SQLite and PostgreSQL.

One user owns 10,000 finished transcripts of 60-200 segments each; two other users own 1,000
each with the same kind of text, so the ownership filter has something to filter. The text is
generated from real text, not random letters: sentences come from word-bigram chains trained on
the English, German and French reference texts of the shared speech test data, and some of
their words are replaced by words drawn (Zipf-weighted by merge rank) from the multilingual
Whisper tokenizer's vocabulary, which gives the long tail of rare words real transcripts have.

Rows go in with bulk INSERTs through the application's tables, on a database made by the
migrations (FTS5 table and triggers on SQLite, the GIN index on PostgreSQL, all in place while
loading), `search_text` filled by the model's column default as for any insert. Then requests go
through the real API (FastAPI TestClient, the app and its auth, the JSON encoding):

- `GET /api/v1/search?q=` for a common word, the most common word, a rare word, a two-word
  phrase, a prefix, a word with no hit and an accented word typed without its accents;
- `GET /api/v1/jobs?q=` (filename or transcript text) for the same queries.

`--job-list` times only the job list: the first page and the fifth (reached through the
cursors) of each query, and checks that walking every page gives exactly the jobs of the
plain one-statement filter (`reference_job_ids`), in the same order. It writes its own block
of RESULTS.md (`search-job-list`).

Reported per query: hits in the data, p50/p95/p99 client-side latency over the requests. The
goal (issue #7) is p95 under 100 ms. SQLite is the embedded default; PostgreSQL is the local
server (127.0.0.1:5432, trust) in a fresh database made for the run.

    .venv/bin/python -m bench.search [--quick] [--no-write] [--backends sqlite,postgresql]
                                     [--reuse] [--requests 40] [--job-list]

`--quick`: 1,000 transcripts (and 100 per other user). `--reuse` keeps the loaded databases of
a previous run with the same size (bench/.work/search/, PostgreSQL database
`transcriber_bench_search_<size>`), for measuring again after a query change.
"""

from __future__ import annotations

import collections
import itertools
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench._common import (
    REPO_ROOT,
    WORK_DIR,
    RunInfo,
    base_parser,
    log,
    manifest,
    markdown_table,
    print_table,
    update_results,
)

sys.path.insert(0, str(REPO_ROOT))  # tests.support: the API's own sign-up helpers

TRANSCRIPTS = 10_000
OTHER_USERS = 2
OTHER_TRANSCRIPTS = 1_000
SEGMENTS = (60, 200)
LANGUAGES = (("en", 0.7), ("de", 0.15), ("fr", 0.15))
TAIL_SHARE = 0.2  # of the words: drawn from the tokenizer's vocabulary (the long tail)
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DIR = WORK_DIR / "search"
SEED = 7
MAX_SECONDS_PER_QUERY = 30.0  # then stop timing that query (at least 5 requests)


# --- text -----------------------------------------------------------------------------------------


def _bytes_to_unicode() -> dict[str, int]:
    """GPT-2's byte-level BPE alphabet, reversed: token character -> byte."""
    bs = list(range(ord("!"), ord("~") + 1))
    bs += list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs, strict=True)}


def tail_vocabulary() -> list[str]:
    """Whole words of the Whisper tokenizer (the multilingual one when the `base` model's
    packages are installed, else tiny.en's), most frequent (lowest merge rank) first."""
    from transcriber.asr.catalog import _PACKAGES, _PARTS, _module_dir

    candidates = [
        (_module_dir(source.modules[1]), source.subdir) for source in _PARTS["base"].sources
    ] + [(_module_dir(_PACKAGES["tiny.en"].module), _PACKAGES["tiny.en"].subdir)]
    path = next(
        folder / sub / "tokenizer.json"
        for folder, sub in candidates
        if folder is not None and (folder / sub / "tokenizer.json").is_file()
    )
    vocab: dict[str, int] = json.loads(path.read_text())["model"]["vocab"]
    byte_of = _bytes_to_unicode()
    words: list[tuple[int, str]] = []
    for token, rank in vocab.items():
        if not token.startswith("Ġ") or len(token) < 4:
            continue
        try:
            word = bytes(byte_of[c] for c in token[1:]).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        if word.isalpha() and (word.islower() or word.istitle()):
            words.append((rank, word))
    return [w for _, w in sorted(words)]


class Chain:
    """A word-bigram chain over one language's reference sentences."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.next: dict[str, list[str]] = collections.defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for sentence in text.replace("?", ".").replace("!", ".").split("."):
                words = sentence.split()
                if len(words) < 3:
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, [*words[1:], "."], strict=True):
                    self.next[a].append(b)

    def sentence(self, rnd: random.Random, tail: Sequence[str], tail_weights: Any) -> str:
        word = rnd.choice(self.starts)
        out = [word[:1].upper() + word[1:]]
        for _ in range(rnd.randint(4, 18)):
            word = rnd.choice(self.next.get(word) or self.starts)
            if word == ".":
                break
            out.append(word)
        for i in range(1, len(out)):
            if rnd.random() < TAIL_SHARE:
                out[i] = rnd.choices(tail, cum_weights=tail_weights)[0]
        return " ".join(out) + rnd.choice((".", ".", ".", ",", "?"))


class TextMaker:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        by_language: dict[str, list[str]] = collections.defaultdict(list)
        for entry in manifest().values():
            if entry.get("reference"):
                text = str(entry["reference"])
                # LibriSpeech references are upper case: write them as people read them.
                by_language[str(entry.get("language"))].append(
                    text.lower() if text.isupper() else text
                )
        self.chains = {lang: Chain(by_language[lang]) for lang, _ in LANGUAGES}
        self.tail = tail_vocabulary()
        weights = [1.0 / (rank + 10) for rank in range(len(self.tail))]  # Zipf over the tail
        total = 0.0
        self.tail_cum = []
        for w in weights:
            total += w
            self.tail_cum.append(total)

    def language(self) -> str:
        return self.rnd.choices([lang for lang, _ in LANGUAGES], [w for _, w in LANGUAGES])[0]

    def segment(self, language: str) -> str:
        chain = self.chains[language]
        count = 1 if self.rnd.random() < 0.7 else 2
        return " ".join(chain.sentence(self.rnd, self.tail, self.tail_cum) for _ in range(count))


# --- databases ------------------------------------------------------------------------------------


@contextmanager
def postgres_database(name: str, reuse: bool) -> Iterator[str]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and not reuse:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not reuse:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@dataclass
class Loaded:
    owner_headers: dict[str, str]
    segments: int
    other_segments: int
    load_s: float
    document_frequency: dict[str, int]  # folded word -> segments of the owner holding it
    bigrams: dict[tuple[str, str], int]


def _stats_path(folder: Path) -> Path:
    return folder / "stats.json"


def load(client: Any, runtime: Any, folder: Path, transcripts: int, others: int) -> Loaded:
    """Users through the API; jobs and segments by bulk INSERT; word statistics of the owner."""
    from sqlalchemy import insert
    from tests.support.auth import bearer, create_user, login, setup_admin

    from transcriber.jobs.models import Job
    from transcriber.kit.db import transaction, utcnow
    from transcriber.transcripts.models import TranscriptSegment
    from transcriber.transcripts.search import search_words

    owner = setup_admin(client, "owner@example.org")
    client.headers.pop("Authorization")
    admin_client = type(client)(client.app, headers=bearer(owner))
    owner_id = client.get("/api/v1/auth/me", headers=bearer(owner)).json()["id"]
    owners = [uuid.UUID(owner_id)]
    for i in range(OTHER_USERS):
        email = create_user(admin_client, f"other{i}@example.org")
        tokens = login(client, email)
        owners.append(uuid.UUID(client.get("/api/v1/auth/me", headers=bearer(tokens)).json()["id"]))
    client.cookies.clear()

    maker = TextMaker(SEED)
    df: collections.Counter[str] = collections.Counter()
    bigrams: collections.Counter[tuple[str, str]] = collections.Counter()
    counts = {"owner": 0, "other": 0}
    started = time.perf_counter()
    now = utcnow()
    plan = [(owners[0], i) for i in range(transcripts)]
    plan += [(o, i) for o in owners[1:] for i in range(others)]
    random.Random(SEED).shuffle(plan)  # users' jobs interleaved, as in a shared server
    batch_jobs: list[dict[str, Any]] = []
    batch_segments: list[dict[str, Any]] = []

    def flush() -> None:
        with transaction(runtime.sessions) as session:
            if batch_jobs:
                session.execute(insert(Job), batch_jobs)
            if batch_segments:
                session.execute(insert(TranscriptSegment), batch_segments)
        batch_jobs.clear()
        batch_segments.clear()

    for n, (job_owner, i) in enumerate(plan):
        language = maker.language()
        job_id = uuid.uuid4()
        topic = maker.segment(language).split()[:3]
        count = maker.rnd.randint(*SEGMENTS)
        created = now - timedelta(minutes=len(plan) - n)
        batch_jobs.append(
            {
                "id": job_id,
                "owner_id": job_owner,
                "status": "completed",
                "filename": f"{'-'.join(w.strip('.,?').lower() for w in topic)}-{i:05d}.wav",
                "duration_s": 4.0 * count,
                "model": "tiny.en" if language == "en" else "base",
                "detected_language": language,
                "created_at": created,
                "updated_at": created,
                "finished_at": created,
            }
        )
        mine = job_owner == owners[0]
        for idx in range(count):
            text = maker.segment(language)
            batch_segments.append(
                {
                    "job_id": job_id,
                    "idx": idx,
                    "start": 4.0 * idx,
                    "end": 4.0 * idx + 4.0,
                    "text": text,
                }
            )
            if mine:
                words = search_words(text)
                df.update(set(words))
                bigrams.update(set(itertools.pairwise(words)))
        counts["owner" if mine else "other"] += count
        if len(batch_segments) >= 20_000:
            flush()
        if n % 1000 == 999:
            log(f"  {n + 1}/{len(plan)} transcripts, {sum(counts.values())} segments")
    flush()
    load_s = time.perf_counter() - started
    loaded = Loaded(
        bearer(owner),
        counts["owner"],
        counts["other"],
        load_s,
        dict(df),
        {k: v for k, v in bigrams.items() if v >= 50},
    )
    _stats_path(folder).write_text(
        json.dumps(
            {
                "email": "owner@example.org",
                "segments": loaded.segments,
                "other_segments": loaded.other_segments,
                "load_s": load_s,
                "df": loaded.document_frequency,
                "bigrams": [[a, b, c] for (a, b), c in loaded.bigrams.items()],
            }
        )
    )
    return loaded


def reload(client: Any, folder: Path) -> Loaded:
    from tests.support.auth import bearer, login

    stats = json.loads(_stats_path(folder).read_text())
    tokens = login(client, stats["email"])
    client.cookies.clear()
    return Loaded(
        bearer(tokens),
        stats["segments"],
        stats["other_segments"],
        stats["load_s"],
        stats["df"],
        {(a, b): c for a, b, c in stats["bigrams"]},
    )


# --- queries --------------------------------------------------------------------------------------


def choose_queries(loaded: Loaded) -> list[tuple[str, str, int]]:
    """(kind, q, segments of the owner that match) for the query mix, picked from the data."""
    df = loaded.document_frequency
    total = loaded.segments
    ranked = sorted(df.items(), key=lambda kv: -kv[1])
    most_common = ranked[0]
    # A common English content word: in 1-5% of the segments, at least 5 letters.
    english = _reference_words("en")
    common = next(
        (w, c)
        for w, c in ranked
        if 0.01 * total <= c <= 0.05 * total and len(w) >= 5 and w in english
    )
    rare = next((w, c) for w, c in reversed(ranked) if 5 <= c <= 50 and len(w) >= 6)
    phrase = max(
        (
            (pair, c)
            for pair, c in loaded.bigrams.items()
            if all(len(w) >= 4 for w in pair) and c <= 0.02 * total
        ),
        key=lambda kv: kv[1],
    )
    prefix = "transl"
    prefix_count = sum(c for w, c in df.items() if w.startswith(prefix))
    absent = next(w for w in ("xylophone", "quizzically", "zeppelins", "kumquat") if w not in df)
    # An accented word typed without accents, from the German/French text.
    accented = _accented(loaded)
    return [
        ("most common word", most_common[0], most_common[1]),
        ("common word", common[0], common[1]),
        ("rare word", rare[0], rare[1]),
        ("two-word phrase", f'"{phrase[0][0]} {phrase[0][1]}"', phrase[1]),
        ("prefix", f"{prefix}*", prefix_count),
        ("no hits", absent, 0),
        ("accented, typed without", accented[0], accented[1]),
    ]


def _reference_words(language: str) -> set[str]:
    from transcriber.transcripts.search import search_words

    words: set[str] = set()
    for entry in manifest().values():
        if entry.get("language") == language:
            words.update(search_words(str(entry.get("reference") or "")))
    return words


def _accented(loaded: Loaded) -> tuple[str, int]:
    """The most frequent folded word whose original spelling had an accent (`für` -> `fur`)."""
    from transcriber.transcripts.search import search_words

    accented_words: set[str] = set()
    for entry in manifest().values():
        for word in str(entry.get("reference") or "").split():
            word = word.strip(".,;:?!\"'()").lower()
            if word and not word.isascii() and word.isalpha():
                accented_words.update(search_words(word))
    candidates = [(w, loaded.document_frequency.get(w, 0)) for w in accented_words]
    candidates = [(w, c) for w, c in candidates if c and len(w) >= 4]
    return max(candidates, key=lambda wc: wc[1])


@dataclass
class Measured:
    backend: str
    endpoint: str
    kind: str
    q: str
    matches: int
    returned: int
    times_ms: list[float]

    def pct(self, p: float) -> float:
        ordered = sorted(self.times_ms)
        k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k]


def measure(
    client: Any,
    headers: dict[str, str],
    backend: str,
    queries: Sequence[tuple[str, str, int]],
    requests: int,
    endpoints: Sequence[tuple[str, dict[str, Any]]] = (
        ("/api/v1/search", {}),
        ("/api/v1/jobs", {"limit": 50}),
    ),
    label: str = "",
    page: int = 1,
) -> list[Measured]:
    """Time each query's request; `page` > 1 times that page, reached through the cursors
    (queries with fewer pages are skipped)."""
    results: list[Measured] = []
    for path, extra in endpoints:
        for kind, q, matches in queries:
            params = {"q": q, **extra}
            cursor = _cursor_of_page(client, path, params, headers, page)
            if page > 1 and cursor is None:
                continue
            if cursor:
                params["cursor"] = cursor
                kind = f"{kind}, page {page}"
            for _ in range(3):  # warm caches and the connection pool
                client.get(path, params=params, headers=headers)
            times: list[float] = []
            returned = 0
            deadline = time.perf_counter() + MAX_SECONDS_PER_QUERY
            for i in range(requests):
                if i >= 5 and time.perf_counter() > deadline:
                    break  # a slow query gets fewer requests, the count is reported
                t0 = time.perf_counter()
                response = client.get(path, params=params, headers=headers)
                times.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}?q={q}: {response.status_code} {response.text}")
                returned = len(response.json()["items"])
            results.append(Measured(backend, path + label, kind, q, matches, returned, times))
            log(f"  {backend} {path}{label} {kind} {q!r}: p50 {statistics.median(times):.1f} ms")
    return results


def _cursor_of_page(
    client: Any, path: str, params: dict[str, Any], headers: dict[str, str], page: int
) -> str | None:
    cursor = None
    for _ in range(page - 1):
        response = client.get(
            path, params=params | ({"cursor": cursor} if cursor else {}), headers=headers
        )
        cursor = response.json()["next_cursor"] if response.status_code == 200 else None
        if cursor is None:
            return None
    return cursor


def reference_job_ids(runtime: Any, q: str) -> list[str]:
    """The owner's jobs that `GET /jobs?q=` must list, newest first, worked out apart from
    the app's statement: the set of jobs with a matching segment (one plain full-text query)
    and each job's file name, put together here."""
    from sqlalchemy import select, text

    from transcriber.jobs.models import Job
    from transcriber.transcripts.search import parse_query
    from transcriber.users.models import User

    words = parse_query(q)
    with runtime.sessions() as session:
        owner_id = session.scalar(select(User.id).where(User.email == "owner@example.org"))
        jobs = session.execute(
            select(Job.id, Job.filename)
            .where(Job.owner_id == owner_id)
            .order_by(Job.created_at.desc(), Job.id.desc())
        ).all()
        with_text: set[str] = set()
        if words:
            if session.get_bind().dialect.name == "postgresql":
                matching = text(
                    "SELECT DISTINCT job_id FROM segments "
                    "WHERE search_vector @@ to_tsquery('simple', :tsq)"
                ).bindparams(tsq=words.tsquery())
            else:
                matching = text(
                    "SELECT DISTINCT s.job_id FROM segments_fts f JOIN segments s "
                    "ON s.id = f.rowid WHERE segments_fts MATCH :ftsq"
                ).bindparams(ftsq=words.fts5())
            with_text = {str(uuid.UUID(str(job_id))) for (job_id,) in session.execute(matching)}
    name = q.lower()
    return [
        str(job_id)
        for job_id, filename in jobs
        if name in filename.lower() or str(job_id) in with_text
    ]


def check_job_list(
    client: Any, runtime: Any, headers: dict[str, str], queries: Sequence[tuple[str, str, int]]
) -> list[tuple[str, int, int, bool]]:
    """(q, jobs listed, pages, same as the reference) with every page walked at 200 a page."""
    out = []
    for _kind, q, _matches in queries:
        listed: list[str] = []
        pages = 0
        cursor = None
        while True:
            params: dict[str, Any] = {"q": q, "limit": 200} | ({"cursor": cursor} if cursor else {})
            response = client.get("/api/v1/jobs", params=params, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"/api/v1/jobs?q={q}: {response.status_code} {response.text}")
            body = response.json()
            listed += [item["id"] for item in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if not cursor:
                break
        same = listed == reference_job_ids(runtime, q)
        log(f"  job list {q!r}: {len(listed)} jobs in {pages} pages, same as reference: {same}")
        out.append((q, len(listed), pages, same))
    return out


def measure_job_list(
    client: Any,
    headers: dict[str, str],
    backend: str,
    queries: Sequence[tuple[str, str, int]],
    requests: int,
) -> list[Measured]:
    """The job list's first and fifth pages; then the same with every match read for any
    word (`COMMON_MATCHES` out of reach), which is the plan before decision 0135."""
    from transcriber.jobs import repository

    def pages(label: str = "") -> list[Measured]:
        return [
            r
            for page in (1, 5)
            for r in measure(
                client,
                headers,
                backend,
                queries,
                requests,
                endpoints=[("/api/v1/jobs", {"limit": 50})],
                label=label,
                page=page,
            )
        ]

    results = pages()
    if not hasattr(repository, "COMMON_MATCHES"):  # the code before decision 0135
        return results
    common, repository.COMMON_MATCHES = repository.COMMON_MATCHES, 10**12
    try:
        results += pages(" (every match)")
    finally:
        repository.COMMON_MATCHES = common
    return results


def query_plans(runtime: Any, owner_headers: dict[str, str], q: str) -> str:
    """The database's plan of the search statement for `q` (EXPLAIN ANALYZE on PostgreSQL,
    EXPLAIN QUERY PLAN on SQLite)."""
    from sqlalchemy import select

    from transcriber.transcripts.repository import TranscriptRepository
    from transcriber.transcripts.search import parse_query
    from transcriber.users.models import User

    with runtime.sessions() as session:
        owner = session.scalar(select(User).where(User.email == "owner@example.org"))
        repo = TranscriptRepository(session)
        captured: list[tuple[str, Any]] = []
        from sqlalchemy import event

        engine = session.get_bind()

        def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
            captured.append((statement, params))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            repo.search(owner.id, parse_query(q), offset=0, limit=21)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, params = captured[-1]
        connection = session.connection().connection.driver_connection
        if engine.dialect.name == "postgresql":
            cursor = connection.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor = connection.execute("EXPLAIN QUERY PLAN " + statement, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


# --- the run --------------------------------------------------------------------------------------


def run_backend(
    backend: str,
    transcripts: int,
    others: int,
    requests: int,
    reuse: bool,
    job_list: bool = False,
) -> tuple[Loaded, list[Measured], str, str]:
    from fastapi.testclient import TestClient
    from tests.support.app import RecordingDispatcher

    from transcriber.app import create_app
    from transcriber.config import AuthSettings, Settings
    from transcriber.kit.migrate import upgrade
    from transcriber.runtime import Runtime

    folder = BENCH_DIR / f"{backend}-{transcripts}"
    ready = reuse and _stats_path(folder).is_file()
    if not ready and folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib_for(backend, transcripts, ready) as database_url:
        settings = Settings(
            _env_file=None,
            data_dir=folder / "data",
            environment="test",
            database_url=database_url,
            # One user sending requests back to back: the per-user limit (600/minute) would
            # answer 429 and time the limiter, not the search.
            auth=AuthSettings(api_rate_limit="1000000/minute"),
        )
        upgrade(settings.resolved_database_url)
        dispatcher = RecordingDispatcher()
        runtime = Runtime.from_settings(settings, dispatcher=dispatcher)
        dispatcher.runtime = runtime
        with TestClient(create_app(runtime=runtime), raise_server_exceptions=True) as client:
            if ready:
                loaded = reload(client, folder)
                log(f"{backend}: reusing {loaded.segments} + {loaded.other_segments} segments")
            else:
                log(f"{backend}: loading {transcripts} transcripts (+{others} x {OTHER_USERS})")
                loaded = load(client, runtime, folder, transcripts, others)
                log(f"{backend}: loaded in {loaded.load_s:.0f} s")
                if backend == "postgresql":
                    with runtime.sessions() as session:
                        from sqlalchemy import text

                        session.execute(text("ANALYZE"))
                        session.commit()
            queries = choose_queries(loaded)
            if job_list:
                checks = check_job_list(client, runtime, loaded.owner_headers, queries)
                results = measure_job_list(client, loaded.owner_headers, backend, queries, requests)
                summary = ", ".join(
                    f"`{q}` {n:,} jobs in {pages} pages{'' if same else ' **DIFFERENT**'}"
                    for q, n, pages, same in checks
                )
                runtime.sessions.kw["bind"].dispose()
                return loaded, results, "", summary
            results = measure(client, loaded.owner_headers, backend, queries, requests)
            # The same searches ranking every match, as before the rank window (decision 0072).
            from transcriber.transcripts import repository

            window, repository.RANK_WINDOW = repository.RANK_WINDOW, 10**9
            try:
                results += measure(
                    client,
                    loaded.owner_headers,
                    backend,
                    queries,
                    requests,
                    endpoints=[("/api/v1/search", {})],
                    label=" (no rank window)",
                )
            finally:
                repository.RANK_WINDOW = window
            slowest = max(
                (r for r in results if r.endpoint == "/api/v1/search"), key=lambda r: r.pct(95)
            )
            plan = query_plans(runtime, loaded.owner_headers, slowest.q)
        runtime.sessions.kw["bind"].dispose()
    return loaded, results, slowest.q, plan


@contextmanager
def contextlib_for(backend: str, transcripts: int, reuse: bool) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None  # the embedded default: <data_dir>/transcriber.db
        return
    with postgres_database(f"transcriber_bench_search_{transcripts}", reuse) as url:
        yield url


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per query")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database")
    parser.add_argument(
        "--job-list", action="store_true", help="only the job list's text filter (GET /jobs?q=)"
    )
    args = parser.parse_args(argv)
    transcripts = 1_000 if args.quick else TRANSCRIPTS
    others = 100 if args.quick else OTHER_TRANSCRIPTS
    info = RunInfo.start()
    all_results: list[Measured] = []
    notes: list[str] = []
    plans: list[str] = []
    for backend in [b for b in args.backends.split(",") if b]:
        loaded, results, slow_q, plan = run_backend(
            backend, transcripts, others, args.requests, args.reuse, args.job_list
        )
        all_results += results
        notes.append(
            f"- {backend}: {loaded.segments:,} segments of the user in {transcripts:,} "
            f"transcripts, {loaded.other_segments:,} of {OTHER_USERS} other users; "
            f"loaded in {loaded.load_s:.0f} s"
        )
        if args.job_list:
            plans.append(
                f"- {backend}, every page walked (200 a page), same jobs as the reference: {plan}"
            )
        else:
            plans.append(f"{backend}, `q={slow_q}` (slowest p95):\n\n```\n{plan}\n```")
    info.finish()

    headers = [
        "backend",
        "endpoint",
        "query",
        "q",
        "matching segments",
        "items",
        "requests",
        "p50 ms",
        "p95 ms",
        "p99 ms",
    ]
    rows = [
        [
            r.backend,
            r.endpoint.removeprefix("/api/v1"),
            r.kind,
            f"`{r.q}`",
            f"{r.matches:,}",
            r.returned,
            len(r.times_ms),
            f"{r.pct(50):.1f}",
            f"{r.pct(95):.1f}",
            f"{r.pct(99):.1f}",
        ]
        for r in all_results
    ]
    print_table("search latency", headers, rows)
    for plan in plans:
        print(plan)
    summary = []
    for backend in dict.fromkeys(r.backend for r in all_results):
        for endpoint in dict.fromkeys(r.endpoint for r in all_results):
            times = [
                t
                for r in all_results
                if (r.backend, r.endpoint) == (backend, endpoint)
                for t in r.times_ms
            ]
            mixed = Measured(backend, endpoint, "mix", "", 0, 0, times)
            summary.append(
                [
                    backend,
                    endpoint.removeprefix("/api/v1"),
                    len(times),
                    f"{mixed.pct(50):.1f}",
                    f"{mixed.pct(95):.1f}",
                    f"{mixed.pct(99):.1f}",
                    "yes" if mixed.pct(95) < 100 else "**no**",
                ]
            )
    print_table(
        "all queries together",
        ["backend", "endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "p95 < 100 ms"],
        summary,
    )
    if args.no_write:
        return 0
    if args.job_list:
        update_results(
            "search-job-list",
            "\n\n".join(
                [
                    "### Job list text filter (bench/search.py --job-list)",
                    info.markdown()
                    + "\n"
                    + "\n".join(notes)
                    + f"\n- {args.requests} timed requests per query and page after 3 warm-up "
                    "requests, pages of 50 jobs; `page 5`: the fifth page, through the cursors; "
                    "`(every match)`: the same requests with every word read as a rare one (each "
                    "matching segment read, the plan before decision 0135), back to back",
                    "\n".join(plans),
                    markdown_table(
                        [
                            "backend",
                            "endpoint",
                            "requests",
                            "p50 ms",
                            "p95 ms",
                            "p99 ms",
                            "p95 < 100 ms",
                        ],
                        summary,
                    ),
                    markdown_table(headers, rows),
                ]
            ),
        )
        return 0
    body = "\n\n".join(
        [
            "## Search latency (bench/search.py)",
            info.markdown()
            + "\n"
            + "\n".join(notes)
            + f"\n- {args.requests} timed requests per query after 3 warm-up requests, one at a "
            "time through FastAPI's TestClient (the app, auth and JSON included, the per-user "
            "rate limit raised); at most 30 s of requests per query; search pages of 20 hits, "
            "job list pages of 50; `(no rank window)`: the same searches scoring every match, "
            "as before decision 0072",
            markdown_table(
                ["backend", "endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "p95 < 100 ms"],
                summary,
            ),
            markdown_table(headers, rows),
            "Query plans of the slowest search:\n\n" + "\n\n".join(plans),
        ]
    )
    update_results("search", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

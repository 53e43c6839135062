"""All SQL about transcripts: segments, their versions, full-text search and share links."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session, selectinload

from transcriber.jobs.models import Job
from transcriber.transcripts.models import SegmentVersion, ShareLink, TranscriptSegment
from transcriber.transcripts.search import SearchQuery, Term

_FTS = table("segments_fts", column("rowid", Integer))
_FTS_NAME: ColumnElement[Any] = literal_column("segments_fts")
_SIMPLE: ColumnElement[Any] = literal_column("'simple'")
_SEARCH_VECTOR: ColumnElement[Any] = literal_column("segments.search_vector")
_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")
_POSTGRES_WORD_STATISTICS = text(
    "SELECT s.most_common_elems::text::text[] AS words, s.most_common_elem_freqs AS shares, "
    "c.reltuples AS segments FROM pg_stats s JOIN pg_class c ON c.oid = 'segments'::regclass "
    "WHERE s.schemaname = current_schema() AND s.tablename = 'segments' "
    "AND s.attname = 'search_vector'"
)

# A search ranks the owner's newest matching segments, this many at most; its pages end there.
# Scoring every one of a million matches of a common word is what made a search take seconds;
# below this many matches the ranking is over all of them.
RANK_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class SearchRow:
    segment_id: int
    job_id: uuid.UUID
    filename: str
    start: float
    end: float
    text: str
    speaker: str | None
    score: float


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


class TranscriptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def segments(self, job_id: uuid.UUID, *, with_words: bool) -> Sequence[TranscriptSegment]:
        query = (
            select(TranscriptSegment)
            .where(TranscriptSegment.job_id == job_id)
            .order_by(TranscriptSegment.idx)
        )
        if with_words:
            query = query.options(selectinload(TranscriptSegment.words))
        return self.session.scalars(query).all()

    def segment_of_job(self, job_id: uuid.UUID, segment_id: int) -> TranscriptSegment | None:
        return self.session.scalar(
            select(TranscriptSegment).where(
                TranscriptSegment.id == segment_id, TranscriptSegment.job_id == job_id
            )
        )

    def segments_with_speaker(self, job_id: uuid.UUID, speaker: str) -> Sequence[TranscriptSegment]:
        return self.session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.job_id == job_id, TranscriptSegment.speaker == speaker)
            .order_by(TranscriptSegment.idx)
        ).all()

    # -- versions --------------------------------------------------------------------------------

    def versions(self, segment_id: int) -> Sequence[SegmentVersion]:
        return self.session.scalars(
            select(SegmentVersion)
            .where(SegmentVersion.segment_id == segment_id)
            .order_by(SegmentVersion.id)
        ).all()

    def machine_version(self, segment_id: int) -> SegmentVersion | None:
        return self.session.scalar(
            select(SegmentVersion)
            .where(SegmentVersion.segment_id == segment_id, SegmentVersion.kind == "machine")
            .order_by(SegmentVersion.id)
            .limit(1)
        )

    def has_versions(self, segment_id: int) -> bool:
        found = self.session.scalar(
            select(SegmentVersion.id).where(SegmentVersion.segment_id == segment_id).limit(1)
        )
        return found is not None

    # -- search ----------------------------------------------------------------------------------

    def _match(self, query: SearchQuery) -> tuple[ColumnElement[bool], ColumnElement[float]]:
        """The WHERE clause and a score (higher is better) for this dialect."""
        if _is_postgres(self.session):
            # The stored `to_tsvector('simple', search_text)` of migration 0014 (GIN-indexed).
            vector = _SEARCH_VECTOR
            tsquery = func.to_tsquery(_SIMPLE, bindparam("tsq", query.tsquery()))
            return vector.op("@@")(tsquery), func.ts_rank(vector, tsquery)
        match = _FTS_NAME.op("MATCH")(bindparam("ftsq", query.fts5()))
        # bm25() is lower-is-better; negate so both dialects sort descending.
        return match, -func.bm25(_FTS_NAME)

    def _from(self, stmt: _S) -> _S:
        if _is_postgres(self.session):
            return stmt.select_from(TranscriptSegment)
        return stmt.select_from(_FTS).join(TranscriptSegment, TranscriptSegment.id == _FTS.c.rowid)

    def search(
        self, owner_id: uuid.UUID, query: SearchQuery, *, offset: int, limit: int
    ) -> list[SearchRow]:
        """The owner's matching segments, best first, ranked among the newest `RANK_WINDOW`
        matches: a common word stays fast however many segments hold it, and anything rarer
        is ranked over all its matches. Pages end with the window (docs/decisions/0072)."""
        where, score = self._match(query)
        postgres = _is_postgres(self.session)
        # bm25() only exists inside the FTS5 query; ts_rank() is worked out after the window,
        # for its rows only, not for every match PostgreSQL sorts to find the newest.
        inner_score = literal_column("0") if postgres else score
        window = (
            self._from(select(TranscriptSegment.id.label("segment_id"), inner_score.label("score")))
            .join(Job, Job.id == TranscriptSegment.job_id)
            .where(where, Job.owner_id == owner_id)
            .order_by(TranscriptSegment.id.desc() if postgres else _FTS.c.rowid.desc())
            .limit(RANK_WINDOW)
            .subquery("window")
        )
        stmt = (
            select(
                TranscriptSegment.id,
                TranscriptSegment.job_id,
                Job.filename,
                TranscriptSegment.start,
                TranscriptSegment.end,
                TranscriptSegment.text,
                TranscriptSegment.speaker,
                (score if postgres else window.c.score).label("rank"),
            )
            .select_from(window)
            .join(TranscriptSegment, TranscriptSegment.id == window.c.segment_id)
            .join(Job, Job.id == TranscriptSegment.job_id)
            .order_by(
                literal_column("rank").desc(),
                Job.created_at.desc(),
                Job.id,
                TranscriptSegment.idx,
            )
            .offset(offset)
            .limit(limit)
        )
        return [
            SearchRow(
                segment_id=row[0],
                job_id=row[1],
                filename=row[2],
                start=row[3],
                end=row[4],
                text=row[5],
                speaker=row[6],
                score=float(row[7] or 0.0),
            )
            for row in self.session.execute(stmt)
        ]

    def matching_job_ids(self, query: SearchQuery) -> Select[uuid.UUID]:
        """A subquery of the jobs with a segment that matches (for the job list filter). It
        reads every matching segment: quick for a rare word, not for a common one."""
        where, _score = self._match(query)
        return self._from(select(TranscriptSegment.job_id)).where(where)

    def looks_common(self, query: SearchQuery, matches: int) -> bool:
        """Whether about `matches` segments (anyone's) or more match, found without reading
        a common word's every match. SQLite counts FTS5 index entries and stops at `matches`.
        PostgreSQL reads the planner's statistics of `search_vector` (its most common words
        and the share of segments holding each, kept by ANALYZE): counting through the GIN
        index would build a bitmap of every match first. A word missing from them is rarer
        than the rarest word listed; without statistics (a new database) nothing is common."""
        if not _is_postgres(self.session):
            where, _score = self._match(query)
            first = select(_FTS.c.rowid).select_from(_FTS).where(where).limit(matches).subquery()
            return (self.session.scalar(select(func.count()).select_from(first)) or 0) >= matches
        row = self.session.execute(_POSTGRES_WORD_STATISTICS).first()
        if row is None or row.words is None:
            return False
        # The shares end with three summary numbers, which zip() leaves out.
        share: dict[str, float] = dict(zip(row.words, row.shares, strict=False))
        segments = float(row.segments)

        def term_share(term: Term) -> float:
            *whole, last = term.tokens
            if term.prefix:
                last_share = min(1.0, sum(f for w, f in share.items() if w.startswith(last)))
            else:
                last_share = share.get(last, 0.0)
            return min([last_share, *(share.get(token, 0.0) for token in whole)])

        # The terms all match in one segment: at most as often as the rarest term.
        return min(term_share(term) for term in query.terms) * segments >= matches

    def job_has_match(self, query: SearchQuery, jobs: Select[uuid.UUID]) -> ColumnElement[bool]:
        """A condition on `Job`: the job has a segment that matches. For the job list walking
        a window of jobs newest first (`jobs`, their ids) when the word is common
        (docs/decisions/0135): it reads that window's segments, not every match.

        PostgreSQL probes each job through the segments' job index and stops at its first
        matching segment. SQLite cannot afford a full-text query per job (each opens every
        FTS5 index segment), so it runs one: the matches whose rowid lies between the
        window's lowest and highest segment id, which holds every segment of those jobs."""
        if _is_postgres(self.session):
            # A probe reads one job's segments through `uq_segments_job_idx`. coalesce() hides
            # the vector from the GIN index, which the planner would otherwise combine with
            # the job's rows, reading the word's whole posting list for every job; OFFSET 0
            # keeps the planner from hashing every match once instead of probing (it does when
            # it thinks the word rare, and a phrase's estimate is often far too low).
            # The query is parsed once (an InitPlan): in a generic plan, which psycopg's
            # prepared statements get after a few runs, to_tsquery() of a parameter would be
            # parsed again for every segment read, doubling the time.
            vector = func.coalesce(_SEARCH_VECTOR, literal_column("''::tsvector"))
            tsquery = select(
                func.to_tsquery(_SIMPLE, bindparam("tsq", query.tsquery()))
            ).scalar_subquery()
            return (
                select(literal_column("1"))
                .select_from(TranscriptSegment)
                .where(TranscriptSegment.job_id == Job.id, vector.op("@@")(tsquery))
                .offset(0)
                .exists()
            )
        where, _score = self._match(query)
        bounds = (
            select(
                func.min(TranscriptSegment.id).label("low"),
                func.max(TranscriptSegment.id).label("high"),
            )
            .where(TranscriptSegment.job_id.in_(jobs))
            .cte("window_segments")
        )
        in_window = self._from(select(TranscriptSegment.job_id)).where(
            where,
            _FTS.c.rowid >= select(bounds.c.low).scalar_subquery(),
            _FTS.c.rowid <= select(bounds.c.high).scalar_subquery(),
        )
        return Job.id.in_(in_window)

    # -- share links -----------------------------------------------------------------------------

    def shares(self, job_id: uuid.UUID) -> Sequence[ShareLink]:
        return self.session.scalars(
            select(ShareLink)
            .where(ShareLink.job_id == job_id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id)
        ).all()

    def share_of_job(self, job_id: uuid.UUID, share_id: uuid.UUID) -> ShareLink | None:
        return self.session.scalar(
            select(ShareLink).where(ShareLink.id == share_id, ShareLink.job_id == job_id)
        )

    def live_share(self, token_hash: str, now: datetime) -> tuple[ShareLink, Job] | None:
        row = self.session.execute(
            select(ShareLink, Job)
            .join(Job, Job.id == ShareLink.job_id)
            .where(
                ShareLink.token_hash == token_hash,
                ShareLink.revoked_at.is_(None),
                (ShareLink.expires_at.is_(None)) | (ShareLink.expires_at > now),
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    def revoke(self, share_id: uuid.UUID, now: datetime) -> None:
        self.session.execute(
            update(ShareLink)
            .where(ShareLink.id == share_id, ShareLink.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from transcriber.kit.db import Base, utcnow
from transcriber.transcripts.search import search_text

# Search indexes are made by hand in the migrations (an FTS5 table and its triggers on SQLite; a
# generated `search_vector` tsvector column with a GIN index on PostgreSQL; both over
# `segments.search_text`) and kept out of this metadata; the model/migration comparison skips
# them (`transcriber.kit.migrate.include_object`).


def _search_text_of_row(context: DefaultExecutionContext) -> str:
    """The folded words of an inserted row's text (Core and bulk inserts too)."""
    parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return search_text(str(parameters.get("text") or ""))


class TranscriptSegment(Base):
    __tablename__ = "segments"
    # (job_id, idx) is unique so a redelivered or re-run task cannot store a segment twice.
    __table_args__ = (UniqueConstraint("job_id", "idx", name="uq_segments_job_idx"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    idx: Mapped[int]
    start: Mapped[float]
    end: Mapped[float]
    text: Mapped[str] = mapped_column(Text)
    # `search.search_text(text)`: what the full-text indexes see. Set with the text, always.
    search_text: Mapped[str] = mapped_column(Text, default=_search_text_of_row, server_default="")
    speaker: Mapped[str | None] = mapped_column(String(64))
    avg_logprob: Mapped[float | None]
    no_speech_prob: Mapped[float | None]
    # A person changed the text: the words' timings no longer describe it.
    text_edited: Mapped[bool] = mapped_column(default=False, server_default=false())
    edited_at: Mapped[datetime | None]

    words: Mapped[list[TranscriptWord]] = relationship(
        back_populates="segment",
        order_by="TranscriptWord.idx",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("text")
    def _fold_for_search(self, _key: str, value: str) -> str:
        self.search_text = search_text(value)
        return value


class TranscriptWord(Base):
    __tablename__ = "words"
    __table_args__ = (UniqueConstraint("segment_id", "idx", name="uq_words_segment_idx"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    idx: Mapped[int]
    start: Mapped[float]
    end: Mapped[float]
    word: Mapped[str] = mapped_column(String(255))
    probability: Mapped[float]

    segment: Mapped[TranscriptSegment] = relationship(back_populates="words")


class SegmentVersion(Base):
    """One state of a segment: the machine's (editor NULL, kept on the first edit), then every
    edit and revert, with who and when."""

    __tablename__ = "segment_versions"
    __table_args__ = (Index("ix_segment_versions_segment", "segment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # machine | edit | revert
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(64))
    editor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareLink(Base):
    """A read-only link to one transcript; only the token's SHA-256 is stored."""

    __tablename__ = "share_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    include_media: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

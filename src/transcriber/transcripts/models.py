from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transcriber.kit.db import Base


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
    speaker: Mapped[str | None] = mapped_column(String(64))
    avg_logprob: Mapped[float | None]
    no_speech_prob: Mapped[float | None]

    words: Mapped[list[TranscriptWord]] = relationship(
        back_populates="segment",
        order_by="TranscriptWord.idx",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


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

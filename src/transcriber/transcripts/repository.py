from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from transcriber.transcripts.models import TranscriptSegment


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

"""Finished jobs with transcripts, written through the ORM (no model run needed)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence

from transcriber.jobs.models import Job
from transcriber.kit.db import transaction, utcnow
from transcriber.runtime import Runtime
from transcriber.transcripts.models import TranscriptSegment, TranscriptWord

SegmentSpec = tuple[str, str | None]  # text, speaker


def make_transcript(
    runtime: Runtime,
    owner_id: uuid.UUID | str,
    segments: Sequence[SegmentSpec | str],
    *,
    filename: str = "interview.wav",
    status: str = "completed",
    media: bytes | None = b"RIFF-not-really-audio-but-bytes-to-serve",
    language: str = "en",
) -> tuple[uuid.UUID, list[int]]:
    """A job of `owner_id` with these segments (2 s each, word timings split on spaces)."""
    owner = uuid.UUID(str(owner_id))
    job_id = uuid.uuid4()
    media_key = None
    if media is not None:
        media_key = f"{owner}/{job_id}/original.wav"
        runtime.storage.save(media_key, io.BytesIO(media), max_bytes=len(media) + 1)
    with transaction(runtime.sessions) as session:
        job = Job(
            id=job_id,
            owner_id=owner,
            status=status,
            filename=filename,
            media_key=media_key,
            media_bytes=len(media or b""),
            duration_s=2.0 * len(segments),
            model="tiny.en",
            detected_language=language,
            word_timestamps=True,
            finished_at=utcnow(),
        )
        session.add(job)
        session.flush()
        ids = []
        for idx, spec in enumerate(segments):
            text, speaker = (spec, None) if isinstance(spec, str) else spec
            start = 2.0 * idx
            row = TranscriptSegment(
                job_id=job_id, idx=idx, start=start, end=start + 2.0, text=text, speaker=speaker
            )
            words = text.split() or [text]
            step = 2.0 / len(words)
            row.words = [
                TranscriptWord(
                    idx=i,
                    start=start + i * step,
                    end=start + (i + 1) * step,
                    word=(" " if i else "") + w,
                    probability=0.9,
                )
                for i, w in enumerate(words)
            ]
            session.add(row)
            session.flush()
            ids.append(row.id)
    return job_id, ids

"""Reading transcripts and rendering them; the job's owner check comes from JobService."""

from __future__ import annotations

from sqlalchemy.orm import Session

from transcriber.asr.types import Segment, TranscriptDocument, Word
from transcriber.jobs.models import Job
from transcriber.kit.errors import Conflict
from transcriber.transcripts.exports import ExportFormat, ExportOptions, export_filename, render
from transcriber.transcripts.repository import TranscriptRepository
from transcriber.transcripts.schemas import SegmentRead, TranscriptRead, WordRead


class TranscriptService:
    def __init__(self, session: Session) -> None:
        self.transcripts = TranscriptRepository(session)

    def read(self, job: Job) -> TranscriptRead:
        rows = self.transcripts.segments(job.id, with_words=job.word_timestamps)
        segments = [
            SegmentRead(
                id=row.id,
                start=row.start,
                end=row.end,
                text=row.text,
                speaker=row.speaker,
                words=(
                    [
                        WordRead(start=w.start, end=w.end, word=w.word, probability=w.probability)
                        for w in row.words
                    ]
                    if job.word_timestamps
                    else None
                ),
            )
            for row in rows
        ]
        return TranscriptRead(
            job_id=str(job.id),
            status=job.status,
            language=job.language,
            duration_s=job.duration_s,
            text=" ".join(s.text for s in segments if s.text),
            segments=segments,
        )

    def document(self, job: Job) -> TranscriptDocument:
        rows = self.transcripts.segments(job.id, with_words=job.word_timestamps)
        return TranscriptDocument(
            segments=[
                Segment(
                    start=row.start,
                    end=row.end,
                    text=row.text,
                    speaker=row.speaker,
                    words=tuple(
                        Word(start=w.start, end=w.end, word=w.word, probability=w.probability)
                        for w in row.words
                    )
                    if job.word_timestamps
                    else (),
                )
                for row in rows
            ],
            language=job.language,
            duration_s=job.duration_s,
            title=job.filename,
            metadata={
                "model": job.model,
                "task": job.task,
                "created": job.created_at.isoformat(timespec="seconds"),
            },
        )

    def export(self, job: Job, fmt: ExportFormat, options: ExportOptions) -> tuple[bytes, str]:
        """The rendered file and its download name; only finished transcripts are exported."""
        if job.status not in ("completed", "cancelled"):
            raise Conflict(
                f"The transcript is not ready: the job is {job.status}. "
                "Download it once the job has completed."
            )
        return render(self.document(job), fmt, options), export_filename(job.filename, fmt)

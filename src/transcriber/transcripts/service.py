"""Reading transcripts and rendering them; the job's owner check comes from JobService."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from transcriber.asr.types import Segment, TranscriptDocument, Word
from transcriber.jobs.models import Job
from transcriber.kit.crypto import new_token, token_digest
from transcriber.kit.db import utcnow
from transcriber.kit.errors import BadRequest, Conflict, NotFound, Unprocessable
from transcriber.transcripts.exports import ExportFormat, ExportOptions, export_filename, render
from transcriber.transcripts.models import SegmentVersion, ShareLink, TranscriptSegment
from transcriber.transcripts.repository import TranscriptRepository
from transcriber.transcripts.schemas import (
    SearchHit,
    SearchPage,
    SegmentEdit,
    SegmentRead,
    SegmentVersionRead,
    ShareCreate,
    SharedSegment,
    SharedTranscript,
    TranscriptRead,
    WordRead,
)
from transcriber.transcripts.search import highlight, parse_query
from transcriber.users.models import User

EDITABLE_STATUSES = ("completed", "cancelled")


class TranscriptService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.transcripts = TranscriptRepository(session)

    def read(self, job: Job) -> TranscriptRead:
        rows = self.transcripts.segments(job.id, with_words=job.word_timestamps)
        segments = [_segment_read(row, job.word_timestamps) for row in rows]
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
                    # An edited text no longer matches the words the model timed.
                    words=tuple(
                        Word(start=w.start, end=w.end, word=w.word, probability=w.probability)
                        for w in row.words
                    )
                    if job.word_timestamps and not row.text_edited
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

    # -- editing ---------------------------------------------------------------------------------

    def _editable_segment(self, job: Job, segment_id: int) -> TranscriptSegment:
        segment = self.transcripts.segment_of_job(job.id, segment_id)
        if segment is None:
            raise NotFound("Segment not found.")
        if job.status not in EDITABLE_STATUSES:
            raise Conflict(
                f"The transcript cannot be edited while the job is {job.status}; "
                "edit it once the job has completed."
            )
        return segment

    def _record(self, segment: TranscriptSegment, kind: str, editor: User | None) -> None:
        self.session.add(
            SegmentVersion(
                segment_id=segment.id,
                kind=kind,
                text=segment.text,
                speaker=segment.speaker,
                editor_id=editor.id if editor else None,
                created_at=utcnow(),
            )
        )

    def _keep_machine_version(self, segment: TranscriptSegment) -> None:
        if not self.transcripts.has_versions(segment.id):
            self._record(segment, "machine", None)

    def edit_segment(
        self, job: Job, segment_id: int, edit: SegmentEdit, editor: User
    ) -> SegmentRead:
        """Change a segment's text and/or speaker; the machine's version is kept on the first
        edit and every edit is stored with who and when."""
        segment = self._editable_segment(job, segment_id)
        fields = edit.model_fields_set
        new_text = edit.text if "text" in fields and edit.text is not None else segment.text
        new_speaker = edit.speaker if "speaker" in fields else segment.speaker
        if new_text == segment.text and new_speaker == segment.speaker:
            return self._read_one(job, segment)
        self._keep_machine_version(segment)
        if new_text != segment.text:
            machine = self.transcripts.machine_version(segment.id)
            segment.text_edited = machine is None or machine.text != new_text
        segment.text = new_text
        segment.speaker = new_speaker
        segment.edited_at = utcnow()
        self._record(segment, "edit", editor)
        self.session.flush()
        return self._read_one(job, segment)

    def rename_speaker(self, job: Job, old: str, new: str, editor: User) -> int:
        """Every segment labelled `old` becomes `new`; each change is a version."""
        if job.status not in EDITABLE_STATUSES:
            raise Conflict(
                f"The transcript cannot be edited while the job is {job.status}; "
                "edit it once the job has completed."
            )
        if old == new:
            return 0
        segments = self.transcripts.segments_with_speaker(job.id, old)
        now = utcnow()
        for segment in segments:
            self._keep_machine_version(segment)
            segment.speaker = new
            segment.edited_at = now
            self._record(segment, "edit", editor)
        self.session.flush()
        return len(segments)

    def versions(self, job: Job, segment_id: int) -> list[SegmentVersionRead]:
        segment = self.transcripts.segment_of_job(job.id, segment_id)
        if segment is None:
            raise NotFound("Segment not found.")
        rows = self.transcripts.versions(segment.id)
        if not rows:
            return [
                SegmentVersionRead(
                    id=None,
                    kind="machine",
                    text=segment.text,
                    speaker=segment.speaker,
                    editor_id=None,
                    created_at=None,
                )
            ]
        return [
            SegmentVersionRead(
                id=v.id,
                kind=v.kind,
                text=v.text,
                speaker=v.speaker,
                editor_id=v.editor_id,
                created_at=v.created_at,
            )
            for v in rows
        ]

    def revert(self, job: Job, segment_id: int, editor: User) -> SegmentRead:
        """Back to what the model wrote; the revert itself is a version, so it can be seen."""
        segment = self._editable_segment(job, segment_id)
        machine = self.transcripts.machine_version(segment.id)
        if machine is None or (machine.text == segment.text and machine.speaker == segment.speaker):
            return self._read_one(job, segment)
        segment.text = machine.text
        segment.speaker = machine.speaker
        segment.text_edited = False
        segment.edited_at = utcnow()
        self._record(segment, "revert", editor)
        self.session.flush()
        return self._read_one(job, segment)

    def _read_one(self, job: Job, segment: TranscriptSegment) -> SegmentRead:
        self.session.flush()
        if job.word_timestamps:
            self.session.refresh(segment, attribute_names=["words"])
        return _segment_read(segment, job.word_timestamps)

    # -- search ----------------------------------------------------------------------------------

    def search(self, owner: User, q: str, *, cursor: str | None, limit: int) -> SearchPage:
        query = parse_query(q)
        if not query:
            raise Unprocessable(
                'Search for at least one word: letters or digits, a "quoted phrase" '
                "or a prefix like `transcri*`."
            )
        offset = _decode_offset(cursor) if cursor else 0
        rows = self.transcripts.search(owner.id, query, offset=offset, limit=limit + 1)
        items = [
            SearchHit(
                job_id=row.job_id,
                filename=row.filename,
                segment_id=row.segment_id,
                start=row.start,
                end=row.end,
                speaker=row.speaker,
                snippet=highlight(row.text, query),
                score=row.score,
            )
            for row in rows[:limit]
        ]
        next_cursor = _encode_offset(offset + limit) if len(rows) > limit else None
        return SearchPage(items=items, next_cursor=next_cursor)


def _segment_read(row: TranscriptSegment, with_words: bool) -> SegmentRead:
    return SegmentRead(
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
            if with_words and not row.text_edited
            else None
        ),
    )


def _encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        kind, _, value = raw.partition(":")
        offset = int(value)
        if kind != "o" or not 0 <= offset <= 10_000:
            raise ValueError(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(
            "The cursor is not valid; use the next_cursor of a previous page."
        ) from None
    return offset


class ShareService:
    """Read-only links to one transcript. The token is shown once and stored as SHA-256; an
    unknown, expired or revoked token all answer the same 404."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.transcripts = TranscriptRepository(session)

    def create(self, job: Job, owner: User, options: ShareCreate) -> tuple[ShareLink, str]:
        if job.status not in EDITABLE_STATUSES:
            raise Conflict(f"Only a finished transcript can be shared; this job is {job.status}.")
        token = new_token()
        now = utcnow()
        share = ShareLink(
            id=uuid.uuid4(),
            job_id=job.id,
            created_by=owner.id,
            token_hash=token_digest(token),
            include_media=options.include_media,
            expires_at=(
                now + timedelta(seconds=options.expires_in_s) if options.expires_in_s else None
            ),
            created_at=now,
        )
        self.session.add(share)
        self.session.flush()
        return share, token

    def for_job(self, job: Job) -> list[ShareLink]:
        return list(self.transcripts.shares(job.id))

    def revoke(self, job: Job, share_id: uuid.UUID) -> None:
        share = self.transcripts.share_of_job(job.id, share_id)
        if share is None:
            raise NotFound("Share link not found.")
        if share.revoked_at is None:
            share.revoked_at = utcnow()
            self.session.flush()

    def resolve(self, token: str) -> tuple[ShareLink, Job]:
        found = (
            self.transcripts.live_share(token_digest(token), utcnow()) if len(token) < 200 else None
        )
        if found is None or found[1].status not in EDITABLE_STATUSES:
            raise NotFound("This link does not exist, has expired or was revoked.")
        return found

    def read(self, token: str) -> SharedTranscript:
        share, job = self.resolve(token)
        transcript = TranscriptService(self.session).read(job)
        return SharedTranscript(
            filename=job.filename,
            language=job.language,
            duration_s=job.duration_s,
            text=transcript.text,
            include_media=share.include_media,
            expires_at=share.expires_at,
            segments=[
                SharedSegment(
                    start=s.start, end=s.end, text=s.text, speaker=s.speaker, words=s.words
                )
                for s in transcript.segments
            ],
        )

    def export(self, token: str, fmt: ExportFormat, options: ExportOptions) -> tuple[bytes, str]:
        _share, job = self.resolve(token)
        return TranscriptService(self.session).export(job, fmt, options)

    def media_job(self, token: str) -> Job:
        share, job = self.resolve(token)
        if not share.include_media:
            raise NotFound("This link does not share the audio.")
        return job

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import FileResponse

from transcriber.dependencies import (
    CurrentUser,
    OwnedJob,
    RuntimeDep,
    ShareServiceDep,
    TranscriptServiceDep,
)
from transcriber.jobs.endpoints import media_response
from transcriber.kit.validation import MAX_ROW_NUMBER
from transcriber.transcripts.exports import MEDIA_TYPES, ExportFormat, ExportOptions
from transcriber.transcripts.schemas import (
    SearchPage,
    SegmentEdit,
    SegmentRead,
    SegmentVersionRead,
    ShareCreate,
    ShareCreated,
    SharedTranscript,
    ShareRead,
    SpeakerRename,
    SpeakerRenamed,
    TranscriptRead,
)

router = APIRouter(prefix="/api/v1/jobs", tags=["transcripts"])
search_router = APIRouter(prefix="/api/v1/search", tags=["search"])
shared_router = APIRouter(prefix="/api/v1/shared", tags=["sharing"])

SegmentId = Annotated[int, Path(ge=1, le=MAX_ROW_NUMBER)]
Token = Annotated[str, Path(min_length=1, max_length=200)]


def export_options(
    timestamps: bool = False,
    speakers: bool = True,
    max_chars_per_line: Annotated[int, Query(ge=10, le=200)] = 42,
    max_lines_per_cue: Annotated[int, Query(ge=1, le=5)] = 2,
    max_cue_duration_s: Annotated[float, Query(ge=1.0, le=60.0)] = 7.0,
    karaoke: bool = False,
) -> ExportOptions:
    return ExportOptions(
        timestamps=timestamps,
        speakers=speakers,
        max_chars_per_line=max_chars_per_line,
        max_lines_per_cue=max_lines_per_cue,
        max_cue_duration_s=max_cue_duration_s,
        karaoke=karaoke,
    )


ExportOptionsDep = Annotated[ExportOptions, Depends(export_options)]


@router.get("/{job_id}/transcript", response_model=TranscriptRead, summary="The transcript")
def get_transcript(job: OwnedJob, service: TranscriptServiceDep) -> Any:
    return service.read(job)


@router.get(
    "/{job_id}/transcript.{fmt}",
    response_class=Response,
    summary="Download the transcript as txt, srt, vtt, json, tsv or docx",
)
def download_transcript(
    job: OwnedJob, fmt: ExportFormat, service: TranscriptServiceDep, options: ExportOptionsDep
) -> Response:
    body, filename = service.export(job, fmt, options)
    return _download(body, fmt, filename)


@router.patch(
    "/{job_id}/transcript/segments/{segment_id}",
    response_model=SegmentRead,
    summary="Edit a segment's text or speaker (the machine's version is kept)",
)
def edit_segment(
    job: OwnedJob,
    segment_id: SegmentId,
    edit: SegmentEdit,
    user: CurrentUser,
    service: TranscriptServiceDep,
) -> Any:
    return service.edit_segment(job, segment_id, edit, user)


@router.get(
    "/{job_id}/transcript/segments/{segment_id}/versions",
    response_model=list[SegmentVersionRead],
    summary="A segment's versions, the machine's first",
)
def segment_versions(job: OwnedJob, segment_id: SegmentId, service: TranscriptServiceDep) -> Any:
    return service.versions(job, segment_id)


@router.post(
    "/{job_id}/transcript/segments/{segment_id}/revert",
    response_model=SegmentRead,
    summary="Undo every edit: back to what the model wrote",
)
def revert_segment(
    job: OwnedJob, segment_id: SegmentId, user: CurrentUser, service: TranscriptServiceDep
) -> Any:
    return service.revert(job, segment_id, user)


@router.post(
    "/{job_id}/transcript/speakers/rename",
    response_model=SpeakerRenamed,
    summary="Rename a speaker in every segment of the transcript",
)
def rename_speaker(
    job: OwnedJob, rename: SpeakerRename, user: CurrentUser, service: TranscriptServiceDep
) -> Any:
    return SpeakerRenamed(renamed=service.rename_speaker(job, rename.from_, rename.to, user))


@router.post(
    "/{job_id}/shares",
    response_model=ShareCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Make a read-only link to this transcript (the token is shown once)",
)
def create_share(
    job: OwnedJob,
    options: ShareCreate,
    user: CurrentUser,
    service: ShareServiceDep,
    request: Request,
) -> Any:
    share, token = service.create(job, user, options)
    return ShareCreated(
        id=share.id,
        include_media=share.include_media,
        expires_at=share.expires_at,
        revoked_at=share.revoked_at,
        created_at=share.created_at,
        token=token,
        url=str(request.url_for("get_shared_transcript", token=token)),
    )


@router.get("/{job_id}/shares", response_model=list[ShareRead], summary="This job's links")
def list_shares(job: OwnedJob, service: ShareServiceDep) -> Any:
    return service.for_job(job)


@router.delete(
    "/{job_id}/shares/{share_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a link; it answers 404 from now on",
)
def revoke_share(job: OwnedJob, share_id: uuid.UUID, service: ShareServiceDep) -> Response:
    service.revoke(job, share_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@search_router.get("", response_model=SearchPage, summary="Search my transcripts")
def search(
    user: CurrentUser,
    service: TranscriptServiceDep,
    q: Annotated[str, Query(max_length=10_000)],
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    return service.search(user, q, cursor=cursor, limit=limit)


@shared_router.get(
    "/{token}", response_model=SharedTranscript, summary="A shared transcript (no account)"
)
def get_shared_transcript(token: Token, service: ShareServiceDep) -> Any:
    return service.read(token)


@shared_router.get(
    "/{token}/media",
    response_class=FileResponse,
    summary="A shared transcript's audio, when the link includes it (range requests)",
)
def get_shared_media(token: Token, service: ShareServiceDep, runtime: RuntimeDep) -> Response:
    return media_response(service.media_job(token), runtime.storage)


@shared_router.get(
    "/{token}/transcript.{fmt}",
    response_class=Response,
    summary="Download a shared transcript",
)
def download_shared_transcript(
    token: Token, fmt: ExportFormat, service: ShareServiceDep, options: ExportOptionsDep
) -> Response:
    body, filename = service.export(token, fmt, options)
    return _download(body, fmt, filename)


def _download(body: bytes, fmt: ExportFormat, filename: str) -> Response:
    return Response(
        content=body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": _attachment(filename)},
    )


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from transcriber.dependencies import OwnedJob, TranscriptServiceDep
from transcriber.transcripts.exports import MEDIA_TYPES, ExportFormat, ExportOptions
from transcriber.transcripts.schemas import TranscriptRead

router = APIRouter(prefix="/api/v1/jobs", tags=["transcripts"])


@router.get("/{job_id}/transcript", response_model=TranscriptRead, summary="The transcript")
def get_transcript(job: OwnedJob, service: TranscriptServiceDep) -> Any:
    return service.read(job)


@router.get(
    "/{job_id}/transcript.{fmt}",
    response_class=Response,
    summary="Download the transcript as txt, srt, vtt, json, tsv or docx",
)
def download_transcript(
    job: OwnedJob,
    fmt: ExportFormat,
    service: TranscriptServiceDep,
    timestamps: bool = False,
    speakers: bool = True,
    max_chars_per_line: Annotated[int, Query(ge=10, le=200)] = 42,
    max_lines_per_cue: Annotated[int, Query(ge=1, le=5)] = 2,
    max_cue_duration_s: Annotated[float, Query(ge=1.0, le=60.0)] = 7.0,
    karaoke: bool = False,
) -> Response:
    options = ExportOptions(
        timestamps=timestamps,
        speakers=speakers,
        max_chars_per_line=max_chars_per_line,
        max_lines_per_cue=max_lines_per_cue,
        max_cue_duration_s=max_cue_duration_s,
        karaoke=karaoke,
    )
    body, filename = service.export(job, fmt, options)
    return Response(
        content=body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": _attachment(filename)},
    )


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"

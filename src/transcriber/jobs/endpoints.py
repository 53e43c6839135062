from __future__ import annotations

import mimetypes
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from transcriber.dependencies import (
    AuditDep,
    CurrentUser,
    JobServiceDep,
    OwnedJob,
    RuntimeDep,
    UploadServiceDep,
)
from transcriber.jobs.models import Job
from transcriber.jobs.schemas import (
    JobFromUpload,
    JobOptions,
    JobPage,
    JobRead,
    JobStatusFilter,
)
from transcriber.kit.errors import BadRequest, NotFound, PayloadTooLarge, UnsupportedMedia
from transcriber.kit.storage import Storage
from transcriber.kit.validation import readable_validation_error

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

OPTION_FIELDS = set(JobOptions.model_fields)
MULTIPART_OVERHEAD_BYTES = 16 * 1024
JSON_BODY_BYTES = 64 * 1024


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobRead,
    summary="Create a job from a file (multipart `file`) or a finished tus upload (JSON "
    "`upload_id`), with options",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            **{name: {"type": "string"} for name in sorted(OPTION_FIELDS)},
                        },
                    }
                },
                "application/json": {"schema": JobFromUpload.model_json_schema()},
            },
            "required": True,
        }
    },
)
async def create_job(
    request: Request,
    user: CurrentUser,
    service: JobServiceDep,
    uploads: UploadServiceDep,
    runtime: RuntimeDep,
) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() == "application/json":
        body = await _small_json(request)
        return await run_in_threadpool(
            uploads.make_job,
            user,
            body.upload_id,
            body.model_dump(mode="json", exclude_unset=True, exclude={"upload_id"}),
        )
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMedia(
            "Send the media as multipart/form-data with a `file` field "
            "(and options such as `model` or `language` as form fields), or JSON "
            '`{"upload_id": ...}` for a finished tus upload.'
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        # The multipart envelope adds a little to the file's own size.
        file_bytes = max(0, int(declared) - MULTIPART_OVERHEAD_BYTES)
        await run_in_threadpool(service.check_can_upload, user, file_bytes)
    try:
        form = await request.form(max_files=1, max_fields=len(OPTION_FIELDS) + 1)
    except Exception as exc:
        raise BadRequest(f"The multipart body could not be read: {exc}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest("The form has no `file` field with the media to transcribe.")
        unknown = sorted(set(form.keys()) - OPTION_FIELDS - {"file"})
        if unknown:
            raise BadRequest(f"Unknown form fields: {', '.join(unknown)}.")
        raw_options = {k: v for k, v in form.items() if k != "file" and isinstance(v, str)}
        try:
            options = JobOptions.model_validate(raw_options)
        except ValidationError as exc:
            raise readable_validation_error(exc) from exc
        job = await run_in_threadpool(
            service.create_from_stream, user, upload.file, upload.filename, options
        )
    finally:
        await form.close()
    return job


async def _small_json(request: Request) -> JobFromUpload:
    """The JSON body, read up to `JSON_BODY_BYTES` (this path also takes media, so the body
    limit in front of it is the media one)."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > JSON_BODY_BYTES:
            raise PayloadTooLarge(f"A JSON job request is at most {JSON_BODY_BYTES:,} bytes.")
    try:
        return JobFromUpload.model_validate_json(bytes(raw))
    except ValidationError as exc:
        raise readable_validation_error(exc) from exc


@router.get("", response_model=JobPage, summary="My jobs, newest first")
def list_jobs(
    user: CurrentUser,
    service: JobServiceDep,
    status: JobStatusFilter | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    items, next_cursor = service.list_owned(
        user, status=status, query=q, cursor=cursor, limit=limit
    )
    return JobPage(items=[JobRead.model_validate(j) for j in items], next_cursor=next_cursor)


@router.get("/{job_id}", response_model=JobRead, summary="One job")
def get_job(job: OwnedJob) -> Any:
    return job


@router.post("/{job_id}/cancel", response_model=JobRead, summary="Cancel a queued or running job")
def cancel_job(job_id: uuid.UUID, user: CurrentUser, service: JobServiceDep) -> Any:
    return service.cancel(user, job_id)


@router.post(
    "/{job_id}/retry",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Run a failed or cancelled job again",
)
def retry_job(job_id: uuid.UUID, user: CurrentUser, service: JobServiceDep) -> Any:
    return service.retry(user, job_id)


@router.delete(
    "/{job_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a job with its transcript and media",
)
def delete_job(
    job_id: uuid.UUID, user: CurrentUser, service: JobServiceDep, audit: AuditDep
) -> Response:
    service.delete(user, job_id, audit)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{job_id}/media",
    response_class=FileResponse,
    summary="The original media, with HTTP range requests",
)
def get_media(job: OwnedJob, runtime: RuntimeDep) -> FileResponse:
    return media_response(job, runtime.storage)


def media_response(job: Job, storage: Storage) -> FileResponse:
    """The job's original file, inline, with range requests (the player seeks in it)."""
    if not job.media_key or not storage.exists(job.media_key):
        raise NotFound("The original media of this job is no longer kept.")
    media_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
    return FileResponse(
        storage.local_path(job.media_key),
        media_type=media_type,
        filename=job.filename,
        content_disposition_type="inline",
    )

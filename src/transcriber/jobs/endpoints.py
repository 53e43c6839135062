from __future__ import annotations

import json
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
    ReceiverDep,
    RuntimeDep,
)
from transcriber.jobs.models import Job
from transcriber.jobs.schemas import (
    JobCreated,
    JobFromUpload,
    JobFromUrl,
    JobOptions,
    JobPage,
    JobRead,
    JobStatusFilter,
)
from transcriber.kit.errors import (
    BadRequest,
    Gone,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMedia,
)
from transcriber.kit.ranges import RangeStreamResponse
from transcriber.kit.storage import Storage
from transcriber.kit.validation import readable_validation_error

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

OPTION_FIELDS = set(JobOptions.model_fields)
MULTIPART_OVERHEAD_BYTES = 16 * 1024
JSON_JOB_MAX_BYTES = 64 * 1024


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobCreated,
    summary="Create a job from a file (multipart `file`), a finished tus upload (JSON "
    '`{"upload_id": ...}`) or a URL (JSON `{"url": ...}`), with options',
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
                "application/json": {
                    "schema": {
                        "oneOf": [
                            JobFromUpload.model_json_schema(),
                            JobFromUrl.model_json_schema(),
                        ]
                    }
                },
            },
            "required": True,
        }
    },
)
async def create_job(
    request: Request,
    user: CurrentUser,
    service: JobServiceDep,
    uploads: ReceiverDep,
    runtime: RuntimeDep,
) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() == "application/json":
        body = await _small_json(request)
        if isinstance(body, JobFromUpload):
            return await uploads.make_job(
                user,
                body.upload_id,
                body.model_dump(mode="json", exclude_unset=True, exclude={"upload_id"}),
            )
        options = JobOptions.model_validate(body.model_dump(exclude={"url"}))
        return await run_in_threadpool(service.create_from_url, user, body.url, options)
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMedia(
            "Send the media as multipart/form-data with a `file` field (and options such as "
            "`model` or `language` as form fields), or JSON with a finished tus upload's "
            "`upload_id` or the media's `url`."
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


async def _small_json(request: Request) -> JobFromUpload | JobFromUrl:
    """The JSON body, read up to `JSON_JOB_MAX_BYTES` (this path also takes media, so the body
    limit in front of it is the media one): a finished upload's id or a URL, with options."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > JSON_JOB_MAX_BYTES:
            raise PayloadTooLarge(
                f"A JSON job request holds an upload id or a URL and options: at most "
                f"{JSON_JOB_MAX_BYTES:,} bytes."
            )
    try:
        fields = json.loads(bytes(raw))
    except (ValueError, RecursionError) as exc:  # RecursionError: "[[[[..." nested too deep
        raise Unprocessable(f"The body is not valid JSON: {exc}") from None
    if not isinstance(fields, dict) or ("upload_id" in fields) == ("url" in fields):
        raise Unprocessable(
            "Give either `upload_id` (a finished tus upload) or `url` (media to download), "
            "with options."
        )
    schema: type[JobFromUpload] | type[JobFromUrl] = (
        JobFromUpload if "upload_id" in fields else JobFromUrl
    )
    try:
        return schema.model_validate(fields)
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
def get_media(job: OwnedJob, runtime: RuntimeDep) -> Response:
    return media_response(job, runtime.storage)


def media_response(job: Job, storage: Storage) -> Response:
    """The job's original file, inline, with range requests (the player seeks in it): a file
    on this machine is sent by Starlette, object storage is streamed with ranged GETs
    (docs/decisions/0096-media-through-the-api.md)."""
    if job.media_deleted_at is not None:
        raise Gone(job.media_note or "The original media of this job was deleted.")
    missing = NotFound("The original media of this job is no longer kept.")
    if not job.media_key:
        raise missing
    key = job.media_key
    media_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
    path = storage.on_disk(key)
    if path is not None:
        if not path.is_file():
            raise missing
        return FileResponse(
            path, media_type=media_type, filename=job.filename, content_disposition_type="inline"
        )
    try:
        size = storage.size(key)
    except FileNotFoundError:
        raise missing from None
    return RangeStreamResponse(
        lambda start, end: storage.read_range(key, start, end),
        size,
        media_type=media_type,
        filename=job.filename,
    )

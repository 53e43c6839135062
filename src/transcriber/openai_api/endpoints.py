"""POST /v1/audio/transcriptions and /translations, GET /v1/models: OpenAI's audio API."""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from transcriber.asr.catalog import list_models
from transcriber.dependencies import CurrentUser, RuntimeDep
from transcriber.jobs.schemas import JobOptions
from transcriber.kit.errors import BadRequest
from transcriber.kit.validation import readable_validation_error
from transcriber.openai_api.service import (
    OPENAI_MODEL_ALIAS,
    ResponseFormat,
    build_response,
    check_outcome,
    stream_events,
    submit,
    wait_for,
)

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

RESPONSE_FORMATS = ("json", "text", "srt", "verbose_json", "vtt")
MULTIPART = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file", "model"],
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "model": {"type": "string"},
                "language": {"type": "string"},
                "prompt": {"type": "string"},
                "response_format": {"type": "string", "enum": list(RESPONSE_FORMATS)},
                "temperature": {"type": "number"},
                "timestamp_granularities[]": {"type": "array", "items": {"type": "string"}},
                "stream": {"type": "boolean"},
            },
        }
    }
}


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


async def _handle(request: Request, user: CurrentUser, runtime: RuntimeDep, task: str) -> Any:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadRequest("Send multipart/form-data with a `file` field.", param="file")
    try:
        form = await request.form(max_files=1, max_fields=32)
    except Exception as exc:
        raise BadRequest(f"The multipart body could not be read: {exc}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest(
                "You must provide a file to transcribe in the `file` field.", param="file"
            )
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        response_format = fields.get("response_format", "json")
        if response_format not in RESPONSE_FORMATS:
            raise BadRequest(
                f"response_format must be one of {', '.join(RESPONSE_FORMATS)}.",
                param="response_format",
            )
        temperature = fields.get("temperature")
        if temperature is not None:
            try:
                if not 0.0 <= float(temperature) <= 1.0:
                    raise ValueError
            except ValueError:
                raise BadRequest(
                    "temperature must be a number from 0 to 1.", param="temperature"
                ) from None
        granularities = {
            value
            for key in ("timestamp_granularities[]", "timestamp_granularities")
            for value in form.getlist(key)
            if isinstance(value, str)
        }
        if granularities - {"word", "segment"}:
            raise BadRequest(
                "timestamp_granularities are `word` and `segment`.", param="timestamp_granularities"
            )
        if granularities and response_format != "verbose_json":
            raise BadRequest(
                "timestamp_granularities need response_format=verbose_json.",
                param="timestamp_granularities",
            )
        model = fields.get("model", OPENAI_MODEL_ALIAS)
        try:
            options = JobOptions(
                model=None if model == OPENAI_MODEL_ALIAS else model,
                language=fields.get("language") if task == "transcribe" else None,
                task="translate" if task == "translate" else "transcribe",
                word_timestamps="word" in granularities,
                initial_prompt=fields.get("prompt"),
            )
        except ValidationError as exc:
            raise readable_validation_error(exc) from exc
        job_id = await run_in_threadpool(
            submit, runtime, user, upload.file, upload.filename, options
        )
    finally:
        await form.close()
    wait_s = runtime.settings.openai_wait_s
    if _truthy(fields.get("stream")):
        return StreamingResponse(
            stream_events(runtime, job_id, wait_s), media_type="text/event-stream"
        )
    check_outcome(await wait_for(runtime, job_id, wait_s))
    body, media_type = await run_in_threadpool(
        build_response, runtime, job_id, cast(ResponseFormat, response_format), task, granularities
    )
    if media_type == "application/json":
        return JSONResponse(body, headers={"X-Job-Id": str(job_id)})
    return PlainTextResponse(body, media_type=media_type, headers={"X-Job-Id": str(job_id)})


@router.post(
    "/audio/transcriptions",
    summary="OpenAI-compatible transcription (a normal job, waited for)",
    openapi_extra={"requestBody": {"content": MULTIPART, "required": True}},
    response_class=Response,
)
async def transcriptions(request: Request, user: CurrentUser, runtime: RuntimeDep) -> Any:
    return await _handle(request, user, runtime, "transcribe")


@router.post(
    "/audio/translations",
    summary="OpenAI-compatible translation to English",
    openapi_extra={"requestBody": {"content": MULTIPART, "required": True}},
    response_class=Response,
)
async def translations(request: Request, user: CurrentUser, runtime: RuntimeDep) -> Any:
    return await _handle(request, user, runtime, "translate")


@router.get("/models", summary="The model catalog, OpenAI-style")
def models(user: CurrentUser, runtime: RuntimeDep) -> dict[str, Any]:
    names = [OPENAI_MODEL_ALIAS, *(entry.name for entry in list_models(runtime.settings))]
    return {
        "object": "list",
        "data": [
            {"id": name, "object": "model", "created": 0, "owned_by": "whisper-transcriber"}
            for name in names
        ],
    }

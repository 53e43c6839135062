"""tus 1.0 resumable uploads (docs/api.md#resumable-uploads-tus)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from transcriber.dependencies import CurrentUser, ReceiverDep, RuntimeDep, StreamingUser
from transcriber.uploads.service import UploadNotFound
from transcriber.uploads.transfer import response_headers
from transcriber.uploads.tus import TUS_VERSION, discovery_headers

router = APIRouter(prefix="/api/v1/uploads", tags=["uploads"])

TUS_BODY = {
    "requestBody": {
        "content": {"application/offset+octet-stream": {"schema": {"type": "string"}}},
        "required": False,
    }
}


def _upload_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise UploadNotFound() from None


@router.options(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="tus discovery: version, extensions, maximum size, checksum algorithms",
)
def discover(user: CurrentUser, runtime: RuntimeDep) -> Response:
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        headers=discovery_headers(runtime.settings.limits.max_upload_bytes),
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an upload (Upload-Length, Upload-Metadata), optionally with its first bytes",
    openapi_extra=TUS_BODY,
)
async def create_upload(request: Request, user: StreamingUser, receiver: ReceiverDep) -> Response:
    state = await receiver.create(user, request.headers, request.stream())
    return Response(
        status_code=status.HTTP_201_CREATED,
        headers=response_headers(state) | {"Location": f"{router.prefix}/{state.id}"},
    )


@router.head("/{upload_id}", summary="Where an upload stands: Upload-Offset, Upload-Length")
async def upload_status(
    upload_id: str, request: Request, user: StreamingUser, receiver: ReceiverDep
) -> Response:
    state = await receiver.status(user, _upload_id(upload_id), request.headers)
    headers = response_headers(state)
    if state.metadata_header:
        headers["Upload-Metadata"] = state.metadata_header
    return Response(status_code=status.HTTP_200_OK, headers=headers)


@router.patch(
    "/{upload_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Append bytes at Upload-Offset (the last ones make a job when asked)",
    openapi_extra=TUS_BODY,
)
async def append_to_upload(
    upload_id: str, request: Request, user: StreamingUser, receiver: ReceiverDep
) -> Response:
    state = await receiver.patch(user, _upload_id(upload_id), request.headers, request.stream())
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=response_headers(state))


@router.delete(
    "/{upload_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Terminate an upload and delete its bytes",
)
async def terminate_upload(
    upload_id: str, request: Request, user: StreamingUser, receiver: ReceiverDep
) -> Response:
    await receiver.terminate(user, _upload_id(upload_id), request.headers)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"Tus-Resumable": TUS_VERSION})

"""Requests that stream upload bytes (tus POST with a body, PATCH) and DELETE.

A PATCH may stream for an hour, so these hold no database connection while bytes arrive: like a
task, each database step is its own short unit of work (`kit.db.transaction`), run in a thread.
Bytes go to disk in chunks of at most `WRITE_BYTES`, so memory stays flat whatever the size.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

from anyio import to_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from transcriber.audit.service import AuditLog, ClientContext
from transcriber.jobs.models import Job
from transcriber.jobs.source import probe_file
from transcriber.kit.db import transaction
from transcriber.kit.errors import Conflict, TranscriberError
from transcriber.runtime import Runtime
from transcriber.uploads.files import PartialFiles, settle, write_at
from transcriber.uploads.models import Upload
from transcriber.uploads.service import UploadService, upload_too_long
from transcriber.uploads.tus import (
    TUS_VERSION,
    Checksum,
    ChecksumMismatch,
    check_offset_content_type,
    check_version,
    has_body,
    http_date,
    parse_checksum,
    parse_size,
    tus_bad_request,
)
from transcriber.users.models import User

WRITE_BYTES = 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UploadState:
    """What the tus response headers say about an upload."""

    id: uuid.UUID
    status: str
    offset: int
    length: int
    expires_at: datetime
    metadata_header: str | None
    job_id: uuid.UUID | None

    @classmethod
    def of(cls, upload: Upload) -> UploadState:
        return cls(
            id=upload.id,
            status=upload.status,
            offset=upload.offset_bytes,
            length=upload.length_bytes,
            expires_at=upload.expires_at,
            metadata_header=upload.metadata_header,
            job_id=upload.job_id,
        )


class Receiver:
    def __init__(self, runtime: Runtime, context: ClientContext) -> None:
        self.runtime = runtime
        self.context = context
        self.files = PartialFiles(runtime.settings.uploads_dir)

    async def _unit(self, work: Callable[[UploadService], T]) -> T:
        def run() -> T:
            with transaction(self.runtime.sessions) as session:
                service = UploadService(
                    session,
                    self.runtime.settings,
                    self.runtime.storage,
                    self.runtime.dispatcher,
                    AuditLog(session, self.context),
                )
                return work(service)

        return await run_in_threadpool(run)

    async def create(
        self, owner: User, headers: Mapping[str, str], body: AsyncIterator[bytes]
    ) -> UploadState:
        """tus creation, and creation-with-upload when the request brings bytes."""
        check_version(headers)
        if "upload-defer-length" in headers:
            raise tus_bad_request(
                "This server needs Upload-Length at creation (creation-defer-length is not "
                "supported)."
            )
        length = parse_size(headers, "Upload-Length")
        with_body = has_body(headers)
        checksum = None
        if with_body:
            check_offset_content_type(headers)
            checksum = parse_checksum(headers)
        metadata = headers.get("upload-metadata")
        upload = await self._unit(lambda s: UploadState.of(s.create(owner, length, metadata)))
        if not with_body:
            return upload
        return await self._receive(owner, upload.id, 0, headers, body, checksum)

    async def patch(
        self,
        owner: User,
        upload_id: uuid.UUID,
        headers: Mapping[str, str],
        body: AsyncIterator[bytes],
    ) -> UploadState:
        await self._unit(lambda s: s.get_owned(owner, upload_id))  # someone else's: 404 first
        check_version(headers)
        check_offset_content_type(headers)
        offset = parse_size(headers, "Upload-Offset")
        checksum = parse_checksum(headers)
        return await self._receive(owner, upload_id, offset, headers, body, checksum)

    async def status(
        self, owner: User, upload_id: uuid.UUID, headers: Mapping[str, str]
    ) -> UploadState:
        """HEAD. An upload whose bytes are all in is completed first when an earlier completion
        failed halfway (and its job made, if asked), so Upload-Offset = Upload-Length means
        done."""
        upload = await self._unit(lambda s: s.status(owner, upload_id, headers))
        upload = await self._catch_up(owner, upload)
        return await self._job_if_asked(owner, upload)

    async def make_job(
        self, owner: User, upload_id: uuid.UUID, overrides: dict[str, Any] | None
    ) -> Job:
        """`POST /api/v1/jobs {"upload_id"}`, completing first an upload whose completion
        failed halfway."""
        upload = await self._unit(lambda s: s.get_live(owner, upload_id))
        await self._catch_up(owner, upload)
        return await self._unit(lambda s: s.make_job(owner, upload_id, overrides))

    async def terminate(
        self, owner: User, upload_id: uuid.UUID, headers: Mapping[str, str]
    ) -> None:
        upload = await self._unit(lambda s: s.get_owned(owner, upload_id))
        check_version(headers)
        handle = await self._lock(upload_id, upload.filename)
        try:
            await self._unit(lambda s: s.terminate(owner, upload_id))
        finally:
            if handle is not None:
                handle.close()

    async def _lock(self, upload_id: uuid.UUID, filename: str) -> BinaryIO | None:
        path = self.files.path(upload_id, filename)
        return await self.files.lock(upload_id, path, self.runtime.settings.uploads.lock_wait_s)

    async def _receive(
        self,
        owner: User,
        upload_id: uuid.UUID,
        offset: int,
        headers: Mapping[str, str],
        body: AsyncIterator[bytes],
        checksum: Checksum | None,
    ) -> UploadState:
        declared = _content_length(headers)
        upload = await self._unit(lambda s: s.get_live(owner, upload_id))
        handle = await self._lock(upload_id, upload.filename)
        if handle is None:
            # Finished, refused or terminated since: say which.
            await self._unit(lambda s: s.start_patch(owner, upload_id, offset, declared))
            raise Conflict("This upload can no longer be written to.")
        try:
            upload = await self._unit(lambda s: s.start_patch(owner, upload_id, offset, declared))
            length = upload.length_bytes
            end = await self._write(owner, upload, handle, offset, body, checksum)
            if end != offset:
                upload = await self._unit(lambda s: s.record(owner, upload_id, end))
            if end < length:
                return UploadState.of(upload)
            # Also a PATCH of no bytes at the end, after a completion that failed halfway.
            upload = await self._complete(owner, upload_id)
        finally:
            handle.close()
        return await self._job_if_asked(owner, upload)

    async def _catch_up(self, owner: User, upload: Upload) -> Upload:
        """Every byte is in but the upload is still `receiving`: its completion failed
        halfway (storage down, a crash). Complete it now, under the lock."""
        if upload.status != "receiving" or upload.offset_bytes < upload.length_bytes:
            return upload
        handle = await self._lock(upload.id, upload.filename)
        try:
            return await self._complete(owner, upload.id)
        finally:
            if handle is not None:
                handle.close()

    async def _complete(self, owner: User, upload_id: uuid.UUID) -> Upload:
        """After the last byte, with the lock held: probe, check the quotas again, store. The
        slow parts (the probe, the copy into storage) run outside any transaction; a refusal
        is kept (`rejected`) and raised. Safe to run again after it failed halfway."""
        finishing = await self._unit(lambda s: s.finishing(owner, upload_id))
        if finishing is None:  # completed (or refused) meanwhile
            return await self._unit(lambda s: s.get_live(owner, upload_id))
        settings = self.runtime.settings
        try:
            info = await to_thread.run_sync(probe_file, settings, finishing.path)
        except TranscriberError as exc:
            error = exc
            await self._unit(lambda s: s.refuse(owner, upload_id, error))
            raise
        await self._unit(lambda s: s.check_completion(owner, upload_id, info))
        # Local storage: a hard link, not a second copy of a file that may be gigabytes.
        await to_thread.run_sync(self.runtime.storage.save_file, finishing.key, finishing.path)
        return await self._unit(lambda s: s.mark_completed(owner, upload_id, finishing.key, info))

    async def _job_if_asked(self, owner: User, upload: Upload) -> UploadState:
        """The job of a completed upload whose metadata asked for one (`create_job`)."""
        if upload.status != "completed" or not upload.create_job or upload.job_id is not None:
            return UploadState.of(upload)
        job = await self._unit(lambda s: s.make_job(owner, upload.id))
        return _with_job(upload, job.id)

    async def _write(
        self,
        owner: User,
        upload: Upload,
        handle: BinaryIO,
        offset: int,
        body: AsyncIterator[bytes],
        checksum: Checksum | None,
    ) -> int:
        """Stream the body to the file from `offset`; returns the new end. Bytes past the
        declared length or failing the checksum are dropped with a 413 / 460; a dropped
        connection keeps what arrived (unless a checksum was promised for the whole body)."""
        hasher = checksum.hasher() if checksum else None
        position = offset
        pending = bytearray()
        try:
            async for chunk in body:
                if position + len(pending) + len(chunk) > upload.length_bytes:
                    raise upload_too_long(upload)
                pending += chunk
                if len(pending) >= WRITE_BYTES:
                    data = bytes(pending)
                    pending.clear()
                    await to_thread.run_sync(write_at, handle, position, data, hasher)
                    position += len(data)
            if pending:
                await to_thread.run_sync(write_at, handle, position, bytes(pending), hasher)
                position += len(pending)
                pending.clear()
        except ClientDisconnect:
            # Keep what arrived so the client resumes from there, unless it promised a checksum
            # of the whole body, which these bytes can no longer prove.
            if pending and hasher is None:
                await to_thread.run_sync(write_at, handle, position, bytes(pending), None)
                position += len(pending)
            kept = position if hasher is None else offset
            await to_thread.run_sync(settle, handle, kept)
            if kept != offset:
                await self._unit(lambda s: s.record(owner, upload.id, kept))
            raise
        except BaseException:
            await to_thread.run_sync(settle, handle, offset)
            raise
        if checksum is not None and hasher is not None and hasher.digest() != checksum.digest:
            await to_thread.run_sync(settle, handle, offset)
            raise ChecksumMismatch(
                f"The {checksum.algorithm} checksum of the bytes received does not match "
                "Upload-Checksum; they were discarded. Send them again.",
            )
        await to_thread.run_sync(settle, handle, position)
        return position


def _with_job(upload: Upload, job_id: uuid.UUID) -> UploadState:
    state = UploadState.of(upload)
    return UploadState(
        id=state.id,
        status="used",
        offset=state.offset,
        length=state.length,
        expires_at=state.expires_at,
        metadata_header=state.metadata_header,
        job_id=job_id,
    )


def _content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def response_headers(state: UploadState) -> dict[str, str]:
    headers = {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(state.offset),
        "Upload-Length": str(state.length),
        "Cache-Control": "no-store",
    }
    if state.status in ("receiving", "completed"):
        headers["Upload-Expires"] = http_date(state.expires_at)
    if state.job_id is not None:
        headers["Upload-Job-Id"] = str(state.job_id)
    return headers

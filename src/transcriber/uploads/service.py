"""The rules of tus uploads: who may upload what, when an upload is finished, refused, used or
expired. Services flush; callers commit. The byte streaming itself is in `transfer.py`."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from transcriber.asr.types import MediaInfo
from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.schemas import JobOptions
from transcriber.jobs.service import (
    Dispatcher,
    JobService,
    StoredMedia,
    delete_media_after_commit,
    media_key,
)
from transcriber.kit.db import keep_on_error, transaction, utcnow
from transcriber.kit.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    TranscriberError,
    Unprocessable,
)
from transcriber.kit.filenames import clean_filename
from transcriber.kit.storage import Storage, storage_from_settings
from transcriber.kit.validation import readable_validation_error
from transcriber.realtime.service import EventService
from transcriber.uploads.files import PartialFiles
from transcriber.uploads.models import Upload
from transcriber.uploads.repository import UploadRepository
from transcriber.uploads.tus import (
    TUS_VERSION,
    TusError,
    check_version,
    parse_metadata,
    tus_bad_request,
)
from transcriber.usage.service import UsageService, storage_quota_exceeded
from transcriber.users.models import User
from transcriber.worker.enqueue import after_commit

log = logging.getLogger(__name__)

OPTION_FIELDS = frozenset(JobOptions.model_fields)
# The metadata key that asks for a job as soon as the last byte is in.
CREATE_JOB_KEY = "create_job"
_TRUE = frozenset({"", "1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
EXPIRE_BATCH = 500


class UploadGone(TusError):
    status_code = 410


class UploadNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Upload not found.", headers={"Tus-Resumable": TUS_VERSION})


@dataclass(frozen=True, slots=True)
class Finishing:
    """An upload whose every byte is in and not yet completed: where its bytes are and the
    storage key they go to."""

    path: Path
    key: str


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    unfinished: int
    unused: int
    forgotten: int
    orphans: int


class UploadService:
    def __init__(
        self,
        session: Session,
        settings: Settings,
        storage: Storage,
        dispatcher: Dispatcher,
        audit: AuditLog | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.storage = storage
        self.uploads = UploadRepository(session)
        self.jobs = JobService(session, settings, storage, dispatcher)
        self.files = PartialFiles(settings.uploads_dir)
        self.audit = audit or AuditLog(session)
        self.events = EventService(session, settings)

    # -- creation -------------------------------------------------------------------------

    def create(self, owner: User, length: int, metadata_header: str | None) -> Upload:
        """Check everything knowable before the first byte (size, quota, options), then make
        the upload and its empty file."""
        metadata = parse_metadata(metadata_header)
        filename = clean_filename(metadata.get("filename") or metadata.get("name"))
        options = self._options(metadata)
        self.jobs.check_options(options)
        create_job = _flag(metadata.get(CREATE_JOB_KEY))
        if create_job and options.callback_url:
            raise Unprocessable(
                "callback_url cannot be combined with create_job: the callback's signing "
                "secret is shown only in the job's creation response, which a tus client never "
                "sees. Upload without create_job, then make the job with POST /api/v1/jobs "
                '{"upload_id": ..., "callback_url": ...}.',
                headers={"Tus-Resumable": TUS_VERSION},
            )
        if length == 0:
            raise TusError(
                f"'{filename}' is empty (0 bytes): there is nothing to transcribe.",
                status_code=422,
            )
        limit = self.settings.limits.max_upload_bytes
        if length > limit:
            raise PayloadTooLarge(
                f"The file ({length:,} bytes) is larger than this server's limit of "
                f"{limit:,} bytes (Tus-Max-Size).",
                headers={"Tus-Resumable": TUS_VERSION},
                limit="max_upload_bytes",
                maximum=limit,
            )
        self.check_storage(owner, length, None)
        now = utcnow()
        upload = Upload(
            id=uuid.uuid4(),
            owner_id=owner.id,
            status="receiving",
            filename=filename,
            length_bytes=length,
            offset_bytes=0,
            metadata_header=metadata_header.strip() if metadata_header else None,
            options=options.model_dump(mode="json", exclude_unset=True),
            create_job=create_job,
            expires_at=now + timedelta(seconds=self.settings.uploads.expire_after_s),
        )
        self.session.add(upload)
        self.session.flush()
        self.files.create(upload.id, filename)
        return upload

    def check_storage(self, owner: User, length: int, upload_id: uuid.UUID | None) -> None:
        """The storage quota, counting what the owner's other unfinished or unused uploads
        will take."""
        left = UsageService(self.session, self.settings).storage_left(owner)
        if left is None:
            return
        left = max(0, left - self.uploads.reserved_bytes(owner.id, excluding=upload_id))
        if length > left:
            error = storage_quota_exceeded(left)
            error.headers["Tus-Resumable"] = TUS_VERSION
            raise error

    def _options(self, metadata: dict[str, str]) -> JobOptions:
        given = {key: value for key, value in metadata.items() if key in OPTION_FIELDS}
        try:
            return JobOptions.model_validate(given)
        except ValidationError as exc:
            error = readable_validation_error(exc)
            error.headers["Tus-Resumable"] = TUS_VERSION
            raise error from exc

    # -- reading --------------------------------------------------------------------------

    def get_owned(self, owner: User, upload_id: uuid.UUID) -> Upload:
        upload = self.uploads.get_for_owner(upload_id, owner.id)
        if upload is None:
            raise UploadNotFound()
        return upload

    def get_live(self, owner: User, upload_id: uuid.UUID) -> Upload:
        """An upload that can still be written to or used: 410 once refused or expired."""
        upload = self.get_owned(owner, upload_id)
        if upload.status == "rejected":
            raise UploadGone(f"This upload was refused: {upload.error}", reason=upload.error)
        if upload.status in ("receiving", "completed") and upload.expires_at <= utcnow():
            raise UploadGone(
                "This upload expired and its bytes were deleted; upload the file again."
            )
        return upload

    def status(self, owner: User, upload_id: uuid.UUID, headers: Mapping[str, str]) -> Upload:
        """For HEAD: someone else's is 404 before any header rule is told."""
        self.get_owned(owner, upload_id)
        check_version(headers)
        return self.get_live(owner, upload_id)

    # -- receiving ------------------------------------------------------------------------

    def start_patch(
        self, owner: User, upload_id: uuid.UUID, offset: int, declared_bytes: int | None
    ) -> Upload:
        upload = self.get_live(owner, upload_id)
        if upload.status != "receiving":
            raise Conflict(
                "This upload is already complete; nothing more can be added to it.",
                headers={"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(upload.offset_bytes)},
            )
        if offset != upload.offset_bytes:
            raise Conflict(
                f"Upload-Offset is {offset:,} but the server holds {upload.offset_bytes:,} "
                "bytes of this upload; resume from the offset a HEAD request gives.",
                headers={"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(upload.offset_bytes)},
            )
        if declared_bytes is not None and offset + declared_bytes > upload.length_bytes:
            raise upload_too_long(upload)
        # A PATCH may stream for hours: the expiry counts from its start too, not only its end.
        upload.expires_at = self._expiry()
        self.session.flush()
        return upload

    def _expiry(self) -> datetime:
        return utcnow() + timedelta(seconds=self.settings.uploads.expire_after_s)

    def record(self, owner: User, upload_id: uuid.UUID, offset: int) -> Upload:
        """Bytes up to `offset` are on disk; the upload lives on for another expiry period."""
        upload = self.get_owned(owner, upload_id)
        upload.offset_bytes = offset
        upload.expires_at = self._expiry()
        self.session.flush()
        if offset < upload.length_bytes:  # the last bytes: completion (or refusal) tells
            self._tell(upload)
        return upload

    def _tell(self, upload: Upload, status: str | None = None) -> None:
        self.events.upload_progress(
            upload.owner_id,
            upload.id,
            filename=upload.filename,
            offset_bytes=upload.offset_bytes,
            length_bytes=upload.length_bytes,
            status=status or upload.status,
        )

    # Completion runs in steps, each database step a short unit of work of its own
    # (`transfer.Receiver.complete`): `finishing`, then the probe outside any transaction,
    # `check_completion`, the copy into storage (a 1 GiB object upload) outside any
    # transaction, then `mark_completed`. The caller holds the upload's file lock throughout.

    def finishing(self, owner: User, upload_id: uuid.UUID) -> Finishing | None:
        """Where the bytes are and go when every byte is in but the upload is not completed
        (after the last PATCH, or when an earlier completion failed halfway); else None."""
        upload = self.get_live(owner, upload_id)
        if upload.status != "receiving" or upload.offset_bytes < upload.length_bytes:
            return None
        return Finishing(
            self.files.path(upload.id, upload.filename),
            media_key(owner.id, upload.id, upload.filename),
        )

    def refuse(self, owner: User, upload_id: uuid.UUID, error: TranscriberError) -> None:
        """The probe refused the bytes: keep the refusal and raise its reason."""
        self.reject(owner, self.get_owned(owner, upload_id), error)
        raise error

    def check_completion(self, owner: User, upload_id: uuid.UUID, info: MediaInfo) -> None:
        """The quotas again, now that the duration is known (refused: deleted and raised)."""
        upload = self.get_owned(owner, upload_id)
        try:
            UsageService(self.session, self.settings).check_audio_minutes(owner, info.duration_s)
            self.check_storage(owner, upload.length_bytes, upload.id)
        except TranscriberError as exc:
            self.reject(owner, upload, exc)
            raise

    def mark_completed(
        self, owner: User, upload_id: uuid.UUID, key: str, info: MediaInfo
    ) -> Upload:
        """The bytes are in storage as `key`: the upload waits for its job."""
        upload = self.get_owned(owner, upload_id)
        now = utcnow()
        upload.status = "completed"
        upload.media_key = key
        upload.duration_s = info.duration_s
        upload.container = info.container
        upload.completed_at = now
        upload.expires_at = self._expiry()
        self.session.flush()
        self._tell(upload)
        upload_folder = upload.id
        after_commit(self.session, lambda: self.files.delete(upload_folder))
        return upload

    def reject(self, owner: User, upload: Upload, error: TranscriberError) -> None:
        """Keep the reason, delete the bytes, and leave an audit row, even though the request
        ends in the error."""
        upload.status = "rejected"
        upload.error = error.detail[:2000]
        self.audit.record(
            "upload.rejected",
            actor=owner,
            target_type="upload",
            target_id=upload.id,
            filename=upload.filename,
            bytes=upload.length_bytes,
            status=error.status_code,
            reason=error.detail[:500],
        )
        self.session.flush()
        self._tell(upload)
        keep_on_error(self.session)
        self.files.delete(upload.id)
        error.headers.setdefault("Tus-Resumable", TUS_VERSION)

    # -- jobs -----------------------------------------------------------------------------

    def make_job(
        self, owner: User, upload_id: uuid.UUID, overrides: dict[str, Any] | None = None
    ) -> Job:
        """A job from a completed upload, with its metadata's options (and `overrides`)."""
        upload = self.get_live(owner, upload_id)
        if upload.status == "receiving":
            raise Conflict(
                f"This upload is not finished: {upload.offset_bytes:,} of "
                f"{upload.length_bytes:,} bytes arrived. Send the rest first."
            )
        if upload.status == "used" or not self.uploads.mark_used(upload.id):
            self.session.refresh(upload)
            raise Conflict(
                "A job was already made from this upload; each upload makes one job.",
                job_id=str(upload.job_id) if upload.job_id else None,
            )
        try:
            options = JobOptions.model_validate(upload.options | (overrides or {}))
        except ValidationError as exc:
            raise readable_validation_error(exc) from exc
        assert upload.media_key is not None and upload.duration_s is not None
        job = self.jobs.create_from_media(
            owner,
            StoredMedia(upload.media_key, upload.length_bytes, upload.duration_s, upload.container),
            upload.filename,
            options,
        )
        self.session.refresh(upload)
        upload.job_id = job.id
        self.session.flush()
        return job

    # -- termination and expiry -------------------------------------------------------------

    def terminate(self, owner: User, upload_id: uuid.UUID) -> None:
        """Forget the upload and delete its bytes (a job made from it keeps its media)."""
        upload = self.get_owned(owner, upload_id)
        if not self._forget(upload):
            raise Conflict(
                "This upload changed while it was being deleted (a job was just made from "
                "it); send the DELETE again.",
                headers={"Tus-Resumable": TUS_VERSION},
            )
        self._tell(upload, status="terminated")  # the row is gone; the other tabs hear it

    def _forget(self, upload: Upload) -> bool:
        """Delete the row if it still has the status it was read with, then (after the
        commit) its bytes, and its media if no job took it. False when the row changed since
        (a job made from it meanwhile needs that media): nothing is deleted."""
        folder = upload.id
        unused_media = upload.media_key if upload.status == "completed" else None
        if not self.uploads.delete_if_status(upload.id, upload.status):
            return False
        self.session.expunge(upload)
        after_commit(self.session, lambda: self.files.delete(folder))
        if unused_media:
            delete_media_after_commit(self.session, self.storage, key=unused_media)
        return True

    def delete_files_of(self, owner_id: uuid.UUID) -> None:
        """The partial bytes of every upload of someone whose account is being deleted, once
        that deletion is committed (the rows go with the account)."""
        folders = self.uploads.ids_of_owner(owner_id)

        def delete_folders() -> None:
            for folder in folders:
                self.files.delete(folder)

        after_commit(self.session, delete_folders)

    def expire(self) -> ExpiryReport:
        """Uploads past their expiry go with their bytes: unfinished ones, finished ones never
        made into a job, and the rows of used or refused ones. Folders without a row (a crash
        between file and row) go once they are older than the expiry."""
        now = utcnow()
        unfinished = unused = forgotten = 0
        for upload in self.uploads.expired(now, EXPIRE_BATCH):
            # A request holds its lock (a PATCH still streaming): not while it writes.
            if self.files.busy(upload.id, upload.filename) or not self._forget(upload):
                continue
            if upload.status == "receiving":
                unfinished += 1
            elif upload.status == "completed":
                unused += 1
            else:
                forgotten += 1
        on_disk = self.files.known_ids()
        stale_before = time.time() - self.settings.uploads.expire_after_s
        known = self.uploads.existing_ids([upload_id for upload_id, _ in on_disk])
        orphans = [
            upload_id
            for upload_id, changed in on_disk
            if upload_id not in known and changed < stale_before
        ]
        for upload_id in orphans:
            self.files.delete(upload_id)
        return ExpiryReport(unfinished, unused, forgotten, len(orphans))


def upload_too_long(upload: Upload) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request carries more bytes than the {upload.length_bytes:,} this upload "
        "declared in Upload-Length.",
        headers={"Tus-Resumable": TUS_VERSION},
        limit="upload_length",
    )


def _flag(value: str | None) -> bool:
    if value is None:
        return False
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise tus_bad_request(f"Upload-Metadata {CREATE_JOB_KEY} must be true or false.")


# -- unit of work for the scheduler's maintenance --------------------------------------------


def expire_uploads(
    sessions: sessionmaker[Session], settings: Settings, dispatcher: Dispatcher
) -> ExpiryReport:
    """Delete expired uploads and their bytes; called by `jobs.scheduler.maintain` in the one
    process that holds the maintenance lease (one indexed query when nothing expired)."""
    with transaction(sessions) as session:
        report = UploadService(
            session, settings, storage_from_settings(settings), dispatcher
        ).expire()
    if report.unfinished or report.unused or report.orphans:
        log.info("expired uploads deleted: %s", report)
    return report

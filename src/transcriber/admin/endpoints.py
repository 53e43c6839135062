"""Admin-only routes: every one depends on AdminUser (403 for anyone else)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import FileResponse
from pydantic import BaseModel

from transcriber.admin.schemas import (
    AppSettingsRead,
    AppSettingsUpdate,
    AuditPage,
    InviteCreate,
    InviteCreated,
    PasswordReset,
    UserCreate,
    UserRead,
    UserUpdate,
)
from transcriber.admin.service import AppSettingsService
from transcriber.backups.service import BackupService
from transcriber.dependencies import (
    AdminUser,
    AuditDep,
    AuthServiceDep,
    JobServiceDep,
    RuntimeDep,
    SessionDep,
    TranscriptServiceDep,
)
from transcriber.jobs.endpoints import media_response
from transcriber.jobs.models import Job
from transcriber.jobs.schemas import JobPage, JobRead
from transcriber.jobs.service import delete_media_after_commit
from transcriber.kit.errors import Conflict, NotFound
from transcriber.kit.validation import MAX_ROW_NUMBER
from transcriber.transcripts.schemas import TranscriptRead
from transcriber.uploads.service import UploadService
from transcriber.usage.endpoints import StatsRead, stats_of
from transcriber.users.service import UserService

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


def _users(session: SessionDep, runtime: RuntimeDep, audit: AuditDep) -> UserService:
    return UserService(session, runtime.settings, audit)


@router.get("/users", response_model=list[UserRead], summary="All accounts")
def list_users(
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    audit: AuditDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_NUMBER)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    return _users(session, runtime, audit).search(q, offset, limit)


@router.post(
    "/users", response_model=UserRead, status_code=status.HTTP_201_CREATED, summary="Add a user"
)
def create_user(
    data: UserCreate, admin: AdminUser, session: SessionDep, runtime: RuntimeDep, audit: AuditDep
) -> Any:
    return _users(session, runtime, audit).create(
        data.email, data.password, role=data.role, actor=admin
    )


@router.get("/users/{user_id}", response_model=UserRead, summary="One account")
def get_user(
    user_id: uuid.UUID, admin: AdminUser, session: SessionDep, runtime: RuntimeDep, audit: AuditDep
) -> Any:
    return _users(session, runtime, audit).get(user_id)


@router.get(
    "/users/{user_id}/stats", response_model=StatsRead, summary="A user's usage against quotas"
)
def get_user_stats(
    user_id: uuid.UUID, admin: AdminUser, session: SessionDep, runtime: RuntimeDep, audit: AuditDep
) -> StatsRead:
    return stats_of(_users(session, runtime, audit).get(user_id), session, runtime.settings)


@router.patch("/users/{user_id}", response_model=UserRead, summary="Change role, state or quotas")
def update_user(
    user_id: uuid.UUID,
    data: UserUpdate,
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    audit: AuditDep,
    auth: AuthServiceDep,
) -> Any:
    users = _users(session, runtime, audit)
    user = users.get(user_id)
    user = users.update(admin, user, changes=data.model_dump(exclude_unset=True))
    if not user.is_active:
        auth.end_sessions(user, "disabled")
    return user


@router.post(
    "/users/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password for a user (their sessions end)",
)
def reset_password(
    user_id: uuid.UUID,
    data: PasswordReset,
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    audit: AuditDep,
    auth: AuthServiceDep,
) -> Response:
    users = _users(session, runtime, audit)
    user = users.get(user_id)
    users.set_password(user, data.password)
    auth.end_sessions(user, "password_reset")
    audit.record("user.password_reset", actor=admin, target_type="user", target_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user with all their jobs, transcripts and media",
)
def delete_user(
    user_id: uuid.UUID, admin: AdminUser, session: SessionDep, runtime: RuntimeDep, audit: AuditDep
) -> Response:
    users = _users(session, runtime, audit)
    user = users.get(user_id)
    if user.id == admin.id:
        raise Conflict("You cannot delete your own account here.")
    prefix = str(user.id)
    UploadService(session, runtime.settings, runtime.storage, runtime.dispatcher).delete_files_of(
        user.id
    )
    users.delete(admin, user)
    delete_media_after_commit(session, runtime.storage, prefix=prefix)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/jobs", response_model=JobPage, summary="Everyone's jobs, newest first")
def list_all_jobs(
    admin: AdminUser,
    service: JobServiceDep,
    owner_id: uuid.UUID | None = None,
    status_filter: Annotated[str | None, Query(alias="status", max_length=16)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    items, next_cursor = service.list_all(
        owner_id=owner_id, status=status_filter, cursor=cursor, limit=limit
    )
    return JobPage(items=[JobRead.model_validate(j) for j in items], next_cursor=next_cursor)


def _any_job(job_id: uuid.UUID, session: SessionDep) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("Job not found.")
    return job


@router.get("/jobs/{job_id}", response_model=JobRead, summary="Anyone's job")
def get_any_job(job_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> Any:
    return _any_job(job_id, session)


@router.get(
    "/jobs/{job_id}/transcript", response_model=TranscriptRead, summary="Anyone's transcript"
)
def get_any_transcript(
    job_id: uuid.UUID, admin: AdminUser, session: SessionDep, transcripts: TranscriptServiceDep
) -> Any:
    return transcripts.read(_any_job(job_id, session))


@router.get(
    "/jobs/{job_id}/media",
    response_class=FileResponse,
    summary="Anyone's original media, with HTTP range requests",
)
def get_any_media(
    job_id: uuid.UUID, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> Response:
    return media_response(_any_job(job_id, session), runtime.storage)


@router.delete(
    "/jobs/{job_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete anyone's job"
)
def delete_any_job(
    job_id: uuid.UUID,
    admin: AdminUser,
    session: SessionDep,
    service: JobServiceDep,
    audit: AuditDep,
) -> Response:
    service.delete_job(_any_job(job_id, session), audit, actor=admin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", response_model=AuditPage, summary="The audit log, newest first")
def read_audit(
    admin: AdminUser,
    audit: AuditDep,
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: uuid.UUID | None = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_NUMBER)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    from transcriber.admin.schemas import AuditEventRead

    rows = audit.search(
        action=action,
        actor_id=actor_id,
        target_id=target_id,
        since=since,
        until=until,
        before_id=before_id,
        limit=limit + 1,
    )
    page = rows[:limit]
    return AuditPage(
        items=[AuditEventRead.model_validate(r) for r in page],
        next_before_id=page[-1].id if len(rows) > limit else None,
    )


@router.get("/settings", response_model=AppSettingsRead, summary="Settings changed in the app")
def read_settings(admin: AdminUser, session: SessionDep, runtime: RuntimeDep) -> Any:
    return AppSettingsService(session, runtime.settings).snapshot()


@router.patch("/settings", response_model=AppSettingsRead, summary="Change app settings")
def update_settings(
    data: AppSettingsUpdate,
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    audit: AuditDep,
) -> Any:
    return AppSettingsService(session, runtime.settings).update(
        admin, data.model_dump(exclude_unset=True), audit
    )


@router.post(
    "/invites",
    response_model=InviteCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Make an invite link token (shown once)",
)
def create_invite(data: InviteCreate, admin: AdminUser, auth: AuthServiceDep) -> InviteCreated:
    invite, token = auth.create_invite(admin, data.email, data.role, data.expires_in_s)
    return InviteCreated(
        id=invite.id,
        token=token,
        email=invite.email,
        role=invite.role,
        expires_at=invite.expires_at,
    )


class BackupRead(BaseModel):
    name: str
    size_bytes: int
    created_at: datetime


@router.get("/backups", response_model=list[BackupRead], summary="Backups in the data dir")
def list_backups(admin: AdminUser, runtime: RuntimeDep) -> Any:
    return [BackupRead(**asdict(b)) for b in BackupService(runtime.settings).list()]


@router.post(
    "/backups",
    response_model=BackupRead,
    status_code=status.HTTP_201_CREATED,
    summary="Make a backup now (database snapshot, media, signing key)",
)
def create_backup(admin: AdminUser, runtime: RuntimeDep, audit: AuditDep) -> Any:
    info = BackupService(runtime.settings).create()
    audit.record(
        "backup.created",
        actor=admin,
        target_type="backup",
        target_id=info.name,
        size_bytes=info.size_bytes,
    )
    return BackupRead(**asdict(info))


@router.get("/backups/{name}", response_class=FileResponse, summary="Download a backup archive")
def download_backup(name: str, admin: AdminUser, runtime: RuntimeDep) -> FileResponse:
    path = BackupService(runtime.settings).path_of(name)
    return FileResponse(path, media_type="application/gzip", filename=path.name)

"""Typed dependencies so routes read like sentences: `job: OwnedJob, service: JobServiceDep`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.service import JobService
from transcriber.kit.db import transaction
from transcriber.kit.errors import Forbidden
from transcriber.runtime import Runtime
from transcriber.transcripts.service import TranscriptService
from transcriber.users.models import User
from transcriber.users.service import get_or_create_local_user


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, or rolled back."""
    with transaction(runtime.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_current_user(session: SessionDep) -> User:
    return get_or_create_local_user(session)


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_admin_user(user: CurrentUser) -> User:
    if user.role != "admin":
        raise Forbidden("This needs an administrator account.")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


def get_job_service(session: SessionDep, runtime: RuntimeDep) -> JobService:
    return JobService(session, runtime.settings, runtime.storage, runtime.dispatcher)


JobServiceDep = Annotated[JobService, Depends(get_job_service)]


def get_transcript_service(session: SessionDep) -> TranscriptService:
    return TranscriptService(session)


TranscriptServiceDep = Annotated[TranscriptService, Depends(get_transcript_service)]


def get_owned_job(job_id: uuid.UUID, user: CurrentUser, service: JobServiceDep) -> Job:
    return service.get_owned(user, job_id)


OwnedJob = Annotated[Job, Depends(get_owned_job)]

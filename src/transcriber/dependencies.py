"""Typed dependencies so routes read like sentences: `job: OwnedJob, service: JobServiceDep`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session

from transcriber.api_keys.service import ApiKeyService
from transcriber.audit.service import AuditLog, ClientContext
from transcriber.auth.principal import Principal
from transcriber.auth.service import AuthService
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.service import JobService
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.errors import Forbidden, Unauthorized
from transcriber.runtime import Runtime
from transcriber.transcripts.service import ShareService, TranscriptService
from transcriber.uploads.transfer import Receiver
from transcriber.users.models import User


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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACCESS_COOKIE = "transcriber_access"


def get_client_context(request: Request, runtime: RuntimeDep) -> ClientContext:
    ip = request.client.host if request.client else None
    if runtime.settings.auth.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for", "")
        ip = forwarded.split(",")[0].strip() or ip
    return ClientContext(ip=ip, user_agent=request.headers.get("user-agent"))


ClientContextDep = Annotated[ClientContext, Depends(get_client_context)]


def get_audit(session: SessionDep, context: ClientContextDep) -> AuditLog:
    return AuditLog(session, context)


AuditDep = Annotated[AuditLog, Depends(get_audit)]


def get_auth_service(session: SessionDep, runtime: RuntimeDep, audit: AuditDep) -> AuthService:
    return AuthService(session, runtime.settings, runtime.secret_key, runtime.limiter, audit)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


def bearer_credential(request: Request) -> str | None:
    """`Authorization: Bearer <token or key>`; the web app's cookie only for safe methods, so
    a cross-site form can never change anything."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthorized(
                "Send the token as `Authorization: Bearer <token>`.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return credential.strip()
    if request.method in SAFE_METHODS:
        return request.cookies.get(ACCESS_COOKIE)
    return None


def _touch_api_key(runtime: Runtime, key_id: uuid.UUID) -> None:
    with transaction(runtime.sessions) as session:
        ApiKeyService(session, AuditLog(session)).touch(key_id, utcnow())


def get_principal(
    request: Request, auth: AuthServiceDep, runtime: RuntimeDep, background: BackgroundTasks
) -> Principal:
    credential = bearer_credential(request)
    if not credential:
        raise Unauthorized(
            "Sign in first: send `Authorization: Bearer <access token or API key>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = auth.authenticate(credential)
    if principal.scope == "read" and request.method not in SAFE_METHODS:
        raise Forbidden("This API key is read-only; use a read-write key to change things.")
    runtime.limiter.hit(
        runtime.settings.auth.api_rate_limit,
        "api",
        principal.rate_key,
        message="Too many requests; slow down.",
    )
    if principal.api_key is not None:
        # After the response: a key's last-used time is a hint, not worth request latency.
        background.add_task(_touch_api_key, runtime, principal.api_key.id)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_current_user(principal: PrincipalDep) -> User:
    return principal.user


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


def get_share_service(session: SessionDep) -> ShareService:
    return ShareService(session)


ShareServiceDep = Annotated[ShareService, Depends(get_share_service)]


def get_owned_job(job_id: uuid.UUID, user: CurrentUser, service: JobServiceDep) -> Job:
    return service.get_owned(user, job_id)


OwnedJob = Annotated[Job, Depends(get_owned_job)]


def get_streaming_user(user: CurrentUser, session: SessionDep) -> User:
    """The caller, for a request that streams a long body: the sign-in check's unit of work
    ends here, so no database connection is held while the bytes arrive."""
    session.commit()
    return user


StreamingUser = Annotated[User, Depends(get_streaming_user)]


def get_receiver(runtime: RuntimeDep, context: ClientContextDep) -> Receiver:
    """Upload requests that run their database steps as short units of work of their own."""
    return Receiver(runtime, context)


ReceiverDep = Annotated[Receiver, Depends(get_receiver)]

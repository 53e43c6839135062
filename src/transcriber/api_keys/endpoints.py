from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response, status

from transcriber.api_keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from transcriber.api_keys.service import ApiKeyService
from transcriber.dependencies import AuditDep, CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])


@router.get("", response_model=list[ApiKeyRead], summary="My API keys (never their secrets)")
def list_keys(user: CurrentUser, session: SessionDep, audit: AuditDep) -> Any:
    return ApiKeyService(session, audit).list(user)


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key; the secret is in this response only",
)
def create_key(data: ApiKeyCreate, user: CurrentUser, session: SessionDep, audit: AuditDep) -> Any:
    key, secret = ApiKeyService(session, audit).create(user, data)
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), secret=secret)


@router.delete(
    "/{key_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke an API key at once"
)
def revoke_key(
    key_id: uuid.UUID, user: CurrentUser, session: SessionDep, audit: AuditDep
) -> Response:
    ApiKeyService(session, audit).revoke(user, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

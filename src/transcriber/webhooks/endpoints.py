from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from transcriber.dependencies import AuditDep, CurrentUser, SessionDep, SettingsDep
from transcriber.webhooks.schemas import (
    DeliveryPage,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from transcriber.webhooks.service import WebhookService

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


def get_webhook_service(
    session: SessionDep, settings: SettingsDep, audit: AuditDep
) -> WebhookService:
    return WebhookService(session, settings, audit)


WebhookServiceDep = Annotated[WebhookService, Depends(get_webhook_service)]


@router.get("", response_model=list[WebhookRead], summary="My webhooks (never their secrets)")
def list_webhooks(user: CurrentUser, service: WebhookServiceDep) -> Any:
    return service.list_owned(user)


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook; its signing secret is in this response only",
)
def create_webhook(data: WebhookCreate, user: CurrentUser, service: WebhookServiceDep) -> Any:
    webhook = service.create(user, data)
    return WebhookCreated(**WebhookRead.model_validate(webhook).model_dump(), secret=webhook.secret)


@router.get("/{webhook_id}", response_model=WebhookRead, summary="One webhook")
def get_webhook(webhook_id: uuid.UUID, user: CurrentUser, service: WebhookServiceDep) -> Any:
    return service.get_owned(user, webhook_id)


@router.patch("/{webhook_id}", response_model=WebhookRead, summary="Change a webhook")
def update_webhook(
    webhook_id: uuid.UUID, data: WebhookUpdate, user: CurrentUser, service: WebhookServiceDep
) -> Any:
    return service.update(user, webhook_id, data)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook and its deliveries",
)
def delete_webhook(
    webhook_id: uuid.UUID, user: CurrentUser, service: WebhookServiceDep
) -> Response:
    service.delete(user, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    summary="A webhook's deliveries, newest first",
)
def list_deliveries(
    webhook_id: uuid.UUID,
    user: CurrentUser,
    service: WebhookServiceDep,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    items, next_cursor = service.deliveries(user, webhook_id, cursor=cursor, limit=limit)
    return DeliveryPage(
        items=[DeliveryRead.model_validate(d) for d in items], next_cursor=next_cursor
    )


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/resend",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery's event again, now, to the webhook's current URL",
)
def resend_delivery(
    webhook_id: uuid.UUID, delivery_id: uuid.UUID, user: CurrentUser, service: WebhookServiceDep
) -> Any:
    return service.resend(user, webhook_id, delivery_id)

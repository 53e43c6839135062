from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from transcriber.kit.fetch import MAX_URL_LENGTH
from transcriber.webhooks.models import DeliveryStatus, WebhookEvent


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=MAX_URL_LENGTH, description="http:// or https:// receiver.")
    events: list[WebhookEvent] = Field(
        default_factory=list,
        max_length=3,
        description="Events to send (`job.completed`, `job.failed`, `job.cancelled`); "
        "empty means all.",
    )
    description: str | None = Field(None, max_length=200)
    active: bool = True


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=MAX_URL_LENGTH)
    events: list[WebhookEvent] | None = Field(None, max_length=3)
    description: str | None = Field(None, max_length=200)
    active: bool | None = None


class WebhookRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str | None
    events: list[str] = Field(description="Empty means every event.")
    active: bool
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description="The signing secret (`whsec_<base64>`, Standard Webhooks). Shown once; "
        "store it now."
    )


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    webhook_id: uuid.UUID | None
    job_id: uuid.UUID | None
    event: str
    message_id: str = Field(description="The `webhook-id` header; the same on every attempt.")
    url: str
    status: DeliveryStatus = Field(
        description="`pending` (waiting for its next attempt), `succeeded`, or `failed` "
        "(given up after `webhooks.retry_for_s`)."
    )
    attempts: int
    response_code: int | None
    response_excerpt: str | None = Field(description="The start of the receiver's answer.")
    error: str | None
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    give_up_at: datetime
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None

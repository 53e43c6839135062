from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow

WebhookEvent = Literal["job.completed", "job.failed", "job.cancelled"]
WEBHOOK_EVENTS: tuple[WebhookEvent, ...] = ("job.completed", "job.failed", "job.cancelled")
DeliveryStatus = Literal["pending", "succeeded", "failed"]


class Webhook(Base):
    """A user's receiver of job outcomes. The secret signs deliveries (Standard Webhooks), so
    it is kept as is, like a password the server must be able to use (decision 0100)."""

    __tablename__ = "webhooks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(200))
    # Empty means every event.
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookDelivery(Base):
    """One event sent (or to be sent) to one receiver: a registered webhook or a job's
    `callback_url`. Retried with backoff until it succeeds or `webhooks.retry_for_s` passes."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_created", "webhook_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # NULL for a job's own callback.
    webhook_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE")
    )
    # No foreign key: the record of what was sent outlives a deleted job.
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    event: Mapped[str] = mapped_column(String(32))
    # The `webhook-id` header: the same for every attempt and re-send of this event, so a
    # receiver can drop duplicates.
    message_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    # Copied when the event happens, so a later change of the receiver does not alter it.
    secret: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    response_code: Mapped[int | None]
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    # Retries stop at this time.
    give_up_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

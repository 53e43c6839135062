"""All SQL about webhooks and their deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from transcriber.webhooks.models import Webhook, WebhookDelivery


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list_for_owner(self, owner_id: uuid.UUID) -> Sequence[Webhook]:
        query = (
            select(Webhook)
            .where(Webhook.owner_id == owner_id)
            .order_by(Webhook.created_at, Webhook.id)
        )
        return self.session.scalars(query).all()

    def pending_resends(self, owner_id: uuid.UUID, webhook_id: uuid.UUID) -> int:
        """Deliveries of this webhook still waiting to be sent (a re-send queues one)."""
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(
                    WebhookDelivery.owner_id == owner_id,
                    WebhookDelivery.webhook_id == webhook_id,
                    WebhookDelivery.status == "pending",
                )
            )
            or 0
        )

    def count_for_owner(self, owner_id: uuid.UUID) -> int:
        query = select(func.count()).where(Webhook.owner_id == owner_id)
        return int(self.session.scalar(query) or 0)

    def get_for_owner(self, webhook_id: uuid.UUID, owner_id: uuid.UUID) -> Webhook | None:
        return self.session.scalar(
            select(Webhook).where(Webhook.id == webhook_id, Webhook.owner_id == owner_id)
        )

    def active_for_owner(self, owner_id: uuid.UUID) -> Sequence[Webhook]:
        query = select(Webhook).where(Webhook.owner_id == owner_id, Webhook.active.is_(True))
        return self.session.scalars(query.order_by(Webhook.created_at)).all()

    def deliveries(
        self, webhook_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> Sequence[WebhookDelivery]:
        query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
        if after is not None:
            created_at, row_id = after
            query = query.where(
                or_(
                    WebhookDelivery.created_at < created_at,
                    and_(WebhookDelivery.created_at == created_at, WebhookDelivery.id < row_id),
                )
            )
        query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def delivery(self, delivery_id: uuid.UUID, webhook_id: uuid.UUID) -> WebhookDelivery | None:
        return self.session.scalar(
            select(WebhookDelivery).where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.webhook_id == webhook_id
            )
        )

    def due(self, now: datetime, limit: int) -> Sequence[tuple[uuid.UUID, datetime]]:
        query = (
            select(WebhookDelivery.id, WebhookDelivery.next_attempt_at)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
        return [(row_id, at) for row_id, at in self.session.execute(query) if at is not None]

    def hold(self, delivery_id: uuid.UUID, seen_at: datetime, until: datetime) -> bool:
        """Take a due delivery for this process: push its next attempt past the time the
        attempt can take, unless another process moved it first."""
        result = self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at == seen_at,
            )
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

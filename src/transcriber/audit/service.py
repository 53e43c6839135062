"""The audit trail: one row per security-relevant action, written in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transcriber.audit.models import AuditEvent
from transcriber.users.models import User


@dataclass(frozen=True, slots=True)
class ClientContext:
    """Where a request came from, as far as the server can tell."""

    ip: str | None = None
    user_agent: str | None = None


class AuditLog:
    def __init__(self, session: Session, context: ClientContext | None = None) -> None:
        self.session = session
        self.context = context or ClientContext()

    def record(
        self,
        action: str,
        *,
        actor: User | None,
        target_type: str | None = None,
        target_id: object | None = None,
        **details: Any,
    ) -> AuditEvent:
        event = AuditEvent(
            action=action,
            actor_id=actor.id if actor else None,
            actor_email=actor.email if actor else details.pop("email", None),
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            ip=self.context.ip,
            user_agent=(self.context.user_agent or "")[:512] or None,
            details=details,
        )
        self.session.add(event)
        self.session.flush()
        return event

    def search(
        self,
        *,
        action: str | None,
        actor_id: uuid.UUID | None,
        target_id: str | None,
        since: datetime | None,
        until: datetime | None,
        before_id: int | None,
        limit: int,
    ) -> Sequence[AuditEvent]:
        query = select(AuditEvent)
        if action:
            query = query.where(AuditEvent.action == action)
        if actor_id:
            query = query.where(AuditEvent.actor_id == actor_id)
        if target_id:
            query = query.where(AuditEvent.target_id == target_id)
        if since:
            query = query.where(AuditEvent.created_at >= since)
        if until:
            query = query.where(AuditEvent.created_at < until)
        if before_id:
            query = query.where(AuditEvent.id < before_id)
        return self.session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)).all()

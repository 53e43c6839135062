"""All SQL about events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from transcriber.realtime.models import Event


class EventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: Event) -> Event:
        self.session.add(event)
        return event

    def max_id(self) -> int:
        return int(self.session.scalar(select(func.max(Event.id))) or 0)

    def after(self, last_id: int, limit: int) -> Sequence[Event]:
        """Every user's events after `last_id`, oldest first (the live path of one process)."""
        query = select(Event).where(Event.id > last_id).order_by(Event.id).limit(limit)
        return self.session.scalars(query).all()

    def between(
        self, after_id: int, up_to_id: int, owner_id: uuid.UUID | None, limit: int
    ) -> tuple[list[Event], bool]:
        """Events in (after_id, up_to_id] of one owner (or all), the newest `limit` of them,
        oldest first; True when older ones were left out."""
        query = select(Event).where(Event.id > after_id, Event.id <= up_to_id)
        if owner_id is not None:
            query = query.where(Event.owner_id == owner_id)
        rows = list(self.session.scalars(query.order_by(Event.id.desc()).limit(limit + 1)))
        truncated = len(rows) > limit
        return rows[:limit][::-1], truncated

    def delete_older_than(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(Event).where(Event.created_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def delete_progress_older_than(self, cutoff: datetime) -> int:
        """Progress is momentary: a client back after a while needs the segments and the
        outcome, not every old percentage (this keeps the events of a long job bounded)."""
        result = self.session.execute(
            delete(Event).where(Event.type == "job.progress", Event.created_at < cutoff)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

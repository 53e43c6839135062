"""The SQL of uploads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from transcriber.uploads.models import Upload


class UploadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, upload_id: uuid.UUID) -> Upload | None:
        return self.session.get(Upload, upload_id)

    def get_for_owner(self, upload_id: uuid.UUID, owner_id: uuid.UUID) -> Upload | None:
        return self.session.scalar(
            select(Upload).where(Upload.id == upload_id, Upload.owner_id == owner_id)
        )

    def reserved_bytes(self, owner_id: uuid.UUID, excluding: uuid.UUID | None = None) -> int:
        """Bytes an owner's uploads hold or will hold that no job counts yet."""
        query = select(func.coalesce(func.sum(Upload.length_bytes), 0)).where(
            Upload.owner_id == owner_id, Upload.status.in_(("receiving", "completed"))
        )
        if excluding is not None:
            query = query.where(Upload.id != excluding)
        return int(self.session.scalar(query) or 0)

    def mark_used(self, upload_id: uuid.UUID) -> bool:
        """completed -> used, atomically: one upload makes one job, however many ask at once."""
        result = self.session.execute(
            update(Upload)
            .where(Upload.id == upload_id, Upload.status == "completed")
            .values(status="used")
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def delete_if_status(self, upload_id: uuid.UUID, status: str) -> bool:
        """Delete the row only if its status is still `status`; whether it was."""
        result = self.session.execute(
            delete(Upload)
            .where(Upload.id == upload_id, Upload.status == status)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def expired(self, now: datetime, limit: int) -> Sequence[Upload]:
        return self.session.scalars(
            select(Upload).where(Upload.expires_at < now).order_by(Upload.expires_at).limit(limit)
        ).all()

    def ids_of_owner(self, owner_id: uuid.UUID) -> list[uuid.UUID]:
        return list(self.session.scalars(select(Upload.id).where(Upload.owner_id == owner_id)))

    def existing_ids(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not ids:
            return set()
        return set(self.session.scalars(select(Upload.id).where(Upload.id.in_(ids))).all())

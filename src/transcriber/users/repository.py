from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transcriber.users.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: uuid.UUID) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(User.email == email))

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(User)) or 0)

    def count_active_admins(self) -> int:
        query = select(func.count()).where(User.role == "admin", User.is_active.is_(True))
        return int(self.session.scalar(query) or 0)

    def search(self, query_text: str | None, offset: int, limit: int) -> Sequence[User]:
        query = select(User)
        if query_text:
            escaped = (
                query_text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            query = query.where(func.lower(User.email).like(f"%{escaped}%", escape="\\"))
        return self.session.scalars(
            query.order_by(User.created_at).offset(offset).limit(limit)
        ).all()

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from transcriber.kit.db import Base, utcnow

Role = Literal["user", "admin"]


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="user")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Per-user quota overrides; NULL means the default from the settings.
    quota_storage_bytes: Mapped[int | None] = mapped_column(BigInteger)
    quota_audio_minutes_per_month: Mapped[int | None]
    quota_concurrent_jobs: Mapped[int | None]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import String
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

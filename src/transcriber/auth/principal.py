from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from transcriber.api_keys.models import ApiKey
from transcriber.users.models import User


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a signed-in session or an API key, always on behalf of one user."""

    user: User
    session_id: uuid.UUID | None = None
    api_key: ApiKey | None = None
    # When the credential stops working by itself (token expiry, key expiry); None: never.
    expires_at: datetime | None = None

    @property
    def kind(self) -> Literal["session", "api_key"]:
        return "api_key" if self.api_key is not None else "session"

    @property
    def scope(self) -> Literal["read", "write"]:
        if self.api_key is not None and self.api_key.scope == "read":
            return "read"
        return "write"

    @property
    def rate_key(self) -> str:
        return f"key:{self.api_key.id}" if self.api_key is not None else f"user:{self.user.id}"

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from transcriber.config import MAX_RETENTION_S


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    role: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    quota_storage_bytes: int | None
    quota_audio_minutes_per_month: int | None
    quota_concurrent_jobs: int | None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    role: Literal["user", "admin"] = "user"


class UserUpdate(BaseModel):
    """Only the fields sent are changed; a quota of null returns to the default."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "admin"] | None = None
    is_active: bool | None = None
    quota_storage_bytes: int | None = Field(None, ge=0)
    quota_audio_minutes_per_month: int | None = Field(None, ge=0)
    quota_concurrent_jobs: int | None = Field(None, ge=0)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(max_length=1024)


class InviteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, max_length=320)
    role: Literal["user", "admin"] = "user"
    expires_in_s: int = Field(7 * 24 * 3600, ge=60, le=90 * 24 * 3600)


class InviteCreated(BaseModel):
    id: uuid.UUID
    token: str = Field(description="Shown once: put it in the invite link.")
    email: str | None
    role: str
    expires_at: datetime


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    action: str
    actor_id: uuid.UUID | None
    actor_email: str | None
    target_type: str | None
    target_id: str | None
    ip: str | None
    user_agent: str | None
    details: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditEventRead]
    next_before_id: int | None


class AppSettingsRead(BaseModel):
    registration: Literal["closed", "invite", "open"]
    media_retention_s: int = Field(
        description="Original media of a completed job is deleted this many seconds after it "
        "completed; the transcript stays. 0 keeps media forever."
    )


class AppSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    registration: Literal["closed", "invite", "open"] | None = None
    media_retention_s: int | None = Field(
        None,
        ge=0,
        le=MAX_RETENTION_S,
        description="Seconds to keep original media after a job completes; 0 keeps it forever.",
    )

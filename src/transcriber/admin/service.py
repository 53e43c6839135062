"""Run-time settings that admins change in the app; the environment gives their first value."""

from __future__ import annotations

from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from transcriber.admin.models import AppSetting
from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.users.models import User

RegistrationMode = Literal["closed", "invite", "open"]


class AppSettingsService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def _get(self, key: str, default: Any) -> Any:
        row = self.session.get(AppSetting, key)
        return default if row is None else row.value

    def _set(self, key: str, value: Any) -> None:
        row = self.session.get(AppSetting, key)
        if row is None:
            self.session.add(AppSetting(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

    def registration_mode(self) -> RegistrationMode:
        return cast(RegistrationMode, self._get("registration", self.settings.auth.registration))

    def set_registration_mode(self, mode: RegistrationMode) -> None:
        self._set("registration", mode)

    def media_retention_s(self) -> int:
        """Seconds original media is kept after a job completes; 0 keeps it forever."""
        return int(self._get("media_retention_s", self.settings.storage.media_retention_s))

    def update(self, actor: User, changes: dict[str, Any], audit: AuditLog) -> dict[str, Any]:
        before = self.snapshot()
        if changes.get("registration") is not None:
            self.set_registration_mode(changes["registration"])
        if changes.get("media_retention_s") is not None:
            self._set("media_retention_s", int(changes["media_retention_s"]))
        after = self.snapshot()
        if after != before:
            audit.record(
                "settings.changed", actor=actor, target_type="settings", before=before, after=after
            )
        return after

    def snapshot(self) -> dict[str, Any]:
        return {
            "registration": self.registration_mode(),
            "media_retention_s": self.media_retention_s(),
        }

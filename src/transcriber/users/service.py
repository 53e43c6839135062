"""Accounts: creating them, and what admins may change. Passwords are checked here."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.kit.crypto import hash_password
from transcriber.kit.db import utcnow
from transcriber.kit.errors import Conflict, NotFound, Unprocessable
from transcriber.users.models import User
from transcriber.users.repository import UserRepository

# Deliberately loose: self-hosted installs use addresses like bob@corp.local, which strict
# validators refuse. The address is a login name; nothing is mailed to it.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned):
        raise Unprocessable("That does not look like an email address.", field="email")
    return cleaned


def check_password(password: str, email: str, settings: Settings) -> None:
    """Length and not-your-email; no composition rules (NIST SP 800-63B)."""
    minimum = settings.auth.password_min_length
    if len(password) < minimum:
        raise Unprocessable(
            f"The password is too short: use at least {minimum} characters.", field="password"
        )
    if len(password) > 1024:
        raise Unprocessable("The password is too long (1024 characters at most).")
    lowered = password.lower()
    local_part = email.split("@", 1)[0]
    if lowered == email or (len(local_part) >= 4 and local_part in lowered):
        raise Unprocessable("The password must not contain your email address.", field="password")


class UserService:
    def __init__(self, session: Session, settings: Settings, audit: AuditLog) -> None:
        self.session = session
        self.settings = settings
        self.audit = audit
        self.users = UserRepository(session)

    def create(
        self, email: str, password: str, *, role: str = "user", actor: User | None = None
    ) -> User:
        email = normalise_email(email)
        check_password(password, email, self.settings)
        if self.users.by_email(email) is not None:
            raise Conflict("An account with this email already exists.", field="email")
        user = User(
            email=email,
            password_hash=hash_password(password),
            role=role,
            password_changed_at=utcnow(),
        )
        self.session.add(user)
        self.session.flush()
        self.audit.record(
            "user.created", actor=actor or user, target_type="user", target_id=user.id, role=role
        )
        return user

    def get(self, user_id: uuid.UUID) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise NotFound("User not found.")
        return user

    def search(self, query: str | None, offset: int, limit: int) -> Sequence[User]:
        return self.users.search(query, offset, limit)

    def set_password(self, user: User, password: str) -> None:
        check_password(password, user.email, self.settings)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        self.session.flush()

    def update(
        self,
        actor: User,
        user: User,
        *,
        changes: dict[str, object],
    ) -> User:
        """Apply an admin's changes; refuses to leave the install without an active admin."""
        if "role" in changes and changes["role"] != user.role:
            if self._is_last_active_admin(user):
                raise Conflict("This is the last admin; make someone else admin first.")
            before = user.role
            user.role = str(changes["role"])
            self.audit.record(
                "user.role_changed",
                actor=actor,
                target_type="user",
                target_id=user.id,
                before=before,
                after=user.role,
            )
        if "is_active" in changes and changes["is_active"] != user.is_active:
            if not changes["is_active"] and self._is_last_active_admin(user):
                raise Conflict("This is the last active admin; it cannot be disabled.")
            user.is_active = bool(changes["is_active"])
            self.audit.record(
                "user.disabled" if not user.is_active else "user.enabled",
                actor=actor,
                target_type="user",
                target_id=user.id,
            )
        quota_fields = (
            "quota_storage_bytes",
            "quota_audio_minutes_per_month",
            "quota_concurrent_jobs",
        )
        quota_changes = {k: v for k, v in changes.items() if k in quota_fields}
        if quota_changes:
            for key, value in quota_changes.items():
                setattr(user, key, value)
            self.audit.record(
                "user.quota_changed",
                actor=actor,
                target_type="user",
                target_id=user.id,
                **{k: v for k, v in quota_changes.items()},
            )
        self.session.flush()
        return user

    def _is_last_active_admin(self, user: User) -> bool:
        return user.is_admin and user.is_active and self.users.count_active_admins() <= 1

    def delete(self, actor: User, user: User) -> None:
        if self._is_last_active_admin(user):
            raise Conflict("This is the last admin; it cannot be deleted.")
        self.audit.record(
            "user.deleted", actor=actor, target_type="user", target_id=user.id, email=user.email
        )
        self.session.delete(user)
        self.session.flush()

"""API keys: `wt_<prefix>_<secret>`; the prefix finds the row, the SHA-256 of the key proves it."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from transcriber.api_keys.models import ApiKey
from transcriber.api_keys.schemas import ApiKeyCreate
from transcriber.audit.service import AuditLog
from transcriber.kit.crypto import digests_match, new_token, token_digest
from transcriber.kit.db import utcnow
from transcriber.kit.errors import NotFound, Unprocessable
from transcriber.users.models import User

KEY_PREFIX = "wt_"
# last_used_at is a hint for people, not an audit: write it at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def looks_like_api_key(credential: str) -> bool:
    return credential.startswith(KEY_PREFIX) and credential.count("_") >= 2


class ApiKeyService:
    def __init__(self, session: Session, audit: AuditLog) -> None:
        self.session = session
        self.audit = audit

    def create(self, user: User, data: ApiKeyCreate) -> tuple[ApiKey, str]:
        expires_at = data.expires_at
        if expires_at is not None:
            if expires_at.tzinfo is None:
                expires_at = expires_at.replace(tzinfo=UTC)
            if expires_at <= utcnow():
                raise Unprocessable("The expiry date is in the past.", field="expires_at")
        prefix = secrets.token_hex(6)
        secret = f"{KEY_PREFIX}{prefix}_{new_token(32)}"
        key = ApiKey(
            user_id=user.id,
            name=data.name.strip(),
            prefix=prefix,
            secret_hash=token_digest(secret),
            scope=data.scope,
            expires_at=expires_at,
        )
        self.session.add(key)
        self.session.flush()
        self.audit.record(
            "api_key.created",
            actor=user,
            target_type="api_key",
            target_id=key.id,
            name=key.name,
            scope=key.scope,
        )
        return key, secret

    def list(self, user: User) -> Sequence[ApiKey]:
        query = select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.created_at.desc())
        return self.session.scalars(query).all()

    def revoke(self, user: User, key_id: uuid.UUID) -> None:
        key = self.session.scalar(
            select(ApiKey).where(ApiKey.id == key_id, ApiKey.user_id == user.id)
        )
        if key is None:
            raise NotFound("API key not found.")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            self.audit.record(
                "api_key.revoked", actor=user, target_type="api_key", target_id=key.id
            )
        self.session.flush()

    def authenticate(self, credential: str) -> ApiKey | None:
        """The live key for this secret, or None (unknown, revoked, expired, wrong secret)."""
        try:
            prefix = credential[len(KEY_PREFIX) :].split("_", 1)[0]
        except IndexError:
            return None
        key = self.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if key is None or not digests_match(credential, key.secret_hash):
            return None
        now = utcnow()
        if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
            return None
        return key

    def touch(self, key_id: uuid.UUID, now: datetime) -> None:
        """Record use, at most once per resolution period (cheap when called often)."""
        self.session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id)
            .where(
                (ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < now - LAST_USED_RESOLUTION)
            )
            .values(last_used_at=now)
        )

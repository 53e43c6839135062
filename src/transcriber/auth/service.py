"""Signing in and out: sessions, rotating refresh tokens, access tokens, first-admin setup."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from transcriber.admin.service import AppSettingsService
from transcriber.api_keys.service import ApiKeyService, looks_like_api_key
from transcriber.audit.service import AuditLog
from transcriber.auth.models import AuthSession, Invite, RefreshToken
from transcriber.auth.principal import Principal
from transcriber.auth.schemas import TokenPair
from transcriber.auth.tokens import issue_access_token, read_access_token
from transcriber.config import Settings
from transcriber.kit.crypto import new_token, token_digest, verify_password
from transcriber.kit.db import keep_on_error, utcnow
from transcriber.kit.errors import Conflict, Forbidden, Unauthorized, Unprocessable
from transcriber.kit.ratelimit import RateLimiter
from transcriber.users.models import User
from transcriber.users.repository import UserRepository
from transcriber.users.service import UserService, normalise_email

BAD_LOGIN = "The email or password is not right."


class AuthService:
    def __init__(
        self,
        session: Session,
        settings: Settings,
        secret: str,
        limiter: RateLimiter,
        audit: AuditLog,
    ) -> None:
        self.session = session
        self.settings = settings
        self.secret = secret
        self.limiter = limiter
        self.audit = audit
        self.users = UserRepository(session)

    # -- joining ----------------------------------------------------------------------------

    def setup(self, email: str, password: str) -> TokenPair:
        """The very first account, an admin; refused as soon as any account exists."""
        self._limit_ip("setup")
        if self.users.count() > 0:
            raise Conflict("Setup is done: an account already exists. Sign in instead.")
        user = UserService(self.session, self.settings, self.audit).create(
            email, password, role="admin"
        )
        return self._start_session(user)

    def register(self, email: str, password: str, invite_token: str | None) -> TokenPair:
        self._limit_ip("register")
        mode = AppSettingsService(self.session, self.settings).registration_mode()
        invite: Invite | None = None
        if invite_token:
            invite = self._usable_invite(invite_token)
        elif mode != "open":
            raise Forbidden(
                "Registration is closed on this server; ask an admin for an account"
                + (" or an invite link." if mode == "invite" else ".")
            )
        if invite is not None and invite.email and invite.email != normalise_email(email):
            raise Forbidden("This invite is for another email address.")
        user = UserService(self.session, self.settings, self.audit).create(
            email, password, role=invite.role if invite else "user"
        )
        if invite is not None:
            invite.used_at = utcnow()
            self.audit.record("invite.used", actor=user, target_type="invite", target_id=invite.id)
        return self._start_session(user)

    def _usable_invite(self, token: str) -> Invite:
        invite = self.session.scalar(select(Invite).where(Invite.token_hash == token_digest(token)))
        if invite is None or invite.used_at is not None or invite.expires_at <= utcnow():
            raise Forbidden("This invite link is not valid any more; ask for a new one.")
        return invite

    def create_invite(
        self, admin: User, email: str | None, role: str, expires_in_s: int
    ) -> tuple[Invite, str]:
        token = new_token(24)
        invite = Invite(
            token_hash=token_digest(token),
            email=normalise_email(email) if email else None,
            role=role,
            created_by_id=admin.id,
            expires_at=utcnow() + timedelta(seconds=expires_in_s),
        )
        self.session.add(invite)
        self.session.flush()
        self.audit.record(
            "invite.created", actor=admin, target_type="invite", target_id=invite.id, role=role
        )
        return invite, token

    # -- signing in and out -----------------------------------------------------------------

    def login(self, email: str, password: str) -> TokenPair:
        self._limit_ip("login")
        account_key = email.strip().lower()[:320]
        rule = self.settings.auth.login_rate_limit
        message = "Too many failed sign-ins for this account; wait a moment and try again."
        self.limiter.check(rule, "login-failures", account_key, message=message)
        user = self.users.by_email(account_key)
        if user is None or not verify_password(password, user.password_hash):
            self.audit.record(
                "auth.login_failed", actor=user, target_type="user", email=account_key
            )
            keep_on_error(self.session)
            self.limiter.hit(rule, "login-failures", account_key, message=message)
            raise Unauthorized(BAD_LOGIN)
        if not user.is_active:
            self.audit.record("auth.login_failed", actor=user, reason="disabled")
            keep_on_error(self.session)
            raise Unauthorized("This account is disabled; ask an admin.")
        self.limiter.reset(rule, "login-failures", account_key)
        user.last_login_at = utcnow()
        self.audit.record("auth.login", actor=user, target_type="user", target_id=user.id)
        return self._start_session(user)

    def refresh(self, token: str) -> TokenPair:
        """Rotate: the old refresh token is spent. Spending it twice means it was stolen, so
        the whole session (every token of the family) is revoked."""
        row = self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))
        )
        if row is None:
            raise Unauthorized("The refresh token is not valid; sign in again.")
        auth_session = self.session.get(AuthSession, row.session_id)
        now = utcnow()
        if auth_session is None or auth_session.revoked_at is not None:
            raise Unauthorized("This session has ended; sign in again.")
        if row.expires_at <= now or auth_session.expires_at <= now:
            raise Unauthorized("The session has expired; sign in again.")
        # Spend it with one conditional UPDATE, so two requests racing with the same token
        # cannot both win: the loser sees it spent, exactly like a replay.
        spent = self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(spent, "rowcount", 0) != 1:
            self._revoke(auth_session, "refresh_token_reused")
            user = self.users.get(auth_session.user_id)
            self.audit.record(
                "auth.refresh_reused", actor=user, target_type="session", target_id=auth_session.id
            )
            keep_on_error(self.session)
            raise Unauthorized("This refresh token was already used; the session has been ended.")
        user = self.users.get(auth_session.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("This account is disabled; ask an admin.")
        return self._issue(user, auth_session, now)

    def logout(self, principal: Principal) -> None:
        if principal.session_id is None:
            raise Unprocessable("API keys do not sign in or out; revoke the key instead.")
        auth_session = self.session.get(AuthSession, principal.session_id)
        if auth_session is not None:
            self._revoke(auth_session, "logout")
        self.audit.record(
            "auth.logout", actor=principal.user, target_type="user", target_id=principal.user.id
        )

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        user = principal.user
        if principal.api_key is not None:
            raise Forbidden("Change your password from a signed-in session, not with an API key.")
        if not verify_password(current, user.password_hash):
            raise Unprocessable("The current password is not right.", field="current_password")
        UserService(self.session, self.settings, self.audit).set_password(user, new)
        self.end_sessions(user, "password_changed", keep=principal.session_id)
        self.audit.record(
            "user.password_changed", actor=user, target_type="user", target_id=user.id
        )

    def end_sessions(self, user: User, reason: str, keep: uuid.UUID | None = None) -> None:
        query = (
            update(AuthSession)
            .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )
        if keep is not None:
            query = query.where(AuthSession.id != keep)
        self.session.execute(query.execution_options(synchronize_session=False))

    # -- every request ----------------------------------------------------------------------

    def authenticate(self, credential: str) -> Principal:
        """A bearer credential (access token or API key) to the caller, or 401."""
        if looks_like_api_key(credential):
            key = ApiKeyService(self.session, self.audit).authenticate(credential)
            if key is None:
                raise Unauthorized("The API key is not valid (unknown, revoked or expired).")
            user = self.users.get(key.user_id)
            if user is None or not user.is_active:
                raise Unauthorized("This account is disabled; ask an admin.")
            return Principal(user=user, api_key=key, expires_at=key.expires_at)
        claims = read_access_token(self.secret, credential)
        auth_session = self.session.get(AuthSession, claims.session_id)
        if (
            auth_session is None
            or auth_session.user_id != claims.user_id
            or auth_session.revoked_at is not None
        ):
            raise Unauthorized("This session has ended; sign in again.")
        user = self.users.get(claims.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("This account is disabled; ask an admin.")
        return Principal(user=user, session_id=auth_session.id, expires_at=claims.expires_at)

    # -- internals --------------------------------------------------------------------------

    def _limit_ip(self, action: str) -> None:
        ip = self.audit.context.ip or "unknown"
        self.limiter.hit(
            self.settings.auth.ip_rate_limit,
            f"ip-{action}",
            ip,
            message="Too many attempts from your address; wait a moment and try again.",
        )

    def _start_session(self, user: User) -> TokenPair:
        now = utcnow()
        auth_session = AuthSession(
            user_id=user.id,
            expires_at=now + timedelta(seconds=self.settings.auth.refresh_token_ttl_s),
            ip=self.audit.context.ip,
            user_agent=(self.audit.context.user_agent or "")[:512] or None,
        )
        self.session.add(auth_session)
        self.session.flush()
        return self._issue(user, auth_session, now)

    def _issue(self, user: User, auth_session: AuthSession, now: datetime) -> TokenPair:
        refresh = new_token(32)
        self.session.add(
            RefreshToken(
                session_id=auth_session.id,
                token_hash=token_digest(refresh),
                expires_at=auth_session.expires_at,
            )
        )
        self.session.flush()
        ttl = self.settings.auth.access_token_ttl_s
        return TokenPair(
            access_token=issue_access_token(self.secret, user.id, auth_session.id, now, ttl),
            refresh_token=refresh,
            expires_in=ttl,
        )

    def _revoke(self, auth_session: AuthSession, reason: str) -> None:
        if auth_session.revoked_at is None:
            auth_session.revoked_at = utcnow()
            auth_session.revoked_reason = reason
        self.session.flush()

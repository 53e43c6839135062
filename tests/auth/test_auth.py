"""Signing up, in and out; tokens that must not work; brute force; registration modes."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, update

from tests.support.app import RecordingDispatcher
from tests.support.auth import PASSWORD, bearer, create_user, login, setup_admin
from tests.support.databases import fresh_postgres_database
from transcriber.app import create_app
from transcriber.audit.models import AuditEvent
from transcriber.auth.models import Invite, RefreshToken
from transcriber.config import Settings
from transcriber.kit.crypto import token_digest
from transcriber.kit.db import utcnow
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime


def _audit_count(runtime: Runtime, action: str) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).where(AuditEvent.action == action)
        return int(session.scalar(query) or 0)


def test_first_admin_setup_only_once(anonymous: TestClient, runtime: Runtime) -> None:
    assert anonymous.get("/api/v1/auth/me").status_code == 401
    tokens = setup_admin(anonymous)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == runtime.settings.auth.access_token_ttl_s
    me = anonymous.get("/api/v1/auth/me").json()
    assert me["role"] == "admin" and me["email"] == "admin@example.org"
    again = anonymous.post(
        "/api/v1/auth/setup", json={"email": "other@example.org", "password": PASSWORD}
    )
    assert again.status_code == 409
    assert "already" in again.json()["detail"]
    assert _audit_count(runtime, "user.created") == 1


@pytest.mark.parametrize(
    ("email", "password", "phrase"),
    [
        ("not-an-email", PASSWORD, "email"),
        ("someone@example.org", "short", "too short"),
        ("someone@example.org", "someone-secret-1", "email"),
    ],
)
def test_weak_or_bad_credentials_are_refused(
    anonymous: TestClient, email: str, password: str, phrase: str
) -> None:
    response = anonymous.post("/api/v1/auth/setup", json={"email": email, "password": password})
    assert response.status_code == 422
    assert phrase in response.json()["detail"]


def test_login_refresh_rotation_and_reuse_detection(
    client: TestClient, anonymous: TestClient
) -> None:
    email = create_user(client)
    first = login(anonymous, email)
    assert anonymous.get("/api/v1/auth/me", headers=bearer(first)).json()["email"] == email

    rotated = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert anonymous.get("/api/v1/auth/me", headers=bearer(second)).status_code == 200

    # The spent token comes back: someone copied it. The whole family ends.
    reused = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert anonymous.get("/api/v1/auth/me", headers=bearer(second)).status_code == 401
    after = anonymous.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path / "data", environment="test")
        upgrade(settings.resolved_database_url)
        yield Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
        return
    with fresh_postgres_database() as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url, environment="test")
        upgrade(url)
        runtime = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
        yield runtime
        runtime.db.dispose()


def test_two_refreshes_racing_with_one_token_cannot_both_win(backend_runtime: Runtime) -> None:
    anonymous = TestClient(create_app(runtime=backend_runtime), raise_server_exceptions=False)
    tokens = setup_admin(anonymous)
    engine = backend_runtime.db
    raced = False

    def the_other_request_spends_it_first(
        connection: Any, cursor: Any, statement: str, *_: Any
    ) -> None:
        # Just before this request spends the token, a second request with the same token
        # (read at the same moment) commits its own spend.
        nonlocal raced
        if raced or not statement.lstrip().upper().startswith("UPDATE REFRESH_TOKENS"):
            return
        raced = True
        with engine.begin() as other:
            other.execute(
                update(RefreshToken)
                .where(RefreshToken.token_hash == token_digest(tokens["refresh_token"]))
                .values(used_at=utcnow())
            )

    event.listen(engine, "before_cursor_execute", the_other_request_spends_it_first)
    try:
        loser = anonymous.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
    finally:
        event.remove(engine, "before_cursor_execute", the_other_request_spends_it_first)
    assert raced
    assert loser.status_code == 401
    assert "already used" in loser.json()["detail"]
    assert _audit_count(backend_runtime, "auth.refresh_reused") == 1
    # One token, two spenders: the session is treated as stolen and ends for both.
    anonymous.cookies.clear()
    assert anonymous.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 401


def test_wrong_password_and_unknown_account_look_the_same(
    client: TestClient, anonymous: TestClient, runtime: Runtime
) -> None:
    email = create_user(client)
    wrong = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "nope" * 3})
    unknown = anonymous.post(
        "/api/v1/auth/login", json={"email": "ghost@example.org", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert _audit_count(runtime, "auth.login_failed") == 2


def test_logout_revokes_the_access_token_at_once(client: TestClient, anonymous: TestClient) -> None:
    email = create_user(client)
    tokens = login(anonymous, email)
    assert anonymous.post("/api/v1/auth/logout", headers=bearer(tokens)).status_code == 204
    assert anonymous.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 401
    refreshed = anonymous.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


def test_password_change_ends_other_sessions(client: TestClient, anonymous: TestClient) -> None:
    email = create_user(client)
    here, elsewhere = login(anonymous, email), login(anonymous, email)
    wrong = anonymous.post(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
        headers=bearer(here),
    )
    assert wrong.status_code == 422
    changed = anonymous.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=bearer(here),
    )
    assert changed.status_code == 204
    assert anonymous.get("/api/v1/auth/me", headers=bearer(here)).status_code == 200
    assert anonymous.get("/api/v1/auth/me", headers=bearer(elsewhere)).status_code == 401
    assert (
        anonymous.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        ).status_code
        == 401
    )
    login(anonymous, email, "a brand new passphrase")


def _forge(claims: dict[str, object], key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _unsigned(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_tampered_tokens_are_all_401(
    client: TestClient, anonymous: TestClient, runtime: Runtime
) -> None:
    email = create_user(client)
    tokens = login(anonymous, email)
    good = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    now = int(datetime.now(UTC).timestamp())
    secret = runtime.secret_key
    header, payload, signature = tokens["access_token"].split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    candidates = {
        "wrong signature": f"{header}.{payload}.{flipped}",
        "other key": _forge(good, "not-the-server-secret-at-all-0123456789"),
        "alg none": _unsigned(good),
        "expired": _forge({**good, "iat": now - 7200, "exp": now - 3600}, secret),
        "refresh token as access": tokens["refresh_token"],
        "wrong type": _forge({**good, "type": "refresh"}, secret),
        "no expiry": _forge({k: v for k, v in good.items() if k != "exp"}, secret),
        "HS512": _forge(good, secret, "HS512"),
        "garbage": "abc.def.ghi",
    }
    for name, token in candidates.items():
        response = anonymous.get("/api/v1/auth/me", headers=bearer(token))
        assert response.status_code == 401, name
        assert (
            response.headers.get("www-authenticate") is None
            or "Bearer" in response.headers["www-authenticate"]
        )
    assert (
        anonymous.get("/api/v1/auth/me", headers={"Authorization": "Basic abc"}).status_code == 401
    )
    assert anonymous.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 200


def test_a_disabled_user_is_locked_out_at_once(client: TestClient, anonymous: TestClient) -> None:
    email = create_user(client)
    tokens = login(anonymous, email)
    users = client.get("/api/v1/admin/users", params={"q": email}).json()
    user_id = users[0]["id"]
    assert (
        client.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": False}).status_code == 200
    )
    assert anonymous.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 401
    denied = anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert denied.status_code == 401
    assert "disabled" in denied.json()["detail"]


@pytest.fixture
def fast_window(api_settings: Settings) -> Settings:
    api_settings.auth.login_rate_limit = "3 per 8 seconds"
    return api_settings


def test_brute_force_gets_429_then_the_right_password_works_after_the_window(
    fast_window: Settings, client: TestClient, anonymous: TestClient
) -> None:
    email = create_user(client)
    for _ in range(3):
        bad = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "guess" * 3})
        assert bad.status_code == 401
    blocked = anonymous.post("/api/v1/auth/login", json={"email": email, "password": "guess" * 3})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    # Even the right password waits: the account is being guessed.
    assert (
        anonymous.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        ).status_code
        == 429
    )
    time.sleep(8.2)
    login(anonymous, email)


def test_registration_modes(client: TestClient, anonymous: TestClient, runtime: Runtime) -> None:
    def register(email: str, invite: str | None = None) -> int:
        body = {"email": email, "password": PASSWORD, "invite": invite}
        return int(anonymous.post("/api/v1/auth/register", json=body).status_code)

    assert register("closed@example.org") == 403
    assert client.patch("/api/v1/admin/settings", json={"registration": "open"}).status_code == 200
    assert register("open@example.org") == 201
    assert register("open@example.org") == 409
    assert (
        client.patch("/api/v1/admin/settings", json={"registration": "invite"}).status_code == 200
    )
    assert register("noinvite@example.org") == 403
    invite = client.post("/api/v1/admin/invites", json={"email": "invited@example.org"}).json()
    assert register("someone-else@example.org", invite["token"]) == 403
    assert register("invited@example.org", invite["token"]) == 201
    assert register("again@example.org", invite["token"]) == 403
    assert _audit_count(runtime, "settings.changed") == 2
    assert _audit_count(runtime, "invite.created") == 1
    assert _audit_count(runtime, "invite.used") == 1


def test_expired_invite_is_refused(client: TestClient, anonymous: TestClient) -> None:
    client.patch("/api/v1/admin/settings", json={"registration": "invite"})
    invite = client.post("/api/v1/admin/invites", json={"expires_in_s": 60}).json()
    assert datetime.fromisoformat(invite["expires_at"]) < datetime.now(UTC) + timedelta(minutes=2)
    runtime: Runtime = anonymous.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        row = session.get(Invite, uuid.UUID(invite["id"]))
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.commit()
    body = {"email": "late@example.org", "password": PASSWORD, "invite": invite["token"]}
    assert anonymous.post("/api/v1/auth/register", json=body).status_code == 403

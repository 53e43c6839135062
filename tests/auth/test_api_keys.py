"""API keys: shown once, stored hashed, scoped, revocable, never leaked."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.support.auth import bearer
from transcriber.api_keys.models import ApiKey
from transcriber.runtime import Runtime


def _make_key(client: TestClient, **body: object) -> dict[str, str]:
    response = client.post("/api/v1/api-keys", json={"name": "laptop", **body})
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


def test_a_key_works_like_a_token_and_its_secret_is_shown_once(
    client: TestClient,
    anonymous: TestClient,
    runtime: Runtime,
    caplog: pytest.LogCaptureFixture,
    speech_dir: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    created = _make_key(client)
    secret = created["secret"]
    assert secret.startswith("wt_" + created["prefix"])
    me = anonymous.get("/api/v1/auth/me", headers=bearer(secret)).json()
    assert me["auth"] == "api_key" and me["scope"] == "write"
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    made = anonymous.post("/api/v1/jobs", files={"file": ("a.wav", audio)}, headers=bearer(secret))
    assert made.status_code == 202

    listed = client.get("/api/v1/api-keys")
    assert listed.status_code == 200
    assert secret not in listed.text
    assert listed.json()[0]["prefix"] == created["prefix"]
    with runtime.sessions() as session:
        row = session.scalar(select(ApiKey))
        assert row is not None
        assert secret not in (row.secret_hash, row.prefix, row.name)
        assert row.last_used_at is not None
    assert secret not in caplog.text


def test_a_read_only_key_cannot_change_anything(
    client: TestClient, anonymous: TestClient, speech_dir: Path
) -> None:
    secret = _make_key(client, scope="read")["secret"]
    assert anonymous.get("/api/v1/jobs", headers=bearer(secret)).status_code == 200
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    refused = anonymous.post(
        "/api/v1/jobs", files={"file": ("a.wav", audio)}, headers=bearer(secret)
    )
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    assert (
        anonymous.post(
            "/api/v1/api-keys", json={"name": "escalate"}, headers=bearer(secret)
        ).status_code
        == 403
    )


def test_revoked_expired_and_forged_keys_are_401(
    client: TestClient, anonymous: TestClient, runtime: Runtime
) -> None:
    created = _make_key(client)
    secret = created["secret"]
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    assert anonymous.get("/api/v1/auth/me", headers=bearer(forged)).status_code == 401
    assert anonymous.get("/api/v1/auth/me", headers=bearer("wt_nothing_here")).status_code == 401
    assert client.delete(f"/api/v1/api-keys/{created['id']}").status_code == 204
    assert anonymous.get("/api/v1/auth/me", headers=bearer(secret)).status_code == 401

    expiring = _make_key(client, expires_at=(datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert anonymous.get("/api/v1/auth/me", headers=bearer(expiring["secret"])).status_code == 200
    with runtime.sessions() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.prefix == expiring["prefix"]))
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.commit()
    assert anonymous.get("/api/v1/auth/me", headers=bearer(expiring["secret"])).status_code == 401
    past = client.post(
        "/api/v1/api-keys",
        json={"name": "old", "expires_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 422


def test_keys_of_other_users_are_invisible(client: TestClient, anonymous: TestClient) -> None:
    from tests.support.auth import create_user, login

    created = _make_key(client)
    other = bearer(login(anonymous, create_user(client)))
    assert anonymous.get("/api/v1/api-keys", headers=other).json() == []
    assert anonymous.delete(f"/api/v1/api-keys/{created['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/api-keys").json()[0]["revoked_at"] is None

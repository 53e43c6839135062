"""Rate limits: per client IP on sign-in, per API key on calls, shared through Redis, and a
Redis that stops answering gives a 503, never a 500 and never a free pass."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher
from tests.support.auth import PASSWORD, bearer, create_user, login
from tests.support.databases import REDIS_URL
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.kit.ratelimit import RateLimiter
from transcriber.runtime import Runtime

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _app(settings: Settings, limiter: RateLimiter | None = None) -> TestClient:
    runtime = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
    if limiter is not None:
        runtime.limiter = limiter
    return TestClient(create_app(runtime=runtime), raise_server_exceptions=False)


def test_sign_in_attempts_are_limited_per_client_ip(
    api_settings: Settings, client: TestClient
) -> None:
    api_settings.auth.ip_rate_limit = "4/minute"
    accounts = [create_user(client) for _ in range(5)]
    from_one_address = TestClient(client.app, raise_server_exceptions=False)
    answers = [
        from_one_address.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        ).status_code
        for email in accounts
    ]
    # Different accounts, right passwords: only the address is being counted.
    assert answers == [200, 200, 200, 200, 429]
    blocked = from_one_address.post(
        "/api/v1/auth/login", json={"email": accounts[0], "password": PASSWORD}
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert "address" in blocked.json()["detail"]


def test_api_calls_are_limited_per_key(api_settings: Settings, client: TestClient) -> None:
    api_settings.auth.api_rate_limit = "3/minute"
    first = client.post("/api/v1/api-keys", json={"name": "busy"}).json()["secret"]
    second = client.post("/api/v1/api-keys", json={"name": "calm"}).json()["secret"]
    caller = TestClient(client.app, raise_server_exceptions=False)
    statuses = [caller.get("/api/v1/jobs", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = caller.get("/api/v1/jobs", headers=bearer(first))
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    # Another key of the same person has its own budget.
    assert caller.get("/api/v1/jobs", headers=bearer(second)).status_code == 200


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    prefix = f"transcriber-test-{uuid.uuid4().hex}"
    yield prefix
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(f"{prefix}*"))
    if keys:
        connection.delete(*keys)


def test_two_api_processes_share_the_login_limit_through_redis(
    api_settings: Settings, client: TestClient, redis_prefix: str
) -> None:
    email = create_user(client)
    api_settings.auth.login_rate_limit = "3/minute"
    # Two API processes: separate limiters and Redis connections, one shared count.
    first = _app(api_settings, RateLimiter(REDIS_URL, key_prefix=redis_prefix))
    second = _app(api_settings, RateLimiter(REDIS_URL, key_prefix=redis_prefix))
    wrong = {"email": email, "password": "not the password"}
    assert first.post("/api/v1/auth/login", json=wrong).status_code == 401
    assert second.post("/api/v1/auth/login", json=wrong).status_code == 401
    assert first.post("/api/v1/auth/login", json=wrong).status_code == 401
    blocked = second.post("/api/v1/auth/login", json=wrong)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    # A process with its own memory would not know: the count really lives in Redis.
    alone = _app(api_settings, RateLimiter(None))
    assert alone.post("/api/v1/auth/login", json=wrong).status_code == 401


def test_a_redis_that_does_not_answer_is_a_503_not_a_free_pass(
    api_settings: Settings, client: TestClient
) -> None:
    email = create_user(client)
    tokens = login(client, email)
    broken = _app(api_settings, RateLimiter(NOWHERE))
    refused = broken.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 503
    assert "Redis" in refused.json()["detail"]
    assert refused.headers["retry-after"] == "5"
    assert "traceback" not in refused.text.lower()
    call = broken.get("/api/v1/jobs", headers=bearer(tokens))
    assert call.status_code == 503

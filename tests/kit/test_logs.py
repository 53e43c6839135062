"""Structured logs: JSON lines with the request's fields and id, the id echoed to the client,
and no credential in any line whoever wrote it."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.auth import PASSWORD, bearer, login
from transcriber.config import Settings
from transcriber.kit.logs import (
    JsonLogFormatter,
    RequestIdFilter,
    TextLogFormatter,
    logging_config,
)

TEST_CLIENT_LOGGERS = ("httpx", "httpcore")


class CapturedLines:
    def __init__(self, buffer: io.StringIO) -> None:
        self.buffer = buffer

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self, route: str) -> list[dict[str, Any]]:
        return [r for r in self.records() if r.get("route") == route and "status" in r]


@pytest.fixture
def json_logs() -> Iterator[CapturedLines]:
    """Every record of every logger, at DEBUG, through the formatter `serve` uses for JSON."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(RequestIdFilter())
    # The test client's own request lines are the client's, not the server's.
    handler.addFilter(lambda record: not record.name.startswith(TEST_CLIENT_LOGGERS))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield CapturedLines(buffer)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_each_request_logs_one_json_line_with_its_fields_and_id(
    client: TestClient, json_logs: CapturedLines
) -> None:
    response = client.get("/api/v1/jobs/7d1a54e8-0d4b-4c3c-9a43-36c5b7a0d001")
    assert response.status_code == 404
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32

    (line,) = json_logs.requests("/api/v1/jobs/{job_id}")
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["status"] == 404
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["logger"] == "transcriber.requests"
    assert line["message"].startswith("GET /api/v1/jobs/{job_id} 404")
    assert line["time"].endswith("+00:00")
    # The path (with its id) and the query are not logged, only the template.
    assert "7d1a54e8" not in json_logs.text
    for record in json_logs.records():
        assert {"time", "level", "logger", "message"} <= record.keys()


def test_a_sane_request_id_is_kept_and_an_odd_one_replaced(
    client: TestClient, json_logs: CapturedLines
) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:trace=42"})
    assert kept.headers["x-request-id"] == "lb-7f3a:trace=42"
    (probe,) = json_logs.requests("/healthz")
    assert probe["request_id"] == "lb-7f3a:trace=42"
    assert probe["level"] == "DEBUG"  # probes would drown the log at INFO

    for odd in ("has spaces in it", "x" * 200, '"quoted"', "-starts-with-a-dash"):
        replaced = client.get("/healthz", headers={"X-Request-ID": odd})
        assert replaced.headers["x-request-id"] != odd
        assert len(replaced.headers["x-request-id"]) == 32
    assert "has spaces in it" not in json_logs.text


def test_records_written_during_a_request_carry_its_id(
    client: TestClient, json_logs: CapturedLines
) -> None:
    # A body the multipart parser rejects: the parser logs a warning inside the request.
    broken = client.post(
        "/api/v1/jobs",
        content=b"not multipart at all",
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert broken.status_code == 400
    request_id = broken.headers["x-request-id"]
    written = [r for r in json_logs.records() if r.get("request_id") == request_id]
    assert {r["logger"] for r in written} >= {"transcriber.requests"}
    assert len({r["logger"] for r in written}) >= 2, written


def test_no_api_key_token_or_password_reaches_the_log(
    client: TestClient, json_logs: CapturedLines
) -> None:
    key = client.post("/api/v1/api-keys", json={"name": "logs"}).json()["secret"]
    client.headers.pop("Authorization")
    with_key = client.get("/api/v1/jobs", headers=bearer(key))
    assert with_key.status_code == 200
    tokens = login(client, "admin@example.org", PASSWORD)
    assert client.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 200
    refused = client.post(
        "/api/v1/auth/login",
        json={"email": "admin@example.org", "password": "wrong-password-on-purpose"},
    )
    assert refused.status_code == 401

    assert json_logs.requests("/api/v1/jobs") and json_logs.requests("/api/v1/auth/login")
    for secret in (
        key,
        key.split("_")[-1],
        PASSWORD,
        "wrong-password-on-purpose",
        tokens["access_token"],
        tokens["refresh_token"],
    ):
        assert secret not in json_logs.text
    assert "authorization" not in json_logs.text.lower()


def test_credentials_that_any_logger_writes_are_masked(json_logs: CapturedLines) -> None:
    """A library that logs a header or a connection URL must not leak it either."""
    key = "wt_3f9a1c0b7d2e_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA"
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
    logging.getLogger("some.library").warning(
        "sent Authorization: Bearer %s then %s to postgresql://app:hunter2@db/prod", key, jwt
    )
    logging.getLogger("some.library").info(
        "proxy sent Authorization: Basic YWxpY2U6c2VjcmV0LXBhc3N3b3Jk; basic usage, bearer token"
    )
    masked, plain = json_logs.records()
    assert key not in masked["message"] and "3f9a1c0b7d2e" not in masked["message"]
    assert jwt not in masked["message"] and "hunter2" not in masked["message"]
    assert "postgresql://app:[redacted]@db/prod" in masked["message"]
    assert "YWxpY2U6" not in plain["message"]
    assert plain["message"].endswith("Basic [redacted]; basic usage, bearer token")


def test_the_format_follows_the_environment_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    def formatter(settings: Settings) -> object:
        factory: object = logging_config(settings)["formatters"]["default"]["()"]
        return factory

    assert formatter(Settings(environment="production")) is JsonLogFormatter
    assert formatter(Settings(environment="development")) is TextLogFormatter
    assert formatter(Settings(environment="production", log_format="text")) is TextLogFormatter
    monkeypatch.setenv("TRANSCRIBER_LOG_FORMAT", "json")
    assert formatter(Settings(environment="development")) is JsonLogFormatter

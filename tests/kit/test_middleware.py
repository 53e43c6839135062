"""Security headers on every response; CORS closed unless configured; body size limits."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime


def test_security_headers_on_success_errors_and_404(anonymous: TestClient) -> None:
    for response in (
        anonymous.get("/healthz"),
        anonymous.get("/api/v1/jobs"),
        anonymous.get("/no/such/path"),
        anonymous.post("/api/v1/auth/login", content=b"{not json"),
    ):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in headers
        assert "traceback" not in response.text.lower()


def test_hsts_only_behind_tls(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", environment="test")
    settings.auth.trust_proxy_headers = True
    upgrade(settings.resolved_database_url)
    app = create_app(runtime=Runtime.from_settings(settings, dispatcher=RecordingDispatcher()))
    with TestClient(app) as client:
        tls = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "max-age" in tls.headers["strict-transport-security"]
        assert "strict-transport-security" not in client.get("/healthz").headers


def test_cors_is_closed_by_default(anonymous: TestClient) -> None:
    preflight = anonymous.options(
        "/api/v1/jobs",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    plain = anonymous.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_cors_opens_for_configured_origins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", environment="test")
    settings.auth.cors_origins = ["https://app.example"]
    upgrade(settings.resolved_database_url)
    app = create_app(runtime=Runtime.from_settings(settings, dispatcher=RecordingDispatcher()))
    with TestClient(app) as client:
        ok = client.get("/healthz", headers={"Origin": "https://app.example"})
        assert ok.headers["access-control-allow-origin"] == "https://app.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_json_bodies_are_capped(anonymous: TestClient) -> None:
    huge = b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'", "password": "x"}'
    declared = anonymous.post(
        "/api/v1/auth/login", content=huge, headers={"Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert "larger than" in declared.json()["detail"]

    def stream() -> object:
        for start in range(0, len(huge), 65536):
            yield huge[start : start + 65536]

    chunked = anonymous.post(
        "/api/v1/auth/login",
        content=stream(),  # type: ignore[arg-type]
        headers={"Content-Type": "application/json"},
    )
    assert chunked.status_code == 413


def test_unexpected_errors_are_500_without_details(anonymous: TestClient) -> None:
    app = anonymous.app

    @app.get("/api/v1/boom-for-test")  # type: ignore[attr-defined, untyped-decorator]
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = anonymous.get("/api/v1/boom-for-test")
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

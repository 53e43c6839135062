"""The built web app is served at `/` beside the API, with SPA fallback and cache headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from transcriber.webapp import IMMUTABLE, NO_CACHE, mount_web_app

INDEX = "<!doctype html><title>Whisper Transcriber</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "index-Ab12Cd34.js").write_text("console.log('app')")
    (root / "assets" / "index-Ef56Gh78.css").write_text("body{}")
    (root / "manifest.webmanifest").write_text('{"name": "Whisper Transcriber"}')
    (root / "icon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("outside the dist folder")
    return root


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    @app.post("/api/v1/things")
    def create_thing() -> dict[str, str]:
        return {"created": "yes"}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture
def client(dist: Path) -> TestClient:
    app = make_app()
    mount_web_app(app, dist)
    return TestClient(app)


def test_index_is_served_at_root_without_caching(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == NO_CACHE


@pytest.mark.parametrize(
    "path", ["/jobs/0b7c5d1e-8f7a-4c1e-9a55-3d2f1b0c9e8d", "/settings", "/a/b/c"]
)
def test_app_routes_fall_back_to_index(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == NO_CACHE


def test_hashed_assets_are_cached_for_a_year(client: TestClient) -> None:
    js = client.get("/assets/index-Ab12Cd34.js")
    assert js.status_code == 200
    assert js.text == "console.log('app')"
    assert js.headers["content-type"].startswith("text/javascript")
    assert js.headers["cache-control"] == IMMUTABLE
    css = client.get("/assets/index-Ef56Gh78.css")
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["cache-control"] == IMMUTABLE


def test_top_level_files_are_served_and_revalidated(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.headers["cache-control"] == NO_CACHE
    assert client.get("/icon.svg").headers["content-type"] == "image/svg+xml"


@pytest.mark.parametrize("path", ["/assets/missing-123.js", "/missing.js", "/jobs/x/y.png"])
def test_missing_files_are_404_not_the_app(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("path", ["/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt"])
def test_files_outside_dist_are_never_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert "outside the dist folder" not in response.text


def test_api_routes_and_api_errors_are_untouched(client: TestClient) -> None:
    assert client.get("/api/v1/ping").json() == {"pong": "yes"}
    assert client.post("/api/v1/things").json() == {"created": "yes"}
    assert client.get("/healthz").json() == {"status": "ok"}
    unknown = client.get("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert "html" not in unknown.headers["content-type"]
    assert client.get("/v1/models").status_code == 404
    assert client.get("/metrics").status_code == 404
    # Other methods are the API's business: 405 for a known path, 404 for an unknown one.
    assert client.delete("/api/v1/ping").status_code == 405
    assert client.post("/api/v1/nothing-here").status_code == 404
    assert client.post("/jobs/123").status_code in (404, 405)


def test_head_requests_are_answered(client: TestClient) -> None:
    response = client.head("/jobs/123")
    assert response.status_code == 200
    assert response.headers["cache-control"] == NO_CACHE


def test_missing_dist_mounts_nothing(tmp_path: Path) -> None:
    app = make_app()
    routes_before = len(app.router.routes)
    mount_web_app(app, tmp_path / "not-built")
    assert len(app.router.routes) == routes_before
    client = TestClient(app)
    assert client.get("/").status_code == 404
    assert client.get("/api/v1/ping").status_code == 200


def test_dist_without_index_mounts_nothing(tmp_path: Path) -> None:
    (tmp_path / "dist" / "assets").mkdir(parents=True)
    app = make_app()
    routes_before = len(app.router.routes)
    mount_web_app(app, tmp_path / "dist")
    assert len(app.router.routes) == routes_before


def test_mounting_twice_adds_the_routes_once(dist: Path) -> None:
    app = make_app()
    routes_before = len(app.router.routes)
    mount_web_app(app, dist)
    mount_web_app(app, dist)
    assert len(app.router.routes) == routes_before + 2
    assert TestClient(app).get("/jobs/1").text == INDEX


def test_relative_paths_cannot_climb_out_of_dist(dist: Path) -> None:
    from transcriber.webapp import _inside

    assert _inside(dist, "../secret.txt") is None
    assert _inside(dist / "assets", "../../secret.txt") is None
    assert _inside(dist, "index.html") == dist / "index.html"

"""Every route, called as nobody, as someone else and as its owner (or an admin).

The rule of each route is written here. A route added without a rule fails
`test_every_route_has_a_rule`, so nobody can add an endpoint and forget who may call it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
import pytest
from fastapi.routing import APIWebSocketRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import WebSocketRoute

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login, setup_admin
from tests.support.transcripts import make_transcript
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.kit.db import transaction
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime
from transcriber.webhooks.service import WebhookService

Rule = Literal["public", "user", "owner", "admin"]

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/healthz"): "public",
    ("GET", "/readyz"): "public",
    ("GET", "/metrics"): "public",  # unless TRANSCRIBER_METRICS__TOKEN is set (tests/metrics)
    ("GET", "/openapi.json"): "public",
    ("GET", "/docs"): "public",
    ("GET", "/docs/oauth2-redirect"): "public",
    ("GET", "/redoc"): "public",
    ("POST", "/api/v1/auth/setup"): "public",
    ("POST", "/api/v1/auth/register"): "public",
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/refresh"): "public",
    ("POST", "/api/v1/auth/logout"): "user",
    ("GET", "/api/v1/auth/me"): "user",
    ("POST", "/api/v1/auth/password"): "user",
    ("GET", "/api/v1/api-keys"): "user",
    ("POST", "/api/v1/api-keys"): "user",
    ("DELETE", "/api/v1/api-keys/{key_id}"): "owner",
    ("POST", "/api/v1/jobs"): "user",
    ("GET", "/api/v1/jobs"): "user",
    ("GET", "/api/v1/jobs/{job_id}"): "owner",
    ("POST", "/api/v1/jobs/{job_id}/cancel"): "owner",
    ("POST", "/api/v1/jobs/{job_id}/retry"): "owner",
    ("DELETE", "/api/v1/jobs/{job_id}"): "owner",
    ("GET", "/api/v1/jobs/{job_id}/media"): "owner",
    ("OPTIONS", "/api/v1/uploads"): "user",
    ("POST", "/api/v1/uploads"): "user",
    ("PATCH", "/api/v1/uploads/{upload_id}"): "owner",
    ("DELETE", "/api/v1/uploads/{upload_id}"): "owner",
    ("GET", "/api/v1/jobs/{job_id}/transcript"): "owner",
    ("GET", "/api/v1/jobs/{job_id}/transcript.{fmt}"): "owner",
    ("PATCH", "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}"): "owner",
    ("GET", "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/versions"): "owner",
    ("POST", "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/revert"): "owner",
    ("POST", "/api/v1/jobs/{job_id}/transcript/speakers/rename"): "owner",
    ("POST", "/api/v1/jobs/{job_id}/shares"): "owner",
    ("GET", "/api/v1/jobs/{job_id}/shares"): "owner",
    ("DELETE", "/api/v1/jobs/{job_id}/shares/{share_id}"): "owner",
    ("GET", "/api/v1/search"): "user",
    ("GET", "/api/v1/shared/{token}"): "public",
    ("GET", "/api/v1/shared/{token}/media"): "public",
    ("GET", "/api/v1/shared/{token}/transcript.{fmt}"): "public",
    ("GET", "/api/v1/stats"): "user",
    ("GET", "/api/v1/admin/users"): "admin",
    ("POST", "/api/v1/admin/users"): "admin",
    ("GET", "/api/v1/admin/users/{user_id}"): "admin",
    ("GET", "/api/v1/admin/users/{user_id}/stats"): "admin",
    ("PATCH", "/api/v1/admin/users/{user_id}"): "admin",
    ("DELETE", "/api/v1/admin/users/{user_id}"): "admin",
    ("POST", "/api/v1/admin/users/{user_id}/password"): "admin",
    ("GET", "/api/v1/admin/jobs"): "admin",
    ("GET", "/api/v1/admin/jobs/{job_id}"): "admin",
    ("GET", "/api/v1/admin/jobs/{job_id}/transcript"): "admin",
    ("GET", "/api/v1/admin/jobs/{job_id}/media"): "admin",
    ("DELETE", "/api/v1/admin/jobs/{job_id}"): "admin",
    ("GET", "/api/v1/admin/audit"): "admin",
    ("GET", "/api/v1/admin/settings"): "admin",
    ("PATCH", "/api/v1/admin/settings"): "admin",
    ("POST", "/api/v1/admin/invites"): "admin",
    ("GET", "/api/v1/admin/backups"): "admin",
    ("POST", "/v1/audio/transcriptions"): "user",
    ("POST", "/v1/audio/translations"): "user",
    ("GET", "/v1/models"): "user",
    ("POST", "/api/v1/admin/backups"): "admin",
    ("GET", "/api/v1/admin/backups/{name}"): "admin",
    ("GET", "/api/v1/admin/workers"): "admin",
    ("GET", "/api/v1/admin/health"): "admin",
    ("WS", "/api/v1/ws"): "user",
    ("GET", "/api/v1/webhooks"): "user",
    ("POST", "/api/v1/webhooks"): "user",
    ("GET", "/api/v1/webhooks/{webhook_id}"): "owner",
    ("PATCH", "/api/v1/webhooks/{webhook_id}"): "owner",
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): "owner",
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): "owner",
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/resend"): "owner",
}


# The built web app's routes exist only once `npm run build` has run.
WEB_APP_ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/assets/{path:path}"): "public",
    ("GET", "/{path:path}"): "public",
}
RULES |= WEB_APP_ROUTES


def app_routes() -> set[tuple[str, str]]:
    settings = Settings(data_dir=Path("/nonexistent-authz"), secret_key="x" * 32)
    app = create_app(runtime=Runtime.from_settings(settings, dispatcher=RecordingDispatcher()))
    found: set[tuple[str, str]] = set()
    # FastAPI keeps included routers nested; iter_route_contexts walks them with full paths.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, WebSocketRoute | APIWebSocketRoute):
            found.add(("WS", context.path))
            continue
        for method in context.methods or ():
            if method != "HEAD":
                found.add((method, context.path))
    return found


def test_every_route_has_a_rule() -> None:
    routes = app_routes()
    missing = sorted(routes - RULES.keys())
    stale = sorted(RULES.keys() - routes - WEB_APP_ROUTES.keys())
    assert not missing, f"routes without an authorization rule: {missing}"
    assert not stale, f"rules for routes that no longer exist: {stale}"


@dataclass
class World:
    client: TestClient
    admin: dict[str, str]
    owner_email: str
    other_email: str
    audio: bytes


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, speech_dir: Path) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("authz") / "data", environment="test")
    settings.auth.ip_rate_limit = "10000/minute"  # this test signs in hundreds of times
    upgrade(settings.resolved_database_url)
    dispatcher = RecordingDispatcher()
    runtime = Runtime.from_settings(settings, dispatcher=dispatcher)
    dispatcher.runtime = runtime
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        admin = bearer(setup_admin(client))
        client.headers.pop("Authorization")
        with_admin = TestClient(client.app, headers=admin)
        owner, other = create_user(with_admin), create_user(with_admin)
        audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
        yield World(client, admin, owner, other, audio)


def _fill(path: str, world: World, owner: dict[str, str]) -> str:
    """Real ids owned by `owner`, made fresh for each call (some calls delete them)."""
    client = world.client
    values: dict[str, str] = {"fmt": "txt"}
    if "{segment_id}" in path or "{share_id}" in path or "{token}" in path:
        # A finished transcript, so it can be edited and shared.
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        me = client.get("/api/v1/auth/me", headers=owner).json()["id"]
        job_id, (segment_id,) = make_transcript(runtime, me, ["matrix segment"])
        values["job_id"], values["segment_id"] = str(job_id), str(segment_id)
        share = client.post(
            f"/api/v1/jobs/{job_id}/shares", json={"include_media": True}, headers=owner
        )
        assert share.status_code == 201, share.text
        values["share_id"], values["token"] = share.json()["id"], share.json()["token"]
    if "{job_id}" in path and "job_id" not in values:
        made = client.post("/api/v1/jobs", files={"file": ("a.wav", world.audio)}, headers=owner)
        assert made.status_code == 202, made.text
        values["job_id"] = made.json()["id"]
    if "{upload_id}" in path:
        made = client.post(
            "/api/v1/uploads",
            headers={**owner, "Tus-Resumable": "1.0.0", "Upload-Length": "10"},
        )
        assert made.status_code == 201, made.text
        values["upload_id"] = made.headers["location"].rsplit("/", 1)[1]
    if "{key_id}" in path:
        made = client.post("/api/v1/api-keys", json={"name": "matrix"}, headers=owner)
        values["key_id"] = made.json()["id"]
    if "{user_id}" in path:
        email = create_user(TestClient(client.app, headers=world.admin))
        users = client.get("/api/v1/admin/users", params={"q": email}, headers=world.admin)
        values["user_id"] = users.json()[0]["id"]
    if "{webhook_id}" in path:
        # A public literal address: nothing is resolved, and nothing is ever sent here.
        made = client.post(
            "/api/v1/webhooks", json={"url": "https://93.184.215.14/matrix"}, headers=owner
        )
        assert made.status_code == 201, made.text
        values["webhook_id"] = made.json()["id"]
    if "{delivery_id}" in path:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        me = client.get("/api/v1/auth/me", headers=owner).json()["id"]
        job_id, _ = make_transcript(runtime, me, ["matrix delivery"])
        with transaction(runtime.sessions) as session:
            WebhookService(session, runtime.settings).job_finished(job_id, "job.completed")
        page = client.get(f"/api/v1/webhooks/{values['webhook_id']}/deliveries", headers=owner)
        values["delivery_id"] = page.json()["items"][0]["id"]
    if "{name}" in path:
        made = client.post("/api/v1/admin/backups", headers=world.admin)
        values["name"] = made.json()["name"]
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _call(world: World, method: str, url: str, headers: dict[str, str]) -> httpx.Response:
    # Sign-ins set the web app's cookie; each caller here is exactly its headers.
    world.client.cookies.clear()
    kwargs: dict[str, object] = {"headers": headers}
    if method in ("POST", "PATCH", "PUT"):
        kwargs["json"] = {}
    return world.client.request(method, url, **kwargs)  # type: ignore[arg-type]


CASES = sorted(
    (m, p, r) for (m, p), r in RULES.items() if m != "WS" and (m, p) not in WEB_APP_ROUTES
)


@pytest.mark.parametrize(("method", "path", "rule"), CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
def test_route_answers_as_its_rule_says(method: str, path: str, rule: Rule, world: World) -> None:
    # Fresh sessions per route: logout and password change end the ones they are called with.
    other = bearer(login(world.client, world.other_email))
    owner = world.admin if rule == "admin" else bearer(login(world.client, world.owner_email))
    anonymous = _call(world, method, _fill(path, world, owner), {})
    assert anonymous.status_code != 500
    if rule == "public":
        assert anonymous.status_code not in (401, 403), anonymous.text
        return
    assert anonymous.status_code == 401, anonymous.text
    assert "detail" in anonymous.json() or "error" in anonymous.json()  # OpenAI's shape on /v1

    someone_else = _call(world, method, _fill(path, world, owner), other)
    expected_for_others = {"user": None, "owner": 404, "admin": 403}[rule]
    if expected_for_others is None:
        assert someone_else.status_code not in (401, 403, 404, 500), someone_else.text
    else:
        assert someone_else.status_code == expected_for_others, someone_else.text

    allowed = _call(world, method, _fill(path, world, owner), owner)
    assert allowed.status_code not in (401, 403, 404, 500), allowed.text


def test_ids_that_do_not_exist_look_like_other_peoples(world: World) -> None:
    owner = bearer(login(world.client, world.owner_email))
    other = bearer(login(world.client, world.other_email))
    world.client.cookies.clear()
    missing = uuid.uuid4()
    mine = world.client.get(f"/api/v1/jobs/{missing}", headers=owner)
    made = world.client.post(
        "/api/v1/jobs", files={"file": ("a.wav", world.audio)}, headers=owner
    ).json()["id"]
    theirs = world.client.get(f"/api/v1/jobs/{made}", headers=other)
    assert mine.status_code == theirs.status_code == 404
    assert mine.json() == theirs.json()


def test_upload_head_answers_as_its_rule_says(world: World) -> None:
    """HEAD routes are not in the matrix above; the tus status request is "owner"."""
    owner = bearer(login(world.client, world.owner_email))
    other = bearer(login(world.client, world.other_email))
    world.client.cookies.clear()
    url = _fill("/api/v1/uploads/{upload_id}", world, owner)
    tus = {"Tus-Resumable": "1.0.0"}
    assert world.client.head(url, headers=tus).status_code == 401
    assert world.client.head(url, headers={**tus, **other}).status_code == 404
    assert world.client.head(url, headers={**tus, **owner}).status_code == 200

"""Admins manage accounts; every security-relevant action leaves exactly one audit row."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from tests.support import uploads as tus
from tests.support.app import media_files
from tests.support.auth import PASSWORD, bearer, create_user, login
from transcriber.config import Settings


def _user_id(client: TestClient, email: str) -> str:
    users = client.get("/api/v1/admin/users", params={"q": email}).json()
    assert len(users) == 1
    return str(users[0]["id"])


def _actions(client: TestClient) -> Counter[str]:
    page = client.get("/api/v1/admin/audit", params={"limit": 500}).json()
    return Counter(event["action"] for event in page["items"])


def test_each_action_leaves_exactly_one_audit_row(
    client: TestClient, anonymous: TestClient, speech_dir: Path
) -> None:
    email = create_user(client)
    user_id = _user_id(client, email)
    other = TestClient(client.app)
    tokens = login(other, email)
    other.headers.update(bearer(tokens))
    other.post("/api/v1/auth/login", json={"email": email, "password": "wrong password!"})
    key = other.post("/api/v1/api-keys", json={"name": "k"}).json()
    other.delete(f"/api/v1/api-keys/{key['id']}")
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job = other.post("/api/v1/jobs", files={"file": ("a.wav", audio)}).json()
    other.delete(f"/api/v1/jobs/{job['id']}")
    other.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
    )
    other.post("/api/v1/auth/logout")
    client.post(f"/api/v1/admin/users/{user_id}/password", json={"password": "reset by the admin"})
    client.patch(f"/api/v1/admin/users/{user_id}", json={"role": "admin"})
    client.patch(f"/api/v1/admin/users/{user_id}", json={"is_active": False})
    client.patch("/api/v1/admin/settings", json={"registration": "open"})
    client.delete(f"/api/v1/admin/users/{user_id}")

    actions = _actions(client)
    for action in (
        "auth.login",
        "auth.login_failed",
        "api_key.created",
        "api_key.revoked",
        "job.deleted",
        "user.password_changed",
        "user.password_reset",
        "auth.logout",
        "user.role_changed",
        "user.disabled",
        "settings.changed",
        "user.deleted",
    ):
        assert actions[action] == 1, (action, actions)
    # The first admin's setup and the admin-made account.
    assert actions["user.created"] == 2

    event = client.get("/api/v1/admin/audit", params={"action": "user.deleted"}).json()["items"][0]
    assert event["target_id"] == user_id
    assert event["actor_email"] == "admin@example.org"
    assert event["ip"] and event["user_agent"]


def test_deleting_a_user_removes_their_jobs_and_media(
    client: TestClient, api_settings: Settings, speech_dir: Path
) -> None:
    email = create_user(client)
    other = TestClient(client.app, headers=bearer(login(TestClient(client.app), email)))
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job = other.post("/api/v1/jobs", files={"file": ("a.wav", audio)}).json()
    assert len(media_files(api_settings)) == 1
    # An upload left half way: its bytes sit in the uploads folder, not yet in storage.
    unfinished = tus.create(other, len(audio), filename="half.wav")
    assert tus.patch(other, unfinished, 0, audio[:1000]).status_code == 204
    assert any(p.is_file() for p in api_settings.uploads_dir.rglob("*"))
    assert client.get("/api/v1/admin/jobs").json()["items"][0]["id"] == job["id"]
    assert client.delete(f"/api/v1/admin/users/{_user_id(client, email)}").status_code == 204
    assert client.get("/api/v1/admin/jobs").json()["items"] == []
    assert media_files(api_settings) == []
    assert not any(p.is_file() for p in api_settings.uploads_dir.rglob("*"))
    assert other.get("/api/v1/jobs").status_code == 401


def test_the_last_admin_is_protected(client: TestClient) -> None:
    me = client.get("/api/v1/auth/me").json()
    assert client.patch(f"/api/v1/admin/users/{me['id']}", json={"role": "user"}).status_code == 409
    disabled = client.patch(f"/api/v1/admin/users/{me['id']}", json={"is_active": False})
    assert disabled.status_code == 409
    assert client.delete(f"/api/v1/admin/users/{me['id']}").status_code == 409


def test_password_reset_by_an_admin_ends_the_users_sessions(
    client: TestClient, anonymous: TestClient
) -> None:
    email = create_user(client)
    tokens = login(anonymous, email)
    reset = client.post(
        f"/api/v1/admin/users/{_user_id(client, email)}/password",
        json={"password": "reset by the admin"},
    )
    assert reset.status_code == 204
    anonymous.cookies.clear()
    assert anonymous.get("/api/v1/auth/me", headers=bearer(tokens)).status_code == 401
    login(anonymous, email, "reset by the admin")


def test_admin_inputs_are_validated(client: TestClient) -> None:
    assert (
        client.post(
            "/api/v1/admin/users", json={"email": "x@example.org", "password": "short"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/admin/users",
            json={"email": "x@example.org", "password": PASSWORD, "role": "god"},
        ).status_code
        == 422
    )
    assert client.patch("/api/v1/admin/settings", json={"registration": "maybe"}).status_code == 422
    assert client.get("/api/v1/admin/audit", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/v1/admin/users/not-a-uuid").status_code == 422


def test_admins_see_everyones_jobs_and_transcripts(client: TestClient, speech_dir: Path) -> None:
    email = create_user(client)
    other = TestClient(client.app, headers=bearer(login(TestClient(client.app), email)))
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job = other.post("/api/v1/jobs", files={"file": ("theirs.wav", audio)}).json()
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 404  # not via the user API
    seen = client.get(f"/api/v1/admin/jobs/{job['id']}")
    assert seen.status_code == 200 and seen.json()["filename"] == "theirs.wav"
    transcript = client.get(f"/api/v1/admin/jobs/{job['id']}/transcript")
    assert transcript.status_code == 200 and transcript.json()["segments"] == []
    assert client.get(f"/api/v1/admin/jobs/{uuid.uuid4()}").status_code == 404

    media = client.get(f"/api/v1/admin/jobs/{job['id']}/media", headers={"Range": "bytes=0-99"})
    assert media.status_code == 206 and media.content == audio[:100]
    assert client.get(f"/api/v1/admin/jobs/{uuid.uuid4()}/media").status_code == 404

    user_id = _user_id(client, email)
    usage = client.get(f"/api/v1/admin/users/{user_id}/stats").json()
    assert usage == other.get("/api/v1/stats").json()
    assert usage["jobs_by_status"] == {"queued": 1} and usage["storage_bytes"] == len(audio)
    mine = client.get("/api/v1/stats").json()
    assert mine["jobs_by_status"] == {}
    assert client.get(f"/api/v1/admin/users/{uuid.uuid4()}/stats").status_code == 404

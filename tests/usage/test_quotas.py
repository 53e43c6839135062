"""Quotas: refused with the limit's name and what is left, before bytes are stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher, media_files
from transcriber.config import Settings


def _upload(client: TestClient, path: Path) -> httpx.Response:
    return client.post("/api/v1/jobs", files={"file": (path.name, path.read_bytes())})


def test_storage_quota_refuses_before_storing(
    client: TestClient,
    api_settings: Settings,
    speech_dir: Path,
    dispatcher: RecordingDispatcher,
) -> None:
    small = speech_dir / "ljspeech_LJ002-0020.wav"
    api_settings.quotas.storage_bytes = small.stat().st_size + 1000
    assert (
        client.post("/api/v1/jobs", files={"file": (small.name, small.read_bytes())}).status_code
        == 202
    )
    stored_before = media_files(api_settings)
    big = speech_dir / "jfk.flac"
    refused = client.post("/api/v1/jobs", files={"file": (big.name, big.read_bytes())})
    assert refused.status_code == 403
    body = refused.json()
    assert body["limit"] == "storage_bytes"
    assert body["remaining"] == 1000
    assert "storage quota" in body["detail"]
    assert media_files(api_settings) == stored_before
    assert len(dispatcher.sent) == 1
    stats = client.get("/api/v1/stats").json()
    assert stats["storage_bytes"] == small.stat().st_size
    assert stats["quota"]["storage_bytes"] == api_settings.quotas.storage_bytes


def test_a_body_without_length_is_still_cut_at_the_quota(
    client: TestClient, api_settings: Settings, speech_dir: Path
) -> None:
    api_settings.quotas.storage_bytes = 10_000
    audio = (speech_dir / "jfk.wav").read_bytes()
    boundary = "xyzboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="jfk.wav"\r\n'
            "Content-Type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    refused = client.post(
        "/api/v1/jobs",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert refused.status_code == 403
    assert refused.json()["limit"] == "storage_bytes"
    assert media_files(api_settings) == []


def test_concurrent_jobs_and_monthly_minutes(
    client: TestClient, api_settings: Settings, speech_dir: Path
) -> None:
    clip = speech_dir / "ljspeech_LJ002-0020.wav"
    api_settings.quotas.concurrent_jobs = 2
    assert _upload(client, clip).status_code == 202
    assert _upload(client, clip).status_code == 202
    third = _upload(client, clip)
    assert third.status_code == 403
    assert third.json()["limit"] == "concurrent_jobs"

    api_settings.quotas.concurrent_jobs = 0
    api_settings.quotas.audio_minutes_per_month = 1
    long = speech_dir / "apollo11_air_to_ground_8khz.mp3"
    over = _upload(client, long)
    assert over.status_code == 403
    assert over.json()["limit"] == "audio_minutes_per_month"
    assert media_files(api_settings) and all(p.suffix == ".wav" for p in media_files(api_settings))
    stats = client.get("/api/v1/stats").json()
    assert stats["active_jobs"] == 2
    assert stats["jobs_by_status"] == {"queued": 2}
    assert 0 < stats["audio_minutes_this_month"] < 1


def test_admin_overrides_a_users_quota(client: TestClient, anonymous: TestClient) -> None:
    from tests.support.auth import bearer, create_user, login

    email = create_user(client)
    user_id = client.get("/api/v1/admin/users", params={"q": email}).json()[0]["id"]
    changed = client.patch(f"/api/v1/admin/users/{user_id}", json={"quota_concurrent_jobs": 3})
    assert changed.status_code == 200 and changed.json()["quota_concurrent_jobs"] == 3
    stats = anonymous.get("/api/v1/stats", headers=bearer(login(anonymous, email))).json()
    assert stats["quota"]["concurrent_jobs"] == 3
    bad = client.patch(f"/api/v1/admin/users/{user_id}", json={"quota_concurrent_jobs": -1})
    assert bad.status_code == 422

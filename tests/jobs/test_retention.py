"""Retention of original media on both storage backends: the admin's setting, the periodic
duty, what the job says afterwards (410 on its media, the transcript kept), the audit row,
and the storage quota that no longer counts the deleted bytes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login, setup_admin
from tests.support.s3 import Bucket, bucket_of, settings_on_backend, stored_objects
from tests.support.transcripts import make_transcript
from transcriber.app import create_app
from transcriber.config import Settings, StorageSettings
from transcriber.jobs import retention
from transcriber.jobs.models import Job
from transcriber.jobs.retention import RETENTION_BATCH, expire_media
from transcriber.jobs.scheduler import maintain
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime

HOUR = 3600
MEDIA = b"RIFF-not-really-audio-but-bytes-to-serve"


@pytest.fixture(params=["local", "s3"])
def api_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Overrides the shared fixture: every test here runs on both backends."""
    return settings_on_backend(request, tmp_path / "data")


@pytest.fixture
def bucket(request: pytest.FixtureRequest, api_settings: Settings) -> Bucket | None:
    return bucket_of(request, api_settings)


def _me(client: TestClient) -> str:
    return str(client.get("/api/v1/auth/me").json()["id"])


def _set_retention(client: TestClient, seconds: int) -> None:
    answer = client.patch("/api/v1/admin/settings", json={"media_retention_s": seconds})
    assert answer.status_code == 200, answer.text
    assert answer.json()["media_retention_s"] == seconds


def test_media_is_kept_forever_by_default(
    client: TestClient, runtime: Runtime, api_settings: Settings, bucket: Bucket | None
) -> None:
    assert client.get("/api/v1/admin/settings").json()["media_retention_s"] == 0
    job_id, _ = make_transcript(runtime, _me(client), ["words"])
    later = utcnow() + timedelta(days=3650)
    assert expire_media(runtime.sessions, api_settings, runtime.storage, now=later) == 0
    assert client.get(f"/api/v1/jobs/{job_id}/media").status_code == 200
    assert len(stored_objects(api_settings, bucket)) == 1


def test_expired_media_is_deleted_and_the_job_says_so(
    client: TestClient, runtime: Runtime, api_settings: Settings, bucket: Bucket | None
) -> None:
    me = _me(client)
    _set_retention(client, 24 * HOUR)
    old_id, _ = make_transcript(runtime, me, ["old words"])
    failed_id, _ = make_transcript(runtime, me, ["partial"], status="failed")
    assert client.get("/api/v1/stats").json()["storage_bytes"] == 2 * len(MEDIA)
    # Finished a day and an hour ago; a job finished after the cutoff stays.
    now = utcnow() + timedelta(hours=25)
    new_id, _ = make_transcript(runtime, me, ["new words"])
    with transaction(runtime.sessions) as session:
        new_job = session.get(Job, new_id)
        assert new_job is not None
        new_job.finished_at = now - timedelta(hours=23)

    assert expire_media(runtime.sessions, api_settings, runtime.storage, now=now) == 1

    gone = client.get(f"/api/v1/jobs/{old_id}/media")
    assert gone.status_code == 410
    assert "keeps media for 1 day after a job completes" in gone.json()["detail"]
    assert "transcript is kept" in gone.json()["detail"]
    job = client.get(f"/api/v1/jobs/{old_id}").json()
    assert job["status"] == "completed"
    assert job["media_deleted_at"] is not None
    assert job["media_note"] == gone.json()["detail"]
    transcript = client.get(f"/api/v1/jobs/{old_id}/transcript")
    assert transcript.status_code == 200 and transcript.json()["text"] == "old words"
    assert client.get(f"/api/v1/jobs/{old_id}/transcript.srt").status_code == 200
    # Only completed jobs; the newer one and the failed one (it may be retried) keep theirs.
    assert client.get(f"/api/v1/jobs/{new_id}/media").status_code == 200
    assert client.get(f"/api/v1/jobs/{failed_id}/media").status_code == 200
    assert sorted(stored_objects(api_settings, bucket)) == sorted(
        [f"{me}/{new_id}/original.wav", f"{me}/{failed_id}/original.wav"]
    )
    # Deleted media no longer counts against the storage quota.
    assert client.get("/api/v1/stats").json()["storage_bytes"] == 2 * len(MEDIA)

    events = client.get("/api/v1/admin/audit", params={"action": "job.media_deleted"}).json()
    [event] = events["items"]
    assert event["target_id"] == str(old_id)
    assert event["actor_id"] is None
    assert event["details"]["reason"] == "retention"
    assert event["details"]["retention_s"] == 24 * HOUR

    # Nothing more to do: a second pass changes nothing.
    assert expire_media(runtime.sessions, api_settings, runtime.storage, now=now) == 0
    # Deleting the job afterwards still works (no media left to delete).
    assert client.delete(f"/api/v1/jobs/{old_id}").status_code == 204


def test_the_environment_gives_the_first_value(
    tmp_path: Path, dispatcher: RecordingDispatcher
) -> None:
    settings = Settings(
        data_dir=tmp_path / "env",
        environment="test",
        storage=StorageSettings(media_retention_s=HOUR),
    )
    upgrade(settings.resolved_database_url)
    runtime = Runtime.from_settings(settings, dispatcher=dispatcher)
    dispatcher.runtime = runtime
    with TestClient(create_app(runtime=runtime)) as admin:
        setup_admin(admin)
        assert admin.get("/api/v1/admin/settings").json()["media_retention_s"] == HOUR
        job_id, _ = make_transcript(runtime, _me(admin), ["words"])
        later = utcnow() + timedelta(hours=2)
        assert expire_media(runtime.sessions, settings, runtime.storage, now=later) == 1
        assert admin.get(f"/api/v1/jobs/{job_id}/media").status_code == 410
        # The admin's 0 turns it off again.
        _set_retention(admin, 0)
        make_transcript(runtime, _me(admin), ["words"])
        assert expire_media(runtime.sessions, settings, runtime.storage, now=later) == 0


def test_the_maintenance_runs_retention(
    client: TestClient,
    runtime: Runtime,
    api_settings: Settings,
    dispatcher: RecordingDispatcher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_retention(client, 1)
    job_id, _ = make_transcript(runtime, _me(client), ["words"])
    with transaction(runtime.sessions) as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.finished_at = utcnow() - timedelta(seconds=5)
    monkeypatch.setattr(retention._Due, "next_at", 0.0)
    assert maintain(runtime.sessions, api_settings, dispatcher, "test-owner") is not None
    assert client.get(f"/api/v1/jobs/{job_id}/media").status_code == 410
    # Throttled: the next tick within a minute does not scan again.
    assert retention._Due.next_at > 0


def test_many_expired_jobs_go_in_batches(
    client: TestClient,
    runtime: Runtime,
    api_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(retention, "RETENTION_BATCH", 2)
    assert RETENTION_BATCH == 200  # the real batch
    _set_retention(client, 60)
    me = _me(client)
    ids = [make_transcript(runtime, me, ["w"])[0] for _ in range(5)]
    later = utcnow() + timedelta(minutes=2)
    assert expire_media(runtime.sessions, api_settings, runtime.storage, now=later) == 5
    for job_id in ids:
        assert client.get(f"/api/v1/jobs/{job_id}/media").status_code == 410


def test_retention_setting_is_validated_and_admin_only(client: TestClient) -> None:
    for bad in (-1, "a week", 10**12, 1.5):
        answer = client.patch("/api/v1/admin/settings", json={"media_retention_s": bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["detail"]
    email = create_user(client)
    user = bearer(login(TestClient(client.app), email))
    answer = client.patch("/api/v1/admin/settings", json={"media_retention_s": 60}, headers=user)
    assert answer.status_code == 403
    assert client.get("/api/v1/admin/settings").json()["media_retention_s"] == 0
    _set_retention(client, 7 * 24 * HOUR)
    changed = client.get("/api/v1/admin/audit", params={"action": "settings.changed"}).json()
    assert changed["items"][0]["details"]["after"]["media_retention_s"] == 7 * 24 * HOUR


def test_another_users_deleted_media_is_still_404(
    client: TestClient, runtime: Runtime, api_settings: Settings
) -> None:
    _set_retention(client, 60)
    job_id, _ = make_transcript(runtime, _me(client), ["words"])
    expire_media(
        runtime.sessions, api_settings, runtime.storage, now=utcnow() + timedelta(minutes=2)
    )
    email = create_user(client)
    other = bearer(login(TestClient(client.app), email))
    assert client.get(f"/api/v1/jobs/{job_id}/media", headers=other).status_code == 404

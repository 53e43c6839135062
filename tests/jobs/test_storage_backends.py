"""The jobs API on both storage backends: the local folder and an S3-compatible bucket on a
local server started by the tests. Media with range requests, deleting a job or a user, and
one real job end to end (multipart upload, the real tiny.en worker) on S3."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login
from tests.support.jobs import get_job, submit_job
from tests.support.s3 import Bucket, bucket_of, s3_settings, settings_on_backend, stored_objects
from tests.support.transcripts import make_transcript
from tests.support.workers import register_live_worker
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.jobs.tasks import run_job
from transcriber.runtime import Runtime
from transcriber.transcripts.models import TranscriptSegment
from transcriber.worker.context import WorkerContext


@pytest.fixture(params=["local", "s3"])
def api_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Overrides the shared fixture: every test here runs on both backends."""
    return settings_on_backend(request, tmp_path / "data")


@pytest.fixture
def bucket(request: pytest.FixtureRequest, api_settings: Settings) -> Bucket | None:
    return bucket_of(request, api_settings)


def _me(client: TestClient) -> str:
    return str(client.get("/api/v1/auth/me").json()["id"])


def test_media_is_served_with_range_requests(
    client: TestClient, speech_dir: Path, api_settings: Settings, bucket: Bucket | None
) -> None:
    audio = (speech_dir / "jfk.wav").read_bytes()
    job = submit_job(client, speech_dir / "jfk.wav")
    assert len(stored_objects(api_settings, bucket)) == 1
    url = f"/api/v1/jobs/{job['id']}/media"

    whole = client.get(url)
    assert whole.status_code == 200
    assert whole.content == audio
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"].startswith("audio/")
    assert whole.headers["content-disposition"].startswith("inline")

    for header, start, end in (
        ("bytes=100-199", 100, 200),
        ("bytes=-100", len(audio) - 100, len(audio)),
        ("bytes=1000-", 1000, len(audio)),
        (f"bytes=10-{len(audio) * 2}", 10, len(audio)),
    ):
        part = client.get(url, headers={"Range": header})
        assert part.status_code == 206, (header, part.text)
        assert part.content == audio[start:end], header
        assert part.headers["content-range"] == f"bytes {start}-{end - 1}/{len(audio)}"
        assert int(part.headers["content-length"]) == end - start

    past = client.get(url, headers={"Range": f"bytes={len(audio)}-"})
    assert past.status_code == 416
    assert past.headers["content-range"] == f"bytes */{len(audio)}"
    assert client.get(url, headers={"Range": "bytes=abc-def"}).status_code == 400
    assert client.get(url, headers={"Range": "bytes=200-100"}).status_code == 400
    # A digit that is not ASCII ("\xb2" is a superscript two): refused or ignored, never a 500.
    assert client.get(url, headers={"Range": b"bytes=\xb2-"}).status_code in (200, 400)


def test_someone_elses_media_is_404(
    client: TestClient, speech_dir: Path, api_settings: Settings
) -> None:
    job = submit_job(client, speech_dir / "jfk.wav")
    email = create_user(client)
    other = bearer(login(TestClient(client.app), email))
    assert client.get(f"/api/v1/jobs/{job['id']}/media", headers=other).status_code == 404


def test_deleting_a_job_deletes_its_media_and_transcript(
    client: TestClient, runtime: Runtime, api_settings: Settings, bucket: Bucket | None
) -> None:
    me = _me(client)
    job_id, _ = make_transcript(runtime, me, ["first words", "second words"])
    kept_id, _ = make_transcript(runtime, me, ["kept"])
    assert len(stored_objects(api_settings, bucket)) == 2
    assert client.get(f"/api/v1/jobs/{job_id}/transcript").status_code == 200

    assert client.delete(f"/api/v1/jobs/{job_id}").status_code == 204

    assert client.get(f"/api/v1/jobs/{job_id}/transcript").status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}/media").status_code == 404
    with runtime.sessions() as session:
        left = session.scalar(select(func.count()).where(TranscriptSegment.job_id == job_id))
    assert left == 0
    assert stored_objects(api_settings, bucket) == [f"{me}/{kept_id}/original.wav"]
    assert client.get(f"/api/v1/jobs/{kept_id}/media").status_code == 200


def test_deleting_a_user_deletes_their_media(
    client: TestClient, runtime: Runtime, api_settings: Settings, bucket: Bucket | None
) -> None:
    me = _me(client)
    email = create_user(client)
    other_id = client.get("/api/v1/admin/users", params={"q": email}).json()[0]["id"]
    for _ in range(2):
        make_transcript(runtime, other_id, ["theirs"])
    mine, _ = make_transcript(runtime, me, ["mine"])
    assert len(stored_objects(api_settings, bucket)) == 3

    assert client.delete(f"/api/v1/admin/users/{other_id}").status_code == 204

    assert stored_objects(api_settings, bucket) == [f"{me}/{mine}/original.wav"]


def test_readiness_checks_the_configured_storage(
    client: TestClient, runtime: Runtime, api_settings: Settings
) -> None:
    register_live_worker(runtime.sessions, runtime.settings)
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["storage"] == "ok"


@pytest.fixture
def worker(api_settings: Settings, dispatcher: RecordingDispatcher) -> Iterator[WorkerContext]:
    api_settings.worker.concurrency = 1
    context = WorkerContext(api_settings, dispatcher=dispatcher)
    yield context
    context.db.dispose()


def test_a_real_job_end_to_end(
    client: TestClient,
    worker: WorkerContext,
    speech_dir: Path,
    api_settings: Settings,
) -> None:
    """Multipart upload, the real tiny.en model, a completed transcript; on S3 the worker's
    temporary copy of the media is gone afterwards."""
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav")["id"])
    assert run_job(worker, job_id) == "completed"
    job = get_job(client, job_id)
    assert job["status"] == "completed" and job["media_deleted_at"] is None
    text = client.get(f"/api/v1/jobs/{job_id}/transcript").json()["text"].lower()
    assert "ask not what your country can do for you" in text
    assert client.get(f"/api/v1/jobs/{job_id}/media").status_code == 200
    cache = api_settings.media_cache_dir
    leftovers = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftovers == []


def test_an_unreachable_bucket_is_a_503_and_a_job_given_back(
    client: TestClient,
    speech_dir: Path,
    api_settings: Settings,
    bucket: Bucket | None,
    dispatcher: RecordingDispatcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if bucket is None:
        pytest.skip("object storage only")
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav")["id"])
    # The same install, but nothing listens where these processes look for the bucket.
    down = s3_settings(api_settings.data_dir, Bucket("http://127.0.0.1:9", bucket.name))
    down.worker.retry_backoff_s = 0
    worker = WorkerContext(down, dispatcher=dispatcher)
    try:
        assert run_job(worker, job_id) == "requeued"
    finally:
        worker.db.dispose()
    job = get_job(client, job_id)
    assert (job["status"], job["attempts"], job["error"]) == ("queued", 1, None)

    runtime = Runtime.from_settings(down, dispatcher=dispatcher)
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as other:
        other.headers["Authorization"] = client.headers["Authorization"]
        upload = other.post(
            "/api/v1/jobs", files={"file": ("jfk.wav", (speech_dir / "jfk.wav").read_bytes())}
        )
        assert upload.status_code == 503, upload.text
        assert "media storage did not answer" in upload.json()["detail"]
        media = other.get(f"/api/v1/jobs/{job_id}/media")
        assert media.status_code == 503, media.text
        # The rows go at once; the bytes the storage could not delete are logged for the
        # operator, not turned into an error for a deletion that took place.
        with caplog.at_level(logging.ERROR, logger="transcriber.jobs.service"):
            assert other.delete(f"/api/v1/jobs/{job_id}").status_code == 204
        assert f"{job_id}/original.wav" in caplog.text
        assert other.get(f"/api/v1/jobs/{job_id}").status_code == 404
    runtime.db.dispose()

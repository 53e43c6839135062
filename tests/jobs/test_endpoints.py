"""The jobs API on a real, migrated SQLite database; the broker is replaced by a recorder."""

from __future__ import annotations

import io
import uuid
import wave
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher, media_files
from tests.support.workers import register_live_worker
from transcriber.config import Settings
from transcriber.runtime import Runtime


def _post(client: TestClient, name: str, data: bytes, **options: str) -> httpx.Response:
    return client.post("/api/v1/jobs", files={"file": (name, data)}, data=options)


def _silence_wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buffer.getvalue()


def test_upload_creates_a_queued_job_and_dispatches_after_commit(
    client: TestClient, dispatcher: RecordingDispatcher, speech_dir: Path, api_settings: Settings
) -> None:
    audio = (speech_dir / "jfk.flac").read_bytes()
    response = client.post(
        "/api/v1/jobs",
        files={"file": ("jfk.flac", audio, "audio/flac")},
        data={"language": "en", "word_timestamps": "true"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued"
    assert job["progress"] == 0
    assert job["filename"] == "jfk.flac"
    assert job["duration_s"] == pytest.approx(11.0, abs=0.1)
    assert job["model"] == api_settings.default_model
    assert job["word_timestamps"] is True
    # Sent exactly once, and only once the row was committed and visible to other sessions.
    assert dispatcher.sent == [(uuid.UUID(job["id"]), "cpu", True)]
    stored = media_files(api_settings)
    assert len(stored) == 1
    assert stored[0].read_bytes() == audio

    fetched = client.get(f"/api/v1/jobs/{job['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["id"] == job["id"]


def test_job_list_is_newest_first_and_paginates(client: TestClient, speech_dir: Path) -> None:
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    ids = [_post(client, f"clip-{i}.wav", audio).json()["id"] for i in range(5)]
    first = client.get("/api/v1/jobs", params={"limit": 2}).json()
    assert [j["id"] for j in first["items"]] == ids[::-1][:2]
    second = client.get("/api/v1/jobs", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [j["id"] for j in second["items"]] == ids[::-1][2:4]
    third = client.get("/api/v1/jobs", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [j["id"] for j in third["items"]] == ids[::-1][4:]
    assert third["next_cursor"] is None
    filtered = client.get("/api/v1/jobs", params={"q": "CLIP-3"}).json()
    assert [j["filename"] for j in filtered["items"]] == ["clip-3.wav"]
    by_status = client.get("/api/v1/jobs", params={"status": "completed"}).json()
    assert by_status["items"] == []


@pytest.mark.parametrize(
    ("name", "payload", "status", "phrase"),
    [
        ("notes.mp3", b"This is a plain text file pretending to be audio.\n" * 20, 415, "audio"),
        ("empty.wav", b"", 422, "empty"),
        ("archive.mp3", b"PK\x03\x04" + b"\x00" * 200, 415, "audio"),
    ],
)
def test_bad_media_is_refused_with_a_reason_and_nothing_kept(
    client: TestClient,
    dispatcher: RecordingDispatcher,
    api_settings: Settings,
    name: str,
    payload: bytes,
    status: int,
    phrase: str,
) -> None:
    response = _post(client, name, payload)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert phrase in detail.lower()
    assert media_files(api_settings) == []
    assert dispatcher.sent == []
    assert client.get("/api/v1/jobs").json()["items"] == []


def test_truncated_mp3_never_gives_a_server_error(
    client: TestClient, speech_dir: Path, api_settings: Settings
) -> None:
    truncated = (speech_dir / "librivox_shakespeare_sonnet001_en.mp3").read_bytes()[:2048]
    response = _post(client, "cut.mp3", truncated)
    assert response.status_code in (202, 415, 422), response.text
    if response.status_code != 202:
        assert media_files(api_settings) == []


def test_a_very_short_clip_is_accepted_and_silence_too(client: TestClient) -> None:
    assert _post(client, "short.wav", _silence_wav(0.2)).status_code == 202
    too_short = _post(client, "blip.wav", _silence_wav(0.02))
    assert too_short.status_code == 422
    assert "short" in too_short.json()["detail"].lower()


def test_upload_over_the_size_limit_is_refused_and_nothing_kept(
    client: TestClient, api_settings: Settings
) -> None:
    api_settings.limits.max_upload_bytes = 50_000
    response = _post(client, "big.wav", _silence_wav(5))
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert media_files(api_settings) == []


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"language": "xx"}, "language"),
        ({"task": "summarise"}, "task"),
        ({"word_timestamps": "perhaps"}, "word_timestamps"),
        ({"model": "no-such-model"}, "model"),
        ({"model": "/etc"}, "model"),
        ({"initial_prompt": "x" * 5000}, "initial_prompt"),
    ],
)
def test_bad_options_get_a_readable_422(
    client: TestClient,
    speech_dir: Path,
    api_settings: Settings,
    options: dict[str, str],
    phrase: str,
) -> None:
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    response = _post(client, "a.wav", audio, **options)
    assert response.status_code == 422, response.text
    assert phrase in response.json()["detail"]
    assert media_files(api_settings) == []


def test_wrong_request_shapes_are_4xx(client: TestClient) -> None:
    plain = client.post("/api/v1/jobs", content=b"x", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    # JSON is a finished tus upload (`upload_id`) or media from a URL: "x" is not a URL, and
    # a body with neither or both is no job.
    assert client.post("/api/v1/jobs", json={"url": "x"}).status_code == 422
    assert client.post("/api/v1/jobs", json={"language": "en"}).status_code == 422
    both = {"url": "https://example.org/a.mp3", "upload_id": str(uuid.uuid4())}
    assert client.post("/api/v1/jobs", json=both).status_code == 422
    assert client.post("/api/v1/jobs", json=["url"]).status_code == 422
    nested = client.post(
        "/api/v1/jobs", content=b"[" * 30_000, headers={"content-type": "application/json"}
    )
    assert nested.status_code == 422
    broken = client.post(
        "/api/v1/jobs", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    no_file = client.post("/api/v1/jobs", data={"language": "en"}, files={"x": ("a", b"1")})
    assert no_file.status_code == 400
    assert "file" in no_file.json()["detail"]
    assert client.get("/api/v1/jobs/not-a-uuid").status_code == 422
    assert client.get(f"/api/v1/jobs/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/jobs", params={"cursor": "garbage!!"}).status_code == 400
    assert client.get("/api/v1/jobs", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/jobs", params={"status": "sleeping"}).status_code == 422


def test_hostile_filenames_are_cleaned(
    client: TestClient, speech_dir: Path, api_settings: Settings
) -> None:
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job = _post(client, "../../etc/passwd\x00.wav", audio).json()
    assert "/" not in job["filename"] and "\x00" not in job["filename"]
    stored = media_files(api_settings)
    assert all(p.is_relative_to(api_settings.media_dir) for p in stored)


def test_cancel_retry_delete(
    client: TestClient, dispatcher: RecordingDispatcher, speech_dir: Path, api_settings: Settings
) -> None:
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job_id = _post(client, "a.wav", audio).json()["id"]
    cancelled = client.post(f"/api/v1/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/jobs/{job_id}/cancel")
    assert again.status_code == 409
    retried = client.post(f"/api/v1/jobs/{job_id}/retry")
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert len(dispatcher.sent) == 2
    assert client.post(f"/api/v1/jobs/{job_id}/retry").status_code == 409
    assert client.get(f"/api/v1/jobs/{job_id}/transcript.srt").status_code == 409
    assert client.delete(f"/api/v1/jobs/{job_id}").status_code == 204
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert media_files(api_settings) == []


def test_media_is_served_with_range_requests(client: TestClient, speech_dir: Path) -> None:
    audio = (speech_dir / "jfk.wav").read_bytes()
    job_id = _post(client, "jfk.wav", audio).json()["id"]
    whole = client.get(f"/api/v1/jobs/{job_id}/media")
    assert whole.status_code == 200
    assert whole.content == audio
    part = client.get(f"/api/v1/jobs/{job_id}/media", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == audio[100:200]


def test_health_and_readiness(client: TestClient, runtime: Runtime) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    # Without a live worker on the default queue nothing would run a job: not ready.
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    assert "no live worker" in waiting.json()["checks"]["worker"]
    register_live_worker(runtime.sessions, runtime.settings)
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "storage": "ok",
        "worker": "ok",
    }

"""The transcription task with the real tiny.en model on a real SQLite database."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.support.app import RecordingDispatcher
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.tasks import run_job
from transcriber.transcripts.models import TranscriptSegment
from transcriber.worker.context import WorkerContext


@pytest.fixture
def worker(api_settings: Settings) -> WorkerContext:
    return WorkerContext(api_settings)


def _submit(client: TestClient, path: Path, **options: str) -> uuid.UUID:
    response = client.post(
        "/api/v1/jobs", files={"file": (path.name, path.read_bytes())}, data=options
    )
    assert response.status_code == 202, response.text
    return uuid.UUID(response.json()["id"])


def _segment_count(worker: WorkerContext, job_id: uuid.UUID) -> int:
    with worker.sessions() as session:
        query = select(func.count()).where(TranscriptSegment.job_id == job_id)
        return int(session.scalar(query) or 0)


def test_a_job_runs_to_completion_and_a_second_delivery_is_a_no_op(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    job_id = _submit(client, speech_dir / "jfk.flac", word_timestamps="true")
    assert run_job(worker, job_id) == "completed"
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert job["status"] == "completed"
    assert job["progress"] == 1.0
    assert job["language"] == "en"
    transcript = client.get(f"/api/v1/jobs/{job_id}/transcript").json()
    assert "ask not what your country can do for you" in transcript["text"].lower()
    assert all(s["words"] for s in transcript["segments"])
    count = _segment_count(worker, job_id)
    assert count == len(transcript["segments"]) > 0

    assert run_job(worker, job_id) == "skipped"
    assert _segment_count(worker, job_id) == count
    assert run_job(worker, uuid.uuid4()) == "skipped"


def test_cancel_stops_a_running_job_and_keeps_what_was_written(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    # The sequential decoder writes a segment at a time; the batched default hands over a
    # whole batch of chunks at once, and this short file is a single batch.
    worker.settings.whisper.batch_size = 0
    job_id = _submit(client, speech_dir / "librivox_shakespeare_sonnet001_en.mp3")
    outcome: list[str] = []
    thread = threading.Thread(target=lambda: outcome.append(run_job(worker, job_id)))
    thread.start()
    deadline = time.monotonic() + 60
    while _segment_count(worker, job_id) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 200
    thread.join(timeout=60)
    assert outcome == ["stopped"]
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert job["status"] == "cancelled"
    assert 0 < job["progress"] < 1
    kept = _segment_count(worker, job_id)
    assert kept > 0
    # The partial transcript can still be exported.
    assert client.get(f"/api/v1/jobs/{job_id}/transcript.txt").status_code == 200


def test_media_that_breaks_after_upload_fails_the_job_with_a_reason(
    client: TestClient, worker: WorkerContext, speech_dir: Path, api_settings: Settings
) -> None:
    job_id = _submit(client, speech_dir / "jfk.wav")
    with worker.sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.media_key
        worker.storage.local_path(job.media_key).write_bytes(b"no longer audio" * 100)
    assert run_job(worker, job_id) == "failed"
    failed = client.get(f"/api/v1/jobs/{job_id}").json()
    assert failed["status"] == "failed"
    assert failed["error"] and "Traceback" not in failed["error"]
    assert failed["finished_at"] is not None
    retried = client.post(f"/api/v1/jobs/{job_id}/retry")
    assert retried.status_code == 202


def test_a_worker_that_lost_its_lease_stops_writing(
    client: TestClient,
    worker: WorkerContext,
    speech_dir: Path,
    api_settings: Settings,
    dispatcher: RecordingDispatcher,
) -> None:
    job_id = _submit(client, speech_dir / "jfk.wav")
    other = WorkerContext(api_settings)
    with other.sessions() as session:
        from transcriber.jobs.service import JobService

        service = JobService(session, api_settings, other.storage, dispatcher)
        assert service.claim(job_id, other.worker_id) is not None
        session.commit()
        assert service.claim(job_id, worker.worker_id) is None
        assert not service.heartbeat(job_id, worker.worker_id)
        assert service.heartbeat(job_id, other.worker_id)
        session.commit()
    assert run_job(worker, job_id) == "skipped"

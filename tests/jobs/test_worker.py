"""A worker process's parts, in-process with the real tiny.en model on a real SQLite database:
cancel through the job watch, models a worker cannot load, database blips mid-job, the
worker's registration and the admin list of workers."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login
from tests.support.jobs import get_job, submit_job
from transcriber.asr.catalog import effective_batch_size
from transcriber.asr.types import TranscribeOptions
from transcriber.config import Settings
from transcriber.jobs import tasks
from transcriber.jobs.service import JobService
from transcriber.jobs.tasks import run_job
from transcriber.realtime.models import Event
from transcriber.transcripts.models import TranscriptSegment
from transcriber.worker.agent import WorkerAgent
from transcriber.worker.context import WorkerContext

SONNET = "librivox_shakespeare_sonnet001_en.mp3"  # 53 s
MEDIUM = "librispeech_dev-clean_1272-128104-0004_8khz.wav"  # 29 s


def _segments(worker: WorkerContext, job_id: uuid.UUID) -> list[int]:
    with worker.sessions() as session:
        rows = session.scalars(
            select(TranscriptSegment.idx).where(TranscriptSegment.job_id == job_id)
        )
        return sorted(rows)


def _events(worker: WorkerContext, job_id: uuid.UUID, type_: str) -> list[dict[str, Any]]:
    with worker.sessions() as session:
        rows = session.scalars(
            select(Event.payload)
            .where(Event.job_id == job_id, Event.type == type_)
            .order_by(Event.id)
        )
        return list(rows)


def _run_in_thread(worker: WorkerContext, job_id: uuid.UUID) -> tuple[threading.Thread, list[str]]:
    outcome: list[str] = []
    thread = threading.Thread(target=lambda: outcome.append(run_job(worker, job_id)))
    thread.start()
    return thread, outcome


def _wait_running(client: TestClient, job_id: uuid.UUID) -> None:
    deadline = time.monotonic() + 60
    while get_job(client, job_id)["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_cancel_reaches_a_job_between_writes_through_the_watch(
    client: TestClient, worker: WorkerContext, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No segment write would notice the cancel before the end: only the watch can stop it.
    monkeypatch.setattr(tasks, "FLUSH_INTERVAL_S", 1e9)
    job_id = uuid.UUID(submit_job(client, speech_dir / SONNET)["id"])
    thread, outcome = _run_in_thread(worker, job_id)
    _wait_running(client, job_id)
    time.sleep(0.5)
    cancelled_at = time.monotonic()
    assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 200
    thread.join(timeout=60)
    stopped_after = time.monotonic() - cancelled_at
    assert outcome == ["stopped"]
    # POLL_S (0.2 s here) plus the rest of the 30 s chunk being decoded: about a second on
    # an idle two-core machine, over ten when other test suites share its two cores. The
    # bound only has to tell "stopped at the next chunk" from "ran to the end".
    assert stopped_after < 20, stopped_after
    job = get_job(client, job_id)
    assert job["status"] == "cancelled"
    assert worker.watch.job_ids() == []


def test_a_cancelled_job_keeps_its_partial_transcript(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    # The sequential decoder writes a segment at a time; the batched default hands over a
    # whole batch of chunks at once, and this short file is a single batch.
    worker.settings.whisper.batch_size = 0
    job_id = uuid.UUID(submit_job(client, speech_dir / MEDIUM)["id"])
    thread, outcome = _run_in_thread(worker, job_id)
    deadline = time.monotonic() + 60
    while not _segments(worker, job_id):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 200
    thread.join(timeout=60)
    assert outcome == ["stopped"]
    job = get_job(client, job_id)
    assert (job["status"], job["partial"]) == ("cancelled", True)
    kept = _segments(worker, job_id)
    assert kept == list(range(len(kept))) and kept
    transcript = client.get(f"/api/v1/jobs/{job_id}/transcript").json()
    assert len(transcript["segments"]) == len(kept)
    # Retried, it starts clean and is no longer partial.
    assert client.post(f"/api/v1/jobs/{job_id}/retry").status_code == 202
    assert [e["reason"] for e in _events(worker, job_id, "job.queued")] == ["Retried by its owner."]
    assert get_job(client, job_id)["queue_reason"] == "Retried by its owner."
    assert run_job(worker, job_id) == "completed"
    done = get_job(client, job_id)
    assert (done["status"], done["partial"], done["attempts"]) == ("completed", False, 1)
    assert done["queue_reason"] is None  # cleared when a worker took it


def test_a_model_the_worker_cannot_load_is_given_back_then_failed_with_a_reason(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    # `small` is in the catalog but not installed here, and the hub is out of reach.
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav", model="small")["id"])
    assert run_job(worker, job_id) == "requeued"
    job = get_job(client, job_id)
    assert (job["status"], job["attempts"]) == ("queued", 1)
    assert run_job(worker, job_id) == "requeued"
    assert run_job(worker, job_id) == "failed"
    failed = get_job(client, job_id)
    assert failed["status"] == "failed"
    assert "cannot load model 'small'" in failed["error"]
    assert "3 attempts" in failed["error"]


def test_a_database_blip_mid_job_is_retried_without_doubling_segments(
    client: TestClient, worker: WorkerContext, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = JobService.append_segments
    calls = {"n": 0}

    def flaky(self: JobService, *args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        stored = real_append(self, *args, **kwargs)  # type: ignore[arg-type]
        if calls["n"] == 2:
            # Written, then the connection drops before the caller hears of it.
            self.session.flush()
            self.session.commit()
            raise OperationalError("COMMIT", {}, ConnectionResetError("connection reset"))
        return stored

    monkeypatch.setattr(JobService, "append_segments", flaky)
    job_id = uuid.UUID(submit_job(client, speech_dir / MEDIUM)["id"])
    assert run_job(worker, job_id) == "completed"
    assert calls["n"] >= 3
    idx = _segments(worker, job_id)
    assert idx == list(range(len(idx)))
    texts = [s["text"] for s in client.get(f"/api/v1/jobs/{job_id}/transcript").json()["segments"]]
    assert len(texts) == len(set(texts))


def test_a_worker_registers_reports_its_jobs_and_leaves(
    client: TestClient, worker: WorkerContext, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = WorkerAgent(worker)
    agent.beat()
    rows = client.get("/api/v1/admin/workers").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == worker.worker_id and row["alive"] is True
    assert row["queues"] == ["cpu"] and row["device"] == "cpu"
    assert row["current_jobs"] == []
    # While a job runs the worker reports it and its model.
    monkeypatch.setattr(tasks, "FLUSH_INTERVAL_S", 1e9)
    job_id = uuid.UUID(submit_job(client, speech_dir / SONNET)["id"])
    thread, _ = _run_in_thread(worker, job_id)
    _wait_running(client, job_id)
    agent.beat()
    row = client.get("/api/v1/admin/workers").json()[0]
    assert row["current_jobs"] == [str(job_id)]
    assert row["models"] == [worker.settings.default_model]
    client.post(f"/api/v1/jobs/{job_id}/cancel")
    thread.join(timeout=60)
    agent.start()
    agent.stop()
    assert client.get("/api/v1/admin/workers").json() == []


def test_only_admins_see_the_workers(client: TestClient, anonymous: TestClient) -> None:
    email = create_user(client)
    user_headers = bearer(login(anonymous, email))
    response = anonymous.get("/api/v1/admin/workers", headers=user_headers)
    assert response.status_code == 403
    assert "administrator" in response.json()["detail"]


def test_jobs_route_to_the_gpu_queue_by_model(
    client: TestClient, dispatcher: RecordingDispatcher, api_settings: Settings, speech_dir: Path
) -> None:
    from transcriber.jobs.routing import queue_for_model

    assert queue_for_model(api_settings, "tiny.en") == "cpu"
    assert queue_for_model(api_settings, "large-v3") == "gpu"
    api_settings.worker.gpu_models = ["tiny.en"]
    job = submit_job(client, speech_dir / "jfk.wav")
    assert job["queue"] == "gpu"
    assert dispatcher.sent[-1][:2] == (uuid.UUID(job["id"]), "gpu")


def test_a_worker_without_cuda_refuses_the_gpu_queue(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from transcriber import cli
    from transcriber.config import get_settings
    from transcriber.worker import context

    monkeypatch.setenv("TRANSCRIBER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRANSCRIBER_WORKER__QUEUES", "cpu")
    monkeypatch.setattr(context, "_context", None)
    try:
        result = CliRunner().invoke(cli.app, ["worker", "--queues", "gpu,cpu"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "no CUDA device" in result.output


@pytest.mark.parametrize(
    ("error", "outcome", "status"),
    [
        (RuntimeError("CUDA failed with error out of memory"), "requeued", "queued"),
        (MemoryError(), "requeued", "queued"),
        (ConnectionResetError("broker went away"), "requeued", "queued"),
        (ValueError("a bug"), "failed", "failed"),
    ],
)
def test_transient_faults_are_retried_and_others_fail_at_once(
    client: TestClient,
    worker: WorkerContext,
    speech_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    outcome: str,
    status: str,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(worker.engine, "transcribe", broken)
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav")["id"])
    assert run_job(worker, job_id) == outcome
    job = get_job(client, job_id)
    assert job["status"] == status
    queued = _events(worker, job_id, "job.queued")
    if status == "failed":
        assert "a bug" in job["error"] and job["attempts"] == 1
        assert queued == []
    else:
        # Open pages hear that it waits again, why, and until when; a reload reads the same.
        (event,) = queued
        assert event["attempts"] == 1 and event["retry_at"] is not None
        assert event["reason"]
        assert job["queue_reason"] == event["reason"] and job["retry_at"] is not None


def test_out_of_memory_runs_again_with_half_the_batch_until_it_fits(
    client: TestClient, worker: WorkerContext, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_transcribe = worker.engine.transcribe
    batch_sizes: list[int | None] = []

    def tight_memory(path: Any, options: TranscribeOptions, **kwargs: Any) -> Any:
        batch_sizes.append(options.batch_size)
        if options.batch_size is None or options.batch_size > 1:
            raise RuntimeError("CUDA failed with error out of memory")
        return real_transcribe(path, options, **kwargs)

    monkeypatch.setattr(worker.engine, "transcribe", tight_memory)
    assert effective_batch_size(worker.settings, "tiny.en") == 4
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav")["id"])
    assert run_job(worker, job_id) == "requeued"
    assert run_job(worker, job_id) == "requeued"
    # The third and last attempt fits with a batch of 1 and runs the real model.
    assert run_job(worker, job_id) == "completed"
    assert batch_sizes == [None, 2, 1]
    transcript = client.get(f"/api/v1/jobs/{job_id}/transcript").json()
    assert "ask not what your country can do for you" in transcript["text"].lower()

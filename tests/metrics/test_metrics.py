"""`GET /metrics` on the real app and real databases: the text parses, request counters move
under route templates, the fleet's gauges and counters match the rows, and the token guards it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import func, select, update

from tests.support.app import RecordingDispatcher
from tests.support.auth import setup_admin
from tests.support.databases import fresh_postgres_database
from tests.support.jobs import submit_job
from tests.support.transcripts import make_transcript
from tests.support.workers import register_live_worker
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.repository import JobRepository
from transcriber.jobs.tasks import run_job
from transcriber.kit.db import transaction, utcnow
from transcriber.kit.migrate import upgrade
from transcriber.metrics.service import FinishedJobTally
from transcriber.runtime import Runtime
from transcriber.worker.context import WorkerContext

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient, headers: dict[str, str] | None = None) -> Samples:
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def route_labels(samples: Samples) -> set[str]:
    return {
        dict(labels)["route"] for name, labels in samples if name.startswith("transcriber_http_")
    }


def test_request_counters_move_under_route_templates(client: TestClient) -> None:
    job_id = uuid.uuid4()
    before = scrape(client)
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert client.post(f"/nowhere/{job_id}").status_code in (404, 405)
    after = scrape(client)

    labels = {"method": "GET", "route": "/api/v1/jobs/{job_id}", "status": "404"}
    name = "transcriber_http_requests_total"
    assert value(after, name, **labels) == value(before, name, **labels) + 1
    assert (
        value(after, "transcriber_http_request_duration_seconds_count", method="GET",
              route="/api/v1/jobs/{job_id}")
        >= 1
    )  # fmt: skip
    templates = {context.path for context in iter_route_contexts(client.app.routes)}  # type: ignore[attr-defined]
    routes = route_labels(after)
    # Only templates: an unknown path is one label, whatever its id.
    assert routes <= templates | {"unmatched"}, routes - templates
    assert not any(str(job_id) in route for route in routes)
    assert value(after, name, method="GET", route="/metrics", status="200") >= 1


def test_fleet_metrics_match_the_jobs_and_workers_in_the_database(
    client: TestClient, runtime: Runtime, job_worker: WorkerContext, speech_dir: Path
) -> None:
    register_live_worker(runtime.sessions, runtime.settings, concurrency=3)
    done = submit_job(client, speech_dir / "jfk.wav")
    cancelled = submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav")
    waiting = submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav")
    assert client.post(f"/api/v1/jobs/{cancelled['id']}/cancel").status_code == 200
    assert run_job(job_worker, uuid.UUID(done["id"])) == "completed"
    duration_s = client.get(f"/api/v1/jobs/{done['id']}").json()["duration_s"]

    text = client.get("/metrics").text
    samples = scrape(client)
    assert value(samples, "transcriber_jobs", queue="cpu", status="queued") == 1
    assert value(samples, "transcriber_jobs", queue="cpu", status="running") == 0
    # Finished jobs are counted as they finish, not recounted as rows at every scrape.
    assert ("transcriber_jobs", (("queue", "cpu"), ("status", "completed"))) not in samples
    assert value(samples, "transcriber_queue_depth", queue="cpu") == 1
    assert value(samples, "transcriber_queue_oldest_job_age_seconds", queue="cpu") >= 0
    assert value(samples, "transcriber_workers_live", queue="cpu") == 1
    assert value(samples, "transcriber_worker_slots_live", queue="cpu") == 3
    assert value(samples, "transcriber_workers_live", queue="gpu") == 0
    finished = "transcriber_jobs_finished_total"
    assert value(samples, finished, queue="cpu", status="completed") == 1
    assert value(samples, finished, queue="cpu", status="cancelled") == 1
    assert value(samples, finished, queue="cpu", status="failed") == 0
    audio = value(samples, "transcriber_audio_transcribed_seconds_total", queue="cpu")
    assert audio == pytest.approx(duration_s)
    assert value(samples, "transcriber_fleet_up") == 1
    # Nothing about a person or a file reaches the metrics.
    for secret in ("admin@example.org", "jfk.wav", "ljspeech", done["id"], waiting["id"]):
        assert secret not in text

    # Deleting jobs lowers the gauges; what finished stays counted.
    for job in (done, waiting):
        assert client.delete(f"/api/v1/jobs/{job['id']}").status_code == 204
    later = scrape(client)
    assert value(later, "transcriber_jobs", queue="cpu", status="queued") == 0
    assert value(later, "transcriber_queue_depth", queue="cpu") == 0
    assert value(later, finished, queue="cpu", status="completed") == 1
    assert value(
        later, "transcriber_audio_transcribed_seconds_total", queue="cpu"
    ) == pytest.approx(duration_s)


@pytest.fixture
def postgres_client(tmp_path: Path) -> Iterator[tuple[TestClient, Runtime]]:
    with fresh_postgres_database() as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url, environment="test")
        upgrade(url)
        dispatcher = RecordingDispatcher()
        runtime = Runtime.from_settings(settings, dispatcher=dispatcher)
        dispatcher.runtime = runtime
        with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
            setup_admin(client)
            yield client, runtime
        runtime.db.dispose()


def test_fleet_metrics_on_postgresql(
    postgres_client: tuple[TestClient, Runtime], speech_dir: Path
) -> None:
    client, runtime = postgres_client
    jobs = [submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav") for _ in range(3)]
    assert client.post(f"/api/v1/jobs/{jobs[0]['id']}/cancel").status_code == 200

    samples = scrape(client)
    with runtime.sessions() as session:
        rows = dict(session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    assert rows == {"queued": 2, "cancelled": 1}
    for status in ("queued", "running"):
        expected = rows.get(status, 0)
        assert value(samples, "transcriber_jobs", queue="cpu", status=status) == expected
    assert value(samples, "transcriber_queue_depth", queue="cpu") == 2
    assert value(samples, "transcriber_workers_live", queue="cpu") == 0
    assert value(samples, "transcriber_jobs_finished_total", queue="cpu", status="cancelled") == 1
    assert value(samples, "transcriber_fleet_up") == 1


def test_a_database_that_does_not_answer_is_a_metric_not_an_error(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}",
        environment="test",
    )
    runtime = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        samples = scrape(client)
    assert value(samples, "transcriber_fleet_up") == 0
    assert value(samples, "transcriber_build_info", version=client.app.version) == 1  # type: ignore[attr-defined]


def test_the_token_guards_the_metrics_when_it_is_set(
    anonymous: TestClient, api_settings: Settings
) -> None:
    assert anonymous.get("/metrics").status_code == 200  # unset: open, like /healthz
    api_settings.metrics.token = SecretStr("scrape-token-0123456789")

    missing = anonymous.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "transcriber_" not in missing.text
    wrong = anonymous.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    samples = scrape(anonymous, {"Authorization": "Bearer scrape-token-0123456789"})
    assert value(samples, "transcriber_fleet_up") == 1


def test_finished_jobs_are_counted_once_even_when_their_rows_commit_late(
    client: TestClient, runtime: Runtime
) -> None:
    me = client.get("/api/v1/auth/me").json()["id"]
    started_at = utcnow() - timedelta(minutes=30)
    tally = FinishedJobTally(started_at)

    def finished_at(job_id: uuid.UUID, when: datetime) -> None:
        with transaction(runtime.sessions) as session:
            session.execute(update(Job).where(Job.id == job_id).values(finished_at=when))

    def count() -> tuple[int, float]:
        with runtime.sessions() as session:
            tally.update(JobRepository(session))
        return tally.jobs[("cpu", "completed")], tally.audio_s["cpu"]

    before, _ = make_transcript(runtime, me, ["finished before the count began"])
    finished_at(before, started_at - timedelta(minutes=5))  # within the look-back
    assert count() == (0, 0.0)
    make_transcript(runtime, me, ["one", "two"])  # 4 s of media
    assert count() == (1, 4.0)
    assert count() == (1, 4.0)  # seen again in the look-back: not counted again
    # A row whose transaction committed a while after the `finished_at` it wrote.
    late, _ = make_transcript(runtime, me, ["late"])
    finished_at(late, tally.watermark - timedelta(minutes=5))
    assert count() == (2, 6.0)

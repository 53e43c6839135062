"""Flower, the Celery monitor, works unchanged against a fleet: it lists the workers with
their queues and task, and follows a real job's task to its end (docs/scaling.md)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.databases import sqlite_url
from tests.support.fleet import Fleet, admin_clients, fleet
from tests.support.servers import PrivateRedis
from transcriber.worker.celery_app import TRANSCRIPTION_TASK

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _poll(
    f: Fleet, url: str, found: Callable[[Any], bool], what: str, timeout_s: float = 90
) -> Any:
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=10)
            if response.status_code == 200:
                last = response.json()
                if found(last):
                    return last
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(
        f"Flower did not show {what} in {timeout_s}s; last answer: {last}\n{f.diagnostics()}"
    )


def test_flower_lists_the_workers_and_follows_a_job(tmp_path: Path, speech_dir: Path) -> None:
    redis = PrivateRedis()
    redis.start()
    try:
        with fleet(
            tmp_path, sqlite_url(tmp_path / "fleet.db"), redis.url, worker__send_task_events="true"
        ) as f:
            f.start_worker()
            (api,) = f.start_apis()
            f.wait_for_workers(1)
            flower = f.start_flower()
            workers = _poll(
                f,
                f"{flower.base_url}/api/workers?refresh=1",
                lambda body: any(
                    TRANSCRIPTION_TASK in info.get("registered", []) for info in body.values()
                ),
                "a worker with the transcription task",
            )
            (info,) = workers.values()
            assert [q["name"] for q in info["active_queues"]] == ["cpu"]

            (client,) = admin_clients([api])
            audio = speech_dir / "jfk.wav"
            response = client.post("/api/v1/jobs", files={"file": (audio.name, audio.read_bytes())})
            assert response.status_code == 202, response.text
            job_id = uuid.UUID(response.json()["id"])
            f.wait_for(job_id, lambda j: j.status == "completed", what="completed")
            # Flower switched the workers' task events on; the task carries the job id.
            tasks = _poll(
                f,
                f"{flower.base_url}/api/tasks",
                lambda body: any(
                    t.get("name") == TRANSCRIPTION_TASK
                    and t.get("state") == "SUCCESS"
                    and str(job_id) in str(t.get("args"))
                    for t in body.values()
                ),
                "the job's task as a success",
            )
            assert tasks
    finally:
        redis.stop()

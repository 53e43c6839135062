"""Fixtures of the job tests: a worker process's context, in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.app import RecordingDispatcher
from transcriber.config import Settings
from transcriber.worker.context import WorkerContext


@pytest.fixture
def worker(api_settings: Settings, dispatcher: RecordingDispatcher) -> Iterator[WorkerContext]:
    """The real worker code on the API's database, with the real model; jobs run with
    `run_job(worker, job_id)`."""
    api_settings.worker.poll_s = 0.2
    api_settings.worker.concurrency = 1  # both cores for the one job
    api_settings.worker.retry_backoff_s = 0
    context = WorkerContext(api_settings, dispatcher=dispatcher)
    yield context
    context.db.dispose()

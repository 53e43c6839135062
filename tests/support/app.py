"""An in-process app on a real, migrated SQLite database; the broker is a recorder."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.support.auth import setup_admin
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime
from transcriber.worker.context import WorkerContext


@dataclass
class RecordingDispatcher:
    """Stands in for the broker only: records what would be sent and whether the row existed."""

    runtime: Runtime | None = None
    sent: list[tuple[uuid.UUID, str, bool]] = field(default_factory=list)

    def dispatch(self, job_id: uuid.UUID, queue: str) -> None:
        assert self.runtime is not None
        with self.runtime.sessions() as session:
            row_visible = session.scalar(select(Job.id).where(Job.id == job_id)) is not None
        self.sent.append((job_id, queue, row_visible))


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", environment="test")
    upgrade(settings.resolved_database_url)
    return settings


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
def runtime(api_settings: Settings, dispatcher: RecordingDispatcher) -> Runtime:
    runtime = Runtime.from_settings(api_settings, dispatcher=dispatcher)
    dispatcher.runtime = runtime
    return runtime


@pytest.fixture
def job_worker(api_settings: Settings, dispatcher: RecordingDispatcher) -> Iterator[WorkerContext]:
    """A worker process's parts in this process, with one slot (run jobs with `run_job`)."""
    api_settings.worker.concurrency = 1
    context = WorkerContext(api_settings, dispatcher=dispatcher)
    yield context
    context.db.dispose()


@pytest.fixture
def anonymous(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """Signed in as the first admin (who owns the jobs these tests make)."""
    setup_admin(anonymous)
    return anonymous


def media_files(settings: Settings) -> list[Path]:
    root = settings.media_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
